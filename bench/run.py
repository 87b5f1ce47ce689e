"""Benchmarks of the public pages at scale (issues #3 and #10). Not part of the test suite.

    make bench                    # 3,000 sites; SQLite, then PostgreSQL
    make bench SITES=100000       # the scale run
    .venv/bin/python bench/run.py [--sites N] [--runs N] [--requests N]

Runs in a throwaway test database (created and destroyed here, like the test suite's:
a temporary SQLite file, or `bench_<name>` next to DATABASE_URL's PostgreSQL database),
loaded with the real reference data, plus SYNTHETIC sites generated below (names
"Site synthétique … (benchmark)", sources https://synthetique.invalid/), which never
leave that database.

Server time is measured around Django's test client, so it includes the middleware,
the view, the templates/JSON and the SQL, not the network; the measuring process does
not set up the test environment, whose instrumented template rendering (a copy of
each context kept for assertions) production never runs. Requests are anonymous, as
the test client sends them, with the page cache off (`PAGE_CACHE_ENABLED = False`):
every figure is an uncached rendering.

Targets (PASS/FAIL printed; exit status 1 when one is missed):
  - every page type: p50 <= 20 ms on PostgreSQL, <= 30 ms on SQLite (set for 100,000
    sites; a smaller run must meet them too);
  - the nearest-site sort alone: p50 <= 20 ms;
  - disease search: p50 <= 15 ms on PostgreSQL over the full nomenclature;
  - peak RSS <= 150 MB (VmHWM) of the process that serves the pages: the
    measurements run in a fresh process once the data is loaded, as a worker would
    (the set-up process's peak, loading and generating, is printed as well).
"""

import argparse
import csv
import importlib
import inspect
import io
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command, get_commands  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    setup_databases,
    setup_test_environment,
    teardown_databases,
    teardown_test_environment,
)

SEARCH_TARGET_MS = 15.0  # PostgreSQL only
SORT_TARGET_MS = 20.0
PAGE_TARGET_MS = {"postgresql": 20.0, "sqlite": 30.0}
RSS_TARGET_MB = 150.0
DEFAULT_SITES = 3000
BATCH = 2000
SYNTHETIC_SOURCE = "https://synthetique.invalid/"
NEAR = "51100"  # Reims
DISEASE = 586  # cystic fibrosis


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(vendor, label, samples, extra=""):
    p50, p95 = statistics.median(samples), percentile(samples, 0.95)
    print(
        f"{vendor:10} {label:52} n={len(samples):5}  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms{extra}",
        flush=True,
    )
    return p50


def timed(function, runs, allowed=(200,)):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = function()
        samples.append((time.perf_counter() - start) * 1000)
        status = getattr(response, "status_code", 200)
        if status not in allowed:
            raise SystemExit(f"benchmark request failed with HTTP {status}")
    return samples


def peak_rss_mb() -> float:
    """This process's peak resident memory. On Linux the high-water mark of its own
    memory (VmHWM): getrusage's ru_maxrss also keeps, across the exec that starts the
    measuring process, the size of the process that started it (the set-up one)."""
    peak = _proc_status_mb("VmHWM:")
    if peak == peak:  # not NaN
        return peak
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def current_rss_mb() -> float:
    return _proc_status_mb("VmRSS:")


def _proc_status_mb(field: str) -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def search_queries():
    """The GP queries of the test suite, plus names and fragments drawn (with a fixed
    seed) from the nomenclature, a few with a typo."""
    from diseases.models import Disease

    with (ROOT / "tests" / "diseases" / "gp_queries.csv").open(encoding="utf-8") as f:
        queries = [row["query"] for row in csv.DictReader(f)]
    rng = random.Random(42)
    names = list(Disease.objects.order_by("pk").values_list("name", flat=True))
    for name in rng.sample(names, 60):
        words = name.split()
        queries.append(" ".join(words[: rng.randint(1, min(3, len(words)))]))
    for name in rng.sample(names, 20):
        word = max(name.split(), key=len)
        if len(word) > 6:
            i = rng.randrange(1, len(word) - 1)
            queries.append(word[:i] + word[i + 1 :])  # a deleted letter
    return queries


# --- SYNTHETIC data (benchmark database only) -----------------------------------------


