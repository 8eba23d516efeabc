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

The checks are pure functions over rows the caller passes in, so the eligibility shortlist and the
pipeline board reuse the same messages without extra queries.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from candidates.models import Candidate, Document, LanguageResult
from core.choices import DocumentType, Education, LanguageTest
from core.dates import add_months, age_on
from programmes.models import Programme

from .models import Enrolment, Placement, PlacementStage

PIPELINE: list[str] = [s.value for s in PlacementStage.pipeline()]
EARLY_ENDS: list[str] = [s.value for s in PlacementStage.early_ends()]
CLOSED: list[str] = [PlacementStage.RETURNED.value, *EARLY_ENDS]
# Early ends that happen before departure, and those that happen abroad.
ENDS_BEFORE_DEPARTURE = {PlacementStage.WITHDRAWN, PlacementStage.FAILED, PlacementStage.MEDICALLY_UNFIT}
ENDS_ABROAD = {PlacementStage.ABSCONDED, PlacementStage.REPATRIATED}
# Stages at which a placement may still be enrolled in training, and those that may join a cohort.
ENROLLABLE_STAGES: list[str] = PIPELINE[: PIPELINE.index(PlacementStage.READY) + 1]
COHORT_STAGES: list[str] = [PlacementStage.SELECTED.value, PlacementStage.VISA.value]


class Gate:
    """Keys naming each gate; the UI links each to the page where the missing thing is fixed."""

    CONSENT = "consent"
    SCREENING = "screening"
    DOCUMENTS = "documents"
    ENROLMENT = "enrolment"
    TRAINING = "training"
    LANGUAGE = "language"
    SELECTION = "selection"
    PASSPORT = "passport"
    VISA = "visa"
    COHORT = "cohort"
    ARRIVAL = "arrival"
    RETURN = "return"
    REASON = "reason"
    TRANSITION = "transition"
    OPEN_PLACEMENT = "open_placement"

    # Gates fixed on the candidate's page (documents, consent, language results).
    ON_CANDIDATE = {CONSENT, SCREENING, DOCUMENTS, LANGUAGE, PASSPORT}


@dataclass(frozen=True)
class GateFailure:
    gate: str
    message: str

    def __str__(self) -> str:
        return self.message


class GateRefused(Exception):  # noqa: N818 - the name says what happened: the gate refused
    """A move or start refused by one or more gates; `messages` say which."""

    def __init__(self, failures: list[GateFailure]):
        self.failures = failures
        self.messages = [f.message for f in failures]
        super().__init__("; ".join(self.messages))


# --- dates -------------------------------------------------------------------------------------


def return_due(programme: Programme, departure: date | None) -> date | None:
    """Departure plus the programme's time away: 5 + 2 + 5 → 12 months; a 36-month contract → 36."""
    months = programme.months_away
    if departure is None or not months:
        return None
    return add_months(departure, months)


def planned_return(placement: Placement) -> date | None:
    """The cohort's return date, else the placement's own, else departure + the programme's months."""
    cohort = placement.cohort
    if cohort is not None and cohort.return_due_on:
        return cohort.return_due_on
    if placement.planned_return_on:
        return placement.planned_return_on
    departure = placement.departed_on
    if departure is None and cohort is not None:
        departure = cohort.actual_departure or cohort.planned_departure
    computed = return_due(placement.programme, departure)
    return computed or placement.contract_end


def _d(value: date) -> str:
    return date_format(value, "j M Y")


# --- the individual checks (pure: they take rows, never query) --------------------------------


def consent_failures(candidate: Candidate) -> list[GateFailure]:
    if candidate.has_consent:
        return []
    if candidate.consent_withdrawn_on:
        return [GateFailure(Gate.CONSENT, _("Consent: the candidate withdrew consent to data processing."))]
    return [GateFailure(Gate.CONSENT, _("Consent: the candidate has not given consent to data processing."))]


