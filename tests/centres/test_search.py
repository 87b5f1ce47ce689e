"""Accent-, case- and punctuation-insensitive text search, on SQLite and PostgreSQL."""

import pytest

from centres.models import Site
from tests.factories import FiliereFactory, SiteFactory


@pytest.fixture
def sites():
    return {
        "bulles": SiteFactory(
            centre__name="Maladies bulleuses auto-immunes",
            centre__acronym="MALIBUL",
            centre__filiere=FiliereFactory(acronym="FIMARAD", slug="fimarad-test"),
            hospital__name="Centre hospitalier universitaire de Reims",
            hospital__short_name="CHU de Reims",
            hospital__city="Reims",
        ),
        "lympho": SiteFactory(
            centre__name="Lymphœdèmes primaires",
            hospital__short_name="CHU de Montpellier",
            hospital__city="Montpellier",
        ),
        "ceremaia": SiteFactory(
            centre__name="Maladies auto-inflammatoires",
            centre__acronym="CeRéMAIA",
            hospital__city="Montpellier",
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bulleuses", {"bulles"}),
        ("BULLEUSES", {"bulles"}),
        ("malibul", {"bulles"}),
        ("fimarad", {"bulles"}),
        ("reims", {"bulles"}),
        ("lymphoedemes", {"lympho"}),
        ("Lymphœdème", {"lympho"}),
        ("ceremaia", {"ceremaia"}),
        ("CéRéMAÏA", {"ceremaia"}),
        ("auto-immunes", {"bulles"}),
        ("auto immunes", {"bulles"}),
        ("montpellier", {"lympho", "ceremaia"}),
        ("montpellier lymphoedemes", {"lympho"}),
        ("maladies montpellier", {"ceremaia"}),
        ("introuvable", set()),
    ],
)
def test_search(sites, query, expected):
    found = set(Site.objects.search(query))
    assert found == {sites[key] for key in expected}


def test_blank_query_matches_everything(sites):
    assert Site.objects.search("  ' - ").count() == 3


def test_the_stored_search_text_follows_every_writer(sites):
    """A site's own searched fields (name, city, service) are kept normalised in
    `search_text`, by Site.save (also with update_fields) and by the refresh that the
    bulk writers run (fixtures, imports): a search never misses a renamed site."""
    from centres.models import refresh_site_positions

    site = sites["lympho"]
    assert "montpellier" not in site.search_text  # its city is its hospital's
    site.service = "Unité Pédiatrique Œdème"
    site.save(update_fields=["service"])
    site.refresh_from_db()
    assert site.search_text == "unite pediatrique oedeme"
    assert set(Site.objects.search("pédiatrique")) == {site}
    # A writer that skips Site.save: stale until the refresh, then found.
    Site.objects.filter(pk=site.pk).update(name="Site Synthétique Alpha")
    assert not Site.objects.search("alpha").exists()
    assert refresh_site_positions() == 1
    assert set(Site.objects.search("alpha")) == {site}
    assert refresh_site_positions() == 0  # nothing left to write


def test_a_word_may_be_in_the_site_its_centre_or_its_hospital(sites):
    sites["ceremaia"].service = "Service de rhumatologie"
    sites["ceremaia"].save()
    # « rhumatologie » from the site itself, « ceremaia » from its centre's acronym.
    assert set(Site.objects.search("rhumatologie ceremaia")) == {sites["ceremaia"]}
    assert set(Site.objects.search("rhumatologie montpellier")) == {sites["ceremaia"]}
    assert not Site.objects.search("rhumatologie reims").exists()
