"""Which centres treat a disease, the most specific first.

A reference centre's scope (`CentreCoverage`) is read from its published name ("Maladies
bulleuses auto-immunes" -> the Orphanet group of autoimmune bullous dermatoses). For a
disease, every centre whose scope is the disease or one of its ancestors in the Orphanet
classifications matches; the most specific first: a centre mapped to the disease
itself, then the one mapped to the narrowest group (fewest diseases below it), then the
shortest path, then the centre's name. The other centres of the filières whose domain
covers the disease (diseases.coverage) come after, filière by filière, never mixed in:
their scope is broader or not published.
"""

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Case, IntegerField, Q, Value, When

from centres.models import CentreCoverage, ReferenceCentre
from diseases.coverage import (
    FiliereMatch,
    ancestry,
    names_for,
    path_of,
    ranked_filiere_coverage,
)
from diseases.models import Disease

# Sites of the filières' other centres sort after every matched centre.
OTHER_CENTRES_GROUP = 1000


@dataclass
class CentreMatch:
    centre: ReferenceCentre
    coverage: CentreCoverage  # the centre's most specific scope entry reaching the disease
    path: list[Disease]  # from the disease up to the scope entry
    group: int  # sort position among the disease's centres
    specificity: tuple[int, int]  # equal for centres ex aequo (then ordered by name)


@dataclass
class DiseaseCentres:
    disease: Disease
    centre_matches: list[CentreMatch]
    filiere_matches: list[FiliereMatch]
    classification_paths: list[list[Disease]]

    @property
    def filieres(self):
        return [match.filiere for match in self.filiere_matches]

    def group_of_centre(self, centre) -> int | None:
        """The sort group of a centre's sites: its own when it matched, else its
        filière's (after all matched centres), None when neither covers the disease."""
        for match in self.centre_matches:
            if match.centre.pk == centre.pk:
                return match.group
        for rank, match in enumerate(self.filiere_matches):
            if match.filiere.pk == centre.filiere_id:
                return OTHER_CENTRES_GROUP + rank
        return None

    def heading_for_group(self, group: int):
        """What a group of sites is: (CentreMatch, None) or (None, FiliereMatch)."""
        if group < OTHER_CENTRES_GROUP:
            return self.centre_matches[group], None
        return None, self.filiere_matches[group - OTHER_CENTRES_GROUP]

    @cached_property
    def filiere_centres(self) -> dict[int, list[int]]:
        """{filière pk: the pks of its centres} for the filières matched. One query
        (none without a filière), so that the sites are then chosen and grouped on
        their own `centre_id`, an indexed column, with no join per site."""
        by_filiere: dict[int, list[int]] = {m.filiere.pk: [] for m in self.filiere_matches}
        if by_filiere:
            rows = ReferenceCentre.objects.filter(filiere_id__in=by_filiere).order_by("pk")
            for pk, filiere_id in rows.values_list("pk", "filiere_id"):
                by_filiere[filiere_id].append(pk)
        return by_filiere

    @cached_property
    def centres_by_group(self) -> dict[int, list[int]]:
        """{sort group: the pks of its centres}, as `group_expression` assigns them (the
        first of its cases that holds: a matched centre in its own group, then by
        filière)."""
        groups: dict[int, list[int]] = {}
        seen: set[int] = set()
        for match in self.centre_matches:
            groups.setdefault(match.group, []).append(match.centre.pk)
            seen.add(match.centre.pk)
        for rank, match in enumerate(self.filiere_matches):
            for pk in self.filiere_centres[match.filiere.pk]:
                if pk not in seen:
                    groups.setdefault(OTHER_CENTRES_GROUP + rank, []).append(pk)
                    seen.add(pk)
        return groups

    def group_condition(self, group: int) -> Q:
        """The sites of a sort group, by their own indexed column (`centre_id`): what
        `match_group = group` selects, in a form an index serves."""
        return Q(centre_id__in=self.centres_by_group.get(group, []))

    def group_expression(self):
        """SQL: the sort group of a site (see group_of_centre)."""
        whens = [When(centre_id=m.centre.pk, then=Value(m.group)) for m in self.centre_matches]
        whens += [
            When(
                centre_id__in=self.filiere_centres[m.filiere.pk],
                then=Value(OTHER_CENTRES_GROUP + rank),
            )
            for rank, m in enumerate(self.filiere_matches)
            if self.filiere_centres[m.filiere.pk]
        ]
        if not whens:
            return Value(OTHER_CENTRES_GROUP, output_field=IntegerField())
        return Case(*whens, default=Value(2 * OTHER_CENTRES_GROUP), output_field=IntegerField())

    @property
    def centre_ids(self) -> list[int]:
        """The pks of the centres matched and of the filières' other centres."""
        return sorted(pk for pks in self.centres_by_group.values() for pk in pks)

    def sites(self, queryset):
        """The sites of `queryset` whose centre treats the disease, annotated with
        `match_group` and ordered by it, then by the queryset's own order."""
        centres = self.centre_ids
        ordering = queryset.query.order_by
        if not centres:
            return queryset.annotate(match_group=self.group_expression()).none()
        return (
            queryset.filter(centre_id__in=centres)
            .annotate(match_group=self.group_expression())
            .order_by("match_group", *ordering)
        )


def ranked_centre_coverage(ancestors) -> list[CentreCoverage]:
    """The centre scope entries reached, most specific first, one per centre. One query."""
    coverage = CentreCoverage.objects.filter(disease_id__in=ancestors.best_path).select_related(
        "centre__filiere", "disease"
    )

    def key(item):
        return (
            *ancestors.specificity(item.disease_id, item.disease.descendant_count),
            item.centre.name.casefold(),
            item.centre.pk,
        )

    chosen: dict[int, CentreCoverage] = {}
    for item in sorted(coverage, key=key):
        chosen.setdefault(item.centre_id, item)
    return list(chosen.values())


def disease_centres(disease: Disease) -> DiseaseCentres:
    """The centres that treat `disease` and the filières whose domain covers it, each
    with the path that explains it, and the disease's classification paths. 4 queries
    (3 when nothing is reached)."""
    ancestors = ancestry(disease.orpha_code)
    centres = ranked_centre_coverage(ancestors)
    filieres = ranked_filiere_coverage(ancestors)
    complete = ancestors.complete_paths()
    needed = {
        code for item in [*centres, *filieres] for code in ancestors.best_path[item.disease_id]
    }
    needed.update(code for codes in complete for code in codes)
    names = names_for(ancestors, disease, needed)
    return DiseaseCentres(
        disease=disease,
        centre_matches=[
            CentreMatch(
                centre=item.centre,
                coverage=item,
                path=path_of(ancestors, names, item.disease_id),
                group=group,
                specificity=ancestors.specificity(item.disease_id, item.disease.descendant_count),
            )
            for group, item in enumerate(centres)
        ],
        filiere_matches=[
            FiliereMatch(
                filiere=item.filiere,
                coverage=item,
                path=path_of(ancestors, names, item.disease_id),
            )
            for item in filieres
        ],
        classification_paths=[
            [names[code] for code in reversed(codes) if code in names] for codes in complete
        ],
    )
