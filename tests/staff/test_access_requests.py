"""« Demander un accès »: from the public form to an approved editor who logs in."""

import html
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hospitals.enums import AccessRequestStatus, MembershipRole
from hospitals.models import AccessRequest, HospitalMembership
from tests.factories import HospitalFactory, SiteFactory

PASSWORD = "Lumière-du-matin-2025"  # 12+ characters, passes the validators


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def people(personas, django_user_model):
    """The personas, with e-mail addresses for the notifications, and a Montpellier
    hospital administrator."""
    personas.reims_admin.email = "admin-reims@chu-test.invalid"
    personas.reims_admin.save()
    personas.superuser.email = "equipe@annuaire-test.invalid"
    personas.superuser.save()
    personas.reims_editor.email = "editeur-reims@chu-test.invalid"
    personas.reims_editor.save()
    personas.montpellier_admin = django_user_model.objects.create_user(
        "montpellier-admin", "admin-mtp@chu-test.invalid", "x", is_staff=True
    )
    HospitalMembership.objects.create(
        user=personas.montpellier_admin,
        hospital=personas.montpellier,
        role=MembershipRole.ADMIN,
    )
    return personas


@pytest.fixture
def pending(people):
    """A pending request for Reims, as the public form makes it."""
    return AccessRequest.objects.create(
        full_name="Camille Synthétique",
        email="camille.test@chu-test.invalid",
        hospital=people.reims,
        job_title="secrétaire du centre",
        message="Pour ajouter nos centres de compétences.",
    )


def form_url(hospital):
    return reverse("hospitals:request-access", kwargs={"slug": hospital.slug})


def submit(client, page_hospital, remote_addr="127.0.0.1", **data):
    """POST the form of `page_hospital`'s page (which pre-selects it)."""
    payload = {
        "full_name": "Camille Synthétique",
        "email": "camille.test@chu-test.invalid",
        "hospital": page_hospital.pk,
        "job_title": "secrétaire du centre",
        "message": "Pour ajouter nos centres de compétences.",
        **data,
    }
    return client.post(form_url(page_hospital), payload, REMOTE_ADDR=remote_addr)


def admin_url(name, *args):
    return reverse(f"admin:hospitals_accessrequest_{name}", args=args)


def as_user(user):
    client = Client()
    client.force_login(user)
    return client


def text(response):
    return html.unescape(response.content.decode())


# The public form.


def test_the_form_preselects_the_hospital_of_the_url(client, people):
    response = client.get(form_url(people.reims))
    assert response.status_code == 200
    assert response.context["form"]["hospital"].value() == people.reims.pk
    body = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in body
    assert 'name="website"' in body  # the honeypot
    assert "INVALID" not in body
    assert client.get("/hopitaux/inconnu/demander-un-acces/").status_code == 404


