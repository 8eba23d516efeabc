"""Hostile uploads: to a candidate's documents, to an agreement's stage move and to the candidate import.

Every case must end in a clear message next to the file field, never a 500, and nothing saved:
no database row and no file left in the private storage folder.
"""

import io
import struct
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from candidates.models import Candidate, Document
from programmes.models import AgreementStage, AgreementStageEvent
from tests.factories import (
    AgreementFactory,
    CandidateFactory,
    document_upload_data,
    make_nik,
    pdf_bytes,
    serang_kecamatan,
)
from tests.security.conftest import field_errors, raw_multipart, stored_files

pytestmark = pytest.mark.django_db

EN = {"language": "en"}

PHP = b"<?php system($_GET['c']); ?>\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n"
SVG_SCRIPT = (
    b'<?xml version="1.0" standalone="no"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.domain)</script></svg>\n'
)
# A GIF header that browsers sniffing the content would also run as a page.
GIF_HTML = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04<script>alert(1)</script>;"

# (content, file name): files that are not what their name says, or not a document at all.
DISGUISED = [
    pytest.param(PHP, "passport.pdf", id="php-renamed-pdf"),
    pytest.param(HTML, "passport.pdf", id="html-named-pdf"),
    pytest.param(SVG_SCRIPT, "passport.png", id="svg-script-named-png"),
    pytest.param(SVG_SCRIPT, "passport.svg", id="svg-script-named-svg"),
    pytest.param(GIF_HTML, "passport.gif", id="gif-html-polyglot"),
    pytest.param(GIF_HTML, "passport.pdf", id="gif-html-polyglot-named-pdf"),
    pytest.param(PHP, "passport.pdf.php", id="double-extension-pdf-php"),
    pytest.param(PHP, "passport.php.pdf", id="double-extension-php-pdf"),
]


# --- candidate documents ------------------------------------------------------------------------------

DOCUMENT_TYPE_ERROR = "Only PDF, JPEG and PNG files are accepted; this file is none of them (checked by its content)."
DOCUMENT_FIELDS = {"doc_type": "skck", "number": "SKCK/123", "issued_on": "2026-01-10", "expires_on": "2026-07-10"}


@pytest.fixture
def candidate(serang):
    return CandidateFactory(municipality=serang)


def _document_url(candidate) -> str:
    return reverse("candidates:document_create", args=[candidate.pk])


def _upload_document(client, candidate, content: bytes, name: str, content_type: str = "application/pdf"):
    data = document_upload_data(
        {**DOCUMENT_FIELDS, "file": SimpleUploadedFile(name, content, content_type=content_type)}
    )
    return client.post(_document_url(candidate), data, **EN)


@pytest.mark.parametrize(("content", "name"), DISGUISED)
def test_document_upload_refuses_a_file_that_is_not_really_a_pdf_jpeg_or_png(
    staff_client, candidate, private_storage, content, name
):
    response = _upload_document(staff_client, candidate, content, name)
    assert response.status_code == 200
    assert field_errors(response, "file") == [DOCUMENT_TYPE_ERROR]
    assert not Document.objects.exists()
    assert stored_files(private_storage) == []


def test_document_upload_refuses_a_file_one_byte_over_five_megabytes(staff_client, candidate, private_storage):
    # A genuine PDF, padded: only the size is wrong.
    content = pdf_bytes(b"%" + b"0" * (5 * 1024 * 1024) + b"\n")
    content = content[: 5 * 1024 * 1024 - len(b"%%EOF\n") + 1] + b"%%EOF\n"
    assert len(content) == 5 * 1024 * 1024 + 1
    response = _upload_document(staff_client, candidate, content, "passport.pdf")
    assert response.status_code == 200
    assert field_errors(response, "file") == ["The file is 5.0 MB; at most 5 MB is accepted."]
    assert not Document.objects.exists()
    assert stored_files(private_storage) == []


def _post_raw_document(client, candidate, filename: bytes, content: bytes):
    body, content_type = raw_multipart(
        document_upload_data(DOCUMENT_FIELDS), "doc-0-file", filename, content, "application/pdf"
    )
    return client.post(_document_url(candidate), body, content_type=content_type, **EN)


