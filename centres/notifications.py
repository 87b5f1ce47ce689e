"""E-mails about error reports (« Signaler une erreur »): to the people who keep the
reported site up to date."""

import logging

from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from common.mail import one_line, send_to_each

logger = logging.getLogger(__name__)


def report_recipients(site) -> list[str]:
    """The addresses of the active staff of the site's hospital (its editors and
    administrators); of the superusers when the site has no hospital."""
    users = get_user_model().objects.filter(is_active=True)
    if site.hospital_id is None:
        users = users.filter(is_superuser=True)
    else:
        users = users.filter(hospital_memberships__hospital_id=site.hospital_id)
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def notify_report_received(report, admin_url: str, site_url: str) -> None:
    """E-mail the people who keep the site that a report waits (`admin_url`: its page
    in the admin; `site_url`: the public page). A failure to send is logged: the
    report is in the admin and on the dashboard anyway."""
    site = report.site
    recipients = report_recipients(site)
    if not recipients:
        return
    context = {"report": report, "site": site, "admin_url": admin_url, "site_url": site_url}
    subject = one_line(
        _("Signalement d'erreur : %(site)s (%(reason)s)")
        % {"site": site.display_name, "reason": report.get_reason_display()}
    )
    body = render_to_string("centres/email/error_report_received.txt", context)
    try:
        send_to_each(subject, body, recipients)
    except Exception:
        logger.exception("Could not notify of error report %s", report.pk)