def screening_failures(candidate: Candidate, programme: Programme, *, today: date) -> list[GateFailure]:
    """The programme's basic requirements: age band today, sex, minimum education."""
    failures = []
    age = age_on(candidate.birth_date, today)
    if not programme.min_age <= age <= programme.max_age:
        failures.append(
            GateFailure(
                Gate.SCREENING,
                _("Screening: age %(age)s is outside the programme's %(min)s–%(max)s.")
                % {"age": age, "min": programme.min_age, "max": programme.max_age},
            )
        )
    if programme.required_sex and candidate.sex != programme.required_sex:
        failures.append(
            GateFailure(
                Gate.SCREENING,
                _("Screening: the programme is for %(sex)s candidates only.")
                % {"sex": programme.get_required_sex_display().lower()},
            )
        )
    if programme.min_education and Education.rank(candidate.education) < Education.rank(programme.min_education):
        failures.append(
            GateFailure(
                Gate.SCREENING,
                _("Screening: education %(has)s is below the required %(needs)s.")
                % {
                    "has": Education(candidate.education).label,
                    "needs": Education(programme.min_education).label,
                },
            )
        )
    return failures


def document_failures(programme: Programme, documents: Iterable[Document], *, today: date) -> list[GateFailure]:
    """Every required document type present, verified and not expired."""
    by_type: dict[str, list[Document]] = {}
    for doc in documents:
        by_type.setdefault(doc.doc_type, []).append(doc)
    missing, unverified, expired = [], [], []
    for doc_type in programme.required_documents:
        docs = by_type.get(doc_type, [])
        label = str(DocumentType(doc_type).label) if doc_type in DocumentType.values else doc_type
        if not docs:
            missing.append(label)
        elif not any(d.verified_at for d in docs):
            unverified.append(label)
        elif not any(d.verified_at and (d.expires_on is None or d.expires_on >= today) for d in docs):
            expired.append(label)
    failures = []
    if missing:
        failures.append(GateFailure(Gate.DOCUMENTS, _("Documents: missing %(list)s.") % {"list": ", ".join(missing)}))
    if unverified:
        failures.append(
            GateFailure(Gate.DOCUMENTS, _("Documents: not verified yet: %(list)s.") % {"list": ", ".join(unverified)})
        )
    if expired:
        failures.append(GateFailure(Gate.DOCUMENTS, _("Documents: expired: %(list)s.") % {"list": ", ".join(expired)}))
    return failures


def enrolment_failures(enrolments: Iterable[Enrolment]) -> list[GateFailure]:
    if any(True for _e in enrolments):
        return []
    return [GateFailure(Gate.ENROLMENT, _("Training: not enrolled in a training batch yet."))]


def training_failures(programme: Programme, enrolments: Iterable[Enrolment]) -> list[GateFailure]:
    """A passed training; the attended hours of passed enrolments add up to the programme's minimum."""
    passed = [e for e in enrolments if e.result == Enrolment.Result.PASSED]
    hours = sum(e.attended_hours for e in passed)
    if not passed:
        return [GateFailure(Gate.TRAINING, _("Training: no passed training yet."))]
    if hours < programme.min_training_hours:
        return [
            GateFailure(
                Gate.TRAINING,
                _("Training: %(hours)s attended hours in passed training, the programme requires %(min)s.")
                % {"hours": hours, "min": programme.min_training_hours},
            )
        ]
    return []


def language_level_label(test: str, score: int) -> str:
    if test == LanguageTest.JLPT:
        return f"N{score}"
    if test == LanguageTest.JFT:
        return f"A{score}"
    return str(score)


def language_meets(test: str, score: int, minimum: int) -> bool:
    """JLPT counts down (N1 is the highest, stored as 1); every other test counts up."""
    return score <= minimum if test == LanguageTest.JLPT else score >= minimum


