import io
import shutil

import pytest
from django.core.management import CommandError, call_command

from common.versions import PUBLIC_DATA, current
from communes.models import Commune
from diseases.enums import DiseaseStatus
from diseases.models import ClassificationEdge, Disease, DiseaseName
from diseases.search import ORPHANET_DATA


def test_the_nomenclature_is_loaded_with_its_figures():
    # Figures of the Orphanet FR pack 2023-06-22 (fixtures/README.md).
    assert Disease.objects.count() == 10839
    assert Disease.objects.filter(status=DiseaseStatus.ACTIVE).count() == 9479
    assert ClassificationEdge.objects.count() == 35755
    assert Disease.objects.exclude(replaced_by=None).count() == 1124
    assert DiseaseName.objects.filter(is_preferred=True, language="fr").count() == 10839
    assert Commune.objects.count() == 34920


def test_reloading_changes_nothing_and_bumps_the_versions():
    """One reload (a few seconds) for everything a reload must do."""
    versions = current(ORPHANET_DATA), current(PUBLIC_DATA)

    def snapshot():
        # Every row as it is, primary keys included: a reload rewrites nothing.
        return (
            set(Disease.objects.values_list("pk", "name", "name_en", "definition_en")),
            set(DiseaseName.objects.values_list("pk", "disease", "language", "name")),
            set(ClassificationEdge.objects.values_list("pk", "parent", "child")),
        )

    before = snapshot()
    call_command("load_orphanet", verbosity=0, stdout=io.StringIO())
    assert snapshot() == before
    assert Disease.objects.get(pk=586).name == "Mucoviscidose"
    assert Disease.objects.get(pk=586).name_en == "Cystic fibrosis"
    assert DiseaseName.objects.filter(disease=586, language="en").count() == 3
    # The search's vocabulary is rebuilt, and the cached public pages dropped.
    assert current(ORPHANET_DATA) == versions[0] + 1
    assert current(PUBLIC_DATA) > versions[1]


def test_descendant_counts_measure_how_broad_a_group_is():
    skin = Disease.objects.get(pk=89826)  # rare skin diseases: a classification root
    assert skin.descendant_count > 1000
    assert Disease.objects.get(pk=586).descendant_count < 10


@pytest.fixture
def broken_copy(tmp_path, settings):
    source = settings.BASE_DIR / "fixtures" / "orphanet"
    for path in source.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_a_bad_file_writes_nothing(broken_copy):
    nomenclature = broken_copy / "orphanet_nomenclature_fr.csv"
    lines = nomenclature.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("Déficit", "Nom changé", 1)  # a change that must not land
    lines.append("abc,Ligne invalide,21394,Maladie,36547,Disorder,1,Active")
    nomenclature.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 10841"):
        call_command("load_orphanet", source_dir=broken_copy, verbosity=0)
    assert not Disease.objects.filter(name__startswith="Nom changé").exists()


def test_a_missing_column_is_reported(broken_copy):
    (broken_copy / "orphanet_synonyms_fr.csv").write_text("code,autre\n1,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing column"):
        call_command("load_orphanet", source_dir=broken_copy, verbosity=0)


def test_an_edge_to_an_unknown_code_is_refused(broken_copy):
    path = broken_copy / "orphanet_classifications.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("146,rare_cardiac_diseases,97929,999999999\n")
    with pytest.raises(CommandError, match="not in the list"):
        call_command("load_orphanet", source_dir=broken_copy, verbosity=0)
    assert not ClassificationEdge.objects.filter(child_id=999999999).exists()


def test_a_reload_writes_what_changed_in_the_files(broken_copy):
    """Names and edges are compared with the files: a changed name replaces the old
    one, a removed edge is deleted, the rest is left as it is."""
    path = broken_copy / "orphanet_nomenclature_en.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n448,Hemophilia,", "\n448,Haemophilia,", 1), "utf-8")
    path = broken_copy / "orphanet_classifications.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[1] == "146,rare_cardiac_diseases,97929,167848\n"
    path.write_text("".join(lines[:1] + lines[2:]), encoding="utf-8")
    untouched = set(DiseaseName.objects.exclude(disease=448).values_list("pk", "name"))

    call_command("load_orphanet", source_dir=broken_copy, verbosity=0, stdout=io.StringIO())

    assert Disease.objects.get(pk=448).name_en == "Haemophilia"
    english = DiseaseName.objects.filter(disease=448, language="en", is_preferred=True)
    assert [(n.name, n.search_name) for n in english] == [("Haemophilia", "haemophilia")]
    assert not ClassificationEdge.objects.filter(parent=97929, child=167848).exists()
    assert ClassificationEdge.objects.filter(parent=97929, child=168194).exists()
    assert set(DiseaseName.objects.exclude(disease=448).values_list("pk", "name")) == untouched
