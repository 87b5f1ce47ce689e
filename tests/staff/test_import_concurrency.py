"""Issue #9, §4 and §5: the import checks in a fixed number of queries, is serialised
by a lock, checks the file again when it writes, and writes only the fields it
changes, so an edit made since the preview is never lost.

Every row is synthetic (hospitals of tests/staff/conftest.py, .invalid sources)."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centres.importing import apply_import, plan_import
from centres.models import ReferenceCentre, Site
from tests.factories import FiliereFactory, HospitalFactory
from tests.staff.test_import import HEADER, ROW_COMP, ROW_COORD, run, write


@pytest.fixture
def filiere(personas):
    return FiliereFactory(acronym="TESTIMP", slug="testimp")


def competence_rows(n):
    """`n` competence centres of one synthetic centre, each in its own hospital."""
    rows = []
    for i in range(n):
        hospital = HospitalFactory(
            slug=f"test-q-{i}", short_name=f"Test CHU Q{i}", city="Testville"
        )
        rows.append(
            f"TESTIMP,Centre synthétique des maladies A,CSMA,competence,{hospital.slug},"
            f"Testville,Service {i},,,,,adultes,2023-2028,"
            "https://source-synthetique.invalid/arrete\n"
        )
    return rows


@pytest.mark.parametrize("n", [10, 100])
def test_checking_a_file_costs_four_queries_whatever_its_rows(filiere, personas, n):
    rows = competence_rows(n)
    run_file = HEADER + ROW_COORD + "".join(rows)
    plan_import(run_file)  # warm up (content types...)
    apply_import(plan_import(run_file))  # so that every row matches a stored site
    changed = run_file.replace("Service ", "Service modifié ")
    with CaptureQueriesContext(connection) as queries:
        plan = plan_import(changed)
    assert plan.is_valid
    assert plan.count("modification") == n + 1  # and the coordinating site's service
    # Filières, hospitals, the filières' centres, their sites.
    assert len(queries) == 4, [query["sql"] for query in queries]


def _two_previews(client, user, text):
    client.force_login(user)
    payloads = []
    for _ in range(2):  # two tabs, or two people
        file = io.BytesIO(text.encode())
        file.name = "liste.csv"
        preview = client.post(reverse("admin:centres_site_import"), {"file": file})
        assert preview.status_code == 200
        payloads.append(preview.context["payload"])
    return payloads


def test_confirming_an_outdated_preview_shows_the_new_one(client, filiere, personas):
    """Both previews said « nouveau centre »: the second confirmation neither makes a
    second centre nor writes silently something else than what it showed."""
    first, second = _two_previews(client, personas.superuser, HEADER + ROW_COORD + ROW_COMP)
    url = reverse("admin:centres_site_import")
    assert client.post(url, {"confirm": "1", "payload": first}).status_code == 302
    response = client.post(url, {"confirm": "1", "payload": second})
    assert response.status_code == 409
    assert "Les données ont changé depuis la vérification" in response.content.decode()
    # The new preview says what the file gives now: nothing to do.
    assert response.context["plan"].count("inchangé") == 2
    assert ReferenceCentre.objects.filter(acronym="CSMA").count() == 1
    assert Site.objects.filter(centre__acronym="CSMA", role="coordonnateur").count() == 1


def test_two_imports_checked_at_once_make_one_centre(filiere, personas):
    """Two imports of the same file, both checked before either writes (as when they
    run at once): both plans say « nouveau centre »."""
    text = HEADER + ROW_COORD + ROW_COMP
    first, second = plan_import(text), plan_import(text)
    apply_import(first)
    try:
        apply_import(second)
    except Exception as exc:  # its type is checked below
        error = exc
    else:
        error = None
    assert ReferenceCentre.objects.filter(acronym="CSMA").count() == 1
    assert Site.objects.filter(centre__acronym="CSMA", role="coordonnateur").count() == 1
    assert type(error).__name__ == "ImportConflict"


def test_a_stale_plan_keeps_an_edit_made_since(tmp_path, filiere, personas):
    run(write(tmp_path, HEADER + ROW_COORD))
    plan = plan_import(HEADER + ROW_COORD.replace("03 26 00 00 01", "03 26 00 00 02"))
    # An editor saves the site after the file was checked...
    site = Site.objects.get(centre__acronym="CSMA")
    site.website = "https://site-synthetique.invalid"
    site.save()
    apply_import(plan)
    site.refresh_from_db()
    # ...the import writes its field only: the edit is kept, the version goes on.
    assert site.phone == "03 26 00 00 02"
    assert site.website == "https://site-synthetique.invalid"
    assert site.version == Site.objects.get(pk=site.pk).version
    latest = site.history.first()
    assert (latest.phone, latest.website) == ("03 26 00 00 02", "https://site-synthetique.invalid")
    assert latest.history_change_reason == "import de la liste officielle"


def test_an_edit_of_a_field_the_file_changes_stops_the_import(tmp_path, filiere, personas):
    from centres.importing import ImportConflict

    run(write(tmp_path, HEADER + ROW_COORD + ROW_COMP))
    plan = plan_import(HEADER + ROW_COORD.replace("03 26 00 00 01", "03 26 00 00 02") + ROW_COMP)
    site = Site.objects.get(centre__acronym="CSMA", role="coordonnateur")
    site.phone = "03 26 00 00 09"
    site.save()
    with pytest.raises(ImportConflict) as excinfo:
        apply_import(plan)
    site.refresh_from_db()
    assert site.phone == "03 26 00 00 09"
    # The new plan shows the change as it would be now.
    row = excinfo.value.plan.rows[0]
    assert row.changes["phone"] == ("03 26 00 00 09", "03 26 00 00 02")


def test_an_edit_of_a_field_the_file_changes_stops_the_admin_confirmation(
    client, filiere, personas, tmp_path
):
    run(write(tmp_path, HEADER + ROW_COORD))
    (payload, _) = _two_previews(
        client, personas.superuser, HEADER + ROW_COORD.replace("Dr Test", "Dr Test-Nouveau")
    )
    site = Site.objects.get(centre__acronym="CSMA")
    site.head = "Dr Test-Autre"
    site.save()
    response = client.post(
        reverse("admin:centres_site_import"), {"confirm": "1", "payload": payload}
    )
    assert response.status_code == 409
    site.refresh_from_db()
    assert site.head == "Dr Test-Autre"
    # The new preview can be confirmed.
    new = client.post(
        reverse("admin:centres_site_import"),
        {"confirm": "1", "payload": response.context["payload"]},
    )
    assert new.status_code == 302
    site.refresh_from_db()
    assert site.head == "Dr Test-Nouveau"


@pytest.fixture
def import_lock_held():
    """Another session holds the import lock (PostgreSQL: its advisory lock, as a
    running import does)."""
    if connection.vendor != "postgresql":
        # SQLite has one writer at a time: the import's first statement is a write, so
        # another writer waits for it (importing.py, _lock_imports). The test database
        # is in memory with a shared cache, whose table locks differ from a file's.
        pytest.skip("PostgreSQL's advisory lock")
    import psycopg

    from centres.importing import IMPORT_LOCK_KEY

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [IMPORT_LOCK_KEY])
        yield
        other.execute("SELECT pg_advisory_unlock(%s)", [IMPORT_LOCK_KEY])


def test_a_second_import_at_once_is_refused_with_a_message(
    tmp_path, client, filiere, personas, import_lock_held
):
    from django.core.management import CommandError, call_command

    path = write(tmp_path, HEADER + ROW_COORD + ROW_COMP)
    with pytest.raises(CommandError, match="Un autre import de la liste officielle est en cours"):
        call_command("import_labels", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    client.force_login(personas.superuser)
    file = io.BytesIO((HEADER + ROW_COORD + ROW_COMP).encode())
    file.name = "liste.csv"
    url = reverse("admin:centres_site_import")
    payload = client.post(url, {"file": file}).context["payload"]  # checking needs no lock
    response = client.post(url, {"confirm": "1", "payload": payload})
    assert response.status_code == 409
    assert "Un autre import" in response.content.decode()
    assert not ReferenceCentre.objects.filter(acronym="CSMA").exists()
