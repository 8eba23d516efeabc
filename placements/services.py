"""Writes with rules: starting and moving placements, training enrolment, cohorts and returns.

Gates live in placements.gates; every stage change goes through `placement_move`, which records a
PlacementStageEvent and bumps `Placement.version`.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.access import new_record_owner, require_perm, require_scope, require_write
from candidates.models import Candidate, LanguageResult
from core.locking import StaleRecordError, bump_version, lock_version
from core.models import Municipality
from programmes.models import Occupation, Programme

from . import extensions
from .gates import (
    CLOSED,
    COHORT_STAGES,
    EARLY_ENDS,
    ENROLLABLE_STAGES,
    PIPELINE,
    Gate,
    GateFailure,
    GateRefused,
    check_move,
    consent_failures,
    return_due,
)
from .models import (
    Cohort,
    Enrolment,
    ExternalId,
    Placement,
    PlacementStage,
    PlacementStageEvent,
    TrainingBatch,
    TrainingProvider,
)
from .selectors import with_gate_data

__all__ = ["GateRefused", "BulkMoveResult", "placement_start", "placement_move", "placement_bulk_move"]

# A placement in these stages is abroad (its cohort has not returned while one is).
AWAY = (PlacementStage.DEPARTED, PlacementStage.ABROAD)
# Foreign keys are resolved by the views' scoped selectors; full_clean skips re-fetching them.
PLACEMENT_FKS = ["candidate", "programme", "municipality", "occupation", "cohort", "previous_placement"]


@dataclass
class BulkMoveResult:
    moved: list[Placement] = field(default_factory=list)
    refused: list[tuple[Placement, list[str]]] = field(default_factory=list)


@dataclass
class BulkStartResult:
    started: list[Placement] = field(default_factory=list)
    refused: list[tuple[Candidate, list[str]]] = field(default_factory=list)


@dataclass
class BulkResult:
    """Enrolments or cohort additions: the ones done and the ones refused with their reasons."""

    done: list = field(default_factory=list)
    refused: list[tuple[Placement, list[str]]] = field(default_factory=list)
    # Enrolments only: the placements that moved on to "in training" with their enrolment.
    moved: list = field(default_factory=list)


# --- placements ------------------------------------------------------------------------------


@transaction.atomic
def placement_start(
    *,
    candidate: Candidate,
    programme: Programme,
    user,
    occupation: Occupation | None = None,
    note: str = "",
    previous_placement: Placement | None = None,
) -> Placement:
    """Open a placement at "registered"; refused without consent or with an open one in the programme."""
    require_perm(user, "placements.add_placement")
    require_scope(user, candidate.municipality_id)
    failures = consent_failures(candidate)
    if programme.status == Programme.Status.CLOSED:
        failures.append(GateFailure(Gate.TRANSITION, _("Programme: %(name)s is closed.") % {"name": programme.name}))
    if programme.scheme == Programme.Scheme.SCHOLARSHIP:
        # A scholarship has its own stages (applied … returned): its people apply in a selection round.
        failures.append(
            GateFailure(
                Gate.TRANSITION,
                _("Programme: %(name)s is a scholarship; register the person as an applicant of its selection round.")
                % {"name": programme.name},
            )
        )
    if occupation is not None:
        demanded = set(programme.demands.values_list("occupation_id", flat=True))
        if demanded and occupation.pk not in demanded:
            failures.append(
                GateFailure(
                    Gate.TRANSITION,
                    _("Occupation: %(occupation)s is not requested by this programme.") % {"occupation": occupation},
                )
            )
    if Placement.objects.open().filter(candidate=candidate, programme=programme).exists():
        failures.append(
            GateFailure(Gate.OPEN_PLACEMENT, _("Placement: the candidate already has an open placement here."))
        )
    if failures:
        raise GateRefused(failures)
    now = timezone.now()
    placement = Placement(
        candidate=candidate,
        programme=programme,
        municipality_id=candidate.municipality_id,
        occupation=occupation,
        stage=PlacementStage.REGISTERED,
        stage_changed_at=now,
        registered_on=timezone.localdate(),
        previous_placement=previous_placement,
        employer=previous_placement.employer if previous_placement else "",
    )
    placement.full_clean(exclude=PLACEMENT_FKS)
    try:
        with transaction.atomic():
            placement.save()
    except IntegrityError as exc:
        # Another request opened one a moment ago (the partial unique constraint caught it).
        raise GateRefused(
            [GateFailure(Gate.OPEN_PLACEMENT, _("Placement: the candidate already has an open placement here."))]
        ) from exc
    event = PlacementStageEvent.objects.create(
        placement=placement, from_stage="", to_stage=PlacementStage.REGISTERED, moved_at=now, moved_by=user, note=note
    )
    extensions.stage_changed(placement=placement, event=event)
    return placement


def placement_start_bulk(
    *, candidates: Iterable[Candidate], programme: Programme, user, occupation: Occupation | None = None
) -> BulkStartResult:
    """Start placements one by one; each refusal is listed with its reasons, the others proceed."""
    result = BulkStartResult()
    for candidate in candidates:
        try:
            result.started.append(
                placement_start(candidate=candidate, programme=programme, user=user, occupation=occupation)
            )
        except GateRefused as refused:
            result.refused.append((candidate, refused.messages))
    return result


def _reached_before_end(placement: Placement) -> str:
    """The pipeline stage a closed placement had before it ended (its last event's from-stage)."""
    last = placement.stage_events.order_by("-moved_at", "-pk").values_list("from_stage", flat=True).first()
    return last or ""


@transaction.atomic
def placement_move(
    *,
    placement: Placement,
    to_stage: str,
    user,
    note: str = "",
    reason: str = "",
    on_date: date | None = None,
    version: int | None = None,
) -> Placement:
    """Move a placement to `to_stage` if the gates allow it; raise GateRefused saying which failed.

    on_date: when an early end happened (defaults to today). version: the version the page showed
    (default: the one `placement` was read with); StaleRecordError when someone moved it meanwhile.
    """
    require_write(user, "placements.change_placement", placement.municipality_id)
    # Every move and edit bumps the version, so an unchanged version also means an unchanged stage.
    lock_version(Placement.objects.all(), placement.pk, placement.version if version is None else version)
    from_stage = placement.stage
    reached = _reached_before_end(placement) if from_stage in EARLY_ENDS else ""
    failures = check_move(placement, to_stage, reason=reason, reached=reached)
    departs = PIPELINE.index(PlacementStage.DEPARTED)
    if from_stage in PIPELINE[:departs] and to_stage in PIPELINE[departs:]:
        failures += extensions.departure_failures(placement.programme)  # extension points (e.g. a partner's hold)
    reopening = from_stage in CLOSED and to_stage not in CLOSED
    if (
        not failures
        and reopening
        and Placement.objects.open()
        .filter(candidate_id=placement.candidate_id, programme_id=placement.programme_id)
        .exclude(pk=placement.pk)
        .exists()
    ):
        failures.append(
            GateFailure(Gate.OPEN_PLACEMENT, _("Placement: the candidate already has another open placement here."))
        )
    if failures:
        raise GateRefused(failures)

    today = timezone.localdate()
    index = PIPELINE.index(to_stage) if to_stage in PIPELINE else None
    if to_stage == PlacementStage.DEPARTED and placement.cohort is not None:
        # Forward, the cohort gate holds; a correction back to Departed of a placement that lost its
        # cohort keeps the day it has.
        placement.departed_on = placement.cohort.actual_departure
    if to_stage in EARLY_ENDS:
        placement.end_reason = reason.strip()
        placement.ended_on = on_date or today
        if to_stage == PlacementStage.ABSCONDED:
            placement.return_outcome = Placement.ReturnOutcome.ABSCONDED
        elif to_stage == PlacementStage.REPATRIATED:
            placement.return_outcome = Placement.ReturnOutcome.REPATRIATED
            placement.returned_on = placement.returned_on or placement.ended_on
    if reopening or (index is not None and index < PIPELINE.index(PlacementStage.RETURNED)):
        # A correction back into the pipeline undoes what the later stages recorded.
        placement.returned_on = None
        placement.return_outcome = ""
        placement.ended_on = None
        placement.end_reason = ""
    if index is not None and index < PIPELINE.index(PlacementStage.DEPARTED):
        placement.departed_on = None

    now = timezone.now()
    placement.stage = to_stage
    placement.stage_changed_at = now
    bump_version(placement)
    placement.full_clean(exclude=PLACEMENT_FKS)
    placement.save()
    event = PlacementStageEvent.objects.create(
        placement=placement,
        from_stage=from_stage,
        to_stage=to_stage,
        moved_at=now,
        moved_by=user,
        note=note.strip(),
        reason=reason.strip(),
    )
    extensions.stage_changed(placement=placement, event=event)
    # The cohort has returned once none of its placements is still away.
    came_home = placement.cohort_id and from_stage in AWAY and to_stage not in AWAY
    if came_home and not Placement.objects.filter(cohort_id=placement.cohort_id, stage__in=AWAY).exists():
        extensions.cohort_changed(cohort=placement.cohort, event=extensions.COHORT_RETURNED)
    return placement


@transaction.atomic
def placement_bulk_move(
    *, placements: Iterable[Placement], to_stage: str, user, note: str = "", reason: str = ""
) -> BulkMoveResult:
    """Move each placement that passes its gates; list the others with the gates that failed."""
    result = BulkMoveResult()
    for placement in placements:
        try:
            with transaction.atomic():
                placement_move(placement=placement, to_stage=to_stage, user=user, note=note, reason=reason)
        except (GateRefused, StaleRecordError) as refused:
            result.refused.append((placement, refused.messages))
        else:
            result.moved.append(placement)
    return result


EDITABLE_FIELDS = [
    "occupation",
    "employer",
    "contract_start",
    "contract_end",
    "visa_number",
    "visa_issued_on",
    "planned_return_on",
]


@transaction.atomic
def placement_update(*, placement: Placement, user, version: int | None = None, **fields) -> Placement:
    """Edit the employer, contract, visa, occupation and planned return (not the stage).

    version: the version the form was opened with; a different one means someone saved meanwhile.
    """
    require_write(user, "placements.change_placement", placement.municipality_id)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    current = lock_version(Placement.objects.all(), placement.pk, version)
    for name, value in fields.items():
        setattr(placement, name, value)
    placement.version = current.version + 1
    placement.full_clean(exclude=PLACEMENT_FKS)
    placement.save()
    return placement


@transaction.atomic
def placement_record_return(
    *, placement: Placement, user, on_date: date, outcome: str, reason: str = "", note: str = ""
) -> Placement:
    """Record how a departed placement came home: completed or ended early (→ returned), absconded or
    repatriated (→ those early ends). Every outcome but "completed" needs a reason."""
    require_write(user, "placements.change_placement", placement.municipality_id)
    Outcome = Placement.ReturnOutcome
    if placement.stage not in (PlacementStage.DEPARTED, PlacementStage.ABROAD):
        raise GateRefused([GateFailure(Gate.TRANSITION, _("Return: only a departed placement can return."))])
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if on_date > timezone.localdate():
        raise ValidationError({"on_date": _("The date cannot be in the future.")})
    if placement.departed_on and on_date < placement.departed_on:
        raise ValidationError({"on_date": _("The date cannot be before the departure.")})
    if outcome != Outcome.COMPLETED and not reason.strip():
        raise ValidationError({"reason": _("Give a reason for this outcome.")})
    if outcome in (Outcome.COMPLETED, Outcome.ENDED_EARLY):
        placement.returned_on = on_date
        placement.return_outcome = outcome
        placement.end_reason = reason.strip()
        return placement_move(
            placement=placement, to_stage=PlacementStage.RETURNED, user=user, note=note, reason=reason
        )
    to_stage = PlacementStage.ABSCONDED if outcome == Outcome.ABSCONDED else PlacementStage.REPATRIATED
    if outcome == Outcome.REPATRIATED:
        placement.returned_on = on_date
    return placement_move(placement=placement, to_stage=to_stage, user=user, note=note, reason=reason, on_date=on_date)


@transaction.atomic
def placement_invite_next_season(*, placement: Placement, user, override_reason: str = "") -> Placement:
    """A new placement for a returnee who completed a seasonal programme, reusing their candidate record.

    Higher apps' re-invitation rules (extensions.reinvite_rules; protection: absconders, unresolved
    cases, the debrief's wish to go again) keep a returnee out by default; staff invite them all the
    same with `override_reason`, which each rule that objected records."""
    require_write(user, "placements.add_placement", placement.municipality_id)
    if not (
        placement.programme.is_seasonal
        and placement.stage == PlacementStage.RETURNED
        and placement.return_outcome == Placement.ReturnOutcome.COMPLETED
    ):
        raise GateRefused(
            [
                GateFailure(
                    Gate.TRANSITION,
                    _("Next season: only returnees who completed a seasonal programme can be invited again."),
                )
            ]
        )
    if Placement.objects.filter(previous_placement=placement).exists():
        raise GateRefused([GateFailure(Gate.OPEN_PLACEMENT, _("Next season: this returnee was already invited."))])
    objections = [(rule, rule.blockers([placement]).get(placement.pk)) for rule in extensions.reinvite_rules()]
    objections = [(rule, reasons) for rule, reasons in objections if reasons]
    reason = override_reason.strip()
    if objections and not reason:
        why = "; ".join(r for _rule, reasons in objections for r in reasons)
        raise GateRefused(
            [
                GateFailure(
                    Gate.TRANSITION,
                    _("Next season: not offered by default (%(why)s); give a reason to invite all the same.")
                    % {"why": why},
                )
            ]
        )
    invited = placement_start(
        candidate=placement.candidate,
        programme=placement.programme,
        user=user,
        occupation=placement.occupation,
        note=_("Invited for the next season."),
        previous_placement=placement,
    )
    for rule, _reasons in objections:
        rule.overridden(placement=placement, user=user, reason=reason)
    return invited


@transaction.atomic
def language_result_record(*, placement: Placement, user, **fields) -> LanguageResult:
    """A language test result for the placement's candidate (the "ready" gate reads it)."""
    require_perm(user, "candidates.add_languageresult")
    require_scope(user, placement.candidate.municipality_id)
    result = LanguageResult(candidate=placement.candidate, **fields)
    result.full_clean(exclude=["candidate"])
    result.save()
    return result


# --- training --------------------------------------------------------------------------------


@transaction.atomic
def provider_create(*, user, municipality: Municipality | None = None, **fields) -> TrainingProvider:
    provider = TrainingProvider(
        municipality=new_record_owner(user, "placements.add_trainingprovider", municipality), **fields
    )
    provider.full_clean()
    provider.save()
    return provider


@transaction.atomic
def provider_update(*, provider: TrainingProvider, user, **fields) -> TrainingProvider:
    require_write(user, "placements.change_trainingprovider", provider.municipality_id)
    fields.pop("municipality", None)  # ownership does not change
    for name, value in fields.items():
        setattr(provider, name, value)
    provider.full_clean()
    provider.save()
    return provider


@transaction.atomic
def batch_create(*, user, municipality: Municipality | None = None, **fields) -> TrainingBatch:
    batch = TrainingBatch(municipality=new_record_owner(user, "placements.add_trainingbatch", municipality), **fields)
    batch.full_clean()
    batch.save()
    return batch


@transaction.atomic
def batch_update(*, batch: TrainingBatch, user, **fields) -> TrainingBatch:
    require_write(user, "placements.change_trainingbatch", batch.municipality_id)
    fields.pop("municipality", None)
    locked = TrainingBatch.objects.select_for_update().get(pk=batch.pk)
    enrolled = locked.enrolments.count()
    if "capacity" in fields and fields["capacity"] < enrolled:
        raise ValidationError(
            {
                "capacity": _("%(count)s people are already enrolled; the capacity cannot be lower.")
                % {"count": enrolled}
            }
        )
    if "programme" in fields and fields["programme"].pk != batch.programme_id and enrolled:
        raise ValidationError({"programme": _("The batch has enrolments; its programme cannot change.")})
    for name, value in fields.items():
        setattr(batch, name, value)
    batch.full_clean()
    batch.save()
    return batch


@transaction.atomic
def enrolment_create_bulk(*, batch: TrainingBatch, placements: Iterable[Placement], user) -> BulkResult:
    """Enrol placements while seats remain; the batch row is locked so two offices cannot overfill it.

    A placement at "documents verified" moves on to "in training" when it is enrolled.
    """
    require_perm(user, "placements.add_enrolment")
    locked = TrainingBatch.objects.select_for_update().get(pk=batch.pk)
    taken = locked.enrolments.count()
    placements = list(placements)
    already = set(
        Enrolment.objects.filter(batch=locked, placement__in=placements).values_list("placement_id", flat=True)
    )
    result = BulkResult()
    for placement in placements:
        reasons = []
        if placement.programme_id != locked.programme_id:
            reasons.append(_("Training: the batch belongs to another programme."))
        if placement.stage not in ENROLLABLE_STAGES:
            reasons.append(
                _("Training: a placement at %(stage)s cannot be enrolled.") % {"stage": placement.get_stage_display()}
            )
        if placement.pk in already:
            reasons.append(_("Training: already enrolled in this batch."))
        if not reasons and locked.ends_on < timezone.localdate():
            reasons.append(_("Training: the batch ended on %(date)s.") % {"date": date_format(locked.ends_on, "j M Y")})
        if not reasons and taken >= locked.capacity:
            reasons.append(
                _("Capacity: the batch is full (%(taken)s of %(capacity)s seats).")
                % {"taken": taken, "capacity": locked.capacity}
            )
        if reasons:
            result.refused.append((placement, reasons))
            continue
        enrolment = Enrolment(batch=locked, placement=placement)
        enrolment.full_clean(exclude=["batch", "placement"])
        enrolment.save()
        taken += 1
        result.done.append(enrolment)
    # Re-read with the new enrolments, so the "in training" gate sees them.
    to_move = [e.placement_id for e in result.done if e.placement.stage == PlacementStage.DOCUMENTS_VERIFIED]
    for placement in with_gate_data(Placement.objects.filter(pk__in=to_move)):
        try:
            with transaction.atomic():
                placement_move(placement=placement, to_stage=PlacementStage.IN_TRAINING, user=user, note=str(locked))
        except GateRefused:
            pass  # enrolled all the same; the placement stays where it was (e.g. consent withdrawn)
        else:
            result.moved.append(placement)
    return result


@transaction.atomic
def enrolment_update(
    *,
    enrolment: Enrolment,
    user,
    attended_hours: int,
    final_score,
    result: str,
    certificate_number: str = "",
) -> Enrolment:
    require_write(user, "placements.change_enrolment", enrolment.placement.municipality_id)
    if attended_hours > enrolment.batch.hours:
        raise ValidationError(
            {"attended_hours": _("At most the batch's %(hours)s hours.") % {"hours": enrolment.batch.hours}}
        )
    if result == Enrolment.Result.PASSED and attended_hours == 0:
        raise ValidationError({"attended_hours": _("A passed enrolment has attended hours.")})
    enrolment.attended_hours = attended_hours
    enrolment.final_score = final_score
    enrolment.result = result
    enrolment.certificate_number = certificate_number.strip()
    enrolment.full_clean(exclude=["batch", "placement"])
    enrolment.save()
    return enrolment


class EnrolmentRefused(ValidationError):
    """A result that breaks a rule, naming the enrolment it belongs to (the form marks that row)."""

    def __init__(self, error: ValidationError, *, enrolment: Enrolment):
        super().__init__(error)
        self.enrolment = enrolment


@transaction.atomic
def enrolment_update_bulk(*, changes: Iterable[tuple[Enrolment, dict]], user) -> list[Enrolment]:
    """Record several results at once, all or nothing: the first refused one undoes the others.

    `changes` pairs each enrolment with enrolment_update's keyword arguments.
    """
    updated = []
    for enrolment, fields in changes:
        try:
            updated.append(enrolment_update(enrolment=enrolment, user=user, **fields))
        except ValidationError as error:
            raise EnrolmentRefused(error, enrolment=enrolment) from error
    return updated


# --- cohorts ---------------------------------------------------------------------------------


def _default_return_due(cohort: Cohort) -> date | None:
    return return_due(cohort.programme, cohort.actual_departure or cohort.planned_departure)


@transaction.atomic
def cohort_create(*, user, programme: Programme, municipality: Municipality | None = None, **fields) -> Cohort:
    """A new cohort; without a return date, it is computed from the programme's season or contract."""
    owner = new_record_owner(user, "placements.add_cohort", municipality)
    if owner is None:
        raise ValidationError({"municipality": _("A cohort belongs to a municipality.")})
    cohort = Cohort(programme=programme, municipality=owner, **fields)
    if not cohort.return_due_on:
        cohort.return_due_on = _default_return_due(cohort)
    cohort.full_clean()
    cohort.save()
    return cohort


@transaction.atomic
def cohort_update(*, cohort: Cohort, user, **fields) -> Cohort:
    require_write(user, "placements.change_cohort", cohort.municipality_id)
    fields.pop("municipality", None)
    if "programme" in fields and fields["programme"].pk != cohort.programme_id and cohort.placements.exists():
        raise ValidationError({"programme": _("The cohort has placements; its programme cannot change.")})
    for name, value in fields.items():
        setattr(cohort, name, value)
    if not cohort.return_due_on:
        cohort.return_due_on = _default_return_due(cohort)
    cohort.full_clean()
    cohort.save()
    return cohort


@transaction.atomic
def cohort_add_placements(*, cohort: Cohort, placements: Iterable[Placement], user) -> BulkResult:
    """Form the cohort from selected placements (stage "selected" or "visa") of its programme."""
    require_write(user, "placements.change_cohort", cohort.municipality_id)
    result = BulkResult()
    if cohort.actual_departure:
        for placement in placements:
            result.refused.append((placement, [_("Cohort: it has already departed.")]))
        return result
    for placement in placements:
        reasons = []
        if placement.programme_id != cohort.programme_id:
            reasons.append(_("Cohort: the placement belongs to another programme."))
        if placement.municipality_id != cohort.municipality_id:
            reasons.append(_("Cohort: the placement belongs to another municipality."))
        if placement.stage not in COHORT_STAGES:
            reasons.append(
                _("Cohort: only selected placements can join (this one is at %(stage)s).")
                % {"stage": placement.get_stage_display()}
            )
        if placement.cohort_id == cohort.pk:
            reasons.append(_("Cohort: already in this cohort."))
        if reasons:
            result.refused.append((placement, reasons))
            continue
        placement.cohort = cohort
        if cohort.return_due_on:
            placement.planned_return_on = cohort.return_due_on
        placement.version += 1
        placement.full_clean(exclude=PLACEMENT_FKS)
        placement.save(update_fields=["cohort", "planned_return_on", "version", "updated_at"])
        result.done.append(placement)
    return result


@transaction.atomic
def cohort_remove_placement(*, cohort: Cohort, placement: Placement, user) -> Placement:
    require_write(user, "placements.change_cohort", cohort.municipality_id)
    if placement.cohort_id != cohort.pk:
        raise ValidationError(_("The placement is not in this cohort."))
    if cohort.actual_departure or placement.stage not in PIPELINE[: PIPELINE.index(PlacementStage.DEPARTED)]:
        raise ValidationError(_("A placement cannot leave a cohort after departure."))
    placement.cohort = None
    bump_version(placement)
    placement.save(update_fields=["cohort", "version", "updated_at"])
    return placement


@transaction.atomic
def cohort_confirm_departure(*, cohort: Cohort, user, on_date: date, note: str = "") -> BulkMoveResult:
    """Record the actual departure and move the cohort's placements to "departed" where the gates allow."""
    require_write(user, "placements.change_cohort", cohort.municipality_id)
    if cohort.actual_departure:
        raise ValidationError(_("The departure was already confirmed."))
    if on_date > timezone.localdate():
        raise ValidationError({"on_date": _("The departure date cannot be in the future.")})
    held = extensions.departure_failures(cohort.programme)
    if held:
        raise ValidationError([f.message for f in held])
    computed_before = _default_return_due(cohort)
    cohort.actual_departure = on_date
    if cohort.return_due_on is None or cohort.return_due_on == computed_before:
        cohort.return_due_on = _default_return_due(cohort) or cohort.return_due_on
    cohort.full_clean()
    cohort.save()
    placements = list(
        with_gate_data(Placement.objects.filter(cohort=cohort)).filter(
            stage__in=PIPELINE[: PIPELINE.index(PlacementStage.DEPARTED)]
        )
    )
    for placement in placements:
        placement.cohort = cohort  # the confirmed departure, not the stale row from the query
    result = placement_bulk_move(placements=placements, to_stage=PlacementStage.DEPARTED, user=user, note=note)
    extensions.cohort_changed(cohort=cohort, event=extensions.COHORT_DEPARTED)
    return result


@transaction.atomic
def cohort_confirm_arrival(*, cohort: Cohort, user, on_date: date) -> BulkMoveResult:
    require_write(user, "placements.change_cohort", cohort.municipality_id)
    if cohort.actual_departure is None:
        raise ValidationError(_("Confirm the departure first."))
    if cohort.arrival_confirmed_on:
        raise ValidationError(_("The arrival was already confirmed."))
    if on_date < cohort.actual_departure:
        raise ValidationError({"on_date": _("The arrival cannot be before the departure.")})
    if on_date > timezone.localdate():
        raise ValidationError({"on_date": _("The arrival date cannot be in the future.")})
    cohort.arrival_confirmed_on = on_date
    cohort.full_clean()
    cohort.save()
    placements = list(with_gate_data(Placement.objects.filter(cohort=cohort, stage=PlacementStage.DEPARTED)))
    for placement in placements:
        placement.cohort = cohort
    result = placement_bulk_move(placements=placements, to_stage=PlacementStage.ABROAD, user=user)
    extensions.cohort_changed(cohort=cohort, event=extensions.COHORT_ARRIVED)
    return result


# --- external ids --------------------------------------------------------------------------------

EXTERNAL_ID_FORMAT = re.compile(r"^[A-Z0-9][A-Z0-9./-]*$")


@transaction.atomic
def external_id_set(*, user, system: str, value: str, candidate: Candidate | None = None, placement=None):
    """Record (or change, or with an empty value remove) a record's id in another system: the
    national worker id on a candidate, the SISKOP2MI registration number on a placement. A value
    already recorded for another record of the system is refused."""
    System = ExternalId.System
    if system not in System.values:
        raise ValueError(f"Unknown system: {system}")
    record = candidate if system in ExternalId.ON_CANDIDATE else placement
    if record is None or (candidate is not None and placement is not None):
        raise ValueError(f"{system} belongs on a {'candidate' if system in ExternalId.ON_CANDIDATE else 'placement'}")
    require_write(user, "placements.change_placement", record.municipality_id)
    owner = {"candidate": record} if system in ExternalId.ON_CANDIDATE else {"placement": record}
    value = "".join(value.split()).upper()
    if not value:
        ExternalId.objects.filter(system=system, **owner).delete()
        return None
    if len(value) > 50 or not EXTERNAL_ID_FORMAT.match(value):
        raise ValidationError({"value": _("Letters, digits, dots, slashes and hyphens only (at most 50).")})
    label = System(system).label
    if ExternalId.objects.filter(system=system, value=value).exclude(**owner).exists():
        raise ValidationError(
            {"value": _("%(system)s %(value)s is recorded for another worker.") % {"system": label, "value": value}}
        )
    try:
        with transaction.atomic():
            external, _created = ExternalId.objects.update_or_create(
                system=system, **owner, defaults={"value": value, "municipality_id": record.municipality_id}
            )
    except IntegrityError as exc:  # recorded by someone else a moment ago
        raise ValidationError(
            {"value": _("%(system)s %(value)s is recorded for another worker.") % {"system": label, "value": value}}
        ) from exc
    return external
