import pytest

from core.spreadsheets import escape_formula

# Pure function: no database.


@pytest.mark.parametrize("text", ['=HYPERLINK("x")', "+62812", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_text_a_spreadsheet_would_run_is_written_as_text(text):
    assert escape_formula(text) == "'" + text


@pytest.mark.parametrize("value", ["Nur Agies", "0812-3456-7890", "", 42, None, 1.5])
def test_everything_else_is_left_alone(value):
    assert escape_formula(value) == value
