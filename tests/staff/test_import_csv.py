"""Issue #9, §5: reading the official list. CSV quoting, stated limits (file size, row
count, cell length) with clear messages and nothing written, normalised values, the
final coordinating state, empty cells, and the explicit "complete list" mode.

Every row is synthetic (hospitals of tests/staff/conftest.py, .invalid sources)."""

import csv
import io
import random
import string
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from centres.models import ReferenceCentre, Site
from tests.factories import FiliereFactory, HospitalFactory, SiteFactory
from tests.staff.test_import import HEADER, ROW_COMP, ROW_COORD, SOURCE, run, write

# The limits the README states.
MAX_FILE_BYTES = 1536 * 1024
MAX_ROWS = 5000


@pytest.fixture
def filiere(personas):
    return FiliereFactory(acronym="TESTIMP", slug="testimp")


def failing_run(path, *args):
    """Run import_labels, expect a refusal; returns (message, report)."""
    out = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_labels", str(path), *args, stdout=out, stderr=io.StringIO())
    return str(excinfo.value), out.getvalue()


def upload(client, text, **data):
    file = io.BytesIO(text.encode() if isinstance(text, str) else text)
    file.name = "liste.csv"
    return client.post(reverse("admin:centres_site_import"), {"file": file, **data})


def nothing_written():
    return not ReferenceCentre.objects.filter(acronym="CSMA").exists()


# --- Quoting -------------------------------------------------------------------------


def test_doubled_quotes_in_a_quoted_value_are_one_quote(tmp_path, filiere, personas):
    row = ROW_COORD.replace(",Service test,", ',"Consultation ""mucoviscidose"" enfants",')
    run(write(tmp_path, HEADER + row))
    assert Site.objects.get(centre__acronym="CSMA").service == (
        'Consultation "mucoviscidose" enfants'
    )


@pytest.mark.parametrize("separator", [",", ";"])
def test_a_separator_inside_quotes_belongs_to_the_value(tmp_path, filiere, personas, separator):
    service = f'"Consultation ""mucoviscidose""{separator} enfants"'
    text = (HEADER + ROW_COORD).replace(",", separator)
    text = text.replace(f"{separator}Service test{separator}", f"{separator}{service}{separator}")
    run(write(tmp_path, text))
    assert Site.objects.get(centre__acronym="CSMA").service == (
        f'Consultation "mucoviscidose"{separator} enfants'
    )


def test_a_quoted_value_may_hold_a_line_break(tmp_path, filiere, personas):
    row = ROW_COORD.replace(",Dr Test,", ',"Dr Test\nDr Test-Bis",')
    run(write(tmp_path, HEADER + row + ROW_COMP))
    assert Site.objects.get(role="coordonnateur").head == "Dr Test\nDr Test-Bis"
    assert Site.objects.filter(centre__acronym="CSMA").count() == 2


# --- Limits and bad bytes ------------------------------------------------------------


def test_a_nul_byte_is_refused_with_a_message(tmp_path, client, filiere, personas):
    text = HEADER + ROW_COORD.replace("Service test", "Service\x00test")
    message, _report = failing_run(write(tmp_path, text))
    assert "Ligne 2 : caractère nul" in message
    client.force_login(personas.superuser)
    response = upload(client, text)
    assert response.status_code == 400
    assert "caractère nul" in response.content.decode()
    assert nothing_written()


def test_a_cell_beyond_the_csv_limit_is_refused_with_a_message(tmp_path, client, filiere, personas):
    text = HEADER + ROW_COORD.replace("Service test", "s" * 131_073)
    message, _report = failing_run(write(tmp_path, text))
    assert "Ligne 2 : une valeur dépasse 131\u00a0072 caractères" in message
    client.force_login(personas.superuser)
    response = upload(client, text)
    assert response.status_code == 400
    assert "une valeur dépasse" in response.content.decode()
    assert nothing_written()


