"""Issue #11, §4: found by machines — /sitemap.xml (an index of one sitemap per kind
of page) and /robots.txt pointing to it.

Synthetic sites (tests/factories.py) on the session's Orphanet nomenclature, and the
real sourced directory (fixtures/) for the disease pages."""

import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from centres.matching import disease_centres
from centres.models import CentreCoverage, Site
from diseases.enums import DiseaseStatus
from diseases.models import ClassificationEdge, Disease, FiliereCoverage
from filieres.models import Filiere
from hospitals.models import Hospital
from tests.factories import FiliereFactory, HospitalFactory, ReferenceCentreFactory, SiteFactory
from web.sitemaps import ENTRY_PAGES, NOT_LISTED, SITEMAPS, DiseaseSitemap

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE = "http://testserver"


def locations(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return [loc.text for loc in ET.fromstring(response.content).iterfind(".//sm:loc", NS)]


def all_urls(client) -> list[str]:
    """Every URL of every sitemap the index lists."""
    urls = []
    for sitemap_url in locations(client.get("/sitemap.xml")):
        assert sitemap_url.startswith(BASE + "/sitemap-")
        urls += locations(client.get(sitemap_url.removeprefix(BASE)))
    return urls


@pytest.fixture
def directory():
    """A published site, an unpublished one (alone in its centre), a hospital and a
    filière of their own."""
    shown = SiteFactory(slug="test-site-publie", coordinating=True)
    hidden = SiteFactory(slug="test-site-non-publie", is_published=False)
    return shown, hidden


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_staff_pages(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /compte/" in lines
    # Absolute, as the protocol requires: the scheme and host of the request.
    assert lines[-1] == f"Sitemap: {BASE}/sitemap.xml"
    assert not any(line.strip() == "Disallow: /" for line in lines)


def test_robots_txt_over_https_names_the_https_sitemap(client):
    response = client.get("/robots.txt", secure=True, HTTP_HOST="localhost")
    assert response.content.decode().splitlines()[-1] == "Sitemap: https://localhost/sitemap.xml"


def test_the_index_lists_one_sitemap_per_section(client):
    assert locations(client.get("/sitemap.xml")) == [
        f"{BASE}/sitemap-{section}.xml" for section in SITEMAPS
    ]


def test_every_published_site_hospital_and_filiere_is_listed_at_its_current_url(client, directory):
    shown, _hidden = directory
    urls = set(all_urls(client))
    for name in ENTRY_PAGES:
        assert BASE + reverse(name) in urls
    for site in Site.objects.published():
        assert BASE + site.get_absolute_url() in urls
    for hospital in Hospital.objects.all():
        assert BASE + hospital.get_absolute_url() in urls
    for filiere in Filiere.objects.all():
        assert BASE + filiere.get_absolute_url() in urls
    # A centre's page is the list of its sites.
    assert BASE + shown.centre.get_absolute_url() in urls


def test_unpublished_sites_and_their_empty_centres_are_absent(client, directory):
    _shown, hidden = directory
    urls = all_urls(client)
    assert BASE + hidden.get_absolute_url() not in urls
    assert BASE + hidden.centre.get_absolute_url() not in urls
    assert not [url for url in urls if "non-publie" in url]
    assert len(urls) == len(set(urls))


def test_a_renamed_site_is_listed_under_its_new_slug_only(client):
    site = SiteFactory(slug="test-ancien-nom")
    site.slug = "test-nouveau-nom"
    site.save()
    urls = all_urls(client)
    assert f"{BASE}/centres/test-nouveau-nom/" in urls
    assert f"{BASE}/centres/test-ancien-nom/" not in urls


def test_every_listed_page_answers_200_without_a_redirect(client, directory):
    for url in all_urls(client):
        assert client.get(url.removeprefix(BASE)).status_code == 200, url


def test_listed_disease_pages_answer_200_without_a_redirect(client, directory_data):
    urls = locations(client.get("/sitemap-maladies.xml"))
    for url in urls[:: len(urls) // 20]:
        assert client.get(url.removeprefix(BASE)).status_code == 200, url


def test_a_disease_page_is_listed_when_a_centre_s_scope_reaches_it(client):
    edge = ClassificationEdge.objects.filter(
        parent__status=DiseaseStatus.ACTIVE, child__status=DiseaseStatus.ACTIVE
    ).order_by("pk")[0]
    group, child = edge.parent, edge.child
    site = SiteFactory()
    CentreCoverage.objects.create(centre=site.centre, disease=group, justification="Test")
    listed = DiseaseSitemap().items()
    assert group.pk in listed and child.pk in listed
    assert listed == sorted(listed)
    urls = all_urls(client)
    assert f"{BASE}/maladies/{child.pk}/" in urls
    assert disease_centres(child).centre_matches  # the page does list the centre


def test_a_filiere_s_domain_lists_its_diseases_only_with_a_published_site():
    group = Disease.objects.active().filter(child_edges__isnull=False).order_by("pk")[0]
    filiere = FiliereFactory()
    FiliereCoverage.objects.create(filiere=filiere, disease=group, justification="Test")
    site = SiteFactory(centre=ReferenceCentreFactory(filiere=filiere), is_published=False)
    assert group.pk not in DiseaseSitemap().items()
    site.is_published = True
    site.save()
    assert group.pk in DiseaseSitemap().items()


def test_no_disease_is_listed_without_any_scope():
    assert DiseaseSitemap().items() == []


def test_obsolete_codes_are_never_listed(directory_data):
    listed = set(DiseaseSitemap().items())
    inactive = set(
        Disease.objects.exclude(status=DiseaseStatus.ACTIVE).values_list("pk", flat=True)
    )
    assert listed and not listed & inactive


def test_the_listed_diseases_are_those_whose_page_lists_a_centre(directory_data):
    """Against the disease page's own rule (centres.matching), on a sample of the real
    nomenclature: every 150th active disease, both ways."""
    listed = set(DiseaseSitemap().items())
    assert 586 in listed  # Mucoviscidose
    sample = list(Disease.objects.active().order_by("pk"))[::150]
    published = Site.objects.published()
    for disease in sample:
        matches = disease_centres(disease)
        lists_a_centre = bool(matches.centre_matches) or any(
            published.filter(centre__filiere=match.filiere).exists()
            for match in matches.filiere_matches
        )
        assert (disease.pk in listed) == lists_a_centre, disease


def test_a_section_past_the_protocol_limit_is_split_in_pages(client, directory_data, monkeypatch):
    """50,000 URLs a file at most (sitemaps.org): the index then lists ?p=2, ?p=3..."""
    everything = DiseaseSitemap().items()
    monkeypatch.setattr(DiseaseSitemap, "limit", 1000)
    pages = [url for url in locations(client.get("/sitemap.xml")) if "maladies" in url]
    # Each disease in both languages (i18n sitemaps), French first.
    assert len(pages) == -(-2 * len(everything) // 1000) > 1
    assert pages[1] == f"{BASE}/sitemap-maladies.xml?p=2"
    seen = []
    for page in pages:
        urls = locations(client.get(page.removeprefix(BASE)))
        assert len(urls) <= 1000
        seen += urls
    assert seen == [
        url
        for code in everything
        for url in (f"{BASE}/maladies/{code}/", f"{BASE}/en/maladies/{code}/")
    ]


def test_the_real_sitemap_fits_the_protocol(client, directory_data):
    for section, sitemap in SITEMAPS.items():
        assert sitemap().paginator.count <= sitemap.limit == 50_000, section


def test_an_unknown_section_or_page_is_a_404(client):
    assert client.get("/sitemap-inconnu.xml").status_code == 404
    assert client.get("/sitemap-pages.xml?p=9").status_code == 404
    assert client.get("/sitemap-pages.xml?p=x").status_code == 404
    assert client.post("/sitemap.xml").status_code == 405
    assert client.post("/robots.txt").status_code == 405


def _parameterless_names(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if not pattern.pattern.converters:
                yield from _parameterless_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and not pattern.pattern.converters:
            yield f"{namespace}{pattern.name}"


def test_every_public_page_without_parameters_is_listed_or_said_not_to_be():
    """A new public page is either in the sitemap or named in NOT_LISTED, with why."""
    names = set(_parameterless_names(get_resolver("web.urls")))
    assert names - set(ENTRY_PAGES) - set(NOT_LISTED) == set()
    assert set(ENTRY_PAGES) <= names


def test_robots_and_sitemaps_are_cached_like_public_pages(client, settings, directory):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    for url in ("/robots.txt", "/sitemap.xml", "/sitemap-centres.xml", "/sitemap-maladies.xml"):
        first = client.get(url)
        with CaptureQueriesContext(connection) as queries:
            second = client.get(url)
        assert second.status_code == 200 and second.content == first.content
        assert not first.cookies and "public" in first["Cache-Control"]
        assert len(queries) <= 2, url  # the data version, and the cache table's entry


def test_the_sitemap_follows_the_host_asked(client, directory):
    response = client.get("/sitemap-centres.xml", HTTP_HOST="localhost", secure=True)
    assert locations(response)
    assert all(
        url.startswith(("https://localhost/centres/", "https://localhost/en/centres/"))
        for url in locations(response)
    )


def test_a_hospital_without_a_published_site_is_still_listed(client):
    hospital = HospitalFactory(slug="test-sans-site")
    assert f"{BASE}{hospital.get_absolute_url()}" in all_urls(client)