def test_document_named_with_parent_folders_stays_inside_the_storage_folder(staff_client, candidate, private_storage):
    response = _post_raw_document(staff_client, candidate, b"../../etc/passwd.pdf", pdf_bytes())
    assert response.status_code == 302
    document = Document.objects.get()
    # The user's name is kept only as a harmless display name; the stored name is random.
    assert document.original_filename == "passwd.pdf"
    stored = (private_storage / document.file.name).resolve()
    assert stored.is_relative_to(private_storage.resolve())
    assert stored_files(private_storage) == [stored]
    assert ".." not in document.file.name and "passwd" not in document.file.name
    assert not (private_storage.parent / "etc").exists()


@pytest.mark.parametrize(
    "filename", [b"..\\..\\etc\\passwd.pdf", b"%2e%2e%2f%2e%2e%2fpasswd.pdf", b"/etc/passwd.pdf"], ids=str
)
def test_document_named_with_other_kinds_of_path_stays_inside_the_storage_folder(
    staff_client, candidate, private_storage, filename
):
    response = _post_raw_document(staff_client, candidate, filename, pdf_bytes())
    assert response.status_code == 302
    document = Document.objects.get()
    assert "/" not in document.original_filename and "\\" not in document.original_filename
    assert document.original_filename.endswith(".pdf")
    assert (private_storage / document.file.name).resolve().is_relative_to(private_storage.resolve())


def test_document_named_with_a_nul_byte_and_php_content_is_refused(staff_client, candidate, private_storage):
    response = _post_raw_document(staff_client, candidate, b"passport.php\x00.pdf", PHP)
    assert response.status_code == 200
    assert field_errors(response, "file") == [DOCUMENT_TYPE_ERROR]
    assert not Document.objects.exists()
    assert stored_files(private_storage) == []


def test_document_named_with_a_nul_byte_keeps_no_nul_in_any_name(staff_client, candidate, private_storage):
    response = _post_raw_document(staff_client, candidate, b"passport\x00.php.pdf", pdf_bytes())
    assert response.status_code == 302
    document = Document.objects.get()
    assert "\x00" not in document.original_filename and "\x00" not in document.file.name
    # What the file really is decides its extension, whatever comes after the NUL.
    assert document.original_filename.endswith(".pdf") and document.file.name.endswith(".pdf")


def test_document_named_with_a_right_to_left_override_keeps_no_override(staff_client, candidate, private_storage):
    # "passport\u202egpj.pdf" displays as "passportfdp.jpg" where the override is honoured.
    response = _post_raw_document(staff_client, candidate, "passport\u202egpj.pdf".encode(), pdf_bytes())
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.original_filename == "passportgpj.pdf"
    download = staff_client.get(reverse("candidates:document_download", args=[document.pk]))
    assert "\u202e" not in download["Content-Disposition"] and "%E2%80%AE" not in download["Content-Disposition"]


def test_a_pdf_named_php_is_stored_and_offered_for_download_as_pdf(staff_client, candidate, private_storage):
    response = _upload_document(staff_client, candidate, pdf_bytes(), "passport.pdf.php")
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.original_filename == "passport.pdf.pdf"
    assert document.file.name.endswith(".pdf")
    download = staff_client.get(reverse("candidates:document_download", args=[document.pk]))
    assert 'filename="passport.pdf.pdf"' in download["Content-Disposition"]
    assert download["Content-Type"] == "application/pdf"


def test_a_genuine_file_with_a_bad_field_beside_it_leaves_no_file_behind(staff_client, candidate, private_storage):
    data = {**DOCUMENT_FIELDS, "doc_type": "passport", "number": "", "expires_on": "2020-01-01"}
    data["file"] = SimpleUploadedFile("passport.pdf", pdf_bytes(), content_type="application/pdf")
    response = staff_client.post(_document_url(candidate), document_upload_data(data), **EN)
    assert response.status_code == 200
    assert field_errors(response, "number") == ["A passport needs its number."]
    assert not Document.objects.exists()
    assert stored_files(private_storage) == []


# --- agreement stage move with a document ------------------------------------------------------------


@pytest.fixture
def agreement(serang):
    return AgreementFactory(municipality=serang, stage=AgreementStage.FULL_POWER)  # the MoU is the next stage


def _move_fields() -> dict:
    return {"stage": AgreementStage.MOU_SIGNED, "occurred_on": timezone.localdate().isoformat(), "note": "MoU signed"}


