"""The list of sites, with its filters, near a place (a site's own page: site_page.py)."""

import re

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from centres.enums import AgeGroup
from centres.models import Site
from web.filters import SiteFilter
from web.forms import NearForm


@require_safe
def site_list(request):
    site_filter = SiteFilter(request.GET, queryset=Site.objects.published().for_list())
    near = NearForm(request.GET)
    # An invalid filter (unknown filière, text too long, unknown place...) lists
    # nothing rather than everything: the form shows what was wrong.
    valid = site_filter.is_valid() and near.is_valid()
    sites = site_filter.qs if valid else Site.objects.none()
    if valid and near.place:
        # Ranked in the database, the filters' groups (a disease's centres, known ages)
        # first: nearest first within each group. The paginator's count is one query,
        # a page usually one more (Site.objects.nearest).
        sites = sites.nearest(
            near.place, near.cleaned_data.get("rayon"), group_fields=site_filter.group_fields
        )
    filters = site_filter.form.cleaned_data if site_filter.is_valid() else {}
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
