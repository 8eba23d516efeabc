"""XLSX of every protection list (cases, workers, the dashboard's table, a programme's summary,
holds), exactly as filtered. Formula-safe: written by core.spreadsheets, the one writer of every
spreadsheet Rantau makes."""

from collections.abc import Iterator

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.spreadsheets import XLSX_CONTENT_TYPE, xlsx_bytes, xlsx_table

from .selectors import risk_reasons

XLSX = XLSX_CONTENT_TYPE


def case_headers() -> list[str]:
    return [
        _("Case"),
        _("Worker"),
        _("Programme"),
        _("Cohort"),
        _("Type"),
        _("Severity"),
        _("Status"),
        _("Reported by"),
        _("Reported on"),
        _("First action due"),
        _("Summary"),
        _("Outcome"),
    ]


def case_rows(cases) -> Iterator[list]:
    """No description and no action notes: the export goes to officials and partners."""
    for c in cases.iterator(chunk_size=1000):
        yield [
            c.pk,
            c.placement.candidate.full_name,
            c.placement.programme.name,
            c.placement.cohort.name if c.placement.cohort else "",
            c.get_case_type_display(),
            c.get_severity_display(),
            c.get_status_display(),
            c.get_reported_by_display(),
            timezone.localtime(c.reported_at).date(),
            timezone.localtime(c.first_action_due).strftime("%Y-%m-%d %H:%M"),
            c.summary,
            c.get_outcome_display(),
        ]


def worker_headers() -> list[str]:
    return [
        _("Worker"),
        _("Programme"),
        _("Cohort"),
        _("Stage"),
        _("Departed on"),
        _("Last contact"),
        _("Days since contact"),
        _("Contact interval (days)"),
        _("At risk"),
    ]


def worker_rows(placements) -> Iterator[list]:
    for p in placements.iterator(chunk_size=1000):
        yield [
            p.candidate.full_name,
            p.programme.name,
            p.cohort.name if p.cohort else "",
            p.get_stage_display(),
            p.departed_on,
            p.last_contact_on,
            p.days_since_contact,
            p.interval,
            "; ".join(risk_reasons(p)),
        ]


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def dashboard_headers(group_label: str) -> list[str]:
    return [
        group_label,
        _("Departed"),
        _("Absconded"),
        _("Absconding rate (%)"),
        _("Abroad now"),
        _("Contacted within the interval"),
        _("Contact coverage (%)"),
        _("Contact overdue"),
        _("At risk"),
        _("Open cases"),
        _("Past first-action deadline"),
        _("On hold"),
    ]


def dashboard_rows(dashboard) -> Iterator[list]:
    """One row per group and the total: counts only (the national viewer may export them)."""
    for row in [*dashboard.rows, dashboard.total]:
        yield [
            str(row.label),
            row.departed,
            row.absconded,
            _percent(row.absconding_rate),
            row.abroad,
            row.contacted,
            _percent(row.coverage),
            row.overdue,
            row.at_risk,
            row.open_cases,
            row.past_deadline,
            _("yes") if row.on_hold else "",
        ]


def hold_headers() -> list[str]:
    return [_("Programme"), _("On hold since"), _("Lifted on"), _("Source"), _("Reason")]


def hold_rows(holds) -> Iterator[list]:
    for hold in holds:
        yield [hold.programme.name, hold.held_on, hold.lifted_on, hold.source, hold.reason]


def xlsx_response(headers: list[str], rows, *, title: str, filename: str) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(xlsx_table(headers, rows, title=title)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}-{timezone.localdate():%Y-%m-%d}.xlsx"'
    return response