def _move(client, agreement, upload):
    url = reverse("programmes:agreement_move", args=[agreement.pk])
    return client.post(url, {**_move_fields(), "document": upload}, **EN)


def _assert_agreement_unchanged(agreement, private_storage):
    agreement.refresh_from_db()
    assert agreement.stage == AgreementStage.FULL_POWER
    assert not AgreementStageEvent.objects.filter(agreement=agreement).exists()
    assert stored_files(private_storage) == []


@pytest.mark.parametrize(("content", "name"), DISGUISED)
def test_stage_move_refuses_a_document_that_is_not_really_a_pdf(
    admin_client_serang, agreement, private_storage, content, name
):
    response = _move(admin_client_serang, agreement, SimpleUploadedFile(name, content, "application/pdf"))
    assert response.status_code == 400
    assert field_errors(response, "document") == ["Only PDF documents are accepted."]
    _assert_agreement_unchanged(agreement, private_storage)


def test_stage_move_refuses_a_document_over_ten_megabytes(admin_client_serang, agreement, private_storage):
    content = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 - 9 - 6 + 1) + b"%%EOF\n"
    assert len(content) == 10 * 1024 * 1024 + 1
    response = _move(admin_client_serang, agreement, SimpleUploadedFile("mou.pdf", content, "application/pdf"))
    assert response.status_code == 400
    assert field_errors(response, "document") == ["The file is larger than 10 MB."]
    _assert_agreement_unchanged(agreement, private_storage)


def test_a_genuine_pdf_with_a_refused_move_leaves_no_file_behind(admin_client_serang, agreement, private_storage):
    url = reverse("programmes:agreement_move", args=[agreement.pk])
    data = {**_move_fields(), "note": "", "document": SimpleUploadedFile("mou.pdf", pdf_bytes(), "application/pdf")}
    response = admin_client_serang.post(url, data, **EN)
    assert response.status_code == 400
    assert field_errors(response, "note") == ["Moving forward needs a note on what happened."]
    _assert_agreement_unchanged(agreement, private_storage)


@pytest.mark.parametrize(
    ("filename", "shown"),
    [
        (b"../../etc/passwd.pdf", "passwd.pdf"),
        (b"..\\..\\mou.pdf", "mou.pdf"),
        (b"mou\x00.php.pdf", "mou.php.pdf"),
        (b"mou.pdf.php", "mou.pdf.pdf"),
    ],
    ids=["parent-folders", "backslashes", "nul-byte", "php-extension"],
)
def test_stage_move_document_name_is_sanitised_and_the_file_stays_inside_storage(
    admin_client_serang, agreement, private_storage, filename, shown
):
    body, content_type = raw_multipart(_move_fields(), "document", filename, pdf_bytes(), "application/pdf")
    url = reverse("programmes:agreement_move", args=[agreement.pk])
    response = admin_client_serang.post(url, body, content_type=content_type, **EN)
    assert response.status_code == 302
    event = AgreementStageEvent.objects.get(agreement=agreement, stage=AgreementStage.MOU_SIGNED)
    assert event.document_name == shown
    stored = (private_storage / event.document.name).resolve()
    assert stored.is_relative_to(private_storage.resolve()) and stored_files(private_storage) == [stored]
    assert stored.suffix == ".pdf" and "passwd" not in event.document.name and "mou" not in event.document.name
    download = admin_client_serang.get(reverse("programmes:agreement_document", args=[event.pk]))
    assert f'filename="{shown}"' in download["Content-Disposition"]


# --- candidate import ----------------------------------------------------------------------------------

IMPORT_URL = reverse("candidates:candidate_import")
XLSX_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _import(client, content: bytes, name: str = "kandidat.xlsx"):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(IMPORT_URL, {"file": upload}, **EN)


def _assert_nothing_imported(response, private_storage, before: int = 0):
    assert response.status_code == 200
    assert Candidate.objects.count() == before
    assert stored_files(private_storage) == []
    assert not response.client.session.get("candidate_imports")


def _valid_rows() -> list[list]:
    kec, kel = serang_kecamatan()
    nik = make_nik(serang_municipality(), date(1995, 3, 14), "M", kecamatan_code=kec, serial=77)
    header = ["nik", "nama_lengkap", "jenis_kelamin", "tanggal_lahir", "tempat_lahir", "kecamatan", "kelurahan"]
    return [header + ["pendidikan"], [nik, "Nur Agies", "L", "1995-03-14", "Serang", kec, kel, "SMA"]]


