"""Every dashboard table downloads as XLSX with the same rows as on screen, its scope and date on top."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def _sheet(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return [list(row) for row in load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)]


def _body(rows, header):
    """The rows after the header row, as on screen."""
    start = rows.index(header) + 1
    return rows[start:]


def test_programme_table_exports_the_same_numbers_with_scope(official_client, data):
    rows = _sheet(official_client.get(f"/programmes/{data.programme.pk}/?export=sex", language="en"))
    assert rows[0][0] == "Programme P – By sex"
    assert rows[1][0] == "Scope: Kota Serang"
    assert _body(rows, ["Sex", "Placements", "Reached departure"]) == [
        ["Male", 6, 2],
        ["Female", 5, 1],
        ["Total", 11, 3],
    ]


def test_every_programme_table_exports(official_client, data):
    response = official_client.get(f"/programmes/{data.programme.pk}/")
    for key, table in response.context["tables"].items():
        rows = _sheet(official_client.get(f"/programmes/{data.programme.pk}/?export={key}"))
        assert len(_body(rows, table.columns)) == len(table.rows) + (1 if table.footer else 0), key


def test_pass_rate_exports_as_a_percentage_cell(official_client, data):
    response = official_client.get(f"/programmes/{data.programme.pk}/?export=providers", language="en")
    wb = load_workbook(BytesIO(response.content))
    ws = wb.active
    cells = {row[0].value: row for row in ws.iter_rows() if row[0].value in ("LPK Alpha", "BBPVP Beta")}
    assert cells["LPK Alpha"][5].value == pytest.approx(0.6667)
    assert cells["LPK Alpha"][5].number_format == "0.0%"


def test_home_and_national_tables_export(official_client, national_client, data):
    rows = _sheet(official_client.get("/?export=programmes", language="en"))
    assert any(row[0] == "Programme P" for row in rows)
    assert not any(row[0] == "Blitar programme" for row in rows)
    rows = _sheet(national_client.get("/?export=municipalities", language="en"))
    assert rows[1][0] == "Scope: All municipalities"
    assert ["Kota Blitar", 1, 4, 4, 1, 0, 1] in rows


def test_unknown_table_answers_404(official_client, data):
    assert official_client.get(f"/programmes/{data.programme.pk}/?export=nope").status_code == 404


def test_export_of_another_municipality_programme_answers_404(blitar_client, data):
    assert blitar_client.get(f"/programmes/{data.programme.pk}/?export=sex").status_code == 404


def test_text_that_looks_like_a_formula_is_written_as_text(official_client, data):
    # A programme named like a formula would run in Excel if written as it is.
    type(data.programme).objects.filter(pk=data.programme.pk).update(name='=HYPERLINK("http://x","y")')
    rows = _sheet(official_client.get("/?export=programmes", language="en"))
    names = [row[0] for row in rows if row and isinstance(row[0], str) and "HYPERLINK" in row[0]]
    assert names == ['=HYPERLINK("http://x","y")']  # the name as it is, in a text cell (never a formula)
