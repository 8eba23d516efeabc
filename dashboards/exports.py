"""A dashboard table as an XLSX download: title, scope and date on top, then the same rows as on screen."""

import re
from datetime import date
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.spreadsheets import escape_formula

from .tables import Cell, Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _value(cell: Cell):
    if cell.kind == "percent" and cell.value is not None:
        return round(cell.value, 4)
    if cell.kind == "text" and cell.badge:
        return escape_formula(f"{cell.value} ({cell.badge})")
    return escape_formula(cell.value)


def _number_format(cell: Cell) -> str | None:
    return {"percent": "0.0%", "date": "d mmm yyyy", "month": "mmm yyyy"}.get(cell.kind)


def table_workbook(table: Table, *, scope: str, subject: str = "") -> bytes:
    wb = Workbook()
    ws = wb.active
    # Sheet titles: at most 31 characters, none of []:*?/\
    ws.title = re.sub(r"[\[\]:*?/\\]", " ", table.title)[:31]
    ws.append([escape_formula(f"{subject} – {table.title}" if subject else table.title)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([_("Scope: %(scope)s") % {"scope": scope}])
    ws.append([_("Made on %(date)s") % {"date": timezone.localtime().strftime("%Y-%m-%d %H:%M")}])
    if table.note:
        ws.append([table.note])
    ws.append([])
    ws.append([escape_formula(column) for column in table.columns])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in table.rows + ([table.footer] if table.footer else []):
        ws.append([_value(c) for c in row])
        for target, source in zip(ws[ws.max_row], row, strict=False):
            fmt = _number_format(source)
            if fmt:
                target.number_format = fmt
    if table.footer:
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = max(18, min(60, max((len(str(r[0].value)) for r in table.rows), default=10)))
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(table: Table, *, scope: str, subject: str = "", today: date) -> HttpResponse:
    response = HttpResponse(table_workbook(table, scope=scope, subject=subject), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="rantau-{table.key}-{today:%Y-%m-%d}.xlsx"'
    return response
