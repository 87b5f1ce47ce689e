import csv
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from tqdm import tqdm

from common.text import normalize
from common.versions import PUBLIC_DATA, bump
from diseases.enums import DiseaseLevel, DiseaseStatus, NameLanguage
from diseases.models import Classification, ClassificationEdge, Disease, DiseaseName
from diseases.search import ORPHANET_DATA

STATUSES = {
    "Active": DiseaseStatus.ACTIVE,
    "Inactive: Obsolete": DiseaseStatus.OBSOLETE,
    "Inactive: Deprecated": DiseaseStatus.DEPRECATED,
    "Inactive: Non rare in Europe": DiseaseStatus.NON_RARE,
}
LEVELS = {
    "Group": DiseaseLevel.GROUP,
    "Disorder": DiseaseLevel.DISORDER,
    "Subtype": DiseaseLevel.SUBTYPE,
}
BATCH = 2000
DELETE_BATCH = 500  # primary keys per DELETE (SQLite's limit on parameters)


def read_csv(path: Path, columns: set[str]) -> list[dict]:
    if not path.exists():
        raise CommandError(f"{path}: file not found.")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = columns - set(reader.fieldnames or [])
        if missing:
            raise CommandError(f"{path.name}: missing column(s) {', '.join(sorted(missing))}.")
        return list(reader)


def as_code(value: str, where: str) -> int:
    try:
        code = int(value)
    except (TypeError, ValueError):
        raise CommandError(f"{where}: {value!r} is not an ORPHA code.") from None
    if code <= 0:
        raise CommandError(f"{where}: {value!r} is not an ORPHA code.")
    return code


def descendant_counts(edges) -> dict[int, int]:
    """How many distinct codes sit below each code, over all classifications. It
    measures how broad a group is (see diseases.coverage)."""
    children = defaultdict(set)
    for _cls, parent, child in edges:
        children[parent].add(child)
    below: dict[int, frozenset] = {}

    def collect(code):
        if code not in below:
            below[code] = frozenset()  # guards against a cycle in bad data
            found = set()
            for child in children[code]:
                found.add(child)
                found |= collect(child)
            below[code] = frozenset(found)
        return below[code]

    for code in list(children):
        collect(code)
    return {code: len(codes) for code, codes in below.items()}


def delete_rows(model, pks: list[int]) -> None:
    """Delete rows by primary key in plain DELETEs. Django's collector would fetch
    every row to send post_delete, whose receiver (web/apps.py) bumps the public
    version once per row; the load bumps it once for all."""
    for start in range(0, len(pks), DELETE_BATCH):
        model.objects.filter(pk__in=pks[start : start + DELETE_BATCH])._raw_delete(model.objects.db)


