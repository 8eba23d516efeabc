"""Bulk import of candidates from CSV or XLSX, in two steps.

1. `candidate_import_validate` stores the upload privately under a random token, checks every row
   with the entry form's rules (CandidateDataForm) and returns a preview: rows to create, rows whose
   NIK is already registered in the user's municipality (update or skip), rows with errors.
2. `candidate_import_commit` reads the stored file again, validates it again (the registry may have
   changed meanwhile) and writes everything in one transaction, or nothing.

Importing the same file twice creates no duplicates: the second time every row matches an existing
NIK. Existing NIKs are fetched in one query and rows are written with bulk operations, so 10,000
rows take a few seconds (scripts/bench_import.py).
"""

import csv
import difflib
import io
import json
import re
import secrets
import unicodedata
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from accounts.access import require_perm
from core.choices import Education
from core.models import Municipality
from core.spreadsheets import BOLD, csv_text, new_workbook, xlsx_append, xlsx_bytes

from .forms import CandidateDataForm, wilayah_choices
from .models import CANDIDATE_DATA_FIELDS, Candidate
from .privacy import CURRENT_CONSENT_VERSION, mask_identifier
from .selectors import DUPLICATE_NAME_SIMILARITY, similar_elsewhere_warning
from .validators import regency_codes

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# An XLSX is a zip: refuse one that unpacks to far more than a 20,000-row sheet needs (zip bomb).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 150
PREVIEW_SAMPLE = 100
# A file with more rows than this is checked, and then imported, by a job whose page shows progress.
IN_REQUEST_MAX_ROWS = 2000
# For the estimate of an XLSX's rows from its unpacked sheets (14 cells of sheet XML per row).
XLSX_BYTES_PER_ROW = 400
STORED_ISSUES = 1000
STORAGE_DIR = "imports"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class Column:
    field: str
    header_id: str  # the template's (Indonesian) header
    header_en: str
    required: bool
    aliases: tuple[str, ...] = ()
    label: str = ""


COLUMNS = [
    Column("nik", "nik", "nik", True, ("no_ktp", "nomor_induk_kependudukan"), gettext_lazy("16 digits; text cell")),
    Column("full_name", "nama_lengkap", "full_name", True, ("nama", "name"), gettext_lazy("as on the KTP")),
    Column("sex", "jenis_kelamin", "sex", True, ("jk", "gender"), gettext_lazy("L or P (M or F)")),
    Column("birth_date", "tanggal_lahir", "birth_date", True, ("tgl_lahir",), gettext_lazy("YYYY-MM-DD or DD-MM-YYYY")),
    Column("birth_place", "tempat_lahir", "birth_place", True, (), ""),
    Column("address", "alamat", "address", False, ("street_address",), ""),
    Column("kecamatan_code", "kecamatan", "kecamatan", True, ("kecamatan_code", "kode_kecamatan", "district"), ""),
    Column(
        "kelurahan_code", "kelurahan", "kelurahan", True, ("kelurahan_code", "desa", "kelurahan_desa", "village"), ""
    ),
    Column("phone", "telepon", "phone", False, ("no_hp", "hp", "telp"), gettext_lazy("e.g. 0812-3456-7890")),
    Column("email", "email", "email", False, ("surel",), ""),
    Column("education", "pendidikan", "education", True, ("pendidikan_terakhir",), gettext_lazy("SD … S3")),
    Column("registered_on", "tanggal_daftar", "registered_on", False, ("tgl_daftar",), gettext_lazy("empty: today")),
    Column(
        "consent_given_on",
        "tanggal_persetujuan",
        "consent_given_on",
        False,
        ("tgl_persetujuan", "consent_date"),
        gettext_lazy("date the consent form was signed"),
    ),
    Column("notes", "catatan", "notes", False, (), ""),
]
_BY_HEADER = {alias: c for c in COLUMNS for alias in (c.header_id, c.header_en, c.field, *c.aliases)}
_FIELD_TO_COLUMN = {c.field: c for c in COLUMNS}

_SEX = {
    "l": "M",
    "lk": "M",
    "laki-laki": "M",
    "laki laki": "M",
    "pria": "M",
    "m": "M",
    "male": "M",
    "p": "F",
    "pr": "F",
    "perempuan": "F",
    "wanita": "F",
    "f": "F",
    "female": "F",
}
_EDUCATION = {v: v for v in Education.values} | {"slta": "sma", "sltp": "smp", "sederajat": "sma"}


@dataclass
class RowIssue:
    row: int
    column: str
    message: str


@dataclass
class PreviewRow:
    row: int
    name: str
    nik_masked: str
    candidate_id: int | None = None


