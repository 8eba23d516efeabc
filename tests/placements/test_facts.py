"""placements.facts: the eligibility facts the database keeps per candidate (migration 0011's triggers)
equal a recount from the rows after any sequence of changes, whichever way the rows change (the ORM
one row at a time, bulk updates and bulk inserts, deletions by cascade, erasure, a transfer); and the
shortlist built on them lists exactly the candidates whose Python checks pass.
"""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from candidates.models import Candidate, Document, LanguageResult
from core.choices import DocumentType
from placements import facts
from placements.eligibility import Criteria
from placements.models import CandidateFacts, Enrolment, Placement
from placements.requirements import PASSPORT, TRAINING, shortfalls
from privacy.services import candidate_erase
from tests.conftest import make_user
from tests.factories import (
    CandidateFactory,
    DocumentFactory,
    EnrolmentFactory,
    LanguageResultFactory,
    PlacementFactory,
    ProgrammeFactory,
    TrainingBatchFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DOC_TYPES = [DocumentType.PASSPORT.value, DocumentType.KTP.value, DocumentType.HEALTH.value]
# Expiry dates around the day the programme below is measured on (its planned departure), and none.
EXPIRIES = [
    None,
    TODAY - timedelta(days=1),
    TODAY + timedelta(days=99),
    TODAY + timedelta(days=100),
    TODAY + timedelta(days=4000),
]
RESULTS = [Enrolment.Result.PASSED, Enrolment.Result.FAILED, Enrolment.Result.PENDING]


def expected_facts() -> dict[int, tuple]:
    """Each candidate's facts by the Python rules (placements.requirements) over their rows."""
    found = {}
    for c in Candidate.objects.prefetch_related("documents", "placements__enrolments"):
        docs = list(c.documents.all())
        valid: dict[str, str] = {}
        for d in docs:
            if d.verified_at is None:
                continue
            # ISO dates order as strings, and "infinity" after every one of them, as in the database.
            until = "infinity" if d.expires_on is None else d.expires_on.isoformat()
            valid[d.doc_type] = max(valid.get(d.doc_type, ""), until)
        enrolments = [e for p in c.placements.all() for e in p.enrolments.all()]
        found[c.pk] = (c.municipality_id, PASSPORT.latest_expiry(docs), TRAINING.hours(enrolments), valid)
    return found


def stored_facts() -> dict[int, tuple]:
    return {
        f.candidate_id: (f.municipality_id, f.passport_expires_on, f.training_hours, f.documents)
        for f in CandidateFacts.objects.all()
    }


def assert_facts_kept():
    """The stored facts equal the set-based recount (placements.facts) and the Python rules."""
    with connection.cursor() as cursor:
        assert facts.mismatches(cursor) == []
    assert stored_facts() == expected_facts()


# --- a world to change at random --------------------------------------------------------------------


@pytest.fixture
def world(serang, blitar, superuser):
    programme = ProgrammeFactory(
        planned_departure=TODAY + timedelta(days=100),
        contract_months=36,
        min_age=18,
        max_age=45,
        required_sex="",
        min_education="",
        required_documents=["ktp", "passport"],
        health_certificate_required=True,
        language_test="eps_topik",
        min_language_score=80,
        min_training_hours=100,
    )
    people = [CandidateFactory(municipality=serang, sex="F", education="sma") for _ in range(4)]
    # Two finished seasons each for the first three (training counts over every season); the fourth
    # has no placement, so that it can be deleted.
    placements = [
        PlacementFactory(candidate=person, stage="returned", programme__agreement__municipality=serang)
        for person in people[:3]
        for _ in range(2)
    ]
    batches = [TrainingBatchFactory(programme=programme) for _ in range(3)]
    viewer = make_user("facts.viewer", Role.NATIONAL_VIEWER, None)
    return {
        "programme": programme,
        "people": people,
        "placements": placements,
        "batches": batches,
        "munis": [serang, blitar],
        "superuser": superuser,
        "viewer": viewer,
    }


def pick(items: list, i: int):
    return items[i % len(items)] if items else None


def run(step: tuple, w: dict) -> None:
    """One change of the rows, the way the application (or an import, the admin, a script) makes it."""
    kind, a, b, c = step
    people = list(Candidate.objects.order_by("pk"))
    docs = list(Document.objects.order_by("pk"))
    placements = list(Placement.objects.order_by("pk"))
    enrolments = list(Enrolment.objects.order_by("pk"))
    now = timezone.now()
    if kind == "add_document" and people:
        DocumentFactory(
            candidate=pick(people, a),
            doc_type=pick(DOC_TYPES, b),
            issued_on=None,
            expires_on=pick(EXPIRIES, c),
            verified_at=now if c % 2 else None,
        )
    elif kind == "verify" and docs:
        doc = pick(docs, a)
        doc.verified_at = None if doc.verified_at else now
        doc.save()
    elif kind == "expire" and docs:
        doc = pick(docs, a)
        doc.expires_on = pick(EXPIRIES, b)
        doc.save()
    elif kind == "retype" and docs:
        Document.objects.filter(pk=pick(docs, a).pk).update(doc_type=pick(DOC_TYPES, b))
    elif kind == "move_document" and docs and people:
        Document.objects.filter(pk=pick(docs, a).pk).update(candidate=pick(people, b))
    elif kind == "delete_document" and docs:
        pick(docs, a).delete()
    elif kind == "bulk_update_documents" and people:
        Document.objects.filter(candidate=pick(people, a)).update(
            expires_on=pick(EXPIRIES, b), verified_at=now if c % 2 else None
        )
    elif kind == "bulk_create_documents" and people:
        Document.objects.bulk_create(
            Document(candidate=p, doc_type=pick(DOC_TYPES, b + i), expires_on=pick(EXPIRIES, c + i), verified_at=now)
            for i, p in enumerate(people)
        )
    elif kind == "bulk_delete_documents":
        Document.objects.filter(doc_type=pick(DOC_TYPES, a)).delete()
    elif kind == "language" and people:
        LanguageResultFactory(candidate=pick(people, a), score=60 + 10 * (b % 5))
    elif kind == "delete_language":
        LanguageResult.objects.filter(score__lt=80).delete()
    elif kind == "enrol" and placements:
        placement, batch = pick(placements, a), pick(w["batches"], b)
        Enrolment.objects.update_or_create(
            placement=placement, batch=batch, defaults={"attended_hours": 20 * (c % 7), "result": pick(RESULTS, c)}
        )
    elif kind == "result" and enrolments:
        enrolment = pick(enrolments, a)
        enrolment.result = pick(RESULTS, b)
        enrolment.save()
    elif kind == "hours" and enrolments:
        enrolment = pick(enrolments, a)
        enrolment.attended_hours = 30 * (b % 6)
        enrolment.save()
    elif kind == "bulk_update_enrolments":
        Enrolment.objects.filter(attended_hours__gte=20 * (a % 4)).update(result=pick(RESULTS, b))
    elif kind == "bulk_create_enrolments" and placements:
        taken = set(Enrolment.objects.values_list("placement_id", "batch_id"))
        Enrolment.objects.bulk_create(
            Enrolment(placement=p, batch=pick(w["batches"], a), attended_hours=40 + b, result=pick(RESULTS, c))
            for p in placements
            if (p.pk, pick(w["batches"], a).pk) not in taken
        )
    elif kind == "delete_enrolment" and enrolments:
        pick(enrolments, a).delete()
    elif kind == "delete_placement" and placements:
        pick(placements, a).delete()  # its enrolments go with it
    elif kind == "move_placement" and placements and people:
        Placement.objects.filter(pk=pick(placements, a).pk).update(candidate=pick(people, b))
    elif kind == "transfer" and people:
        Candidate.objects.filter(pk=pick(people, a).pk).update(municipality=pick(w["munis"], b))
    elif kind == "erase" and people:
        candidate_erase(user=w["superuser"], candidate=pick(people, a), today=TODAY)
    elif kind == "new_candidate":
        CandidateFactory(municipality=pick(w["munis"], a))
    elif kind == "bulk_create_candidates":
        Candidate.objects.bulk_create(CandidateFactory.build(municipality=pick(w["munis"], a)) for _ in range(2))
    elif kind == "delete_candidate":
        # Those without a placement (a placement protects its person); documents go with them.
        free = [p for p in people if not Placement.objects.filter(candidate=p).exists()]
        if free:
            pick(free, a).delete()


KINDS = [
    "add_document",
    "verify",
    "expire",
    "retype",
    "move_document",
    "delete_document",
    "bulk_update_documents",
    "bulk_create_documents",
    "bulk_delete_documents",
    "language",
    "delete_language",
    "enrol",
    "result",
    "hours",
    "bulk_update_enrolments",
    "bulk_create_enrolments",
    "delete_enrolment",
    "delete_placement",
    "move_placement",
    "transfer",
    "erase",
    "new_candidate",
    "bulk_create_candidates",
    "delete_candidate",
]
steps = st.lists(
    st.tuples(st.sampled_from(KINDS), st.integers(0, 11), st.integers(0, 11), st.integers(0, 11)),
    min_size=1,
    max_size=12,
)


def assert_shortlist_equals_gates(w: dict) -> None:
    """The eligible list is exactly who passes every Python check; the missing list everyone else."""
    criteria = Criteria.for_programme(w["programme"], today=TODAY)
    eligible = set(criteria.eligible(w["viewer"]).values_list("pk", flat=True))
    missing = set(criteria.ineligible(w["viewer"]).values_list("pk", flat=True))
    everyone = set(Candidate.objects.values_list("pk", flat=True))  # nobody has an open placement here
    passing = {
        c.pk
        for c in Candidate.objects.all()
        if not shortfalls(criteria.requirements, criteria.basis, criteria.facts(c))
    }
    assert eligible == passing
    assert missing == everyone - passing


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(steps=steps)
def test_facts_equal_a_recount_after_any_changes(world, steps):
    # Each example starts from the same world: its changes are rolled back at the end.
    with transaction.atomic():
        for step in steps:
            run(step, world)
        assert_facts_kept()
        assert_shortlist_equals_gates(world)
        transaction.set_rollback(True)


def test_the_random_world_can_reach_the_eligible_list(world):
    """The random test starts from a world where a few changes make someone eligible (both lists are reachable)."""
    person = world["people"][0]
    for doc_type in ("ktp", "passport", "health"):
        DocumentFactory(
            candidate=person, doc_type=doc_type, expires_on=TODAY + timedelta(days=4000), verified_at=timezone.now()
        )
    LanguageResultFactory(candidate=person, score=90)
    EnrolmentFactory(placement=world["placements"][0], batch=world["batches"][0], attended_hours=100, result="passed")
    assert_facts_kept()
    criteria = Criteria.for_programme(world["programme"], today=TODAY)
    assert list(criteria.eligible(world["viewer"])) == [person]
    assert_shortlist_equals_gates(world)


# --- the recount and the rebuild ----------------------------------------------------------------------


def test_every_candidate_has_facts_from_the_moment_they_are_added(serang):
    person = CandidateFactory(municipality=serang)
    assert CandidateFacts.objects.get(candidate=person).documents == {}
    assert CandidateFacts.objects.get(candidate=person).training_hours == 0


def test_a_verified_document_without_expiry_is_valid_for_ever(serang):
    person = CandidateFactory(municipality=serang)
    DocumentFactory(candidate=person, doc_type="ktp", expires_on=TODAY + timedelta(days=10), verified_at=timezone.now())
    DocumentFactory(candidate=person, doc_type="ktp", expires_on=None, verified_at=timezone.now())
    DocumentFactory(candidate=person, doc_type="health", expires_on=TODAY, verified_at=None)
    assert CandidateFacts.objects.get(candidate=person).documents == {"ktp": "infinity"}
    Document.objects.filter(candidate=person, expires_on=None).delete()
    assert CandidateFacts.objects.get(candidate=person).documents == {"ktp": (TODAY + timedelta(days=10)).isoformat()}


def test_training_hours_add_up_passed_enrolments_of_every_season(serang):
    person = CandidateFactory(municipality=serang)
    first, second = (PlacementFactory(candidate=person, stage="returned") for _ in range(2))
    EnrolmentFactory(placement=first, attended_hours=120, result="passed")
    EnrolmentFactory(placement=second, attended_hours=80, result="passed")
    EnrolmentFactory(placement=second, attended_hours=500, result="failed")
    assert CandidateFacts.objects.get(candidate=person).training_hours == 200
    Enrolment.objects.filter(placement=second).update(result="pending")
    assert CandidateFacts.objects.get(candidate=person).training_hours == 120


def test_rebuild_all_and_refresh_recount_what_a_load_without_triggers_left_out(serang):
    people = [CandidateFactory(municipality=serang) for _ in range(3)]
    DocumentFactory(candidate=people[0], doc_type="passport", expires_on=TODAY + timedelta(days=900))
    EnrolmentFactory(placement=PlacementFactory(candidate=people[1]), attended_hours=60, result="passed")
    with connection.cursor() as cursor:
        # What seed_bench's COPY leaves: rows written with the triggers off.
        cursor.execute("SET LOCAL session_replication_role = replica")
        DocumentFactory(candidate=people[2], doc_type="ktp", expires_on=None, verified_at=timezone.now())
        cursor.execute("DELETE FROM placements_candidatefacts WHERE candidate_id = %s", [people[1].pk])
        cursor.execute("SET LOCAL session_replication_role = origin")
        assert [row[0] for row in facts.mismatches(cursor)] == [people[1].pk, people[2].pk]
        assert facts.mismatches(cursor, [people[0].pk]) == []
        facts.refresh(cursor, [people[2].pk])
        assert [row[0] for row in facts.mismatches(cursor)] == [people[1].pk]
        facts.rebuild_all(cursor)
        assert facts.mismatches(cursor) == []
    assert stored_facts() == expected_facts()
    assert stored_facts()[people[1].pk][2] == 60
    assert stored_facts()[people[2].pk][3] == {"ktp": "infinity"}
