"""Two workers saving at once on the embedded SQLite database (`make run` starts 2):
the second waits for the first instead of failing with "database is locked"."""

import os
import subprocess
import sys

from django.conf import settings

# Run in a fresh process on a file database with the project's settings (the test
# database is in memory, and pytest-django forbids other connections).
TWO_WORKERS = """
import threading, time
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE site (id INTEGER PRIMARY KEY, version INTEGER)")
    cursor.execute("INSERT INTO site VALUES (1, 1)")
    cursor.execute("PRAGMA journal_mode")
    print(cursor.fetchone()[0])
connection.close()
results = []

def save_with_version_check():
    # What the site admin does: read the version, then write version + 1.
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT version FROM site WHERE id = 1")
            seen = cursor.fetchone()[0]
            time.sleep(0.3)  # the other worker reads meanwhile
            cursor.execute("UPDATE site SET version = %s WHERE id = 1", [seen + 1])
        results.append(str(seen))
    except Exception as error:
        results.append(type(error).__name__ + ": " + str(error))
    finally:
        connection.close()

threads = [threading.Thread(target=save_with_version_check) for _ in "ab"]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(sorted(results))
"""


def test_two_concurrent_saves_are_serialised_not_refused(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        SECRET_KEY="x" * 50,
        DJANGO_SETTINGS_MODULE="config.settings",
        SQLITE_PATH=str(tmp_path / "workers.sqlite3"),
    )
    result = subprocess.run(
        [sys.executable, "-c", TWO_WORKERS],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    journal, outcome = result.stdout.split("\n")[:2]
    assert journal == "wal"
    # Both saved, one after the other: the second saw the first one's version (so the
    # admin's version check tells its user the site was modified meanwhile).
    assert outcome == "['1', '2']"
