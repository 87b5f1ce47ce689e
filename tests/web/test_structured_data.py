"""Issue #11, §4: found by machines — one canonical link per page, Open Graph, and the
schema.org JSON-LD of the site and hospital pages, with only what the database holds.

Synthetic sites (tests/factories.py) on the session's Orphanet nomenclature."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings

from centres.enums import AgeGroup, SiteKind
from centres.models import CentreCoverage
from tests.factories import FiliereFactory, HospitalFactory, ReferenceCentreFactory, SiteFactory
from web.seo import FILIERE_SPECIALTIES

BASE = "http://testserver"
# https://schema.org/MedicalSpecialty, its enumeration members.
SCHEMA_ORG_SPECIALTIES = {
    "Anesthesia", "Cardiovascular", "CommunityHealth", "Dentistry", "Dermatology",
    "DietNutrition", "Emergency", "Endocrine", "Gastroenterologic", "Genetic", "Geriatric",
    "Gynecologic", "Hematologic", "Infectious", "LaboratoryScience", "Midwifery",
    "Musculoskeletal", "Neurologic", "Nursing", "Obstetric", "Oncologic", "Optometric",
    "Otolaryngologic", "Pathology", "Pediatric", "PharmacySpecialty", "Physiotherapy",
    "PlasticSurgery", "Podiatric", "PrimaryCare", "Psychiatric", "PublicHealth", "Pulmonary",
    "Radiography", "Renal", "RespiratoryTherapy", "Rheumatologic", "SpeechPathology",
    "Surgical", "Toxicologic", "Urologic",
}  # fmt: skip


class Head(HTMLParser):
    """The <head>'s title, links, meta tags and JSON-LD blocks."""

    def __init__(self, html):
        super().__init__()
        self.title, self.links, self.meta, self.jsonld = "", [], [], []
        self._in = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            self.links.append(attrs)
        elif tag == "meta":
            self.meta.append(attrs)
        elif tag == "title" or (tag == "script" and attrs.get("type") == "application/ld+json"):
            self._in = tag
            if tag == "script":
                self.jsonld.append("")

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "script":
            self.jsonld[-1] += data

    def canonicals(self):
        return [link["href"] for link in self.links if link.get("rel") == "canonical"]

    def property(self, name):
        values = [m["content"] for m in self.meta if m.get("property") == name]
        assert len(values) == 1, name
        return values[0]

    def description(self):
        return next(m["content"] for m in self.meta if m.get("name") == "description")

    def data(self):
        assert len(self.jsonld) == 1
        return json.loads(self.jsonld[0])


def head(client, url, status=200, **extra) -> Head:
    response = client.get(url, **extra)
    assert response.status_code == status, url
    return Head(response.content.decode())


def canonical(client, url, **extra) -> str:
    links = head(client, url, **extra).canonicals()
    assert len(links) == 1, f"{url}: {links}"
    return links[0]


def empty_values(data, path=""):
    """Paths of the empty values anywhere in `data`."""
    if isinstance(data, dict):
        return [p for key, value in data.items() for p in empty_values(value, f"{path}.{key}")]
    if isinstance(data, list):
        return [path] if not data else [p for item in data for p in empty_values(item, path)]
    return [path] if data in (None, "") else []


@pytest.fixture
def site():
    hospital = HospitalFactory(
        slug="test-chu",
        name="Hôpital synthétique de test",
        short_name="Test CHU",
        address="1 rue de l'Essai",
        postcode="51100",
        city="Testville",
        switchboard_phone="03 00 00 00 00",
        website="https://hopital.invalid/",
        finess="510000000",
    )
    filiere = FiliereFactory(slug="filnemus", acronym="TESTNEMUS", website="https://f.invalid/")
    centre = ReferenceCentreFactory(filiere=filiere, slug="test-centre", acronym="TCR")
    return SiteFactory(
        centre=centre,
        hospital=hospital,
        slug="test-site",
        coordinating=True,
        phone="03 11 11 11 11",
        email="centre@hopital.invalid",
    )


# --- Canonical links ------------------------------------------------------------


def test_every_public_page_has_one_absolute_canonical_link(client, site):
    for url in [
        "/",
        "/centres/",
        site.get_absolute_url(),
        site.hospital.get_absolute_url(),
        "/hopitaux/",
        "/filieres/",
        site.centre.filiere.get_absolute_url(),
        "/maladies/",
        "/maladies/586/",
        "/recherche/?q=test",
        f"{site.get_absolute_url()}signaler/",
    ]:
        path = url.split("?")[0]
        assert canonical(client, url) == BASE + path


def test_tracking_and_unknown_parameters_are_dropped(client, site):
    url = site.get_absolute_url()
    assert canonical(client, url + "?utm_source=x&fbclid=y&gclid=z") == BASE + url
    assert canonical(client, "/maladies/586/?pres_de=51100&rayon=50") == f"{BASE}/maladies/586/"
    assert canonical(client, "/maladies/?q=mucoviscidose") == f"{BASE}/maladies/"


