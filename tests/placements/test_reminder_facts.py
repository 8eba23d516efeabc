"""The reminder facts (placements.reminder_facts) agree with the reminder querysets, whatever happened.

Hypothesis draws sequences of the ways the rows the two document rules read change: documents added,
expired, renewed, retyped, moved to another person and deleted; cohorts' planned departure moved,
departure confirmed or undone, return date changed, cohorts deleted; placements moved between
stages, cohorts, programmes and municipalities, their planned return changed, added in bulk and
deleted; a programme's passport months changed; a person deleted with everything. Through model
saves and QuerySet.update / bulk_create / delete alike (the triggers are statement-level). After
each sequence the facts equal a recount, equal placement by placement what `_documents` and
`_passports` return, and `reminders_count` equals the count the querysets give.
"""

import contextlib
from collections import Counter
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candidates.models import Candidate, Document
from placements import extensions, reminder_facts
from placements.models import Cohort, Placement, PlacementReminder
from placements.reminders import (
    ScopeUser,
    _agreements,
    _cohorts,
    _document_count,
    _documents,
    _licences,
    _passport_count,
    _passports,
    reminders_count,
)
from programmes.models import Programme
from tests.factories import CandidateFactory, CohortFactory, DocumentFactory, PlacementFactory, ProgrammeFactory, today

pytestmark = pytest.mark.django_db

STAGES = ["registered", "screened", "ready", "selected", "visa", "departed", "abroad", "returned", "withdrawn"]
DOC_TYPES = ["passport", "health", "skck", "ktp"]


class World:
    """Two offices, two programmes (passport 6 and 3 months beyond return), cohorts departing in about
    two months, people at every stage with documents expiring around the departure."""

    def __init__(self, serang, blitar):
        self.serang, self.blitar = serang, blitar
        self.departure = today() + timedelta(days=60)
        self.programmes = [
            ProgrammeFactory(agreement__municipality=serang, passport_months_beyond_return=months) for months in (6, 3)
        ]
        self.cohorts = [
            CohortFactory(
                programme=self.programmes[k % 2],
                municipality=serang,
                planned_departure=self.departure + timedelta(days=10 * k),
                return_due_on=self.departure + timedelta(days=365 + 30 * k) if k != 1 else None,
            )
            for k in range(3)
        ]
        for i in range(8):
            municipality = serang if i % 3 else blitar
            placement = PlacementFactory(
                candidate__municipality=municipality,
                programme=self.programmes[i % 2],
                municipality=municipality,
                stage=STAGES[i % len(STAGES)],
                cohort=self.cohorts[i % 3] if i % 4 else None,
                planned_return_on=self.departure + timedelta(days=400) if i % 2 else None,
            )
            for k in range(i % 3 + 1):
                self.document(placement.candidate, i + k)

    def document(self, candidate, i: int) -> Document:
        return DocumentFactory(
            candidate=candidate, doc_type=DOC_TYPES[i % len(DOC_TYPES)], issued_on=None, expires_on=self.expiry(i)
        )

    def expiry(self, i: int):
        """Around the departure (before or after), around a passport's needed date, or none."""
        if i % 7 == 6:
            return None
        return self.departure + timedelta(days=[-30, -1, 5, 200, 500, 600, 900][i % 7])

    def pick(self, model, i: int, **where):
        ids = list(model.objects.filter(**where).order_by("pk").values_list("pk", flat=True))
        return model.objects.get(pk=ids[i % len(ids)]) if ids else None

    def some(self, model, i: int):
        """A QuerySet of a few rows of `model` (for bulk updates and deletions)."""
        return model.objects.filter(pk__in=model.objects.order_by("pk").values("pk")[i % 3 : i % 3 + 1 + i % 4])


def _may_refuse(write) -> None:
    """Run `write`; one the constraints refuse (one open placement per person and programme, a
    cohort's dates) changes nothing."""
    with contextlib.suppress(IntegrityError), transaction.atomic():
        write()


# --- documents ---


def add_document(w: World, i: int) -> None:
    candidate = w.pick(Candidate, i)
    if candidate is not None:
        w.document(candidate, i)


def expire_documents(w: World, i: int) -> None:
    w.some(Document, i).update(expires_on=w.departure - timedelta(days=i % 20 + 1))


def renew_document(w: World, i: int) -> None:
    document = w.pick(Document, i)
    if document is not None:
        document.expires_on = w.departure + timedelta(days=1000 + i)
        document.save()


def retype_documents(w: World, i: int) -> None:
    w.some(Document, i).update(doc_type=DOC_TYPES[i % len(DOC_TYPES)])


def hand_document_over(w: World, i: int) -> None:
    """A document filed under the wrong person, corrected."""
    candidate = w.pick(Candidate, i + 1)
    if candidate is not None:
        w.some(Document, i).update(candidate=candidate)


def delete_document(w: World, i: int) -> None:
    document = w.pick(Document, i)
    if document is not None:
        document.delete()


def delete_documents(w: World, i: int) -> None:
    w.some(Document, i).delete()


# --- cohorts ---


