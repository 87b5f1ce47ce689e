import io
import json

from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from centres.enums import SiteRole
from centres.models import CentreCoverage, PublishedCount, ReferenceCentre, Site
from communes.models import Commune
from diseases.models import Disease, FiliereCoverage
from filieres.models import Filiere
from hospitals.models import Hospital

# Order matters: each file only refers to objects of the files before it (the
# filière ↔ Orphanet mapping needs the nomenclature, loaded by load_orphanet).
DIRECTORY_FIXTURES = ["hospitals.json", "filieres.json", "centres.json", "published_counts.json"]
# The disease scopes of filières and centres (they need the nomenclature).
COVERAGE_FIXTURES = ["filiere_coverage.json", "centre_coverage.json"]


class Command(BaseCommand):
    help = (
        "Load all the sourced reference data shipped in fixtures/ (see fixtures/README.md): "
        "hospitals, filières, centres and sites; the Orphanet nomenclature and the "
        "filière ↔ Orphanet mapping; the French communes. Fixture objects are matched by "
        "natural key, so running it again updates the same rows instead of duplicating "
        "them. Rows present in the database but not in the fixtures are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-orphanet",
            action="store_true",
            help="Do not (re)load the Orphanet nomenclature (it must already be loaded).",
        )
        parser.add_argument(
            "--skip-communes", action="store_true", help="Do not (re)load the communes."
        )
        parser.add_argument(
            "--only-new",
            action="store_true",
            help=(
                "Add the fixture objects that are not in the database yet, and leave the "
                "existing ones as they are (keeps what staff edited in the admin)."
            ),
        )

    def handle(self, *args, skip_orphanet=False, skip_communes=False, only_new=False, **options):
        fixtures_dir = settings.BASE_DIR / "fixtures"
        quiet = {"verbosity": 0, "stdout": io.StringIO()}

        def load(names):
            paths = [fixtures_dir / name for name in names]
            if only_new:
                added = sum(_add_missing(path) for path in paths)
                self.stdout.write(f"{', '.join(names)}: {added} new object(s) added")
            else:
                _release_coordinating_roles(paths)
                call_command("loaddata", *(str(path) for path in paths), **quiet)

        with transaction.atomic():
            load(DIRECTORY_FIXTURES)
            if not skip_orphanet:
                call_command("load_orphanet", **quiet)
            load(COVERAGE_FIXTURES)
            if not skip_communes:
                call_command("load_communes", **quiet)
        models = [
            Hospital,
            Filiere,
            ReferenceCentre,
            Site,
            PublishedCount,
            Disease,
            FiliereCoverage,
            CentreCoverage,
            Commune,
        ]
        for model in models:
            self.stdout.write(f"{model._meta.verbose_name_plural}: {model.objects.count()}")
        self.stdout.write(self.style.SUCCESS("Reference data loaded."))


def _release_coordinating_roles(paths) -> None:
    """Before a full reload: sites that the fixtures no longer make coordinating take
    their new role first, so that the fixtures' new coordinating site can be saved (at
    most one per centre is a database constraint, checked row by row)."""
    roles = {}
    for path in paths:
        for item in json.loads(path.read_text(encoding="utf-8")):
            if item["model"] == "centres.site":
                roles[item["fields"]["slug"]] = item["fields"]["role"]
    losing = Site.objects.filter(role=SiteRole.COORDINATING, slug__in=roles).exclude(
        slug__in=[slug for slug, role in roles.items() if role == SiteRole.COORDINATING]
    )
    for slug in losing.values_list("slug", flat=True):
        Site.objects.filter(slug=slug).update(role=roles[slug])


def _add_missing(path) -> int:
    """Save the objects of a natural-key fixture that the database does not have yet.
    (Deserialising resolves a natural key to the existing row's pk, if any.)"""
    added = 0
    with path.open(encoding="utf-8") as handle:
        for item in serializers.deserialize("json", handle):
            if item.object.pk is None:
                item.save()
                added += 1
    return added
