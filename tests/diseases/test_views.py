import html
import json
import re

import pytest

from diseases.models import Disease

ATTRIBUTION = "Source : Orphanet / Orphadata, nomenclature FR 2023-06-22, licence CC BY 4.0"


def text(response):
    return html.unescape(response.content.decode())


def test_disease_page_explains_which_filiere_and_why(client, directory_data):
    response = client.get("/maladies/704/")
    body = text(response)
    assert response.status_code == 200
    assert "<h1>Pemphigus vulgaire</h1>" in body
    assert ATTRIBUTION in body
    # The path from the disease up to the group FIMARAD is mapped to.
    assert "Dermatite bulleuse auto-immune" in body
    assert "Maladie rare de la peau" in body
    plain = " ".join(re.sub(r"<[^>]+>", "", body).split())
    # First the centre whose published scope covers it, with the reason...
    why = plain[plain.index("Pourquoi") :]
    assert why.startswith(
        "Pourquoi : Pemphigus vulgaire → Dermatite bulleuse auto-immune → MALIBUL"
    )
    # ... the filière's other centres after, under their own heading, with the path up
    # to the group FIMARAD is mapped to.
    others = plain[plain.index("Autres centres de la filière FIMARAD, domaine plus large") :]
    why = others[others.index("Pourquoi") :]
    assert why.index("Pemphigus vulgaire") < why.index("Maladie rare de la peau")
    assert why.index("Maladie rare de la peau") < why.index("FIMARAD")


def test_disease_page_lists_synonyms_and_classification(client, directory_data):
    body = text(client.get("/maladies/774/"))
    assert "Maladie de Rendu-Osler" in body
    assert "Place dans les classifications Orphanet" in body


def _first_centre_sites(response):
    """The sites shown for the first centre listed: a centre whose scope covers the
    disease, else the first (nearest) site of its filière's first centre."""
    if response.context["centres"]:
        return response.context["centres"][0][1]
    _match, items = response.context["other_centres"][0]
    _centre, first_site, _total = items[0]
    return [first_site]


def test_disease_page_lists_sites_of_the_covering_filiere(client, directory_data):
    response = client.get("/maladies/586/")
    sites = _first_centre_sites(response)
    assert sites, "the CRCM sites of Muco-CFTR are in the fixtures"
    assert all(site.centre.filiere.acronym == "Muco-CFTR" for site in sites)


def test_nearest_sites_first_on_the_disease_page(client, directory_data):
    response = client.get("/maladies/586/", {"pres_de": "Montpellier"})
    sites = _first_centre_sites(response)
    distances = [s.distance_km for s in sites if s.distance_km is not None]
    assert distances == sorted(distances)
    assert sites[0].place == "Montpellier" or sites[0].hospital.city == "Montpellier"


def test_obsolete_code_redirects_permanently_to_its_replacement(client):
    old = Disease.objects.filter(replaced_by__isnull=False).exclude(status="active").first()
    response = client.get(f"/maladies/{old.orpha_code}/?pres_de=51100")
    assert response.status_code == 301
    assert response["Location"] == f"/maladies/{old.replaced_by_id}/?pres_de=51100"


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("/maladies/000586/", "/maladies/586/"),
        ("/maladies/0586/?pres_de=51100&rayon=50", "/maladies/586/?pres_de=51100&rayon=50"),
    ],
)
def test_a_code_with_leading_zeros_redirects_permanently_to_the_canonical_url(
    client, url, canonical
):
    response = client.get(url)
    assert response.status_code == 301
    assert response["Location"] == canonical


def test_an_obsolete_code_with_leading_zeros_redirects_once_to_its_replacement(client):
    old = Disease.objects.filter(replaced_by__isnull=False).exclude(status="active").first()
    response = client.get(f"/maladies/00{old.orpha_code}/?q=x")
    assert response.status_code == 301
    assert response["Location"] == f"/maladies/{old.replaced_by_id}/?q=x"


def test_a_redirect_drops_a_query_string_no_link_has(client):
    # Found by tests/test_fuzz.py: past 16,384 characters Django refuses the
    # redirect (a 400 and an error in the logs).
    old = Disease.objects.filter(replaced_by__isnull=False).exclude(status="active").first()
    for url in (f"/maladies/{old.orpha_code}/", "/maladies/000586/"):
        response = client.get(url, {"pres_de": "a" * 17000})
        assert response.status_code == 301
        assert "?" not in response["Location"]


@pytest.mark.parametrize(
    "url", ["/maladies/1/", "/maladies/99999999999/", "/maladies/abc/", "/maladies/0001/"]
)
def test_unknown_code_is_a_404(client, url):
    assert client.get(url).status_code == 404


def test_search_page_lists_results_with_the_attribution(client):
    body = text(client.get("/maladies/", {"q": "Rendu Osler"}))
    assert "Télangiectasie hémorragique héréditaire" in body
    assert "synonyme « Maladie de Rendu-Osler" in body
    assert ATTRIBUTION in body


def test_search_by_code_goes_to_the_disease(client):
    response = client.get("/maladies/", {"q": "ORPHA:586"})
    assert response.status_code == 302
    assert response["Location"] == "/maladies/586/"


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("a" * 3000, "200 caractères"),
        ("\x00", "caractère nul"),
        ("zzzzzzzzzz", "Aucune maladie trouvée"),
        ("\"'<script>zzqx", "Aucune maladie trouvée"),
    ],
)
def test_bad_searches_get_a_message(client, q, message):
    response = client.get("/maladies/", {"q": q})
    assert response.status_code == 200
    body = text(response)
    assert message in body
    assert "<script>" not in response.content.decode()


def test_suggestions_json(client):
    response = client.get("/maladies/suggestions/", {"q": "mucovisc"})
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["results"][0]["code"] == 586
    assert data["results"][0]["url"] == "/maladies/586/"
    assert "Orphanet" in data["attribution"]


def test_suggestions_reject_bad_input_with_400(client):
    assert client.get("/maladies/suggestions/", {"q": "a" * 3000}).status_code == 400
    assert json.loads(client.get("/maladies/suggestions/", {"q": "a"}).content)["results"] == []


def test_disease_page_queries(client, directory_data, django_assert_max_num_queries):
    # disease, synonyms, ancestors (1 recursive query), centre scopes, filière
    # mappings, names on the paths, the filières' centres, sites per centre (counts,
    # the first ones ranked, those read); with a place: the commune.
    with django_assert_max_num_queries(10):
        client.get("/maladies/774/")
    with django_assert_max_num_queries(11):
        client.get("/maladies/774/", {"pres_de": "Montpellier"})


@pytest.mark.parametrize("url", ["/", "/centres/", "/filieres/", "/maladies/"])
def test_footer_attribution_on_every_page(client, url):
    plain = " ".join(re.sub(r"<[^>]+>", "", text(client.get(url))).split())
    assert ATTRIBUTION in plain
