"""The summary tables equal a recount from the rows, whatever happened to the rows.

Hypothesis draws sequences of the ways rows change in a real office: the services (start, move,
bulk move, enrolments, erasure, candidate edits), the candidates import, bulk QuerySet updates
that bypass every service (as the admin or a data fix would), bulk inserts and deletions. After
each sequence every summary must equal `dashboards.summaries.recount` over the tables.
"""

import contextlib
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candidates.imports import candidate_import_commit, candidate_import_validate
from candidates.models import Candidate
from core.choices import Education, Sex
from dashboards import summaries
from dashboards.models import BirthCount, CandidateCount, EnrolmentCount, ProfileCount, StageCount
from placements import services
from placements.gates import GateRefused
from placements.models import Enrolment, Placement, PlacementStage, PlacementStageEvent, TrainingBatch
from privacy.services import candidate_erase
from tests.candidates.test_imports import csv_file, row
from tests.factories import (
    CandidateFactory,
    EnrolmentFactory,
    OccupationFactory,
    PlacementFactory,
    ProgrammeFactory,
    TrainingBatchFactory,
)

pytestmark = pytest.mark.django_db

STAGES = [s.value for s in PlacementStage]


class World:
    """A small office: two municipalities, programmes, people with placements, batches."""

    def __init__(self, serang, blitar, staff, dpo):
        self.serang, self.blitar, self.staff, self.dpo = serang, blitar, staff, dpo
        self.programmes = [ProgrammeFactory(agreement__municipality=serang) for _ in range(2)]
        self.occupations = [OccupationFactory() for _ in range(2)]
        self.batches = [TrainingBatchFactory(programme=p, municipality=serang) for p in self.programmes]
        for i in range(6):
            PlacementFactory(
                candidate__municipality=serang,
                programme=self.programmes[i % 2],
                occupation=self.occupations[i % 2] if i % 3 else None,
                stage=STAGES[i * 2 % len(STAGES)],
            )

    def placement(self, i: int, **where) -> Placement | None:
        ids = list(Placement.objects.filter(**where).order_by("pk").values_list("pk", flat=True))
        return Placement.objects.get(pk=ids[i % len(ids)]) if ids else None

    def candidate(self, i: int) -> Candidate:
        """One of Serang's people (the staff and data-protection officer are Serang's)."""
        ids = list(Candidate.objects.filter(municipality=self.serang).order_by("pk").values_list("pk", flat=True))
        return Candidate.objects.get(pk=ids[i % len(ids)])


def start(w: World, i: int) -> None:
    candidate = CandidateFactory(municipality=w.serang, sex=Sex.values[i % 2])
    services.placement_start(
        candidate=candidate, programme=w.programmes[i % 2], user=w.staff, occupation=w.occupations[i % 2]
    )


def move(w: World, i: int) -> None:
    placement = w.placement(i, municipality=w.serang)
    if placement is None:
        return
    with contextlib.suppress(GateRefused):  # a move the gates refuse changes nothing
        services.placement_move(placement=placement, to_stage=STAGES[i % len(STAGES)], user=w.staff, reason="test")


def withdraw_all(w: World, i: int) -> None:
    placements = list(Placement.objects.open().filter(programme=w.programmes[i % 2], municipality=w.serang))
    services.placement_bulk_move(placements=placements, to_stage=PlacementStage.WITHDRAWN, user=w.staff, reason="x")


def bulk_stage(w: World, i: int) -> None:
    """A bulk UPDATE bypassing every service (the admin, a data fix)."""
    Placement.objects.filter(pk__in=Placement.objects.order_by("pk").values("pk")[: i % 4 + 1]).update(
        stage=STAGES[i % len(STAGES)], departed_on=timezone.localdate() - timedelta(days=i % 40)
    )


def bulk_profile(w: World, i: int) -> None:
    Candidate.objects.filter(pk__in=Candidate.objects.order_by("-pk").values("pk")[: i % 3 + 1]).update(
        sex=Sex.values[i % 2],
        education=Education.values[i % len(Education.values)],
        birth_date=timezone.localdate() - timedelta(days=365 * (18 + i % 30) + i),
        kecamatan_code=f"36.73.0{i % 6 + 1}",
    )


def move_municipality(w: World, i: int) -> None:
    placement = w.placement(i)
    if placement is not None:
        other = w.blitar if placement.municipality_id == w.serang.pk else w.serang
        Placement.objects.filter(pk=placement.pk).update(municipality=other)