def serang_municipality():
    from programmes.models import Municipality

    return Municipality.objects.get(code="36.73")


def _xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """The workbook `data` with some members replaced or added."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, content in add.items():
            dst.writestr(name, content)
    return out.getvalue()


def test_a_valid_spreadsheet_reaches_the_preview(staff_client, private_storage):
    # The control for the cases below: the same workbook, unharmed, is accepted.
    response = _import(staff_client, _xlsx(_valid_rows()))
    assert response.status_code == 302 and "/candidates/import/" in response["Location"]


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """A workbook whose sheet unpacks to 200 MB of zeros (a few hundred kB on the wire)."""
    data = _xlsx([["nik", "nama_lengkap"]])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info.filename, src.read(info.filename))
        chunk = b"\x00" * (1024 * 1024)
        with dst.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(200):
                member.write(chunk)
    return out.getvalue()


def test_import_refuses_a_zip_bomb(staff_client, private_storage, zip_bomb):
    assert len(zip_bomb) < 1024 * 1024
    response = _import(staff_client, zip_bomb)
    _assert_nothing_imported(response, private_storage)
    assert field_errors(response, "file") == ["The XLSX file unpacks to an implausible size; it was not opened."]


def test_import_refuses_a_highly_compressed_member_under_the_size_limit(staff_client, private_storage):
    # 20 MB of one character: below the total limit, but no real sheet compresses a thousandfold.
    data = _rezip(_xlsx(_valid_rows()), add={"xl/media/padding.bin": b"A" * (20 * 1024 * 1024)})
    response = _import(staff_client, data)
    _assert_nothing_imported(response, private_storage)
    assert field_errors(response, "file") == ["The XLSX file unpacks to an implausible size; it was not opened."]


def _lying_sizes(data: bytes, name: str, declared: int) -> bytes:
    """`data` with the sizes recorded for member `name` (local header and central directory) set to
    `declared`: the member then unpacks to more than the archive says."""
    buf = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    struct.pack_into("<I", buf, info.header_offset + 22, declared)  # local header: uncompressed size
    central = buf.find(b"PK\x01\x02")
    while central != -1:
        length = struct.unpack_from("<H", buf, central + 28)[0]
        if buf[central + 46 : central + 46 + length] == name.encode():
            struct.pack_into("<I", buf, central + 24, declared)  # central directory: uncompressed size
            break
        central = buf.find(b"PK\x01\x02", central + 4)
    return bytes(buf)


def _sheet(rows_xml: str, doctype: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<worksheet xmlns="{XLSX_MAIN}">'
        f'<dimension ref="A1:H2"/><sheetData>{rows_xml}</sheetData></worksheet>'
    ).encode()


def _inline_rows(rows: list[list]) -> str:
    out = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{value}</t></is></c>' for c, value in enumerate(row)
        )
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out)


def _sheet_with_entity(doctype: str, entity_ref: str) -> bytes:
    rows = _valid_rows()
    rows[1][1] = entity_ref  # the name cell refers to the entity
    return _rezip(_xlsx(_valid_rows()), replace={"xl/worksheets/sheet1.xml": _sheet(_inline_rows(rows), doctype)})


def _shared_strings_with_entity(doctype: str) -> bytes:
    """A workbook whose shared strings table declares an entity; the sheet's name cell uses it."""
    rows = _valid_rows()
    cells = []
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            ref = f"{chr(65 + c)}{r}"
            if r == 2 and c == 1:
                cells.append(f'<c r="{ref}" t="s"><v>0</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
    row_xml = "".join(f'<row r="{r}">{"".join(cells[(r - 1) * 8 : r * 8])}</row>' for r in range(1, len(rows) + 1))
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<sst xmlns="{XLSX_MAIN}" count="1" uniqueCount="1">'
        "<si><t>&xxe;</t></si></sst>"
    ).encode()
    data = _xlsx(_valid_rows())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml").decode()
    types = types.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    return _rezip(
        data,
        replace={"xl/worksheets/sheet1.xml": _sheet(row_xml), "[Content_Types].xml": types.encode()},
        add={"xl/sharedStrings.xml": strings},
    )


