"""The English Orphanet nomenclature: names, synonyms and definitions, English search
(on SQLite and PostgreSQL), and its loading. The session's database holds the real
nomenclature (tests/conftest.py)."""

import io
import shutil

import pytest
from django.core.management import CommandError, call_command

from diseases.enums import DiseaseLevel, DiseaseStatus, NameLanguage
from diseases.models import (
    ORPHANET_ATTRIBUTION,
    ORPHANET_ATTRIBUTION_EN,
    Disease,
    DiseaseName,
    orphanet_attribution,
)
from diseases.search import search_diseases

CYSTIC_FIBROSIS = 586


def codes(results):
    return [r.disease.orpha_code for r in results]


def test_cystic_fibrosis_comes_first_in_english():
    top = search_diseases("cystic fibrosis", limit=5, language="en")[0]
    assert top.disease.orpha_code == CYSTIC_FIBROSIS
    assert top.rank == 0
    assert top.matched_name == "Cystic fibrosis"
    assert not top.via_synonym


def test_any_english_language_code_searches_in_english():
    assert codes(search_diseases("Cystic Fibrosis", limit=1, language="en-GB")) == [586]


@pytest.mark.parametrize(("query", "rank"), [("Mucoviscidosis", 1), ("CF", 1)])
def test_an_english_synonym_matches_and_says_so(query, rank):
    top = search_diseases(query, limit=5, language="en")[0]
    assert top.disease.orpha_code == CYSTIC_FIBROSIS
    assert top.rank == rank
    assert top.matched_name == query
    assert top.via_synonym


@pytest.mark.parametrize(
    ("query", "expected"),
    [("cystic fibrosys", 586), ("cistic fibrosis", 586), ("hemophilla", 448)],
)
def test_small_typos_in_english(query, expected):
    results = search_diseases(query, limit=5, language="en")
    assert expected in codes(results)
    # The name shown is the English one.
    assert next(r for r in results if r.disease.orpha_code == expected).matched_name.isascii()


def test_french_names_still_match_in_english():
    top = search_diseases("mucoviscidose", limit=5, language="en")[0]
    assert top.disease.orpha_code == CYSTIC_FIBROSIS
    assert top.rank == 0
    assert top.matched_name == "Mucoviscidose"
    assert top.via_synonym  # not the name an English page shows


def test_the_orpha_code_finds_the_disease_in_both_languages():
    english = search_diseases("ORPHA:586", language="en")[0]
    french = search_diseases("ORPHA:586")[0]
    assert (english.matched_name, english.via_synonym) == ("Cystic fibrosis", False)
    assert (french.matched_name, french.via_synonym) == ("Mucoviscidose", False)


def test_french_by_default_as_before():
    top = search_diseases("mucoviscidose", limit=5)[0]
    assert top.disease.orpha_code == CYSTIC_FIBROSIS
    assert (top.rank, top.matched_name, top.via_synonym) == (0, "Mucoviscidose", False)
    # English names are not searched in French (a fuzzy match on French names aside).
    results = search_diseases("Mucoviscidosis", limit=20, language="fr")
    assert "Mucoviscidosis" not in [r.matched_name for r in results]
    results = search_diseases("Cystic fibrosis", limit=20, language="fr")
    assert "Cystic fibrosis" not in [r.matched_name for r in results]


@pytest.fixture
def same_name_in_two_languages():
    """A French name of one disease that is the English name of another."""
    french = Disease.objects.create(
        orpha_code=990001,
        name="Zyxolose alpha",
        level=DiseaseLevel.DISORDER,
        status=DiseaseStatus.ACTIVE,
    )
    english = Disease.objects.create(
        orpha_code=990002,
        name="Autre zyxolose",
        name_en="Zyxolose alpha",
        level=DiseaseLevel.DISORDER,
        status=DiseaseStatus.ACTIVE,
    )
    DiseaseName.objects.bulk_create(
        [
            DiseaseName(
                disease=french, name=french.name, search_name="zyxolose alpha", is_preferred=True
            ),
            DiseaseName(
                disease=english, name=english.name, search_name="autre zyxolose", is_preferred=True
            ),
            DiseaseName(
                disease=english,
                name=english.name_en,
                search_name="zyxolose alpha",
                is_preferred=True,
                language=NameLanguage.ENGLISH,
            ),
        ]
    )
    return french, english


def test_at_equal_rank_english_comes_before_french(same_name_in_two_languages):
    french, english = same_name_in_two_languages
    results = search_diseases("zyxolose alpha", limit=5, language="en")
    assert codes(results)[:2] == [english.pk, french.pk]
    assert [r.rank for r in results[:2]] == [0, 0]
    # A disease without an English name is shown by its French name: not a synonym.
    assert (results[1].matched_name, results[1].via_synonym) == ("Zyxolose alpha", False)
    # In French, the English name is not searched (a fuzzy match on PostgreSQL aside).
    results = search_diseases("zyxolose alpha", limit=5)
    assert codes(results)[0] == french.pk
    assert all(r.rank == 7 for r in results if r.disease == english)


