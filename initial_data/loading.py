"""Loading fixtures into a database that staff edit.

A fixture object is matched to its row by natural key. A new object is saved as the
fixture has it. An existing row is only written when the fixture differs from it,
through the model's `save()` (so a site's `version` counts up) with a history record
whose change reason is `LOADER_REASON` and whose user is empty. A row that was
changed by anything else than the loader since the loader last wrote it (staff in
the admin, an import, a shell: any other history record) is *kept* and listed,
unless its key is given to `force`.

Only models with a django-simple-history table (hospitals, filières, centres,
sites) can tell an edit; the others (published totals, disease scopes) are
reloaded from the fixtures as before.
"""

import json
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core import serializers
from django.db.models import Max, Q

from centres.enums import SiteRole
from centres.models import Site

# Stored in the history tables and shown in the admin's « Historique »; the loader
# recognises its own records by it, so it is a constant, not a translated string.
LOADER_REASON = "chargement des données initiales"
FORCED_REASON = f"{LOADER_REASON} (modifications remplacées, --force)"
# Never written on an existing row: set by Django (dates, the site's version) or
# by staff (the date they confirmed a site is up to date).
NOT_RELOADED = frozenset({"created_at", "updated_at", "version", "verified_on"})


@dataclass
class Kept:
    """A fixture object left as the database has it."""

    key: str  # "site:<slug>", what --force takes
    fields: list[str]  # where the fixture differs
    edited_by: str = ""
    edited_at: object = None
    blocked_by: str = ""  # the coordinating site that holds the role

    def describe(self) -> str:
        fields = ", ".join(self.fields)
        if self.blocked_by:
            return (
                f"{self.key} — {fields}: cannot become coordinating while "
                f"{self.blocked_by} is (kept)"
            )
        when = self.edited_at.strftime("%Y-%m-%d %H:%M") if self.edited_at else "?"
        return f"{self.key} — {fields}: edited by {self.edited_by or 'no user'} on {when}"


def history_model(model):
    name = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, name).model if name else None


class FixtureLoader:
    """Load fixture files one after the other (each may refer to the objects of the
    previous ones). `only_new` adds the missing objects and writes nothing else."""

    def __init__(self, *, only_new=False, force=()):
        self.only_new = only_new
        self.force = set(force)
        self.seen = set()  # keys of the history models' fixture objects
        self.replaced = []  # keys of the edited rows replaced because of `force`
        self.kept = []
        self._rows = {}  # model -> {pk: row}, read once
        self._edits = {}  # model -> {pk: history_id of an edit after the loader's last write}

    def load(self, path) -> tuple[int, int]:
        """Load one fixture file; returns (added, updated)."""
        items = json.loads(path.read_text(encoding="utf-8"))
        # The sites the fixtures make coordinating come last, once the former holders
        # have taken their new role: at most one per centre, checked row by row.
        last = [
            item["model"] == "centres.site" and item["fields"].get("role") == SiteRole.COORDINATING
            for item in items
        ]
        counts = {"added": 0, "updated": 0}
        for batch in (
            [item for item, is_last in zip(items, last, strict=True) if not is_last],
            [item for item, is_last in zip(items, last, strict=True) if is_last],
        ):
            added = defaultdict(list)
            objects = serializers.deserialize("python", batch)
            for raw, item in zip(batch, objects, strict=True):
                result = self._load_one(raw, item)
                if result:
                    counts[result] += 1
                    if result == "added":
                        added[type(item.object)].append(item.object)
            for model, objs in added.items():
                if history_model(model) is not None:
                    model.history.bulk_history_create(objs, default_change_reason=LOADER_REASON)
        return counts["added"], counts["updated"]

    def _load_one(self, raw, item):
        obj = item.object
        model = type(obj)
        if item.m2m_data:
            raise ValueError(f"{raw['model']}: many-to-many fields are not supported.")
        key = self._key(obj)
        existing = self._existing(model).get(obj.pk) if obj.pk is not None else None
        if existing is None:
            blocker = self._coordinating_holder(obj)
            if blocker:
                self.kept.append(Kept(key, ["role"], blocked_by=blocker))
                return None
            item.save()  # as the fixture has it, dates included
            obj._history_user = None  # the loader, never the request's user
            return "added"
        if self.only_new:
            return None
        changed = [
            field
            for name in raw["fields"]
            if name not in NOT_RELOADED
            for field in [model._meta.get_field(name)]
            if getattr(existing, field.attname) != getattr(obj, field.attname)
        ]
        if not changed:
            return None
        names = [field.name for field in changed]
        edit = self._edits_of(model).get(existing.pk)
        if edit is not None and key not in self.force:
            self.kept.append(self._kept_edit(model, key, names, edit))
            return None
        if "role" in names:
            blocker = self._coordinating_holder(obj)
            if blocker:
                self.kept.append(Kept(key, names, blocked_by=blocker))
                return None
        for field in changed:
            setattr(existing, field.attname, getattr(obj, field.attname))
        existing._change_reason = LOADER_REASON if edit is None else FORCED_REASON
        existing._history_user = None
        existing.save()
        if edit is not None:
            self.replaced.append(key)
        return "updated"

    def _key(self, obj):
        if history_model(type(obj)) is None:
            return None  # never kept, so never forced
        key = f"{obj._meta.model_name}:{':'.join(str(value) for value in obj.natural_key())}"
        self.seen.add(key)
        return key

    def _existing(self, model):
        if model not in self._rows:
            self._rows[model] = model._default_manager.in_bulk()
        return self._rows[model]

    def _edits_of(self, model):
        """The rows changed by something else than the loader after its last write
        (or ever, if it never wrote them): one query per model."""
        if model not in self._edits:
            history = history_model(model)
            edits = {}
            if history is not None:
                pk = model._meta.pk.attname
                by_loader = Q(
                    history_user__isnull=True, history_change_reason__startswith=LOADER_REASON
                )
                rows = (
                    history.objects.order_by()
                    .values(pk)
                    .annotate(
                        loaded=Max("history_id", filter=by_loader),
                        edited=Max("history_id", filter=~by_loader),
                    )
                )
                edits = {
                    row[pk]: row["edited"]
                    for row in rows
                    if row["edited"] is not None
                    and (row["loaded"] is None or row["edited"] > row["loaded"])
                }
            self._edits[model] = edits
        return self._edits[model]

    def _kept_edit(self, model, key, names, history_id):
        username = f"history_user__{get_user_model().USERNAME_FIELD}"
        edited_at, edited_by = (
            history_model(model)
            .objects.filter(history_id=history_id)
            .values_list("history_date", username)
            .get()
        )
        return Kept(key, names, edited_by=edited_by or "", edited_at=edited_at)

    @staticmethod
    def _coordinating_holder(obj) -> str:
        """For a site the fixture makes coordinating: the other site of its centre
        that is coordinating in the database (edited by staff, so kept), if any."""
        if not isinstance(obj, Site) or obj.role != SiteRole.COORDINATING:
            return ""
        holder = (
            Site.objects.filter(centre_id=obj.centre_id, role=SiteRole.COORDINATING)
            .exclude(pk=obj.pk)
            .values_list("slug", flat=True)
            .first()
        )
        return f"site:{holder}" if holder else ""
