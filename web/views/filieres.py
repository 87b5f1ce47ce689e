"""The filières' pages."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from centres.models import Site
from filieres.models import Filiere
from web.regions import region_sort_key


@require_safe
def filiere_list(request):
    filieres = Filiere.objects.annotate(
        centre_count=Count("centres", distinct=True),
        site_count=Count(
            "centres__sites", filter=Q(centres__sites__is_published=True), distinct=True
        ),
    ).order_by("acronym")
    return render(request, "filieres/filiere_list.html", {"filieres": filieres})


@require_safe
def filiere_detail(request, slug):
    filiere = get_object_or_404(Filiere.objects.select_related("coordinating_hospital"), slug=slug)
    centres = {}
    for site in Site.objects.published().filter(centre__filiere=filiere).for_list():
        centres.setdefault(site.centre, []).append(site)
    # Inside a centre, sites are listed region by region (for_list() already puts
    # the coordinating site first within the same region).
    centre_groups = [
        (
            centre,
            sorted(sites, key=lambda s: (s.region_label == "", region_sort_key(s.region_label))),
        )
        for centre, sites in centres.items()
    ]
    return render(
        request,
        "filieres/filiere_detail.html",
        {
            "filiere": filiere,
            "centre_groups": centre_groups,
            "site_count": sum(len(sites) for _, sites in centre_groups),
            "published_counts": filiere.published_counts.latest_first(),
        },
    )
