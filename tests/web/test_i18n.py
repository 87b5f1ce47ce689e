"""The site in two languages: French at every page's own path, English under /en/
(config/urls.py, LocaleMiddleware through web.pagecache.PathLocaleMiddleware), the
language switch and the alternate links (web/templatetags/i18n_links.py), the page
cache per language, the sitemaps in both languages, and the URLs that have one
language only (the API, the data files, robots.txt, the sitemaps)."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from tests.factories import SiteFactory

ACCEPT_ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}
SITEMAP_NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}


@pytest.fixture(autouse=True)
def _french_afterwards():
    """LocaleMiddleware leaves the last request's language active in the thread:
    back to French, so that an English request does not change the URLs that the
    next test reverses."""
    yield
    translation.activate("fr")


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()


@pytest.fixture
def site():
    return SiteFactory(slug="test-i18n", coordinating=True)


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def render_in_page(response, template_code: str) -> str:
    """`template_code` rendered as if it were part of the page `response` answered:
    its request (resolved) and context, in its language."""
    request = response.wsgi_request
    context = {}
    for layer in response.context or []:  # a ContextList: one Context per template
        context.update(layer.flatten())
    with translation.override(response["Content-Language"]):
        return Template("{% load i18n_links %}" + template_code).render(
            Context({**context, "request": request})
        )


def switch_of(response) -> str:
    request = response.wsgi_request
    with translation.override(response["Content-Language"]):
        return render_to_string("includes/language_switch.html", request=request).strip()


# --- Which language a URL serves ---------------------------------------------------


def test_the_english_home_page_is_in_english(client):
    response = client.get("/en/")
    assert response.status_code == 200
    assert html_lang(response) == "en"
    assert response["Content-Language"] == "en"
    text = response.content.decode()
    assert "Find a rare disease expert centre" in text
    assert "Trouver un centre expert maladies rares" not in text


def test_a_french_url_stays_french_whatever_the_browser_asks(client):
    response = client.get("/", **ACCEPT_ENGLISH)
    assert response.status_code == 200  # never a redirect to /en/
    assert html_lang(response) == "fr"
    assert response["Content-Language"] == "fr"
    assert "Trouver un centre expert maladies rares" in response.content.decode()


def test_pages_do_not_vary_on_the_browser_language(client):
    # The language is the path's: saying Vary: Accept-Language would only split the
    # entries of proxies and CDNs.
    for url in ("/", "/en/", "/robots.txt", "/api/v1/filieres"):
        response = client.get(url, **ACCEPT_ENGLISH)
        assert "accept-language" not in response.get("Vary", "").lower(), url


def test_an_english_list_keeps_its_filter_and_shows_english_labels(client, site):
    response = client.get("/en/centres/?region=44")
    assert response.status_code == 200
    assert html_lang(response) == "en"
    text = response.content.decode()
    assert "Clear the filters" in text
    assert "Effacer les filtres" not in text
    # The filter is applied: Grand Est (44) is selected in the form.
    assert re.search(r'<option value="44"[^>]*selected', text)


def test_the_english_404_page_is_in_english(client):
    response = client.get("/en/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert html_lang(response) == "en"
    assert "Page not found" in response.content.decode()
    french = client.get("/cette-page-n-existe-pas/", **ACCEPT_ENGLISH)
    assert french.status_code == 404
    assert "Page introuvable" in french.content.decode()


def test_english_anonymous_pages_set_no_cookie(client, page_cache, site):
    for url in (
        "/en/",
        "/en/centres/?region=44",
        "/en" + site.get_absolute_url(),
        "/en/maladies/586/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, url
        assert "public" in response["Cache-Control"], url


# --- The language switch and the alternate links -----------------------------------


def test_the_switch_on_a_french_page_links_to_the_same_english_page_with_its_query(client):
    response = client.get("/centres/?region=44&type=competence")
    link = switch_of(response)
    assert 'href="/en/centres/?region=44&amp;type=competence"' in link
    assert 'hreflang="en"' in link
    assert 'lang="en">English</a>' in link


def test_the_switch_on_an_english_page_links_to_the_french_page(client):
    response = client.get("/en/maladies/586/?pres_de=51100")
    link = switch_of(response)
    assert 'href="/maladies/586/?pres_de=51100"' in link
    assert 'hreflang="fr"' in link
    assert 'lang="fr">Français</a>' in link


def test_the_switch_on_a_not_found_page_links_to_the_other_language_s_404(client):
    response = client.get("/en/nulle-part/")
    assert 'href="/nulle-part/"' in switch_of(response)


def test_a_page_in_one_language_only_has_no_switch(rf):
    # Staff pages (the admin, the account pages) are in French only.
    from django.urls import resolve

    request = rf.get("/compte/mot-de-passe/enregistre/")
    request.resolver_match = resolve(request.path_info)
    assert render_to_string("includes/language_switch.html", request=request).strip() == ""


def test_alternate_links_name_both_languages_and_french_as_default(client, site):
    response = client.get("/en/centres/?region=44&utm_source=x")
    links = render_in_page(response, "{% alternate_links %}")
    assert links.splitlines() == [
        '<link rel="alternate" hreflang="fr" href="http://testserver/centres/?region=44">',
        '  <link rel="alternate" hreflang="en" href="http://testserver/en/centres/?region=44">',
        '  <link rel="alternate" hreflang="x-default" href="http://testserver/centres/?region=44">',
    ]


def test_the_canonical_url_is_the_page_s_own_language(client, site):
    path = site.get_absolute_url()
    french = client.get(path)
    english = client.get("/en" + path)
    canonical = re.compile(r'<link rel="canonical" href="([^"]+)">')
    assert canonical.search(french.content.decode()).group(1) == "http://testserver" + path
    assert canonical.search(english.content.decode()).group(1) == "http://testserver/en" + path


def test_an_error_page_has_no_alternate_links(client):
    response = client.get("/en/nulle-part/")
    assert render_in_page(response, "{% alternate_links %}").strip() == ""


# --- The page cache per language ---------------------------------------------------


def test_the_page_cache_never_serves_one_language_for_the_other(client, page_cache, site):
    for _round in range(2):  # the second round is served from the cache
        french = client.get("/centres/")
        english = client.get("/en/centres/")
        assert html_lang(french) == "fr" and "Effacer les filtres" in french.content.decode()
        assert html_lang(english) == "en" and "Clear the filters" in english.content.decode()
        assert french["ETag"] != english["ETag"]


def test_the_cache_key_is_the_path_s_language_not_the_thread_s(client, page_cache, site):
    # A French page cached while English was the thread's language (a previous
    # request's) is still French, and served as French.
    with translation.override("en"):
        first = client.get("/filieres/")
    assert html_lang(first) == "fr"
    second = client.get("/filieres/", **ACCEPT_ENGLISH)
    assert html_lang(second) == "fr"
    assert second.content == first.content


# --- Sitemaps ----------------------------------------------------------------------


def test_the_sitemap_lists_both_languages_with_their_alternates(client, site):
    path = site.get_absolute_url()
    response = client.get("/sitemap-centres.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    entries = {}
    for url in root.iterfind("sm:url", SITEMAP_NS):
        alternates = {
            link.get("hreflang"): link.get("href")
            for link in url.iterfind("xhtml:link", SITEMAP_NS)
        }
        entries[url.find("sm:loc", SITEMAP_NS).text] = alternates
    french = "http://testserver" + path
    english = "http://testserver/en" + path
    expected = {"fr": french, "en": english, "x-default": french}
    assert entries[french] == expected
    assert entries[english] == expected


# --- URLs with one language only ---------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/api/v1/filieres", "/api/v1/openapi.json", "/robots.txt", "/sitemap.xml"],
)
def test_the_api_robots_and_sitemaps_are_at_their_url_and_not_under_en(client, url):
    response = client.get(url, **ACCEPT_ENGLISH)
    assert response.status_code == 200
    assert client.get("/en" + url).status_code == 404


def test_the_downloads_are_unchanged(client, site):
    for url in ("/centres.csv", "/donnees/datapackage.json", "/donnees/sites.csv"):
        response = client.get(url, **ACCEPT_ENGLISH)
        assert response.status_code == 200, url
    assert client.get("/en/centres.csv").status_code == 404
    # The open data page itself is translated.
    page = client.get("/en/donnees/")
    assert page.status_code == 200 and html_lang(page) == "en"
    assert "Open data" in page.content.decode()


def test_the_admin_stays_french_only(client):
    assert client.get("/admin/login/").status_code == 200
    assert client.get("/en/admin/login/").status_code == 404


def test_the_cache_reads_the_language_from_the_path_never_from_the_thread(rf):
    from web.pagecache import _language

    with translation.override("en"):
        assert _language(rf.get("/centres/")) == "fr"
    with translation.override("fr"):
        assert _language(rf.get("/en/centres/")) == "en"
