"""Issue #10, §1: anonymous public pages come from the shared cache, and are never
stale: every change bumps the public data's version. ETag, Last-Modified, 304s and
Cache-Control let a proxy keep them too; public pages set no cookie.

Runs against the real cache: the database's cache table, or Redis in the PostgreSQL
run. Synthetic sites (tests/factories.py)."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from centres.models import Site
from common.models import DataVersion
from common.versions import PUBLIC_DATA, SHARED_STATE_SECONDS, bump, state, state_key
from tests.factories import SiteFactory

PUBLIC_URLS = [
    "/",
    "/centres/",
    "/centres/?pres_de=51100",
    "/centres/?type=competence",
    "/maladies/586/",
    "/maladies/?q=mucoviscidose",
    "/maladies/suggestions/?q=muco",
    "/hopitaux/",
    "/filieres/",
    "/recherche/?q=muco",
]


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PUBLIC_PAGE_MAX_AGE = 120
    cache.clear()


@pytest.fixture
def site():
    return SiteFactory(slug="test-cache", service="Service d'origine")


def cache_queries() -> int:
    """The database queries of reading the cache: none with Redis (the PostgreSQL
    run), one with the database's cache table."""
    return 0 if settings.REDIS_URL else 1


def queries_of(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries)


def test_a_second_visit_is_served_from_the_cache(client, page_cache, site):
    first, rendered = queries_of(client, site.get_absolute_url())
    second, cached = queries_of(client, site.get_absolute_url())
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    # The version and the page, in one read of the cache: no other query.
    assert cached == cache_queries() < rendered
    assert "Service d&#x27;origine" in second.content.decode()


def test_an_edit_is_seen_at_the_next_request(client, page_cache, site):
    client.get(site.get_absolute_url())
    site.service = "Service renommé"
    site.save()
    assert "Service renommé" in client.get(site.get_absolute_url()).content.decode()


def test_a_write_that_sends_no_signal_is_seen_once_the_version_is_bumped(client, page_cache, site):
    """What the bulk writers (the import, the loaders) do: they bump the version."""
    client.get(site.get_absolute_url())
    Site.objects.filter(pk=site.pk).update(service="Service changé en bloc")
    assert "Service d&#x27;origine" in client.get(site.get_absolute_url()).content.decode()
    bump(PUBLIC_DATA)
    assert "Service changé en bloc" in client.get(site.get_absolute_url()).content.decode()


def test_a_deleted_site_is_gone_at_the_next_request(client, page_cache, site):
    assert client.get(site.get_absolute_url()).status_code == 200
    site.delete()
    assert client.get("/centres/test-cache/").status_code == 404


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_are_public_with_a_validator_and_no_cookie(
    client, page_cache, directory_data, url
):
    response = client.get(url)
    assert response.status_code == 200, url
    assert not response.cookies, url
    assert "public" in response["Cache-Control"]
    assert "max-age=120" in response["Cache-Control"]
    version, _ = state(PUBLIC_DATA)
    assert response["ETag"].startswith(f'"{version}-')
    assert response["Last-Modified"]


def test_the_site_page_sets_no_cookie(client, page_cache, site):
    response = client.get(site.get_absolute_url())
    assert not response.cookies
    assert "public" in response["Cache-Control"]