def move_departure(w: World, i: int) -> None:
    departure = w.departure + timedelta(days=i % 60 - 30)
    _may_refuse(lambda: w.some(Cohort, i).update(planned_departure=departure))


def confirm_departure(w: World, i: int) -> None:
    cohort = w.pick(Cohort, i)
    if cohort is not None:
        cohort.actual_departure = cohort.planned_departure
        _may_refuse(cohort.save)


def undo_departure(w: World, i: int) -> None:
    Cohort.objects.filter(actual_departure__isnull=False).update(actual_departure=None)


def change_return(w: World, i: int) -> None:
    back = None if i % 5 == 0 else w.departure + timedelta(days=300 + 20 * (i % 10))
    _may_refuse(lambda: w.some(Cohort, i).update(return_due_on=back))


def delete_cohort(w: World, i: int) -> None:
    cohort = w.pick(Cohort, i)
    if cohort is not None:
        cohort.delete()  # its placements keep going without one (SET NULL)


def add_cohort(w: World, i: int) -> None:
    CohortFactory(
        programme=w.programmes[i % 2], municipality=w.serang, planned_departure=w.departure + timedelta(days=i % 15)
    )


# --- placements ---


def move_stage(w: World, i: int) -> None:
    placement = w.pick(Placement, i)
    if placement is not None:
        placement.stage = STAGES[i % len(STAGES)]
        _may_refuse(placement.save)


def bulk_stage(w: World, i: int) -> None:
    _may_refuse(lambda: w.some(Placement, i).update(stage=STAGES[(i + 3) % len(STAGES)]))


def change_cohort(w: World, i: int) -> None:
    cohort = w.pick(Cohort, i) if i % 4 else None
    w.some(Placement, i).update(cohort=cohort)


def change_programme(w: World, i: int) -> None:
    _may_refuse(lambda: w.some(Placement, i).update(programme=w.programmes[i % 2]))


def change_municipality(w: World, i: int) -> None:
    w.some(Placement, i).update(municipality=w.blitar if i % 2 else w.serang)


def change_planned_return(w: World, i: int) -> None:
    back = None if i % 3 == 0 else w.departure + timedelta(days=200 + 50 * (i % 8))
    w.some(Placement, i).update(planned_return_on=back)


def add_placements(w: World, i: int) -> None:
    people = CandidateFactory.create_batch(2, municipality=w.serang)
    for k, person in enumerate(people):
        w.document(person, i + k)
    Placement.objects.bulk_create(
        [
            Placement(
                candidate=person,
                programme=w.programmes[(i + k) % 2],
                municipality=w.serang,
                stage=STAGES[(i + k) % len(STAGES)],
                stage_changed_at=timezone.now(),
                registered_on=today(),
                cohort=w.pick(Cohort, i + k),
                planned_return_on=w.departure + timedelta(days=300),
            )
            for k, person in enumerate(people)
        ]
    )


def second_placement(w: World, i: int) -> None:
    """The same person in the other programme: one document, two placements' facts."""
    placement = w.pick(Placement, i)
    if placement is not None:
        other = w.programmes[1] if placement.programme_id == w.programmes[0].pk else w.programmes[0]
        _may_refuse(
            lambda: PlacementFactory(
                candidate=placement.candidate,
                programme=other,
                municipality=placement.municipality,
                stage=STAGES[i % len(STAGES)],
                cohort=w.pick(Cohort, i),
            )
        )


def delete_placement(w: World, i: int) -> None:
    placement = w.pick(Placement, i)
    if placement is not None:
        placement.delete()


def delete_person(w: World, i: int) -> None:
    """A person deleted with their placements and documents (the documents go by cascade)."""
    candidate = w.pick(Candidate, i)
    if candidate is not None:
        Placement.objects.filter(candidate=candidate).delete()
        candidate.delete()


# --- programmes ---


def passport_months(w: World, i: int) -> None:
    programme = w.programmes[i % 2]
    programme.refresh_from_db()
    programme.passport_months_beyond_return = i % 13
    programme.save()


def bulk_passport_months(w: World, i: int) -> None:
    Programme.objects.filter(pk__in=[p.pk for p in w.programmes]).update(passport_months_beyond_return=i % 10)


ACTIONS = [
    add_document,
    expire_documents,
    renew_document,
    retype_documents,
    hand_document_over,
    delete_document,
    delete_documents,
    move_departure,
    confirm_departure,
    undo_departure,
    change_return,
    delete_cohort,
    add_cohort,
    move_stage,
    bulk_stage,
    change_cohort,
    change_programme,
    change_municipality,
    change_planned_return,
    add_placements,
    second_placement,
    delete_placement,
    delete_person,
    passport_months,
    bulk_passport_months,
]


def _orm_count(user) -> int:
    """reminders_count as it was before the facts: every kind counted by its queryset."""
    day = today()
    kinds = (_documents(user), _passports(user), _cohorts(user, day), _agreements(user, day), _licences(user, day))
    own = sum(qs.count() for qs in kinds)
    return own + sum(source.count(user=user, today=day) for source in extensions.reminder_sources(user))


