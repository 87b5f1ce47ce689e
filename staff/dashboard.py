"""The staff dashboard (/admin/tableau-de-bord/): for each of the user's hospitals,
the sites to verify, the open error reports, the published totals against the sites
described, and (for its administrators) the access requests waiting; for
superusers, also the sites known by their city only (no hospital).

Served through `admin.site.admin_view` (staff/urls.py): staff only, never cached
(`Cache-Control: private, no-store`), like every admin page."""

from django.contrib import admin
from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from centres.enums import SiteKind
from centres.models import ErrorReport, Site
from hospitals.access import admin_hospital_ids, hospital_ids
from hospitals.enums import AccessRequestStatus
from hospitals.models import AccessRequest, Hospital


def dashboard(request):
    hospitals = Hospital.objects.all()
    if not request.user.is_superuser:
        hospitals = hospitals.filter(pk__in=hospital_ids(request.user))
    else:
        # Superusers: the hospitals that announce totals or have staff. (A subquery,
        # so that the counts below are not multiplied by a join.)
        hospitals = hospitals.filter(
            pk__in=Hospital.objects.filter(
                Q(published_reference_sites__isnull=False)
                | Q(published_competence_centres__isnull=False)
                | Q(memberships__isnull=False)
                | Q(pk__in=AccessRequest.objects.pending().values("hospital"))
            ).values("pk")
        )
    hospitals = hospitals.annotate(
        described_reference=Count("sites", filter=Q(sites__kind=SiteKind.REFERENCE)),
        described_competence=Count("sites", filter=Q(sites__kind=SiteKind.COMPETENCE)),
    ).order_by("name")
    # The same rules as the admin's filters, counted per hospital.
    to_verify = _per_hospital(Site.objects.to_verify(), "hospital")
    open_reports = _per_hospital(ErrorReport.objects.open(), "site__hospital")
    sites_url = reverse("admin:centres_site_changelist")
    reports_url = reverse("admin:centres_errorreport_changelist")
    add_url = reverse("admin:centres_site_add")
    pending_requests = _per_hospital(AccessRequest.objects.pending(), "hospital")
    requests_url = reverse("admin:hospitals_accessrequest_changelist")
    decides = admin_hospital_ids(request.user)
    rows = []
    for hospital in hospitals:
        rows.append(
            {
                "hospital": hospital,
                "to_verify": to_verify.get(hospital.pk, 0),
                "open_reports": open_reports.get(hospital.pk, 0),
                # Only the hospital's administrators (and superusers) decide on them.
                "pending_requests": pending_requests.get(hospital.pk, 0)
                if request.user.is_superuser or hospital.pk in decides
                else None,
                "requests_url": _url(
                    requests_url,
                    hospital__id__exact=hospital.pk,
                    status__exact=AccessRequestStatus.PENDING,
                ),
                "missing_reference": _missing(
                    hospital.published_reference_sites, hospital.described_reference
                ),
                "missing_competence": _missing(
                    hospital.published_competence_centres, hospital.described_competence
                ),
                "verify_url": _url(
                    sites_url, hospital__id__exact=hospital.pk, verification="a-verifier"
                ),
                "reports_url": _url(reports_url, site__hospital__id__exact=hospital.pk),
                "add_reference_url": _url(add_url, hospital=hospital.pk, kind=SiteKind.REFERENCE),
                "add_competence_url": _url(add_url, hospital=hospital.pk, kind=SiteKind.COMPETENCE),
            }
        )
    unplaced = None
    if request.user.is_superuser:
        # Sites whose source gives only a city: nobody's hospital, so the team's.
        # (The `None` group of the counts above: no extra query.)
        unplaced = {
            "to_verify": to_verify.get(None, 0),
            "open_reports": open_reports.get(None, 0),
            "verify_url": _url(sites_url, hospital__isnull="True", verification="a-verifier"),
            "reports_url": _url(reports_url, site__hospital__isnull="True"),
        }
    context = {
        **admin.site.each_context(request),
        "title": _("Tableau de bord"),
        "rows": rows,
        "unplaced": unplaced,
    }
    return render(request, "admin/dashboard.html", context)


def _per_hospital(queryset, path) -> dict[int, int]:
    rows = queryset.values(path).annotate(n=Count("pk")).order_by()
    return {row[path]: row["n"] for row in rows}


def _url(base, **params):
    return f"{base}?{urlencode(params)}"


def _missing(published, described):
    if published is None:
        return None
    return max(published - described, 0)