@dataclass
class ImportPreview:
    token: str | None
    original_name: str
    total_rows: int = 0
    create_count: int = 0
    existing_count: int = 0
    create_rows: list[PreviewRow] = field(default_factory=list)
    existing_rows: list[PreviewRow] = field(default_factory=list)
    errors: list[RowIssue] = field(default_factory=list)
    error_count: int = 0
    warnings: list[RowIssue] = field(default_factory=list)
    warning_count: int = 0
    ignored_headers: list[str] = field(default_factory=list)
    file_error: str | None = None

    @property
    def can_commit(self) -> bool:
        return self.file_error is None and self.error_count == 0 and (self.create_count + self.existing_count) > 0

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> "ImportPreview":
        data = json.loads(text)
        data["create_rows"] = [PreviewRow(**r) for r in data["create_rows"]]
        data["existing_rows"] = [PreviewRow(**r) for r in data["existing_rows"]]
        data["errors"] = [RowIssue(**r) for r in data["errors"]]
        data["warnings"] = [RowIssue(**r) for r in data["warnings"]]
        return cls(**data)


@dataclass
class ImportResult:
    created: int
    updated: int
    skipped: int
    unchanged: int = 0


def result_message(result: ImportResult) -> str:
    return _(
        "Import finished: %(created)d created, %(updated)d updated, %(unchanged)d unchanged, %(skipped)d skipped."
    ) % {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "skipped": result.skipped,
    }


class CandidateImportError(ValidationError):
    """The import cannot be committed; `preview` says why (row errors or a file problem)."""

    def __init__(self, message, preview: "ImportPreview | None" = None):
        super().__init__(message)
        self.preview = preview


class ImportInterrupted(CandidateImportError):
    """The database went away during the commit: the transaction was rolled back, the checked rows
    are kept, and the same import can be committed again."""


class FileProblem(Exception):
    """A file-level problem, with a message for the user."""


# --- step 1 -------------------------------------------------------------------------------------


def candidate_import_validate(*, user, uploaded_file) -> ImportPreview:
    """Validate every row of an upload and keep the result privately for step 2; nothing is
    written to the registry."""
    require_perm(user, "candidates.add_candidate")
    name = _display_name(getattr(uploaded_file, "name", "") or "")
    try:
        data = _upload_bytes(user, uploaded_file)
        preview, rows = _validate(user=user, data=data, kind=_detect_kind(data), original_name=name)
    except FileProblem as problem:
        return ImportPreview(token=None, original_name=name, file_error=str(problem))
    preview.token = secrets.token_hex(16)
    _save_meta(user, preview.token, name)
    _save_checked(preview.token, preview, rows)
    return preview


def is_large_upload(uploaded_file) -> bool:
    """More rows than IN_REQUEST_MAX_ROWS, by a cheap estimate (lines of a CSV, the unpacked size of
    an XLSX's sheets): such a file is checked and imported by a job."""
    uploaded_file.seek(0)
    head = uploaded_file.read(4)
    uploaded_file.seek(0)
    if head != b"PK\x03\x04":
        lines = sum(chunk.count(b"\n") for chunk in uploaded_file.chunks())
        uploaded_file.seek(0)
        return lines > IN_REQUEST_MAX_ROWS
    try:
        members = zipfile.ZipFile(uploaded_file).infolist()
    except (zipfile.BadZipFile, OSError):
        return False  # the check in the request says what is wrong with it
    finally:
        uploaded_file.seek(0)
    sheets = sum(m.file_size for m in members if m.filename.startswith("xl/worksheets/"))
    return sheets > IN_REQUEST_MAX_ROWS * XLSX_BYTES_PER_ROW


def candidate_import_receive(*, user, uploaded_file) -> ImportPreview:
    """Step 1 of a large file, in the request: keep the upload privately under a new token for the
    job that checks it (candidate_import_check_stored). The preview has the token, or a file_error."""
    require_perm(user, "candidates.add_candidate")
    name = _display_name(getattr(uploaded_file, "name", "") or "")
    try:
        data = _upload_bytes(user, uploaded_file)
        if _detect_kind(data) == "xlsx":
            # What the request can say at once (a zip bomb, not an XLSX) is not left to the job.
            try:
                _check_members(zipfile.ZipFile(io.BytesIO(data)).infolist())
            except (zipfile.BadZipFile, OSError) as exc:
                raise FileProblem(_("This is not a valid XLSX file.")) from exc
    except FileProblem as problem:
        return ImportPreview(token=None, original_name=name, file_error=str(problem))
    token = secrets.token_hex(16)
    _save_meta(user, token, name)
    default_storage.save(_path(token, "upload"), ContentFile(data))
    return ImportPreview(token=token, original_name=name)


