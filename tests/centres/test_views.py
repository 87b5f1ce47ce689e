import pytest
from django.urls import reverse

from centres.enums import AgeGroup, SiteKind
from common.france import Region
from tests.factories import (
    FiliereFactory,
    HospitalFactory,
    ReferenceCentreFactory,
    SiteFactory,
)

LIST_URL = "/centres/"


def result_slugs(response):
    return {site.slug for site in response.context["page_obj"].object_list}


@pytest.fixture
def catalogue():
    """A small synthetic directory with one site of each shape."""
    neuro = FiliereFactory(acronym="TESTNEURO", slug="testneuro")
    skin = FiliereFactory(acronym="TESTPEAU", slug="testpeau")
    reims = HospitalFactory(short_name="Test CHU R", slug="test-chu-r", region=Region.GRAND_EST)
    mtp = HospitalFactory(short_name="Test CHU M", slug="test-chu-m", region=Region.OCCITANIE)
    neuro_centre = ReferenceCentreFactory(name="Maladies neuromusculaires test", filiere=neuro)
    skin_centre = ReferenceCentreFactory(name="Dermatoses bulleuses test", filiere=skin)
    return {
        "coord": SiteFactory(
            slug="coord",
            centre=neuro_centre,
            hospital=reims,
            coordinating=True,
            age_group=AgeGroup.ADULTS,
        ),
        "const": SiteFactory(
            slug="const",
            centre=neuro_centre,
            hospital=mtp,
            constitutive=True,
            age_group=AgeGroup.CHILDREN,
        ),
        "comp": SiteFactory(
            slug="comp", centre=skin_centre, hospital=reims, age_group=AgeGroup.BOTH
        ),
        "crc": SiteFactory(slug="crc", centre=skin_centre, hospital=mtp, crc=True),
        "nowhere": SiteFactory(
            slug="nowhere", centre=skin_centre, without_hospital=True, kind=SiteKind.UNKNOWN
        ),
        "hidden": SiteFactory(slug="hidden", centre=skin_centre, is_published=False),
    }


def test_list_shows_published_sites_and_their_count(client, catalogue):
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert result_slugs(response) == {"coord", "const", "comp", "crc", "nowhere"}
    assert "5 sites trouvés" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": SiteKind.REFERENCE}, {"coord", "const"}),
        ({"type": SiteKind.COMPETENCE}, {"comp"}),
        ({"type": SiteKind.CRC}, {"crc"}),
        ({"filiere": "testneuro"}, {"coord", "const"}),
        ({"hopital": "test-chu-r"}, {"coord", "comp"}),
        ({"region": Region.OCCITANIE}, {"const", "crc"}),
        ({"region": Region.BRETAGNE}, {"nowhere"}),
        # Sites whose ages no source gives are never hidden (listed after, marked).
        ({"age": "enfants"}, {"const", "comp", "crc", "nowhere"}),
        ({"age": "adultes"}, {"coord", "comp", "crc", "nowhere"}),
        ({"q": "neuromusculaires"}, {"coord", "const"}),
        ({"q": "bulleuses", "hopital": "test-chu-r"}, {"comp"}),
        ({"type": SiteKind.REFERENCE, "region": Region.GRAND_EST}, {"coord"}),
    ],
)
def test_each_filter_narrows_the_list(client, catalogue, params, expected):
    response = client.get(LIST_URL, params)
    assert response.status_code == 200
    assert result_slugs(response) == expected


def test_crmr_filter_lists_the_sites_of_one_centre(client, catalogue):
    centre = catalogue["coord"].centre
    response = client.get(centre.get_absolute_url())
    assert result_slugs(response) == {"coord", "const"}
    assert "Sites du centre" in response.content.decode()


def test_empty_result_points_to_maladies_rares_info_services(client, catalogue):
    response = client.get(LIST_URL, {"q": "zzzz"})
    body = response.content.decode()
    assert "Aucun site trouvé" in body
    assert "https://www.maladiesraresinfo.org" in body


def test_pagination_keeps_the_filters(client, settings):
    settings.CENTRES_PAGE_SIZE = 2
    centre = ReferenceCentreFactory(filiere=FiliereFactory(slug="testpag", acronym="TESTPAG"))
    SiteFactory.create_batch(5, centre=centre)
    response = client.get(LIST_URL, {"filiere": "testpag", "type": "competence"})
    body = response.content.decode()
    assert "?filiere=testpag&amp;type=competence&amp;page=2" in body
    page3 = client.get(LIST_URL, {"filiere": "testpag", "type": "competence", "page": 3})
    assert len(page3.context["page_obj"].object_list) == 1
    assert "Page 3 sur 3" in page3.content.decode()


def test_detail_shows_the_site_its_centre_and_sibling_sites(client, catalogue):
    site = catalogue["coord"]
    site.phone = "03 00 00 00 00"
    site.email = "contact@chu-synthetique.invalid"
    site.service = "Service synthétique de neurologie"
    site.save()
    response = client.get(site.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="tel:0300000000"' in body
    assert 'href="mailto:contact@chu-synthetique.invalid"' in body
    assert "Service synthétique de neurologie" in body
    assert "site coordonnateur" in body
    assert catalogue["const"].get_absolute_url() in body
    assert "TESTNEURO" in body
    assert "https://source-synthetique.invalid/test" in body


def test_detail_of_a_competence_centre_lists_its_crmr_sites(client):
    centre = ReferenceCentreFactory()
    coord = SiteFactory(centre=centre, coordinating=True)
    comp = SiteFactory(centre=centre)
    other_comp = SiteFactory(centre=centre)
    body = client.get(comp.get_absolute_url()).content.decode()
    assert coord.get_absolute_url() in body
    assert other_comp.get_absolute_url() in body
    assert "Centres de compétences rattachés" in body


def test_unpublished_site_is_a_404(client, catalogue):
    assert client.get(catalogue["hidden"].get_absolute_url()).status_code == 404


def test_unknown_site_is_a_404_in_the_site_style(client):
    response = client.get("/centres/pas-de-tel-site/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_historical_site_is_flagged(client):
    site = SiteFactory(label_period="2005-2014", label_year=2014)
    assert (
        "antérieure à la labellisation de 2017"
        in client.get(site.get_absolute_url()).content.decode()
    )


def test_list_and_detail_accept_only_safe_methods(client, catalogue):
    assert client.post(LIST_URL).status_code == 405
    assert client.post(catalogue["coord"].get_absolute_url()).status_code == 405


def test_reverse_names():
    assert reverse("centres:list") == "/centres/"
    assert reverse("centres:detail", kwargs={"slug": "x"}) == "/centres/x/"


def test_hospital_filter_shows_the_selected_hospital_with_a_way_out(client, catalogue):
    response = client.get(LIST_URL, {"hopital": "test-chu-r", "type": "competence"})
    body = response.content.decode()
    assert "Établissement : Test CHU R" in body
    assert 'href="?type=competence"' in body
