"""A site's public page, and its « Signaler une erreur » form on a page of its own.

The site page holds no form and sets no cookie, so it is served from the page cache
(web/pagecache.py) and by any proxy; the report page carries the CSRF token."""

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Window
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.decorators import ratelimit

from centres.enums import SiteKind
from centres.models import Site
from centres.notifications import notify_report_received
from web.forms import ErrorReportForm


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


SIBLINGS_SHOWN = 40


@require_safe
def site_detail(request, slug):
    site = _published_site(slug)
    if site.slug != slug:  # an old address: links and bookmarks follow the new one
        url = site.get_absolute_url()
        if request.META.get("QUERY_STRING"):
            url += "?" + request.META["QUERY_STRING"]
        return redirect(url, permanent=True)
    # The centre's other sites, the CRMR's first: all of them for any real centre (36
    # at most), the first ones and a link to the list for a larger one.
    # One query: the window counts them all before the cut.
    siblings = site.centre.sites.published().ordered_in_centre().exclude(pk=site.pk)
    others = list(siblings.annotate(total=Window(Count("pk")))[:SIBLINGS_SHOWN])
    sibling_count = others[0].total if others else 0
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
            "sibling_count": sibling_count,
            "siblings_cut": sibling_count > len(others),
            "scope": site.centre.coverage.select_related("disease").order_by("disease__name"),
        },
    )


def _render_report(request, site, form, status=200):
    return render(request, "centres/site_report.html", {"site": site, "form": form}, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(
    key="ip",
    rate=lambda group, request: settings.ERROR_REPORT_RATE,
    method="POST",
    block=False,
)
def report_error(request, slug):
    """ "Signaler une erreur": the form, then the report, which goes to the hospital's
    staff (e-mailed, see centres.notifications); nothing is published. Rate-limited
    per client address; a filled honeypot is dropped and sends nothing."""
    site = _published_site(slug)
    if request.method != "POST":
        return _render_report(request, site, ErrorReportForm())
    form = ErrorReportForm(request.POST)
    if getattr(request, "limited", False):
        form.add_error(
            None,
            _("Trop de signalements envoyés depuis votre connexion : réessayez dans une heure."),
        )
        return _render_report(request, site, form, status=429)
    if not form.is_valid():
        return _render_report(request, site, form, status=400)
    if not form.is_spam:
        report = form.save(commit=False)
        report.site = site
        report.save()
        # The hospital's staff read French, whatever the page the report came from.
        with translation.override(settings.LANGUAGE_CODE):
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
