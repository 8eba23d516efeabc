"""The placement gates: which moves are allowed and what each stage requires, in one place.

Transitions (documented in the README section of the placements app and on the detail page):

- Forward along the pipeline, one or more steps at a time. Skipping is allowed only when the gate
  of every stage passed over also holds, so a skip never bypasses a rule.
- Backward to an earlier pipeline stage with a reason (corrections); no gate is checked.
- Early ends with a reason: withdrawn, failed and medically unfit before departure (registered …
  visa); absconded and repatriated after departure (departed, abroad).
- Out of an early end or "returned": only backward, with a reason, to a stage the placement had
  reached (a correction), and only while the candidate has no other open placement in the programme.
- No start and no forward move up to departure without the candidate's current consent.
- No departure while the programme's agreement is not signed (MoU signed, active, in evaluation or
  renewed).

What a person must meet (age, documents, language, training hours, passport, ...) is defined once in
placements.requirements, shared with the eligibility shortlist; this module adds the placement's own
progress (enrolled, selected, in a departed cohort, arrived, returned) and the transition rules.
The checks are pure functions over rows the caller passes in (placements.selectors.with_gate_data).
"""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.models import Candidate

from .models import Enrolment, Placement, PlacementStage
from .requirements import (
    AGREEMENT,
    CONSENT,
    DOCUMENTS,
    EDUCATION,
    LANGUAGE,
    MAXIMUM_AGE,
    MINIMUM_AGE,
    PASSPORT,
    SEX,
    TRAINING,
    VISA,
    Basis,
    Facts,
    Gate,
    GateFailure,
    Requirement,
    age_on,
    planned_return,
    return_due,
)

__all__ = ["Gate", "GateFailure", "GateRefused", "age_on", "check_move", "planned_return", "return_due"]

PIPELINE: list[str] = [s.value for s in PlacementStage.pipeline()]
EARLY_ENDS: list[str] = [s.value for s in PlacementStage.early_ends()]
CLOSED: list[str] = [PlacementStage.RETURNED.value, *EARLY_ENDS]
# Early ends that happen before departure, and those that happen abroad.
ENDS_BEFORE_DEPARTURE = {PlacementStage.WITHDRAWN, PlacementStage.FAILED, PlacementStage.MEDICALLY_UNFIT}
ENDS_ABROAD = {PlacementStage.ABSCONDED, PlacementStage.REPATRIATED}
# Stages at which a placement may still be enrolled in training, and those that may join a cohort.
ENROLLABLE_STAGES: list[str] = PIPELINE[: PIPELINE.index(PlacementStage.READY) + 1]
COHORT_STAGES: list[str] = [PlacementStage.SELECTED.value, PlacementStage.VISA.value]

# The person's requirements (placements.requirements) each stage's gate holds. The eligibility
# shortlist asks for all of them at once; tests/placements/test_requirements.py keeps the two in step.
STAGE_REQUIREMENTS: dict[str, tuple[Requirement, ...]] = {
    PlacementStage.SCREENED: (MINIMUM_AGE, MAXIMUM_AGE, SEX, EDUCATION),
    PlacementStage.DOCUMENTS_VERIFIED: (DOCUMENTS,),
    PlacementStage.READY: (TRAINING, LANGUAGE),
    PlacementStage.VISA: (PASSPORT,),
}


class GateRefused(Exception):  # noqa: N818 - the name says what happened: the gate refused
    """A move or start refused by one or more gates; `messages` say which."""

    def __init__(self, failures: list[GateFailure]):
        self.failures = failures
        self.messages = [f.message for f in failures]
        super().__init__("; ".join(self.messages))


# --- dates -------------------------------------------------------------------------------------


# --- the placement's own progress (pure: they take rows, never query) -------------------------


def consent_failures(candidate: Candidate) -> list[GateFailure]:
    return [s.failure for s in CONSENT.check(None, Facts(candidate))]


def enrolment_failures(enrolments) -> list[GateFailure]:
    if any(True for _e in enrolments):
        return []
    return [GateFailure(Gate.ENROLMENT, _("Training: not enrolled in a training batch yet."))]


def passed_training_failures(enrolments) -> list[GateFailure]:
    """Ready means this placement's training is passed (the hours may include earlier seasons)."""
    if any(e.result == Enrolment.Result.PASSED for e in enrolments):
        return []
    return [GateFailure(Gate.TRAINING, _("Training: no passed training yet."))]


def selection_failures(placement: Placement) -> list[GateFailure]:
    failures = []
    if not placement.employer.strip():
        failures.append(GateFailure(Gate.SELECTION, _("Selection: no employer recorded.")))
    if not (placement.contract_start and placement.contract_end):
        failures.append(GateFailure(Gate.SELECTION, _("Selection: contract start and end dates are missing.")))
    return failures


def cohort_departure_failures(placement: Placement) -> list[GateFailure]:
    cohort = placement.cohort
    if cohort is None:
        return [GateFailure(Gate.COHORT, _("Departure: the placement is not in a cohort."))]
    if cohort.actual_departure is None:
        return [
            GateFailure(
                Gate.COHORT,
                _("Departure: cohort %(cohort)s has not departed yet (departure not confirmed).")
                % {"cohort": cohort.name},
            )
        ]
    return []


def arrival_failures(placement: Placement) -> list[GateFailure]:
    cohort = placement.cohort
    if cohort is None or cohort.arrival_confirmed_on is None:
        return [GateFailure(Gate.ARRIVAL, _("Arrival: the cohort's arrival is not confirmed yet."))]
    return []


