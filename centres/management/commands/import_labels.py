from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from centres.importing import ImportFileError, apply_import, plan_import


class Command(BaseCommand):
    help = (
        "Import sites from the official labelling list, as a CSV file in the format of "
        "the README (« Importer la liste officielle »). Every row is validated first "
        "(unknown filière or hospital, duplicate, bad e-mail, phone or postcode, "
        "missing column...): if any row fails, nothing is written and the report says "
        "why, row by row. Otherwise sites are created or updated in one transaction. "
        "--dry-run only reports what would change. Re-importing a file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Write nothing.")

    def handle(self, *args, file, dry_run, **options):
        try:
            text = file.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"{file}: file not found.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file}: not UTF-8 text (save the CSV as UTF-8).") from None
        try:
            plan = plan_import(text)
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
        if plan.errors:
            raise CommandError(
                f"{len(plan.errors)} ligne(s) en erreur sur {len(plan.rows)} : "
                "rien n'a été enregistré."
            )
        for row in plan.rows:
            detail = ""
            if row.changes:
                detail = " : " + ", ".join(
                    f"{name} « {old} » → « {new} »" for name, (old, new) in row.changes.items()
                )
            new_centre = " (nouveau centre)" if row.centre_is_new else ""
            self.stdout.write(f"ligne {row.line} ({row.label}) : {row.action}{new_centre}{detail}")
        summary = (
            f"{plan.count('création')} création(s), {plan.count('modification')} "
            f"modification(s), {plan.count('inchangé')} inchangée(s)"
        )
        if dry_run:
            self.stdout.write(
                self.style.WARNING(f"Essai (--dry-run) : {summary}. Rien n'a été enregistré.")
            )
            return
        apply_import(plan)
        self.stdout.write(self.style.SUCCESS(f"Import terminé : {summary}."))