def candidate_import_check_stored(*, user, preview_token: str, progress=None) -> ImportPreview:
    """Step 1 of a large file, in the job: check the kept upload row by row, reporting
    `progress(rows checked, rows)`, and keep the result for step 2 as for a small file."""
    require_perm(user, "candidates.add_candidate")
    meta = _meta(user, preview_token)
    with default_storage.open(_path(preview_token, "upload"), "rb") as fh:
        data = fh.read()
    try:
        preview, rows = _validate(
            user=user, data=data, kind=_detect_kind(data), original_name=meta["original_name"], progress=progress
        )
    except FileProblem as problem:
        candidate_import_discard(user=user, preview_token=preview_token)
        return ImportPreview(token=None, original_name=meta["original_name"], file_error=str(problem))
    preview.token = preview_token
    _save_checked(preview_token, preview, rows)
    default_storage.delete(_path(preview_token, "upload"))
    return preview


def _upload_bytes(user, uploaded_file) -> bytes:
    if not user.municipality_id:
        raise FileProblem(_("Your account has no municipality."))
    too_large = _("The file is larger than 10 MB. Split it into smaller files.")
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        raise FileProblem(too_large)
    uploaded_file.seek(0)
    data = uploaded_file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem(too_large)
    return data


def _save_meta(user, token: str, name: str) -> None:
    meta = {
        "user_id": user.pk,
        "municipality_id": user.municipality_id,
        "original_name": name,
        "created_at": timezone.now().isoformat(),
    }
    default_storage.save(_path(token, "meta.json"), ContentFile(json.dumps(meta).encode()))


def _save_checked(token: str, preview: ImportPreview, rows: list) -> None:
    # The validated rows (not the raw file) are what step 2 writes: private storage, random name,
    # referenced from the session by the token only.
    default_storage.save(_path(token, "preview.json"), ContentFile(preview.to_json().encode()))
    if preview.error_count == 0:
        default_storage.save(_path(token, "rows.json"), ContentFile(_rows_to_json(rows).encode()))


def candidate_import_preview(*, user, preview_token: str) -> ImportPreview:
    """The stored preview of an upload by this user (PermissionDenied for anyone else's token)."""
    _meta(user, preview_token)
    try:
        with default_storage.open(_path(preview_token, "preview.json"), "rb") as fh:
            return ImportPreview.from_json(fh.read().decode())
    except FileNotFoundError as exc:
        raise CandidateImportError(_("This file is still being checked; its page shows how far it got.")) from exc


# --- step 2 -------------------------------------------------------------------------------------


def candidate_import_commit(*, user, preview_token: str, on_existing: str = "skip") -> ImportResult:
    """Write the rows validated in step 1 in one transaction, or nothing.

    NIKs are matched against the registry again (someone may have registered one meanwhile); the
    per-row field rules do not depend on the registry and were applied in step 1.
    """
    require_perm(user, "candidates.add_candidate")
    if on_existing not in ("skip", "update"):
        raise ValueError("on_existing must be 'skip' or 'update'")
    if on_existing == "update":
        require_perm(user, "candidates.change_candidate")
    _meta(user, preview_token)
    try:
        with default_storage.open(_path(preview_token, "rows.json"), "rb") as fh:
            rows = _rows_from_json(fh.read().decode())
    except FileNotFoundError as exc:
        raise CandidateImportError(_("The file has rows with errors; nothing was imported.")) from exc
    try:
        result = _write(user=user, rows=rows, on_existing=on_existing)
    except IntegrityError as exc:
        # Someone registered one of these NIKs between the check and the write.
        raise CandidateImportError(
            _("The registry changed while importing; nothing was imported. Upload the file again.")
        ) from exc
    except DatabaseError as exc:
        # A lost connection (a restart, a network cut): PostgreSQL rolled the transaction back.
        # Drop the broken connection so the next query of this request opens a fresh one.
        connection.close()
        raise ImportInterrupted(
            _("The connection to the database was lost while importing; nothing was imported. Try again.")
        ) from exc
    candidate_import_discard(user=user, preview_token=preview_token)
    return result


def candidate_import_discard(*, user, preview_token: str) -> None:
    _meta(user, preview_token)
    for suffix in ("upload", "rows.json", "preview.json", "meta.json"):
        default_storage.delete(_path(preview_token, suffix))


@dataclass
class _Row:
    number: int
    data: dict  # cleaned CANDIDATE_DATA_FIELDS
    present: set[str]  # fields whose cell was not blank
    consent_given_on: date | None
    existing_id: int | None = None


_DATE_FIELDS = ("birth_date", "registered_on")


def _rows_to_json(rows: list[_Row]) -> str:
    def encode(r: _Row) -> dict:
        data = {k: (v.isoformat() if k in _DATE_FIELDS else v) for k, v in r.data.items()}
        consent = r.consent_given_on.isoformat() if r.consent_given_on else None
        return {"number": r.number, "data": data, "present": sorted(r.present), "consent_given_on": consent}

    return json.dumps([encode(r) for r in rows])