def test_the_cap_holds_when_another_library_raised_it(tmp_path, filiere, personas):
    """frictionless (the open data) raises the csv module's process-wide cap when it is
    imported: the import sets its own while it reads, and puts the other back."""
    previous = csv.field_size_limit(sys.maxsize)
    try:
        text = HEADER + ROW_COORD.replace("Service test", "s" * 131_073)
        message, _report = failing_run(write(tmp_path, text))
        assert "Ligne 2 : une valeur dépasse 131\u00a0072 caractères" in message
        assert csv.field_size_limit() == sys.maxsize
    finally:
        csv.field_size_limit(previous)
    assert nothing_written()


def test_an_unclosed_quote_is_refused_with_a_message(tmp_path, filiere, personas):
    text = HEADER + ROW_COORD.replace(",Service test,", ',"Service test,') + ROW_COMP * 3000
    message, _report = failing_run(write(tmp_path, text))
    assert "guillemet" in message
    assert nothing_written()


def test_a_long_cell_without_a_field_limit_is_a_row_error(tmp_path, filiere, personas):
    long_source = SOURCE + "/" + "a" * 2000
    _message, report = failing_run(write(tmp_path, HEADER + ROW_COORD.replace(SOURCE, long_source)))
    assert "« source » trop long (2\u00a0042 caractères, 2\u00a0000 au plus)" in report
    assert nothing_written()


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path, client, filiere, personas):
    # Valid rows, up to just over the limit (the old limit was 5 MB).
    rows = ROW_COORD + ROW_COMP.replace("Test CHU Montpellier,Montpellier,,", "test-reims,Reims,,")
    text = HEADER + rows + "\n" * (MAX_FILE_BYTES + 1 - len((HEADER + rows).encode()))
    client.force_login(personas.superuser)
    response = upload(client, text)
    assert response.status_code == 400
    assert "1,5 Mo au plus" in response.content.decode()
    assert "plan" not in response.context
    message, _report = failing_run(write(tmp_path, text))
    assert "1,5 Mo au plus" in message
    assert nothing_written()


def test_more_rows_than_the_limit_are_refused(tmp_path, filiere, personas):
    row = ROW_COMP.replace("competence", "chef")  # invalid anyway: reading stops first
    message, report = failing_run(write(tmp_path, HEADER + row * (MAX_ROWS + 1)))
    assert "plus de 5\u00a0000 lignes de sites : 5\u00a0000 au plus" in message
    assert report == ""


def _random_path(rng, length):
    return "".join(rng.choices(string.ascii_letters + string.digits, k=length))


def test_the_largest_file_allowed_is_confirmed_in_one_request(client, filiere, personas):
    """The preview carries the file to the confirmation: even a file that does not
    compress must fit in Django's request limit once signed (a 5 MB file used to
    preview, then fail with a bare 400)."""
    rng = random.Random(9)  # incompressible synthetic sources, always the same
    hospitals = [
        HospitalFactory(
            slug=f"test-import-{n}", short_name=f"Test CHU Import {n}", city="Testville"
        )
        for n in range(270)
    ]
    lines, size = [HEADER], len(HEADER.encode())
    for hospital in hospitals:
        for role in ("constitutif", "competence", "crc"):
            source = f"https://source-synthetique.invalid/{_random_path(rng, 1950)}"
            line = (
                f"TESTIMP,Centre synthétique des maladies A,CSMA,{role},{hospital.slug},"
                f"Testville,,,,,,,,{source}\n"
            )
            if size + len(line.encode()) <= MAX_FILE_BYTES:
                lines.append(line)
                size += len(line.encode())
    assert size > MAX_FILE_BYTES - 3000
    client.force_login(personas.superuser)
    preview = upload(client, "".join(lines))
    assert preview.status_code == 200
    payload = preview.context["payload"]
    assert len(payload) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 10_000
    done = client.post(reverse("admin:centres_site_import"), {"confirm": "1", "payload": payload})
    assert done.status_code == 302
    assert Site.objects.filter(centre__acronym="CSMA").count() == len(lines) - 1


# --- Normalised values ---------------------------------------------------------------