class Command(BaseCommand):
    help = (
        "Load the Orphanet nomenclature (fixtures/orphanet/: French names, statuses, "
        "synonyms, classifications, redirections of obsolete codes; English names, "
        "synonyms and definitions). Every file is validated before anything is written; "
        "the load is one transaction and can be run again: diseases are updated in "
        "place, names and classification edges made to match the files (only what "
        "changed is written)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source-dir",
            type=Path,
            default=settings.BASE_DIR / "fixtures" / "orphanet",
            help="Folder holding the orphanet_*.csv files.",
        )

    def handle(self, *args, source_dir, **options):
        diseases, names, classifications, edges = self.read_and_validate(source_dir)
        progress = tqdm(
            total=len(diseases) + len(names) + len(edges),
            desc="Orphanet",
            unit=" rows",
            file=self.stderr._out,
            disable=options["verbosity"] == 0,
        )
        with transaction.atomic():
            self.save_diseases(diseases, progress)
            self.save_names(names, progress)
            self.save_classifications(classifications, edges, progress)
            bump(ORPHANET_DATA)  # every process's caches of the names are stale
            bump(PUBLIC_DATA)  # and the cached pages (web/pagecache.py)
        progress.close()
        if connection.vendor == "postgresql":
            # Fresh statistics, so that the planner uses the trigram index at once
            # rather than after autovacuum's next pass.
            with connection.cursor() as cursor:
                for model in (Disease, DiseaseName, ClassificationEdge):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Orphanet loaded: {len(diseases)} diseases, {len(names)} names, "
                f"{len(classifications)} classifications, {len(edges)} edges."
            )
        )

    def read_and_validate(self, source_dir: Path):
        nomenclature = read_csv(
            source_dir / "orphanet_nomenclature_fr.csv",
            {"orpha_code", "nom_fr", "type_fr", "niveau", "statut"},
        )
        diseases = {}
        for line, row in enumerate(nomenclature, start=2):
            where = f"orphanet_nomenclature_fr.csv line {line}"
            code = as_code(row["orpha_code"], where)
            if code in diseases:
                raise CommandError(f"{where}: ORPHA:{code} appears twice.")
            if not row["nom_fr"].strip():
                raise CommandError(f"{where}: empty name.")
            if row["statut"] not in STATUSES or row["niveau"] not in LEVELS:
                raise CommandError(
                    f"{where}: unknown status {row['statut']!r} or level {row['niveau']!r}."
                )
            diseases[code] = Disease(
                orpha_code=code,
                name=row["nom_fr"].strip(),
                disorder_type=row["type_fr"].strip(),
                level=LEVELS[row["niveau"]],
                status=STATUSES[row["statut"]],
            )

        redirections = read_csv(
            source_dir / "orphanet_redirections.csv", {"orpha_code_from", "orpha_code_to"}
        )
        for line, row in enumerate(redirections, start=2):
            where = f"orphanet_redirections.csv line {line}"
            old = as_code(row["orpha_code_from"], where)
            new = as_code(row["orpha_code_to"], where)
            if old not in diseases or new not in diseases:
                raise CommandError(f"{where}: ORPHA:{old} or ORPHA:{new} is not in the list.")
            diseases[old].replaced_by_id = new

        french, english = NameLanguage.FRENCH, NameLanguage.ENGLISH
        names = {(code, french, d.name): True for code, d in diseases.items()}
        synonyms = read_csv(source_dir / "orphanet_synonyms_fr.csv", {"orpha_code", "synonyms"})
        for line, row in enumerate(synonyms, start=2):
            code = as_code(row["orpha_code"], f"orphanet_synonyms_fr.csv line {line}")
            synonym = row["synonyms"].strip()
            if code in diseases and synonym:
                names.setdefault((code, french, synonym), False)

        # English: a code missing from the pack keeps an empty English name (pages
        # then show the French one), never a made-up one.
        nomenclature_en = read_csv(
            source_dir / "orphanet_nomenclature_en.csv",
            {"orpha_code", "name_en", "definition_en"},
        )
        seen = set()
        for line, row in enumerate(nomenclature_en, start=2):
            where = f"orphanet_nomenclature_en.csv line {line}"
            code = as_code(row["orpha_code"], where)
            if code not in diseases:
                raise CommandError(f"{where}: ORPHA:{code} is not in the list.")
            if code in seen:
                raise CommandError(f"{where}: ORPHA:{code} appears twice.")
            seen.add(code)
            disease = diseases[code]
            disease.name_en = row["name_en"].strip()
            disease.definition_en = row["definition_en"].strip()
            if disease.name_en:
                names[(code, english, disease.name_en)] = True
        synonyms_en = read_csv(
            source_dir / "orphanet_synonyms_en.csv", {"orpha_code", "synonym_en"}
        )
        for line, row in enumerate(synonyms_en, start=2):
            code = as_code(row["orpha_code"], f"orphanet_synonyms_en.csv line {line}")
            synonym = row["synonym_en"].strip()
            if code in diseases and synonym:
                names.setdefault((code, english, synonym), False)

        # Rows as tuples: save_names only makes objects of the rows it must insert.
        name_rows = [
            (code, language, name, normalize(name), preferred)
            for (code, language, name), preferred in names.items()
        ]

        rows = read_csv(
            source_dir / "orphanet_classifications.csv",
            {"classification_id", "classification", "parent_orpha_code", "child_orpha_code"},
        )
        classifications = {}
        edges = set()
        for line, row in enumerate(rows, start=2):
            where = f"orphanet_classifications.csv line {line}"
            cls = as_code(row["classification_id"], where)
            classifications.setdefault(cls, row["classification"].strip())
            parent = as_code(row["parent_orpha_code"], where)
            child = as_code(row["child_orpha_code"], where)
            if parent not in diseases or child not in diseases:
                raise CommandError(f"{where}: ORPHA:{parent} or ORPHA:{child} is not in the list.")
            edges.add((cls, parent, child))
        for code, count in descendant_counts(edges).items():
            diseases[code].descendant_count = count
        return list(diseases.values()), name_rows, classifications, sorted(edges)

    def save_diseases(self, diseases, progress):
        # Insert or update in place: other tables (filière coverage) point to these rows.
        # `replaced_by` may point to a row of a later batch: foreign keys are checked at
        # commit (deferred constraints on PostgreSQL and SQLite).
        for start in range(0, len(diseases), BATCH):
            batch = diseases[start : start + BATCH]
            Disease.objects.bulk_create(
                batch,
                update_conflicts=True,
                unique_fields=["orpha_code"],
                update_fields=[
                    "name",
                    "name_en",
                    "definition_en",
                    "disorder_type",
                    "level",
                    "status",
                    "replaced_by",
                    "descendant_count",
                ],
            )
            progress.update(len(batch))

    def save_names(self, names, progress):
        """`names`: (orpha code, language, name, search name, is preferred) rows. Only
        what changed is written: a reload of the same files writes nothing."""
        wanted = dict.fromkeys(names)
        stale = []
        existing = DiseaseName.objects.values_list(
            "pk", "disease_id", "language", "name", "search_name", "is_preferred"
        )
        for pk, *row in existing.iterator():
            if tuple(row) in wanted:
                del wanted[tuple(row)]
            else:
                stale.append(pk)
        delete_rows(DiseaseName, stale)
        new = [
            DiseaseName(
                disease_id=code,
                language=language,
                name=name,
                search_name=search_name,
                is_preferred=preferred,
            )
            for code, language, name, search_name, preferred in wanted
        ]
        progress.update(len(names) - len(new))
        for start in range(0, len(new), BATCH):
            DiseaseName.objects.bulk_create(new[start : start + BATCH])
            progress.update(len(new[start : start + BATCH]))

    def save_classifications(self, classifications, edges, progress):
        existing = dict(Classification.objects.values_list("orphanet_id", "pk"))
        for orphanet_id, name in classifications.items():
            if orphanet_id in existing:
                Classification.objects.filter(pk=existing[orphanet_id]).update(name=name)
            else:
                existing[orphanet_id] = Classification.objects.create(
                    orphanet_id=orphanet_id, name=name
                ).pk
        # Only what changed is written, in the order of the files (by classification).
        wanted = dict.fromkeys((existing[cls], parent, child) for cls, parent, child in edges)
        stale = []
        rows = ClassificationEdge.objects.values_list(
            "pk", "classification_id", "parent_id", "child_id"
        )
        for pk, *key in rows.iterator():
            if tuple(key) in wanted:
                del wanted[tuple(key)]
            else:
                stale.append(pk)
        delete_rows(ClassificationEdge, stale)
        new = [
            ClassificationEdge(classification_id=cls, parent_id=parent, child_id=child)
            for cls, parent, child in wanted
        ]
        progress.update(len(edges) - len(new))
        for start in range(0, len(new), BATCH):
            ClassificationEdge.objects.bulk_create(new[start : start + BATCH])
            progress.update(len(new[start : start + BATCH]))
