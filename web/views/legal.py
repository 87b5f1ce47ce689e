"""Mentions légales, the privacy notice and the accessibility statement (RGAA 4.1).

Who publishes and hosts an instance of this directory is not known to its code: the
operator sets it (PUBLISHER_* and HOST_* settings); until then the pages say it is
missing rather than name anyone."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from centres.management.commands.purge_error_reports import DEFAULT_MONTHS

RATE_UNITS = {"s": _("seconde"), "m": _("minute"), "h": _("heure"), "d": _("jour")}


def rate_in_words(rate: str) -> str:
    """ "5/h" → « 5 par heure »."""
    count, _slash, unit = rate.partition("/")
    return _("%(count)s par %(unit)s") % {"count": count, "unit": RATE_UNITS.get(unit, unit)}


def _operator():
    return {
        # Map tiles come from a third party, which then sees the visitor's address.
        "tile_hosts": settings.CSP_TILE_HOSTS if settings.MAP_TILE_URL else [],
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
            "report_rate": rate_in_words(settings.ERROR_REPORT_RATE),
            "lockout_hours": settings.AXES_COOLOFF_TIME,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
        },
    )


@require_safe
def accessibility(request):
    return render(request, "legal/accessibilite.html", _operator())
