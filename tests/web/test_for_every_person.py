"""What issue #12 asked of the pages, checked without a browser: plain words, the
printable sheet's content, the maps' data, the suggestions of every kind, a disease
and a place in one query, the legal pages, and the accessibility attributes the
server writes. (tests/e2e/test_accessibility.py checks the same pages in Chromium.)"""

import re

import pytest

from centres.enums import SiteKind, SiteRole
from tests.factories import HospitalFactory, ReferenceCentreFactory, SiteFactory
from tests.ops.test_shared_cache import settings_in_subprocess
from tests.test_settings import run_check

# --- plain words ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, role, plain",
    [
        (SiteKind.REFERENCE, SiteRole.COORDINATING, "centre expert national, site qui coordonne"),
        (SiteKind.REFERENCE, SiteRole.CONSTITUTIVE, "centre expert national, l'un de ses sites"),
        (SiteKind.COMPETENCE, "", "centre expert régional, rattaché à un centre national"),
        (SiteKind.UNKNOWN, "", "centre expert (le type de label n'est pas publié)"),
    ],
)
def test_kinds_are_said_in_everyday_words_with_the_official_term_beside(client, kind, role, plain):
    site = SiteFactory(kind=kind, role=role)
    body = client.get(site.get_absolute_url()).content.decode()
    assert plain.capitalize().replace("'", "&#x27;") in body
    if kind == SiteKind.UNKNOWN:
        # No official term to give: « type non précisé par la source » is not shown.
        assert "type non précisé" not in body
    else:
        assert f'<span class="official">({site.kind_label})</span>' in body


def test_source_remarks_are_folded_under_a_disclosure(client):
    site = SiteFactory(notes="Remarque interne synthétique sur la source.")
    body = client.get(site.get_absolute_url()).content.decode()
    folded = re.search(r"<details class=\"source-notes\">.*?</details>", body, re.S).group()
    assert "À propos des sources" in folded
    assert "Remarque interne synthétique" in folded


def test_an_empty_search_points_to_the_filieres_and_to_mris(client):
    body = client.get("/recherche/", {"q": "zzzqqqxxx"}).content.decode()
    assert 'href="/filieres/"' in body
    assert "https://www.maladiesraresinfo.org" in body
    body = client.get("/centres/", {"q": "zzzqqqxxx"}).content.decode()
    assert 'href="/filieres/"' in body
    assert "https://www.maladiesraresinfo.org" in body


# --- the printed sheet -------------------------------------------------------------


def test_a_site_page_carries_its_address_and_a_qr_code_of_it(client):
    site = SiteFactory()
    body = client.get(site.get_absolute_url()).content.decode()
    address = f"http://testserver{site.get_absolute_url()}"
    assert f"<strong>{address}</strong>" in body
    svg = re.search(r"<svg [^>]*class=\"qr\"[^>]*>", body).group()
    assert 'role="img"' in svg and "aria-label=" in svg
    # One <title> on the page: the QR code is named by aria-label, not an SVG <title>.
    assert body.count("<title>") == 1
    assert "Prendre rendez-vous" in body
    assert "médecin qui suit le patient" in body


def test_the_qr_code_encodes_the_page_address():
    import segno

    from web.templatetags.qr import qr_svg

    url = "https://annuaire.example.invalid/centres/test-site/"
    svg = qr_svg(url, "QR code")
    # The same modules as segno's code of that address: the drawing is the URL's.
    expected = segno.make(url, error="m", micro=False).svg_inline(
        scale=3, border=2, svgclass="qr", lineclass=None
    )
    assert re.search(r' d="([^"]+)"', svg).group(1) == re.search(r' d="([^"]+)"', expected).group(1)
    assert 'aria-label="QR code"' in svg


# --- maps ----------------------------------------------------------------------------


def test_the_list_map_reads_the_whole_filtered_result(client):
    SiteFactory.create_batch(3, kind=SiteKind.REFERENCE)
    body = client.get("/centres/", {"type": "reference"}).content.decode()
    assert 'data-geojson-url="/centres.geojson?type=reference"' in body
    assert 'href="#apres-carte"' in body and 'id="apres-carte"' in body
    assert "/static/vendor/leaflet/leaflet.js" in body


