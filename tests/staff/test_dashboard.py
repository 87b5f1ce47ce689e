"""The staff dashboard (/admin/tableau-de-bord/): served like every admin page, and
the reports on sites without a hospital counted for the superusers."""

import html

import pytest
from django.urls import reverse

from centres.models import ErrorReport
from tests.factories import HospitalFactory, SiteFactory

DASHBOARD = "/admin/tableau-de-bord/"


def test_the_url_and_its_name_are_unchanged():
    assert reverse("staff-dashboard") == DASHBOARD


@pytest.mark.parametrize("persona", ["superuser", "reims_editor", "reims_admin", "outsider"])
def test_the_dashboard_is_never_kept_by_a_shared_cache(client, personas, persona):
    client.force_login(getattr(personas, persona))
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store", "no-cache"} <= cache_control


def test_anonymous_visitors_are_sent_to_the_admin_login(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={DASHBOARD}"


def test_a_logged_in_non_staff_user_is_sent_to_the_admin_login(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("public-test", password="x"))
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={DASHBOARD}"


@pytest.fixture
def unplaced_reports(personas):
    """Two open reports and a closed one on a site known by its city only."""
    site = SiteFactory(without_hospital=True, slug="test-site-ville-seule")
    ErrorReport.objects.create(site=site, reason="telephone")
    ErrorReport.objects.create(site=site, reason="adresse", status="en-cours")
    ErrorReport.objects.create(site=site, reason="adresse", status="corrige")
    ErrorReport.objects.create(site=personas.reims_site, reason="telephone")
    return site


def test_superusers_see_the_reports_on_sites_without_a_hospital(client, personas, unplaced_reports):
    client.force_login(personas.superuser)
    response = client.get(DASHBOARD)
    unplaced = response.context["unplaced"]
    assert unplaced["open_reports"] == 2
    assert unplaced["to_verify"] == 1
    body = html.unescape(response.content.decode())
    assert "Sites sans établissement connu" in body
    # The links open the admin lists filtered on those sites.
    reports = client.get(unplaced["reports_url"])
    assert reports.status_code == 200
    assert set(reports.context["cl"].result_list) == set(unplaced_reports.error_reports.all())
    sites = client.get(unplaced["verify_url"])
    assert sites.status_code == 200
    assert list(sites.context["cl"].result_list) == [unplaced_reports]


def test_hospital_staff_do_not_see_sites_without_a_hospital(client, personas, unplaced_reports):
    client.force_login(personas.reims_admin)
    response = client.get(DASHBOARD)
    assert response.context["unplaced"] is None
    assert "Sites sans établissement connu" not in html.unescape(response.content.decode())
    assert response.context["rows"][0]["open_reports"] == 1


@pytest.mark.parametrize("hospitals", [1, 10])
def test_the_dashboard_runs_the_same_queries_whatever_the_number_of_hospitals(
    client, personas, django_assert_num_queries, hospitals
):
    for n in range(hospitals):
        hospital = HospitalFactory(
            slug=f"test-dash-{n}",
            published_competence_centres=3,
            published_totals_source="https://source-synthetique.invalid/totaux",
        )
        ErrorReport.objects.create(site=SiteFactory(hospital=hospital), reason="telephone")
    ErrorReport.objects.create(site=SiteFactory(without_hospital=True), reason="telephone")
    client.force_login(personas.superuser)
    # Session, user, the user's memberships (the admin's menu), then the hospitals,
    # the sites to verify, the open reports and the pending requests, each counted
    # per hospital in one query. Hospital-less sites come with the same counts.
    with django_assert_num_queries(7):
        response = client.get(DASHBOARD)
    assert response.context["unplaced"]["open_reports"] == 1
