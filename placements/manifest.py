"""The cohort manifest for the foreign partner: an XLSX in English with only what the partner needs.

No NIK, no address, no phone, no health data: name, sex, birth date, passport number and expiry,
occupation and employer.
"""

from io import BytesIO

from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Font

from core.spreadsheets import escape_formula

from .models import Cohort, Placement

HEADERS = ["No.", "Full name", "Sex", "Date of birth", "Passport number", "Passport expiry", "Occupation", "Employer"]
SEX = {"M": "Male", "F": "Female"}
DATE_FORMAT = "DD MMM YYYY"


def manifest_xlsx(cohort: Cohort, placements: list[Placement]) -> bytes:
    # In English whatever the clerk's language: "South Korea", not "Korea Selatan".
    with translation.override("en"):
        return _manifest_xlsx(cohort, placements)


def _manifest_xlsx(cohort: Cohort, placements: list[Placement]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Manifest"
    programme = cohort.programme
    facts = [
        ("Cohort", cohort.name),
        ("Programme", programme.name),
        (
            "Destination",
            ", ".join(x for x in [cohort.destination_city, programme.get_destination_country_display()] if x),
        ),
        ("Departure", cohort.actual_departure or cohort.planned_departure),
        ("Return due", cohort.return_due_on),
        ("Travellers", len(placements)),
        ("Prepared on", timezone.localdate()),
    ]
    for label, value in facts:
        sheet.append([label, escape_formula(value) if isinstance(value, str) else value])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        if hasattr(value, "isoformat"):
            sheet.cell(row=sheet.max_row, column=2).number_format = DATE_FORMAT
    sheet.append([])
    sheet.append(HEADERS)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for number, placement in enumerate(placements, start=1):
        candidate, passport, occupation = placement.candidate, placement.passport, placement.occupation
        sheet.append(
            [
                number,
                escape_formula(candidate.full_name),
                SEX.get(candidate.sex, ""),
                candidate.birth_date,
                escape_formula(passport.number) if passport else "",
                passport.expires_on if passport else None,
                escape_formula((occupation.name_en or occupation.name) if occupation else ""),
                escape_formula(placement.employer),
            ]
        )
        row = sheet.max_row
        sheet.cell(row=row, column=4).number_format = DATE_FORMAT
        sheet.cell(row=row, column=6).number_format = DATE_FORMAT
    for column, width in zip("ABCDEFGH", [5, 32, 8, 14, 16, 15, 26, 34], strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
