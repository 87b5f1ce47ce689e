"""Open data (issue #11): the downloads of any /centres/ list, the tables, their Table
Schemas and the data package (validated with frictionless), on the real data."""

import csv
import html
import io
import json
import re
import zipfile

import pytest
from frictionless import Package, validate

from centres.models import Site
from tests.factories import SiteFactory
from web import opendata

# Filter combinations of /centres/, from the whole list to a disease near a place.
COMBINATIONS = [
    {},
    {"type": "competence", "region": "44"},
    {"filiere": "muco-cftr"},
    {"q": "reims"},
    {"age": "enfants", "pres_de": "Montpellier"},
    {"maladie": "586", "pres_de": "51100"},
    {"maladie": "586", "pres_de": "51100", "rayon": "200"},
    {"crmr": "crcm", "pres_de": "13005"},
    {"hopital": "chu-de-reims", "type": "reference"},
]


def page_ids(client, params) -> list[str]:
    """The uids of every site the list shows, page after page."""
    ids, page = [], 1
    while True:
        response = client.get("/centres/", {**params, "page": page})
        assert response.status_code == 200
        ids += [str(site.uid) for site in response.context["sites"]]
        if not response.context["page_obj"].has_next():
            return ids
        page += 1


def csv_rows(response, delimiter=","):
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff"), "a BOM, so that spreadsheets read the accents"
    return list(csv.DictReader(io.StringIO(body[1:]), delimiter=delimiter))


@pytest.mark.parametrize(
    "params", COMBINATIONS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()) or "all"
)
def test_each_download_has_the_list_s_rows_in_its_order(client, directory_data, params):
    expected = page_ids(client, params)
    assert expected, f"the fixtures list sites for {params}"
    rows = csv_rows(client.get("/centres.csv", params))
    assert [row["id"] for row in rows] == expected
    data = client.get("/centres.json", params).json()
    assert [record["id"] for record in data["sites"]] == expected
    assert data["nombre"] == len(expected)
    features = client.get("/centres.geojson", params).json()["features"]
    placed = {
        str(uid)
        for uid in Site.objects.filter(position_latitude__isnull=False).values_list(
            "uid", flat=True
        )
    }
    assert [feature["id"] for feature in features] == [uid for uid in expected if uid in placed]


def test_the_list_links_its_downloads_with_its_filters_but_not_its_page(client, directory_data):
    body = client.get(
        "/centres/", {"type": "competence", "region": "44", "page": "2"}
    ).content.decode()
    assert 'href="/centres.csv?type=competence&amp;region=44"' in body
    assert 'href="/centres.geojson?type=competence&amp;region=44"' in body
    assert "Télécharger ces" in body


def test_a_download_of_an_invalid_list_is_a_400_with_its_message(client, directory_data):
    response = client.get("/centres.csv", {"filiere": "inconnue"})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
    response = client.get("/centres.json", {"pres_de": "zzzqqq"})
    assert response.status_code == 400
    assert "Lieu inconnu" in response.content.decode()
    assert client.get("/centres.csv", {"separateur": "tab"}).status_code == 400
    assert client.get("/centres.xml").status_code == 404


def test_the_semicolon_csv_opens_in_columns_in_a_french_spreadsheet(client, directory_data):
    rows = csv_rows(client.get("/centres.csv", {"separateur": "point-virgule"}), delimiter=";")
    assert len(rows) == Site.objects.published().count()
    assert rows[0]["id"] and rows[0]["centre_nom"]


def test_cells_a_spreadsheet_would_run_are_neutralised_in_csv_only(client):
    site = SiteFactory(service='=HYPERLINK("https://evil.invalid","x")', head="+33 1", phone="-1")
    SiteFactory(centre=site.centre, service="@SUM(A1)")
    rows = {row["id"]: row for row in csv_rows(client.get("/centres.csv"))}
    row = rows[str(site.uid)]
    assert row["service"] == '\'=HYPERLINK("https://evil.invalid","x")'
    assert row["responsable"] == "'+33 1"
    assert row["telephone"] == "'-1"
    assert any(r["service"] == "'@SUM(A1)" for r in rows.values())
    record = {r["id"]: r for r in client.get("/centres.json").json()["sites"]}[str(site.uid)]
    assert record["service"] == '=HYPERLINK("https://evil.invalid","x")'


