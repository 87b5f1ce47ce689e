"""E-mails about access requests: to the people who decide on a new request, and to
the requester when it is refused. (The approval e-mail is Django's password-setting
link, sent by the staff side.)"""

import logging

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from common.mail import one_line, send_to_each
from hospitals.enums import MembershipRole

logger = logging.getLogger(__name__)


def deciders_emails(hospital) -> list[str]:
    """The addresses of the hospital's active administrators and of the superusers."""
    return sorted(
        set(
            get_user_model()
            .objects.filter(is_active=True)
            .filter(
                Q(is_superuser=True)
                | Q(
                    hospital_memberships__hospital=hospital,
                    hospital_memberships__role=MembershipRole.ADMIN,
                )
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def notify_deciders(access_request, admin_url: str) -> None:
    """E-mail the hospital's administrators and the superusers that a request waits
    (`admin_url`: its page in the admin). A failure to send is logged: the request
    is in the admin anyway."""
    hospital = access_request.hospital
    recipients = deciders_emails(hospital)
    if not recipients:
        return
    context = {"access_request": access_request, "hospital": hospital, "admin_url": admin_url}
    subject = one_line(
        _("Demande d'accès à %(hospital)s : %(name)s")
        % {"hospital": hospital, "name": access_request.full_name}
    )
    body = render_to_string("hospitals/email/access_request_received.txt", context)
    try:
        send_to_each(subject, body, recipients)
    except Exception:
        logger.exception("Could not notify of access request %s", access_request.pk)


def send_refusal(access_request) -> None:
    """Tell the requester that their request was refused. Raises if it cannot be sent
    (the staff member who refused is told)."""
    body = render_to_string(
        "hospitals/email/access_request_refused.txt",
        {"access_request": access_request, "hospital": access_request.hospital},
    )
    subject = _("Votre demande d'accès à l'annuaire des centres maladies rares")
    EmailMessage(subject, body, to=[access_request.email]).send()
