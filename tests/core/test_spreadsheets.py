import pytest

from core.spreadsheets import escape_formula

# Pure function: no database.


@pytest.mark.parametrize("text", ['=HYPERLINK("x")', "+62812", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_text_a_spreadsheet_would_run_is_written_as_text(text):
    assert escape_formula(text) == "'" + text


@pytest.mark.parametrize("value", ["Nur Agies", "0812-3456-7890", "", 42, None, 1.5])
def test_everything_else_is_left_alone(value):
    assert escape_formula(value) == value


# --- the one writer: XLSX cells are text, numbers and dates keep their type ----------------------


def test_xlsx_cells_are_text_with_the_exact_value_and_numbers_and_dates_keep_their_type():
    import io
    from datetime import date

    from openpyxl import load_workbook

    from core.spreadsheets import xlsx_bytes, xlsx_table

    hostile = ['=HYPERLINK("x")', "+62812", "-1", "@SUM(A1)", "\tx"]
    content = xlsx_bytes(xlsx_table(["Name"], [[h, 7, date(2026, 1, 5)] for h in hostile], title="T[1]: a/b"))
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "T 1   a b"
    rows = list(sheet.iter_rows(min_row=2))
    assert [r[0].value for r in rows] == hostile
    assert {r[0].data_type for r in rows} == {"s"} and all(r[0].quotePrefix for r in rows)
    assert [(r[1].value, r[1].data_type) for r in rows][0] == (7, "n")
    assert rows[0][2].value.date() == date(2026, 1, 5) and rows[0][2].number_format == "DD-MM-YYYY"


def test_csv_lines_escape_text_and_write_dates_as_iso():
    import csv
    import io
    from datetime import date

    from core.spreadsheets import csv_text

    text = csv_text(["=Name"], [['=HYPERLINK("x")', 3, date(2026, 1, 5), None]])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["'=Name"], ['\'=HYPERLINK("x")', "3", "2026-01-05", ""]]