def test_roles_ages_and_column_names_are_read_whatever_their_case_and_accents(
    tmp_path, filiere, personas
):
    header = (
        "Filière;Centre;Centre acronyme;Rôle;Établissement;Ville;Service;Responsable;"
        "Téléphone;Email;Code postal;Âge;Période;Source\n"
    )
    rows = (
        ROW_COORD.replace("coordonnateur", "Coordonnateur").replace(",enfants,", ",Âge : enfants,")
        + ROW_COMP.replace("competence", "Compétence").replace("adultes", "Enfants et adultes")
    ).replace(",", ";")
    _message, report = failing_run(write(tmp_path, header + rows))
    assert "âge inconnu : « Âge : enfants »" in report  # not a value of the list
    rows = rows.replace("Âge : enfants", "ENFANTS")
    run(write(tmp_path, header + rows, "v2.csv"))
    coord = Site.objects.get(centre__acronym="CSMA", role="coordonnateur")
    competence = Site.objects.get(centre__acronym="CSMA", kind="competence")
    assert (coord.age_group, coord.postcode, coord.label_period) == (
        "enfants",
        "51100",
        "2023-2028",
    )
    assert competence.age_group == "enfants-adultes"


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("Enfants et adultes", "enfants-adultes"),
        ("adultes et enfants", "enfants-adultes"),
        ("enfants-adultes", "enfants-adultes"),
        ("Tous âges", "enfants-adultes"),
        ("ADULTES", "adultes"),
    ],
)
def test_age_variants(tmp_path, filiere, personas, written, stored):
    run(write(tmp_path, HEADER + ROW_COMP.replace(",adultes,", f",{written},")))
    assert Site.objects.get(centre__acronym="CSMA").age_group == stored


# --- What the file changes -----------------------------------------------------------


def test_a_file_may_move_the_coordinating_role_to_another_hospital(tmp_path, filiere, personas):
    constitutive = ROW_COMP.replace("competence", "constitutif")
    run(write(tmp_path, HEADER + ROW_COORD + constitutive))
    moved = ROW_COORD.replace("coordonnateur", "constitutif") + constitutive.replace(
        "constitutif", "coordonnateur"
    )
    output = run(write(tmp_path, HEADER + moved, "v2.csv"))
    assert "role « coordonnateur » → « constitutif »" in output
    centre = ReferenceCentre.objects.get(acronym="CSMA")
    assert centre.sites.get(role="coordonnateur").hospital == personas.montpellier
    assert centre.sites.get(hospital=personas.reims).role == "constitutif"


def test_a_coordinating_site_the_file_does_not_list_still_counts(tmp_path, filiere, personas):
    run(write(tmp_path, HEADER + ROW_COORD))
    other = ROW_COMP.replace("competence", "coordonnateur")
    _message, report = failing_run(write(tmp_path, HEADER + other, "v2.csv"))
    assert "le centre a déjà un site coordonnateur" in report
    assert "Test CHU Reims" in report
    assert "rôle « constitutif »" in report


def test_an_empty_cell_never_clears_a_stored_value(tmp_path, filiere, personas):
    run(write(tmp_path, HEADER + ROW_COORD))
    site = Site.objects.get(centre__acronym="CSMA")
    site.website = "https://site-synthetique.invalid"
    site.save()
    blank = (
        "TESTIMP,Centre synthétique des maladies A,CSMA,coordonnateur,test-reims,Reims,"
        ",,,,,,,https://source-synthetique.invalid/arrete\n"
    )
    assert "0 modification(s), 1 inchangée(s)" in run(write(tmp_path, HEADER + blank, "v2.csv"))
    site.refresh_from_db()
    assert (site.service, site.head, site.phone, site.email, site.age_group) == (
        "Service test",
        "Dr Test",
        "03 26 00 00 01",
        "csma@chu-synthetique.invalid",
        "enfants",
    )
    assert site.website == "https://site-synthetique.invalid"


def test_sites_absent_from_the_file_are_left_alone(tmp_path, filiere, personas):
    run(write(tmp_path, HEADER + ROW_COORD + ROW_COMP))
    run(write(tmp_path, HEADER + ROW_COORD, "v2.csv"))
    assert Site.objects.filter(centre__acronym="CSMA", is_published=True).count() == 2


# --- "This file is the complete list of filière X" ---------------------------------


