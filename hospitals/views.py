from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from centres.enums import SiteKind
from centres.models import Site, group_by_kind_and_filiere
from hospitals.enums import Region
from hospitals.models import Hospital


@require_safe
def hospital_list(request):
    hospitals = Hospital.objects.annotate(
        site_count=Count("sites", filter=Q(sites__is_published=True))
    ).order_by("name")
    by_region = {}
    for hospital in hospitals:
        by_region.setdefault(hospital.region, []).append(hospital)
    groups = sorted(
        ((Region(code).label if code else None, items) for code, items in by_region.items()),
        key=lambda group: (group[0] is None, str(group[0] or "")),
    )
    return render(
        request,
        "hospitals/hospital_list.html",
        {"groups": groups, "hospital_count": len(hospitals)},
    )


@require_safe
def hospital_detail(request, slug):
    hospital = get_object_or_404(Hospital, slug=slug)
    sites = list(hospital.sites.published().for_list())
    # Sites the sources place in the same city without naming their establishment.
    unattributed = (
        list(
            Site.objects.published()
            .for_list()
            .filter(hospital__isnull=True, city__iexact=hospital.city)
        )
        if hospital.city
        else []
    )
    return render(
        request,
        "hospitals/hospital_detail.html",
        {
            "hospital": hospital,
            "groups": group_by_kind_and_filiere(sites),
            "site_count": len(sites),
            "described_reference": sum(s.kind == SiteKind.REFERENCE for s in sites),
            "described_competence": sum(s.kind == SiteKind.COMPETENCE for s in sites),
            "unattributed_sites": unattributed,
        },
    )
