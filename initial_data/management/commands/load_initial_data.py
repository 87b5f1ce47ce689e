import io

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from centres.models import (
    CentreCoverage,
    PublishedCount,
    ReferenceCentre,
    Site,
    refresh_site_positions,
)
from common.versions import grouped_bumps
from communes.models import Commune
from diseases.models import Disease, FiliereCoverage
from filieres.models import Filiere
from hospitals.models import Hospital
from initial_data.loading import FixtureLoader

# Order matters: each file only refers to objects of the files before it (the
# filière ↔ Orphanet mapping needs the nomenclature, loaded by load_orphanet).
DIRECTORY_FIXTURES = ["hospitals.json", "filieres.json", "centres.json", "published_counts.json"]
# The disease scopes of filières and centres (they need the nomenclature).
COVERAGE_FIXTURES = ["filiere_coverage.json", "centre_coverage.json"]
# The models whose staff edits the history tells, by the name --force takes.
FORCEABLE = {model._meta.model_name: model for model in (Hospital, Filiere, ReferenceCentre, Site)}


class Command(BaseCommand):
    help = (
        "Load all the sourced reference data shipped in fixtures/ (see fixtures/README.md): "
        "hospitals, filières, centres and sites; the Orphanet nomenclature and the "
        "filière ↔ Orphanet mapping; the French communes. Fixture objects are matched by "
        "natural key, so running it again updates the same rows instead of duplicating "
        "them; rows that are not in the fixtures are left alone. A hospital, filière, "
        "centre or site changed since the loader last wrote it (by staff in the admin, "
        "as its history shows) is kept and listed; --force MODEL:SLUG replaces one with "
        "the fixture. The loader's own changes are in the history (« chargement des "
        "données initiales »)."
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
                "existing ones as they are."
            ),
        )
        parser.add_argument(
            "--force",
            action="append",
            default=[],
            metavar="MODEL:SLUG",
            help=(
                "Replace this record with the fixture even though it was edited since it "
                "was loaded (the listed key, e.g. site:crcm-chu-de-reims-crc). Repeatable."
            ),
        )

    def handle(
        self,
        *args,
        skip_orphanet=False,
        skip_communes=False,
        only_new=False,
        force=(),
        **options,
    ):
        force = _forced_keys(force, only_new)
        fixtures_dir = settings.BASE_DIR / "fixtures"
        quiet = {"verbosity": 0, "stdout": io.StringIO()}
        loader = FixtureLoader(only_new=only_new, force=force)

        def load(names):
            kept_before = len(loader.kept)
            added = updated = 0
            for name in names:
                file_added, file_updated = loader.load(fixtures_dir / name)
                added, updated = added + file_added, updated + file_updated
            if only_new:
                self.stdout.write(f"{', '.join(names)}: {added} new object(s) added")
            else:
                self.stdout.write(
                    f"{', '.join(names)}: {added} added, {updated} updated, "
                    f"{len(loader.kept) - kept_before} kept"
                )

        # Every saved object bumps the public data's version (its signal): once here.
        with transaction.atomic(), grouped_bumps():
            load(DIRECTORY_FIXTURES)
            if not skip_orphanet:
                call_command("load_orphanet", **quiet)
            load(COVERAGE_FIXTURES)
            if not skip_communes:
                call_command("load_communes", **quiet)
            # New fixture objects are saved raw (no Site.save): place every site.
            refresh_site_positions()
            unknown = sorted(force - loader.seen)
            if unknown:
                raise CommandError(
                    f"--force {', '.join(unknown)}: not in the fixtures (a typo?). "
                    "Nothing was written."
                )
        if connection.vendor == "sqlite":
            # SQLite keeps no statistics of its own (PostgreSQL's autovacuum does):
            # without them, its planner leaves out the covering indexes of the lists
            # (centres/0014) and reads the sites' rows.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self._report(loader, force)
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

    def _report(self, loader, force):
        if loader.kept:
            self.stdout.write(
                self.style.WARNING(
                    f"Kept {len(loader.kept)} record(s) as the database has them: changed "
                    "since the loader last wrote them, where the fixtures differ on the "
                    "fields listed. Check each one in the admin (« Historique »); to "
                    "replace one with the fixture, run again with --force MODEL:SLUG."
                )
            )
            for kept in loader.kept:
                self.stdout.write(f"  {kept.describe()}")
        for key in loader.replaced:
            self.stdout.write(f"Replaced with the fixture (--force): {key}")
        for key in sorted(force - set(loader.replaced)):
            self.stdout.write(
                f"--force {key}: nothing replaced (not edited since loaded, or the fixture "
                "and the database agree, or another record blocks it)."
            )


def _forced_keys(values, only_new) -> set[str]:
    if values and only_new:
        raise CommandError("--force replaces edited records: it has no effect with --only-new.")
    keys = set()
    for value in values:
        model, sep, slug = value.partition(":")
        if not sep or not slug:
            raise CommandError(
                f"--force {value!r}: expected MODEL:SLUG, as listed by the loader "
                "(e.g. site:crcm-chu-de-reims-crc)."
            )
        if model not in FORCEABLE:
            raise CommandError(
                f"--force {value!r}: MODEL is one of {', '.join(sorted(FORCEABLE))}."
            )
        keys.add(f"{model}:{slug}")
    return keys
