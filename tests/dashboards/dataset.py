"""A small hand-built data set whose every dashboard number is worked out by hand in the tests.

Serang programme "P" (target 3 / 5 / 10, planned departure in 120 days, demand: nurse 4, courier 2)
with eleven Serang placements; Blitar has placements in its own programme and in the ministry
programme, which no Serang number may include.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from core.dates import latest_birth_date
from placements.models import Enrolment, PlacementStageEvent
from programmes.models import ProgrammeDemand
from tests.factories import (
    AgreementFactory,
    CandidateFactory,
    CohortFactory,
    OccupationFactory,
    PlacementFactory,
    ProgrammeFactory,
    TrainingBatchFactory,
    TrainingProviderFactory,
)

SERANG_KEC_A = "36.73.01"  # Serang
SERANG_KEC_B = "36.73.02"  # Kasemen


def aware(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time(10, 0)))


def birth_for_age(today: date, age: int) -> date:
    """A birth date that makes someone `age` years old today (100 days past the birthday)."""
    return latest_birth_date(today, age) - timedelta(days=100)


A, B = SERANG_KEC_A, SERANG_KEC_B
# key, stage, occupation, sex, age, kecamatan, education, registered days ago, departed days after, in cohort
PEOPLE = [
    (1, "registered", "nurse", "F", 20, A, "sma", 10, None, False),
    (2, "screened", "nurse", "M", 27, A, "smk", 40, None, False),
    (3, "in_training", "nurse", "F", 33, B, "sma", 70, None, False),
    (4, "ready", "courier", "M", 22, A, "sma", 100, None, False),
    (5, "selected", "courier", "F", 36, B, "d3", 100, None, True),
    (6, "departed", "nurse", "M", 41, A, "sma", 200, 30, False),
    (7, "abroad", "courier", "F", 29, B, "smk", 250, 50, False),
    (8, "returned", "nurse", "M", 46, A, "sma", 400, 100, False),
    (9, "withdrawn", "nurse", "M", 24, A, "smp", 40, None, True),
    (10, "absconded", "courier", "M", 31, B, "sma", 300, 60, False),
    (11, "registered", None, "F", 25, A, "sma", 5, None, False),
]


@dataclass
class DataSet:
    today: date
    programme: object
    nurse: object
    courier: object
    national_programme: object
    blitar_programme: object
    placements: dict
    cohort: object


@pytest.fixture
def data(serang, blitar) -> DataSet:
    today = timezone.localdate()
    programme = ProgrammeFactory(
        name="Programme P",
        agreement__municipality=serang,
        target_min=3,
        target=5,
        target_max=10,
        planned_departure=today + timedelta(days=120),
    )
    nurse = OccupationFactory(name="Asisten perawat", isco_code="5321", kbji_code="5321.01")
    courier = OccupationFactory(name="Kurir", isco_code="9621", kbji_code="9621")
    ProgrammeDemand.objects.create(programme=programme, occupation=nurse, requested=4)
    ProgrammeDemand.objects.create(programme=programme, occupation=courier, requested=2)
    cohort = CohortFactory(programme=programme, planned_departure=today + timedelta(days=30))

    occupations = {"nurse": nurse, "courier": courier, None: None}
    placements = {}
    for key, stage, occupation, sex, age, kec, education, days_ago, departed_after, in_cohort in PEOPLE:
        registered_on = today - timedelta(days=days_ago)
        candidate = CandidateFactory(
            municipality=serang,
            sex=sex,
            birth_date=birth_for_age(today, age),
            kecamatan_code=kec,
            education=education,
            registered_on=registered_on,
        )
        placements[key] = PlacementFactory(
            candidate=candidate,
            programme=programme,
            occupation=occupations[occupation],
            stage=stage,
            registered_on=registered_on,
            departed_on=registered_on + timedelta(days=departed_after) if departed_after is not None else None,
            cohort=cohort if in_cohort else None,
        )
    # Reaching Ready: 4 and 5 within the last 90 days, 6 long ago; 9 did too before withdrawing.
    for key, days_ago in [(4, 20), (5, 60), (6, 150), (9, 10)]:
        PlacementStageEvent.objects.create(
            placement=placements[key],
            from_stage="in_training",
            to_stage="ready",
            moved_at=aware(today - timedelta(days=days_ago)),
        )

    # Training: LPK Alpha (4 enrolments: 2 passed, 1 failed, 1 pending), BBPVP Beta (1 passed).
    alpha = TrainingProviderFactory(name="LPK Alpha", municipality=serang)
    beta = TrainingProviderFactory(name="BBPVP Beta", municipality=None)
    batch_a = TrainingBatchFactory(provider=alpha, programme=programme)
    batch_b = TrainingBatchFactory(provider=beta, programme=programme)
    for key, batch, result in [
        (3, batch_a, "pending"),
        (4, batch_a, "passed"),
        (5, batch_a, "passed"),
        (9, batch_a, "failed"),
        (6, batch_b, "passed"),
    ]:
        Enrolment.objects.create(batch=batch, placement=placements[key], result=result)

    # Blitar: its own programme, and two placements in the ministry programme Serang also sees.
    national_programme = ProgrammeFactory(name="Ministry programme M", agreement=AgreementFactory(municipality=None))
    blitar_programme = ProgrammeFactory(name="Blitar programme", agreement__municipality=blitar)
    for prog, stage in [
        (blitar_programme, "departed"),
        (national_programme, "ready"),
        (national_programme, "withdrawn"),
    ]:
        PlacementFactory(candidate=CandidateFactory(municipality=blitar), programme=prog, stage=stage)
    blitar_batch = TrainingBatchFactory(provider=alpha, programme=national_programme, municipality=blitar)
    Enrolment.objects.create(
        batch=blitar_batch,
        placement=PlacementFactory(
            candidate=CandidateFactory(municipality=blitar), programme=national_programme, stage="in_training"
        ),
        result="failed",
    )
    # One Serang placement in the ministry programme.
    PlacementFactory(candidate=CandidateFactory(municipality=serang), programme=national_programme, stage="screened")
    return DataSet(today, programme, nurse, courier, national_programme, blitar_programme, placements, cohort)
