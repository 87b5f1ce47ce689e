"""The cache behind the rate limits is shared by every worker and machine (Redis in
production, a database table without it), and a dead Redis degrades to "no cache"."""

import json
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings
from django_ratelimit.core import get_usage

from centres.models import ErrorReport
from tests.factories import SiteFactory

# Not the database the PostgreSQL run uses as its cache (15): that run clears it
# between tests, and the SQLite run goes on at the same time.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/12")


def production_caches(redis_url=REDIS_URL):
    """CACHES as config/settings.py builds them for this REDIS_URL, with a key prefix
    of this test's own."""
    code = "__import__('json').dumps(settings.CACHES)"
    return json.loads(
        settings_in_subprocess(code, REDIS_URL=redis_url, CACHE_KEY_PREFIX=uuid.uuid4().hex)
    )


def settings_in_subprocess(expression, **env):
    """Evaluate `expression` in a fresh process started with config.settings and env."""
    return run_with_settings(f"print({expression})", **env)


def run_with_settings(code, **env):
    """Run `code` in a fresh process started with config.settings and env; its output."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    clean.update({"SECRET_KEY": "x" * 50, "DJANGO_SETTINGS_MODULE": "config.settings"}, **env)
    code = "import django\ndjango.setup()\nfrom django.conf import settings\n" + code
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_without_redis_the_default_cache_is_a_database_table_not_process_memory():
    backend = settings_in_subprocess("settings.CACHES['default']['BACKEND']")
    assert backend == "common.cache.DatabaseCache"


def test_redis_url_makes_redis_the_cache():
    backend = settings_in_subprocess(
        "settings.CACHES['default']['BACKEND']", REDIS_URL="redis://127.0.0.1:6379/3"
    )
    assert backend == "django_redis.cache.RedisCache"


def test_a_bad_redis_url_fails_loudly():
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    clean.update(SECRET_KEY="x" * 50, REDIS_URL="http://127.0.0.1:6379")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "REDIS_URL must be" in result.stderr


@pytest.mark.parametrize("redis", [False, True], ids=["no REDIS_URL", "REDIS_URL"])
def test_the_rate_limit_apps_pass_their_own_system_checks(redis):
    env = {"REDIS_URL": "redis://127.0.0.1:6379/3"} if redis else {}
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    clean.update(SECRET_KEY="x" * 50, **env)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "django_ratelimit" in settings_in_subprocess("settings.INSTALLED_APPS", **env)


COUNT_THREE_REQUESTS = """
import os, time
from django.test import RequestFactory
from django_ratelimit.core import get_usage
request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.7")
for _ in range(3):
    usage = get_usage(request, group=os.environ["GROUP"], key="ip", rate="5/h", increment=True)
print(usage["count"], int(time.time()) + usage["time_left"])
"""


def counts_of_two_processes(**env) -> tuple[str, str]:
    """The count each of two processes sees after its 3 requests. A limit's hour ends
    at a fixed second (django-ratelimit's windows): when it ends between the two
    processes, the second starts a new count, so the pair is counted again, in a
    group of its own."""
    for _attempt in range(3):
        group = {"GROUP": uuid.uuid4().hex}
        first, first_end = run_with_settings(COUNT_THREE_REQUESTS, **env, **group).split()
        second, second_end = run_with_settings(COUNT_THREE_REQUESTS, **env, **group).split()
        if first_end == second_end:
            return first, second
    raise AssertionError("every pair of processes straddled the end of a limit's hour")


def test_two_processes_share_one_rate_limit_counter_in_redis():
    """What two gunicorn workers (or two machines) do: each counts 3 requests of the
    same client; the 6th request is over a limit of 5 only if they share the count."""
    env = {"REDIS_URL": REDIS_URL, "CACHE_KEY_PREFIX": uuid.uuid4().hex}
    assert counts_of_two_processes(**env) == ("3", "6")


def test_without_redis_two_processes_share_the_database_cache(tmp_path):
    """The embedded default (`make run`'s two workers): one count in the cache table."""
    env = {"SQLITE_PATH": str(tmp_path / "workers.sqlite3")}
    run_with_settings(
        "from django.core.management import call_command\ncall_command('createcachetable')",
        **env,
    )
    assert counts_of_two_processes(**env) == ("3", "6")


def test_error_reports_are_limited_through_redis(client, rf):
    site = SiteFactory(slug="site-redis")
    # No clear(): it would empty the Redis database (FLUSHDB) that the other run of
    # the suite counts in at the same time; this test's key prefix is its own.
    with override_settings(CACHES=production_caches(), ERROR_REPORT_RATE="2/h"):
        statuses = [
            client.post(
                f"/centres/{site.slug}/signaler/",
                {"reason": "telephone", "message": "Numéro faux."},
                REMOTE_ADDR="192.0.2.8",
            ).status_code
            for _ in range(3)
        ]
    assert statuses == [302, 302, 429]


def test_the_site_keeps_answering_when_redis_is_down(client, directory_data):
    """A closed port: pages are served, and the rate limit fails open (README)."""
    site = SiteFactory(slug="site-sans-redis")
    with override_settings(CACHES=production_caches("redis://127.0.0.1:9/0")):
        for url in ("/", "/centres/", f"/centres/{site.slug}/", "/maladies/586/"):
            assert client.get(url).status_code == 200, url
        response = client.post(
            f"/centres/{site.slug}/signaler/",
            {"reason": "telephone", "message": "Numéro faux."},
            REMOTE_ADDR="192.0.2.9",
        )
        usage = get_usage(
            client.get("/").wsgi_request, group="g", key="ip", rate="1/h", increment=True
        )
    assert response.status_code == 302
    assert ErrorReport.objects.filter(site=site).count() == 1
    assert usage is None  # no count: not limited


def test_the_database_cache_counts_atomically():
    cache = caches["default"]
    cache.set("counter", 0)
    for _ in range(5):
        cache.incr("counter")
    assert cache.get("counter") == 5
    with pytest.raises(ValueError):
        cache.incr("missing")