def test_the_canonical_link_follows_the_request_s_scheme_and_host(client, site):
    url = site.get_absolute_url()
    assert canonical(client, url, secure=True, HTTP_HOST="localhost") == f"https://localhost{url}"


def test_a_list_keeps_its_filters_in_a_fixed_order_with_their_cleaned_values(client, site):
    filiere = site.centre.filiere.slug
    assert (
        canonical(client, f"/centres/?type=reference&utm_campaign=x&filiere={filiere}&age=")
        == f"{BASE}/centres/?filiere={filiere}&type=reference"
    )
    assert canonical(client, "/centres/?region=44") == f"{BASE}/centres/?region=44"
    assert canonical(client, "/centres/?maladie=ORPHA:000586") == f"{BASE}/centres/?maladie=586"
    assert canonical(client, "/centres/?hopital=test-chu") == f"{BASE}/centres/?hopital=test-chu"


def test_a_centre_s_canonical_link_is_its_page(client, site):
    url = site.centre.get_absolute_url()
    assert canonical(client, url + "&utm_source=lettre") == BASE + url


def test_search_refinements_are_not_canonical(client, site):
    assert canonical(client, "/centres/?q=test") == f"{BASE}/centres/"
    assert canonical(client, "/centres/?region=44&pres_de=51100&rayon=30") == (
        f"{BASE}/centres/?region=44"
    )


def test_invalid_filters_point_to_the_whole_list(client, site):
    assert canonical(client, "/centres/?filiere=inconnue&region=44") == f"{BASE}/centres/"


def test_a_page_number_is_kept_only_for_a_plain_list(client, settings):
    settings.CENTRES_PAGE_SIZE = 1
    SiteFactory.create_batch(3)
    assert canonical(client, "/centres/?page=2&utm_source=x") == f"{BASE}/centres/?page=2"
    assert canonical(client, "/centres/?page=1") == f"{BASE}/centres/"
    # Out of range: the page shown (the last one).
    assert canonical(client, "/centres/?page=99") == f"{BASE}/centres/?page=3"
    assert canonical(client, "/centres/?page=2&q=test") == f"{BASE}/centres/"


def test_an_error_page_has_no_canonical_link(client):
    assert head(client, "/centres/inconnu/", status=404).canonicals() == []
    assert head(client, "/nulle-part/", status=404).canonicals() == []


# --- Open Graph -------------------------------------------------------------------


def test_open_graph_repeats_the_title_description_and_canonical_url(client, site):
    for url in ["/", "/centres/?region=44", site.get_absolute_url(), "/maladies/586/"]:
        page = head(client, url)
        assert page.title == f"{page.property('og:title')} — Annuaire maladies rares"
        assert page.property("og:description") == page.description()
        assert page.property("og:url") == page.canonicals()[0]
        assert page.property("og:type") == "website"
        assert page.property("og:site_name") == "Annuaire maladies rares"
        assert page.property("og:locale") == "fr_FR"


def test_detail_pages_describe_themselves(client, site):
    description = head(client, site.get_absolute_url()).description()
    assert description == (
        f"Site coordonnateur — centre de référence (CRMR) : {site.centre}, Test CHU "
        "(Testville). Filière TESTNEMUS."
    )
    assert "Hôpital synthétique de test (Testville) : 1 site" in (
        head(client, site.hospital.get_absolute_url()).description()
    )
    assert head(client, "/maladies/586/").description().startswith("Mucoviscidose (ORPHA:586) :")


# --- JSON-LD ----------------------------------------------------------------------


def test_a_site_page_describes_the_site_as_a_medical_clinic(client, site):
    data = head(client, site.get_absolute_url()).data()
    url = f"{BASE}/centres/test-site/"
    assert data == {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "@id": f"{url}#site",
        "name": site.centre.name,
        "description": "Site coordonnateur — centre de référence (CRMR)",
        "url": url,
        "telephone": "03 11 11 11 11",
        "email": "centre@hopital.invalid",
        # No address of its own: its hospital's (Site.address).
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "1 rue de l'Essai",
            "postalCode": "51100",
            "addressLocality": "Testville",
            "addressRegion": "Grand Est",
            "addressCountry": "FR",
        },
        "medicalSpecialty": ["https://schema.org/Neurologic"],
        "parentOrganization": {
            "@type": "Hospital",
            "@id": f"{BASE}/hopitaux/test-chu/#etablissement",
            "name": "Hôpital synthétique de test",
            "url": f"{BASE}/hopitaux/test-chu/",
            "address": data["address"],
            "telephone": "03 00 00 00 00",
        },
        "memberOf": {
            "@type": "MedicalOrganization",
            "name": site.centre.name,
            "alternateName": "TCR",
            "url": f"{BASE}/centres/?crmr=test-centre",
            "memberOf": {
                "@type": "MedicalOrganization",
                "name": f"TESTNEMUS — {site.centre.filiere.name}",
                "url": f"{BASE}/filieres/filnemus/",
                "sameAs": "https://f.invalid/",
            },
        },
    }