def test_a_conditional_request_gets_a_304_until_the_data_changes(client, page_cache, site):
    first = client.get(site.get_absolute_url())
    etag, last_modified = first["ETag"], first["Last-Modified"]
    response, count = queries_of(client, site.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert count == cache_queries()  # the version only: nothing rendered
    since = client.get(site.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=last_modified)
    assert since.status_code == 304
    site.service = "Service modifié"
    site.save()
    again = client.get(site.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again["ETag"] != etag


def test_staff_pages_are_neither_cached_nor_public(client, page_cache, site, django_user_model):
    client.get(site.get_absolute_url())  # cached for anonymous visitors
    staff = django_user_model.objects.create_user("staff-cache", password="x", is_staff=True)
    client.force_login(staff)
    response, count = queries_of(client, site.get_absolute_url())
    assert response.status_code == 200
    assert "ETag" not in response
    assert "public" not in response.get("Cache-Control", "")
    assert count > 2  # rendered for them
    admin = client.get("/admin/")
    assert "public" not in admin.get("Cache-Control", "")


def test_posts_and_form_pages_are_never_cached(client, page_cache, site):
    form_page = client.get("/centres/test-cache/signaler/")
    assert form_page.cookies  # its CSRF token
    assert "ETag" not in form_page
    again = client.get("/centres/test-cache/signaler/")
    assert again.cookies  # rendered again, with a token of its own
    response = client.post(
        "/centres/test-cache/signaler/", {"reason": "telephone", "message": "Faux."}
    )
    assert response.status_code == 302


def test_the_thank_you_message_is_shown_though_the_page_was_cached(client, page_cache, site):
    client.get(site.get_absolute_url())
    response = client.post(
        "/centres/test-cache/signaler/",
        {"reason": "telephone", "message": "Le numéro ne répond pas."},
        follow=True,
    )
    assert "Merci : votre signalement a été transmis" in response.content.decode()
    # Then the visitor's next visit is the public page again.
    assert "Merci" not in client.get(site.get_absolute_url()).content.decode()


def test_not_found_pages_are_not_kept(client, page_cache):
    client.get("/centres/test-absent/")
    SiteFactory(slug="test-absent")
    assert client.get("/centres/test-absent/").status_code == 200


def test_each_url_has_its_own_entry(client, page_cache, directory_data):
    first = client.get("/maladies/suggestions/?q=muco")
    second = client.get("/maladies/suggestions/?q=drepano")
    assert first["Content-Type"].startswith("application/json")
    assert first.content != second.content
    assert client.get("/maladies/suggestions/?q=muco").content == first.content


def test_without_the_setting_nothing_is_cached(client, settings, site):
    settings.PAGE_CACHE_ENABLED = False
    client.get(site.get_absolute_url())
    Site.objects.filter(pk=site.pk).update(service="Service changé en bloc")
    assert "Service changé en bloc" in client.get(site.get_absolute_url()).content.decode()


def test_pages_are_served_when_the_cache_is_down(client, page_cache, site):
    down = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1},
        }
    }
    with override_settings(CACHES=down):
        assert client.get(site.get_absolute_url()).status_code == 200
        assert client.get(site.get_absolute_url()).status_code == 200


def test_the_version_is_read_from_the_shared_cache(client, page_cache, site):
    """A cached page needs no query of the version: the shared cache keeps a copy of
    it, which every bump replaces."""
    url = site.get_absolute_url()
    first = client.get(url)
    assert cache.get(state_key(PUBLIC_DATA)) == state(PUBLIC_DATA)
    # Written behind the cache's back (no bump): the copy still answers.
    DataVersion.objects.filter(name=PUBLIC_DATA).update(version=1000)
    assert client.get(url)["ETag"] == first["ETag"]
    cache.delete(state_key(PUBLIC_DATA))  # as a bump does, or the copy's expiry
    assert client.get(url)["ETag"].startswith('"1000-')


def test_a_bump_replaces_the_copy_once_committed(page_cache, django_capture_on_commit_callbacks):
    state(PUBLIC_DATA)
    cache.set(state_key(PUBLIC_DATA), (-1, None))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        bump(PUBLIC_DATA)
        # Until the commit, other processes read the version still committed.
        assert cache.get(state_key(PUBLIC_DATA)) is None
    assert len(callbacks) == 1
    assert cache.get(state_key(PUBLIC_DATA)) == state(PUBLIC_DATA)


@pytest.mark.skipif(not settings.REDIS_URL, reason="reads the expiry from Redis")
def test_the_copy_of_the_version_is_short_lived(client, page_cache, site):
    client.get(site.get_absolute_url())
    assert 0 < cache.ttl(state_key(PUBLIC_DATA)) <= SHARED_STATE_SECONDS