@pytest.mark.parametrize("page", ["hospital", "filiere"])
def test_hospital_and_filiere_pages_map_their_sites(client, page):
    site = SiteFactory()
    if page == "hospital":
        url, query = site.hospital.get_absolute_url(), f"hopital={site.hospital.slug}"
    else:
        url, query = site.centre.filiere.get_absolute_url(), f"filiere={site.centre.filiere.slug}"
    body = client.get(url).content.decode()
    assert f'data-geojson-url="/centres.geojson?{query}"' in body


def test_the_tile_server_is_a_setting_and_the_only_tile_host_allowed():
    tiles = {"MAP_TILE_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png"}
    img_src = "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']"
    assert settings_in_subprocess("settings.CSP_TILE_HOSTS", **tiles) == str(
        ["https://tile.openstreetmap.org"]
    )
    assert "https://tile.openstreetmap.org" in settings_in_subprocess(img_src, **tiles)
    assert settings_in_subprocess("settings.CSP_TILE_HOSTS") == "[]"
    result = run_check(SECRET_KEY="x" * 50, MAP_TILE_URL="javascript:alert(1)")
    assert result.returncode != 0
    assert "MAP_TILE_URL must be" in result.stderr


# --- suggestions and the single box --------------------------------------------------


def test_the_single_box_suggests_hospitals_places_centres_and_filieres(client, directory_data):
    results = client.get("/recherche/suggestions/", {"q": "reims"}).json()["results"]
    kinds = [r["kind"] for r in results]
    labels = [r["label"] for r in results]
    # The town named exactly first, then the hospital, before the diseases whose
    # names merely contain the letters.
    assert results[0] == {
        "kind": "place",
        "group": "Lieu",
        "label": "Centres près de Reims (51)",
        "detail": "51100",
        "url": "/centres/?pres_de=Reims+%2851%29",
    }
    assert "Centre hospitalier universitaire de Reims" in labels
    assert kinds.index("hospital") < kinds.index("disease")
    muco = client.get("/recherche/suggestions/", {"q": "mucoviscidose"}).json()["results"]
    assert muco[0]["label"] == "Mucoviscidose" and muco[0]["url"] == "/maladies/586/"
    assert {"centre", "filiere"} <= {r["kind"] for r in muco}
    assert client.get("/recherche/suggestions/", {"q": "x" * 201}).status_code == 400


@pytest.mark.parametrize(
    "query, target",
    [
        ("Charcot-Marie-Tooth 34000", "/maladies/166/?pres_de=34000"),
        ("mucoviscidose Reims", "/maladies/586/?pres_de=Reims"),
        ("Lyon drépanocytose", "/maladies/232/?pres_de=Lyon"),
    ],
)
def test_a_disease_and_a_place_land_on_the_diseases_nearest_centres(client, query, target):
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 302
    assert response["Location"] == target


@pytest.mark.parametrize(
    "query",
    [
        "chu de reims",
        "reims",
        "zzz Reims",
        # Diseases whose names hold a town's name (Marie, Pierre) or a generic word alone.
        "Charcot Marie",
        "maladie de Charcot Marie",
        "Pierre Robin",
        "syndrome Reims",
        "maladie Paris",
        "cancer Paris",
    ],
)
def test_a_hospital_or_a_place_alone_is_not_taken_for_a_disease(client, query):
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200


# --- after filtering -----------------------------------------------------------------


def test_the_title_gives_the_count_and_the_filters(client):
    hospital = HospitalFactory(city="Reims")
    SiteFactory.create_batch(2, hospital=hospital, kind=SiteKind.COMPETENCE, centre__name="Tst")
    body = client.get("/centres/", {"q": "Tst", "type": "competence"}).content.decode()
    title = re.search(r"<title>(.*?)</title>", body, re.S).group(1)
    assert title.startswith("2 sites trouvés : « Tst », centres de compétences (CCMR)")
    assert 'id="resultats-titre" class="results-count" tabindex="-1"' in body
    assert 'href="#resultats-titre"' in body  # « Aller aux résultats »


