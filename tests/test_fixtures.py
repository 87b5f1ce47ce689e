"""The sourced reference data in fixtures/: loads, reloads without duplicates, is
valid, and every page that shows it answers."""

import io
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection
from django.test.client import ClientHandler, RequestFactory

from centres.enums import CountScope, SiteKind, SiteRole
from centres.models import PublishedCount, ReferenceCentre, Site
from filieres.models import Filiere
from hospitals.models import Hospital

MODELS = (Hospital, Filiere, ReferenceCentre, Site, PublishedCount)
ARRETE_2014 = (
    "https://github.com/etalab/lois-non-codifiees-et-reglements-francais/blob/"
    "9a2b98cbcc525badf8415cb09de6eba327e8fc58/arrete/2014/arrete-du-16-janvier-2014-afsh1332135a/"
    "annexe/article-.md"
)


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


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's autovacuum keeps them")
def test_the_load_leaves_sqlite_its_planner_statistics(directory_data):
    """Without them SQLite leaves out the lists' covering indexes (centres/0014, 0015)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # sqlite_stat1 made, then emptied
        cursor.execute("DELETE FROM sqlite_stat1")
    call_command("load_initial_data", "--skip-orphanet", "--skip-communes", stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'centres_site'")
        analysed = {row[0] for row in cursor.fetchall()}
    assert {"centres_site_rank_sqlite_idx", "centres_site_pub_region_idx"} <= analysed


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
    # No source gives a geographic FINESS number: none may appear. The legal-entity
    # numbers come from the arrêté du 16 janvier 2014 only.
    assert not Hospital.objects.exclude(finess=None).exists()
    for hospital in Hospital.objects.exclude(finess_legal=""):
        assert ARRETE_2014 in hospital.source_urls, hospital.slug
    # The arrêté prints a truncated number for Tours: left empty.
    assert Hospital.objects.get(slug="chu-de-tours").finess_legal == ""


def test_the_counts_of_the_two_lots(directory_data):
    assert Hospital.objects.count() == 79  # 74 + 5 establishments named by Lot 2 rows
    assert ReferenceCentre.objects.count() == 132
    assert Site.objects.count() == 510
    assert PublishedCount.objects.count() == 19
    assert Hospital.objects.exclude(switchboard_phone="").count() == 25
    assert Hospital.objects.exclude(latitude=None).count() == 51


def test_hospital_contacts_are_loaded_with_their_sources(directory_data):
    reims = Hospital.objects.get(slug="chu-de-reims")
    assert reims.switchboard_phone == "03 26 78 78 78"
    assert reims.finess_legal == "510000029"
    assert reims.postcode == "51092"  # CEDEX code of the address, kept
    assert ARRETE_2014 in reims.source_urls
    assert "http://doczz.fr/doc/844212/1-a-7---chu-de-reims" in reims.source_urls
    assert "2011" in reims.notes  # old patient booklet: flagged
    # Values of hospitals.csv (a better source) are kept.
    assert reims.address.startswith("45 rue Cognacq-Jay, Reims (site de l'Hôpital Maison-Blanche")
    assert reims.website == "https://www.chu-reims.fr"
    lille = Hospital.objects.get(slug="chu-de-lille")
    assert (lille.address, lille.postcode, lille.city) == (
        "2 Avenue Oscar Lambret",
        "59000",
        "Lille",
    )
    assert (lille.latitude, lille.longitude) == (Decimal("50.609167"), Decimal("3.034722"))
    assert "Wikipédia" in lille.coordinates_note
    # A bare domain becomes a URL.
    assert Hospital.objects.get(slug="chu-de-nice").website == "https://www.chu-nice.fr"
    # AP-HP hospitals share the legal entity's FINESS, and say so.
    necker = Hospital.objects.get(slug="hopital-necker-enfants-malades")
    assert necker.finess_legal == "750712184" and necker.finess is None
    assert "commun à tous ses hôpitaux" in necker.notes
    assert Hospital.objects.filter(finess_legal="750712184").count() == 27
    # A number the notes say was not taken is not used.
    assert Hospital.objects.get(slug="ap-hm").switchboard_phone == ""
    # Postcodes deduced from the arrondissement are flagged.
    assert "déduit de l'arrondissement" in Hospital.objects.get(slug="hopital-robert-debre").notes
    # The city follows the published address.
    assert Hospital.objects.get(slug="hopital-louis-pradel").city == "Bron"
    # Establishments first named by Lot 2 rows get no invented contact.
    tenon = Hospital.objects.get(slug="hopital-tenon")
    assert (tenon.address, tenon.switchboard_phone, tenon.website, tenon.latitude) == (
        "",
        "",
        "",
        None,
    )


def test_published_counts(directory_data):
    national = PublishedCount.objects.get(slug="national-2023")
    assert national.scope == CountScope.NATIONAL
    assert (national.reference_sites, national.constitutive_sites) == (603, None)
    assert national.competence_centres == 1708
    assert national.total_sites == 2311 == national.crmr_sites + national.competence_centres
    assert (
        national.sources == "https://maladiesrares-paris-saclay.aphp.fr/centre-reference-definition"
    )
    assert "603 sites de centres de référence" in national.notes
    sensgene = PublishedCount.objects.get(slug="filiere-sensgene-2024")
    assert (sensgene.reference_sites, sensgene.constitutive_sites) == (20, None)
    assert sensgene.filiere.acronym == "SENSGENE"
    fimatho = PublishedCount.objects.get(slug="filiere-fimatho-2023")
    assert fimatho.label == "2023?" and not fimatho.label_is_certain
    toxibul = PublishedCount.objects.get(slug="centre-toxibul-2023")
    assert toxibul.centre.slug == "toxibul" and toxibul.filiere is None
    assert (toxibul.coordinating_sites, toxibul.constitutive_sites) == (1, 2)
    assert PublishedCount.objects.get(slug="centre-crml-inconnu").label == ""
    assert not PublishedCount.objects.filter(sources="").exists()


def test_paris_rows_are_not_merged_on_the_city_alone(directory_data):
    respirare = Site.objects.filter(centre__slug="respirare")
    debre = respirare.get(hospital__slug="hopital-robert-debre", kind=SiteKind.REFERENCE)
    trousseau = respirare.get(hospital__slug="hopital-armand-trousseau", kind=SiteKind.REFERENCE)
    assert debre.pk != trousseau.pk
    assert debre.role == trousseau.role == SiteRole.CONSTITUTIVE
    assert debre.head == "Ha Trang"
    # Trousseau: the 2017 head first (dated row), the later one kept as a note.
    assert "Nadia Nathan" in trousseau.notes
    # The Robert-Debré competence centre (another team) is a site of its own.
    competence = respirare.get(hospital__slug="hopital-robert-debre", kind=SiteKind.COMPETENCE)
    assert "Houdouin" in competence.head
    assert respirare.get(role=SiteRole.COORDINATING).hospital.slug == (
        "hopital-necker-enfants-malades"
    )
    pradort = Site.objects.filter(centre__slug="pradort", role=SiteRole.CONSTITUTIVE)
    assert {"hopital-armand-trousseau", "hopital-pitie-salpetriere"} <= set(
        pradort.values_list("hospital__slug", flat=True)
    )
    crcm = Site.objects.filter(centre__slug="crcm")
    assert crcm.filter(hospital__slug="hopital-cochin").exists()
    assert crcm.filter(hospital__slug="hopital-robert-debre").exists()
    # Two CRCMs (adults, children) of the CHU Grenoble Alpes stay two sites.
    assert crcm.filter(hospital__slug="chu-grenoble-alpes").count() == 2


def test_lot_2_rows_are_present(directory_data):
    assert Site.objects.filter(centre__slug="epilepsies-rares").count() == 8
    gnmh = Site.objects.filter(centre__slug="gnmh")
    assert gnmh.count() == 4
    assert set(gnmh.values_list("label_year", flat=True)) == {2004}  # historical
    tours = Site.objects.get(slug="sla-et-autres-maladies-du-neurone-moteur-chu-de-tours-inconnu")
    assert (tours.kind, tours.role, tours.label_year) == (
        SiteKind.REFERENCE,
        SiteRole.COORDINATING,
        2028,
    )
    assert Site.objects.get(slug="crcm-chu-de-reims-crc").label_year == 2018
    assert Site.objects.get(slug="toxibul-chu-de-fort-de-france-competence").hospital.slug == (
        "chu-de-fort-de-france"  # "CHU de Martinique"
    )
    orphalung = Site.objects.filter(centre__slug="orphalung", role=SiteRole.CONSTITUTIVE)
    assert {"hopital-bichat-claude-bernard", "hopital-avicenne", "hopital-tenon"} <= set(
        orphalung.values_list("hospital__slug", flat=True)
    )
    # A centre that got an acronym keeps its URL.
    ceredih = ReferenceCentre.objects.get(slug="deficits-immunitaires-hereditaires")
    assert ceredih.acronym == "CEREDIH"
    assert ceredih.sites.filter(hospital__slug="ap-hm", role=SiteRole.CONSTITUTIVE).exists()
    # Pre-2017 rows keep their date, so the pages show them as historical.
    assert Site.objects.filter(label_year__lt=2017).count() == 95


def test_every_object_is_valid_and_sourced(directory_data):
    for model in MODELS:
        for obj in model.objects.all():
            obj.full_clean()
    assert not Site.objects.filter(sources="").exists()
    assert not Filiere.objects.filter(sources="").exists()
    for site in Site.objects.all():
        assert all(url.startswith(("http://", "https://")) for url in site.source_urls)


def test_every_page_answers_with_the_real_data(directory_data):
    urls = ["/", "/centres/", "/hopitaux/", "/filieres/"]
    urls += [obj.get_absolute_url() for model in MODELS for obj in model.objects.all()]
    # Straight to Django's handler, without the test client, which keeps a copy of
    # every template's context (the time of the whole test, for 750 pages).
    handler, requests = ClientHandler(), RequestFactory()
    for url in urls:
        response = handler(requests.get(url).environ)
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


def test_full_reload_moves_the_coordinating_role_back(directory_data):
    """A database whose coordinating site differs from the fixtures' (an older
    snapshot, or a role changed since) reloads without breaking the one coordinating
    site per centre rule."""
    # A coordinating site that the fixture saves before one of its centre's
    # constitutive sites: loading it first meets the other, still coordinating.
    items = json.loads((settings.BASE_DIR / "fixtures" / "centres.json").read_text())
    order = [i["fields"]["slug"] for i in items if i["model"] == "centres.site"]
    site = other = None
    for candidate in Site.objects.filter(role="coordonnateur"):
        later = [
            s
            for s in candidate.centre.sites.filter(role="constitutif")
            if order.index(s.slug) > order.index(candidate.slug)
        ]
        if later:
            site, other = candidate, later[0]
            break
    assert site is not None
    Site.objects.filter(pk=site.pk).update(role="constitutif")
    Site.objects.filter(pk=other.pk).update(role="coordonnateur")
    call_command("load_initial_data", "--skip-orphanet", "--skip-communes", stdout=io.StringIO())
    site.refresh_from_db()
    other.refresh_from_db()
    assert (site.role, other.role) == ("coordonnateur", "constitutif")