def language_failures(programme: Programme, results: Iterable[LanguageResult], *, today: date) -> list[GateFailure]:
    test, minimum = programme.language_test, programme.min_language_score
    if not test or minimum is None:
        return []
    valid = [r for r in results if r.test == test and (r.valid_until is None or r.valid_until >= today)]
    needed = {"test": LanguageTest(test).label, "level": language_level_label(test, minimum)}
    if not valid:
        return [GateFailure(Gate.LANGUAGE, _("Language: no valid %(test)s result; needs %(level)s.") % needed)]
    if any(language_meets(test, r.score, minimum) for r in valid):
        return []
    best = min(r.score for r in valid) if test == LanguageTest.JLPT else max(r.score for r in valid)
    return [
        GateFailure(
            Gate.LANGUAGE,
            _("Language: %(test)s %(best)s is below the required %(level)s.")
            % {**needed, "best": language_level_label(test, best)},
        )
    ]


def selection_failures(placement: Placement) -> list[GateFailure]:
    failures = []
    if not placement.employer.strip():
        failures.append(GateFailure(Gate.SELECTION, _("Selection: no employer recorded.")))
    if not (placement.contract_start and placement.contract_end):
        failures.append(GateFailure(Gate.SELECTION, _("Selection: contract start and end dates are missing.")))
    return failures


def passport_failures(programme: Programme, documents: Iterable[Document], return_on: date | None) -> list[GateFailure]:
    """A passport valid the programme's months beyond the planned return."""
    passports = [d for d in documents if d.doc_type == DocumentType.PASSPORT]
    if not passports:
        return [GateFailure(Gate.PASSPORT, _("Passport: no passport on file."))]
    if return_on is None:
        return [
            GateFailure(
                Gate.PASSPORT,
                _("Passport: the planned return is unknown; join a cohort or record the planned return."),
            )
        ]
    dated = [d.expires_on for d in passports if d.expires_on]
    if not dated:
        return [GateFailure(Gate.PASSPORT, _("Passport: no expiry date recorded."))]
    needed = add_months(return_on, programme.passport_months_beyond_return)
    if max(dated) < needed:
        return [
            GateFailure(
                Gate.PASSPORT,
                _(
                    "Passport: expires on %(expires)s; it must be valid until %(needed)s "
                    "(%(months)s months beyond the planned return on %(return)s)."
                )
                % {
                    "expires": _d(max(dated)),
                    "needed": _d(needed),
                    "months": programme.passport_months_beyond_return,
                    "return": _d(return_on),
                },
            )
        ]
    return []


def departure_failures(placement: Placement) -> list[GateFailure]:
    failures = []
    if not (placement.visa_number and placement.visa_issued_on):
        failures.append(GateFailure(Gate.VISA, _("Visa: the visa number and issue date are not recorded.")))
    cohort = placement.cohort
    if cohort is None:
        failures.append(GateFailure(Gate.COHORT, _("Departure: the placement is not in a cohort.")))
    elif cohort.actual_departure is None:
        failures.append(
            GateFailure(
                Gate.COHORT,
                _("Departure: cohort %(cohort)s has not departed yet (departure not confirmed).")
                % {"cohort": cohort.name},
            )
        )
    return failures


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


def stage_requirements(placement: Placement, stage: str, *, today: date) -> list[GateFailure]:
    """What entering `stage` requires of this placement (consent is checked once per move)."""
    candidate, programme = placement.candidate, placement.programme
    if stage == PlacementStage.SCREENED:
        return screening_failures(candidate, programme, today=today)
    if stage == PlacementStage.DOCUMENTS_VERIFIED:
        return document_failures(programme, candidate.documents.all(), today=today)
    if stage == PlacementStage.IN_TRAINING:
        return enrolment_failures(placement.enrolments.all())
    if stage == PlacementStage.READY:
        return training_failures(programme, placement.enrolments.all()) + language_failures(
            programme, candidate.language_results.all(), today=today
        )
    if stage == PlacementStage.SELECTED:
        return selection_failures(placement)
    if stage == PlacementStage.VISA:
        return passport_failures(programme, candidate.documents.all(), planned_return(placement))
    if stage == PlacementStage.DEPARTED:
        return departure_failures(placement)
    if stage == PlacementStage.ABROAD:
        return arrival_failures(placement)
    if stage == PlacementStage.RETURNED:
        return return_failures(placement)
    return []


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
