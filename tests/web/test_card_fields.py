"""The public lists read only the columns their cards and lines show
(`SiteQuerySet.for_cards`, CARD_FIELDS; a site page's other sites, ROW_FIELDS). A
column left out that a template or a property reads would cost one query per site,
silently: here it fails instead."""

import pytest
from django.db.models import Model

from centres.enums import AgeGroup
from centres.models import Site
from diseases.models import Disease
from tests.factories import SiteFactory


@pytest.fixture
def no_deferred_loads(monkeypatch):
    def refuse(self, using=None, fields=None, from_queryset=None):
        raise AssertionError(f"{type(self).__name__} read a deferred column: {fields}")

    monkeypatch.setattr(Model, "refresh_from_db", refuse)


@pytest.fixture
def every_kind_of_card(directory_data):
    """Beside the real sites, the cases a card words differently: a site with its
    own name, one without a hospital, one for children only, one labelled before 2017."""
    centre = Site.objects.filter(is_published=True).first().centre
    SiteFactory(centre=centre, name="Site au nom propre (test)", age_group=AgeGroup.CHILDREN)
    SiteFactory(centre=centre, without_hospital=True, label_year=2012)
    return centre


PAGES = [
    "/centres/",
    "/centres/?page=2",
    "/centres/?type=competence&region=44",
    "/centres/?age=enfants",
    "/centres/?pres_de=51100",
    "/centres/?q=reims",
    "/centres/?maladie=586&pres_de=51100",
    "/en/centres/?pres_de=51100",
    "/recherche/?q=reims",
]


def test_the_lists_read_no_column_they_left_out(client, every_kind_of_card, no_deferred_loads):
    centre = every_kind_of_card
    pages = [*PAGES, f"/centres/?crmr={centre.slug}", f"/centres/?crmr={centre.slug}&age=enfants"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    body = client.get(f"/centres/?crmr={centre.slug}").content.decode()
    assert "Site au nom propre (test)" in body  # the cases above are on the page read


def test_the_disease_pages_read_no_column_they_left_out(client, directory_data, no_deferred_loads):
    diseases = Disease.objects.filter(centre_coverage__isnull=False).distinct()[:15]
    assert diseases
    for disease in diseases:
        for query in ("", "?pres_de=51100"):
            response = client.get(disease.get_absolute_url() + query)
            assert response.status_code == 200, disease


def test_the_site_pages_read_no_column_they_left_out(client, every_kind_of_card, no_deferred_loads):
    """A site page lists its centre's other sites, each kind of line among them (a
    site without a hospital, the coordinating site...)."""
    centre = every_kind_of_card
    sites = list(Site.objects.published().filter(centre=centre))
    assert len(sites) >= 3 and any(site.hospital_id is None for site in sites)
    for site in sites:
        response = client.get(site.get_absolute_url())
        assert response.status_code == 200, site
    with_hospital = next(site for site in sites if site.hospital_id is not None)
    body = client.get(with_hospital.get_absolute_url()).content.decode()
    assert "Testville" in body  # the line of the site without a hospital: its town


def test_the_guard_catches_a_deferred_read(directory_data, no_deferred_loads):
    site = Site.objects.for_cards().first()
    with pytest.raises(AssertionError, match="deferred column"):
        site.phone  # noqa: B018 (not in CARD_FIELDS)
