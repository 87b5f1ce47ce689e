"""Anonymous public pages from the shared cache, always fresh.

`AnonymousPageCacheMiddleware` keeps the anonymous GET answers of the public pages
(HTML and JSON) in the default cache (Redis in production, the database's cache
table otherwise), keyed by the language and the absolute URL (scheme, host, path and
query), each with the public data's version it was rendered at
(`common.versions.PUBLIC_DATA`). The language is the one `PathLocaleMiddleware`
(before this one) read from the path, so an English page (/en/…) and a French one
never share an entry, even if the URL were the same. Every change to what a page
shows bumps that version (web/apps.py), so the next request on any worker finds its
entry older than the current version and renders afresh.

The current version is read from the shared cache too (`common.versions.shared_state`),
in the same round trip as the page: a cached page is answered without the database.

The same version gives the pages an `ETag` and a `Last-Modified`, and a
`Cache-Control: public, max-age=PUBLIC_PAGE_MAX_AGE`, so that a proxy or a CDN can
keep them too, and a conditional request gets a 304 without rendering anything.

Never cached, never marked public: requests of a visitor with a session (staff) or
with messages waiting, anything but GET and HEAD, the admin and the account pages,
and any answer that sets a cookie (a form's CSRF token), varies on cookies, marks
itself private or no-cache, or is not a 200 or a 301.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from common.versions import PUBLIC_DATA, shared_state, state_key

CACHEABLE_STATUSES = {200, 301}
# Answers of the public site that depend on the visitor: never cached.
PRIVATE_PREFIXES = ("/admin/", "/compte/")
# The messages framework's cookie (a report sent, an access requested).
MESSAGES_COOKIE = "messages"
STATE_KEY = state_key(PUBLIC_DATA)


class PathLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware without its `Vary: Accept-Language`. With
    `prefix_default_language=False`, a page's language is its path's (English under
    /en/, French everywhere else) and never the browser's, so no answer varies on that
    header; saying it would only split the entries of proxies and CDNs by browser
    language. The `Content-Language` header is kept."""

    def process_response(self, request, response):
        vary = response.get("Vary")
        response = super().process_response(request, response)
        if vary is not None:
            response["Vary"] = vary
        elif response.has_header("Vary"):
            del response["Vary"]
        return response


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_ENABLED or not _is_anonymous_read(request):
            return self.get_response(request)
        language = _language(request)
        key = _key(request, language)
        found = cache.get_many([STATE_KEY, key])
        version, changed_at = shared_state(PUBLIC_DATA, found)
        etag = f'"{version}-{language}"'
        # Whole seconds, as HTTP dates are (the ETag tells changes within one second).
        last_modified = int(changed_at.timestamp()) if changed_at else None
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:  # the client's copy is the current one
            _mark_public(not_modified, etag, last_modified)
            return not_modified
        stored = found.get(key)
        if stored is not None and stored[0] == version:
            return _rebuild(stored)
        response = self.get_response(request)
        if not _is_cacheable(response):
            return response
        _mark_public(response, etag, last_modified)
        cache.set(key, _freeze(response, version), settings.PAGE_CACHE_SECONDS)
        return response


def _language(request) -> str:
    """The page's language, as PathLocaleMiddleware set it; else read from the path
    as it does, never the thread's active language, which may be a previous
    request's."""
    return getattr(request, "LANGUAGE_CODE", None) or (
        translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    )


def _is_anonymous_read(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(PRIVATE_PREFIXES)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
    )


def _is_cacheable(response) -> bool:
    if response.status_code not in CACHEABLE_STATUSES or response.streaming:
        return False
    if response.cookies:
        return False
    vary = {value.strip().lower() for value in response.get("Vary", "").split(",")}
    if "cookie" in vary or "*" in vary:
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-cache", "no-store"))


def _mark_public(response, etag: str, last_modified: int | None) -> None:
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGE_MAX_AGE)


def _key(request, language: str) -> str:
    # Scheme and host too: pages write absolute links (canonical, sitemaps).
    url = request.build_absolute_uri(request.get_full_path())
    digest = hashlib.sha256(url.encode()).hexdigest()[:32]
    return f"page:{language}:{digest}"


def _freeze(response, version: int) -> tuple:
    return (version, response.status_code, list(response.items()), response.content)


def _rebuild(stored) -> HttpResponse:
    _version, status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response
