"""Files exchanged with the national system and the partner, per cohort.

- The national export: the cohort's travellers with the field set of a SISKOP2MI registration
  (identity, address codes, education, passport, destination, occupation codes, employer, contract,
  departure, and the ids the national system gave), XLSX or CSV, formula-safe like every export.
  The headers are fixed machine names (not translated); NATIONAL_COLUMNS is the one list to change
  when the ministry publishes its import format.
- The partner's confirmations: a file (XLSX or CSV) of arrivals and returns, one row per traveller
  and event, matched by passport number. Step 1 stores the upload privately under a random token and
  previews it; step 2 reads the stored file again, checks it again and writes everything through
  placements.services in one transaction, or nothing: an arrival confirms the cohort's arrival (or
  moves a traveller still "departed" abroad once it is confirmed), a return records the return.
"""

import json
import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import require_write
from candidates.imports import MAX_FILE_BYTES, FileProblem, cell_date, cell_text, detect_kind, display_name, read_table
from candidates.models import Document
from core.choices import DocumentType
from core.locking import StaleRecordError

from . import selectors, services
from .gates import GateRefused
from .models import Cohort, ExternalId, Placement, PlacementStage

# --- the national export --------------------------------------------------------------------------

SEX = {"M": "L", "F": "P"}


def _external(record, system: str) -> str:
    return next((e.value for e in record.external_ids.all() if e.system == system), "")


NATIONAL_COLUMNS: list[tuple[str, Callable[[Placement], object]]] = [
    ("nik", lambda p: p.candidate.nik),
    ("nama_lengkap", lambda p: p.candidate.full_name),
    ("jenis_kelamin", lambda p: SEX.get(p.candidate.sex, "")),
    ("tempat_lahir", lambda p: p.candidate.birth_place),
    ("tanggal_lahir", lambda p: p.candidate.birth_date),
    ("alamat", lambda p: p.candidate.address),
    ("kode_kecamatan", lambda p: p.candidate.kecamatan_code),
    ("kode_kelurahan", lambda p: p.candidate.kelurahan_code),
    ("pendidikan", lambda p: p.candidate.education),
    ("telepon", lambda p: p.candidate.phone),
    ("email", lambda p: p.candidate.email),
    ("nomor_paspor", lambda p: p.passport.number if p.passport else ""),
    ("paspor_berlaku_sampai", lambda p: p.passport.expires_on if p.passport else None),
    ("negara_tujuan", lambda p: p.programme.destination_country),
    ("skema", lambda p: p.programme.scheme),
    ("jabatan", lambda p: p.occupation.name if p.occupation else ""),
    ("kode_isco", lambda p: p.occupation.isco_code if p.occupation else ""),
    ("kode_kbji", lambda p: p.occupation.kbji_code if p.occupation else ""),
    ("pemberi_kerja", lambda p: p.employer),
    ("mulai_kontrak", lambda p: p.contract_start),
    ("akhir_kontrak", lambda p: p.contract_end),
    ("tanggal_berangkat", lambda p: p.departed_on or p.cohort.actual_departure or p.cohort.planned_departure),
    ("kloter", lambda p: p.cohort.name),
    ("id_pekerja_nasional", lambda p: _external(p.candidate, ExternalId.System.NATIONAL_WORKER_ID)),
    ("nomor_registrasi_siskop2mi", lambda p: _external(p, ExternalId.System.SISKOP2MI_REGISTRATION)),
    ("id_penempatan_rantau", lambda p: p.pk),
]


def national_placements(*, cohort: Cohort, user) -> list[Placement]:
    """The cohort's travellers (as on the manifest) with everything the national columns read."""
    rows = selectors.manifest_placements(cohort=cohort, user=user)
    prefetch_related_objects(rows, "external_ids", "candidate__external_ids", "occupation", "programme")
    return rows


def national_header() -> list[str]:
    return [name for name, _read in NATIONAL_COLUMNS]


def national_rows(placements: list[Placement]) -> Iterator[list]:
    for placement in placements:
        yield [read(placement) for _name, read in NATIONAL_COLUMNS]


# --- the partner's confirmations ------------------------------------------------------------------

ARRIVAL, RETURN = "arrival", "return"
_EVENTS = {
    "arrival": ARRIVAL,
    "arrived": ARRIVAL,
    "kedatangan": ARRIVAL,
    "tiba": ARRIVAL,
    "return": RETURN,
    "returned": RETURN,
    "kepulangan": RETURN,
    "pulang": RETURN,
}
_OUTCOMES = {
    **{value: value for value in Placement.ReturnOutcome.values},
    "completed": "completed",
    "ended early": "ended_early",
    "early return": "ended_early",
    "selesai": "completed",
}
_HEADERS = {
    "passport": "passport",
    "passport_number": "passport",
    "passport_no": "passport",
    "nomor_paspor": "passport",
    "event": "event",
    "peristiwa": "event",
    "date": "date",
    "tanggal": "date",
    "outcome": "outcome",
    "hasil": "outcome",
    "reason": "reason",
    "alasan": "reason",
}
REQUIRED_HEADERS = ("passport", "event", "date")
STORAGE_DIR = "imports"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


