"""Published totals of labelled sites, shown beside what the directory describes."""

import html
import re

import pytest
from django.db import IntegrityError

from centres.enums import CountScope
from centres.models import PublishedCount
from tests.factories import FiliereFactory, ReferenceCentreFactory, SiteFactory

SOURCE = "https://source-synthetique.invalid/totaux"


def text(response):
    """The page's text, without tags; thousands may be grouped with a space."""
    plain = re.sub(r"<[^>]+>", "", html.unescape(response.content.decode()))
    return " ".join(plain.replace("\u202f", " ").replace("\xa0", " ").split())


def test_home_shows_the_national_total_beside_the_described_sites(client):
    PublishedCount.objects.create(
        slug="test-national",
        scope=CountScope.NATIONAL,
        label="2023",
        reference_sites=603,
        competence_centres=1708,
        total_sites=2311,
        sources=SOURCE,
    )
    SiteFactory.create_batch(3)
    SiteFactory(is_published=False)
    body = text(client.get("/"))
    assert "2 311 sites labellisés en 2023 — 3 décrits ici" in body or (
        "2311 sites labellisés en 2023 — 3 décrits ici" in body
    )
    assert "603 sites de centres de référence" in body
    assert "1708 centres de compétences" in body or "1 708 centres de compétences" in body
    assert SOURCE in body


def test_home_without_a_national_total_says_nothing_of_it(client):
    SiteFactory()
    assert "décrits ici" not in text(client.get("/"))


def test_filiere_page_shows_its_published_total(client):
    filiere = FiliereFactory(acronym="TESTTOT")
    SiteFactory(centre__filiere=filiere)
    PublishedCount.objects.create(
        slug="test-filiere",
        scope=CountScope.FILIERE,
        filiere=filiere,
        label="2023?",
        coordinating_sites=3,
        constitutive_sites=21,
        competence_centres=64,
        total_sites=88,
        sources=SOURCE,
    )
    body = text(client.get(filiere.get_absolute_url()))
    assert "Labellisation 2023 probablement" in body
    assert "88 sites labellisés" in body
    assert "3 sites coordonnateurs, 21 sites constitutifs, 64 centres de compétences" in body
    assert "1 site décrit dans l'annuaire" in body


def test_centre_sites_list_shows_the_centres_published_total(client):
    centre = ReferenceCentreFactory(acronym="TESTC", slug="test-centre-total")
    SiteFactory.create_batch(2, centre=centre)
    PublishedCount.objects.create(
        slug="test-centre",
        scope=CountScope.CENTRE,
        centre=centre,
        label="2023",
        coordinating_sites=1,
        constitutive_sites=2,
        competence_centres=10,
        total_sites=13,
        sources=SOURCE,
    )
    body = text(client.get("/centres/", {"crmr": centre.slug}))
    assert "13 sites labellisés" in body
    assert "2 sites décrits dans l'annuaire" in body


def test_a_filiere_total_must_name_its_filiere():
    with pytest.raises(IntegrityError):
        PublishedCount.objects.create(
            slug="test-bad", scope=CountScope.FILIERE, total_sites=1, sources=SOURCE
        )


def test_a_total_must_have_a_source():
    with pytest.raises(IntegrityError):
        PublishedCount.objects.create(slug="test-nosource", scope=CountScope.NATIONAL)
