"""The list of sites (with its filters, near a place) and a site's page."""

import re

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from centres.enums import AgeGroup, SiteKind
from centres.models import Site
from centres.notifications import notify_report_received
from communes.places import locatables_from_queryset, rank_by_distance
from web.filters import SiteFilter
from web.forms import ErrorReportForm, NearForm


@require_safe
def site_list(request):
    site_filter = SiteFilter(request.GET, queryset=Site.objects.published().for_list())
    near = NearForm(request.GET)
    # An invalid filter (unknown filière, text too long, unknown place...) lists
    # nothing rather than everything: the form shows what was wrong.
    valid = site_filter.is_valid() and near.is_valid()
    sites = site_filter.qs if valid else Site.objects.none()
    if valid and near.place:
        # Rank every matching site by distance from light rows, then load only the
        # page's sites; the filters' groups (a disease's centres, known ages) stay
        # first: nearest first within each group.
        ranked = rank_by_distance(
            locatables_from_queryset(sites), near.place, near.cleaned_data.get("rayon")
        )
        if site_filter.group_fields:
            groups = {pk: keys for pk, *keys in sites.values_list("pk", *site_filter.group_fields)}
            ranked.sort(key=lambda item: groups[item.pk])
        sites = ranked
    filters = site_filter.form.cleaned_data if site_filter.is_valid() else {}
    paginator = Paginator(sites, settings.CENTRES_PAGE_SIZE)
    requested_page = request.GET.get("page", "")
    page_obj = _nearest_page(paginator, requested_page)
    page_sites = page_obj.object_list
    if valid and near.place:
        page_sites = Site.objects.load_ranked(page_sites)
    matches = getattr(site_filter, "disease_centres", None) if valid else None
    centre = filters.get("crmr")
    centre_counts = list(centre.published_counts.latest_first()) if centre else []
    return render(
        request,
        "centres/site_list.html",
        {
            "filter": site_filter,
            "near": near,
            "place": near.place if valid else None,
            "page_obj": page_obj,
            "sites": page_sites,
            "sections": _sections(page_sites, matches),
            "disease_centres": matches,
            "age_filter": AgeGroup(filters["age"]).label if filters.get("age") else None,
            "page_was_adjusted": requested_page not in ("", str(page_obj.number)),
            "requested_page": requested_page,
            "selected_centre": centre,
            "centre_counts": centre_counts,
            "centre_site_count": centre.sites.published().count() if centre_counts else None,
            "selected_disease": filters.get("maladie"),
            "selected_hospital": filters.get("hopital"),
        },
    )


PAGE_NUMBER = re.compile(r"^\s*(?P<sign>[+-]?)(?P<digits>[0-9]+)\s*$", re.ASCII)


def _nearest_page(paginator, requested: str):
    """The requested page, else the nearest one: the first for a number below it or
    anything that is not a number, the last for a number beyond it."""
    match = PAGE_NUMBER.match(requested)
    number = 1
    if match and match["sign"] != "-":
        digits = match["digits"].lstrip("0") or "0"
        # More digits than any page count: beyond the last page.
        number = paginator.num_pages if len(digits) > 9 else max(int(digits), 1)
    return paginator.page(min(number, paginator.num_pages))


def _sections(sites, matches):
    """The page's sites in runs of the same group, with what the group is: [(centre
    match or None, filière match or None, sites)]. One run without a disease."""
    if matches is None:
        return [(None, None, list(sites))] if sites else []
    runs = []
    for site in sites:
        group = matches.group_of_centre(site.centre)
        if not runs or runs[-1][0] != group:
            runs.append((group, []))
        runs[-1][1].append(site)
    return [(*matches.heading_for_group(group), run) for group, run in runs]


def _render_site(request, site, report_form, status=200):
    others = list(site.centre.sites.published().ordered_in_centre().exclude(pk=site.pk))
    return render(
        request,
        "centres/site_detail.html",
        {
            "site": site,
            "centre": site.centre,
            "reference_sites": [s for s in others if s.kind == SiteKind.REFERENCE],
            "competence_sites": [s for s in others if s.kind == SiteKind.COMPETENCE],
            "other_sites": [
                s for s in others if s.kind not in (SiteKind.REFERENCE, SiteKind.COMPETENCE)
            ],
            "scope": site.centre.coverage.select_related("disease").order_by("disease__name"),
            "report_form": report_form,
        },
        status=status,
    )


def _published_site(slug):
    """The published site of this slug, or of this old slug (an editor renamed it)."""
    site = (
        Site.objects.published()
        .select_related("centre__filiere", "hospital")
        .by_current_or_old_slug(slug)
    )
    if site is None:
        raise Http404(_("Aucun site publié à cette adresse."))
    return site


@require_safe
def site_detail(request, slug):
    site = _published_site(slug)
    if site.slug != slug:  # an old address: links and bookmarks follow the new one
        url = site.get_absolute_url()
        if request.META.get("QUERY_STRING"):
            url += "?" + request.META["QUERY_STRING"]
        return redirect(url, permanent=True)
    return _render_site(request, site, ErrorReportForm())


@require_POST
@ratelimit(key="ip", rate=lambda group, request: settings.ERROR_REPORT_RATE, block=False)
def report_error(request, slug):
    """ "Signaler une erreur": the report goes to the hospital's staff (e-mailed, see
    centres.notifications), nothing is published. Rate-limited per client address; a
    filled honeypot is dropped and sends nothing."""
    site = _published_site(slug)
    form = ErrorReportForm(request.POST)
    if getattr(request, "limited", False):
        form.add_error(
            None,
            _("Trop de signalements envoyés depuis votre connexion : réessayez dans une heure."),
        )
        return _render_site(request, site, form, status=429)
    if not form.is_valid():
        return _render_site(request, site, form, status=400)
    if not form.is_spam:
        report = form.save(commit=False)
        report.site = site
        report.save()
        notify_report_received(
            report,
            admin_url=request.build_absolute_uri(
                reverse("admin:centres_errorreport_change", args=[report.pk])
            ),
            site_url=request.build_absolute_uri(site.get_absolute_url()),
        )
    messages.success(
        request,
        _("Merci : votre signalement a été transmis à l'équipe qui tient cette fiche à jour."),
    )
    return redirect(site.get_absolute_url() + "#signaler")
