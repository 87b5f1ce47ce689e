"""Test settings: fast, deterministic, no collectstatic needed."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("DEBUG", "0")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The cache is the real one (settings.py): the database's cache table, or Redis when
# REDIS_URL is set (`make pytest-postgres` uses the machine's Redis); tests/conftest.py
# empties it before each test.
# Pinned query counts measure the views: the page cache is on only in the tests of it
# (tests/web/test_page_cache.py), which turn it on explicitly.
PAGE_CACHE_ENABLED = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Undefined template variables show up loudly in tests instead of rendering as "".
TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = "«INVALID %s»"  # noqa: F405
# Serve static files straight from static/ (no collectstatic), as in development.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
