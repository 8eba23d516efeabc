"""The one writer of every spreadsheet file Rantau produces (XLSX and CSV): text is never run as a formula.

Every export (the candidate list and its job, dashboard tables, cohort manifests, the national
SISKOP2MI file, protection lists, import templates) builds its files with these functions; no other
module creates an openpyxl Workbook or a csv.writer for output (tests/core/test_spreadsheets.py
checks the source, tests/test_exports_formula_safe.py runs every export route).

- XLSX: every text cell is written as a string cell (never a formula, whatever it starts with)
  and keeps its exact value; a text that starts like a formula (= + - @, tab or carriage return)
  also gets Excel's "quote prefix", so that editing the cell keeps it text.
- CSV has no cell types: such a text gets a leading apostrophe (escape_formula), which spreadsheet
  programs show as text.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

# A cell starting with one of these is a formula (or becomes one) in Excel and LibreOffice.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
DATE_FORMAT = "DD-MM-YYYY"
BOLD = Font(bold=True)


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def escape_formula(value):
    """Text that a spreadsheet shows as text in a CSV: a leading apostrophe before a formula character."""
    if looks_like_formula(value):
        return "'" + value
    return value


# --- XLSX -----------------------------------------------------------------------------------------


def new_workbook(*, write_only: bool = False) -> Workbook:
    """A workbook to fill with xlsx_append (write_only: constant memory however many rows; its
    sheets are made with workbook.create_sheet)."""
    return Workbook(write_only=write_only)


def sheet_title(title: str) -> str:
    """A valid sheet title: at most 31 characters, none of []:*?/\\."""
    return "".join(" " if ch in "[]:*?/\\" else ch for ch in str(title))[:31] or "Sheet"


def xlsx_cell(sheet, value, *, font: Font | None = None, number_format: str | None = None):
    """One cell: text as text (never a formula), a date with a date format."""
    if value is not None and not isinstance(value, str | int | float | bool | date | datetime):
        value = str(value)  # lazy translations, Decimal, model labels
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if looks_like_formula(value):
            cell.quotePrefix = True
    if number_format:
        cell.number_format = number_format
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    if font is not None:
        cell.font = font
    return cell


def xlsx_append(sheet, values: Iterable, *, font: Font | None = None, number_formats: Iterable | None = None) -> None:
    """Append one row of values to a sheet (write-only or not); number_formats: one per value (or None)."""
    formats = list(number_formats) if number_formats is not None else []
    sheet.append(
        [
            xlsx_cell(sheet, value, font=font, number_format=formats[i] if i < len(formats) else None)
            for i, value in enumerate(values)
        ]
    )


def xlsx_table(header: list, body: Iterable[list], *, title: str) -> Workbook:
    """A one-sheet write-only workbook: a bold header row, then the rows (constant memory)."""
    workbook = new_workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(title))
    xlsx_append(sheet, header, font=BOLD)
    for row in body:
        xlsx_append(sheet, row)
    return workbook


def xlsx_bytes(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- CSV ------------------------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


def _csv_value(value):
    if isinstance(value, date):
        return value.isoformat()
    if value is not None and not isinstance(value, str | int | float | bool):
        value = str(value)
    return escape_formula(value)


def csv_lines(header: list, body: Iterable[list], *, bom: bool = True) -> Iterator[str]:
    """CSV lines (for a streaming response or a file); a BOM first so that Excel reads UTF-8 names
    correctly. Dates as YYYY-MM-DD, text formula-safe."""
    writer = csv.writer(_Echo())
    if bom:
        yield "\ufeff"
    yield writer.writerow([_csv_value(h) for h in header])
    for row in body:
        yield writer.writerow([_csv_value(v) for v in row])


def csv_text(header: list, body: Iterable[list] = (), *, bom: bool = True) -> str:
    return "".join(csv_lines(header, body, bom=bom))
