"""The public "Signaler une erreur" form."""

import html

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from centres.models import ErrorReport
from hospitals.models import HospitalMembership
from tests.factories import SiteFactory


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site():
    return SiteFactory(slug="site-signale")


def report(client, site, remote_addr="127.0.0.1", **data):
    payload = {"reason": "telephone", "message": "Le numéro sonne dans le vide.", **data}
    return client.post(f"/centres/{site.slug}/signaler/", payload, REMOTE_ADDR=remote_addr)


def test_a_valid_report_is_queued_not_published(client, site):
    response = report(client, site, reply_email="parent@famille.invalid")
    assert response.status_code == 302
    assert response["Location"] == f"/centres/{site.slug}/#signaler"
    saved = ErrorReport.objects.get()
    assert (saved.site, saved.reason, saved.status) == (site, "telephone", "nouveau")
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "Merci : votre signalement a été transmis" in page
    assert "Le numéro sonne dans le vide." not in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reason": "nimportequoi"}, "reason"),
        ({"reply_email": "pas-un-courriel"}, "reply_email"),
        ({"message": "x" * 2001}, "message"),
    ],
)
def test_an_invalid_report_says_why_with_a_400(client, site, data, field):
    response = report(client, site, **data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not ErrorReport.objects.exists()


def test_the_honeypot_drops_bots_silently(client, site):
    response = report(client, site, website="http://spam.invalid")
    assert response.status_code == 302
    assert not ErrorReport.objects.exists()


def test_reports_are_rate_limited_per_client(client, site, settings):
    settings.ERROR_REPORT_RATE = "3/h"
    for _ in range(3):
        assert report(client, site).status_code == 302
    response = report(client, site)
    assert response.status_code == 429
    assert "Trop de signalements" in html.unescape(response.content.decode())
    assert ErrorReport.objects.count() == 3
    # Another client is not affected.
    assert report(client, site, remote_addr="10.0.0.2").status_code == 302


def test_the_form_is_csrf_protected(site):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert report(strict, site).status_code == 403
    assert not ErrorReport.objects.exists()


def test_unknown_or_hidden_sites_cannot_be_reported(client):
    hidden = SiteFactory(is_published=False)
    assert report(client, hidden).status_code == 404
    assert client.get(f"/centres/{hidden.slug}/signaler/").status_code == 404
    assert client.get("/centres/inconnu/signaler/").status_code == 404
    assert client.put("/centres/inconnu/signaler/").status_code == 405


def test_the_site_page_links_to_the_form_and_sets_no_cookie(client, site):
    """The site page stays cacheable (web/pagecache.py): the form, with its CSRF
    token, is on a page of its own, which works without JavaScript."""
    response = client.get(site.get_absolute_url())
    body = response.content.decode()
    assert 'href="/centres/site-signale/signaler/"' in body
    assert "csrfmiddlewaretoken" not in body
    assert not response.cookies
    form_page = client.get("/centres/site-signale/signaler/")
    assert form_page.status_code == 200
    assert 'action="/centres/site-signale/signaler/"' in form_page.content.decode()
    assert 'name="csrfmiddlewaretoken"' in form_page.content.decode()
    assert "private" in form_page["Cache-Control"]


@pytest.fixture
def staff(personas, django_user_model):
    """The personas with e-mail addresses: the Reims editor and administrator, a
    Montpellier editor, a superuser, and two Reims members who cannot be told (no
    address, inactive)."""
    for user, email in [
        (personas.reims_editor, "editeur-reims@chu-test.invalid"),
        (personas.reims_admin, "admin-reims@chu-test.invalid"),
        (personas.montpellier_editor, "editeur-mtp@chu-test.invalid"),
        (personas.superuser, "equipe@annuaire-test.invalid"),
        (personas.outsider, "sans-hopital@annuaire-test.invalid"),
    ]:
        user.email = email
        user.save()
    inactive = django_user_model.objects.create_user(
        "reims-parti", "parti@chu-test.invalid", "x", is_active=False
    )
    without_email = django_user_model.objects.create_user("reims-sans-courriel", "", "x")
    for user in (inactive, without_email):
        HospitalMembership.objects.create(user=user, hospital=personas.reims)
    return personas


def recipients():
    return sorted(to for message in mail.outbox for to in message.to)


def test_the_sites_hospital_staff_are_told_of_a_report(client, staff):
    response = report(client, staff.reims_site, reply_email="parent@famille.invalid")
    assert response.status_code == 302
    saved = ErrorReport.objects.get()
    # The Reims members who can be reached; not the superusers, not Montpellier.
    assert recipients() == ["admin-reims@chu-test.invalid", "editeur-reims@chu-test.invalid"]
    message = mail.outbox[0]
    assert "\n" not in message.subject
    assert staff.reims_site.display_name in message.subject
    change_url = reverse("admin:centres_errorreport_change", args=[saved.pk])
    assert f"http://testserver{change_url}" in message.body
    assert "Le numéro sonne dans le vide." in message.body
    assert "parent@famille.invalid" in message.body
    assert f"http://testserver{staff.reims_site.get_absolute_url()}" in message.body


def test_a_report_on_a_site_without_hospital_goes_to_the_superusers(client, staff):
    orphan = SiteFactory(without_hospital=True, slug="site-sans-hopital")
    assert report(client, orphan).status_code == 302
    assert recipients() == ["equipe@annuaire-test.invalid"]


def test_nobody_to_tell_sends_nothing(client):
    lonely = SiteFactory(slug="site-sans-equipe")
    assert report(client, lonely).status_code == 302
    assert ErrorReport.objects.count() == 1
    assert not mail.outbox


def test_spam_and_invalid_reports_send_nothing(client, staff):
    assert report(client, staff.reims_site, website="http://spam.invalid").status_code == 302
    assert report(client, staff.reims_site, reason="nimportequoi").status_code == 400
    assert not mail.outbox


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("no SMTP server in this test")


def test_a_failing_notification_is_logged_not_a_500(client, staff, settings, caplog):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    response = report(client, staff.reims_site)
    assert response.status_code == 302
    assert ErrorReport.objects.count() == 1
    assert "Could not notify" in caplog.text
