"""The public "Signaler une erreur" form."""

import html

import pytest
from django.core.cache import cache

from centres.models import ErrorReport
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
    assert field in response.context["report_form"].errors
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
    assert client.get("/centres/inconnu/signaler/").status_code == 405


def test_the_site_page_offers_the_form(client, site):
    body = client.get(site.get_absolute_url()).content.decode()
    assert 'action="/centres/site-signale/signaler/"' in body
    assert 'name="csrfmiddlewaretoken"' in body