def test_identifiers_survive_a_rename_and_a_slug_change(client):
    site = SiteFactory(slug="test-ancien-nom")
    uid = site.uid
    site.slug, site.name, site.centre.name = "test-nouveau-nom", "Nouveau nom", "Nouveau centre"
    site.save()
    site.centre.save()
    site.refresh_from_db()
    assert site.uid == uid
    (row,) = csv_rows(client.get("/centres.csv"))
    assert row["id"] == str(uid)
    assert row["url"] == "http://testserver/centres/test-nouveau-nom/"
    assert row["centre_id"] == str(site.centre.uid)
    assert SiteFactory().uid != uid


def test_every_table_downloads_with_its_schema(client, directory_data):
    for table in opendata.TABLES.values():
        rows = csv_rows(client.get(f"/donnees/{table.name}.csv"))
        assert rows and list(rows[0]) == table.header()
        schema = client.get(f"/donnees/schemas/{table.name}.json").json()
        assert [field["name"] for field in schema["fields"]] == table.header()
        assert all(field["description"] or field["title"] for field in schema["fields"])
    assert client.get("/donnees/inconnue.csv").status_code == 404
    assert client.get("/donnees/schemas/inconnue.json").status_code == 404


def test_the_data_package_validates_with_frictionless(client, directory_data, tmp_path):
    response = client.get("/donnees/annuaire-centres-maladies-rares.zip")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        archive.extractall(tmp_path)
        names = set(archive.namelist())
    assert names == {"datapackage.json"} | {f"{name}.csv" for name in opendata.TABLES}
    report = validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])[:20]
    package = Package(tmp_path / "datapackage.json")
    assert {resource.name for resource in package.resources} == set(opendata.TABLES)
    sites = package.get_resource("sites").read_rows()
    assert len(sites) == Site.objects.published().count()
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    assert [licence["name"] for licence in descriptor["licenses"]] == ["etalab-2.0", "CC-BY-4.0"]


def test_the_package_catches_a_broken_reference(client, directory_data, tmp_path):
    """The foreign keys are checked: the validation is not a formality."""
    response = client.get("/donnees/annuaire-centres-maladies-rares.zip")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        archive.extractall(tmp_path)
    sites = (tmp_path / "sites.csv").read_text(encoding="utf-8").splitlines()
    header = sites[0].split(",")
    first = next(csv.reader([sites[1]]))
    first[header.index("centre_id")] = "00000000-0000-4000-8000-000000000000"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(first)
    sites[1] = out.getvalue().rstrip("\r\n")
    (tmp_path / "sites.csv").write_text("\r\n".join(sites) + "\r\n", encoding="utf-8")
    report = validate(tmp_path / "datapackage.json")
    assert not report.valid
    assert "foreign-key" in {row[0] for row in report.flatten(["type"])}


def test_the_open_data_page_says_licence_totals_and_how_to_cite(client, directory_data):
    body = client.get("/donnees/").content.decode()
    assert "Licence Ouverte / Open Licence version 2.0" in body
    assert "CC BY 4.0" in body
    plain = " ".join(re.sub(r"<[^>]+>", " ", html.unescape(body)).split())
    assert "2311 sites labellisés (603 sites de centres de référence, 1708 centres" in plain
    assert f"{Site.objects.published().count()} sites décrits dans l'annuaire" in plain
    assert "Citer l" in body and "Signaler une erreur" in body
    assert 'href="/donnees/annuaire-centres-maladies-rares.zip"' in body


def test_open_data_is_readable_from_other_origins_the_pages_are_not(client, directory_data):
    for url in ("/centres.json", "/donnees/sites.csv", "/api/v1/filieres"):
        response = client.get(url, HTTP_ORIGIN="https://filiere.example.org")
        assert response["Access-Control-Allow-Origin"] == "*", url
    response = client.get("/centres/", HTTP_ORIGIN="https://filiere.example.org")
    assert "Access-Control-Allow-Origin" not in response
