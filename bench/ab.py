"""A/B server times of two checkouts of the code, on a database that already exists
(a kept benchmark database: bench/run.py --keep). Not part of the test suite.

    .venv/bin/python bench/ab.py --a ../old-checkout --b . [--a-env DATABASE_URL=...] URL...

Each checkout is served by a warm worker process of its own (Django's test client,
page cache off, as bench/run.py measures), and the two are asked in turn for the same
page, A then B, then B then A: a machine whose speed drifts (a shared VM's does) slows
both alike, which two runs one after the other do not. Prints each page's p50 for A
and for B. `--a-env`/`--b-env NAME=VALUE` set a variable for one side only, e.g. its
own copy of the database (one without the indexes that B adds); both sides read the
database of the environment otherwise (DATABASE_URL, or SQLITE_PATH without it).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def worker(root: str) -> None:
    """Serve the pages named on stdin, one per line: print "status milliseconds"."""
    sys.path.insert(0, root)
    os.chdir(root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    settings.PAGE_CACHE_ENABLED = False
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    print("ready", flush=True)
    for line in sys.stdin:
        started = time.perf_counter()
        response = client.get(line.strip())
        elapsed = (time.perf_counter() - started) * 1000
        print(f"{response.status_code} {elapsed:.3f}", flush=True)


class Side:
    def __init__(self, root: Path, overrides: list[str]):
        env = dict(os.environ)
        for item in overrides:
            name, _, value = item.partition("=")
            env[name] = value
        if env.get("SQLITE_PATH") and not any(o.startswith("DATABASE_URL=") for o in overrides):
            env.pop("DATABASE_URL", None)
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--worker", str(root.resolve())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        if self.process.stdout.readline().strip() != "ready":
            sys.exit(f"{root}: the worker did not start")

    def get(self, url: str) -> float:
        self.process.stdin.write(url + "\n")
        self.process.stdin.flush()
        status, elapsed = self.process.stdout.readline().split()
        if status != "200":
            sys.exit(f"{url}: status {status}")
        return float(elapsed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--a", type=Path, help="checkout A (before)")
    parser.add_argument("--b", type=Path, help="checkout B (after)")
    parser.add_argument("--a-env", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--b-env", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--requests", type=int, default=50, help="per page and side")
    parser.add_argument("urls", nargs="*")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return
    if not (args.a and args.b and args.urls):
        parser.error("--a, --b and at least one URL are needed")
    a, b = Side(args.a, args.a_env), Side(args.b, args.b_env)
    for url in args.urls:
        for side in (a, b):
            for _ in range(5):  # warm-up: templates, caches
                side.get(url)
        times = {a: [], b: []}
        for i in range(args.requests):
            for side in (a, b) if i % 2 == 0 else (b, a):
                times[side].append(side.get(url))
        p50_a, p50_b = statistics.median(times[a]), statistics.median(times[b])
        print(f"{url:45} A {p50_a:6.1f} ms  B {p50_b:6.1f} ms  B/A {p50_b / p50_a:.2f}", flush=True)


if __name__ == "__main__":
    main()
