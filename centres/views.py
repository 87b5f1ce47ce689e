from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from centres.enums import SiteKind
from centres.filters import SiteFilter
from centres.models import Site
from filieres.models import Filiere
from hospitals.enums import Region
from hospitals.models import Hospital


@require_safe
def site_list(request):
    site_filter = SiteFilter(request.GET, queryset=Site.objects.published().for_list())
    # An invalid filter (unknown filière, text too long...) lists nothing rather than
    # everything: the form shows what was wrong.
    sites = site_filter.qs if site_filter.is_valid() else Site.objects.none()
    paginator = Paginator(sites, settings.CENTRES_PAGE_SIZE)
    requested_page = request.GET.get("page", "1")
    page_obj = paginator.get_page(requested_page)
    return render(
        request,
        "centres/site_list.html",
        {
            "filter": site_filter,
            "page_obj": page_obj,
            "sites": page_obj.object_list,
            "page_was_adjusted": requested_page != str(page_obj.number),
            "requested_page": requested_page,
            "selected_centre": site_filter.form.cleaned_data.get("crmr")
            if site_filter.is_valid()
            else None,
        },
    )


@require_safe
def site_detail(request, slug):
    site = get_object_or_404(
        Site.objects.published().select_related("centre__filiere", "hospital"), slug=slug
    )
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
        },
    )


@require_safe
def home(request):
    region_counts = Site.objects.published().count_by_region()
    regions = sorted(
        ((Region(code), count) for code, count in region_counts.items()),
        key=lambda item: str(item[0].label),
    )
    return render(
        request,
        "home.html",
        {
            "filter": SiteFilter(queryset=Site.objects.none()),
            "filieres": Filiere.objects.order_by("acronym"),
            "regions": regions,
            "featured_hospitals": Hospital.objects.exclude(
                published_reference_sites=None, published_competence_centres=None
            ).order_by("name"),
            "site_count": sum(region_counts.values()),
        },
    )