def _rows_from_json(text: str) -> list[_Row]:
    rows = []
    for item in json.loads(text):
        data = item["data"]
        for k in _DATE_FIELDS:
            data[k] = date.fromisoformat(data[k])
        consent = item["consent_given_on"]
        rows.append(_Row(item["number"], data, set(item["present"]), date.fromisoformat(consent) if consent else None))
    return rows


# Columns an import may change on a registered candidate. Not the NIK (the key) and not the
# registration date (the first registration stands).
_UPDATABLE = [
    ("full_name", "text"),
    ("sex", "text"),
    ("birth_date", "date"),
    ("birth_place", "text"),
    ("address", "text"),
    ("kecamatan_code", "text"),
    ("kelurahan_code", "text"),
    ("phone", "text"),
    ("email", "text"),
    ("education", "text"),
    ("notes", "text"),
]


@transaction.atomic
def _write(*, user, rows: list[_Row], on_existing: str) -> ImportResult:
    municipality_id = user.municipality_id
    problems = _match_registered(rows, municipality_id)
    if problems:
        raise CandidateImportError(
            _("Some NIKs were registered at another office since the check (rows %(rows)s); nothing was imported.")
            % {"rows": ", ".join(str(p.row) for p in problems[:20])}
        )
    new = [r for r in rows if r.existing_id is None]
    existing = [r for r in rows if r.existing_id is not None]
    created = [
        Candidate(
            municipality_id=municipality_id,
            version=1,
            consent_given_on=r.consent_given_on,
            consent_version=CURRENT_CONSENT_VERSION if r.consent_given_on else "",
            consent_taken_by=user if r.consent_given_on else None,
            **r.data,
        )
        for r in new
    ]
    for candidate in created:
        # Field checks only: NIK uniqueness was checked for the whole file in one query, the
        # foreign keys are the user's own, and the database enforces the constraints.
        candidate.full_clean(
            exclude=["municipality", "consent_taken_by"], validate_unique=False, validate_constraints=False
        )
    Candidate.objects.bulk_create(created, batch_size=2000)
    updated = 0
    if on_existing == "update" and existing:
        updated = _update_existing(existing, user=user)
    skipped = len(existing) if on_existing == "skip" else 0
    return ImportResult(
        created=len(created), updated=updated, skipped=skipped, unchanged=len(existing) - updated - skipped
    )


def _update_existing(rows: list[_Row], *, user) -> int:
    """One UPDATE … FROM unnest(…) for all rows (bulk_update's CASE per row grows quadratically).

    A blank cell (NULL here) keeps the registered value; consent is filled in only where none is
    recorded; rows whose values are already the registered ones are left alone, so re-importing a
    file adds nothing to the history. pghistory's row triggers record every changed row.
    """
    ids = [r.existing_id for r in rows]
    locked = Candidate.objects.select_for_update().filter(pk__in=ids, municipality_id=user.municipality_id)
    if locked.count() != len(set(ids)):
        raise IntegrityError("a candidate left the user's municipality during the import")
    columns = [name for name, _type in _UPDATABLE]
    arrays = [ids] + [[r.data[name] if name in r.present else None for r in rows] for name in columns]
    arrays.append([r.consent_given_on for r in rows])
    types = ["bigint"] + [t for _name, t in _UPDATABLE] + ["date"]
    new_values = [f"COALESCE(v.{name}, c.{name})" for name in columns]
    consent_new = "c.consent_given_on IS NULL AND v.consent_given_on IS NOT NULL"
    table = Candidate._meta.db_table
    sql = f"""
        UPDATE {table} AS c SET
            {", ".join(f"{name} = {value}" for name, value in zip(columns, new_values, strict=True))},
            consent_version = CASE WHEN {consent_new} THEN %s ELSE c.consent_version END,
            consent_taken_by_id = CASE WHEN {consent_new} THEN %s ELSE c.consent_taken_by_id END,
            consent_given_on = COALESCE(c.consent_given_on, v.consent_given_on),
            version = c.version + 1,
            updated_at = now()
        FROM unnest({", ".join(f"%s::{t}[]" for t in types)}) AS v(id, {", ".join(columns)}, consent_given_on)
        WHERE c.id = v.id AND c.municipality_id = %s
          AND (({", ".join(f"c.{n}" for n in columns)}) IS DISTINCT FROM ({", ".join(new_values)})
               OR {consent_new})
    """  # noqa: S608 - identifiers are the model's own, every value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [CURRENT_CONSENT_VERSION, user.pk, *arrays, user.municipality_id])
        return cursor.rowcount


def _match_registered(rows: list[_Row], municipality_id: int) -> list[RowIssue]:
    """Set existing_id on rows whose NIK is registered in the municipality (one query); rows whose
    NIK is registered at another office come back as errors naming only that office."""
    registered = {
        nik: (pk, muni_id, office)
        for nik, pk, muni_id, office in Candidate.objects.filter(nik__in=[r.data["nik"] for r in rows]).values_list(
            "nik", "pk", "municipality_id", "municipality__name"
        )
    }
    problems = []
    for r in rows:
        hit = registered.get(r.data["nik"])
        r.existing_id = None
        if hit and hit[1] != municipality_id:
            problems.append(
                RowIssue(r.number, "nik", _("This NIK is already registered at %(office)s.") % {"office": hit[2]})
            )
        elif hit:
            r.existing_id = hit[0]
    return problems


