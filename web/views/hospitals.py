"""The hospitals' pages and « Demander un accès »."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.decorators import ratelimit

from centres.enums import SiteKind
from centres.models import Site, group_by_kind_and_filiere
from common.france import Region
from hospitals.models import Hospital
from hospitals.notifications import notify_deciders
from web.forms import DUPLICATE_MESSAGE, AccessRequestForm
from web.regions import region_sort_key


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
        key=lambda group: (group[0] is None, region_sort_key(group[0] or "")),
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
    described_reference = sum(s.kind == SiteKind.REFERENCE for s in sites)
    described_competence = sum(s.kind == SiteKind.COMPETENCE for s in sites)
    return render(
        request,
        "hospitals/hospital_detail.html",
        {
            "hospital": hospital,
            "groups": group_by_kind_and_filiere(sites),
            "site_count": len(sites),
            "described_reference": described_reference,
            "described_competence": described_competence,
            # The hospital publishes more centres than the directory describes: its
            # staff are invited to complete them.
            "incomplete": (hospital.published_reference_sites or 0) > described_reference
            or (hospital.published_competence_centres or 0) > described_competence,
            "unattributed_sites": unattributed,
        },
    )


def _render_access_form(request, hospital, form, status=200):
    return render(
        request,
        "hospitals/access_request_form.html",
        {"hospital": hospital, "form": form},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(
    key="ip",
    rate=lambda group, request: settings.ACCESS_REQUEST_RATE,
    method="POST",
    block=False,
)
def request_access(request, slug):
    """ "Demander un accès": a pending request for the hospital's administrators and
    the superusers to decide on in the admin; nothing is granted here. Rate-limited
    per client address; a filled honeypot is dropped."""
    hospital = get_object_or_404(Hospital, slug=slug)
    if request.method != "POST":
        return _render_access_form(
            request, hospital, AccessRequestForm(initial={"hospital": hospital})
        )
    form = AccessRequestForm(request.POST)
    if getattr(request, "limited", False):
        form.add_error(
            None,
            _("Trop de demandes envoyées depuis votre connexion : réessayez dans une heure."),
        )
        return _render_access_form(request, hospital, form, status=429)
    if not form.is_valid():
        return _render_access_form(request, hospital, form, status=400)
    if not form.is_spam:
        try:
            with transaction.atomic():
                access_request = form.save()
        except IntegrityError:  # the same request posted twice at the same time
            form.add_error(None, DUPLICATE_MESSAGE)
            return _render_access_form(request, hospital, form, status=400)
        # The deciders read French, whatever the page the request came from.
        with translation.override(settings.LANGUAGE_CODE):
            admin_url = request.build_absolute_uri(
                reverse("admin:hospitals_accessrequest_change", args=[access_request.pk])
            )
            notify_deciders(access_request, admin_url)
    return redirect("hospitals:request-access-sent", slug=form.cleaned_data["hospital"].slug)


@require_safe
def request_access_sent(request, slug):
    hospital = get_object_or_404(Hospital, slug=slug)
    return render(request, "hospitals/access_request_sent.html", {"hospital": hospital})