def test_a_site_with_little_data_gets_only_that_data(client):
    site = SiteFactory(
        without_hospital=True, kind=SiteKind.UNKNOWN, centre__filiere=None, city="Testbourg"
    )
    data = head(client, site.get_absolute_url()).data()
    assert empty_values(data) == []
    assert "telephone" not in data and "email" not in data and "geo" not in data
    assert "medicalSpecialty" not in data and "parentOrganization" not in data
    assert "description" not in data  # no kind given by the sources
    assert data["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Testbourg",
        "addressRegion": "Bretagne",
        "addressCountry": "FR",
    }
    assert "memberOf" not in data["memberOf"]


def test_a_site_never_gets_its_hospital_s_switchboard_as_its_phone(client, site):
    site.phone = ""
    site.save()
    data = head(client, site.get_absolute_url()).data()
    assert "telephone" not in data
    assert data["parentOrganization"]["telephone"] == "03 00 00 00 00"


def test_a_site_s_own_address_and_coordinates_come_first(client, site):
    site.address = "2 avenue de l'Annexe"
    site.postcode = "51200"
    site.city = "Testbourg"
    site.latitude, site.longitude = 49.25, 4.03
    site.save()
    data = head(client, site.get_absolute_url()).data()
    assert data["address"]["streetAddress"] == "2 avenue de l'Annexe"
    assert data["address"]["postalCode"] == "51200"
    assert data["address"]["addressLocality"] == "Testbourg"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 49.25, "longitude": 4.03}
    assert data["parentOrganization"]["address"]["streetAddress"] == "1 rue de l'Essai"


def test_a_children_s_site_is_paediatric_and_an_unmapped_filiere_gives_no_specialty(client):
    site = SiteFactory(age_group=AgeGroup.CHILDREN)
    assert site.centre.filiere.slug not in FILIERE_SPECIALTIES
    data = head(client, site.get_absolute_url()).data()
    assert data["medicalSpecialty"] == ["https://schema.org/Pediatric"]
    site.age_group = AgeGroup.BOTH
    site.save()
    assert "medicalSpecialty" not in head(client, site.get_absolute_url()).data()


def test_the_specialty_mapping_names_real_filieres_and_schema_org_members():
    fixture = json.loads((settings.BASE_DIR / "fixtures" / "filieres.json").read_text())
    slugs = {row["fields"]["slug"] for row in fixture}
    assert set(FILIERE_SPECIALTIES) <= slugs
    assert set(FILIERE_SPECIALTIES.values()) <= SCHEMA_ORG_SPECIALTIES


def test_a_name_cannot_break_out_of_the_json_ld_block(client, site):
    name = "Test </script><script>alert(1)</script> & <!-- \u2028 « é »"
    site.name = name
    site.save()
    html = client.get(site.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert "<" not in block[1] and ">" not in block[1] and "&" not in block[1]
    assert json.loads(block[1])["name"] == name
    assert "<script>alert" not in html
    assert "<script>" not in html


def test_a_hospital_page_describes_the_hospital_and_its_published_sites(client, site):
    SiteFactory(hospital=site.hospital, slug="test-site-cache", is_published=False)
    data = head(client, site.hospital.get_absolute_url()).data()
    url = f"{BASE}/hopitaux/test-chu/"
    assert empty_values(data) == []
    assert data["@type"] == "Hospital"
    assert data["@id"] == f"{url}#etablissement"
    assert data["name"] == "Hôpital synthétique de test"
    assert data["alternateName"] == "Test CHU"
    assert data["url"] == url
    assert data["sameAs"] == "https://hopital.invalid/"
    assert data["telephone"] == "03 00 00 00 00"
    assert data["address"]["streetAddress"] == "1 rue de l'Essai"
    assert data["identifier"] == [
        {"@type": "PropertyValue", "propertyID": "FINESS", "value": "510000000"}
    ]
    assert data["department"] == [
        {
            "@type": "MedicalClinic",
            "@id": f"{BASE}/centres/test-site/#site",
            "name": site.centre.name,
            "url": f"{BASE}/centres/test-site/",
        }
    ]


def test_a_hospital_with_only_a_name_gets_only_its_name(client):
    hospital = HospitalFactory(slug="test-vide", short_name="", city="", region="")
    data = head(client, hospital.get_absolute_url()).data()
    assert empty_values(data) == []
    assert set(data) == {"@context", "@type", "@id", "name", "url"}


def test_other_pages_have_no_json_ld(client, site):
    for url in ["/", "/centres/", "/filieres/", site.centre.filiere.get_absolute_url()]:
        assert head(client, url).jsonld == []


def test_json_ld_costs_no_query(client, site, django_assert_num_queries):
    CentreCoverage.objects.create(
        centre=site.centre, disease_id=586, justification="Test"
    )  # the site page's scope
    client.get(site.get_absolute_url())  # warm any per-process cache
    # The site page's own queries (tests/centres/test_queries.py): nothing more.
    with django_assert_num_queries(3):
        client.get(site.get_absolute_url())
    with django_assert_num_queries(3):
        client.get(site.hospital.get_absolute_url())