# --- validation ---------------------------------------------------------------------------------


def _validate(*, user, data: bytes, kind: str, original_name: str, progress=None) -> tuple[ImportPreview, list[_Row]]:
    municipality = Municipality.objects.get(pk=user.municipality_id)
    header, raw_rows = _read_table(data, kind)
    columns, ignored = _map_headers(header)
    if not raw_rows:
        raise FileProblem(_("The file has a header row but no candidates."))
    preview = ImportPreview(token=None, original_name=original_name, ignored_headers=ignored)
    known_regencies = regency_codes()
    today = timezone.localdate()
    kecamatans = dict(wilayah_choices(municipality.code))
    kecamatan_by_name = {_name_key(n): c for c, n in kecamatans.items()}
    errors: list[RowIssue] = []
    warnings: list[RowIssue] = []
    valid: list[_Row] = []
    header_of = {c.field: header[i] for i, c in columns.items()}

    # One form validates every row in turn (see CandidateDataForm.rebind).
    form = CandidateDataForm(municipality=municipality, known_regencies=known_regencies, today=today)
    for checked, (number, values) in enumerate(raw_rows):
        if progress is not None:
            progress(checked, len(raw_rows))
        cells = {c.field: values[i] if i < len(values) else None for i, c in columns.items()}
        form_data, present = _form_data(cells, kecamatans, kecamatan_by_name, today)
        form.rebind(form_data)
        row_errors = []
        if not form.is_valid():
            for name, messages in form.errors.items():
                column = header_of.get(name, name)
                hint = _not_allowed(name, _text(cells.get(name)), form_data, kecamatans)
                if hint:
                    row_errors.append(RowIssue(number, column, hint))
                else:
                    row_errors.extend(RowIssue(number, column, str(m)) for m in messages)
        if form_data["nik"] == EXAMPLE_ROW["nik"]:
            row_errors = [
                RowIssue(number, header_of.get("nik", "nik"), _("This is the template's example row: delete it."))
            ]
        consent_on, consent_error = _consent_date(cells.get("consent_given_on"))
        if consent_error:
            row_errors.append(RowIssue(number, header_of.get("consent_given_on", ""), consent_error))
        if row_errors:
            errors.extend(row_errors)
            continue
        warnings.extend(RowIssue(number, header_of.get("nik", "nik"), w) for w in form.warnings)
        valid.append(_Row(number, form.candidate_data(), present, consent_on))

    # The same NIK twice in the file.
    first_row: dict[str, int] = {}
    unique: list[_Row] = []
    for r in valid:
        nik = r.data["nik"]
        if nik in first_row:
            errors.append(
                RowIssue(r.number, header_of["nik"], _("The same NIK is in row %(row)d.") % {"row": first_row[nik]})
            )
        else:
            first_row[nik] = r.number
            unique.append(r)

    # NIKs already registered: one query for the whole file.
    elsewhere = _match_registered(unique, municipality.pk)
    for problem in elsewhere:
        problem.column = header_of["nik"]
    errors.extend(elsewhere)
    taken = {p.row for p in elsewhere}
    rows = [r for r in unique if r.number not in taken]

    duplicates, elsewhere_offices = _possible_duplicates(rows, municipality.pk)
    for row_number, candidate_id, name in duplicates:
        warnings.append(
            RowIssue(
                row_number,
                header_of["full_name"],
                _(
                    "Possibly the same person as %(name)s (record %(id)d): similar name with the same birth date "
                    "or phone."
                )
                % {"name": name, "id": candidate_id},
            )
        )
    # Someone like this registered by another office: that office's name, nothing of the record.
    for row_number, office in elsewhere_offices:
        warnings.append(RowIssue(row_number, header_of["full_name"], similar_elsewhere_warning(office)))

    errors.sort(key=lambda e: (e.row, e.column))
    warnings.sort(key=lambda w: (w.row, w.column))
    preview.total_rows = len(raw_rows)
    preview.error_count = len(errors)
    preview.errors = errors[:STORED_ISSUES]
    preview.warning_count = len(warnings)
    preview.warnings = warnings[:STORED_ISSUES]
    new = [r for r in rows if r.existing_id is None]
    old = [r for r in rows if r.existing_id is not None]
    preview.create_count, preview.existing_count = len(new), len(old)
    preview.create_rows = [_preview_row(r) for r in new[:PREVIEW_SAMPLE]]
    preview.existing_rows = [_preview_row(r) for r in old[:PREVIEW_SAMPLE]]
    return preview, rows