def test_name_in_falls_back_to_the_french_name():
    disease = Disease.objects.get(pk=CYSTIC_FIBROSIS)
    assert disease.name_in("en") == "Cystic fibrosis"
    assert disease.name_in("en-us") == "Cystic fibrosis"
    assert disease.name_in("fr") == "Mucoviscidose"
    assert disease.name_in(None) == "Mucoviscidose"
    nameless = Disease(orpha_code=990003, name="Maladie sans nom anglais", name_en="")
    assert nameless.name_in("en") == "Maladie sans nom anglais"


def test_definition_in_english_only():
    disease = Disease.objects.get(pk=CYSTIC_FIBROSIS)
    assert disease.definition_in("en").startswith("A rare, genetic pulmonary disorder")
    assert disease.definition_in("fr") == ""
    assert Disease(name="X", name_en="Y").definition_in("en") == ""


def test_synonyms_in_the_language_of_the_name(django_assert_num_queries):
    disease = Disease.objects.prefetch_related("names").get(pk=CYSTIC_FIBROSIS)
    with django_assert_num_queries(0):  # served by the prefetch
        english = {n.name for n in disease.synonyms_in("en")}
        french = {n.name for n in disease.synonyms_in("fr")}
    assert english == {"CF", "Mucoviscidosis"}
    assert "Cystic fibrosis" not in french
    assert "Mucoviscidose" not in french
    assert french  # the French synonyms are there


def test_the_attribution_names_the_pack_shown():
    assert orphanet_attribution("fr") == ORPHANET_ATTRIBUTION
    assert orphanet_attribution("en") == ORPHANET_ATTRIBUTION_EN
    assert "EN 2023-06-21" in ORPHANET_ATTRIBUTION_EN


def test_the_english_nomenclature_is_loaded_with_its_figures():
    # Figures of the Orphanet EN pack 2023 (fixtures/orphanet/README.md).
    assert Disease.objects.exclude(name_en="").count() == 10839
    assert Disease.objects.exclude(definition_en="").count() == 6790
    english = DiseaseName.objects.filter(language=NameLanguage.ENGLISH)
    assert english.filter(is_preferred=True).count() == 10839
    assert english.filter(is_preferred=False).count() == 13828
    assert DiseaseName.objects.filter(language=NameLanguage.FRENCH).count() == 24105
    assert english.get(disease=CYSTIC_FIBROSIS, is_preferred=True).search_name == (
        "cystic fibrosis"
    )


@pytest.fixture
def source_copy(tmp_path, settings):
    source = settings.BASE_DIR / "fixtures" / "orphanet"
    for path in source.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_a_disease_missing_from_the_english_pack_keeps_its_french_name(source_copy):
    french_names = set(DiseaseName.objects.filter(language="fr").values_list("pk", "name"))
    path = source_copy / "orphanet_nomenclature_en.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("586,")), "utf-8")
    call_command("load_orphanet", source_dir=source_copy, verbosity=0, stdout=io.StringIO())
    disease = Disease.objects.get(pk=CYSTIC_FIBROSIS)
    assert (disease.name_en, disease.definition_en) == ("", "")
    assert disease.name_in("en") == "Mucoviscidose"
    assert not DiseaseName.objects.filter(
        disease=disease, language=NameLanguage.ENGLISH, is_preferred=True
    ).exists()
    # Its English synonyms are still there, and the French names untouched.
    assert set(DiseaseName.objects.filter(language="fr").values_list("pk", "name")) == (
        french_names
    )
    assert search_diseases("Mucoviscidosis", language="en")[0].disease == disease
    assert search_diseases("mucoviscidose")[0].matched_name == "Mucoviscidose"


def test_an_english_row_of_an_unknown_code_writes_nothing(source_copy):
    path = source_copy / "orphanet_nomenclature_en.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("Multiple", "Changed", 1)  # a change that must not land
    lines.append("999999999,Unknown disease,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"line 10841: ORPHA:999999999 is not in the list"):
        call_command("load_orphanet", source_dir=source_copy, verbosity=0)
    assert not Disease.objects.filter(name_en__startswith="Changed").exists()


def test_a_missing_english_column_is_reported(source_copy):
    (source_copy / "orphanet_synonyms_en.csv").write_text("orpha_code,x\n1,y\n", "utf-8")
    with pytest.raises(CommandError, match="missing column"):
        call_command("load_orphanet", source_dir=source_copy, verbosity=0)
