"""Issue #9, §5: the import's cost grows with the rows, never with rows × queries, and
a file beyond the stated limits is refused at once, with a message.

The files are synthetic: generated hospitals and centres, .invalid sources. With
IMPORT_BENCH=1 and -s, the last test prints the figures of the README for the
largest file allowed (preview and confirmation in the admin)."""

import io
import os
import random
import time

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centres.importing import MAX_FILE_BYTES, MAX_ROWS, Preview, plan_import
from staff.admin.centres import decode_preview, encode_preview
from tests.factories import FiliereFactory, HospitalFactory
from tests.staff.test_import import HEADER

SOURCE = "https://source-synthetique.invalid/arrete"


def synthetic_file(rows, hospitals=100):
    """`rows` competence centres: centre k in each of `hospitals` hospitals, in turn."""
    FiliereFactory(acronym="TESTSCALE", slug="testscale")
    slugs = [
        HospitalFactory(
            slug=f"test-scale-{n}", short_name=f"Test CHU Scale {n}", city="Testville"
        ).slug
        for n in range(hospitals)
    ]
    lines = [HEADER]
    for i in range(rows):
        centre, hospital = divmod(i, hospitals)
        lines.append(
            f"TESTSCALE,Centre synthétique d'échelle {centre},TSC{centre},competence,"
            f"{slugs[hospital]},Testville,Service {i},,,,,adultes,2023-2028,{SOURCE}\n"
        )
    return "".join(lines)


def test_checking_26000_rows_costs_a_fixed_number_of_queries(personas):
    text = synthetic_file(26_000)
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        plan = plan_import(text, max_rows=30_000)
    elapsed = time.perf_counter() - start
    print(f"\n26 000 rows checked in {elapsed:.1f} s, {len(queries)} queries")
    assert plan.is_valid
    assert plan.count("création") == 26_000
    # Filières, hospitals, centres (none yet: no query for their sites).
    assert len(queries) == 3


def test_a_26000_row_file_is_refused_at_once_with_a_message(client, personas):
    """It used to be checked for longer than gunicorn's 30 s (a 500). The row limit
    itself: tests/staff/test_import_csv.py."""
    text = synthetic_file(26_000)
    client.force_login(personas.superuser)
    file = io.BytesIO(text.encode())
    file.name = "liste.csv"
    start = time.perf_counter()
    response = client.post(reverse("admin:centres_site_import"), {"file": file})
    print(
        f"\n26 000 rows ({len(text.encode()) / 1e6:.1f} MB) refused in "
        f"{time.perf_counter() - start:.2f} s"
    )
    assert response.status_code == 400
    assert "Mo au plus" in response.content.decode()


def test_the_confirmation_form_carries_the_largest_file_within_djangos_limit():
    """zlib never grows data by more than a few bytes per 16 KiB and base64 adds a
    third: the worst case is 4/3 of MAX_FILE_BYTES, under DATA_UPLOAD_MAX_MEMORY_SIZE."""
    rng = random.Random(9)
    # Random 7-bit text: about as incompressible as a text file gets.
    text = bytes(rng.getrandbits(7) for _ in range(MAX_FILE_BYTES)).decode("ascii")
    preview = Preview(text, ("filnemus", "filslan"), "0" * 64)
    payload = encode_preview(preview)
    assert len(payload) < MAX_FILE_BYTES * 4 / 3 + 16_000
    assert MAX_FILE_BYTES * 4 / 3 + 16_000 < settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 10_000
    assert decode_preview(payload) == preview


@pytest.mark.skipif(not os.environ.get("IMPORT_BENCH"), reason="figures: IMPORT_BENCH=1, -s")
def test_figures_for_the_largest_file_allowed(client, personas):
    """The admin must answer within gunicorn's 30 s for the largest file allowed."""
    text = synthetic_file(MAX_ROWS)
    client.force_login(personas.superuser)
    url = reverse("admin:centres_site_import")
    for label, content in [
        ("creations", text),
        ("updates", text.replace("Service ", "Service modifié ")),
    ]:
        file = io.BytesIO(content.encode())
        file.name = "liste.csv"
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as preview_queries:
            preview = client.post(url, {"file": file})
        previewed = time.perf_counter() - start
        assert preview.status_code == 200
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as confirm_queries:
            done = client.post(url, {"confirm": "1", "payload": preview.context["payload"]})
        confirmed = time.perf_counter() - start
        assert done.status_code == 302
        print(
            f"\n{MAX_ROWS} {label} ({len(content.encode()) / 1e6:.2f} MB, "
            f"{connection.vendor}): preview {previewed:.1f} s / "
            f"{len(preview_queries)} queries, confirmation {confirmed:.1f} s / "
            f"{len(confirm_queries)} queries"
        )
        assert previewed + confirmed < 30