def _preview_row(r: _Row) -> PreviewRow:
    return PreviewRow(r.number, r.data["full_name"], mask_identifier(r.data["nik"]), r.existing_id)


def _possible_duplicates(
    rows: list[_Row], municipality_id: int
) -> tuple[list[tuple[int, int, str]], list[tuple[int, str]]]:
    """Rows resembling a registered person (candidates.selectors._similar_people: a similar name with
    the same birth date or phone), as SQL over the whole file in one query instead of one per row:
    (row, candidate id, name) in the municipality, and (row, office name) for other municipalities,
    which tell nothing but the office."""
    if not rows:
        return [], []
    numbers = [r.number for r in rows]
    names = [r.data["full_name"].upper() for r in rows]
    births = [r.data["birth_date"] for r in rows]
    phones = [r.data["phone"] for r in rows]
    niks = [r.data["nik"] for r in rows]
    table = Candidate._meta.db_table
    municipalities = Municipality._meta.db_table
    sql = f"""
        WITH r AS (
            SELECT * FROM unnest(%s::int[], %s::text[], %s::date[], %s::text[], %s::text[])
                AS r(rownum, name, birth_date, phone, nik)
        ), hit AS (
            SELECT r.rownum, c.id, c.full_name, c.municipality_id FROM r JOIN {table} c ON c.birth_date = r.birth_date
             WHERE c.nik <> r.nik AND similarity(upper(c.full_name), r.name) >= %s
            UNION
            SELECT r.rownum, c.id, c.full_name, c.municipality_id FROM r JOIN {table} c ON c.phone = r.phone
             WHERE r.phone <> '' AND c.nik <> r.nik AND similarity(upper(c.full_name), r.name) >= %s
        )
        SELECT hit.rownum, hit.id, hit.full_name, hit.municipality_id, m.name
          FROM hit JOIN {municipalities} m ON m.id = hit.municipality_id
         ORDER BY 1, 2
    """  # noqa: S608 - the table names are the models', every value is a parameter
    params = [numbers, names, births, phones, niks, DUPLICATE_NAME_SIMILARITY, DUPLICATE_NAME_SIMILARITY]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    here = [(row, pk, name) for row, pk, name, muni, _office in found if muni == municipality_id]
    elsewhere = sorted({(row, office) for row, _pk, _name, muni, office in found if muni != municipality_id})
    return here, elsewhere


def _form_data(cells: dict, kecamatans: dict, kecamatan_by_name: dict, today: date) -> tuple[dict, set]:
    """Turn spreadsheet cells into the strings the entry form takes; unknown values pass through so
    that the form reports them."""
    data: dict[str, str] = {}
    present: set[str] = set()
    for name in CANDIDATE_DATA_FIELDS:
        value = _text(cells.get(name))
        if value:
            present.add(name)
        data[name] = value
    data["nik"] = re.sub(r"[\s.\-']", "", data["nik"])
    data["sex"] = _SEX.get(data["sex"].lower(), data["sex"])
    data["education"] = _EDUCATION.get(data["education"].lower().replace(" ", ""), data["education"])
    # Dates go to the form as date objects (the form takes them as they are: no second parse).
    for name in ("birth_date", "registered_on"):
        data[name] = _date_value(cells.get(name))
    if data["registered_on"] == "":
        data["registered_on"] = today
    kec = data["kecamatan_code"]
    if kec not in kecamatans:
        kec = kecamatan_by_name.get(_name_key(kec), kec)
    data["kecamatan_code"] = kec
    kel = data["kelurahan_code"]
    if kec in kecamatans:
        kelurahans = dict(wilayah_choices(kec))
        if kel not in kelurahans:
            by_name = {_name_key(n): c for c, n in kelurahans.items()}
            kel = by_name.get(_name_key(kel), kel)
    data["kelurahan_code"] = kel
    return data, present


def allowed_values(field: str, data: dict, kecamatans: dict) -> list[str] | None:
    """The values an enumerated column takes, as a clerk writes them (None: not enumerated, or it
    depends on another column that is itself wrong)."""
    if field == "sex":
        return ["L", "P"]
    if field == "education":
        return [v.upper() for v in Education.values]
    if field == "kecamatan_code":
        return list(kecamatans.values())
    if field == "kelurahan_code" and data.get("kecamatan_code") in kecamatans:
        return [name for _code, name in wilayah_choices(data["kecamatan_code"])]
    return None


def closest_value(value: str, allowed: list[str]) -> str | None:
    """The allowed value nearest to a mistyped one ("Sepangg" → "Sepang"), or None if none is close."""
    keys = {_name_key(a): a for a in allowed}
    match = difflib.get_close_matches(_name_key(value), list(keys), n=1, cutoff=0.6)
    return keys[match[0]] if match else None


