"""The read API, /api/v1/ (web/api.py): the list's filters and order, details by
stable identifier, a disease's centres, errors, limits and CORS. The schemathesis
run against a live server is in tests/e2e/test_api_schema.py."""

import pytest

from centres.matching import disease_centres
from centres.models import ReferenceCentre, Site
from diseases.models import Disease
from hospitals.models import Hospital
from tests.factories import SiteFactory
from tests.web.test_opendata import page_ids


def all_pages(client, url, params):
    ids, params = [], {**params, "par_page": 100}
    response = client.get(url, params).json()
    ids += [record["id"] for record in response["resultats"]]
    while response["suivant"]:
        response = client.get(response["suivant"].removeprefix("http://testserver")).json()
        ids += [record["id"] for record in response["resultats"]]
    return ids


@pytest.mark.parametrize(
    "params",
    [{}, {"type": "competence", "region": "44"}, {"maladie": "586", "pres_de": "51100"}],
    ids=["all", "type-region", "disease-near"],
)
def test_the_site_list_is_the_page_s_list(client, directory_data, params):
    assert all_pages(client, "/api/v1/sites", params) == page_ids(client, params)


def test_pages_say_their_size_and_link_their_neighbours(client, directory_data):
    total = Site.objects.published().count()
    first = client.get("/api/v1/sites", {"par_page": 7}).json()
    assert (first["nombre"], first["page"], first["pages"]) == (total, 1, -(-total // 7))
    assert first["precedent"] is None and "page=2" in first["suivant"]
    assert len(first["resultats"]) == 7
    last = client.get("/api/v1/sites", {"par_page": 7, "page": first["pages"]}).json()
    assert last["suivant"] is None and len(last["resultats"]) == total - 7 * (first["pages"] - 1)


def test_details_by_stable_identifier(client, directory_data):
    site = Site.objects.published().select_related("centre", "hospital").first()
    record = client.get(f"/api/v1/sites/{site.uid}").json()
    assert record["id"] == str(site.uid) and record["centre_id"] == str(site.centre.uid)
    centre = ReferenceCentre.objects.first()
    assert client.get(f"/api/v1/centres/{centre.uid}").json()["nom"] == centre.name
    hospital = Hospital.objects.get(slug="chu-de-reims")
    assert client.get(f"/api/v1/etablissements/{hospital.uid}").json()["finess"] == hospital.finess
    assert client.get("/api/v1/filieres/muco-cftr").json()["acronyme"] == "Muco-CFTR"
    assert len(client.get("/api/v1/filieres").json()) == 23


def test_an_unpublished_site_is_not_in_the_api(client):
    hidden = SiteFactory(is_published=False)
    assert client.get(f"/api/v1/sites/{hidden.uid}").status_code == 404
    assert client.get("/api/v1/sites").json()["nombre"] == 0


def test_a_disease_s_centres_most_specific_first_with_the_reason(client, directory_data):
    data = client.get("/api/v1/maladies/586/centres").json()
    expected = disease_centres(Disease.objects.get(pk=586))
    assert [c["centre"]["id"] for c in data["centres"]] == [
        str(m.centre.uid) for m in expected.centre_matches
    ]
    assert data["centres"], "the CRCM covers cystic fibrosis in the fixtures"
    first = data["centres"][0]
    assert first["rang"] == 1 and first["chemin"][0]["orpha_code"] == 586
    assert (
        first["sites"] == Site.objects.published().filter(centre__uid=first["centre"]["id"]).count()
    )
    assert "Orphanet" in data["attribution"]


def test_an_obsolete_code_answers_for_its_replacement(client, directory_data):
    obsolete = Disease.objects.filter(replaced_by__isnull=False).exclude(status="active").first()
    data = client.get(f"/api/v1/maladies/{obsolete.pk}/centres").json()
    assert data["maladie"]["orpha_code"] == obsolete.replaced_by_id
    assert data["maladie"]["remplace"] == obsolete.pk


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/api/v1/sites?rayon=abc", 400, "rayon"),
        ("/api/v1/sites?rayon=50", 400, "Indiquez un lieu"),
        ("/api/v1/sites?par_page=1000", 400, "par_page"),
        ("/api/v1/sites?page=0", 400, "page"),
        ("/api/v1/sites?page=999", 404, "page"),
        ("/api/v1/sites?filiere=inconnue", 404, "choix valide"),
        ("/api/v1/sites?pres_de=zzzqqq", 404, "Lieu inconnu"),
        ("/api/v1/sites?maladie=99999999", 404, "Code ORPHA inconnu"),
        ("/api/v1/sites/not-a-uuid", 400, "uid"),
        ("/api/v1/sites/00000000-0000-4000-8000-000000000000", 404, "Introuvable"),
        ("/api/v1/maladies/0/centres", 400, "orpha_code"),
        ("/api/v1/maladies/9999999/centres", 404, "Introuvable"),
    ],
)
def test_bad_requests_get_a_4xx_with_a_message(client, directory_data, url, status, message):
    response = client.get(url)
    assert response.status_code == status, response.content
    assert message in " ".join(response.json()["erreurs"])


def test_the_api_is_read_only(client):
    assert client.post("/api/v1/sites").status_code == 405
    assert client.delete("/api/v1/filieres/muco-cftr").status_code == 405


def test_the_rate_limit_counts_per_address_in_the_shared_cache(client, settings):
    settings.API_RATE_LIMIT = "3/m"
    statuses = [client.get("/api/v1/filieres").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    other = client.get("/api/v1/filieres", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


def test_the_schema_is_openapi_3_and_documents_every_operation(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert {
        "/api/v1/sites",
        "/api/v1/sites/{uid}",
        "/api/v1/centres",
        "/api/v1/etablissements",
        "/api/v1/filieres",
        "/api/v1/maladies/{orpha_code}/centres",
    } <= paths
    site = schema["components"]["schemas"]["Site"]
    assert "telephone" in site["properties"] and site["properties"]["id"]["format"] == "uuid"
    body = client.get("/api/").content.decode()
    assert "/api/v1/openapi.json" in body and "/api/v1/maladies/586/centres" in body