# --- references the screen reader follows ---------------------------------------------


def ids_and_references(body):
    ids = set(re.findall(r'\bid="([^"]+)"', body))
    references = set()
    for attribute in ("aria-describedby", "aria-labelledby", "aria-controls", "for"):
        for value in re.findall(rf'\b{attribute}="([^"]+)"', body):
            references.update(value.split())
    return ids, references


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/recherche/?q=reims",
        "/centres/",
        "/centres/?pres_de=zzzzzz&rayon=abc",
        "/maladies/?q=x",
        "/maladies/586/?pres_de=zzzzzz",
        "/mentions-legales/",
    ],
)
def test_every_reference_points_at_an_element(client, url):
    ids, references = ids_and_references(client.get(url).content.decode())
    assert references - ids == set()


def test_the_report_form_ties_its_errors_to_its_fields(client):
    site = SiteFactory()
    response = client.post(
        site.get_absolute_url() + "signaler/", {"reason": "", "reply_email": "pas-une-adresse"}
    )
    body = response.content.decode()
    ids, references = ids_and_references(body)
    assert references - ids == set()
    email = re.search(r'<input type="email"[^>]*>', body).group()
    assert 'autocomplete="email"' in email and 'aria-invalid="true"' in email
    assert "N&#x27;écrivez rien sur votre santé" in body


def test_near_errors_are_tied_to_the_field(client):
    body = client.get("/centres/", {"pres_de": "zzzzzz"}).content.decode()
    field = re.search(r'<input type="text" name="pres_de"[^>]*>', body).group()
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_pres_de_helptext id_pres_de_error"' in field
    assert 'id="id_pres_de_error"' in body


# --- legal pages ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, heading",
    [
        ("/mentions-legales/", "Mentions légales"),
        ("/donnees-personnelles/", "Données personnelles"),
        ("/accessibilite/", "Déclaration d'accessibilité"),
        ("/en/mentions-legales/", "Legal notice"),
        ("/en/donnees-personnelles/", "Personal data"),
        ("/en/accessibilite/", "Accessibility statement"),
    ],
)
def test_legal_pages_answer_in_both_languages_and_are_in_the_footer(client, url, heading):
    body = client.get(url).content.decode()
    assert f"<h1>{heading}</h1>" in body
    prefix = "/en" if url.startswith("/en/") else ""
    for path in ("mentions-legales", "donnees-personnelles", "accessibilite"):
        assert f'href="{prefix}/{path}/"' in body


def test_the_privacy_notice_says_what_a_report_keeps_and_for_how_long(client):
    body = client.get("/donnees-personnelles/").content.decode()
    assert "au bout de 12 mois" in body
    assert "aucune information sur votre santé" in body


def test_the_publisher_is_shown_only_as_the_operator_set_it(client, settings):
    body = client.get("/mentions-legales/").content.decode()
    assert "Non renseigné par l'exploitant de ce site." in body
    settings.PUBLISHER_NAME = "Éditeur synthétique de test"
    settings.PUBLISHER_EMAIL = "contact@example.invalid"
    body = client.get("/mentions-legales/").content.decode()
    assert "Éditeur synthétique de test" in body
    assert 'href="mailto:contact@example.invalid"' in body


# --- English ---------------------------------------------------------------------------


def test_english_disease_pages_use_the_english_nomenclature(client):
    body = client.get("/en/maladies/586/").content.decode()
    assert "<h1>Cystic fibrosis</h1>" in body
    assert 'class="definition"' in body
    assert "Definition: Orphanet, licence CC BY 4.0." in body
    french = client.get("/maladies/586/").content.decode()
    assert "<h1>Mucoviscidose</h1>" in french
    assert "Cystic fibrosis" not in french and 'class="definition"' not in french


