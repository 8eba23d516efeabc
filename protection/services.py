"""Writes with rules: cases and their action log, contacts, holds, debriefs and follow-ups.

An outcome that ends the placement moves it through placements.services (gates, stage event,
version) inside the same transaction as the case, so a refusal leaves nothing half-saved.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import require_scope
from candidates.files import CheckedFile, random_storage_name, safe_original_name
from candidates.readlog import Kind, record_read
from core.locking import bump_version, lock_version
from placements.gates import GateRefused
from placements.models import Cohort, Placement
from placements.selectors import with_gate_data
from placements.services import placement_record_return

from . import extensions
from .models import (
    Case,
    CaseAction,
    CaseDocument,
    Contact,
    ContactRecord,
    FollowUp,
    ProgrammeHold,
    ReinviteOverride,
    ReturnDebrief,
)
from .selectors import ABROAD, DEPARTED_EVER, settings_for

Outcome = Case.Outcome
Status = Case.Status
# Case outcomes that end the placement, and the return outcome each records (placements'
# ReturnOutcome). A death abroad has no stage of its own in placements: the placement ends as
# "repatriated" (the body is brought home) with the reason saying the worker died.
PLACEMENT_ENDS = {
    Outcome.ABSCONDED: Placement.ReturnOutcome.ABSCONDED,
    Outcome.REPATRIATED: Placement.ReturnOutcome.REPATRIATED,
    Outcome.DIED: Placement.ReturnOutcome.REPATRIATED,
    Outcome.EARLY_RETURN: Placement.ReturnOutcome.ENDED_EARLY,
}


def _not_future(value: date, name: str) -> None:
    if value > timezone.localdate():
        raise ValidationError({name: _("The date cannot be in the future.")})


# --- cases ---------------------------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    user,
    placement: Placement,
    case_type: str,
    severity: str,
    reported_by: str,
    reported_at: datetime,
    summary: str,
    description: str = "",
    first_action_due: datetime | None = None,
) -> Case:
    """Open a case on a placement that left the country; its first-action deadline follows the
    severity (the programme's settings) unless a sooner one is given."""
    require_scope(user, placement.municipality_id)
    if placement.stage not in DEPARTED_EVER:
        raise ValidationError(
            {"placement": _("A protection case is opened on a placement abroad or after its return.")}
        )
    now = timezone.now()
    if reported_at > now:
        raise ValidationError({"reported_at": _("The report cannot be in the future.")})
    if placement.departed_on and timezone.localdate(reported_at) < placement.departed_on:
        raise ValidationError({"reported_at": _("The report cannot be before the departure.")})
    default_due = reported_at + settings_for(placement.programme).deadline(severity) if severity else None
    if first_action_due is not None:
        if first_action_due < now:
            raise ValidationError({"first_action_due": _("The first-action deadline cannot be in the past.")})
        if default_due and first_action_due > default_due:
            raise ValidationError(
                {
                    "first_action_due": _(
                        "The programme's deadline for this severity is sooner; keep it or choose sooner."
                    )
                }
            )
    case = Case(
        placement=placement,
        municipality_id=placement.municipality_id,
        case_type=case_type,
        severity=severity,
        reported_by=reported_by,
        reported_at=reported_at,
        summary=summary.strip(),
        description=description.strip(),
        first_action_due=first_action_due or default_due or now,
        opened_by=user,
    )
    case.full_clean(exclude=["placement", "municipality", "opened_by"])
    case.save()
    CaseAction.objects.create(
        case=case,
        kind=CaseAction.Kind.OPENED,
        acted_on=timezone.localdate(),
        acted_at=now,
        acted_by=user,
        what=case.summary,
        status_after=case.status,
    )
    extensions.case_changed(case=case, event=extensions.CASE_OPENED)
    return case


def _locked(case: Case, user, version: int | None) -> Case:
    require_scope(user, case.municipality_id)
    locked = lock_version(Case.objects.select_related("placement"), case.pk, version)
    if locked.status == Status.CLOSED:
        raise ValidationError(_("The case is closed."))
    return locked


def _log(case: Case, *, user, kind: str, acted_on: date, what: str, next_step: str = "") -> CaseAction:
    _not_future(acted_on, "acted_on")
    if not what.strip():
        raise ValidationError({"what": _("Say what was done.")})
    now = timezone.now()
    if case.first_action_at is None and kind != CaseAction.Kind.OPENED:
        case.first_action_at = now
    bump_version(case)
    case.full_clean(exclude=["placement", "municipality", "opened_by"])
    case.save()
    return CaseAction.objects.create(
        case=case,
        kind=kind,
        acted_on=acted_on,
        acted_at=now,
        acted_by=user,
        what=what.strip(),
        next_step=next_step.strip(),
        status_after=case.status,
    )


@transaction.atomic
def case_add_action(
    *, case: Case, user, acted_on: date, what: str, next_step: str = "", version: int | None = None
) -> Case:
    """An action on the case; the first one takes an open case "in progress"."""
    case = _locked(case, user, version)
    if case.status == Status.OPEN:
        case.status = Status.IN_PROGRESS
    _log(case, user=user, kind=CaseAction.Kind.ACTION, acted_on=acted_on, what=what, next_step=next_step)
    return case


@transaction.atomic
def case_escalate(
    *, case: Case, user, to: str, acted_on: date, what: str, next_step: str = "", version: int | None = None
) -> Case:
    case = _locked(case, user, version)
    if case.status == Status.RESOLVED:
        raise ValidationError(_("A resolved case is not escalated; close it or record an action."))
    if to not in Case.EscalatedTo.values:
        raise ValidationError({"to": _("Choose to whom the case is escalated.")})
    case.status, case.escalated_to = Status.ESCALATED, to
    _log(case, user=user, kind=CaseAction.Kind.ESCALATED, acted_on=acted_on, what=what, next_step=next_step)
    extensions.case_changed(case=case, event=extensions.CASE_ESCALATED)
    return case


def _apply_outcome(case: Case, *, user, outcome: str, on_date: date) -> None:
    """Set the outcome; one that ends the placement moves it (its gates may refuse: nothing saved)."""
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    case.outcome = outcome
    if outcome not in PLACEMENT_ENDS:
        return
    placement = with_gate_data(Placement.objects.filter(pk=case.placement_id)).get()
    label = Outcome(outcome).label
    reason = _("Protection case #%(number)s: %(outcome)s.") % {"number": case.pk, "outcome": label}
    try:
        placement_record_return(
            placement=placement, user=user, on_date=on_date, outcome=PLACEMENT_ENDS[outcome], reason=reason
        )
    except GateRefused as refused:
        raise ValidationError(
            {"outcome": [_("The placement cannot end this way: %(why)s") % {"why": " ".join(refused.messages)}]}
        ) from refused
    except ValidationError as exc:
        messages = exc.messages
        raise ValidationError(
            {"outcome": [_("The placement cannot end this way: %(why)s") % {"why": " ".join(messages)}]}
        ) from exc


@transaction.atomic
def case_resolve(*, case: Case, user, outcome: str, acted_on: date, what: str, version: int | None = None) -> Case:
    """Resolve with an outcome; absconded, repatriated, died and early return end the placement."""
    case = _locked(case, user, version)
    if case.status == Status.RESOLVED:
        raise ValidationError(_("The case is already resolved."))
    _not_future(acted_on, "acted_on")
    _apply_outcome(case, user=user, outcome=outcome, on_date=acted_on)
    case.status = Status.RESOLVED
    case.resolved_at = timezone.now()
    _log(case, user=user, kind=CaseAction.Kind.RESOLVED, acted_on=acted_on, what=what)
    return case


@transaction.atomic
def case_close(*, case: Case, user, acted_on: date, what: str, outcome: str = "", version: int | None = None) -> Case:
    """Close the case; it needs an outcome (the resolution's, or one given now)."""
    case = _locked(case, user, version)
    if case.outcome and outcome and outcome != case.outcome:
        raise ValidationError({"outcome": _("The case was resolved with another outcome.")})
    if not case.outcome:
        if not outcome:
            raise ValidationError({"outcome": _("A case cannot be closed without an outcome.")})
        _not_future(acted_on, "acted_on")
        _apply_outcome(case, user=user, outcome=outcome, on_date=acted_on)
    now = timezone.now()
    case.resolved_at = case.resolved_at or now
    case.status, case.closed_at = Status.CLOSED, now
    _log(case, user=user, kind=CaseAction.Kind.CLOSED, acted_on=acted_on, what=what)
    return case


def case_read_log(*, user, case: Case, request) -> None:
    """Who opened the case (its page or its printed report), in the read log; never what it says."""
    record_read(
        user,
        Kind.CASE_PAGE,
        candidate=case.placement.candidate,
        municipality=case.municipality_id,
        request=request,
        object_id=case.pk,
        detail=f"#{case.pk} {case.get_case_type_display()}",
    )


@transaction.atomic
def case_document_add(*, user, case: Case, title: str, upload: UploadedFile, checked: CheckedFile) -> CaseDocument:
    """Attach a file to a case. It must have been checked by content (candidates.files.
    check_document_file); it is stored privately under a random name. A closed case takes none."""
    require_scope(user, case.municipality_id)
    if case.status == Status.CLOSED:
        raise ValidationError(_("The case is closed."))
    if not title.strip():
        raise ValidationError({"title": _("Say what the document is.")})
    document = CaseDocument(
        case=case,
        title=title.strip(),
        original_filename=safe_original_name(upload.name, checked.extension),
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=user,
    )
    upload.seek(0)
    document.file.save(random_storage_name(checked.extension), upload, save=False)
    try:
        document.full_clean(exclude=["case", "uploaded_by"])
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document


def case_document_read_log(*, user, document: CaseDocument, request) -> None:
    """Who downloaded a case document, in the read log (a file may show any identifier)."""
    record_read(
        user,
        Kind.CASE_DOCUMENT_DOWNLOAD,
        candidate=document.case.placement.candidate,
        municipality=document.case.municipality_id,
        full_identifiers=True,
        request=request,
        object_id=document.pk,
        detail=f"#{document.case_id}",
    )


# --- contact -------------------------------------------------------------------------------------

CONTACT_RECORD_FIELDS = [
    "phone_abroad",
    "messaging_abroad",
    "employer_address",
    "accommodation_address",
    "emergency_contact_name",
    "emergency_contact_phone",
    "emergency_contact_relation",
]


@transaction.atomic
def contact_record_save(*, user, placement: Placement, **fields) -> ContactRecord:
    require_scope(user, placement.municipality_id)
    unknown = set(fields) - set(CONTACT_RECORD_FIELDS)
    if unknown:
        raise ValueError(f"Not a contact record field: {sorted(unknown)}")
    record = ContactRecord.objects.select_for_update().filter(placement=placement).first()
    record = record or ContactRecord(placement=placement)
    for name, value in fields.items():
        setattr(record, name, (value or "").strip())
    record.full_clean(exclude=["placement"])
    record.save()
    return record


def _contact_refusal(placement: Placement, contacted_on: date) -> str:
    if placement.stage not in ABROAD:
        return _("Contact: %(stage)s, not abroad.") % {"stage": placement.get_stage_display()}
    if placement.departed_on and contacted_on < placement.departed_on:
        return _("Contact: the date is before the departure.")
    return ""


@transaction.atomic
def contact_create(
    *, user, placement: Placement, contacted_on: date, channel: str, wellbeing: str, note: str = ""
) -> Contact:
    """One welfare contact with a worker abroad."""
    require_scope(user, placement.municipality_id)
    _not_future(contacted_on, "contacted_on")
    refusal = _contact_refusal(placement, contacted_on)
    if refusal:
        raise ValidationError(refusal)
    contact = Contact(
        placement=placement,
        municipality_id=placement.municipality_id,
        contacted_on=contacted_on,
        channel=channel,
        wellbeing=wellbeing,
        note=note.strip(),
        contacted_by=user,
    )
    contact.full_clean(exclude=["placement", "municipality", "contacted_by"])
    contact.save()
    return contact


@dataclass
class BulkContactResult:
    done: list[Contact] = field(default_factory=list)
    refused: list[tuple[Placement, list[str]]] = field(default_factory=list)


@transaction.atomic
def contact_create_bulk(
    *,
    user,
    cohort: Cohort,
    placements: Iterable[Placement],
    contacted_on: date,
    channel: str,
    wellbeing: dict[int, str],
    note: str = "",
) -> BulkContactResult:
    """After a group call: one contact per placement reached, each with its own wellbeing."""
    require_scope(user, cohort.municipality_id)
    _not_future(contacted_on, "contacted_on")
    result = BulkContactResult()
    for placement in placements:
        refusal = _("Contact: not in this cohort.") if placement.cohort_id != cohort.pk else ""
        refusal = refusal or _contact_refusal(placement, contacted_on)
        if refusal:
            result.refused.append((placement, [refusal]))
            continue
        result.done.append(
            contact_create(
                user=user,
                placement=placement,
                contacted_on=contacted_on,
                channel=channel,
                wellbeing=wellbeing.get(placement.pk, Contact.Wellbeing.GOOD),
                note=note,
            )
        )
    return result


# --- holds ---------------------------------------------------------------------------------------


def _check_programme_owner(user, programme) -> None:
    owner = programme.agreement.municipality_id
    if not user.is_superuser and (owner is None or owner != user.municipality_id):
        raise PermissionDenied


@transaction.atomic
def hold_create(*, user, programme, held_on: date, reason: str, source: str) -> ProgrammeHold:
    """The partner country puts the programme on hold: no cohort departs while it holds."""
    _check_programme_owner(user, programme)
    _not_future(held_on, "held_on")
    hold = ProgrammeHold(
        programme=programme, held_on=held_on, reason=reason.strip(), source=source.strip(), recorded_by=user
    )
    hold.full_clean(exclude=["programme", "recorded_by"])
    hold.save()
    return hold


@transaction.atomic
def hold_lift(*, user, hold: ProgrammeHold, lifted_on: date) -> ProgrammeHold:
    _check_programme_owner(user, hold.programme)
    if hold.lifted_on:
        raise ValidationError(_("The hold was already lifted."))
    _not_future(lifted_on, "lifted_on")
    if lifted_on < hold.held_on:
        raise ValidationError({"lifted_on": _("A hold is lifted after it began.")})
    hold.lifted_on = lifted_on
    hold.full_clean(exclude=["programme", "recorded_by"])
    hold.save()
    return hold


# --- return and reintegration --------------------------------------------------------------------


@transaction.atomic
def debrief_save(*, user, placement: Placement, **fields) -> ReturnDebrief:
    """The debrief after the return (one per placement; saving again corrects it)."""
    require_scope(user, placement.municipality_id)
    if placement.returned_on is None:
        raise ValidationError(_("Debrief: the placement has no return recorded."))
    if fields.get("debriefed_on") and fields["debriefed_on"] < placement.returned_on:
        raise ValidationError({"debriefed_on": _("The debrief cannot be before the return.")})
    debrief = ReturnDebrief.objects.select_for_update().filter(placement=placement).first()
    debrief = debrief or ReturnDebrief(placement=placement, recorded_by=user)
    for name, value in fields.items():
        setattr(debrief, name, value)
    _not_future(debrief.debriefed_on, "debriefed_on")
    debrief.full_clean(exclude=["placement", "recorded_by"])
    debrief.save()
    return debrief


@transaction.atomic
def follow_up_save(*, user, placement: Placement, month: int, **fields) -> FollowUp:
    """The 3- or 6-month follow-up after the return."""
    require_scope(user, placement.municipality_id)
    if placement.returned_on is None:
        raise ValidationError(_("Follow-up: the placement has no return recorded."))
    if month not in FollowUp.Month.values:
        raise ValidationError({"month": _("A follow-up is at 3 or 6 months.")})
    follow_up = FollowUp.objects.select_for_update().filter(placement=placement, month=month).first()
    follow_up = follow_up or FollowUp(placement=placement, month=month, recorded_by=user)
    for name, value in fields.items():
        setattr(follow_up, name, value)
    _not_future(follow_up.followed_on, "followed_on")
    if follow_up.followed_on < placement.returned_on:
        raise ValidationError({"followed_on": _("The follow-up cannot be before the return.")})
    follow_up.full_clean(exclude=["placement", "recorded_by"])
    follow_up.save()
    return follow_up


def reinvite_override_record(*, placement: Placement, user, reason: str) -> ReinviteOverride:
    """Staff invited a returnee to the next season against the protection defaults: who and why
    (placements' next-season service calls it through its re-invitation rule, in its transaction)."""
    return ReinviteOverride.objects.create(placement=placement, reason=reason, decided_by=user)