def return_failures(placement: Placement) -> list[GateFailure]:
    if placement.returned_on and placement.return_outcome:
        return []
    return [GateFailure(Gate.RETURN, _("Return: record the return date and outcome first."))]


# --- putting them together ---------------------------------------------------------------------


def requirement_failures(
    placement: Placement, stage: str, *, today: date, skip: tuple[Requirement, ...] = ()
) -> list[GateFailure]:
    """What the person misses of the requirements `stage` holds (placements.requirements), measured
    on the placement's basis: its cohort's planned departure and its planned return."""
    applying = [r for r in STAGE_REQUIREMENTS.get(stage, ()) if r not in skip and r.applies(placement.programme)]
    if not applying:
        return []
    basis, facts = Basis.for_placement(placement, today=today), Facts.of_placement(placement)
    return [s.failure for r in applying for s in r.check(basis, facts)]


def stage_requirements(placement: Placement, stage: str, *, today: date) -> list[GateFailure]:
    """What entering `stage` requires of this placement (consent is checked once per move)."""
    if stage == PlacementStage.IN_TRAINING:
        return enrolment_failures(placement.enrolments.all())
    if stage == PlacementStage.READY:
        # No passed training here: the hours are beside the point until there is.
        progress = passed_training_failures(placement.enrolments.all())
        skip = (TRAINING,) if progress else ()
        return progress + requirement_failures(placement, stage, today=today, skip=skip)
    if stage == PlacementStage.SELECTED:
        return selection_failures(placement)
    if stage == PlacementStage.DEPARTED:
        visa, agreement = VISA.check(placement), AGREEMENT.check(placement)
        return [s.failure for s in visa] + cohort_departure_failures(placement) + [s.failure for s in agreement]
    if stage == PlacementStage.ABROAD:
        return arrival_failures(placement)
    if stage == PlacementStage.RETURNED:
        return return_failures(placement)
    return requirement_failures(placement, stage, today=today)


def _label(stage: str) -> str:
    return str(PlacementStage(stage).label)


def check_move(
    placement: Placement, to_stage: str, *, reason: str = "", today: date | None = None, reached: str = ""
) -> list[GateFailure]:
    """Why moving `placement` to `to_stage` is refused; an empty list means the move is allowed.

    reached: for a placement that ended early, the pipeline stage it had before the end (from its
    last stage event); it bounds how far back into the pipeline a correction may reopen it.
    """
    today = today or timezone.localdate()
    current = placement.stage
    if to_stage not in PlacementStage.values:
        return [GateFailure(Gate.TRANSITION, _("Transition: unknown stage."))]
    if to_stage == current:
        return [
            GateFailure(
                Gate.TRANSITION, _("Transition: the placement is already at %(stage)s.") % {"stage": _label(current)}
            )
        ]
    refused = GateFailure(
        Gate.TRANSITION,
        _("Transition: a placement cannot move from %(from)s to %(to)s.")
        % {"from": _label(current), "to": _label(to_stage)},
    )
    needs_reason = GateFailure(Gate.REASON, _("Reason: moving to %(to)s needs a reason.") % {"to": _label(to_stage)})

    # Early ends.
    if to_stage in EARLY_ENDS:
        if current in CLOSED:
            return [refused]
        if to_stage in ENDS_BEFORE_DEPARTURE and PIPELINE.index(current) >= PIPELINE.index(PlacementStage.DEPARTED):
            return [refused]
        if to_stage in ENDS_ABROAD and PIPELINE.index(current) < PIPELINE.index(PlacementStage.DEPARTED):
            return [refused]
        return [] if reason.strip() else [needs_reason]

    # Out of an early end: a correction back into the pipeline, never past where it had reached.
    if current in EARLY_ENDS:
        limit = PIPELINE.index(reached) if reached in PIPELINE else 0
        if PIPELINE.index(to_stage) > limit:
            return [refused]
        return [] if reason.strip() else [needs_reason]

    # Backward along the pipeline (also out of "returned"): a correction with a reason.
    if PIPELINE.index(to_stage) < PIPELINE.index(current):
        return [] if reason.strip() else [needs_reason]

    # Forward: consent (up to departure; arrival and return only record what happened abroad),
    # then the gate of every stage entered or passed over.
    departed = PIPELINE.index(PlacementStage.DEPARTED)
    failures = consent_failures(placement.candidate) if PIPELINE.index(to_stage) <= departed else []
    for stage in PIPELINE[PIPELINE.index(current) + 1 : PIPELINE.index(to_stage) + 1]:
        for failure in stage_requirements(placement, stage, today=today):
            if failure not in failures:
                failures.append(failure)
    return failures


def next_stage(stage: str) -> str | None:
    """The next pipeline stage, or None at the end of the pipeline and after an early end."""
    if stage not in PIPELINE or stage == PIPELINE[-1]:
        return None
    return PIPELINE[PIPELINE.index(stage) + 1]


def move_targets(stage: str) -> list[str]:
    """The stages a placement at `stage` may be offered in a move form (gates decide the rest)."""
    if stage in EARLY_ENDS:
        return [s for s in PIPELINE if s != PlacementStage.RETURNED]
    if stage == PlacementStage.RETURNED:
        return [s for s in PIPELINE if s != stage]
    index = PIPELINE.index(stage)
    departed = index >= PIPELINE.index(PlacementStage.DEPARTED)
    ends = ENDS_ABROAD if departed else ENDS_BEFORE_DEPARTURE
    return [s for s in PIPELINE if s != stage] + [s for s in EARLY_ENDS if s in ends]