def _metropolitan_communes():
    """(name, first postcode, department, region, latitude, longitude, population) of
    the located communes of metropolitan France (overseas départements start with 97)."""
    from communes.models import Commune

    rows = (
        Commune.objects.filter(latitude__isnull=False, longitude__isnull=False)
        .exclude(department__startswith="97")
        .exclude(department__startswith="98")
        .order_by("insee")
        .values_list(
            "name", "postcodes", "department", "region", "latitude", "longitude", "population"
        )
    )
    communes, weights = [], []
    for name, postcodes, department, region, lat, lon, population in rows:
        if not (math.isfinite(lat) and math.isfinite(lon)):
            continue  # a coordinate stored as NaN (seen on PostgreSQL)
        communes.append(
            (name, (postcodes.split() or [""])[0], department, region, float(lat), float(lon))
        )
        weights.append(max(population or 0, 50))
    return communes, weights


def make_synthetic_sites(count, seed=7):
    """Add SYNTHETIC sites until the database holds `count`: spread over the real
    centres (so over the real filières) and hospitals of the fixtures, placed over
    metropolitan France in proportion to the communes' population:

      - 55 %: their own coordinates (a commune's town hall, moved by up to ~2 km),
        with a real hospital of the same région when there is one;
      - 40 %: no coordinates of their own, in a real hospital (so placed at the
        hospital's coordinates, or its town's when it has none);
      - 5 %: no hospital and no coordinates: placed at their town's town hall.

    Written with bulk_create in batches (no model save, no history), then the
    positions are refreshed if the code has such a step (see `refresh_positions`).
    Returns (total sites, seconds spent)."""
    from centres.enums import AgeGroup, SiteKind, SiteRole
    from centres.models import ReferenceCentre, Site
    from hospitals.models import Hospital

    start = time.perf_counter()
    existing = Site.objects.count()
    missing = count - existing
    if missing <= 0:
        return existing, 0.0, "not needed"
    rng = random.Random(seed)
    centres = list(ReferenceCentre.objects.order_by("pk").values_list("pk", flat=True))
    hospitals = list(
        Hospital.objects.order_by("pk").values_list("pk", "city", "region", "postcode")
    )
    by_region = {}
    for hospital in hospitals:
        by_region.setdefault(hospital[2], []).append(hospital)
    communes, weights = _metropolitan_communes()
    cumulative = []
    total = 0
    for weight in weights:
        total += weight
        cumulative.append(total)
    kinds = [SiteKind.REFERENCE] * 3 + [SiteKind.COMPETENCE] * 6 + [SiteKind.CRC]
    ages = ["", AgeGroup.CHILDREN, AgeGroup.ADULTS, AgeGroup.BOTH]

    def build(i):
        kind = rng.choice(kinds)
        site = Site(
            centre_id=rng.choice(centres),
            kind=kind,
            role=SiteRole.CONSTITUTIVE if kind == SiteKind.REFERENCE and rng.random() < 0.5 else "",
            slug=f"synthetique-bench-{i}",
            name=f"Site synthétique {i} (benchmark)",
            service="Service synthétique (benchmark)",
            age_group=rng.choice(ages),
            is_published=rng.random() < 0.98,
            sources=SYNTHETIC_SOURCE,
            notes="Donnée synthétique générée par bench/run.py (jamais publiée).",
        )
        draw = rng.random()
        if 0.55 <= draw < 0.95:  # in a hospital, no coordinates of its own
            hospital_id, city, region, postcode = rng.choice(hospitals)
            site.hospital_id, site.city, site.postcode = hospital_id, city, postcode
            return site
        name, postcode, _department, region, lat, lon = communes[
            _bisect(cumulative, rng.random() * total)
        ]
        site.city, site.postcode, site.region = name, postcode, region
        if draw < 0.55:  # its own coordinates
            site.latitude = round(lat + rng.uniform(-0.02, 0.02), 6)
            site.longitude = round(lon + rng.uniform(-0.025, 0.025), 6)
            same_region = by_region.get(region)
            if same_region:
                site.hospital_id = rng.choice(same_region)[0]
        return site

    for first in range(0, missing, BATCH):
        Site.objects.bulk_create(
            [build(existing + i) for i in range(first, min(first + BATCH, missing))]
        )
    refreshed = refresh_positions()
    try:
        from common.versions import PUBLIC_DATA, bump

        bump(PUBLIC_DATA)  # as the bulk writers do (the page cache is off anyway)
    except ImportError:
        pass
    # The statistics the planner would have in production once autovacuum has seen
    # the new rows (without them PostgreSQL plans for an empty table).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return Site.objects.count(), time.perf_counter() - start, refreshed


