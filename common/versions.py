"""Per-process caches of reference data that every process drops when the data is
reloaded: the loader bumps the data's version in the database (`bump`), and each
cache (`cached_by_version`) recomputes when the version it was built from is not the
current one. Checking costs one small query, so it suits caches whose contents cost
far more than that to rebuild."""

import datetime
import functools

from django.db.models import F
from django.utils import timezone

from common.models import DataVersion

# Everything a public page shows: bumped by every change to it (web/apps.py connects
# the model signals; bulk writers such as the import and the loaders bump it too).
PUBLIC_DATA = "public"


def current(name: str) -> int:
    return DataVersion.objects.filter(name=name).values_list("version", flat=True).first() or 0


def state(name: str) -> tuple[int, datetime.datetime | None]:
    """(version, when it last changed) of `name`; (0, None) before any change. One query."""
    row = DataVersion.objects.filter(name=name).values_list("version", "changed_at").first()
    return row or (0, None)


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
