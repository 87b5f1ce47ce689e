"""Disease search over Orphanet names and synonyms.

Finds by ORPHA code ("ORPHA:586", "orpha 586", "586"), by name or synonym, ignoring
case, accents, apostrophes and elisions ("l'hémophilie"), hyphens and spaces
("Rendu Osler"), and small typos.

Ranking (lower is better), then active codes before inactive ones, groups before
diseases before subtypes, broader groups (more diseases below them) first, shorter
names first:
  0 exact preferred name        1 exact synonym (abbreviations such as "CMT")
  2 preferred name starts with the query as whole words   3 same, synonym
  4 name or synonym starts with the query                 5 every word in the name
  6 every word in a synonym     7 fuzzy (typos)

PostgreSQL: substring and fuzzy matching use the pg_trgm index on `search_name`
(trigram word similarity). SQLite: the same exact/prefix/substring ranks; typos are
handled by correcting each word against the vocabulary of Orphanet names.

Languages (`language=`, a language code: anything starting with "en" is English):
- "fr", the default: the French names and synonyms only.
- "en": the English names and synonyms, and the French ones as a fallback (a French
  name typed on an English page, a disease the English pack does not name). Same
  ranks; at equal rank an English name comes before a French one. `matched_name` is
  the best matching name, English before French at equal match, and `via_synonym`
  compares it with `Disease.name_in("en")`. SQLite corrects typos against the English
  words first, then the French ones. ORPHA codes are found in both languages.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, IntegerField, Max, Min, Q, Value, When
from django.db.models.functions import Length

from common.text import normalize
from common.versions import cached_by_version
from diseases.enums import DiseaseLevel, DiseaseStatus, NameLanguage
from diseases.models import Disease, DiseaseName

ORPHA_CODE = re.compile(r"^(?:orpha(?:net)?\s*)?(\d{1,7})$")
# Articles and elided forms a query may start with; they are not searched for alone.
STOP_WORDS = {"l", "d", "le", "la", "les", "un", "une", "de", "du", "des", "et", "en"}
MAX_QUERY_LENGTH = 200
FUZZY_THRESHOLD = 0.5  # pg_trgm word similarity
# The languages of the names searched for a page's language, the first ranked first.
SEARCHED_LANGUAGES = {
    NameLanguage.FRENCH: [NameLanguage.FRENCH],
    NameLanguage.ENGLISH: [NameLanguage.ENGLISH, NameLanguage.FRENCH],
}


@dataclass
class SearchResult:
    disease: Disease
    rank: int
    matched_name: str  # the name or synonym that matched best
    language: str = NameLanguage.FRENCH  # the language searched for

    @property
    def via_synonym(self) -> bool:
        return self.matched_name != self.disease.name_in(self.language)


def parse_orpha_code(query: str) -> int | None:
    match = ORPHA_CODE.match(normalize(query).replace(" ", ""))
    if match is None:
        return None
    code = int(match.group(1))
    return code or None


def query_terms(query: str) -> tuple[str, list[str]]:
    """The normalised query, and its words without articles (what must be found)."""
    normalized = normalize(query.replace("\x00", " "))[:MAX_QUERY_LENGTH]
    words = normalized.split()
    terms = [w for w in words if w not in STOP_WORDS] or words
    return normalized, terms[:8]


def search_diseases(
    query: str, limit: int = 20, language: str = NameLanguage.FRENCH
) -> list[SearchResult]:
    language = NameLanguage.of(language)
    code = parse_orpha_code(query)
    if code is not None:
        disease = Disease.objects.filter(orpha_code=code).first()
        return [SearchResult(disease, 0, disease.name_in(language), language)] if disease else []
    full, terms = query_terms(query)
    if not terms:
        return []
    fuzzy = connection.vendor == "postgresql"
    results = _ranked(full, terms, limit, language, fuzzy=fuzzy)
    if not results and not fuzzy:
        corrected = [_correct(term, SEARCHED_LANGUAGES[language]) for term in terms]
        if corrected != terms:
            results = _ranked(" ".join(corrected), corrected, limit, language, fuzzy=False, floor=7)
    return results


def _ranked(full, terms, limit, language, fuzzy, floor=0):
    # Exact and prefix ranks compare the whole query ("maladie de charcot") and the
    # query without articles ("hemophilie" for "l'hémophilie").
    core = " ".join(terms)
    forms = list(dict.fromkeys([full, core]))
    exact = Q(search_name__in=forms)
    word_prefix = Q()
    prefix = Q()
    for form in forms:
        word_prefix |= Q(search_name__startswith=form + " ")
        prefix |= Q(search_name__startswith=form)
    contains_all = Q()
    for term in terms:
        contains_all &= Q(search_name__contains=term)
    condition = contains_all
    if fuzzy and len(core) >= 3:
        condition |= Q(search_name__trigram_word_similar=core)
    rank = Case(
        When(exact & Q(is_preferred=True), then=Value(0)),
        When(exact, then=Value(1)),
        When(word_prefix & Q(is_preferred=True), then=Value(2)),
        When(word_prefix, then=Value(3)),
        When(prefix, then=Value(4)),
        When(contains_all & Q(is_preferred=True), then=Value(5)),
        When(contains_all, then=Value(6)),
        default=Value(7),
        output_field=IntegerField(),
    )
    status_rank = Case(
        When(disease__status=DiseaseStatus.ACTIVE, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    level_rank = Case(
        When(disease__level=DiseaseLevel.GROUP, then=Value(0)),
        When(disease__level=DiseaseLevel.DISORDER, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    # With several languages a name's rank is interleaved with its language's place:
    # rank r in the first language sorts before rank r in the next, and after r - 1.
    languages = SEARCHED_LANGUAGES[language]
    if len(languages) > 1:
        language_rank = Case(
            *(When(language=lang, then=Value(i)) for i, lang in enumerate(languages)),
            output_field=IntegerField(),
        )
        rank = rank * len(languages) + language_rank
    best = list(
        DiseaseName.objects.filter(condition, language__in=languages)
        .values("disease_id")
        .annotate(
            best=Min(rank),
            status_rank=Min(status_rank),
            level_rank=Min(level_rank),
            breadth=Max("disease__descendant_count"),
            length=Min(Length("search_name")),
        )
        .order_by("best", "status_rank", "level_rank", "-breadth", "length", "disease_id")[:limit]
    )
    if not best:
        return []
    codes = [row["disease_id"] for row in best]
    diseases = Disease.objects.in_bulk(codes)
    matched = {}
    names = DiseaseName.objects.filter(disease_id__in=codes, language__in=languages)
    for name in names.order_by("-is_preferred", "name"):
        normalized = name.search_name
        score = 0 if normalized in forms else 1 if normalized.startswith(tuple(forms)) else 2
        if all(term in normalized for term in terms):
            key = (score, languages.index(name.language))
            previous = matched.get(name.disease_id)
            if previous is None or key < previous[0]:
                matched[name.disease_id] = (key, name.name)
    results = []
    for row in best:
        disease = diseases[row["disease_id"]]
        results.append(
            SearchResult(
                disease=disease,
                rank=max(row["best"] // len(languages), floor),
                matched_name=matched.get(disease.pk, (None, disease.name_in(language)))[1],
                language=language,
            )
        )
    return results


# Orphanet is reloaded by load_orphanet, which bumps this version.
ORPHANET_DATA = "orphanet"


@cached_by_version(ORPHANET_DATA)
def _vocabulary() -> dict[str, dict[str, int]]:
    """Per language, every word of every Orphanet name in it, with how many names use
    it (SQLite fallback). Each language is read on its first use (`_words`)."""
    return {}


def _words(language: str) -> dict[str, int]:
    vocabularies = _vocabulary()
    if language not in vocabularies:
        counts: dict[str, int] = {}
        names = DiseaseName.objects.filter(language=language).values_list("search_name", flat=True)
        for search_name in names.iterator():
            for word in search_name.split():
                counts[word] = counts.get(word, 0) + 1
        vocabularies[language] = counts
    return vocabularies[language]


def _correct(term: str, languages: list[str]) -> str:
    """The closest known word within a small edit distance, in the first language that
    has one, else the term itself."""
    vocabularies = [_words(language) for language in languages]
    if len(term) < 4 or any(term in vocabulary for vocabulary in vocabularies):
        return term
    allowed = 1 if len(term) < 7 else 2
    for vocabulary in vocabularies:
        best = None
        for word, count in vocabulary.items():
            if abs(len(word) - len(term)) > allowed or word[0] != term[0]:
                continue
            distance = _edit_distance(term, word, allowed)
            if distance <= allowed and (best is None or (distance, -count) < best[:2]):
                best = (distance, -count, word)
        if best:
            return best[2]
    return term


def _edit_distance(a: str, b: str, cap: int) -> int:
    """Optimal string alignment distance (Levenshtein + transpositions), capped."""
    previous2 = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > cap:
            return cap + 1
        previous2, previous = previous, current
    return previous[-1]