def _not_allowed(field: str, value: str, data: dict, kecamatans: dict) -> str | None:
    """For an enumerated column: the bad value repeated, with the closest valid one when there is one."""
    allowed = allowed_values(field, data, kecamatans) if value else None
    if not allowed:
        return None
    suggestion = closest_value(value, allowed)
    if suggestion:
        return _("“%(value)s” is not an allowed value. Did you mean “%(suggestion)s”?") % {
            "value": value[:60],
            "suggestion": suggestion,
        }
    return _("“%(value)s” is not an allowed value (see the list of allowed values).") % {"value": value[:60]}


def _consent_date(value) -> tuple[date | None, str | None]:
    parsed = _date_value(value)
    if parsed == "":
        return None, None
    if not isinstance(parsed, date):
        return None, _("Enter a valid date.")
    if parsed > timezone.localdate():
        return None, _("The date cannot be in the future.")
    return parsed, None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _date_value(value) -> date | str:
    """A date from a date cell or from text written YYYY-MM-DD or DD-MM-YYYY (also with / or .);
    anything else comes back as text for the form to reject, "" for a blank cell."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    match = _YMD.match(text)
    parts = (match.group(1), match.group(2), match.group(3)) if match else None
    if parts is None and (match := _DMY.match(text)):
        parts = (match.group(3), match.group(2), match.group(1))
    if parts is None:
        return text
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return text


def _name_key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").lower()
    text = re.sub(r"^(kecamatan|kec\.?|kelurahan|kel\.?|desa)\s+", "", text.strip())
    return re.sub(r"[^a-z0-9]+", "", text)


# --- reading files ------------------------------------------------------------------------------


def _detect_kind(data: bytes) -> str:
    if not data.strip():
        raise FileProblem(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(_("This is an old Excel file (.xls). Save it as .xlsx or CSV and upload it again."))
    if b"\x00" in data[:8192]:
        raise FileProblem(_("This is not a spreadsheet. Upload an XLSX or CSV file."))
    return "csv"


def _read_table(data: bytes, kind: str) -> tuple[list[str], list[tuple[int, list]]]:
    """(header cells, [(row number, cells)]) without blank rows; at most MAX_ROWS data rows."""
    rows = _xlsx_rows(data) if kind == "xlsx" else _csv_rows(data)
    header: list[str] | None = None
    out: list[tuple[int, list]] = []
    for number, values in rows:
        if not any(v not in (None, "") and str(v).strip() for v in values):
            continue
        if header is None:
            header = [_text(v) for v in values]
            continue
        out.append((number, list(values)))
        if len(out) > MAX_ROWS:
            raise FileProblem(
                _("The file has more than %(max)s rows. Split it into smaller files.") % {"max": f"{MAX_ROWS:,}"}
            )
    if header is None:
        raise FileProblem(_("The file is empty."))
    return header, out


def _csv_rows(data: bytes):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise FileProblem(_("This is not a spreadsheet. Upload an XLSX or CSV file."))
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise FileProblem(_("The CSV file could not be read: %(error)s") % {"error": exc}) from exc


def _xlsx_rows(data: bytes):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise FileProblem(_("This is not a valid XLSX file.")) from exc
    _check_members(members)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        raise FileProblem(_("This is not a valid XLSX file.")) from exc
    try:
        sheet = workbook.worksheets[0]
        # Read to the end whatever <dimension> the file claims: some writers leave it out (openpyxl
        # would first scan the whole sheet) or get it wrong (rows past it would be dropped silently).
        sheet.reset_dimensions()
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, list(values)
        except Exception as exc:  # noqa: BLE001 - read-only mode parses the sheet only now: broken XML, bad CRC…
            raise FileProblem(_("This is not a valid XLSX file.")) from exc
    finally:
        workbook.close()


def _check_members(members: list[zipfile.ZipInfo]) -> None:
    """An XLSX's parts as its zip directory declares them: a workbook, and a plausible unpacked size."""
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise FileProblem(_("This is not a valid XLSX file."))
    unpacked = sum(m.file_size for m in members)
    if (
        len(members) > 500
        or unpacked > MAX_UNPACKED_BYTES
        or any(
            m.file_size > 1024 * 1024 and m.file_size > MAX_COMPRESSION_RATIO * max(m.compress_size, 1) for m in members
        )
    ):
        raise FileProblem(_("The XLSX file unpacks to an implausible size; it was not opened."))


def _map_headers(header: list[str]) -> tuple[dict[int, Column], list[str]]:
    columns: dict[int, Column] = {}
    ignored: list[str] = []
    for i, text in enumerate(header):
        key = re.sub(r"[^a-z0-9]+", "_", text.lower().replace("*", "")).strip("_")
        column = _BY_HEADER.get(key)
        if column is None or column in columns.values():
            if text:
                ignored.append(text)
            continue
        columns[i] = column
    missing = [c for c in COLUMNS if c.required and c not in columns.values()]
    if missing:
        raise FileProblem(
            _("Wrong headers: the columns %(missing)s are missing. Download the template to see the expected headers.")
            % {"missing": ", ".join(c.header_id for c in missing)}
        )
    return columns, ignored


