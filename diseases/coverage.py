"""Why a filière (or a centre, see centres.matching) covers a disease: the path up the
Orphanet classifications from the disease to a group it is mapped to (FiliereCoverage).

A disease usually sits in several classifications, and Orphanet also files it under
broad phenotype groups (retinitis pigmentosa appears under "syndromic intellectual
disability"), so the number of steps says little about relevance. The most specific
match is the filière mapped to the disease itself, then the one mapped to the
*narrowest* group (fewest diseases below it), then the shortest path.
"""

from dataclasses import dataclass

from django.db import connection

from diseases.models import ClassificationEdge, Disease, FiliereCoverage

MAX_DEPTH = 20
MAX_PATHS_SHOWN = 6


@dataclass
class FiliereMatch:
    filiere: object
    coverage: FiliereCoverage
    path: list[Disease]  # from the disease up to the mapped group

    @property
    def path_names(self) -> list[str]:
        return [d.name for d in self.path]


def _ancestor_rows(orpha_code: int) -> list[tuple[int, int, str, int]]:
    """(ancestor code, depth, path "child>parent>...", classification id) for every
    path up every classification the disease is in. One recursive query (SQLite and
    PostgreSQL both support WITH RECURSIVE)."""
    table = ClassificationEdge._meta.db_table
    sql = f"""
        WITH RECURSIVE ancestors(code, depth, path, cls) AS (
            SELECT parent_id, 1,
                   CAST(child_id AS TEXT) || '>' || CAST(parent_id AS TEXT),
                   classification_id
            FROM {table} WHERE child_id = %s
          UNION ALL
            SELECT e.parent_id, a.depth + 1,
                   a.path || '>' || CAST(e.parent_id AS TEXT),
                   a.cls
            FROM {table} e
            JOIN ancestors a ON e.child_id = a.code AND e.classification_id = a.cls
            WHERE a.depth < %s
        )
        SELECT code, depth, path, cls FROM ancestors
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [orpha_code, MAX_DEPTH])
        return cursor.fetchall()


def _split(path: str) -> list[int]:
    return [int(code) for code in path.split(">")]


@dataclass
class Ancestry:
    """A disease and every code above it, each with the shortest path that reaches it
    (from the disease up), and the raw rows for the classification paths."""

    orpha_code: int
    best_path: dict[int, list[int]]
    rows: list[tuple[int, int, str, int]]

    @property
    def codes(self) -> set[int]:
        return set(self.best_path)

    def specificity(self, orpha_code: int, descendant_count: int) -> tuple[int, int]:
        """Sort key of a mapping to `orpha_code` (the disease itself or an ancestor):
        the disease itself first, then the narrowest group, then the shortest path."""
        breadth = 0 if orpha_code == self.orpha_code else descendant_count
        return (breadth, len(self.best_path[orpha_code]))

    def complete_paths(self) -> list[list[int]]:
        """The classification paths no other path of the same classification extends,
        shortest first (each from the disease up)."""
        paths = {(cls, path) for _code, _depth, path, cls in self.rows}
        extended = {(cls, path.rsplit(">", 1)[0]) for cls, path in paths}
        return sorted(
            (_split(path) for cls, path in paths if (cls, path) not in extended),
            key=lambda codes: (len(codes), codes),
        )[:MAX_PATHS_SHOWN]


def ancestry(orpha_code: int) -> Ancestry:
    """One query."""
    rows = _ancestor_rows(orpha_code)
    best: dict[int, list[int]] = {orpha_code: [orpha_code]}
    for _code, _depth, path, _cls in sorted(rows, key=lambda row: row[1]):
        codes = _split(path)
        best.setdefault(codes[-1], codes)
    return Ancestry(orpha_code, best, rows)


def ranked_filiere_coverage(ancestors: Ancestry) -> list[FiliereCoverage]:
    """The filière mappings reached, most specific first, one per filière. One query."""
    coverage = FiliereCoverage.objects.filter(disease_id__in=ancestors.best_path).select_related(
        "filiere", "disease"
    )

    def key(item):
        return (
            *ancestors.specificity(item.disease_id, item.disease.descendant_count),
            item.filiere.acronym.casefold(),
        )

    chosen: dict[int, FiliereCoverage] = {}
    for item in sorted(coverage, key=key):
        chosen.setdefault(item.filiere_id, item)
    return list(chosen.values())


def names_for(ancestors: Ancestry, disease: Disease, codes) -> dict[int, Disease]:
    """The Disease objects of `codes` (one query, none when there is nothing to load)."""
    needed = set(codes) - {disease.orpha_code}
    names = Disease.objects.in_bulk(needed) if needed else {}
    names[disease.orpha_code] = disease
    return names


def path_of(ancestors: Ancestry, names, orpha_code: int) -> list[Disease]:
    """The path from the disease up to `orpha_code`, as Disease objects."""
    return [names[code] for code in ancestors.best_path[orpha_code] if code in names]
