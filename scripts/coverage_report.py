#!/usr/bin/env python3
"""Disease-scope coverage report, from the CSVs and fixtures only (standard library).

    python3 scripts/coverage_report.py                      # cases + figures
    python3 scripts/coverage_report.py --write-uncovered    # also rewrite
                                            fixtures/orphanet/uncovered_disorders.csv
    python3 scripts/coverage_report.py --filiere-coverage OTHER.json   # figures for
                                            another version of the filière mapping

It applies the ranking the site uses (centres/matching.py, diseases/coverage.py) to
every case of tests/diseases/gp_centre_cases.csv: for a disease D, D and all its
ancestors, walked inside each classification; a centre matches when one of its scope
codes (fixtures/centre_coverage.json) is D or an ancestor; the most specific first: a
centre mapped to D itself, then the narrowest group (fewest codes below it, over all
classifications), then the shortest path. Centres equal on those keys are "ex aequo"
(the site then orders them by name). A case passes when the expected centre is first
or ex aequo with the first.

Figures: centres with a scope / all centres; active disorders (status Active, level
Disorder) reached by at least one centre scope; active disorders reaching no filière
(fixtures/filiere_coverage.json).
"""

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
ORPHANET = FIXTURES / "orphanet"


def load_nomenclature():
    with open(ORPHANET / "orphanet_nomenclature_fr.csv", encoding="utf-8") as f:
        return {int(r["orpha_code"]): r for r in csv.DictReader(f)}


