"""The worker counts (protection.summaries) equal a recount from the rows after any sequence of
changes, and the dashboard and overdue counts read from them equal the worker list's own filters
(with_contact_status over each placement) on every day."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candidates.models import Candidate
from placements.models import Placement
from protection import selectors, services, summaries
from protection.models import Case, Contact, ProtectionSettings, WorkerCount
from tests.factories import CandidateFactory, PlacementFactory, ProgrammeFactory
from tests.protection.conftest import abroad_placement

pytestmark = pytest.mark.django_db

STAGES = ["departed", "abroad", "returned", "absconded", "repatriated", "visa", "ready"]
CASE_TYPES = [t.value for t in Case.Type]
STATUSES = [s.value for s in Case.Status]


class World:
    def __init__(self, serang, blitar, staff):
        self.serang, self.blitar, self.staff = serang, blitar, staff
        self.programmes = [ProgrammeFactory(agreement__municipality=serang) for _ in range(2)]
        ProtectionSettings.objects.create(programme=self.programmes[1], contact_interval_days=30)
        for i in range(6):
            abroad_placement(municipality=serang, programme=self.programmes[i % 2], days_ago=5 + i * 9)
        PlacementFactory(candidate__municipality=serang, programme=self.programmes[0], stage="returned")

    def placement(self, i: int) -> Placement:
        ids = list(Placement.objects.order_by("pk").values_list("pk", flat=True))
        return Placement.objects.get(pk=ids[i % len(ids)])


def contact(w: World, i: int) -> None:
    placement = w.placement(i)
    Contact.objects.create(
        placement=placement,
        municipality_id=placement.municipality_id,
        contacted_on=timezone.localdate() - timedelta(days=i % 50),
        channel="phone",
        wellbeing="good",
        contacted_by=w.staff,
    )


def contact_service(w: World, i: int) -> None:
    placement = w.placement(i)
    if placement.municipality_id == w.serang.pk and placement.stage in selectors.ABROAD:
        services.contact_create(
            user=w.staff,
            placement=placement,
            contacted_on=timezone.localdate() - timedelta(days=i % 3),
            channel="phone",
            wellbeing="good",
        )


def move_contacts(w: World, i: int) -> None:
    Contact.objects.filter(pk__in=Contact.objects.order_by("pk").values("pk")[: i % 3 + 1]).update(
        contacted_on=timezone.localdate() - timedelta(days=i % 70)
    )


def delete_contacts(w: World, i: int) -> None:
    Contact.objects.filter(pk__in=Contact.objects.order_by("-pk").values("pk")[: i % 2 + 1]).delete()


def case(w: World, i: int) -> None:
    placement = w.placement(i)
    Case.objects.create(
        placement=placement,
        municipality_id=placement.municipality_id,
        case_type=CASE_TYPES[i % len(CASE_TYPES)],
        severity="high",
        reported_by="worker",
        reported_at=timezone.now(),
        summary="x",
        opened_by=w.staff,
        first_action_due=timezone.now() + timedelta(days=1),
        outcome="done" if STATUSES[i % len(STATUSES)] == "closed" else "",
        status=STATUSES[i % len(STATUSES)],
        escalated_to="ministry" if STATUSES[i % len(STATUSES)] == "escalated" else "",
    )


def case_status(w: World, i: int) -> None:
    status = ["open", "resolved", "in_progress"][i % 3]
    Case.objects.filter(pk__in=Case.objects.order_by("pk").values("pk")[: i % 2 + 1]).update(status=status)


def stage(w: World, i: int) -> None:
    Placement.objects.filter(pk=w.placement(i).pk).update(
        stage=STAGES[i % len(STAGES)], departed_on=timezone.localdate() - timedelta(days=i)
    )


def kecamatan(w: World, i: int) -> None:
    Candidate.objects.filter(pk=w.placement(i).candidate_id).update(kecamatan_code=f"36.73.0{i % 6 + 1}")


def cohort_and_municipality(w: World, i: int) -> None:
    Placement.objects.filter(pk=w.placement(i).pk).update(cohort=None, municipality=w.blitar)


def new_worker(w: World, i: int) -> None:
    abroad_placement(municipality=w.serang, programme=w.programmes[i % 2], days_ago=i, candidate=CandidateFactory())


def delete_worker(w: World, i: int) -> None:
    placement = w.placement(i)
    Case.objects.filter(placement=placement).delete()
    placement.delete()


ACTIONS = [
    contact,
    contact_service,
    move_contacts,
    delete_contacts,
    case,
    case_status,
    stage,
    kecamatan,
    cohort_and_municipality,
    new_worker,
    delete_worker,
]


@pytest.fixture
def world(serang, blitar, serang_staff):
    return World(serang, blitar, serang_staff)


def assert_counts_agree_with_the_worker_list(user, day):
    """The dashboard's figures (from the counts) equal the worker list's filters (per placement)."""
    workers = selectors.worker_list(user=user, today=day)
    board = selectors.protection_dashboard(user=user, today=day)
    for state, figure in (("departed", "departed"), ("abroad", "abroad"), ("overdue", "overdue")):
        assert getattr(board.total, figure) == workers.filter(selectors.WORKER_STATES[state]).count(), (state, day)
    assert board.total.at_risk == workers.filter(selectors.WORKER_STATES["at_risk"]).count(), day
    assert board.total.contacted == workers.filter(selectors.WORKER_STATES["contacted"]).count(), day
    assert selectors.overdue_contact_count(user=user, today=day) == board.total.overdue


def test_the_starting_world_is_counted_and_agrees_with_the_list_on_any_day(world):
    assert WorkerCount.objects.filter(n__gt=0, contact_clock_from__isnull=False).exists()
    assert summaries.differences() == {}
    today = timezone.localdate()
    for day in (today, today + timedelta(days=10), today + timedelta(days=40)):
        assert_counts_agree_with_the_worker_list(world.staff, day)
    assert selectors.overdue_contact_count(user=world.staff, today=today) > 0


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(min_value=0, max_value=60)), max_size=8))
def test_the_counts_equal_a_recount_and_the_worker_list_after_any_changes(world, steps):
    with transaction.atomic():
        for action, i in steps:
            action(world, i)
        assert summaries.differences() == {}, [action.__name__ for action, _i in steps]
        assert_counts_agree_with_the_worker_list(world.staff, timezone.localdate())
        transaction.set_rollback(True)


def test_each_kind_of_change_alone_keeps_the_counts(world):
    for i, action in enumerate(ACTIONS):
        action(world, i + 2)
        assert summaries.differences() == {}, action.__name__
        assert_counts_agree_with_the_worker_list(world.staff, timezone.localdate())