def _bisect(cumulative, value):
    low, high = 0, len(cumulative) - 1
    while low < high:
        middle = (low + high) // 2
        if cumulative[middle] < value:
            low = middle + 1
        else:
            high = middle
    return low


REFRESH_MODULES = ("communes.places", "centres.models", "centres.positions", "communes.positions")
REFRESH_NAMES = (
    "refresh_positions",
    "refresh_site_positions",
    "refresh_locations",
    "refresh_site_locations",
)


def refresh_positions() -> str:
    """After a bulk insert, the step that fills derived position columns, if the code
    has one (a function, else a management command); says what was called."""
    from centres.models import Site

    for module_name in REFRESH_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        for name in REFRESH_NAMES:
            function = getattr(module, name, None)
            if not callable(function):
                continue
            try:
                inspect.signature(function).bind()
                function()
            except TypeError:
                function(Site.objects.all())
            return f"{module_name}.{name}()"
    commands = get_commands()
    for name in REFRESH_NAMES:
        if name in commands:
            call_command(name, stdout=io.StringIO())
            return f"manage.py {name}"
    return "none found"


# --- the nearest-site sort, whichever way the code does it ----------------------------


def nearest_sort(place):
    """(label, a function doing the nearest-first sort of every published site) for
    the code being measured: today's Python ranking (load light rows, rank them), or
    a queryset method ordering in SQL (the first page is evaluated). None if neither."""
    from centres.models import Site
    from communes import places

    queryset = Site.objects.published()
    if hasattr(places, "locatables_from_queryset") and hasattr(places, "rank_by_distance"):
        return "load + rank in Python", lambda: places.rank_by_distance(
            places.locatables_from_queryset(queryset), place
        )
    page = settings.CENTRES_PAGE_SIZE
    for name in ("nearest", "by_distance", "order_by_distance", "with_distance", "near"):
        method = getattr(queryset.for_list(), name, None)
        if callable(method):

            def first_page(method=method):
                ranked = method(place)
                if callable(getattr(ranked, "count", None)):
                    ranked.count()  # what the paginator asks first
                return list(ranked[:page])

            return f"SiteQuerySet.{name}(): count + first page", first_page
    for name in ("rank_by_distance", "nearest_sites", "sites_near"):
        function = getattr(places, name, None)
        if callable(function):
            return f"communes.places.{name}()", lambda f=function: f(queryset, place)
    return None


def page_urls():
    from centres.models import Site

    real_site = Site.objects.published().exclude(sources=SYNTHETIC_SOURCE).order_by("pk").first()
    return [
        ("/", "/"),
        ("/centres/", "/centres/"),
        ("/centres/?type=competence&region=44", "/centres/?type=competence&region=44"),
        (f"/centres/?pres_de={NEAR}", f"/centres/?pres_de={NEAR}"),
        (
            f"/centres/?maladie={DISEASE}&pres_de={NEAR}",
            f"/centres/?maladie={DISEASE}&pres_de={NEAR}",
        ),
        (f"/maladies/{DISEASE}/", f"/maladies/{DISEASE}/"),
        ("site page (a real site)", real_site.get_absolute_url()),
        ("/maladies/suggestions/?q=muco", "/maladies/suggestions/?q=muco"),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sites", type=int, default=DEFAULT_SITES, help="total sites (real + synthetic)"
    )
    parser.add_argument("--runs", type=int, default=5, help="passes over the search queries")
    parser.add_argument("--requests", type=int, default=30, help="requests per page type")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the database afterwards (to read query plans); its name is printed",
    )
    args = parser.parse_args()

    # Uncached: the anonymous page cache off, whatever the settings say (and harmless
    # if the setting does not exist).
    settings.PAGE_CACHE_ENABLED = False
    if args.measure:  # the child below, on the database its parent prepared
        # Not the test environment: it instruments every template rendering (the
        # test client keeps a copy of each context), which production never does.
        # Only the test client's host name is allowed in addition.
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        sys.exit(measure(args))
    setup_test_environment()

    # Its own throwaway database, so as not to collide with the test suite's: a
    # temporary file for SQLite (as in production, and not in this process's memory,
    # which would count in its RSS), `bench_<name>` on PostgreSQL.
    database = settings.DATABASES["default"]
    vendor = connection.vendor
    child_env = dict(os.environ)
    if vendor == "sqlite":
        test_name = os.path.join(tempfile.gettempdir(), f"bench-annuaire-{os.getpid()}.sqlite3")
        child_env.pop("DATABASE_URL", None)
        child_env["SQLITE_PATH"] = test_name
    else:
        test_name = f"bench_{database['NAME']}"
        url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
        child_env["DATABASE_URL"] = urllib.parse.urlunsplit(url._replace(path="/" + test_name))
    database.setdefault("TEST", {})["NAME"] = test_name
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        started = time.perf_counter()
        call_command("load_initial_data", stdout=io.StringIO())
        print(
            f"{vendor:10} reference data loaded in {time.perf_counter() - started:.1f} s"
            f" (database {test_name})",
            flush=True,
        )
        total, seconds, refreshed = make_synthetic_sites(args.sites)
        print(
            f"{vendor:10} {total} sites (synthetic ones added in {seconds:.1f} s;"
            f" position refresh step: {refreshed})",
            flush=True,
        )
        print(
            f"{vendor:10} peak RSS of the set-up process {peak_rss_mb():.0f} MB"
            " (loading and generating; not a target)",
            flush=True,
        )
        connection.close()
        # The measurements run in a fresh process, as a worker would: its peak RSS is
        # that of serving the pages, not of loading the data.
        command = [sys.executable, __file__, "--measure", "--runs", str(args.runs)]
        command += ["--requests", str(args.requests)]
        status = subprocess.run(command, env=child_env).returncode
    finally:
        if args.keep:
            print(f"{vendor:10} database kept: {test_name}", flush=True)
        else:
            teardown_databases(old_config, verbosity=0)
        teardown_test_environment()
    sys.exit(status)


