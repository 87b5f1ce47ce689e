"""Settings for the rare-disease centre directory.

Every value that differs between machines is read from the environment here, and
only here. Bad values fail loudly at start-up (ImproperlyConfigured) rather than
silently falling back to something unsafe.

Environment variables:
    SECRET_KEY      required unless DEBUG is on
    DEBUG           "1"/"true"/"yes"/"on" or "0"/"false"/"no"/"off"; default off
    ALLOWED_HOSTS   comma-separated host names; default "localhost,127.0.0.1"
    DATABASE_URL    e.g. postgres://root@127.0.0.1:5432/postgres; default: SQLite file
    SQLITE_PATH     where that SQLite file is; default: db.sqlite3 in the project
    REDIS_URL       e.g. redis://127.0.0.1:6379/0: the shared cache (rate limits...);
                    default: a cache table in the database
    EMAIL_BACKEND   dotted path of Django's e-mail backend; default: the console
    EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS,
    EMAIL_USE_SSL   the SMTP server (default localhost:25, no login)
    DEFAULT_FROM_EMAIL, SERVER_EMAIL   the sender address of the site's e-mails
  Behind a reverse proxy, over HTTPS (README, "Deployment"):
    HTTPS                   "1" when the public site is served over HTTPS: turns on
                            the redirect, secure cookies and HSTS (each below can
                            still be set on its own)
    TRUSTED_PROXY_COUNT     how many reverse proxies of yours stand in front of the
                            app (default 0: X-Forwarded-* headers are ignored)
    CSRF_TRUSTED_ORIGINS    comma-separated origins, e.g. https://annuaire.example.org
    SECURE_SSL_REDIRECT, SECURE_COOKIES, SECURE_HSTS_SECONDS,
    SECURE_HSTS_INCLUDE_SUBDOMAINS, SECURE_HSTS_PRELOAD
  Maps (Leaflet, vendored):
    MAP_TILE_URL            the tile server, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png
                            (production); default none: markers on a blank map
    MAP_TILE_ATTRIBUTION    the tiles' attribution, HTML (default OpenStreetMap's)
    CSP_TILE_HOSTS          hosts allowed for map tiles (img-src); default: MAP_TILE_URL's
  Who runs this instance (mentions légales, données personnelles, accessibilité):
    PUBLISHER_NAME, PUBLISHER_ADDRESS, PUBLISHER_EMAIL   the publisher and its contact
    HOST_NAME, HOST_ADDRESS                              the hosting provider
  Anonymous pages (web/pagecache.py):
    PAGE_CACHE              "0" turns the server-side page cache off (default on)
    PAGE_CACHE_SECONDS      how long a cached page is kept at most (default a day)
    PUBLIC_PAGE_MAX_AGE     Cache-Control max-age of anonymous pages (default 60 s)
  Read API (web/api.py):
    API_RATE_LIMIT          requests per client address, e.g. "120/m" (the default)
"""

import re
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(`make run` provides a local one), or set DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])

