"""Behind a reverse proxy, over HTTPS: settings from the environment, the client's
real address, security headers, and `check --deploy` with production settings."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings

from common.http import client_ip
from tests.factories import SiteFactory
from tests.ops.test_shared_cache import settings_in_subprocess

PRODUCTION_ENV = settings.BASE_DIR / "deploy" / "production.env.example"


def production_env():
    env = {}
    for line in PRODUCTION_ENV.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name.strip()] = value.strip()
    return env


def test_check_deploy_is_clean_with_the_production_settings():
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("SECURE_", "HTTPS", "TRUSTED_", "CSRF_", "REDIS", "DATABASE", "DJANGO_ALLOW")
        )
    }
    clean.update(production_env(), DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_https_turns_on_redirect_cookies_and_hsts():
    values = settings_in_subprocess(
        "(settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE, "
        "settings.CSRF_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS, "
        "settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD)",
        HTTPS="1",
    )
    assert values == "(True, True, True, 31536000, True, True)"
    assert (
        settings_in_subprocess("settings.SECURE_HSTS_SECONDS", HTTPS="1", SECURE_HSTS_SECONDS="600")
        == "600"
    )
    assert settings_in_subprocess("settings.SECURE_SSL_REDIRECT") == "False"  # make run


def test_proxy_headers_are_trusted_only_when_a_proxy_is_declared():
    assert settings_in_subprocess("settings.SECURE_PROXY_SSL_HEADER") == "None"
    assert (
        settings_in_subprocess("settings.SECURE_PROXY_SSL_HEADER", TRUSTED_PROXY_COUNT="1")
        == "('HTTP_X_FORWARDED_PROTO', 'https')"
    )
    assert (
        settings_in_subprocess(
            "settings.CSRF_TRUSTED_ORIGINS",
            CSRF_TRUSTED_ORIGINS="https://a.example, https://b.example",
        )
        == "['https://a.example', 'https://b.example']"
    )


@pytest.mark.parametrize("value", ["-1", "two"])
def test_a_bad_proxy_count_fails_loudly(value):
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    clean.update(SECRET_KEY="x" * 50, TRUSTED_PROXY_COUNT=value)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr


def test_a_post_through_an_https_proxy_passes_the_origin_check(client):
    """Behind a proxy that terminates HTTPS, the browser sends Origin: https://host;
    without SECURE_PROXY_SSL_HEADER Django sees http:// and answers 403."""
    site = SiteFactory(slug="site-proxy")
    client = client.__class__(enforce_csrf_checks=True)
    with override_settings(
        ALLOWED_HOSTS=["annuaire.example.org"],
        SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
        TRUSTED_PROXY_COUNT=1,
    ):
        page = client.get(
            f"/centres/{site.slug}/signaler/",
            HTTP_HOST="annuaire.example.org",
            HTTP_X_FORWARDED_PROTO="https",
        )
        token = page.cookies["csrftoken"].value
        response = client.post(
            f"/centres/{site.slug}/signaler/",
            {"reason": "telephone", "message": "Numéro faux.", "csrfmiddlewaretoken": token},
            HTTP_HOST="annuaire.example.org",
            HTTP_ORIGIN="https://annuaire.example.org",
            HTTP_X_FORWARDED_PROTO="https",
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "10.0.0.1"),  # no proxy declared: the header is the client's word
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.66, 203.0.113.5", "203.0.113.5"),  # a forged first entry is ignored
        (2, "198.51.100.66, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "203.0.113.5", "10.0.0.1"),  # did not come through both proxies
        (1, "", "10.0.0.1"),
    ],
)
def test_the_client_address_is_the_real_clients_behind_trusted_proxies(
    proxies, forwarded, expected
):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_ip(request) == expected


def test_rate_limits_and_lockouts_use_that_address():
    assert settings.RATELIMIT_IP_META_KEY == "common.http.client_ip"
    assert settings.AXES_CLIENT_IP_CALLABLE == "common.http.client_ip"


def test_forged_forwarded_for_does_not_escape_the_rate_limit(client, settings):
    settings.ERROR_REPORT_RATE = "2/h"
    site = SiteFactory(slug="site-forge")
    statuses = [
        client.post(
            f"/centres/{site.slug}/signaler/",
            {"reason": "telephone", "message": "Numéro faux."},
            REMOTE_ADDR="192.0.2.10",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        ).status_code
        for i in range(3)
    ]
    assert statuses == [302, 302, 429]


@pytest.mark.parametrize("url", ["/", "/centres/", "/maladies/586/", "/admin/login/"])
def test_every_response_has_a_csp_and_a_permissions_policy(client, url):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "geolocation=()" in response["Permissions-Policy"]


def test_map_tile_hosts_are_added_by_setting():
    value = settings_in_subprocess(
        "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']",
        CSP_TILE_HOSTS="https://tiles.example.org",
    )
    assert value == "[\"'self'\", 'https://tiles.example.org']"


def test_public_templates_have_no_inline_script_or_style():
    """What the CSP forbids: the pages would silently break."""
    offenders = []
    for folder in ("web/templates", "staff/templates", "hospitals/templates"):
        for path in (settings.BASE_DIR / folder).rglob("*.html"):
            text = path.read_text()
            for needle in ("style=", "<style", "<script>", " onclick=", " onchange="):
                if needle in text:
                    offenders.append(f"{path.relative_to(settings.BASE_DIR)}: {needle}")
    assert offenders == []


def test_make_run_uses_a_random_key_made_on_first_use(tmp_path):
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    assert "local-development-key" not in makefile
    keys = []
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "Makefile").write_text(makefile)
        result = subprocess.run(
            ["make", "-s", ".local-secret-key", "PYTHON=" + sys.executable],
            cwd=tmp_path / folder,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        key_file = tmp_path / folder / ".local-secret-key"
        assert oct(key_file.stat().st_mode & 0o777) == "0o600"
        keys.append(key_file.read_text().strip())
    assert len(keys[0]) >= 50 and keys[0] != keys[1]
    assert ".local-secret-key" in (settings.BASE_DIR / ".gitignore").read_text()
