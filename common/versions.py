"""Versions of data sets, kept in the database and bumped by every change to them
(`bump`), for the caches built from the data:

- per-process caches of reference data (`cached_by_version`): each recomputes when
  the version it was built from is not the current one. Checking costs one small
  query, so it suits caches whose contents cost far more than that to rebuild;
- the shared page cache (web/pagecache.py), which reads the version on every
  anonymous request: from the shared cache (`shared_state`), so that a cached page
  is answered without the database.

The database's version is the truth; the shared cache holds a copy for at most
SHARED_STATE_SECONDS. `bump` deletes the copy at once and writes the new one when its
transaction commits, so the next request on any worker sees the change. (Without a
compare-and-set, two edits committed within the same instant may leave the older
copy: the shortness of SHARED_STATE_SECONDS bounds that.)"""

import contextlib
import contextvars
import datetime
import functools

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from common.models import DataVersion

# Everything a public page shows: bumped by every change to it (web/apps.py connects
# the model signals; bulk writers such as the import and the loaders bump it too).
PUBLIC_DATA = "public"

# How long the shared cache may answer `shared_state` without the database.
SHARED_STATE_SECONDS = 5


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


def state_key(name: str) -> str:
    """The shared cache's key of `name`'s state (see `shared_state`)."""
    return f"data-state:{name}"


def shared_state(name: str, found: dict | None = None) -> tuple[int, datetime.datetime | None]:
    """`state(name)` from the shared cache, read from the database (and kept there
    for SHARED_STATE_SECONDS) when the cache does not have it. `found`: what the
    caller already read from the cache (`get_many`, its other keys in the same round
    trip), `state_key(name)` included if the cache had it."""
    key = state_key(name)
    cached = cache.get(key) if found is None else found.get(key)
    if cached is not None:
        return cached
    value = state(name)
    cache.add(key, value, SHARED_STATE_SECONDS)
    return value


# The names bumped inside `grouped_bumps`, bumped once when it ends.
_grouped: contextvars.ContextVar[set | None] = contextvars.ContextVar("grouped", default=None)


@contextlib.contextmanager
def grouped_bumps():
    """Within it, `bump` only notes the names; each is bumped once at the end (not if
    the block raises). For the bulk writers, whose thousands of saves each send the
    signal that bumps the public data. Use it inside the writer's transaction."""
    names: set[str] = set()
    token = _grouped.set(names)
    try:
        yield
    finally:
        _grouped.reset(token)
    for name in sorted(names):
        bump(name)


def bump(name: str) -> None:
    """Mark `name` as changed (call it in the transaction that changes the data). One
    query, two the first time; and the shared cache's copy of the state deleted now
    (until the commit, other processes read the version still committed), then
    written once the transaction commits."""
    grouped = _grouped.get()
    if grouped is not None:
        grouped.add(name)
        return
    updated = DataVersion.objects.filter(name=name).update(
        version=F("version") + 1, changed_at=timezone.now()
    )
    if not updated:
        _, created = DataVersion.objects.get_or_create(name=name, defaults={"version": 1})
        if not created:  # created meanwhile by another process
            bump(name)
            return
    cache.delete(state_key(name))
    transaction.on_commit(lambda: _publish(name))


def _publish(name: str) -> None:
    """The committed state, into the shared cache (read after the commit: a later
    commit's version, if there is one by then)."""
    cache.set(state_key(name), state(name), SHARED_STATE_SECONDS)


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
