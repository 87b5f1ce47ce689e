from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from centres.importing import (
    MAX_CELL_CHARS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportBusy,
    ImportConflict,
    ImportFileError,
    apply_import,
    check_file_size,
    megabytes,
    plan_import,
)


class Command(BaseCommand):
    help = (
        "Import sites from the official labelling list, as a CSV file in the format of "
        "the README (« Importer la liste officielle »). Every row is validated first "
        "(unknown filière or hospital, duplicate, bad e-mail, phone or postcode, "
        "missing column...): if any row fails, nothing is written and the report says "
        "why, row by row. Otherwise sites are created or updated in one transaction. "
        "An empty cell never clears a stored value; sites absent from the file are "
        "left alone unless --complete-filiere says the file is that filière's complete "
        f"list. Limits: {megabytes(MAX_FILE_BYTES)}, {MAX_ROWS} rows, {MAX_CELL_CHARS} "
        "characters a cell. --dry-run only reports what would change. Re-importing a "
        "file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Write nothing.")
        parser.add_argument(
            "--complete-filiere",
            action="append",
            default=[],
            dest="complete_filieres",
            metavar="FILIERE",
            help=(
                "The file is the complete list of this filière (acronym or slug; repeat "
                "the option for several): its published sites absent from the file are "
                "unpublished (never deleted; the history records it, and a later "
                "complete import that lists them publishes them again)."
            ),
        )

    def handle(self, *args, file, dry_run, complete_filieres, **options):
        try:
            check_file_size(file.stat().st_size)
            text = file.read_bytes().decode("utf-8")
        except FileNotFoundError:
            raise CommandError(f"{file}: file not found.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file}: not UTF-8 text (save the CSV as UTF-8).") from None
        except ImportFileError as exc:
            raise CommandError(f"{file}: {exc}") from None
        try:
            plan = plan_import(text, complete_filieres)
        except ImportFileError as exc:
            raise CommandError(f"{file}: {exc} Nothing was written.") from None
        if not plan.rows:
            raise CommandError(f"{file}: no row to import. Nothing was written.")

        for row in tqdm(
            plan.rows,
            desc="Vérification",
            unit=" lignes",
            file=self.stderr._out,
            disable=options["verbosity"] == 0 or len(plan.rows) < 200,
        ):
            if row.errors:
                self.stdout.write(f"ligne {row.line} ({row.label}) : " + " ; ".join(row.errors))
        for error in plan.file_errors:
            self.stdout.write(error)
        if not plan.is_valid:
            raise CommandError(
                f"{len(plan.errors)} ligne(s) en erreur sur {len(plan.rows)} : "
                "rien n'a été enregistré."
            )
        self._report(plan)
        summary = self._summary(plan)
        if dry_run:
            self.stdout.write(
                self.style.WARNING(f"Essai (--dry-run) : {summary}. Rien n'a été enregistré.")
            )
            return
        try:
            apply_import(plan.preview)
        except (ImportBusy, ImportConflict) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Import terminé : {summary}."))

    def _report(self, plan):
        for row in plan.rows:
            detail = ""
            if row.changes:
                detail = " : " + ", ".join(
                    f"{name} « {old} » → « {new} »" for name, (old, new) in row.changes.items()
                )
            new_centre = " (nouveau centre)" if row.centre_is_new else ""
            self.stdout.write(f"ligne {row.line} ({row.label}) : {row.action}{new_centre}{detail}")
        for filiere in plan.complete_filieres:
            self.stdout.write(f"Liste complète de la filière {filiere.acronym}.")
        for site in plan.unpublish:
            self.stdout.write(f"dépublié (absent de la liste complète) : {site} [{site.slug}]")

    @staticmethod
    def _summary(plan):
        summary = (
            f"{plan.count('création')} création(s), {plan.count('modification')} "
            f"modification(s), {plan.count('inchangé')} inchangée(s)"
        )
        if plan.complete_filieres:
            summary += f", {len(plan.unpublish)} dépubliée(s)"
        return summary
