"""The list of sites, with its filters, near a place (a site's own page: site_page.py)."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from centres.enums import AgeGroup
from centres.models import CentreSiteTally, Site
from web.filters import SiteFilter
from web.forms import NearForm


@dataclass
class Listing:
    """The sites a /centres/ query string selects, in the page's order (also what its
    downloads hold: web/views/opendata.py)."""

    filter: SiteFilter
    near: NearForm
    valid: bool
    sites: object  # a QuerySet, or NearestSites near a place

    @property
    def filters(self) -> dict:
        return self.filter.form.cleaned_data if self.filter.is_valid() else {}

    @property
    def unfiltered(self) -> bool:
        """Whether these are every published site (near a place or not): then their
        numbers are the tallies' (CentreSiteTally), not counted from the sites."""
        return self.valid and not any(self.filters.values())

    def names_unknown(self) -> bool:
        """Whether every error is a name that designates nothing (or no single place):
        an unknown filière, hospital, centre, ORPHA code or place."""
        form_errors = self.filter.form.errors.as_data() if not self.filter.is_valid() else {}
        near_errors = self.near.errors.as_data() if not self.near.is_valid() else {}
        references = {"filiere", "hopital", "crmr"}
        return (
            bool(form_errors or near_errors)
            and all(
                (field in references and error.code == "invalid_choice")
                or (field == "maladie" and error.code == "unknown")
                for field, errors in form_errors.items()
                for error in errors
            )
            and set(near_errors) <= {"pres_de"}
            and (not near_errors or getattr(self.near, "lookup", None) is not None)
        )

    def errors(self) -> list[str]:
        return [
            str(message)
            for form in (self.filter.form, self.near)
            for messages in form.errors.values()
            for message in messages
        ]


def listing(params, *, cards=False) -> Listing:
    """The sites `params` select; only what a result card shows of them with `cards`
    (the page), whole rows without (the downloads and the API)."""
    sites = Site.objects.published()
    site_filter = SiteFilter(params, queryset=sites.for_cards() if cards else sites.for_list())
    near = NearForm(params)
    # An invalid filter (unknown filière, text too long, unknown place...) lists
    # nothing rather than everything: the form shows what was wrong.
    valid = site_filter.is_valid() and near.is_valid()
    result = Listing(site_filter, near, valid, site_filter.qs if valid else Site.objects.none())
    if valid and near.place:
        # Ranked in the database, the filters' groups (a disease's centres, known ages)
        # first: nearest first within each group. The paginator's count is one query
        # (none for every site: the tallies), a page usually one more (Site.objects.nearest).
        radius = near.cleaned_data.get("rayon")
        every_site = result.unfiltered and radius is None
        result.sites = result.sites.nearest(
            near.place,
            radius,
            group_fields=site_filter.group_fields,
            narrowing=site_filter.group_narrowing,
            totals=CentreSiteTally.objects.totals() if every_site else None,
        )
    return result


def filters_summary(result: Listing) -> str:
    """The filters in force, in words, for the page's <title> (« neuromusculaires »,
    Grand Est, près de 51100 (Reims)): a screen reader announces it on each new page."""
    parts = []
    form = result.filter.form
    for name, value in result.filters.items():
        if value in (None, "", [], ()):
            continue
        if name == "q":
            parts.append(_("« %(query)s »") % {"query": value})
            continue
        if hasattr(value, "name_in"):  # a disease: its name in the page's language
            parts.append(f"{value.name_in(get_language())} (ORPHA:{value.orpha_code})")
            continue
        label = None
        if isinstance(value, str):  # a choice (type, région, âge): its label
            choices = getattr(form.fields[name].widget, "choices", ())
            label = {str(key): text for key, text in choices if key}.get(value)
        parts.append(str(label or value))  # else a filière, hospital, centre, disease
    if result.valid and result.near.place is not None:
        parts.append(_("près de %(place)s") % {"place": result.near.place.label})
    return ", ".join(parts)


@require_safe
def site_list(request):
    result = listing(request.GET, cards=True)
    site_filter, near, valid, sites = result.filter, result.near, result.valid, result.sites
    filters = result.filters
    if valid and near.place is None and not site_filter.group_fields:
        # In the list's own order: a page is a run of centres, read without sorting
        # every site (the downloads and the API take `result.sites` as they are).
        sites = sites.paged_by_centre(
            CentreSiteTally.objects.by_centre() if result.unfiltered else None
        )
    paginator = Paginator(sites, settings.CENTRES_PAGE_SIZE)
    requested_page = request.GET.get("page", "")
    page_obj = _nearest_page(paginator, requested_page)
    page_sites = page_obj.object_list
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
            "download_query": _download_query(request.GET),
            "filters_summary": filters_summary(result),
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


def _download_query(params) -> str:
    """The list's query string for its downloads: every filter, not the page."""
    query = params.copy()
    query.pop("page", None)
    return query.urlencode()