@pytest.fixture
def imported(tmp_path, filiere, personas):
    """CSMA's two sites from a first import, and a site of another filière."""
    run(write(tmp_path, HEADER + ROW_COORD + ROW_COMP))
    return SiteFactory(hospital=personas.montpellier, slug="test-autre-filiere")


def test_a_complete_list_unpublishes_the_filieres_absent_sites(tmp_path, imported, personas):
    path = write(tmp_path, HEADER + ROW_COORD, "complete.csv")
    dry = run(path, "--complete-filiere", "TESTIMP", "--dry-run")
    absent = Site.objects.get(centre__acronym="CSMA", kind="competence")
    assert f"dépublié (absent de la liste complète) : {absent} [{absent.slug}]" in dry
    assert "1 dépubliée(s)" in dry
    assert absent.is_published  # a dry run

    run(path, "--complete-filiere", "testimp")
    absent.refresh_from_db()
    assert not absent.is_published  # unpublished, not deleted
    record = absent.history.first()
    assert record.history_change_reason == (
        "import de la liste officielle : absent de la liste complète de la filière TESTIMP"
    )
    assert not record.is_published
    imported.refresh_from_db()
    assert imported.is_published  # another filière
    assert Site.objects.get(centre__acronym="CSMA", role="coordonnateur").is_published

    # Reversible: a complete list that names the site again publishes it.
    output = run(
        write(tmp_path, HEADER + ROW_COORD + ROW_COMP, "v3.csv"), "--complete-filiere", "TESTIMP"
    )
    assert "is_published « False » → « True »" in output
    absent.refresh_from_db()
    assert absent.is_published


def test_without_the_option_an_unpublished_site_stays_so(tmp_path, imported):
    site = Site.objects.get(centre__acronym="CSMA", kind="competence")
    site.is_published = False
    site.save()
    run(write(tmp_path, HEADER + ROW_COORD + ROW_COMP, "v2.csv"))
    site.refresh_from_db()
    assert not site.is_published


def test_a_complete_list_must_name_the_filiere(tmp_path, imported):
    other = FiliereFactory(acronym="TESTAUTRE", slug="testautre")
    message, report = failing_run(
        write(tmp_path, HEADER + ROW_COORD), "--complete-filiere", other.slug
    )
    assert "La filière TESTAUTRE est déclarée complète mais aucune ligne" in report
    message, _report = failing_run(
        write(tmp_path, HEADER + ROW_COORD), "--complete-filiere", "NULLE"
    )
    assert "Filière inconnue pour la liste complète : « NULLE »" in message
    assert Site.objects.filter(is_published=False).count() == 0


def test_the_admin_checkbox_previews_then_unpublishes(client, imported, personas):
    client.force_login(personas.superuser)
    absent = Site.objects.get(centre__acronym="CSMA", kind="competence")
    plain = upload(client, HEADER + ROW_COORD)
    assert plain.context["plan"].unpublish == []
    preview = upload(client, HEADER + ROW_COORD, complete_filieres=["testimp"])
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "Ce fichier est déclaré liste complète de : TESTIMP" in body
    assert absent.slug in body
    assert not Site.objects.filter(is_published=False).exists()  # nothing yet
    done = client.post(
        reverse("admin:centres_site_import"),
        {"confirm": "1", "payload": preview.context["payload"]},
    )
    assert done.status_code == 302
    absent.refresh_from_db()
    assert not absent.is_published
    assert absent.history.first().history_user == personas.superuser


def test_imported_sites_are_found_by_the_text_search(tmp_path, filiere, personas):
    """The import writes in bulk (no Site.save): the stored search text of a new site
    and of a changed service is written with the row."""
    run(write(tmp_path, HEADER + ROW_COORD))
    site = Site.objects.get(centre__acronym="CSMA")
    assert set(Site.objects.search("service test")) == {site}
    changed = ROW_COORD.replace("Service test", "Unité synthétique d'hématologie")
    run(write(tmp_path, HEADER + changed, "v2.csv"))
    assert set(Site.objects.search("hematologie")) == {site}
    assert not Site.objects.search("service test").exists()