INSTALLED_APPS = [
    # The two presentation layers come first: their templates (the password pages,
    # the error pages) take precedence over those of Django's apps.
    "web",
    "staff",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Its sitemap.xml templates (web/sitemaps.py); without django.contrib.sites, the
    # domain is the request's.
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "django_ratelimit",
    "corsheaders",
    "ninja",
    "csp",
    "simple_history",
    "axes",
    "common",
    "hospitals",
    "filieres",
    "centres",
    "diseases",
    "communes",
    "initial_data",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CORS headers on the open data (CORS_URLS_REGEX), cached answers included.
    "corsheaders.middleware.CorsMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The page's language from its path only (/en/… English, every other URL French;
    # never the browser's Accept-Language): before the page cache, which keys on it.
    "web.pagecache.PathLocaleMiddleware",
    # Anonymous public pages from the shared cache (web/pagecache.py): before the
    # session, CSRF and auth middleware, which a cached answer does not need. The
    # middleware above still add their headers to it.
    "web.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Brute-force protection of the admin login; must stay last.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Brute force on the admin login (django-axes): a username is locked after 10 failed
# logins from any addresses, and an address after 10 failures on any usernames, for
# one hour. The failures are rows in the database, so the lockout holds across every
# worker and machine (and keeps working if Redis is down); the address is the real
# client's behind TRUSTED_PROXY_COUNT proxies (common.http.client_ip).
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "common.http.client_ip"
AXES_LOCKOUT_CALLABLE = "staff.lockout.lockout_response"

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite with several gunicorn workers: write-ahead logging (readers do not block the
# writer), a busy timeout, and transactions that take the write lock when they begin,
# so that two concurrent saves wait for each other instead of failing with "database
# is locked" (the second then sees the first's version, as on PostgreSQL).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}

DATABASE_URL = env_str("DATABASE_URL", default="")
if DATABASE_URL:
    try:
        _db = dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:  # unknown scheme, unparsable URL
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
    if _db["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "DATABASE_URL must point to PostgreSQL (postgres://…); "
            "leave it unset to use the embedded SQLite database."
        )
    DATABASES = {"default": _db}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", default="") or BASE_DIR / "db.sqlite3",
            "OPTIONS": SQLITE_OPTIONS,
            # Each worker keeps its connection (opening one and running the PRAGMAs
            # costs more than a cached page's whole answer), as PostgreSQL's does above.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        # ASVS 2.1.1: at least 12 characters.
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface is written in French; message ids are the French strings, and other
# languages (English first) are added as translation catalogues in locale/. French at
# every page's own path, English under /en/ (config/urls.py).
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("Anglais"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed files with hashed names; needs `collectstatic` (done by `make run`).
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The cache shared by every worker and machine: django-ratelimit's counters (error
# reports, access requests) and any cached page. Redis in production; without
# REDIS_URL, a table in the database (created by `createcachetable`, which `make run`
# runs), never per-process memory. If Redis goes away the site keeps answering: cache
# errors are logged and treated as misses, and the rate limits then let requests
# through (RATELIMIT_FAIL_OPEN: a report or an access request is never refused
# because the cache is down; the honeypot still drops bots).
REDIS_URL = env_str("REDIS_URL", default="")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            "REDIS_URL must be a redis://, rediss:// or unix:// URL, e.g. redis://127.0.0.1:6379/0."
        )
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", default="annuaire"),
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,  # seconds: a dead Redis must not hang pages
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {
            "BACKEND": "common.cache.DatabaseCache",
            "LOCATION": "cache_entries",
            # Django culls at 300 entries by default: too few for the cached pages.
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
    # django-ratelimit only knows the cache backends of Django and django-redis; this
    # one is Django's database cache with an atomic increment (common/cache.py).
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
RATELIMIT_FAIL_OPEN = True
RATELIMIT_IP_META_KEY = "common.http.client_ip"

# HTTPS and the reverse proxy. Nothing here trusts a header that a client can forge
# unless TRUSTED_PROXY_COUNT says proxies of ours set it.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT:
    # The proxy tells whether the client used HTTPS (it must overwrite this header).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])
HTTPS = env_bool("HTTPS", default=False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=HTTPS)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Maps: Leaflet draws markers from the page's data; tiles come from MAP_TILE_URL only.
MAP_TILE_URL = env_str("MAP_TILE_URL", default="")
if MAP_TILE_URL and not re.fullmatch(r"https?://[^/\s]+/\S*\{z\}\S*", MAP_TILE_URL):
    raise ImproperlyConfigured(
        f"MAP_TILE_URL must be an http(s) tile address with {{z}}, {{x}} and {{y}}, "
        f"not {MAP_TILE_URL!r}."
    )
MAP_TILE_ATTRIBUTION = env_str(
    "MAP_TILE_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)

# Content-Security-Policy (django-csp): everything from this site, no inline script or
# style, no framing. Map tiles come from CSP_TILE_HOSTS, by default MAP_TILE_URL's host.
CSP_TILE_HOSTS = env_list(
    "CSP_TILE_HOSTS",
    # "https://{s}.tile.example/…" (subdomains a, b, c) allows "https://*.tile.example".
    default=[re.match(r"https?://[^/]+", MAP_TILE_URL).group(0).replace("{s}", "*")]
    if MAP_TILE_URL
    else [],
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, *CSP_TILE_HOSTS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy (django-permissions-policy): no powerful feature is used.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# E-mail (password-setting links for approved access requests, notifications): printed
# on the console unless EMAIL_BACKEND names another backend, e.g.
# django.core.mail.backends.smtp.EmailBackend (which uses Django's EMAIL_HOST, default
# localhost:25).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", default="") or (
    "django.core.mail.backends.console.EmailBackend"
)
# The SMTP server of django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = env_str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env_int("EMAIL_PORT", default=25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set EMAIL_USE_TLS (STARTTLS) or EMAIL_USE_SSL, not both.")
EMAIL_TIMEOUT = 10
# The sender of every e-mail (password links, notifications of reports and requests);
# SERVER_EMAIL, of Django's error e-mails.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="webmaster@localhost")
SERVER_EMAIL = env_str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# Anonymous public pages (web/pagecache.py): kept in the shared cache until the public
# data changes (at most PAGE_CACHE_SECONDS), and marked `public, max-age` for proxies
# and browsers, which may then show a page up to that long after an edit.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", default=True)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", default=24 * 3600, minimum=1)
PUBLIC_PAGE_MAX_AGE = env_int("PUBLIC_PAGE_MAX_AGE", default=60)

# Open data and the read API may be read from any web page (GET only, no cookies).
CORS_URLS_REGEX = r"^/(api/|donnees/|centres\.(csv|json|geojson)$)"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False
# Read API: requests per client address, counted in the shared cache (web/api.py).
API_RATE_LIMIT = env_str("API_RATE_LIMIT", default="120/m")
if not re.fullmatch(r"[1-9][0-9]*/[smhd]", API_RATE_LIMIT):
    raise ImproperlyConfigured(
        f"API_RATE_LIMIT must read like 120/m (per s, m, h or d), not {API_RATE_LIMIT!r}."
    )

# Who publishes and hosts this instance: shown on /mentions-legales/ and the privacy
# notice; the code cannot know it, and the pages say so while it is unset.
PUBLISHER_NAME = env_str("PUBLISHER_NAME", default="")
PUBLISHER_ADDRESS = env_str("PUBLISHER_ADDRESS", default="")
PUBLISHER_EMAIL = env_str("PUBLISHER_EMAIL", default="")
HOST_NAME = env_str("HOST_NAME", default="")
HOST_ADDRESS = env_str("HOST_ADDRESS", default="")

# Number of sites per page on /centres/.
CENTRES_PAGE_SIZE = 20

# "Signaler une erreur": reports accepted per client address (django-ratelimit, which
# counts in the shared default cache above).
ERROR_REPORT_RATE = "5/h"
# "Demander un accès" (hospital staff asking for an editor access): requests accepted
# per client address, counted the same way.
ACCESS_REQUEST_RATE = "5/h"
# A site whose information was not confirmed for this long is flagged "à vérifier".
VERIFICATION_MAX_AGE_DAYS = 365

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
