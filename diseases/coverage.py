"""Why a filière covers a disease: the path up the Orphanet classifications from the
disease to a group the filière is mapped to (FiliereCoverage).

A disease usually sits in several classifications, and Orphanet also files it under
broad phenotype groups (retinitis pigmentosa appears under "syndromic intellectual
disability"), so the number of steps says little about relevance. The most specific
match is the filière mapped to the disease itself, then the one mapped to the
*narrowest* group (fewest diseases below it), then the shortest path.
"""

from dataclasses import dataclass, field

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


@dataclass
class DiseaseContext:
    codes: set[int] = field(default_factory=set)  # the disease and its ancestors
    filiere_matches: list[FiliereMatch] = field(default_factory=list)
    classification_paths: list[list[Disease]] = field(default_factory=list)

    @property
    def filieres(self):
        return [match.filiere for match in self.filiere_matches]


@dataclass
class Coverage:
    """What the site filter needs: the disease and its ancestors, and the filières
    covering it, best match first (position 0)."""

    codes: set[int]
    filiere_ranks: dict[int, int]


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


def _shortest_paths(orpha_code: int, rows) -> dict[int, list[int]]:
    """The shortest path from the disease to itself and to each ancestor."""
    best: dict[int, list[int]] = {orpha_code: [orpha_code]}
    for _code, _depth, path, _cls in sorted(rows, key=lambda row: row[1]):
        codes = _split(path)
        best.setdefault(codes[-1], codes)
    return best


def _ranked_coverage(best_path) -> list[FiliereCoverage]:
    """The filière mappings reached, most specific first, one per filière."""
    coverage = FiliereCoverage.objects.filter(disease_id__in=best_path).select_related(
        "filiere", "disease"
    )

    def specificity(item):
        direct = item.disease_id == next(iter(best_path))
        breadth = 0 if direct else item.disease.descendant_count
        return (breadth, len(best_path[item.disease_id]), item.filiere.acronym.casefold())

    chosen: dict[int, FiliereCoverage] = {}
    for item in sorted(coverage, key=specificity):
        chosen.setdefault(item.filiere_id, item)
    return list(chosen.values())


def coverage_for(orpha_code: int) -> Coverage:
    """For the site filter. 2 queries."""
    best_path = _shortest_paths(orpha_code, _ancestor_rows(orpha_code))
    ranked = _ranked_coverage(best_path)
    return Coverage(
        codes=set(best_path),
        filiere_ranks={item.filiere_id: rank for rank, item in enumerate(ranked)},
    )


def disease_context(disease: Disease) -> DiseaseContext:
    """The filières covering `disease`, best match first, with the path that explains
    each, and the disease's classification paths (root first). 3 queries."""
    rows = _ancestor_rows(disease.orpha_code)
    best_path = _shortest_paths(disease.orpha_code, rows)
    ranked = _ranked_coverage(best_path)

    # Complete paths: those no other path of the same classification extends.
    paths = {(cls, path) for _code, _depth, path, cls in rows}
    extended = {(cls, path.rsplit(">", 1)[0]) for cls, path in paths}
    complete = sorted(
        (_split(path) for cls, path in paths if (cls, path) not in extended),
        key=lambda codes: (len(codes), codes),
    )[:MAX_PATHS_SHOWN]

    needed = {code for item in ranked for code in best_path[item.disease_id]}
    needed.update(code for codes in complete for code in codes)
    names = Disease.objects.in_bulk(needed) if needed else {}
    names[disease.orpha_code] = disease
    return DiseaseContext(
        codes=set(best_path),
        filiere_matches=[
            FiliereMatch(
                filiere=item.filiere,
                coverage=item,
                path=[names[code] for code in best_path[item.disease_id] if code in names],
            )
            for item in ranked
        ],
        classification_paths=[
            [names[code] for code in reversed(codes) if code in names] for codes in complete
        ],
    )
