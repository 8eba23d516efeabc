"""Export of the list as shown: same filters and columns, formula escaping, masking, language."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import CandidateFactory

EXPORT = reverse("candidates:candidate_export")


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _xlsx(response) -> list[list]:
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_escapes_cells_that_a_spreadsheet_would_run(staff_client, serang, fmt):
    CandidateFactory(municipality=serang, full_name='=HYPERLINK("http://evil.example","x")')
    CandidateFactory(municipality=serang, full_name="+Plus")
    CandidateFactory(municipality=serang, full_name="-Minus")
    CandidateFactory(municipality=serang, full_name="@Sum")
    response = staff_client.get(EXPORT, {"format": fmt})
    rows = _csv(response) if fmt == "csv" else _xlsx(response)
    names = sorted(row[0] for row in rows[1:])
    if fmt == "csv":  # no cell types in a CSV: the apostrophe makes it text
        assert names == ["'+Plus", "'-Minus", '\'=HYPERLINK("http://evil.example","x")', "'@Sum"]
    else:  # a text cell keeps the exact name (core.spreadsheets)
        assert names == ["+Plus", "-Minus", '=HYPERLINK("http://evil.example","x")', "@Sum"]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_respects_the_list_filters_and_scope(staff_client, serang, blitar, fmt):
    wanted = CandidateFactory(municipality=serang, sex="F", education="smk")
    CandidateFactory(municipality=serang, sex="M", education="smk")
    CandidateFactory(municipality=serang, sex="F", education="sma")
    CandidateFactory(municipality=blitar, sex="F", education="smk")
    response = staff_client.get(EXPORT, {"format": fmt, "sex": "F", "education": "smk"})
    rows = _csv(response) if fmt == "csv" else _xlsx(response)
    assert [row[0] for row in rows[1:]] == [wanted.full_name]
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.django_db
def test_export_has_the_list_columns_in_the_users_language(staff_client, serang):
    CandidateFactory(municipality=serang)
    english = _csv(staff_client.get(EXPORT, {"format": "csv"}, language="en"))
    assert english[0] == ["Name", "NIK", "Sex", "Age", "Kecamatan", "Education", "Phone", "Placements", "Registered on"]
    indonesian = _csv(staff_client.get(EXPORT, {"format": "csv"}, language="id"))
    assert indonesian[0][:3] == ["Nama", "NIK", "Jenis kelamin"]
    assert (english[1][2], indonesian[1][2]) in (("Male", "Laki-laki"), ("Female", "Perempuan"))


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_officials_get_masked_niks_and_staff_full_ones(staff_client, official_client, serang, fmt):
    candidate = CandidateFactory(municipality=serang)
    staff_rows = (_csv if fmt == "csv" else _xlsx)(staff_client.get(EXPORT, {"format": fmt}))
    official_rows = (_csv if fmt == "csv" else _xlsx)(official_client.get(EXPORT, {"format": fmt}))
    assert staff_rows[1][1] == candidate.nik
    assert official_rows[1][1] == f"{candidate.nik[:4]}••••••••{candidate.nik[-4:]}"


@pytest.mark.django_db
def test_unknown_export_format_is_404(staff_client):
    assert staff_client.get(EXPORT, {"format": "pdf"}).status_code == 404


@pytest.mark.django_db
def test_phone_is_exported_as_indonesians_write_it(staff_client, serang):
    CandidateFactory(municipality=serang, phone="+6281234567890")
    rows = _csv(staff_client.get(EXPORT, {"format": "csv"}))
    assert rows[1][6] == "0812-3456-7890"
