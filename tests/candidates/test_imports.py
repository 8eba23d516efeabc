"""Bulk import: preview with the form's rules, all-or-nothing commit, no duplicates, bad files refused."""

import csv
import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from candidates import imports
from candidates.imports import COLUMNS, candidate_import_commit, candidate_import_validate
from candidates.models import Candidate
from tests.factories import CandidateFactory, make_nik

HEADERS = [c.header_id for c in COLUMNS]


def row(serang, n: int, **overrides) -> dict:
    """A valid import row for a Serang candidate; n makes the NIK unique."""
    birth = date(1990, 1, 1 + n % 28)
    values = {
        "nik": make_nik(serang, birth, "M", kecamatan_code="36.73.01", serial=1000 + n),
        "nama_lengkap": f"Ahmad Fauzi Nomor{n}",
        "jenis_kelamin": "L",
        "tanggal_lahir": birth.strftime("%d-%m-%Y"),
        "tempat_lahir": "Serang",
        "alamat": "Jl. Veteran",
        "kecamatan": "Serang",  # by name
        "kelurahan": "36.73.01.1001",
        "telepon": f"0812{n:08d}",
        "email": "",
        "pendidikan": "SMA",
        "tanggal_daftar": "2026-01-05",
        "tanggal_persetujuan": "2026-01-05",
        "catatan": "",
    }
    values.update(overrides)
    return values


def csv_file(rows: list[dict], headers=HEADERS, name="kandidat.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for r in rows:
        writer.writerow([r.get(h, "") for h in headers])
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_file(rows: list[dict], headers=HEADERS) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for r in rows:
        sheet.append([r.get(h, "") for h in headers])
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("kandidat.xlsx", out.getvalue())


@pytest.fixture
def rows(serang):
    return [row(serang, n) for n in range(5)]


@pytest.mark.django_db
@pytest.mark.parametrize("make_file", [csv_file, xlsx_file], ids=["csv", "xlsx"])
def test_a_valid_file_previews_then_commits(serang_staff, rows, make_file):
    preview = candidate_import_validate(user=serang_staff, uploaded_file=make_file(rows))
    assert preview.file_error is None and preview.error_count == 0
    assert (preview.total_rows, preview.create_count, preview.existing_count) == (5, 5, 0)
    assert not Candidate.objects.exists(), "step 1 writes nothing"

    result = candidate_import_commit(user=serang_staff, preview_token=preview.token)
    assert (result.created, result.updated, result.skipped) == (5, 0, 0)
    candidate = Candidate.objects.get(nik=rows[0]["nik"])
    assert candidate.municipality == serang_staff.municipality
    assert candidate.kecamatan_code == "36.73.01" and candidate.phone == "+62812" + "00000000"
    assert candidate.sex == "M" and candidate.education == "sma"
    assert candidate.consent_given_on == date(2026, 1, 5) and candidate.consent_taken_by == serang_staff


@pytest.mark.django_db
def test_one_bad_row_at_the_end_means_nothing_is_saved(serang_staff, serang, rows):
    bad = rows + [row(serang, 99, tanggal_lahir="31-02-1990")]
    preview = candidate_import_validate(user=serang_staff, uploaded_file=csv_file(bad))
    assert preview.error_count == 1
    error = preview.errors[0]
    assert (error.row, error.column) == (7, "tanggal_lahir")  # header is row 1
    assert not preview.can_commit
    with pytest.raises(imports.CandidateImportError):
        candidate_import_commit(user=serang_staff, preview_token=preview.token)
    assert not Candidate.objects.exists()


@pytest.mark.django_db
def test_the_same_file_twice_creates_no_duplicates(serang_staff, rows):
    first = candidate_import_validate(user=serang_staff, uploaded_file=csv_file(rows))
    candidate_import_commit(user=serang_staff, preview_token=first.token)
    second = candidate_import_validate(user=serang_staff, uploaded_file=csv_file(rows))
    assert (second.create_count, second.existing_count) == (0, 5)
    result = candidate_import_commit(user=serang_staff, preview_token=second.token, on_existing="skip")
    assert (result.created, result.skipped) == (0, 5)
    third = candidate_import_validate(user=serang_staff, uploaded_file=csv_file(rows))
    result = candidate_import_commit(user=serang_staff, preview_token=third.token, on_existing="update")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 5)
    assert Candidate.objects.count() == 5


