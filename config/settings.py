"""Settings for the rare-disease centre directory.

Every value that differs between machines is read from the environment here, and
only here. Bad values fail loudly at start-up (ImproperlyConfigured) rather than
silently falling back to something unsafe.

Environment variables:
    SECRET_KEY      required unless DEBUG is on
    DEBUG           "1"/"true"/"yes"/"on" or "0"/"false"/"no"/"off"; default off
    ALLOWED_HOSTS   comma-separated host names; default "localhost,127.0.0.1"
    DATABASE_URL    e.g. postgres://root@127.0.0.1:5432/postgres; default: SQLite file
    EMAIL_BACKEND   dotted path of Django's e-mail backend; default: the console
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_list, env_str

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
    "django.contrib.postgres",
    "django_filters",
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
    "whitenoise.middleware.WhiteNoiseMiddleware",
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
# Lock a username on one address after 5 failed logins, for one hour (per address as
# well as per username, so that a whole hospital network is not locked out by one
# person's mistakes).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"

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
            "NAME": BASE_DIR / "db.sqlite3",
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface is written in French; message ids are the French strings, and other
# languages (English first) are added as translation catalogues in locale/.
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

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=False)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# E-mail (password-setting links for approved access requests, notifications): printed
# on the console unless EMAIL_BACKEND names another backend, e.g.
# django.core.mail.backends.smtp.EmailBackend (which uses Django's EMAIL_HOST, default
# localhost:25).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", default="") or (
    "django.core.mail.backends.console.EmailBackend"
)

# Number of sites per page on /centres/.
CENTRES_PAGE_SIZE = 20

# "Signaler une erreur": reports accepted per client address (django-ratelimit, which
# counts in the default cache: use a cache shared by all workers in production).
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
