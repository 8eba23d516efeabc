"""A dashboard table as an XLSX download: title, scope and date on top, then the same rows as on screen."""

from datetime import date

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from core.spreadsheets import BOLD, XLSX_CONTENT_TYPE, new_workbook, sheet_title, xlsx_append, xlsx_bytes

from .tables import Cell, Table

XLSX = XLSX_CONTENT_TYPE


def _value(cell: Cell):
    if cell.kind == "percent" and cell.value is not None:
        return round(cell.value, 4)
    if cell.kind == "text" and cell.badge:
        return f"{cell.value} ({cell.badge})"
    return cell.value


def _number_format(cell: Cell) -> str | None:
    return {"percent": "0.0%", "date": "d mmm yyyy", "month": "mmm yyyy"}.get(cell.kind)


def table_workbook(table: Table, *, scope: str, subject: str = "") -> bytes:
    """Written by core.spreadsheets like every file Rantau makes: a programme or cohort named
    "=HYPERLINK(…)" stays text."""
    wb = new_workbook()
    ws = wb.active
    ws.title = sheet_title(table.title)
    xlsx_append(ws, [f"{subject} – {table.title}" if subject else table.title], font=Font(bold=True, size=13))
    xlsx_append(ws, [_("Scope: %(scope)s") % {"scope": scope}])
    xlsx_append(ws, [_("Made on %(date)s") % {"date": timezone.localtime().strftime("%Y-%m-%d %H:%M")}])
    if table.note:
        xlsx_append(ws, [table.note])
    xlsx_append(ws, [])
    xlsx_append(ws, table.columns, font=BOLD)
    for row in table.rows:
        xlsx_append(ws, [_value(c) for c in row], number_formats=[_number_format(c) for c in row])
    if table.footer:
        xlsx_append(
            ws, [_value(c) for c in table.footer], font=BOLD, number_formats=[_number_format(c) for c in table.footer]
        )
    ws.column_dimensions["A"].width = max(18, min(60, max((len(str(r[0].value)) for r in table.rows), default=10)))
    return xlsx_bytes(wb)


def xlsx_response(table: Table, *, scope: str, subject: str = "", today: date) -> HttpResponse:
    response = HttpResponse(table_workbook(table, scope=scope, subject=subject), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="rantau-{table.key}-{today:%Y-%m-%d}.xlsx"'
    return response
