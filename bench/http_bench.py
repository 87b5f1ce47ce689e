"""The production stack under load (issue #10). Not part of the test suite.

    make bench-http
    .venv/bin/python bench/http_bench.py [--stacks sqlite,postgresql] [--duration 8]

For each database it builds its own database (SQLite: a temporary file; PostgreSQL:
BENCH_HTTP_PG_URL, default postgres://root@127.0.0.1:5432/bench_http, created if
missing), runs migrate, createcachetable and `load_initial_data` (the real reference
data only, nothing synthetic) and collectstatic into the project's STATIC_ROOT, as
`make run` does. Then it starts gunicorn (2 workers, as `make run`; no access log)
with whitenoise and DEBUG off, twice: cold (PAGE_CACHE=0: every page is rendered) and
warm (the default: anonymous pages from the shared cache, filled by one request per
page before measuring). REDIS_URL, when set, is passed on (with a key prefix per
database); without it the cache is the database's cache table.

Against each server, in the same run, wrk (`-t2 -c8 --latency`) loads a hashed static
CSS file (served by whitenoise: the machine's ceiling for one response through
gunicorn), then each page type, then the static file again; the static figure is the
mean of the two. The machine is shared, so absolute figures are noisy: the ratio of a
page's req/s to the static file's, measured minutes apart at most, is what matters.

Target: every warm anonymous page >= 50 % of the static file's req/s (PASS/FAIL,
exit status 1 when missed); also reported: each gunicorn worker's peak RSS
(VmHWM; target <= 150 MB). Every server started here is stopped on exit, error or
Ctrl-C. Ports are the first free ones in 8101-8120.
"""

import argparse
import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORTS = range(8101, 8121)
CONNECTIONS = 8
THREADS = 2
WORKERS = 2
RATIO_TARGET = 0.5
RSS_TARGET_MB = 150.0
DEFAULT_PG_URL = "postgres://root@127.0.0.1:5432/bench_http"
PAGES = ["/", "/centres/", "/centres/?pres_de=51100", "/maladies/586/", "SITE"]

SERVERS: list[subprocess.Popen] = []


class BenchError(Exception):
    pass


# --- processes ---------------------------------------------------------------------------


def stop(server: subprocess.Popen) -> None:
    """Stop a gunicorn master and its workers (its own process group)."""
    if server.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)
    if server in SERVERS:
        SERVERS.remove(server)


def stop_all() -> None:
    for server in list(SERVERS):
        stop(server)


def on_signal(signum, frame):
    stop_all()
    raise SystemExit(128 + signum)


def manage(env, *args) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise BenchError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def free_port() -> int:
    for port in PORTS:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise BenchError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def get(url: str, timeout=30.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def start_server(env, log_path: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = log_path.open("ab")
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, stopped as one
    )
    SERVERS.append(server)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited with status {server.returncode}: see {log_path}")
        try:
            status, _ = get(base + "/", timeout=5)
            if status == 200:
                return server, base
        except OSError:
            pass
        time.sleep(0.3)
    raise BenchError(f"gunicorn did not answer on {base} within 60 s: see {log_path}")


def worker_rss_mb(server: subprocess.Popen) -> list[tuple[float, float]]:
    """(peak, current) RSS in MB of each worker of a gunicorn master."""
    result = []
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    except OSError:
        listing = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(server.pid)], capture_output=True, text=True
        )
        children = listing.stdout.split()
    for pid in children:
        fields = {}
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                key, _, value = line.partition(":")
                fields[key] = value.split()
        except OSError:
            continue
        if "VmHWM" in fields:
            result.append((int(fields["VmHWM"][0]) / 1024, int(fields["VmRSS"][0]) / 1024))
    return result


# --- wrk -----------------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        raise BenchError(f"cannot read wrk latency {text!r}")
    return float(match[1]) * UNITS[match[2]]


