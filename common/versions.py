"""Per-process caches of reference data that every process drops when the data is
reloaded: the loader bumps the data's version in the database (`bump`), and each
cache (`cached_by_version`) recomputes when the version it was built from is not the
current one. Checking costs one small query, so it suits caches whose contents cost
far more than that to rebuild."""

import datetime
import functools

from django.db import connection
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from common.models import DataVersion

# Everything a public page shows: bumped by every change to it (web/apps.py connects
# the model signals; bulk writers such as the import and the loaders bump it too).
PUBLIC_DATA = "public"


def current(name: str) -> int:
    return DataVersion.objects.filter(name=name).values_list("version", flat=True).first() or 0


def state(name: str) -> tuple[int, datetime.datetime | None]:
    """(version, when it last changed) of `name`; (0, None) before any change. One
    query, in plain SQL: it runs on every anonymous request (web/pagecache.py), where
    building it with the ORM cost half of a cached page's answer (measured)."""
    table = connection.ops.quote_name(DataVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version, changed_at FROM {table} WHERE name = %s", [name])
        row = cursor.fetchone()
    if row is None:
        return 0, None
    version, changed_at = row
    if isinstance(changed_at, str):  # SQLite
        changed_at = parse_datetime(changed_at)
    if changed_at is not None and timezone.is_naive(changed_at):
        changed_at = timezone.make_aware(changed_at, datetime.UTC)
    return version, changed_at


def bump(name: str) -> None:
    """Mark `name` as changed (call it in the transaction that changes the data). One
    query, two the first time."""
    updated = DataVersion.objects.filter(name=name).update(
        version=F("version") + 1, changed_at=timezone.now()
    )
    if not updated:
        _, created = DataVersion.objects.get_or_create(name=name, defaults={"version": 1})
        if not created:  # created meanwhile by another process
            bump(name)


def cached_by_version(name: str):
    """Cache a function of no argument until `bump(name)`. `.cache_clear()` empties it."""

    def decorator(compute):
        state = {}

        @functools.wraps(compute)
        def wrapper():
            version = current(name)
            if state.get("version") != version:
                state["value"], state["version"] = compute(), version
            return state["value"]

        wrapper.cache_clear = state.clear
        return wrapper

    return decorator
