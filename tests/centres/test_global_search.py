import html

import pytest


@pytest.mark.parametrize(
    ("q", "location"),
    [
        ("ORPHA:586", "/maladies/586/"),
        ("586", "/maladies/586/"),
        ("mucoviscidose", "/maladies/586/"),
        ("l'hémophilie", "/maladies/448/"),
        ("51100", "/centres/?pres_de=51100"),
        # 33110 is both a postcode (Le Bouscat) and an ORPHA code.
        ("33110", "/centres/?pres_de=33110"),
        ("ORPHA:33110", "/maladies/33110/"),
        ("", "/centres/"),
    ],
)
def test_unambiguous_queries_go_straight_to_their_page(client, q, location):
    response = client.get("/recherche/", {"q": q})
    assert response.status_code == 302
    assert response["Location"] == location


def test_other_queries_list_diseases_centres_and_places(client, directory_data):
    response = client.get("/recherche/", {"q": "Reims"})
    body = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Les centres les plus proches de Reims (51)" in body
    assert response.context["sites"]


def test_a_centre_name_finds_its_sites(client, directory_data):
    response = client.get("/recherche/", {"q": "neuromusculaires"})
    assert response.context["sites"]
    assert response.context["site_total"] >= len(response.context["sites"])


@pytest.mark.parametrize("q", ["a" * 3000, "\x00", "<script>alert(1)</script>"])
def test_bad_queries_are_answered(client, q):
    response = client.get("/recherche/", {"q": q})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_a_town_that_cannot_be_located_says_so_with_nearby_towns(client):
    body = html.unescape(client.get("/recherche/", {"q": "Troarn"}).content.decode())
    assert "Impossible de situer « Troarn (14) »" in body
    assert "Les centres les plus proches de Janville (14)" in body
    assert "Les centres les plus proches de Troarn" not in body
