"""The sourced reference data in fixtures/: loads, reloads without duplicates, is
valid, and every page that shows it answers."""

import io

import pytest
from django.core import serializers
from django.core.management import call_command

from centres.enums import SiteKind
from centres.models import ReferenceCentre, Site
from filieres.models import Filiere
from hospitals.models import Hospital

MODELS = (Hospital, Filiere, ReferenceCentre, Site)


def snapshot():
    return {
        model.__name__: serializers.serialize(
            "json", model.objects.order_by("pk"), use_natural_foreign_keys=True
        )
        for model in MODELS
    }


def test_loading_twice_leaves_the_same_rows(directory_data):
    before = snapshot()
    # (Reloading the Orphanet nomenclature is tested in tests/diseases/test_load.py.)
    call_command("load_initial_data", "--skip-orphanet", "--skip-communes", stdout=io.StringIO())
    assert snapshot() == before


def test_the_23_filieres(directory_data):
    assert Filiere.objects.count() == 23
    for acronym in ["FILNEMUS", "FIMARAD", "MHEMO", "Muco-CFTR", "SENSGENE", "OSCAR"]:
        assert Filiere.objects.filter(acronym=acronym).exists(), acronym


def test_reims_published_totals_and_described_sites(directory_data):
    reims = Hospital.objects.get(slug="chu-de-reims")
    assert reims.published_reference_sites == 3
    assert reims.published_competence_centres == 48
    assert "chu-reims.fr" in reims.published_totals_source
    reference_sites = reims.sites.filter(kind=SiteKind.REFERENCE)
    assert reference_sites.count() == 3
    assert set(reference_sites.values_list("centre__filiere__acronym", flat=True)) == {
        "AnDDI-Rares",
        "FIMARAD",
        "FILNEMUS",
    }
    assert 1 <= reims.sites.filter(kind=SiteKind.COMPETENCE).count() < 48


def test_montpellier_published_totals(directory_data):
    montpellier = Hospital.objects.get(slug="chu-de-montpellier")
    assert montpellier.published_reference_sites == 11
    assert montpellier.published_competence_centres == 62
    assert montpellier.published_totals_year == 2017
    assert montpellier.published_totals_source


def test_no_finess_number_is_invented(directory_data):
    # No source read so far gives a FINESS number: none may appear.
    assert not Hospital.objects.exclude(finess=None).exists()


def test_every_object_is_valid_and_sourced(directory_data):
    for model in MODELS:
        for obj in model.objects.all():
            obj.full_clean()
    assert not Site.objects.filter(sources="").exists()
    assert not Filiere.objects.filter(sources="").exists()
    for site in Site.objects.all():
        assert all(url.startswith(("http://", "https://")) for url in site.source_urls)


def test_every_page_answers_with_the_real_data(client, directory_data):
    urls = ["/", "/centres/", "/hopitaux/", "/filieres/"]
    urls += [obj.get_absolute_url() for model in MODELS for obj in model.objects.all()]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "«INVALID" not in response.content.decode(), url


def test_reims_page_shows_3_and_48_with_their_source(client, directory_data):
    body = client.get("/hopitaux/chu-de-reims/").content.decode()
    assert "3 sites de centres de référence labellisés" in body
    assert "48 centres de compétences labellisés" in body
    assert "https://www.chu-reims.fr/offre-de-soins/centres-experts/maladies-rares/" in body


def test_filiere_list_shows_the_23(client, directory_data):
    response = client.get("/filieres/")
    assert len(response.context["filieres"]) == 23


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"hopital": "chu-de-reims"}, lambda s: s.hospital.slug == "chu-de-reims"),
        ({"filiere": "filnemus"}, lambda s: s.centre.filiere.acronym == "FILNEMUS"),
        ({"type": "reference"}, lambda s: s.kind == "reference"),
        ({"region": "76"}, lambda s: s.region_code == "76"),
    ],
)
def test_filters_narrow_the_real_data(client, directory_data, params, check):
    everything = client.get("/centres/").context["page_obj"].paginator.count
    response = client.get("/centres/", params)
    page = response.context["page_obj"]
    assert 0 < page.paginator.count < everything
    assert all(check(site) for site in page.object_list)


def test_only_new_keeps_what_staff_edited(directory_data):
    site = Site.objects.get(slug=Site.objects.order_by("slug").first().slug)
    site.phone = "03 26 00 00 99"
    site.save()
    version = site.version
    Site.objects.filter(slug=Site.objects.order_by("slug").last().slug).delete()
    before = Site.objects.count()
    out = io.StringIO()
    call_command(
        "load_initial_data", "--only-new", "--skip-orphanet", "--skip-communes", stdout=out
    )
    site.refresh_from_db()
    assert (site.phone, site.version) == ("03 26 00 00 99", version)
    assert Site.objects.count() == before + 1  # the deleted one is back
    assert "1 new object(s) added" in out.getvalue()
