"""Benchmarks for the search features (issue #3). Not part of the test suite.

    make bench              # SQLite, then PostgreSQL (DATABASE_URL=postgres://root@127.0.0.1:5432/postgres)
    .venv/bin/python bench/run.py [--runs N]

Runs in a throwaway test database (created and destroyed here, like the test suite's),
loaded with the real reference data, plus SYNTHETIC sites generated below for the
distance benchmark (they never leave that database).

Targets (server time, measured around Django's test client, so it includes the view,
the templates/JSON and the SQL, not the network):
  - disease search p50 <= 15 ms on PostgreSQL over the full nomenclature;
  - nearest-centre sort <= 20 ms for 3,000 sites.
Exit status 1 when a target is missed on the database it is set for.
"""

import argparse
import csv
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    setup_databases,
    setup_test_environment,
    teardown_databases,
    teardown_test_environment,
)

SEARCH_TARGET_MS = 15.0
SORT_TARGET_MS = 20.0
SITES = 3000


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(vendor, label, samples):
    p50, p95 = statistics.median(samples), percentile(samples, 0.95)
    print(f"{vendor:10} {label:44} n={len(samples):5}  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
    return p50


def timed(function, runs):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = function()
        samples.append((time.perf_counter() - start) * 1000)
        status = getattr(response, "status_code", 200)
        if status not in (200, 302):
            raise SystemExit(f"benchmark request failed with HTTP {status}")
    return samples


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


def make_synthetic_sites(count):
    """SYNTHETIC sites spread over real towns (benchmark only)."""
    from centres.enums import SiteKind
    from centres.models import ReferenceCentre, Site
    from communes.models import Commune
    from filieres.models import Filiere

    rng = random.Random(7)
    filiere = Filiere.objects.order_by("pk").first()
    centre = ReferenceCentre.objects.create(
        name="Centre synthétique (benchmark)", slug="bench-centre", filiere=filiere
    )
    towns = list(
        Commune.objects.filter(population__gte=20000, latitude__isnull=False).values_list(
            "name", "region"
        )
    )
    existing = Site.objects.count()
    Site.objects.bulk_create(
        Site(
            centre=centre,
            kind=SiteKind.COMPETENCE,
            slug=f"bench-site-{i}",
            name=f"Site synthétique {i} (benchmark)",
            city=town,
            region=region,
            sources="https://benchmark.invalid/",
        )
        for i, (town, region) in ((i, rng.choice(towns)) for i in range(count - existing))
    )
    return Site.objects.count()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="passes over the queries")
    args = parser.parse_args()

    setup_test_environment()
    # Its own throwaway database, so as not to collide with the test suite's.
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = (
        None if connection.vendor == "sqlite" else "bench_annuaire"
    )
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        vendor = connection.vendor
        call_command("load_initial_data", stdout=io.StringIO())
        client = Client()
        failures = []

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
                    samples += timed(lambda q=query, u=url: client.get(u, {"q": q}), 1)
            p50 = report(vendor, label, samples)
            if vendor == "postgresql" and p50 > SEARCH_TARGET_MS:
                failures.append(f"{label}: p50 {p50:.1f} ms > {SEARCH_TARGET_MS} ms")

        from centres.models import Site
        from communes.places import locatables_from_queryset, rank_by_distance, resolve_place

        total = make_synthetic_sites(SITES)
        place = resolve_place("51100").place
        queryset = Site.objects.published()
        locatables = locatables_from_queryset(queryset)
        report(
            vendor,
            f"  load {total} sites' location rows",
            timed(lambda: locatables_from_queryset(queryset), 20),
        )
        report(
            vendor,
            f"  rank the {total} loaded rows by distance",
            timed(lambda: rank_by_distance(locatables, place), 20),
        )
        # The target applies to what /centres/?pres_de= does: load the rows, rank them.
        p50 = report(
            vendor,
            f"nearest-centre sort: load + rank ({total} sites)",
            timed(lambda: rank_by_distance(locatables_from_queryset(queryset), place), 20),
        )
        if p50 > SORT_TARGET_MS:
            failures.append(f"nearest-centre sort: p50 {p50:.1f} ms > {SORT_TARGET_MS} ms")
        report(
            vendor,
            "/centres/?pres_de=51100 (whole page)",
            timed(lambda: client.get("/centres/", {"pres_de": "51100"}), 20),
        )
    finally:
        teardown_databases(old_config, verbosity=0)
        teardown_test_environment()
    for failure in failures:
        print("MISSED:", failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