def test_a_request_waits_and_its_deciders_are_told(client, people):
    response = submit(client, people.reims)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "hospitals:request-access-sent", kwargs={"slug": people.reims.slug}
    )
    assert "attend la décision" in text(client.get(response["Location"]))
    saved = AccessRequest.objects.get()
    assert (saved.hospital, saved.status, saved.decided_by, saved.account) == (
        people.reims,
        AccessRequestStatus.PENDING,
        None,
        None,
    )
    # The hospital's administrators and the superusers, not its editors nor other
    # hospitals' administrators.
    assert sorted(to for message in mail.outbox for to in message.to) == [
        "admin-reims@chu-test.invalid",
        "equipe@annuaire-test.invalid",
    ]
    assert admin_url("change", saved.pk) in mail.outbox[0].body
    assert "Camille Synthétique" in mail.outbox[0].subject


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "pas-un-courriel"}, "email"),
        ({"email": "camille\x00@chu-test.invalid"}, "email"),
        ({"full_name": ""}, "full_name"),
        ({"full_name": "Camille\x00"}, "full_name"),
        ({"full_name": "x" * 151}, "full_name"),
        ({"job_title": "y" * 151}, "job_title"),
        ({"message": "z" * 2001}, "message"),
        ({"message": "nul\x00"}, "message"),
        ({"hospital": "999999"}, "hospital"),
        ({"hospital": "\x00"}, "hospital"),
        ({"hospital": "pas-un-nombre"}, "hospital"),
    ],
)
def test_invalid_input_says_why_with_a_400(client, people, data, field):
    response = submit(client, people.reims, **data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not AccessRequest.objects.exists()
    assert not mail.outbox


def test_one_line_fields_stay_on_one_line(client, people):
    submit(client, people.reims, full_name=" Camille\r\nBcc: x@y.invalid ", job_title="a\nb")
    saved = AccessRequest.objects.get()
    assert (saved.full_name, saved.job_title) == ("Camille Bcc: x@y.invalid", "a b")
    assert all("\n" not in message.subject for message in mail.outbox)


def test_the_honeypot_drops_bots_silently(client, people):
    response = submit(client, people.reims, website="http://spam.invalid")
    assert response.status_code == 302
    assert not AccessRequest.objects.exists()
    assert not mail.outbox


def test_requests_are_rate_limited_per_client(client, people, settings):
    settings.ACCESS_REQUEST_RATE = "3/h"
    for n in range(3):
        client.get(form_url(people.reims))  # showing the form does not count
        assert submit(client, people.reims, email=f"p{n}@chu-test.invalid").status_code == 302
    response = submit(client, people.reims, email="p4@chu-test.invalid")
    assert response.status_code == 429
    assert "Trop de demandes" in text(response)
    assert AccessRequest.objects.count() == 3
    # Another client is not affected.
    other = submit(client, people.reims, remote_addr="10.0.0.2", email="p5@chu-test.invalid")
    assert other.status_code == 302


def test_the_form_is_csrf_protected(people):
    strict = Client(enforce_csrf_checks=True)
    assert submit(strict, people.reims).status_code == 403
    assert not AccessRequest.objects.exists()


def test_a_duplicate_pending_request_is_explained_not_stored(client, people):
    assert submit(client, people.reims).status_code == 302
    response = submit(client, people.reims, email="CAMILLE.Test@chu-test.invalid")
    assert response.status_code == 400
    assert "déjà en attente" in text(response)
    assert AccessRequest.objects.count() == 1
    # Another hospital is another request.
    assert submit(client, people.montpellier).status_code == 302
    assert AccessRequest.objects.count() == 2


def test_the_database_also_refuses_two_pending_requests(pending):
    # In a savepoint: the test's transaction stays usable (PostgreSQL; the cache is
    # cleared in the database after the test).
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessRequest.objects.create(
            full_name="Camille",
            email=pending.email.upper(),
            hospital=pending.hospital,
            job_title="idem",
        )


def test_a_decided_request_must_say_who_and_when(pending):
    pending.status = AccessRequestStatus.APPROVED
    with pytest.raises(IntegrityError), transaction.atomic():
        pending.save()


# The hospital page.


def test_the_hospital_page_invites_staff_when_centres_are_missing(client):
    hospital = HospitalFactory(
        slug="test-incomplet",
        published_competence_centres=48,
        published_totals_source="https://source-synthetique.invalid/totaux",
    )
    SiteFactory(hospital=hospital)
    body = text(client.get(hospital.get_absolute_url()))
    assert "48 centres de compétences labellisés" in body
    assert 'id="personnel"' in body
    assert f'href="{form_url(hospital)}"' in body


def test_every_hospital_page_links_to_the_form(client):
    hospital = HospitalFactory(slug="test-sans-totaux")
    body = text(client.get(hospital.get_absolute_url()))
    assert 'id="personnel"' not in body
    assert f'href="{form_url(hospital)}"' in body


# From the request to a logged-in editor.


def test_from_the_form_to_an_editor_who_logs_in(client, people, django_user_model):
    submit(client, people.reims, email="Camille.Test@CHU-test.invalid")
    access_request = AccessRequest.objects.get()
    mail.outbox.clear()

    admin = as_user(people.reims_admin)
    changelist = admin.get(admin_url("changelist"))
    assert list(changelist.context["cl"].result_list) == [access_request]
    change = admin.get(admin_url("change", access_request.pk))
    assert change.status_code == 200
    assert admin_url("approve", access_request.pk) in change.content.decode()
    assert "INVALID" not in change.content.decode()

    response = admin.post(admin_url("approve", access_request.pk))
    assert response.status_code == 302
    access_request.refresh_from_db()
    user = django_user_model.objects.get(email__iexact="camille.test@chu-test.invalid")
    assert (access_request.status, access_request.decided_by, access_request.account) == (
        AccessRequestStatus.APPROVED,
        people.reims_admin,
        user,
    )
    assert access_request.decided_at is not None
    assert user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    assert user.username == "camille.test@chu-test.invalid"
    assert (user.first_name, user.last_name) == ("Camille", "Synthétique")
    membership = HospitalMembership.objects.get(user=user)
    assert (membership.hospital, membership.role) == (people.reims, MembershipRole.EDITOR)
    # No button any more once decided.
    assert (
        admin_url("approve", access_request.pk)
        not in admin.get(admin_url("change", access_request.pk)).content.decode()
    )

    [message] = mail.outbox
    assert message.to == ["Camille.Test@chu-test.invalid"]  # the domain in lower case
    assert user.username in message.body
    link = re.search(r"http://testserver(/compte/mot-de-passe/\S+/)", message.body).group(1)

    newcomer = Client()
    response = newcomer.get(link)
    assert response.status_code == 302  # Django hides the token from the page's URL
    form_page = newcomer.get(response["Location"])
    assert form_page.status_code == 200
    assert form_page.context["validlink"]
    response = newcomer.post(
        response["Location"], {"new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")
    assert "Se connecter" in text(newcomer.get(response["Location"]))
    # The link is single-use.
    used = newcomer.get(link)
    assert not used.context["validlink"]
    assert "n'est plus valable" in text(used)

    response = newcomer.post(
        "/admin/login/?next=/admin/", {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    sites = newcomer.get(reverse("admin:centres_site_changelist"))
    assert list(sites.context["cl"].result_list) == [people.reims_site]


def test_approval_attaches_an_existing_account_found_by_email(people, pending, django_user_model):
    existing = django_user_model.objects.create_user(
        "camille", "CAMILLE.TEST@chu-test.invalid", "ancien-mot-de-passe"
    )
    as_user(people.reims_admin).post(admin_url("approve", pending.pk))
    existing.refresh_from_db()
    assert existing.is_staff and existing.check_password("ancien-mot-de-passe")
    assert django_user_model.objects.filter(email__iexact=pending.email).count() == 1
    assert HospitalMembership.objects.get(user=existing).role == MembershipRole.EDITOR
    [message] = mail.outbox
    assert "mot de passe habituel" in message.body


def test_an_existing_member_keeps_their_role(people, pending):
    people.reims_admin.email = pending.email
    people.reims_admin.save()
    as_user(people.superuser).post(admin_url("approve", pending.pk))
    assert HospitalMembership.objects.get(user=people.reims_admin).role == MembershipRole.ADMIN


def test_a_deactivated_account_is_not_reactivated(people, pending, django_user_model):
    django_user_model.objects.create_user("camille", pending.email, "x", is_active=False)
    response = as_user(people.reims_admin).post(admin_url("approve", pending.pk), follow=True)
    assert "est désactivé" in text(response)
    pending.refresh_from_db()
    assert pending.status == AccessRequestStatus.PENDING
    assert not HospitalMembership.objects.filter(user__email=pending.email).exists()


def test_a_taken_username_gets_a_number(people, pending, django_user_model):
    django_user_model.objects.create_user(pending.email, "quelqu-un@ailleurs.invalid", "x")
    as_user(people.reims_admin).post(admin_url("approve", pending.pk))
    pending.refresh_from_db()
    assert pending.account.username == f"{pending.email}-2"


def test_approving_twice_or_after_a_refusal_is_impossible(people, pending, django_user_model):
    admin = as_user(people.reims_admin)
    admin.post(admin_url("approve", pending.pk))
    response = admin.post(admin_url("approve", pending.pk), follow=True)
    assert "déjà été traitée" in text(response)
    assert HospitalMembership.objects.filter(user__email=pending.email).count() == 1
    assert pending.history.filter(status=AccessRequestStatus.APPROVED).count() == 1
    assert len(mail.outbox) == 1

    refused = AccessRequest.objects.create(
        full_name="Dominique Test",
        email="dominique@chu-test.invalid",
        hospital=people.reims,
        job_title="infirmière",
    )
    admin.post(admin_url("refuse", refused.pk))
    response = admin.post(admin_url("approve", refused.pk), follow=True)
    assert "déjà été traitée" in text(response)
    refused.refresh_from_db()
    assert refused.status == AccessRequestStatus.REFUSED
    assert not django_user_model.objects.filter(email="dominique@chu-test.invalid").exists()
    # Nor by the list's action.
    admin.post(
        admin_url("changelist"),
        {"action": "approve_selected", "_selected_action": [refused.pk]},
    )
    refused.refresh_from_db()
    assert refused.status == AccessRequestStatus.REFUSED


def test_decisions_are_post_only(people, pending):
    assert as_user(people.reims_admin).get(admin_url("approve", pending.pk)).status_code == 405
    pending.refresh_from_db()
    assert pending.is_pending


def test_superuser_sees_every_request_and_refuses_with_a_notice(people, pending):
    other = AccessRequest.objects.create(
        full_name="Alex Test",
        email="alex@chu-test.invalid",
        hospital=people.montpellier,
        job_title="médecin",
    )
    root = as_user(people.superuser)
    changelist = root.get(admin_url("changelist"))
    assert set(changelist.context["cl"].result_list) == {pending, other}
    response = root.post(admin_url("refuse", pending.pk), {"notify": "1"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (
        AccessRequestStatus.REFUSED,
        people.superuser,
    )
    assert pending.account is None
    [message] = mail.outbox
    assert message.to == [pending.email]
    assert "n'a pas été acceptée" in message.body
    # Refused without notice: no e-mail.
    root.post(admin_url("refuse", other.pk))
    assert len(mail.outbox) == 1


def test_a_new_request_is_possible_after_a_refusal(client, people, pending):
    pending.refuse(by=people.superuser)
    assert submit(client, people.reims).status_code == 302
    assert AccessRequest.objects.pending().count() == 1


def test_the_superuser_approves_from_the_list(people, pending):
    as_user(people.superuser).post(
        admin_url("changelist"),
        {"action": "approve_selected", "_selected_action": [pending.pk]},
    )
    pending.refresh_from_db()
    assert pending.status == AccessRequestStatus.APPROVED
    assert len(mail.outbox) == 1


# Who may see and decide.


def test_another_hospitals_admin_neither_sees_nor_decides(people, pending):
    other = as_user(people.montpellier_admin)
    changelist = other.get(admin_url("changelist"))
    assert changelist.status_code == 200
    assert list(changelist.context["cl"].result_list) == []
    for view in ("change", "history", "delete"):
        assert other.get(admin_url(view, pending.pk)).status_code == 403
    assert other.post(admin_url("approve", pending.pk)).status_code == 403
    assert other.post(admin_url("refuse", pending.pk)).status_code == 403
    other.post(
        admin_url("changelist"),
        {"action": "approve_selected", "_selected_action": [pending.pk]},
    )
    pending.refresh_from_db()
    assert pending.is_pending
    assert not HospitalMembership.objects.filter(user__email=pending.email).exists()


@pytest.mark.parametrize("persona", ["reims_editor", "montpellier_editor", "outsider"])
def test_editors_and_other_staff_cannot_see_requests(people, pending, persona):
    client = as_user(getattr(people, persona))
    assert client.get(admin_url("changelist")).status_code == 403
    assert client.get(admin_url("change", pending.pk)).status_code == 403
    assert client.post(admin_url("approve", pending.pk)).status_code == 403
    assert "demandes d'accès" not in text(client.get(reverse("admin:index"))).lower()
    pending.refresh_from_db()
    assert pending.is_pending


def test_nobody_edits_or_adds_a_request_in_the_admin(people, pending):
    root = as_user(people.superuser)
    assert root.get(admin_url("add")).status_code == 403
    response = root.post(admin_url("change", pending.pk), {"full_name": "Autre", "_save": "1"})
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.full_name == "Camille Synthétique"


def test_decisions_in_the_admin_are_csrf_protected(people, pending):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people.reims_admin)
    assert strict.post(admin_url("approve", pending.pk)).status_code == 403
    pending.refresh_from_db()
    assert pending.is_pending


# History and dashboard.


def test_the_history_records_each_decision(people, pending):
    admin = as_user(people.reims_admin)
    admin.post(admin_url("approve", pending.pk))
    created, approved = pending.history.order_by("history_date")
    assert created.status == AccessRequestStatus.PENDING
    assert (approved.status, approved.history_user) == (
        AccessRequestStatus.APPROVED,
        people.reims_admin,
    )
    changed = {change.field for change in approved.diff_against(created).changes}
    assert {"status", "decided_by", "decided_at", "account"} <= changed
    page = admin.get(admin_url("history", pending.pk))
    assert page.status_code == 200
    assert "reims-admin" in text(page)


def test_the_link_can_be_sent_again(people, pending):
    admin = as_user(people.reims_admin)
    admin.post(admin_url("approve", pending.pk))
    change = admin.get(admin_url("change", pending.pk)).content.decode()
    assert admin_url("resend", pending.pk) in change
    admin.post(admin_url("resend", pending.pk))
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == [pending.email]


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("no SMTP server in this test")


def test_an_email_failure_is_reported_and_the_link_can_be_resent(people, pending, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    admin = as_user(people.reims_admin)
    response = admin.post(admin_url("approve", pending.pk), follow=True)
    assert "n'a pas pu être envoyé" in text(response)
    pending.refresh_from_db()
    assert pending.status == AccessRequestStatus.APPROVED  # the decision stands
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = admin.post(admin_url("resend", pending.pk), follow=True)
    assert "Nouveau lien envoyé" in text(response)
    assert [message.to for message in mail.outbox] == [[pending.email]]


def test_a_failing_notification_does_not_fail_the_form(client, people, settings, caplog):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    assert submit(client, people.reims).status_code == 302
    assert AccessRequest.objects.pending().count() == 1
    assert "Could not notify" in caplog.text


def test_the_dashboard_counts_pending_requests_for_their_deciders(people, pending):
    AccessRequest.objects.create(
        full_name="Old",
        email="old@chu-test.invalid",
        hospital=people.reims,
        job_title="x",
        status=AccessRequestStatus.REFUSED,
        decided_by=people.superuser,
        decided_at=timezone.now(),
    )
    rows = as_user(people.reims_admin).get(reverse("staff-dashboard")).context["rows"]
    assert [row["pending_requests"] for row in rows] == [1]
    rows = as_user(people.reims_editor).get(reverse("staff-dashboard")).context["rows"]
    assert [row["pending_requests"] for row in rows] == [None]