XXE = '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS = (
    '<!DOCTYPE r [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY xxe "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: _sheet_with_entity(XXE, "&xxe;"), id="external-entity-in-sheet"),
        pytest.param(lambda: _shared_strings_with_entity(XXE), id="external-entity-in-shared-strings"),
        pytest.param(lambda: _sheet_with_entity(LAUGHS, "&xxe;"), id="entity-expansion-in-sheet"),
        pytest.param(lambda: _shared_strings_with_entity(LAUGHS), id="entity-expansion-in-shared-strings"),
    ],
)
def test_import_refuses_xml_entities_and_never_shows_local_files(staff_client, private_storage, make):
    response = _import(staff_client, make())
    _assert_nothing_imported(response, private_storage)
    assert field_errors(response, "file") == ["This is not a valid XLSX file."]
    body = response.content.decode()
    assert "root:x:0:0" not in body and "/bin/" not in body and "lollol" not in body


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(
            lambda: _rezip(_xlsx(_valid_rows()), replace={"xl/worksheets/sheet1.xml": _sheet("<row><c><v>1")}),
            id="sheet-xml-cut-short",
        ),
        pytest.param(
            lambda: _lying_sizes(
                _rezip(_xlsx(_valid_rows()), replace={"xl/worksheets/sheet1.xml": _sheet(_inline_rows(_valid_rows()))}),
                "xl/worksheets/sheet1.xml",
                400,
            ),
            id="sheet-sizes-that-lie",
        ),
        pytest.param(lambda: b"PK\x03\x04" + b"\x00" * 200, id="zip-header-only"),
        pytest.param(lambda: _rezip(_xlsx(_valid_rows()), replace={"xl/workbook.xml": PHP}), id="php-as-workbook"),
    ],
)
def test_import_refuses_a_broken_workbook_with_a_message(staff_client, private_storage, make):
    response = _import(staff_client, make())
    _assert_nothing_imported(response, private_storage)
    assert field_errors(response, "file") == ["This is not a valid XLSX file."]


def test_import_refuses_a_file_over_ten_megabytes(staff_client, private_storage):
    header = ",".join(_valid_rows()[0]).encode() + b"\n"
    content = header + b"x" * (10 * 1024 * 1024 + 1 - len(header))
    assert len(content) == 10 * 1024 * 1024 + 1
    response = _import(staff_client, content, "kandidat.csv")
    _assert_nothing_imported(response, private_storage)
    assert field_errors(response, "file") == ["The file is larger than 10 MB. Split it into smaller files."]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (PHP, "kandidat.xlsx", "Wrong headers: the columns"),
        (HTML, "kandidat.csv", "Wrong headers: the columns"),
        (SVG_SCRIPT, "kandidat.csv", "Wrong headers: the columns"),
        (GIF_HTML, "kandidat.xlsx", "This is not a spreadsheet. Upload an XLSX or CSV file."),
        (pdf_bytes() + b"\x00", "kandidat.xlsx", "This is not a spreadsheet. Upload an XLSX or CSV file."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "kandidat.xls", "This is an old Excel file (.xls)."),
    ],
    ids=["php-named-xlsx", "html-named-csv", "svg-named-csv", "gif-html-polyglot", "pdf", "old-xls"],
)
def test_import_refuses_a_file_that_is_not_a_spreadsheet(staff_client, private_storage, content, name, message):
    response = _import(staff_client, content, name)
    _assert_nothing_imported(response, private_storage)
    errors = field_errors(response, "file")
    assert len(errors) == 1 and errors[0].startswith(message)


def test_import_named_with_parent_folders_and_a_nul_byte_keeps_a_clean_name(staff_client, private_storage):
    body, content_type = raw_multipart(
        {}, "file", b"../../etc/kandidat\x00.php.xlsx", _xlsx(_valid_rows()), "application/octet-stream"
    )
    response = staff_client.post(IMPORT_URL, body, content_type=content_type, **EN)
    assert response.status_code == 302
    preview = staff_client.get(response["Location"], **EN)
    assert "kandidat.php.xlsx" in preview.content.decode() and "etc/" not in preview.content.decode()
    root = private_storage.resolve()
    assert all(p.resolve().is_relative_to(root / "imports") for p in stored_files(private_storage))
    assert Candidate.objects.count() == 0
