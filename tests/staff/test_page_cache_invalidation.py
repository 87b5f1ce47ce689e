"""Issue #10, §1: whatever changes a public record, the cached public pages are
stale at the next request: admin save and delete, history revert, the official-list
import, the fixture loader, the Orphanet loader. Synthetic records
(tests/factories.py, tests/staff/conftest.py)."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from centres.importing import apply_import, plan_import
from centres.models import Site
from common.versions import PUBLIC_DATA, current
from tests.factories import FiliereFactory
from tests.staff.conftest import site_form_data
from tests.staff.test_import import HEADER, ROW_COORD


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()


@pytest.fixture
def visitor():
    return Client()


def page(visitor, site):
    return visitor.get(site.get_absolute_url()).content.decode()


def test_an_admin_save_is_seen_by_visitors_at_once(client, visitor, page_cache, personas):
    site = personas.reims_site
    assert "Neurologie pédiatrique" not in page(visitor, site)
    client.force_login(personas.reims_editor)
    response = client.post(
        reverse("admin:centres_site_change", args=[site.pk]),
        site_form_data(site, service="Neurologie pédiatrique"),
    )
    assert response.status_code == 302
    assert "Neurologie pédiatrique" in page(visitor, site)


def test_an_admin_delete_is_seen_by_visitors_at_once(client, visitor, page_cache, personas):
    site = personas.reims_site
    url = site.get_absolute_url()
    assert visitor.get(url).status_code == 200
    client.force_login(personas.superuser)
    client.post(reverse("admin:centres_site_delete", args=[site.pk]), {"post": "yes"})
    assert visitor.get(url).status_code == 404


def test_a_hospital_edit_reaches_its_sites_pages(client, visitor, page_cache, personas):
    site = personas.reims_site
    page(visitor, site)
    hospital = personas.reims
    hospital.switchboard_phone = "03 26 99 99 99"
    hospital.save()
    assert "03 26 99 99 99" in page(visitor, site)


@pytest.mark.django_db(transaction=True)
def test_a_history_revert_is_seen_by_visitors_at_once(client, visitor, page_cache, personas):
    site = personas.reims_site
    site.service = "Service ancien"
    site.save()
    old = site.history.first().history_id
    site.service = "Service nouveau"
    site.save()
    assert "Service nouveau" in page(visitor, site)
    client.force_login(personas.reims_editor)
    url = reverse("admin:centres_site_simple_history", args=[site.pk, old])
    form = client.get(url).context["adminform"].form
    site.refresh_from_db()
    site.service = "Service ancien"
    response = client.post(url, site_form_data(site, seen_version=form["seen_version"].value()))
    assert response.status_code == 302
    assert "Service ancien" in page(visitor, site)


def test_an_import_bumps_the_version(page_cache, personas):
    FiliereFactory(acronym="TESTIMP", slug="testimp")
    before = current(PUBLIC_DATA)
    plan = plan_import(HEADER + ROW_COORD)
    assert plan.is_valid
    apply_import(plan)
    assert current(PUBLIC_DATA) > before


def test_reloading_the_fixtures_is_seen_by_visitors(directory_data, visitor, page_cache):
    site = Site.objects.published().first()
    url = site.get_absolute_url()
    Site.objects.filter(pk=site.pk).delete()
    assert visitor.get(url).status_code == 404
    call_command(
        "load_initial_data",
        "--skip-orphanet",
        "--skip-communes",
        "--only-new",
        stdout=io.StringIO(),
    )
    assert visitor.get(url).status_code == 200


# An Orphanet reload bumps the public version: tests/diseases/test_load.py (one reload
# for all the reload checks, each takes a minute).
