"""import_labels and the admin import: validate everything, write all or nothing."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from centres.models import ReferenceCentre, Site
from tests.factories import FiliereFactory

HEADER = (
    "filiere,centre,centre_acronyme,role,etablissement,ville,service,responsable,"
    "telephone,email,code_postal,age,periode,source\n"
)
# Synthetic rows for tests only.
ROW_COORD = (
    "TESTIMP,Centre synthétique des maladies A,CSMA,coordonnateur,test-reims,Reims,"
    "Service test,Dr Test,03 26 00 00 01,csma@chu-synthetique.invalid,51100,enfants,"
    "2023-2028,https://source-synthetique.invalid/arrete\n"
)
ROW_COMP = (
    "TESTIMP,Centre synthétique des maladies A,CSMA,competence,Test CHU Montpellier,"
    "Montpellier,,,,,,adultes,2023-2028,https://source-synthetique.invalid/arrete\n"
)


SOURCE = "https://source-synthetique.invalid/arrete"


@pytest.fixture
def filiere(personas):
    return FiliereFactory(acronym="TESTIMP", slug="testimp")


def write(tmp_path, text, name="labels.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(path, *args):
    out = io.StringIO()
    call_command("import_labels", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_valid_file_creates_centre_and_sites(tmp_path, filiere, personas):
    output = run(write(tmp_path, HEADER + ROW_COORD + ROW_COMP))
    assert "2 création(s)" in output
    centre = ReferenceCentre.objects.get(acronym="CSMA")
    assert centre.filiere == filiere
    coord = Site.objects.get(centre=centre, role="coordonnateur")
    assert coord.hospital == personas.reims
    assert (coord.phone, coord.email, coord.age_group) == (
        "03 26 00 00 01",
        "csma@chu-synthetique.invalid",
        "enfants",
    )
    assert coord.history.first().history_change_reason == "import de la liste officielle"
    assert Site.objects.get(centre=centre, kind="competence").hospital == personas.montpellier


def test_reimport_is_idempotent(tmp_path, filiere, personas):
    path = write(tmp_path, HEADER + ROW_COORD + ROW_COMP)
    run(path)
    before = (Site.objects.count(), ReferenceCentre.objects.count())
    output = run(path)
    assert "0 création(s), 0 modification(s), 2 inchangée(s)" in output
    assert (Site.objects.count(), ReferenceCentre.objects.count()) == before


def test_a_changed_row_updates_and_reports_the_change(tmp_path, filiere, personas):
    run(write(tmp_path, HEADER + ROW_COORD))
    changed = ROW_COORD.replace("03 26 00 00 01", "03 26 00 00 02")
    output = run(write(tmp_path, HEADER + changed, "v2.csv"))
    assert "phone « 03 26 00 00 01 » → « 03 26 00 00 02 »" in output
    assert Site.objects.get(role="coordonnateur").phone == "03 26 00 00 02"


def test_dry_run_writes_nothing(tmp_path, filiere, personas):
    output = run(write(tmp_path, HEADER + ROW_COORD), "--dry-run")
    assert "Rien n'a été enregistré" in output
    assert not ReferenceCentre.objects.filter(acronym="CSMA").exists()


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (ROW_COMP.replace("TESTIMP", "INCONNUE"), "filière inconnue"),
        (ROW_COMP.replace("Test CHU Montpellier", "CHU de Nulle Part"), "établissement inconnu"),
        (ROW_COMP.replace("Montpellier,,,,", "Nîmes,,,,"), "n'est pas celle de l'établissement"),
        (ROW_COMP.replace("competence", "chef"), "rôle inconnu"),
        (ROW_COMP.replace(",,,,,adultes", ",,,pas-un-courriel,,adultes"), "courriel invalide"),
        (ROW_COMP.replace(",,,,,adultes", ",,12 34,,,adultes"), "téléphone invalide"),
        (ROW_COMP.replace(",,,,,adultes", ",,,,5100,adultes"), "code postal invalide"),
        # 2A is Corse-du-Sud's département code; its postcodes are 20xxx.
        (ROW_COMP.replace(",,,,,adultes", ",,,,2A004,adultes"), "code postal invalide"),
        (
            ROW_COMP.replace("https://source-synthetique.invalid/arrete", "arrêté"),
            "source invalide",
        ),
        (ROW_COMP.replace("Centre synthétique des maladies A", ""), "« centre » est vide"),
        (ROW_COORD, "doublon de la ligne 2"),
    ],
)
def test_one_bad_row_writes_nothing(tmp_path, filiere, personas, bad_row, message):
    path = write(tmp_path, HEADER + ROW_COORD + bad_row)
    out = io.StringIO()
    with pytest.raises(CommandError, match="rien n'a été enregistré"):
        call_command("import_labels", str(path), stdout=out, stderr=io.StringIO())
    assert message in out.getvalue()
    assert "ligne 3" in out.getvalue()
    assert not ReferenceCentre.objects.filter(acronym="CSMA").exists()
    assert not Site.objects.filter(centre__acronym="CSMA").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("filiere,centre\nA,B\n", "Colonne(s) obligatoire(s) absente(s)"),
        (HEADER.replace("source", "source,bonus"), "Colonne(s) inconnue(s)"),
        (HEADER, "no row"),
    ],
)
def test_bad_files_are_refused(tmp_path, filiere, text, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(write(tmp_path, text))


def test_semicolon_csv_from_a_spreadsheet_is_accepted(tmp_path, filiere, personas):
    text = (HEADER + ROW_COORD).replace(",", ";")
    assert "1 création(s)" in run(write(tmp_path, text))


def test_a_second_coordinating_site_is_refused(tmp_path, filiere, personas):
    run(write(tmp_path, HEADER + ROW_COORD))
    other = ROW_COMP.replace("competence", "coordonnateur")
    with pytest.raises(CommandError):
        run(write(tmp_path, HEADER + other, "v2.csv"))
    assert Site.objects.filter(role="coordonnateur").count() == 1


def test_admin_upload_preview_then_confirm(client, filiere, personas):
    client.force_login(personas.superuser)
    url = reverse("admin:centres_site_import")
    upload = io.BytesIO((HEADER + ROW_COORD + ROW_COMP).encode())
    upload.name = "labels.csv"
    preview = client.post(url, {"file": upload})
    assert preview.status_code == 200
    assert preview.context["plan"].is_valid
    assert not Site.objects.filter(centre__acronym="CSMA").exists()  # nothing yet
    payload = preview.context["payload"]
    # A tampered payload is refused.
    assert client.post(url, {"confirm": "1", "payload": payload + "x"}).status_code == 400
    done = client.post(url, {"confirm": "1", "payload": payload})
    assert done.status_code == 302
    assert Site.objects.filter(centre__acronym="CSMA").count() == 2


def test_admin_upload_with_a_bad_row_shows_errors_and_no_confirm(client, filiere, personas):
    client.force_login(personas.superuser)
    upload = io.BytesIO((HEADER + ROW_COMP.replace("TESTIMP", "INCONNUE")).encode())
    upload.name = "labels.csv"
    response = client.post(reverse("admin:centres_site_import"), {"file": upload})
    assert response.status_code == 400
    assert "filière inconnue" in response.content.decode()
    assert "Confirmer l" not in response.content.decode()


def test_an_unknown_acronym_falls_back_to_the_centre_name(tmp_path, filiere, personas):
    run(write(tmp_path, HEADER + ROW_COORD))
    renamed = ROW_COMP.replace(",CSMA,", ",NOUVEAU,")
    output = run(write(tmp_path, HEADER + renamed, "v2.csv"), "--dry-run")
    assert "nouveau centre" not in output
    assert ReferenceCentre.objects.filter(filiere=filiere).count() == 1


def test_values_longer_than_the_fields_are_reported(tmp_path, filiere, personas):
    long_service = ROW_COMP.replace("Montpellier,,", "Montpellier," + "s" * 301 + ",")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_labels", str(write(tmp_path, HEADER + long_service)), stdout=out)
    assert "« service » trop long (301 caractères, 300 au plus)" in out.getvalue()