def wrk(url: str, duration: float) -> dict:
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{max(1, round(duration))}s",
        "--latency",
        url,
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode:
        raise BenchError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    out = result.stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    if not (rps and p50 and p99):
        raise BenchError(f"cannot read wrk's output:\n{out}")
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors:.*", out)
    return {
        "rps": float(rps[1]),
        "p50": _ms(p50[1]),
        "p99": _ms(p99[1]),
        "errors": int(errors[1]) if errors else 0,
        "socket_errors": socket_errors[0] if socket_errors else "",
    }


# --- databases -----------------------------------------------------------------------------


def base_env(secret_key: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DATABASE_URL", "SQLITE_PATH", "REDIS_URL", "PAGE_CACHE", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        SECRET_KEY=secret_key,
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def ensure_postgres_database(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if name in {"postgres", "test_postgres", "template0", "template1"}:
        raise BenchError(f"refusing to benchmark in the shared database {name!r}")
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=5).close()
        return
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            raise BenchError(f"cannot connect to {url}: {error}") from error
    command = ["createdb", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    if parts.username:
        command += ["-U", parts.username]
    subprocess.run([*command, name], check=True)


def prepare(stack: str, env: dict, workdir: Path, pg_url: str, redis_url: str) -> dict:
    env = dict(env)
    if stack == "sqlite":
        path = workdir / "bench-http.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        env["SQLITE_PATH"] = str(path)
    else:
        ensure_postgres_database(pg_url)
        env["DATABASE_URL"] = pg_url
    if redis_url:
        env["REDIS_URL"] = redis_url
        env["CACHE_KEY_PREFIX"] = f"bench-http-{stack}"
    started = time.monotonic()
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    manage(env, "load_initial_data", "--only-new")
    print(f"{stack}: database ready in {time.monotonic() - started:.0f} s", flush=True)
    return env


def hashed_css() -> str:
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    paths = manifest["paths"]
    for name in sorted(paths):
        if name.endswith(".css") and not name.startswith("admin/"):
            return "/static/" + paths[name]
    raise BenchError("no CSS file of the site in the static manifest")


def a_site_page(base: str) -> str:
    status, body = get(base + "/centres/")
    if status != 200:
        raise BenchError(f"/centres/ answered {status}")
    for match in re.finditer(rb'href="(/centres/[a-z0-9-]+/)"', body):
        return match[1].decode()
    raise BenchError("no site link on /centres/")


# --- the run ---------------------------------------------------------------------------------


def measure(stack, mode, env, pages, static, duration, log_path, rows):
    server, base = start_server(env, log_path)
    try:
        urls = [a_site_page(base) if page == "SITE" else page for page in pages]
        for url in [static, *urls]:  # fill the page cache (warm), check every URL
            status, _ = get(base + url)
            if status != 200:
                raise BenchError(f"{stack} {mode}: {url} answered {status}")
        first = wrk(base + static, duration / 2)
        results = [(url, wrk(base + url, duration)) for url in urls]
        last = wrk(base + static, duration / 2)
        rss = worker_rss_mb(server)
    finally:
        stop(server)
    static_rps = (first["rps"] + last["rps"]) / 2
    static_result = {
        "rps": static_rps,
        "p50": (first["p50"] + last["p50"]) / 2,
        "p99": max(first["p99"], last["p99"]),
        "errors": first["errors"] + last["errors"],
        "socket_errors": first["socket_errors"] or last["socket_errors"],
        "note": f"before {first['rps']:.0f}, after {last['rps']:.0f}",
    }
    rows.append((stack, mode, f"static {static}", static_result, 1.0))
    for url, result in results:
        rows.append((stack, mode, url, result, result["rps"] / static_rps if static_rps else 0))
    return rss


def print_table(rows):
    print()
    print(
        f"{'database':10} {'mode':5} {'URL':60} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}"
        f" {'/static':>8}  notes"
    )
    for stack, mode, url, result, ratio in rows:
        notes = result.get("note", "")
        if result["errors"]:
            notes += f" {result['errors']} non-2xx/3xx"
        if result["socket_errors"]:
            notes += " " + result["socket_errors"]
        print(
            f"{stack:10} {mode:5} {url[:60]:60} {result['rps']:8.0f} {result['p50']:8.1f}"
            f" {result['p99']:8.1f} {ratio:7.0%}  {notes.strip()}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stacks", default="sqlite,postgresql", help="sqlite,postgresql")
    parser.add_argument(
        "--duration", type=float, default=8, help="seconds of wrk per page (static: 2 x half)"
    )
    parser.add_argument("--modes", default="cold,warm", help="cold,warm")
    args = parser.parse_args()
    stacks = [s.strip() for s in args.stacks.split(",") if s.strip()]
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not set(stacks) <= {"sqlite", "postgresql"} or not set(modes) <= {"cold", "warm"}:
        parser.error("--stacks: sqlite, postgresql; --modes: cold, warm")
    if subprocess.run(["which", "wrk"], capture_output=True).returncode:
        raise SystemExit("wrk is not installed (`apt-get install -y wrk`; `make bench-http` does)")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    key_file = ROOT / ".local-secret-key"
    secret_key = os.environ.get("SECRET_KEY") or (
        key_file.read_text().strip() if key_file.exists() else secrets.token_urlsafe(50)
    )
    env = base_env(secret_key)
    pg_url = os.environ.get("BENCH_HTTP_PG_URL") or DEFAULT_PG_URL
    redis_url = os.environ.get("REDIS_URL", "")
    rows, failures, rss_rows = [], [], []
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="annuaire-bench-http-") as workdir:
            workdir = Path(workdir)
            log_path = workdir / "gunicorn.log"
            static_env = dict(env)
            static_env["SQLITE_PATH"] = str(workdir / "collectstatic.sqlite3")
            manage(static_env, "collectstatic", "--noinput", "--verbosity", "0")
            static = hashed_css()
            print(
                f"wrk -t{THREADS} -c{CONNECTIONS} -d{args.duration:g}s --latency; gunicorn"
                f" --workers {WORKERS}; cache: {'Redis' if redis_url else 'database table'};"
                f" static file {static}",
                flush=True,
            )
            for stack in stacks:
                stack_env = prepare(stack, env, workdir, pg_url, redis_url)
                for mode in modes:
                    mode_env = dict(stack_env)
                    if mode == "cold":
                        mode_env["PAGE_CACHE"] = "0"
                    rss = measure(
                        stack, mode, mode_env, PAGES, static, args.duration, log_path, rows
                    )
                    rss_rows.append((stack, mode, rss))
                    print(f"{stack}: {mode} run done", flush=True)
    except BenchError as error:
        print_table(rows)
        raise SystemExit(f"bench-http failed: {error}") from None
    finally:
        stop_all()

    print_table(rows)
    print()
    for stack, mode, rss in rss_rows:
        peak = max((p for p, _ in rss), default=0.0)
        text = ", ".join(f"peak {p:.0f} MB (now {c:.0f})" for p, c in rss)
        ok = peak <= RSS_TARGET_MB
        print(f"{'PASS' if ok else 'FAIL'} worker RSS {stack} {mode}: {text} (target <= 150 MB)")
        if not ok:
            failures.append(f"worker RSS {stack} {mode}: {peak:.0f} MB")
    for stack, mode, url, result, ratio in rows:
        if result["errors"]:
            failures.append(f"{stack} {mode} {url}: {result['errors']} non-2xx/3xx answers")
        if mode == "warm" and not url.startswith("static "):
            ok = ratio >= RATIO_TARGET
            print(
                f"{'PASS' if ok else 'FAIL'} warm {stack} {url}: {ratio:.0%} of the static"
                f" file's req/s (target >= {RATIO_TARGET:.0%})"
            )
            if not ok:
                failures.append(f"warm {stack} {url}: {ratio:.0%} < {RATIO_TARGET:.0%}")
    print(f"\nbench-http took {time.monotonic() - started:.0f} s")
    for failure in failures:
        print("MISSED:", failure)
    print("FAIL" if failures else "PASS")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