def ready_event(w: World, i: int) -> None:
    placement = w.placement(i)
    if placement is not None:
        PlacementStageEvent.objects.bulk_create(
            [
                PlacementStageEvent(
                    placement=placement, to_stage="ready", moved_at=timezone.now() - timedelta(days=i % 120)
                )
            ]
        )


def delete_events(w: World, i: int) -> None:
    PlacementStageEvent.objects.filter(
        pk__in=PlacementStageEvent.objects.order_by("-pk").values("pk")[: i % 3]
    ).delete()


def enrol(w: World, i: int) -> None:
    placement = w.placement(i)
    if placement is not None:
        EnrolmentFactory(
            batch=w.batches[i % 2],
            placement=placement,
            result=Enrolment.Result.values[i % len(Enrolment.Result.values)],
        )


def enrolment_results(w: World, i: int) -> None:
    Enrolment.objects.filter(pk__in=Enrolment.objects.order_by("pk").values("pk")[: i % 3 + 1]).update(
        result=Enrolment.Result.values[i % len(Enrolment.Result.values)]
    )


def batch_programme(w: World, i: int) -> None:
    TrainingBatch.objects.filter(pk=w.batches[i % 2].pk).update(programme=w.programmes[(i + 1) % 2])


def delete_placement(w: World, i: int) -> None:
    placement = w.placement(i)
    if placement is not None:
        placement.delete()  # its events and enrolments go first (cascade)


def erase(w: World, i: int) -> None:
    candidate_erase(user=w.dpo, candidate=w.candidate(i))


def import_people(w: World, i: int) -> None:
    rows = [row(w.serang, 900 + i * 3 + k) for k in range(2)]
    preview = candidate_import_validate(user=w.staff, uploaded_file=csv_file(rows))
    assert preview.error_count == 0, preview.errors
    if preview.create_count:  # the same rows drawn twice: the second time they exist already
        candidate_import_commit(user=w.staff, preview_token=preview.token)


def bulk_create_placements(w: World, i: int) -> None:
    people = CandidateFactory.create_batch(2, municipality=w.blitar)
    Placement.objects.bulk_create(
        [
            Placement(
                candidate=c,
                programme=w.programmes[i % 2],
                municipality=w.blitar,
                stage=STAGES[(i + k) % len(STAGES)],
                stage_changed_at=timezone.now(),
                registered_on=timezone.localdate() - timedelta(days=30 * k),
            )
            for k, c in enumerate(people)
        ]
    )


ACTIONS = [
    start,
    move,
    withdraw_all,
    bulk_stage,
    bulk_profile,
    move_municipality,
    ready_event,
    delete_events,
    enrol,
    enrolment_results,
    batch_programme,
    delete_placement,
    erase,
    import_people,
    bulk_create_placements,
]


@pytest.fixture
def world(serang, blitar, serang_staff, serang_dpo):
    return World(serang, blitar, serang_staff, serang_dpo)


def test_the_starting_world_is_counted(world):
    assert StageCount.objects.filter(n__gt=0).exists()
    assert ProfileCount.objects.filter(dimension="sex", n__gt=0).exists()
    assert BirthCount.objects.filter(n__gt=0).exists()
    assert (
        CandidateCount.objects.get(municipality=world.serang).n
        == Candidate.objects.filter(municipality=world.serang).count()
    )
    assert summaries.differences() == {}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(min_value=0, max_value=50)), max_size=8))
def test_every_summary_equals_a_recount_after_any_sequence_of_changes(world, steps):
    with transaction.atomic():
        for action, i in steps:
            action(world, i)
        assert summaries.differences() == {}, [action.__name__ for action, _i in steps]
        transaction.set_rollback(True)  # the next example starts from the same world


def test_each_kind_of_change_alone_keeps_the_summaries(world):
    """Every action at least once, so a sequence Hypothesis never draws is still proven."""
    for i, action in enumerate(ACTIONS):
        action(world, i + 3)
        assert summaries.differences() == {}, action.__name__
    assert EnrolmentCount.objects.filter(n__gt=0).exists()
    assert ProfileCount.objects.filter(dimension="ready", n__gt=0).exists()


def test_a_recount_repairs_a_summary_changed_by_hand(world):
    StageCount.objects.filter(n__gt=0).update(n=999)
    assert summaries.differences()
    from django.db import connection

    with connection.cursor() as cursor:
        summaries.rebuild_all(cursor)
    assert summaries.differences() == {}
