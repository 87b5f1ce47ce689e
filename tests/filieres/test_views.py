from common.france import Region
from tests.factories import FiliereFactory, HospitalFactory, ReferenceCentreFactory, SiteFactory


def test_filiere_list_shows_every_filiere(client):
    FiliereFactory(acronym="TESTA", slug="testa")
    FiliereFactory(acronym="TESTB", slug="testb")
    body = client.get("/filieres/").content.decode()
    assert "TESTA" in body and "TESTB" in body
    assert "/filieres/testa/" in body


def test_filiere_page_lists_its_centres_and_their_sites_by_region(client):
    filiere = FiliereFactory(
        acronym="TESTF",
        slug="testf",
        disease_area="Maladies synthétiques",
        website="https://filiere-synthetique.invalid",
    )
    centre = ReferenceCentreFactory(name="Centre synthétique F", filiere=filiere)
    east = SiteFactory(
        centre=centre, coordinating=True, hospital=HospitalFactory(region=Region.GRAND_EST)
    )
    south = SiteFactory(centre=centre, hospital=HospitalFactory(region=Region.OCCITANIE))
    other = SiteFactory()  # another filière
    body = client.get(filiere.get_absolute_url()).content.decode()
    assert "Maladies synthétiques" in body
    assert "https://filiere-synthetique.invalid" in body
    assert "Centre synthétique F" in body
    assert body.index("Grand Est") < body.index(east.get_absolute_url())
    assert body.index("Occitanie") < body.index(south.get_absolute_url())
    assert other.get_absolute_url() not in body
    assert "/centres/?filiere=testf" in body


def test_full_name_drops_the_repeated_acronym():
    assert FiliereFactory.build(acronym="TESTX", name="TESTX - Filière X").full_name == "Filière X"
    assert FiliereFactory.build(acronym="TESTY", name="Filière Y").full_name == "Filière Y"
