import html

from common.france import Region
from tests.factories import FiliereFactory, HospitalFactory, ReferenceCentreFactory, SiteFactory


def test_hospital_list_groups_hospitals_by_region(client):
    HospitalFactory(name="Hôpital test de l'Est", region=Region.GRAND_EST)
    HospitalFactory(name="Hôpital test du Sud", region=Region.OCCITANIE)
    body = client.get("/hopitaux/").content.decode()
    body = html.unescape(body)
    assert body.index("Grand Est") < body.index("Hôpital test de l'Est")
    assert body.index("Occitanie") < body.index("Hôpital test du Sud")


def test_hospital_page_shows_published_totals_against_described_sites(client):
    hospital = HospitalFactory(
        published_reference_sites=3,
        published_competence_centres=48,
        published_totals_source="https://source-synthetique.invalid/totaux",
    )
    SiteFactory(hospital=hospital, constitutive=True)
    SiteFactory(hospital=hospital)
    body = client.get(hospital.get_absolute_url()).content.decode()
    body = html.unescape(body)
    assert "3 sites de centres de référence labellisés" in body
    assert "48 centres de compétences labellisés" in body
    assert "1 décrit dans l'annuaire" in body
    assert "https://source-synthetique.invalid/totaux" in body
    assert "page non datée" in body


def test_hospital_page_says_when_none_is_described(client):
    hospital = HospitalFactory(
        published_competence_centres=5,
        published_totals_source="https://source-synthetique.invalid/totaux",
        published_totals_year=2017,
    )
    body = client.get(hospital.get_absolute_url()).content.decode()
    body = html.unescape(body)
    assert "aucun n'est encore décrit" in body
    assert "labellisation 2017" in body


def test_hospital_page_groups_sites_by_kind_then_filiere(client):
    hospital = HospitalFactory()
    peau = ReferenceCentreFactory(filiere=FiliereFactory(acronym="TESTPEAU", slug="tp"))
    neuro = ReferenceCentreFactory(filiere=FiliereFactory(acronym="TESTNEURO", slug="tn"))
    SiteFactory(hospital=hospital, centre=peau)
    SiteFactory(hospital=hospital, centre=neuro, constitutive=True)
    SiteFactory(hospital=hospital, centre=neuro)
    body = client.get(hospital.get_absolute_url()).content.decode()
    body = html.unescape(body)
    reference = body.index("Centre de référence (CRMR)")
    competence = body.index("Centre de compétences (CCMR)")
    assert reference < competence
    # Within competence centres, filières are in alphabetical order.
    assert body.index("TESTNEURO", competence) < body.index("TESTPEAU", competence)


def test_hospital_page_lists_same_city_sites_without_a_named_hospital(client):
    hospital = HospitalFactory(city="Testville")
    orphan = SiteFactory(without_hospital=True, city="Testville")
    elsewhere = SiteFactory(without_hospital=True, city="Autreville")
    body = client.get(hospital.get_absolute_url()).content.decode()
    body = html.unescape(body)
    assert orphan.get_absolute_url() in body
    assert elsewhere.get_absolute_url() not in body


def test_hospital_page_shows_its_switchboard_and_legal_finess(client):
    from tests.factories import HospitalFactory

    hospital = HospitalFactory(
        slug="test-standard-page",
        address="1 rue synthétique",
        postcode="51100",
        city="Reims",
        switchboard_phone="03 00 00 00 00",
        finess_legal="510000000",
    )
    body = client.get(hospital.get_absolute_url()).content.decode()
    assert 'href="tel:0300000000"' in body
    assert "numéro général, pas celui d'un centre" in body
    assert "1 rue synthétique, 51100 Reims" in body
    assert "510000000" in body