# --- storage ------------------------------------------------------------------------------------


def _path(token: str, suffix: str) -> str:
    return f"{STORAGE_DIR}/{token}.{suffix}"


def _meta(user, token: str) -> dict:
    if not token or not _TOKEN.match(token):
        raise PermissionDenied
    try:
        with default_storage.open(_path(token, "meta.json"), "rb") as fh:
            meta = json.loads(fh.read())
    except FileNotFoundError as exc:
        raise CandidateImportError(
            _("This upload has expired or was already imported. Upload the file again.")
        ) from exc
    if meta.get("user_id") != user.pk or meta.get("municipality_id") != user.municipality_id:
        raise PermissionDenied
    return meta


def _display_name(name: str) -> str:
    base = re.split(r"[/\\]", name)[-1]
    return re.sub(r"[\x00-\x1f\x7f]", "", base)[:100]


# --- the template -------------------------------------------------------------------------------


def import_template_xlsx(municipality: Municipality | None) -> bytes:
    """An empty import sheet with Indonesian headers, text-formatted NIK and phone columns, and a
    second sheet with the allowed values (kecamatan and kelurahan of the user's municipality)."""
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = "Kandidat"
    xlsx_append(sheet, [column.header_id for column in COLUMNS], font=BOLD)
    for i, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = max(14, len(column.header_id) + 4)
        if column.field in ("nik", "phone"):
            # Excel keeps only 15 digits of a number: a NIK typed into a number cell loses its last
            # digit, and a phone its leading 0. Text columns keep both.
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("Petunjuk")
    xlsx_append(guide, [_("Column"), _("Required"), _("English header"), _("Notes")], font=BOLD)
    for column in COLUMNS:
        xlsx_append(guide, [column.header_id, _("yes") if column.required else "", column.header_en, column.label])
    xlsx_append(guide, [])
    xlsx_append(guide, [_("Education values"), ", ".join(v.upper() for v in Education.values)])
    if municipality is not None:
        xlsx_append(guide, [])
        xlsx_append(guide, [_("Kecamatan code"), _("Kecamatan"), _("Kelurahan / desa code"), _("Kelurahan / desa")])
        for kec_code, kec_name in wilayah_choices(municipality.code):
            for kel_code, kel_name in wilayah_choices(kec_code):
                xlsx_append(guide, [kec_code, kec_name, kel_code, kel_name])
    for letter, width in zip("ABCD", (22, 28, 22, 40), strict=True):
        guide.column_dimensions[letter].width = width
    return xlsx_bytes(workbook)


# The templates' example row: recognised on import (by its NIK) and refused, so it is never saved.
EXAMPLE_ROW = {
    "nik": "3673015405990001",
    "full_name": "Contoh Siti Aminah",
    "sex": "P",
    "birth_date": "14-05-1999",
    "birth_place": "Serang",
    "address": "Jl. Contoh No. 1",
    "kecamatan_code": "Serang",
    "kelurahan_code": "Cipare",
    "phone": "0812-3456-7890",
    "email": "",
    "education": "SMA",
    "registered_on": "",
    "consent_given_on": "",
    "notes": "Baris contoh: hapus sebelum mengimpor",
}


def import_template_csv() -> str:
    """The headers and one example row (refused on import: delete it), with a BOM for Excel; the
    allowed values are in import_allowed_values_csv, the XLSX template's guide sheet as a second file."""
    return csv_text([c.header_id for c in COLUMNS], [[EXAMPLE_ROW.get(c.field, "") for c in COLUMNS]])


def import_allowed_values_csv(municipality: Municipality | None) -> str:
    """The allowed values of every enumerated column, one per row: column, value, meaning."""
    rows = [["jenis_kelamin", code, label] for code, label in (("L", _("Male")), ("P", _("Female")))]
    rows += [["pendidikan", value.upper(), label] for value, label in Education.choices]
    if municipality is not None:
        for kec_code, kec_name in wilayah_choices(municipality.code):
            rows.append(["kecamatan", kec_name, kec_code])
            kelurahan = wilayah_choices(kec_code)
            rows += [["kelurahan", kel_name, f"{kel_code} ({kec_name})"] for kel_code, kel_name in kelurahan]
    return csv_text([_("Column"), _("Value"), _("Meaning")], rows)


# --- for the other imports (placements' partner confirmations) ------------------------------------
# The same file checks (size, old Excel, zip bombs, encodings, blank rows) and cell reading.
read_table = _read_table
detect_kind = _detect_kind
cell_text = _text
cell_date = _date_value
display_name = _display_name