def load_edges():
    """parents[child] = {(parent, classification)}, children[parent] = {child}."""
    parents = defaultdict(set)
    children = defaultdict(set)
    with open(ORPHANET / "orphanet_classifications.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            parent, child = int(r["parent_orpha_code"]), int(r["child_orpha_code"])
            parents[child].add((parent, r["classification_id"]))
            children[parent].add(child)
    return parents, children


def descendant_counts(children):
    """Distinct codes below each code over all classifications (as load_orphanet)."""
    below = {}

    def collect(code):
        if code not in below:
            below[code] = frozenset()  # guards against a cycle
            found = set()
            for child in children[code]:
                found.add(child)
                found |= collect(child)
            below[code] = frozenset(found)
        return below[code]

    sys.setrecursionlimit(10000)
    for code in list(children):
        collect(code)
    return {code: len(codes) for code, codes in below.items()}


def ancestry(code, parents, max_depth=20):
    """{ancestor: shortest path length in codes, disease included}, walking up each
    classification separately (as the site's recursive query); D itself has 1."""
    best = {code: 1}
    frontier = [(p, cls) for p, cls in parents[code]]
    seen = set()
    depth = 1
    while frontier and depth <= max_depth:
        next_frontier = []
        for parent, cls in frontier:
            if (parent, cls) in seen:
                continue
            seen.add((parent, cls))
            best.setdefault(parent, depth + 1)
            next_frontier += [(p, c) for p, c in parents[parent] if c == cls]
        frontier = next_frontier
        depth += 1
    return best


def load_fixture(path, model):
    with open(path, encoding="utf-8") as f:
        return [row for row in json.load(f) if row["model"] == model]


def scope_index(rows, key):
    """{code: {owner slug}} from coverage rows (owner = centre or filière)."""
    index = defaultdict(set)
    for row in rows:
        fields = row["fields"]
        index[int(fields["disease"])].add(fields[key][0])
    return index


def rank(code, index, parents, counts, names=None):
    """[(key, slug, scope code)] best entry per owner, most specific first; owners
    equal on the key are ordered by name, as on the site."""
    anc = ancestry(code, parents)
    best = {}
    for scope_code, length in anc.items():
        for slug in index.get(scope_code, ()):
            breadth = 0 if scope_code == code else counts.get(scope_code, 0)
            key = (breadth, length)
            if slug not in best or key < best[slug][0]:
                best[slug] = (key, scope_code)
    names = names or {}

    def order(item):
        key, slug, _ = item
        return (key, names.get(slug, slug).casefold(), slug)

    return sorted(((key, slug, sc) for slug, (key, sc) in best.items()), key=order)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", default=ROOT / "tests/diseases/gp_centre_cases.csv")
    parser.add_argument("--centre-coverage", default=FIXTURES / "centre_coverage.json")
    parser.add_argument("--filiere-coverage", default=FIXTURES / "filiere_coverage.json")
    parser.add_argument(
        "--write-uncovered",
        action="store_true",
        help="rewrite fixtures/orphanet/uncovered_disorders.csv",
    )
    parser.add_argument("--quiet", action="store_true", help="figures only")
    args = parser.parse_args()

    nom = load_nomenclature()
    parents, children = load_edges()
    counts = descendant_counts(children)
    centres = {
        r["fields"]["slug"]: r["fields"]
        for r in load_fixture(FIXTURES / "centres.json", "centres.referencecentre")
    }
    centre_rows = load_fixture(args.centre_coverage, "centres.centrecoverage")
    filiere_rows = load_fixture(args.filiere_coverage, "diseases.filierecoverage")
    filieres = {
        r["fields"]["slug"] for r in load_fixture(FIXTURES / "filieres.json", "filieres.filiere")
    }

    # Integrity: every slug and code exists, no duplicate pair.
    errors = []
    pairs = set()
    for row in centre_rows:
        f = row["fields"]
        slug, code = f["centre"][0], int(f["disease"])
        if slug not in centres:
            errors.append(f"centre_coverage: unknown centre {slug}")
        if code not in nom:
            errors.append(f"centre_coverage: unknown ORPHA:{code}")
        if (slug, code) in pairs:
            errors.append(f"centre_coverage: duplicate {slug} ORPHA:{code}")
        pairs.add((slug, code))
        if not f.get("justification") or len(f["justification"]) > 500:
            errors.append(f"centre_coverage: bad justification {slug} ORPHA:{code}")
    for row in filiere_rows:
        f = row["fields"]
        if f["filiere"][0] not in filieres:
            errors.append(f"filiere_coverage: unknown filière {f['filiere'][0]}")
        if int(f["disease"]) not in nom:
            errors.append(f"filiere_coverage: unknown ORPHA:{f['disease']}")
    for error in errors:
        print("ERROR", error)

    centre_index = scope_index(centre_rows, "centre")
    centre_names = {slug: fields["name"] for slug, fields in centres.items()}
    filiere_index = scope_index(filiere_rows, "filiere")

    failures = []
    firsts = 0
    if not args.quiet:
        with open(args.cases, encoding="utf-8") as f:
            cases = list(csv.DictReader(f))
        print(f"GP cases ({len(cases)}):")
        for case in cases:
            code, expected = int(case["orpha_code"]), case["expected_centre_slug"]
            if code not in nom or expected not in centres:
                print(f"ERROR case {case['query']!r}: unknown code or centre")
                failures.append(case)
                continue
            ranked = rank(code, centre_index, parents, counts, centre_names)
            first = ranked[0] if ranked else None
            tied = [slug for key, slug, _ in ranked if first and key == first[0]]
            position = next((i for i, (_, slug, _) in enumerate(ranked) if slug == expected), None)
            if first and first[1] == expected:
                status = "PASS"
                firsts += 1
            elif expected in tied:
                status = "PASS (ex aequo)"
            else:
                status = "FAIL"
                failures.append(case)
            shown = f"{first[1]} via ORPHA:{first[2]}" if first else "no centre scope"
            extra = f", {len(tied) - 1} ex aequo" if len(tied) > 1 else ""
            where = "absent" if position is None else f"#{position + 1}"
            print(
                f"  {status:15} {case['query']} (ORPHA:{code}): first {shown}{extra}; "
                f"expected {expected} {where}"
            )
        print(
            f"  -> {len(cases) - len(failures)} pass ({firsts} first, "
            f"{len(cases) - len(failures) - firsts} ex aequo), {len(failures)} fail"
        )

    with_scope = {row["fields"]["centre"][0] for row in centre_rows}
    active = [c for c, r in nom.items() if r["statut"] == "Active" and r["niveau"] == "Disorder"]
    reached_centre = 0
    uncovered = []
    for code in active:
        anc = ancestry(code, parents)
        if any(a in centre_index for a in anc):
            reached_centre += 1
        if not any(a in filiere_index for a in anc):
            uncovered.append(code)
    print()
    print(f"Centres with a scope: {len(with_scope & set(centres))} / {len(centres)}")
    print(
        f"Active disorders reached by at least one centre scope: {reached_centre} / {len(active)}"
    )
    print(f"Active disorders reaching no filière: {len(uncovered)} / {len(active)}")
    without = sorted(set(centres) - with_scope)
    if without:
        print("Centres without a scope:", ", ".join(without))

    if args.write_uncovered:
        path = ORPHANET / "uncovered_disorders.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(["orpha_code", "name"])
            for code in sorted(uncovered):
                writer.writerow([code, nom[code]["nom_fr"]])
        print(f"Wrote {path.relative_to(ROOT)} ({len(uncovered)} rows)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
