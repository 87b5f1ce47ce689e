"""Whatever is typed in the URL, the answer is a 200 or a 404 with a message, escaped."""

import pytest

from tests.factories import SiteFactory

LONG = "a" * 3000
SCRIPT = "<script>alert('x')</script>"


@pytest.fixture(autouse=True)
def some_sites():
    SiteFactory.create_batch(3)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "abc"}, "La page « abc » n'existe pas"),
        ({"page": "999999"}, "La page « 999999 » n'existe pas"),
        ({"page": "-1"}, "n'existe pas"),
        ({"page": LONG}, "n'existe pas"),
        ({"filiere": "filiere-inconnue"}, "Sélectionnez un choix valide"),
        ({"hopital": "hopital-inconnu"}, "Sélectionnez un choix valide"),
        ({"crmr": "centre-inconnu"}, "Sélectionnez un choix valide"),
        ({"type": "hopital"}, "Sélectionnez un choix valide"),
        ({"region": "99"}, "Sélectionnez un choix valide"),
        ({"age": "bebes"}, "Sélectionnez un choix valide"),
        ({"q": LONG}, "200 caractères"),
        ({"q": "l'hôpital \"Saint\" ''; DROP TABLE centres_site; --"}, "Aucun site trouvé"),
        ({"q": "a\x00b"}, "caractère nul"),
        ({"filiere": "a\x00b"}, "caractère nul"),
        ({"q": SCRIPT}, "Aucun site trouvé"),
        ({"q": "100%_"}, "Aucun site trouvé"),
    ],
)
def test_bad_list_parameters_get_a_message_not_a_500(client, params, message):
    response = client.get("/centres/", params)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "<script>alert" not in body


@pytest.mark.parametrize("value", [SCRIPT, '"><img src=x onerror=alert(1)>'])
@pytest.mark.parametrize("param", ["q", "filiere", "page", "crmr"])
def test_parameters_are_always_escaped(client, param, value):
    body = client.get("/centres/", {param: value}).content.decode()
    assert value not in body


@pytest.mark.parametrize(
    "url",
    [
        "/centres/inconnu/",
        "/hopitaux/inconnu/",
        "/filieres/inconnue/",
        "/centres/%3Cscript%3E/",
        "/hopitaux/" + "a" * 3000 + "/",
    ],
)
def test_unknown_slugs_are_404_with_a_message(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.parametrize(
    ("page", "nearest"),
    [
        ("-1", 1),
        ("0", 1),
        ("-999999999999999999999", 1),
        ("1", 1),
        ("2", 2),
        ("3", 2),
        ("999999999999999999999", 2),
        ("abc", 1),
        ("1.5", 1),
        ("", 1),
    ],
)
def test_an_out_of_range_page_shows_the_nearest_page_with_a_notice(client, settings, page, nearest):
    settings.CENTRES_PAGE_SIZE = 2  # 3 sites: 2 pages
    response = client.get("/centres/", {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == nearest
    notice = f"n'existe pas : voici la page {nearest}."
    assert (notice in response.content.decode()) == (page not in ("1", "2", ""))