def measure(args) -> int:
    from centres.models import Site

    vendor = connection.vendor
    total = Site.objects.count()
    failures = []
    client = Client()

    queries = search_queries()
    for query in queries:  # warm-up: caches, prepared plans
        client.get("/maladies/suggestions/", {"q": query})
    for label, url in [
        ("disease search (JSON suggestions)", "/maladies/suggestions/"),
        ("disease search (results page)", "/maladies/"),
    ]:
        samples = []
        for _ in range(args.runs):
            for query in queries:
                samples += timed(lambda q=query, u=url: client.get(u, {"q": q}), 1, (200, 302))
        p50 = report(vendor, label, samples)
        if vendor == "postgresql":
            failures += check(f"{label} (PostgreSQL)", p50, SEARCH_TARGET_MS)

    from communes.places import resolve_place

    place = resolve_place(NEAR).place
    sort = nearest_sort(place)
    if sort is None:
        print(f"{vendor:10} nearest-site sort: no known API found; not measured")
        failures.append("nearest-site sort: not measured (see bench/run.py nearest_sort)")
    else:
        how, function = sort
        function()
        p50 = report(vendor, f"nearest-site sort ({total} sites; {how})", timed(function, 20))
        failures += check("nearest-site sort", p50, SORT_TARGET_MS)

    page_target = PAGE_TARGET_MS[vendor]
    for label, url in page_urls():
        for _ in range(2):  # warm-up: the per-process caches, the database's pages
            timed(lambda u=url: client.get(u), 1)
        executed = []
        with connection.execute_wrapper(counting(executed)):
            timed(lambda u=url: client.get(u), 1)
        samples = timed(lambda u=url: client.get(u), args.requests)
        p50 = report(vendor, label, samples, f"  {len(executed)} queries")
        failures += check(f"{label} ({total} sites, {vendor})", p50, page_target)
    connection.close()

    rss = peak_rss_mb()
    print(
        f"{vendor:10} peak RSS of the measuring process {rss:.0f} MB"
        f" (now {current_rss_mb():.0f} MB)"
    )
    failures += check("peak RSS (measuring process)", rss, RSS_TARGET_MB, unit="MB")
    for failure in failures:
        print("MISSED:", failure)
    print(f"{vendor:10} {'FAIL' if failures else 'PASS'}: {len(failures)} target(s) missed")
    return 1 if failures else 0


def counting(executed):
    """A database execute wrapper that appends each statement to `executed`."""

    def wrapper(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def check(label, value, target, unit="ms"):
    ok = value <= target
    print(
        f"           {'PASS' if ok else 'FAIL'} {label}: {value:.1f} {unit} (target <= {target:g})"
    )
    return [] if ok else [f"{label}: {value:.1f} {unit} > {target:g} {unit}"]


if __name__ == "__main__":
    main()
