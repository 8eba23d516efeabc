"""The cohort manifest for the foreign partner: an XLSX in English with only what the partner needs.

No NIK, no address, no phone, no health data: name, sex, birth date, passport number and expiry,
occupation and employer.
"""

from django.utils import timezone, translation

from core.spreadsheets import BOLD, new_workbook, xlsx_append, xlsx_bytes

from .models import Cohort, Placement

HEADERS = ["No.", "Full name", "Sex", "Date of birth", "Passport number", "Passport expiry", "Occupation", "Employer"]
SEX = {"M": "Male", "F": "Female"}
DATE_FORMAT = "DD MMM YYYY"


def manifest_xlsx(cohort: Cohort, placements: list[Placement]) -> bytes:
    """Written by core.spreadsheets like every file Rantau makes: no text becomes a formula."""
    # In English whatever the clerk's language: "South Korea", not "Korea Selatan".
    with translation.override("en"):
        return _manifest_xlsx(cohort, placements)


def _manifest_xlsx(cohort: Cohort, placements: list[Placement]) -> bytes:
    book = new_workbook()
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
        xlsx_append(sheet, [label, value], number_formats=[None, DATE_FORMAT if hasattr(value, "isoformat") else None])
        sheet.cell(row=sheet.max_row, column=1).font = BOLD
    xlsx_append(sheet, [])
    xlsx_append(sheet, HEADERS, font=BOLD)
    header_row = sheet.max_row
    dates = [None, None, None, DATE_FORMAT, None, DATE_FORMAT]
    for number, placement in enumerate(placements, start=1):
        candidate, passport, occupation = placement.candidate, placement.passport, placement.occupation
        xlsx_append(
            sheet,
            [
                number,
                candidate.full_name,
                SEX.get(candidate.sex, ""),
                candidate.birth_date,
                passport.number if passport else "",
                passport.expires_on if passport else None,
                (occupation.name_en or occupation.name) if occupation else "",
                placement.employer,
            ],
            number_formats=dates,
        )
    for column, width in zip("ABCDEFGH", [5, 32, 8, 14, 16, 15, 26, 34], strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    return xlsx_bytes(book)
