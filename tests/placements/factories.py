"""Builders for placements at a given point of the pipeline, on top of tests/factories.py."""

from datetime import timedelta

from django.utils import timezone

from candidates.models import Candidate
from placements.models import Cohort, Placement
from programmes.models import AgreementStage, Programme
from tests.factories import (
    CandidateFactory,
    CohortFactory,
    DocumentFactory,
    EnrolmentFactory,
    LanguageResultFactory,
    PlacementFactory,
    ProgrammeFactory,
    TrainingBatchFactory,
)

REQUIRED = ["ktp", "passport", "health"]


def today():
    return timezone.localdate()


def ruled_programme(**overrides) -> Programme:
    """An EPS programme with every rule the gates read: documents, EPS-TOPIK 80, 240 hours, 36 months,
    under an active agreement (nobody departs before the agreement is signed)."""
    fields = dict(
        agreement__stage=AgreementStage.ACTIVE,
        required_documents=REQUIRED,
        language_test="eps_topik",
        min_language_score=80,
        min_training_hours=240,
        passport_months_beyond_return=6,
        contract_months=36,
        min_age=18,
        max_age=45,
    )
    fields.update(overrides)
    return ProgrammeFactory(**fields)


def verified_documents(candidate: Candidate, types=REQUIRED, **extra) -> None:
    for doc_type in types:
        DocumentFactory(candidate=candidate, doc_type=doc_type, verified_at=timezone.now(), **extra)


def passed_training(placement: Placement, hours: int = 240) -> None:
    EnrolmentFactory(
        placement=placement,
        batch=TrainingBatchFactory(programme=placement.programme, hours=max(hours, 1)),
        attended_hours=hours,
        result="passed",
        final_score=85,
    )


def departed_cohort(programme: Programme, **extra) -> Cohort:
    departure = today() - timedelta(days=2)
    return CohortFactory(
        programme=programme,
        planned_departure=departure,
        actual_departure=departure,
        return_due_on=departure + timedelta(days=3 * 365),
        **extra,
    )


def complete_placement(*, programme: Programme | None = None, **candidate_fields) -> Placement:
    """A placement at "registered" holding everything every gate needs; tests take away one thing."""
    programme = programme or ruled_programme()
    candidate = CandidateFactory(**candidate_fields)
    placement = PlacementFactory(candidate=candidate, programme=programme)
    verified_documents(candidate)
    LanguageResultFactory(candidate=candidate, score=120)
    passed_training(placement)
    placement.employer = "Changnyeong Logistics"
    placement.contract_start = today() + timedelta(days=30)
    placement.contract_end = today() + timedelta(days=30 + 3 * 365)
    placement.visa_number = "V1234567"
    placement.visa_issued_on = today()
    placement.cohort = departed_cohort(programme, municipality=candidate.municipality)
    placement.save()
    return placement