@pytest.mark.django_db
def test_update_changes_registered_people_and_keeps_blank_cells(serang_staff, serang, rows):
    candidate_import_commit(
        user=serang_staff,
        preview_token=candidate_import_validate(user=serang_staff, uploaded_file=csv_file(rows)).token,
    )
    before = Candidate.objects.get(nik=rows[0]["nik"])
    changed = [dict(rows[0], alamat="Jl. Baru 7", telepon=""), rows[1]]
    preview = candidate_import_validate(user=serang_staff, uploaded_file=csv_file(changed))
    result = candidate_import_commit(user=serang_staff, preview_token=preview.token, on_existing="update")
    assert (result.updated, result.unchanged) == (1, 1)
    after = Candidate.objects.get(pk=before.pk)
    assert after.address == "Jl. Baru 7"
    assert after.phone == before.phone, "a blank cell keeps the registered phone"
    assert after.version == before.version + 1


@pytest.mark.django_db
def test_a_nik_registered_at_another_office_is_an_error_naming_only_the_office(serang_staff, serang, blitar, rows):
    other = CandidateFactory(municipality=blitar, nik=rows[2]["nik"], full_name="Secret Person")
    preview = candidate_import_validate(user=serang_staff, uploaded_file=csv_file(rows))
    assert preview.error_count == 1
    assert preview.errors[0].message == "This NIK is already registered at Kota Blitar."
    assert other.full_name not in preview.to_json()


@pytest.mark.django_db
def test_a_nik_repeated_in_the_file_is_an_error(serang_staff, rows):
    preview = candidate_import_validate(user=serang_staff, uploaded_file=csv_file(rows + [rows[0]]))
    assert [(e.row, e.message) for e in preview.errors] == [(7, "The same NIK is in row 2.")]


@pytest.mark.django_db
def test_rows_are_checked_with_the_forms_rules(serang_staff, serang):
    bad = [
        row(serang, 1, nik="3699011403950001"),
        row(serang, 2, kelurahan="35.72.01.1001"),
        row(serang, 3, telepon="12345"),
        row(serang, 4, pendidikan="PhD"),
        row(serang, 5, tanggal_lahir="01-01-2010"),
    ]
    preview = candidate_import_validate(user=serang_staff, uploaded_file=csv_file(bad))
    assert [(e.row, e.column) for e in preview.errors] == [
        (2, "nik"),
        (3, "kelurahan"),
        (4, "telepon"),
        (5, "pendidikan"),
        (6, "tanggal_lahir"),
    ]


@pytest.mark.django_db
def test_nik_mismatch_and_possible_duplicates_are_warnings(serang_staff, serang):
    CandidateFactory(municipality=serang, full_name="AHMAD FAUZI NOMOR1", birth_date=date(1990, 1, 2))
    mismatched = row(serang, 2, tanggal_lahir="05-01-1990")
    preview = candidate_import_validate(user=serang_staff, uploaded_file=csv_file([row(serang, 1), mismatched]))
    assert preview.error_count == 0 and preview.create_count == 2
    messages = [(w.row, w.message.split(" ")[0]) for w in preview.warnings]
    assert (2, "Possibly") in messages and (3, "The") in messages


@pytest.mark.django_db
def test_english_headers_are_accepted(serang_staff, serang):
    english = [c.header_en for c in COLUMNS]
    data = row(serang, 1)
    mapped = {c.header_en: data[c.header_id] for c in COLUMNS}
    preview = candidate_import_validate(user=serang_staff, uploaded_file=csv_file([mapped], headers=english))
    assert preview.error_count == 0 and preview.create_count == 1


@pytest.mark.django_db
def test_semicolon_csv_from_indonesian_excel_is_read(serang_staff, serang):
    data = row(serang, 1)
    text = ";".join(HEADERS) + "\r\n" + ";".join(data[h] for h in HEADERS) + "\r\n"
    upload = SimpleUploadedFile("k.csv", text.encode("cp1252"))
    assert candidate_import_validate(user=serang_staff, uploaded_file=upload).create_count == 1


def _file_error(user, upload) -> str:
    preview = candidate_import_validate(user=user, uploaded_file=upload)
    assert preview.token is None
    return preview.file_error


