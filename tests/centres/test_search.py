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