def test_english_search_and_suggestions(client):
    body = client.get("/en/maladies/", {"q": "cystic fibrosis"}).content.decode()
    first = re.search(r'<a href="/maladies/(\d+)/">', body) or re.search(
        r'<a href="/en/maladies/(\d+)/">', body
    )
    assert first.group(1) == "586"
    results = client.get("/en/recherche/suggestions/", {"q": "cystic fib"}).json()["results"]
    assert results[0]["label"] == "Cystic fibrosis"
    response = client.get("/en/recherche/", {"q": "cystic fibrosis Reims"})
    assert response["Location"] == "/en/maladies/586/?pres_de=Reims"


def test_proper_names_are_marked_french_on_english_pages(client):
    centre = ReferenceCentreFactory(name="Centre synthétique de test des maladies")
    site = SiteFactory(centre=centre, service="Service de dermatologie (Department of Test)")
    url = site.get_absolute_url()  # before a request to /en/ leaves English active here
    english = client.get("/en" + url).content.decode()
    assert re.search(r'<span lang="fr">[^<]*Centre synthétique de test des maladies', english)
    assert '<span lang="en">Department of Test</span>' in english
    french = client.get(url).content.decode()
    assert '<span lang="fr">' not in french
    assert '<span lang="en">Department of Test</span>' in french


def test_a_result_too_large_for_a_map_asks_to_narrow_it(client, monkeypatch):
    from web.templatetags import maps

    SiteFactory.create_batch(3, kind=SiteKind.REFERENCE)
    monkeypatch.setattr(maps, "MAP_MAX_SITES", 2)
    body = client.get("/centres/").content.decode()
    assert "data-geojson-url" not in body
    assert "plus de 2 sites, affinez la recherche" in body
    monkeypatch.setattr(maps, "MAP_MAX_SITES", 3)
    assert "data-geojson-url" in client.get("/centres/").content.decode()


def test_english_maps_link_the_english_site_pages(client):
    SiteFactory.create_batch(2, kind=SiteKind.REFERENCE)
    assert 'data-path-prefix="/en"' in client.get("/en/centres/").content.decode()
    assert "data-path-prefix" not in client.get("/centres/").content.decode()


def test_the_404_language_switch_never_links_to_another_site(client):
    for path in ("/en//evil.example/x", "/en/%2F%2Fevil.example/", "//evil.example/x"):
        body = client.get(path).content.decode()
        links = re.findall(r'class="language-switch" href="([^"]+)"', body)
        assert links and all(link.startswith("/") and not link.startswith("//") for link in links)


def test_a_report_sent_from_an_english_page_reaches_the_staff_in_french(client, mailoutbox):
    from django.contrib.auth import get_user_model

    from hospitals.enums import MembershipRole
    from hospitals.models import HospitalMembership

    site = SiteFactory()
    user = get_user_model().objects.create_user(
        "editrice-test", email="editrice@example.invalid", is_staff=True
    )
    HospitalMembership.objects.create(user=user, hospital=site.hospital, role=MembershipRole.EDITOR)
    url = site.get_absolute_url()
    response = client.post("/en" + url + "signaler/", {"reason": "telephone", "message": "x"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject.startswith("Signalement d'erreur")
    assert f"http://testserver{url}" in mail.body and "/en/" not in mail.body


def test_subdomain_tile_servers_get_a_wildcard_host():
    tiles = {"MAP_TILE_URL": "https://{s}.tile.example.invalid/{z}/{x}/{y}.png"}
    assert settings_in_subprocess("settings.CSP_TILE_HOSTS", **tiles) == str(
        ["https://*.tile.example.invalid"]
    )


def test_the_legal_pages_name_the_tile_server_when_there_is_one(client, settings):
    assert (
        "Les fonds des cartes sont chargés depuis"
        not in client.get("/mentions-legales/").content.decode()
    )
    settings.MAP_TILE_URL = "https://tile.example.invalid/{z}/{x}/{y}.png"
    settings.CSP_TILE_HOSTS = ["https://tile.example.invalid"]
    for url in ("/mentions-legales/", "/donnees-personnelles/"):
        body = client.get(url).content.decode()
        assert "Les fonds des cartes sont chargés depuis https://tile.example.invalid" in body
    assert "5 par heure au plus" in client.get("/donnees-personnelles/").content.decode()