@pytest.mark.django_db
def test_bad_files_get_a_clear_message(serang_staff, serang):
    assert "not a spreadsheet" in _file_error(serang_staff, SimpleUploadedFile("x.csv", b"\x00\x01binary\x00"))
    assert "empty" in _file_error(serang_staff, SimpleUploadedFile("x.csv", b""))
    assert "no candidates" in _file_error(serang_staff, csv_file([]))
    assert "Wrong headers" in _file_error(serang_staff, csv_file([{}], headers=["name", "age"]))
    assert ".xls" in _file_error(serang_staff, SimpleUploadedFile("x.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100))
    assert "not a valid XLSX" in _file_error(serang_staff, SimpleUploadedFile("x.xlsx", b"PK\x03\x04broken"))
    assert not Candidate.objects.exists()


@pytest.mark.django_db
def test_more_than_20000_rows_is_refused(serang_staff, serang, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    message = _file_error(serang_staff, csv_file([row(serang, n) for n in range(4)]))
    assert "more than 3 rows" in message


@pytest.mark.django_db
def test_a_file_over_10_mb_is_refused(serang_staff):
    upload = SimpleUploadedFile("big.csv", b"nik\n" + b"1" * (10 * 1024 * 1024 + 1))
    assert "larger than 10 MB" in _file_error(serang_staff, upload)


@pytest.mark.django_db
def test_a_zip_bomb_is_not_opened(serang_staff, monkeypatch):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (30 * 1024 * 1024))  # compresses ~1000:1
    opened = []
    monkeypatch.setattr(imports, "load_workbook", lambda *a, **k: opened.append(1))
    message = _file_error(serang_staff, SimpleUploadedFile("bomb.xlsx", out.getvalue()))
    assert "implausible size" in message and not opened


@pytest.mark.django_db
def test_another_users_token_cannot_be_committed(serang_staff, rows, serang):
    from accounts.models import Role
    from tests.conftest import make_user

    preview = candidate_import_validate(user=serang_staff, uploaded_file=csv_file(rows))
    colleague = make_user("serang.staff2", Role.STAFF, serang)
    with pytest.raises(imports.PermissionDenied):
        candidate_import_commit(user=colleague, preview_token=preview.token)
    assert not Candidate.objects.exists()


@pytest.mark.django_db
def test_the_commit_is_one_transaction(serang_staff, rows, monkeypatch):
    preview = candidate_import_validate(user=serang_staff, uploaded_file=csv_file(rows))

    def fail(*args, **kwargs):
        raise RuntimeError("connection lost")

    real_bulk_create = Candidate.objects.bulk_create

    def create_then_fail(objs, **kwargs):
        real_bulk_create(objs, **kwargs)
        fail()

    monkeypatch.setattr(Candidate.objects, "bulk_create", create_then_fail)
    with pytest.raises(RuntimeError):
        candidate_import_commit(user=serang_staff, preview_token=preview.token)
    assert not Candidate.objects.exists()


@pytest.mark.django_db
def test_the_import_pages_walk_through_upload_preview_and_commit(staff_client, rows):
    response = staff_client.post(reverse("candidates:candidate_import"), {"file": csv_file(rows)})
    assert response.status_code == 302
    preview_url = response["Location"]
    token = preview_url.rstrip("/").split("/")[-1]
    assert len(token) == 32 and rows[0]["nik"] not in preview_url
    preview = staff_client.get(preview_url)
    body = preview.content.decode()
    assert 'data-count="create">5<' in body and rows[0]["nik"] not in body
    commit = staff_client.post(reverse("candidates:candidate_import_commit", args=[token]), {"on_existing": "skip"})
    assert commit.status_code == 302 and Candidate.objects.count() == 5
    assert staff_client.get(preview_url).status_code == 404, "the token is spent"


@pytest.mark.django_db
def test_a_token_not_from_this_session_is_404(staff_client, serang_staff, rows):
    preview = candidate_import_validate(user=serang_staff, uploaded_file=csv_file(rows))
    url = reverse("candidates:candidate_import_commit", args=[preview.token])
    assert staff_client.post(url, {"on_existing": "skip"}).status_code == 404
    assert not Candidate.objects.exists()


@pytest.mark.django_db
def test_upload_page_shows_the_file_error(staff_client):
    response = staff_client.post(
        reverse("candidates:candidate_import"),
        {"file": SimpleUploadedFile("x.csv", b"just,text\n")},
        language="en",
    )
    assert response.status_code == 200
    assert "Wrong headers" in response.content.decode()


@pytest.mark.django_db
def test_template_has_indonesian_headers_and_a_text_nik_column(staff_client):
    response = staff_client.get(reverse("candidates:candidate_import_template", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.column_dimensions["A"].number_format == "@"  # NIK typed as text keeps 16 digits
    csv_response = staff_client.get(reverse("candidates:candidate_import_template", args=["csv"]))
    lines = csv_response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0] == ",".join(HEADERS) and len(lines) == 2  # the headers and one example row


@pytest.mark.django_db
def test_the_csv_templates_example_row_is_refused_so_it_is_never_imported(staff_client, serang_staff):
    content = staff_client.get(reverse("candidates:candidate_import_template", args=["csv"])).content
    preview = candidate_import_validate(user=serang_staff, uploaded_file=SimpleUploadedFile("t.csv", content))
    assert preview.error_count == 1 and preview.create_count == 0
    assert "example row" in preview.errors[0].message


@pytest.mark.django_db
def test_the_allowed_values_file_lists_every_enumerated_column(staff_client):
    response = staff_client.get(reverse("candidates:candidate_import_template", args=["values.csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    columns = {r[0] for r in rows[1:]}
    assert {"jenis_kelamin", "pendidikan", "kecamatan", "kelurahan"} <= columns
    assert ["kelurahan", "Sepang", "36.73.06.1010 (Taktakan)"] in rows
    assert ["pendidikan", "SMA", "Senior secondary (SMA)"] in rows


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("column", "typed", "suggested"),
    [
        ("kelurahan", "Sepangg", "Sepang"),
        ("kecamatan", "Taktakn", "Taktakan"),
        ("pendidikan", "SMAA", "SMA"),
    ],
)
def test_a_wrong_enumerated_value_is_repeated_with_the_closest_allowed_one(
    serang_staff, serang, column, typed, suggested
):
    data = row(serang, 1, **{"kecamatan": "Taktakan", "kelurahan": "36.73.06.1010", column: typed})
    preview = candidate_import_validate(user=serang_staff, uploaded_file=csv_file([data]))
    assert preview.error_count == 1
    error = preview.errors[0]
    assert error.column == column
    assert error.message == f"“{typed}” is not an allowed value. Did you mean “{suggested}”?"


@pytest.mark.django_db
def test_a_value_near_nothing_allowed_says_so_without_a_guess(serang_staff, serang):
    preview = candidate_import_validate(user=serang_staff, uploaded_file=csv_file([row(serang, 1, pendidikan="Q")]))
    assert preview.errors[0].message == "“Q” is not an allowed value (see the list of allowed values)."


def test_closest_value_ignores_case_and_the_kelurahan_prefix():
    assert imports.closest_value("kel. sepangg", ["Sepang", "Serang", "Cipare"]) == "Sepang"
    assert imports.closest_value("Zzz", ["Sepang", "Serang"]) is None


@pytest.mark.django_db
def test_the_downloaded_template_filled_in_imports_cleanly(staff_client, serang_staff, serang):
    content = staff_client.get(reverse("candidates:candidate_import_template", args=["xlsx"])).content
    workbook = load_workbook(io.BytesIO(content))
    data = row(serang, 1)
    workbook.worksheets[0].append([data[h] for h in HEADERS])
    out = io.BytesIO()
    workbook.save(out)
    preview = candidate_import_validate(user=serang_staff, uploaded_file=SimpleUploadedFile("t.xlsx", out.getvalue()))
    assert preview.error_count == 0 and preview.create_count == 1


@pytest.mark.django_db
def test_imported_and_updated_rows_are_in_the_history_with_the_importing_user(staff_client, serang_staff, rows):
    from candidates.selectors import candidate_history

    def upload_and_commit(data, on_existing):
        response = staff_client.post(reverse("candidates:candidate_import"), {"file": csv_file(data)})
        token = response["Location"].rstrip("/").split("/")[-1]
        staff_client.post(reverse("candidates:candidate_import_commit", args=[token]), {"on_existing": on_existing})

    upload_and_commit(rows, "skip")
    upload_and_commit([dict(rows[0], alamat="Jl. Pindah 1")], "update")
    candidate = Candidate.objects.get(nik=rows[0]["nik"])
    entries = candidate_history(candidate)
    assert [e.action for e in entries] == ["changed", "created"]
    assert all(e.who == serang_staff for e in entries)
    assert [(c.old, c.new) for c in entries[0].changes] == [("Jl. Veteran", "Jl. Pindah 1")]
    other = Candidate.objects.get(nik=rows[1]["nik"])
    assert [e.action for e in candidate_history(other)] == ["created"], "one event per row, not per statement"


@pytest.mark.django_db
def test_abandoned_import_files_are_purged(serang_staff, rows, private_storage):
    import os
    import time

    from django.core.management import call_command

    preview = candidate_import_validate(user=serang_staff, uploaded_file=csv_file(rows))
    fresh = candidate_import_validate(user=serang_staff, uploaded_file=csv_file(rows))
    old = time.time() - 2 * 24 * 3600
    for path in (private_storage / "imports").glob(f"{preview.token}.*"):
        os.utime(path, (old, old))
    call_command("purge_candidate_imports", stdout=io.StringIO())
    left = {p.name.split(".")[0] for p in (private_storage / "imports").iterdir()}
    assert left == {fresh.token}


@pytest.mark.django_db
def test_an_xlsx_whose_dimension_is_wrong_is_read_to_the_end(serang_staff, serang):
    content = xlsx_file([row(serang, n) for n in range(4)]).read()
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:N5"', b'<dimension ref="A1:N2"')
            target.writestr(item, data)
    assert b'ref="A1:N2"' in zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml")
    preview = candidate_import_validate(user=serang_staff, uploaded_file=SimpleUploadedFile("d.xlsx", out.getvalue()))
    assert preview.create_count == 4