def assert_facts_agree(w: World, users) -> None:
    assert reminder_facts.differences() == []
    everyone = ScopeUser()
    # Placement by placement: as many document types due as _documents has rows for it ...
    expected_documents = Counter(row["pk"] for row in _documents(everyone))
    held_documents = dict(
        PlacementReminder.objects.filter(documents_due__gt=0).values_list("placement_id", "documents_due")
    )
    assert held_documents == dict(expected_documents)
    # ... and a passport due exactly for the placements _passports returns.
    expected_passports = set(_passports(everyone).values_list("pk", flat=True))
    assert set(PlacementReminder.objects.filter(passport_due=True).values_list("placement_id", flat=True)) == (
        expected_passports
    )
    # Every placement has its row; no row outlives its placement.
    assert set(PlacementReminder.objects.values_list("placement_id", flat=True)) == set(
        Placement.objects.values_list("pk", flat=True)
    )
    for user in (everyone, ScopeUser(municipality_id=w.serang.pk), ScopeUser(municipality_id=w.blitar.pk), *users):
        assert _document_count(user) == _documents(user).count()
        assert _passport_count(user) == _passports(user).count()
        assert reminders_count(user=user) == _orm_count(user)


@pytest.fixture
def world(serang, blitar):
    return World(serang, blitar)


def test_the_starting_world_has_both_reminders_and_the_facts_hold_them(world, serang_staff, blitar_staff):
    assert PlacementReminder.objects.filter(documents_due__gt=0).exists()
    assert PlacementReminder.objects.filter(passport_due=True).exists()
    assert PlacementReminder.objects.filter(documents_due=0, passport_due=False).exists()
    assert _document_count(ScopeUser()) == _documents(ScopeUser()).count() > 0
    assert _passport_count(ScopeUser()) == _passports(ScopeUser()).count() > 0
    assert_facts_agree(world, [serang_staff, blitar_staff])


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(min_value=0, max_value=60)), max_size=10))
def test_the_facts_agree_with_the_querysets_after_any_sequence_of_changes(world, serang_staff, steps):
    drawn = [(action.__name__, i) for action, i in steps]
    with transaction.atomic():
        for action, i in steps:
            action(world, i)
            # After every step (a later step could mend what an earlier one left stale) ...
            assert reminder_facts.differences() == [], drawn
        try:  # ... and, at the end, against the querysets themselves.
            assert_facts_agree(world, [serang_staff])
        except AssertionError as failure:
            raise AssertionError(drawn) from failure
        transaction.set_rollback(True)  # the next example starts from the same world


def test_each_kind_of_change_alone_keeps_the_facts(world, serang_staff):
    """Every action at least once (several draws each), so a sequence Hypothesis never draws is still proven."""
    for i, action in enumerate(ACTIONS * 3):
        action(world, i + 1)
        try:
            assert_facts_agree(world, [serang_staff])
        except AssertionError as failure:
            raise AssertionError(action.__name__) from failure


def test_a_placement_whose_document_is_renewed_leaves_the_count(world):
    everyone = ScopeUser()
    placement = PlacementFactory(
        candidate__municipality=world.serang,
        programme=world.programmes[0],
        municipality=world.serang,
        stage="ready",
        cohort=world.cohorts[0],
    )
    before = _document_count(everyone)
    late = DocumentFactory(
        candidate=placement.candidate, doc_type="health", issued_on=None, expires_on=world.departure - timedelta(days=1)
    )
    assert PlacementReminder.objects.get(placement=placement).documents_due == 1
    assert _document_count(everyone) == before + 1
    DocumentFactory(
        candidate=placement.candidate, doc_type="health", issued_on=None, expires_on=world.departure + timedelta(days=1)
    )
    assert PlacementReminder.objects.get(placement=placement).documents_due == 0
    assert _document_count(everyone) == before
    late.delete()
    Cohort.objects.filter(pk=world.cohorts[0].pk).update(planned_departure=world.departure + timedelta(days=5))
    assert PlacementReminder.objects.get(placement=placement).documents_due == 1
    assert_facts_agree(world, [])


def test_a_recount_repairs_facts_changed_by_hand(world):
    PlacementReminder.objects.update(documents_due=7, passport_due=True)
    assert reminder_facts.differences()
    with connection.cursor() as cursor:
        reminder_facts.rebuild_all(cursor)
    assert reminder_facts.differences() == []
    assert_facts_agree(world, [])


def test_the_count_costs_the_same_queries_whatever_the_data(world, serang_staff):
    assert not serang_staff.sees_all_municipalities  # also loads the permission cache
    with CaptureQueriesContext(connection) as few:
        counted_few = _document_count(serang_staff) + _passport_count(serang_staff)
    for i in range(3):
        add_placements(world, i)
        add_placements(world, i + 4)
    with CaptureQueriesContext(connection) as many:
        counted_many = _document_count(serang_staff) + _passport_count(serang_staff)
    assert counted_many > counted_few  # the new placements brought reminders
    assert len(few.captured_queries) == len(many.captured_queries) == 2
    assert all("placements_placementreminder" in q["sql"] for q in many.captured_queries)
