"""Mentions légales, the privacy notice and the accessibility statement (RGAA 4.1).

Who publishes and hosts an instance of this directory is not known to its code: the
operator sets it (PUBLISHER_* and HOST_* settings); until then the pages say it is
missing rather than name anyone."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from centres.management.commands.purge_error_reports import DEFAULT_MONTHS


def _operator():
    return {
        "publisher_name": settings.PUBLISHER_NAME,
        "publisher_address": settings.PUBLISHER_ADDRESS,
        "publisher_email": settings.PUBLISHER_EMAIL,
        "host_name": settings.HOST_NAME,
        "host_address": settings.HOST_ADDRESS,
    }


@require_safe
def legal_notice(request):
    return render(request, "legal/mentions_legales.html", _operator())


@require_safe
def privacy(request):
    return render(
        request,
        "legal/donnees_personnelles.html",
        {
            **_operator(),
            "report_months": DEFAULT_MONTHS,
            "report_rate": settings.ERROR_REPORT_RATE,
            "lockout_hours": settings.AXES_COOLOFF_TIME,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
        },
    )


@require_safe
def accessibility(request):
    return render(request, "legal/accessibilite.html", _operator())