@dataclass
class ConfirmationIssue:
    row: int
    message: str


@dataclass
class ConfirmationRow:
    row: int
    placement_id: int
    name: str
    passport: str
    event: str
    on_date: str  # ISO
    outcome: str = ""
    reason: str = ""


@dataclass
class ConfirmationPreview:
    token: str | None
    cohort_id: int
    original_name: str
    arrivals: list[ConfirmationRow] = field(default_factory=list)
    returns: list[ConfirmationRow] = field(default_factory=list)
    unchanged: list[ConfirmationRow] = field(default_factory=list)
    errors: list[ConfirmationIssue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    file_error: str | None = None

    @property
    def can_commit(self) -> bool:
        return self.file_error is None and not self.errors and bool(self.arrivals or self.returns)


@dataclass
class ConfirmationResult:
    arrived: int
    returned: int
    unchanged: int


class ConfirmationImportError(ValidationError):
    """Nothing was written; the message (or the preview's row errors) says why."""


def confirmations_validate(*, user, cohort: Cohort, uploaded_file) -> ConfirmationPreview:
    """Check an upload against the cohort and keep it privately for step 2; nothing is written."""
    require_write(user, "placements.change_cohort", cohort.municipality_id)
    name = display_name(getattr(uploaded_file, "name", "") or "")
    uploaded_file.seek(0)
    data = uploaded_file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        return ConfirmationPreview(
            None, cohort.pk, name, file_error=_("The file is larger than 10 MB. Split it into smaller files.")
        )
    try:
        preview = _check(data, cohort=cohort, user=user, original_name=name)
    except FileProblem as problem:
        return ConfirmationPreview(None, cohort.pk, name, file_error=str(problem))
    if preview.can_commit:
        token = secrets.token_hex(16)
        preview.token = token
        meta = {"user_id": user.pk, "cohort_id": cohort.pk, "original_name": name}
        default_storage.save(_path(token, "meta.json"), ContentFile(json.dumps(meta).encode()))
        default_storage.save(_path(token, "data"), ContentFile(data))
    return preview


def confirmations_commit(*, user, cohort: Cohort, token: str) -> ConfirmationResult:
    """Check the stored file again (the cohort may have changed) and write it all, or nothing."""
    require_write(user, "placements.change_cohort", cohort.municipality_id)
    meta = _meta(user, cohort, token)
    with default_storage.open(_path(token, "data"), "rb") as fh:
        data = fh.read()
    try:
        with transaction.atomic():
            cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
            preview = _check(data, cohort=cohort, user=user, original_name=meta["original_name"])
            if not preview.can_commit:
                raise ConfirmationImportError(
                    _("The cohort changed since the preview; nothing was imported. Upload the file again.")
                )
            _write(preview, cohort=cohort, user=user)
    except FileProblem as problem:
        raise ConfirmationImportError(str(problem)) from problem
    except (GateRefused, StaleRecordError) as refused:
        raise ConfirmationImportError([_("Nothing was imported:")] + [str(m) for m in refused.messages]) from refused
    confirmations_discard(user=user, cohort=cohort, token=token)
    return ConfirmationResult(len(preview.arrivals), len(preview.returns), len(preview.unchanged))


def confirmations_discard(*, user, cohort: Cohort, token: str) -> None:
    _meta(user, cohort, token)
    for suffix in ("data", "meta.json"):
        default_storage.delete(_path(token, suffix))


def _write(preview: ConfirmationPreview, *, cohort: Cohort, user) -> None:
    if preview.arrivals:
        if cohort.arrival_confirmed_on is None:
            first = min(date.fromisoformat(r.on_date) for r in preview.arrivals)
            result = services.cohort_confirm_arrival(cohort=cohort, user=user, on_date=first)
            if result.refused:
                raise ConfirmationImportError(
                    [_("Nothing was imported:")] + [m for _p, reasons in result.refused for m in reasons]
                )
        else:
            for row in preview.arrivals:
                placement = _fresh(row.placement_id)
                if placement.stage == PlacementStage.DEPARTED:
                    services.placement_move(placement=placement, to_stage=PlacementStage.ABROAD, user=user)
    for row in preview.returns:
        services.placement_record_return(
            placement=_fresh(row.placement_id),
            user=user,
            on_date=date.fromisoformat(row.on_date),
            outcome=row.outcome,
            reason=row.reason,
            note=_("Confirmed by the partner"),
        )


def _fresh(placement_id: int) -> Placement:
    return selectors.with_gate_data(Placement.objects.filter(pk=placement_id)).get()


def _check(data: bytes, *, cohort: Cohort, user, original_name: str) -> ConfirmationPreview:
    header, raw_rows = read_table(data, detect_kind(data))
    columns = {}
    for i, text in enumerate(header):
        key = _HEADERS.get(re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_"))
        if key and key not in columns.values():
            columns[i] = key
    missing = [h for h in REQUIRED_HEADERS if h not in columns.values()]
    if missing:
        raise FileProblem(_("Wrong headers: the columns %(missing)s are missing.") % {"missing": ", ".join(missing)})
    if not raw_rows:
        raise FileProblem(_("The file has a header row but no confirmations."))
    preview = ConfirmationPreview(None, cohort.pk, original_name)
    travellers = {_passport_key(p.passport.number): p for p in _travellers(cohort, user) if p.passport}
    today = timezone.localdate()
    seen: dict[tuple[int, str], int] = {}
    for number, values in raw_rows:
        cells = {key: values[i] if i < len(values) else None for i, key in columns.items()}
        issue = _row(number, cells, travellers, cohort, today, seen, preview)
        if issue:
            preview.errors.append(ConfirmationIssue(number, issue))
    if preview.arrivals and cohort.arrival_confirmed_on is None:
        listed = {r.placement_id for r in preview.arrivals}
        away = [p for p in travellers.values() if p.stage == PlacementStage.DEPARTED and p.pk not in listed]
        if away:
            preview.warnings.append(
                _(
                    "%(n)s departed travellers of the cohort are not in the file: confirming the cohort's arrival "
                    "moves them abroad too."
                )
                % {"n": len(away)}
            )
    return preview


def _row(number, cells, travellers, cohort, today, seen, preview) -> str | None:
    """Sort one row into the preview; returns its error, if any."""
    passport = cell_text(cells.get("passport"))
    placement = travellers.get(_passport_key(passport))
    if placement is None:
        return _("No traveller of this cohort has the passport number %(number)s.") % {"number": passport or "–"}
    event = _EVENTS.get(cell_text(cells.get("event")).lower())
    if event is None:
        return _("Event: write arrival or return.")
    on_date = cell_date(cells.get("date"))
    if not isinstance(on_date, date):
        return _("Date: write it as YYYY-MM-DD or DD-MM-YYYY.")
    if on_date > today:
        return _("Date: it cannot be in the future.")
    departed = placement.departed_on or cohort.actual_departure
    if departed is None or placement.stage not in DEPARTED_OR_LATER:
        return _("%(name)s has not departed.") % {"name": placement.candidate.full_name}
    if on_date < departed:
        return _("Date: it cannot be before the departure.")
    if (placement.pk, event) in seen:
        return _("The same traveller and event are on row %(row)s too.") % {"row": seen[(placement.pk, event)]}
    seen[(placement.pk, event)] = number
    row = ConfirmationRow(number, placement.pk, placement.candidate.full_name, passport, event, on_date.isoformat())
    if event == ARRIVAL:
        (preview.arrivals if placement.stage == PlacementStage.DEPARTED else preview.unchanged).append(row)
        return None
    outcome = _OUTCOMES.get(cell_text(cells.get("outcome")).lower().replace("-", " ").strip() or "completed")
    if outcome is None:
        return _("Outcome: write completed, ended_early, absconded or repatriated.")
    reason = cell_text(cells.get("reason"))
    if outcome != Placement.ReturnOutcome.COMPLETED and not reason:
        return _("Reason: give a reason for this outcome.")
    row.outcome, row.reason = outcome, reason
    if placement.stage in (PlacementStage.DEPARTED, PlacementStage.ABROAD):
        preview.returns.append(row)
    else:
        preview.unchanged.append(row)
    return None


DEPARTED_OR_LATER = {
    PlacementStage.DEPARTED,
    PlacementStage.ABROAD,
    PlacementStage.RETURNED,
    PlacementStage.ABSCONDED,
    PlacementStage.REPATRIATED,
}


def _travellers(cohort: Cohort, user) -> list[Placement]:
    """Every placement of the cohort (those that ended abroad too), with its newest passport."""
    passports = Prefetch(
        "candidate__documents",
        queryset=Document.objects.filter(doc_type=DocumentType.PASSPORT).exclude(number="").order_by("-expires_on"),
        to_attr="passports",
    )
    rows = list(selectors.cohort_members(cohort=cohort, user=user).prefetch_related(passports))
    for placement in rows:
        placement.passport = placement.candidate.passports[0] if placement.candidate.passports else None
    return rows


def _passport_key(number: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", (number or "").upper())


def _path(token: str, suffix: str) -> str:
    return f"{STORAGE_DIR}/partner-{token}.{suffix}"


def _meta(user, cohort: Cohort, token: str) -> dict:
    expired = _("This upload has expired or was already imported. Upload the file again.")
    if not token or not _TOKEN.match(token):
        raise ConfirmationImportError(expired)
    try:
        with default_storage.open(_path(token, "meta.json"), "rb") as fh:
            meta = json.loads(fh.read())
    except FileNotFoundError as exc:
        raise ConfirmationImportError(expired) from exc
    if meta.get("user_id") != user.pk or meta.get("cohort_id") != cohort.pk:
        raise PermissionDenied
    return meta
