"""Settings read from the environment fail loudly on bad values."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_list


def run_check(**env):
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_refuses_to_start_without_secret_key_when_not_debugging():
    result = run_check()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_starts_with_a_secret_key():
    assert run_check(SECRET_KEY="x" * 50).returncode == 0


def test_debug_without_secret_key_is_allowed_for_local_work():
    assert run_check(DEBUG="1").returncode == 0


def test_rejects_a_database_url_that_is_not_postgresql():
    result = run_check(SECRET_KEY="x" * 50, DATABASE_URL="mysql://u@localhost/db")
    assert result.returncode != 0
    assert "DATABASE_URL must point to PostgreSQL" in result.stderr


def test_env_bool(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG", default=False) is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env_bool("X_FLAG", default=True) is False
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("X_FLAG", default=False)
    monkeypatch.delenv("X_FLAG")
    assert env_bool("X_FLAG", default=True) is True


def test_env_list(monkeypatch):
    monkeypatch.setenv("X_HOSTS", "a.fr, b.fr")
    assert env_list("X_HOSTS", default=[]) == ["a.fr", "b.fr"]
    monkeypatch.setenv("X_HOSTS", " , ")
    with pytest.raises(ImproperlyConfigured):
        env_list("X_HOSTS", default=[])


def test_site_is_french_by_default(client):
    response = client.get("/")
    assert '<html lang="fr">' in response.content.decode()
    assert settings.LANGUAGE_CODE == "fr"
    assert settings.TIME_ZONE == "Europe/Paris"
