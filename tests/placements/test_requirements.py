"""placements.requirements: each requirement's Python check and SQL condition give the same answer at
its boundaries, and over the demo data the shortlist and the gates agree for every person and programme.

The first section needs no database: the checks are pure, run over unsaved rows.
"""

from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accounts.models import Role
from candidates.models import Candidate, Document, LanguageResult
from core.dates import add_months
from placements import facts as eligibility_facts
from placements import gates
from placements.eligibility import Criteria
from placements.models import Enrolment, Placement
from placements.requirements import (
    AGREEMENT,
    CANDIDATE_REQUIREMENTS,
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
    age_on,
    latest_birth_date,
    reference_date,
    required_document_types,
    shortfalls,
)
from placements.selectors import with_gate_data
from programmes.models import Agreement, AgreementStage, Programme
from tests.conftest import make_user
from tests.factories import (
    CandidateFactory,
    DocumentFactory,
    EnrolmentFactory,
    LanguageResultFactory,
    PlacementFactory,
    ProgrammeFactory,
)

ON = date(2027, 3, 1)  # the planned departure every boundary is measured on
TODAY = date(2026, 11, 1)
VERIFIED = timezone.make_aware(datetime(2026, 10, 1, 9, 0))


def programme(**fields) -> Programme:
    """An unsaved programme; every requirement the tests do not name is off."""
    defaults = dict(
        min_age=18,
        max_age=39,
        required_documents=[],
        health_certificate_required=False,
        min_training_hours=0,
        passport_months_beyond_return=6,
        contract_months=36,
        planned_departure=ON,
    )
    return Programme(**{**defaults, **fields})


def basis(p: Programme) -> Basis:
    return Basis.for_programme(p, today=TODAY)


def person(**fields) -> Candidate:
    defaults = dict(birth_date=date(2000, 5, 5), sex="F", education="sma", consent_given_on=TODAY)
    return Candidate(**{**defaults, **fields})


def shorts(requirement, p: Programme, facts: Facts) -> list[str]:
    return [s.short for s in requirement.check(basis(p), facts)]


# --- pure checks, no database --------------------------------------------------------------------


def test_the_reference_date_is_the_planned_departure_unless_it_is_unknown_or_past():
    assert reference_date(ON, TODAY) == ON
    assert reference_date(None, TODAY) == TODAY
    assert reference_date(TODAY - timedelta(days=1), TODAY) == TODAY


def test_a_placement_is_measured_on_its_cohorts_planned_departure_and_return():
    from placements.models import Cohort

    p = programme()
    cohort = Cohort(planned_departure=date(2027, 5, 2), return_due_on=date(2030, 5, 2))
    found = Basis.for_placement(Placement(programme=p, cohort=cohort), today=TODAY)
    assert (found.on, found.planned_return, found.passport_needed) == (
        date(2027, 5, 2),
        date(2030, 5, 2),
        date(2030, 11, 2),
    )
    # Without a cohort: the programme's planned departure; the return the placement records.
    found = Basis.for_placement(Placement(programme=p, planned_return_on=date(2030, 1, 1)), today=TODAY)
    assert (found.on, found.planned_return) == (ON, date(2030, 1, 1))


def test_age_and_its_sql_threshold_agree_on_every_day_of_four_years_leap_days_included():
    births = [date(2008, 2, 28), date(2008, 2, 29), date(2008, 3, 1), date(2007, 12, 31), date(2009, 1, 1)]
    day = date(2025, 1, 1)
    checked = 0
    while day < date(2029, 1, 1):
        for born in births:
            for years in (17, 18, 19, 20):
                assert (age_on(born, day) >= years) == (born <= latest_birth_date(day, years)), (born, day, years)
                checked += 1
        day += timedelta(days=1)
    assert checked > 20_000


AGES = [
    # birth date relative to the reference date → the age band's verdict (programme 18–39)
    ("18 on the day", add_months(ON, -12 * 18), []),
    ("18 tomorrow", add_months(ON, -12 * 18) + timedelta(days=1), ["age 17, min 18"]),
    ("39 on the day", add_months(ON, -12 * 39), []),
    ("40 on the day", add_months(ON, -12 * 40), ["age 40, max 39"]),
    ("40 tomorrow", add_months(ON, -12 * 40) + timedelta(days=1), []),
]


@pytest.mark.parametrize(("case", "born", "expected"), AGES, ids=[a[0] for a in AGES])
def test_the_age_band_is_taken_on_the_planned_departure(case, born, expected):
    facts = Facts(person(birth_date=born))
    assert shorts(MINIMUM_AGE, programme(), facts) + shorts(MAXIMUM_AGE, programme(), facts) == expected


def test_the_age_message_is_the_screening_gates():
    [miss] = MINIMUM_AGE.check(basis(programme(min_age=21)), Facts(person(birth_date=date(2007, 1, 1))))
    assert (miss.gate, miss.message) == ("screening", "Screening: age 20 is outside the programme's 21–39.")


def test_sex_education_and_consent():
    women, sma = programme(required_sex="F"), programme(min_education="sma")
    assert shorts(SEX, women, Facts(person(sex="M"))) == ["needs female"]
    assert shorts(SEX, women, Facts(person(sex="F"))) == []
    assert shorts(EDUCATION, sma, Facts(person(education="smk"))) == []  # the same level as SMA
    assert shorts(EDUCATION, sma, Facts(person(education="smp"))) == ["education SMP, needs SMA"]
    withdrawn = person(consent_withdrawn_on=TODAY)
    assert [s.message for s in CONSENT.check(None, Facts(withdrawn))] == [
        "Consent: the candidate withdrew consent to data processing."
    ]
    assert shorts(CONSENT, programme(), Facts(person(consent_given_on=None))) == ["no consent"]


def doc(doc_type="ktp", *, verified=True, expires_on=None) -> Document:
    return Document(doc_type=doc_type, verified_at=VERIFIED if verified else None, expires_on=expires_on)


DOCUMENTS_CASES = [
    ("verified, no expiry", [doc()], []),
    ("verified, expires on the departure day", [doc(expires_on=ON)], []),
    ("missing", [], ["missing Identity card (KTP)"]),
    ("not verified", [doc(verified=False)], ["not verified: Identity card (KTP)"]),
    ("expired before today", [doc(expires_on=TODAY - timedelta(days=1))], ["expired: Identity card (KTP)"]),
    (
        "valid today, not on the departure day",
        [doc(expires_on=ON - timedelta(days=1))],
        ["expires before departure: Identity card (KTP)"],
    ),
    ("an expired copy and a valid renewal", [doc(expires_on=TODAY - timedelta(days=9)), doc()], []),
    (
        "an unverified renewal does not count",
        [doc(expires_on=TODAY - timedelta(days=9)), doc(verified=False)],
        ["expired: Identity card (KTP)"],
    ),
]


@pytest.mark.parametrize(("case", "documents", "expected"), DOCUMENTS_CASES, ids=[d[0] for d in DOCUMENTS_CASES])
def test_documents_present_verified_and_valid_on_departure(case, documents, expected):
    assert shorts(DOCUMENTS, programme(required_documents=["ktp"]), Facts(person(), documents=documents)) == expected


def test_the_health_certificate_flag_adds_a_required_document_once():
    assert required_document_types(programme(required_documents=["ktp"], health_certificate_required=True)) == [
        "ktp",
        "health",
    ]
    assert required_document_types(programme(required_documents=["health"], health_certificate_required=True)) == [
        "health"
    ]
    assert not DOCUMENTS.applies(programme())


def result(test="jlpt", score=4, valid_until=None) -> LanguageResult:
    return LanguageResult(test=test, score=score, taken_on=TODAY, valid_until=valid_until)


LANGUAGE_CASES = [
    # programme's test and minimum, the results → the shortfall
    ("jlpt", 4, [result(score=4)], []),
    ("jlpt", 4, [result(score=3)], []),  # N3 is better than N4
    ("jlpt", 4, [result(score=5)], ["JLPT N5, needs N4"]),
    ("jlpt", 4, [result(score=5), result(score=4)], []),
    ("jlpt", 4, [result(score=4, valid_until=ON)], []),
    ("jlpt", 4, [result(score=4, valid_until=ON - timedelta(days=1))], ["no valid JLPT result, needs N4"]),
    ("jlpt", 4, [result(test="jft", score=2)], ["no valid JLPT result, needs N4"]),
    ("eps_topik", 80, [result(test="eps_topik", score=80)], []),
    ("eps_topik", 80, [result(test="eps_topik", score=79)], ["EPS-TOPIK 79, needs 80"]),
    ("topik", None, [result(test="topik", score=1)], []),
    ("topik", None, [], ["no valid TOPIK result"]),
]


@pytest.mark.parametrize(("test", "minimum", "results", "expected"), LANGUAGE_CASES)
def test_language_result_valid_on_departure_at_or_above_the_level(test, minimum, results, expected):
    p = programme(language_test=test, min_language_score=minimum)
    assert shorts(LANGUAGE, p, Facts(person(), language_results=results)) == expected


def test_the_language_gate_message_names_the_test_and_levels():
    p = programme(language_test="jlpt", min_language_score=4)
    [miss] = LANGUAGE.check(basis(p), Facts(person(), language_results=[result(score=5)]))
    assert miss.message == "Language: JLPT (N5–N1) N5 is below the required N4."


def test_training_hours_count_passed_enrolments_only():
    p = programme(min_training_hours=240)
    passed = Enrolment(attended_hours=200, result="passed")
    assert shorts(TRAINING, p, Facts(person(), enrolments=[passed])) == ["training 200 h, needs 240 h"]
    more = Enrolment(attended_hours=40, result="passed")
    assert shorts(TRAINING, p, Facts(person(), enrolments=[passed, more])) == []
    failed = Enrolment(attended_hours=40, result="failed")
    assert shorts(TRAINING, p, Facts(person(), enrolments=[passed, failed])) != []
    assert not TRAINING.applies(programme(min_training_hours=0))


def passport(expires_on) -> Document:
    return Document(doc_type="passport", expires_on=expires_on)


def test_passport_valid_until_six_months_beyond_the_planned_return():
    p = programme()
    needed = basis(p).passport_needed
    assert needed == date(2030, 9, 1)  # departure 1 Mar 2027 + 36 months + 6
    assert shorts(PASSPORT, p, Facts(person(), documents=[passport(needed)])) == []
    assert shorts(PASSPORT, p, Facts(person(), documents=[passport(needed - timedelta(days=1))])) == [
        "passport expires before planned return (31 Aug 2030, needs 1 Sep 2030)"
    ]
    assert shorts(PASSPORT, p, Facts(person())) == ["no passport"]
    assert shorts(PASSPORT, p, Facts(person(), documents=[passport(None)])) == ["passport without expiry date"]


def test_visa_and_a_signed_agreement_are_the_placements_own():
    for stage in AgreementStage.values:
        p = programme(agreement=Agreement(title="Serang–Changnyeong", stage=stage))
        placement = Placement(programme=p, visa_number="E9-1", visa_issued_on=TODAY)
        signed = stage in ("mou_signed", "active", "evaluation", "renewed")
        assert (AGREEMENT.check(placement) == []) == signed, stage
        assert VISA.check(placement) == []
    assert [s.short for s in VISA.check(Placement(visa_number="", visa_issued_on=TODAY))] == ["no visa"]


def test_every_requirement_the_shortlist_asks_for_is_held_by_a_gate():
    held = {r for stage in gates.STAGE_REQUIREMENTS.values() for r in stage}
    assert held | {CONSENT} == set(CANDIDATE_REQUIREMENTS)


# --- the SQL condition gives the Python check's answer -------------------------------------------


def _facts(candidate: Candidate) -> Facts:
    return Facts(
        candidate=candidate,
        documents=list(candidate.documents.all()),
        language_results=list(candidate.language_results.all()),
        enrolments=list(Enrolment.objects.filter(placement__candidate=candidate)),
    )


def verdict(requirement, b: Basis, candidate: Candidate) -> bool:
    """Whether the candidate meets the requirement, asserting that SQL and Python say the same."""
    in_sql = Candidate.objects.filter(pk=candidate.pk).filter(requirement.condition(b)).exists()
    in_python = requirement.check(b, _facts(candidate)) == []
    assert in_sql == in_python, (requirement.name, in_sql, in_python)
    return in_python


@pytest.fixture
def db_programme(db):
    return ProgrammeFactory(
        planned_departure=ON,
        min_age=18,
        max_age=39,
        required_sex="F",
        min_education="sma",
        language_test="jlpt",
        min_language_score=4,
        min_training_hours=240,
        required_documents=["ktp", "passport"],
        health_certificate_required=True,
        contract_months=36,
    )


@pytest.mark.parametrize(("case", "born", "expected"), AGES, ids=[a[0] for a in AGES])
def test_sql_and_python_agree_on_the_age_band(db_programme, case, born, expected):
    b = Basis.for_programme(db_programme, today=TODAY)
    candidate = CandidateFactory(birth_date=born)
    assert (verdict(MINIMUM_AGE, b, candidate) and verdict(MAXIMUM_AGE, b, candidate)) == (expected == [])


def test_sql_and_python_agree_on_sex_education_and_consent(db_programme):
    b = Basis.for_programme(db_programme, today=TODAY)
    assert verdict(SEX, b, CandidateFactory(sex="F"))
    assert not verdict(SEX, b, CandidateFactory(sex="M"))
    assert verdict(EDUCATION, b, CandidateFactory(education="smk"))
    assert verdict(EDUCATION, b, CandidateFactory(education="s1"))
    assert not verdict(EDUCATION, b, CandidateFactory(education="smp"))
    assert verdict(CONSENT, b, CandidateFactory())
    assert not verdict(CONSENT, b, CandidateFactory(consent_given_on=None))
    assert not verdict(CONSENT, b, CandidateFactory(consent_withdrawn_on=TODAY))


DOCUMENT_ROWS = [
    # the candidate's KTP, passport and health certificate → meets the documents requirement?
    ("all verified and valid", {}, True),
    ("health certificate missing", {"health": None}, False),
    ("passport not verified", {"passport": {"verified_at": None}}, False),
    ("health certificate expired yesterday", {"health": {"expires_on": TODAY - timedelta(days=1)}}, False),
    ("health certificate ends the day before departure", {"health": {"expires_on": ON - timedelta(days=1)}}, False),
    ("health certificate ends on the departure day", {"health": {"expires_on": ON}}, True),
]


@pytest.mark.parametrize(("case", "change", "expected"), DOCUMENT_ROWS, ids=[d[0] for d in DOCUMENT_ROWS])
def test_sql_and_python_agree_on_documents(db_programme, case, change, expected):
    b = Basis.for_programme(db_programme, today=TODAY)
    candidate = CandidateFactory()
    for doc_type in ("ktp", "passport", "health"):
        if doc_type in change and change[doc_type] is None:
            continue
        fields = {"verified_at": VERIFIED, "issued_on": TODAY - timedelta(days=100), "expires_on": None}
        fields.update(change.get(doc_type) or {})
        DocumentFactory(candidate=candidate, doc_type=doc_type, **fields)
    assert verdict(DOCUMENTS, b, candidate) == expected


@pytest.mark.parametrize(
    ("score", "valid_until", "expected"),
    [(4, None, True), (3, None, True), (5, None, False), (4, ON, True), (4, ON - timedelta(days=1), False)],
)
def test_sql_and_python_agree_on_jlpt_levels_where_lower_is_better(db_programme, score, valid_until, expected):
    b = Basis.for_programme(db_programme, today=TODAY)
    candidate = CandidateFactory()
    LanguageResultFactory(
        candidate=candidate, test="jlpt", score=score, taken_on=TODAY - timedelta(days=30), valid_until=valid_until
    )
    assert verdict(LANGUAGE, b, candidate) == expected


@pytest.mark.parametrize(("score", "expected"), [(80, True), (79, False), (200, True)])
def test_sql_and_python_agree_on_scores_where_higher_is_better(db, score, expected):
    p = ProgrammeFactory(planned_departure=ON, language_test="eps_topik", min_language_score=80)
    candidate = CandidateFactory()
    LanguageResultFactory(candidate=candidate, test="eps_topik", score=score)
    assert verdict(LANGUAGE, Basis.for_programme(p, today=TODAY), candidate) == expected


@pytest.mark.parametrize(
    ("enrolments", "expected"),
    [
        ([(240, "passed")], True),
        ([(239, "passed")], False),
        ([(200, "passed"), (40, "failed")], False),
        ([(200, "passed"), (40, "passed")], True),  # over two seasons
    ],
)
def test_sql_and_python_agree_on_training_hours_over_every_season(db_programme, enrolments, expected):
    b = Basis.for_programme(db_programme, today=TODAY)
    candidate = CandidateFactory()
    for hours, outcome in enrolments:
        placement = PlacementFactory(candidate=candidate, stage="returned")
        EnrolmentFactory(placement=placement, attended_hours=hours, result=outcome)
    assert verdict(TRAINING, b, candidate) == expected


@pytest.mark.parametrize(("days", "expected"), [(-1, False), (0, True), (1, True)])
def test_sql_and_python_agree_on_the_passport_around_the_day_it_is_needed(db_programme, days, expected):
    b = Basis.for_programme(db_programme, today=TODAY)
    candidate = CandidateFactory()
    DocumentFactory(candidate=candidate, doc_type="passport", expires_on=b.passport_needed + timedelta(days=days))
    assert verdict(PASSPORT, b, candidate) == expected


def test_sql_and_python_agree_that_nobody_meets_the_passport_rule_without_a_planned_return(db_programme):
    b = Basis(db_programme, ON, None, TODAY)
    candidate = CandidateFactory()
    DocumentFactory(candidate=candidate, doc_type="passport", expires_on=date(2040, 1, 1))
    assert not verdict(PASSPORT, b, candidate)


@pytest.mark.parametrize("stage", AgreementStage.values)
def test_sql_and_python_agree_on_the_agreement_and_the_visa(db, stage):
    placement = PlacementFactory(visa_number="E9-1", visa_issued_on=TODAY)
    Agreement.objects.filter(pk=placement.programme.agreement_id).update(stage=stage)
    placement = Placement.objects.select_related("programme__agreement").get(pk=placement.pk)
    for requirement in (AGREEMENT, VISA):
        in_sql = Placement.objects.filter(pk=placement.pk).filter(requirement.condition()).exists()
        assert in_sql == (requirement.check(placement) == []), (requirement.name, stage)
    Placement.objects.filter(pk=placement.pk).update(visa_number="")
    assert not Placement.objects.filter(pk=placement.pk).filter(VISA.condition()).exists()


# --- the demo data: shortlist and gates agree for every person and programme ----------------------


@pytest.fixture
def demo(db):
    call_command("seed_demo")


@pytest.fixture
def sees_everyone(demo):
    """A national viewer of our own (the demo has its own users)."""
    return make_user("requirements.viewer", Role.NATIONAL_VIEWER, None)


def _facts_by_candidate() -> dict[int, Candidate]:
    """Every candidate with the rows the gates read, as placements.selectors.with_gate_data loads them."""
    return Candidate.objects.prefetch_related("documents", "language_results", "placements__enrolments").in_bulk()


def test_demo_shortlist_and_gates_agree_for_every_candidate_and_programme(sees_everyone):
    today = timezone.localdate()
    # The facts the conditions read (placements.facts), kept by the database while the demo loaded.
    with connection.cursor() as cursor:
        assert eligibility_facts.mismatches(cursor) == []
    candidates = _facts_by_candidate()
    programmes = list(Programme.objects.select_related("agreement"))
    assert candidates and programmes
    open_here = set(Placement.objects.open().values_list("candidate_id", "programme_id"))
    facts = {pk: Facts.of_placement(Placement(candidate=c)) for pk, c in candidates.items()}
    met_by_someone = missed_by_someone = False
    for p in programmes:
        criteria = Criteria.for_programme(p, today=today)
        # Each requirement: the candidates its SQL condition lets through, and those its check passes.
        for requirement in criteria.requirements:
            in_sql = set(Candidate.objects.filter(requirement.condition(criteria.basis)).values_list("pk", flat=True))
            in_python = {pk for pk, f in facts.items() if requirement.check(criteria.basis, f) == []}
            assert in_sql == in_python, (p.name, requirement.name, sorted(in_sql ^ in_python)[:10])
            met_by_someone |= bool(in_python)
            missed_by_someone |= len(in_python) < len(candidates)
        # The gates, for a placement in this programme not yet in a cohort: consent and every stage's
        # requirements, measured on the same day and the same planned return as the shortlist.
        passes_gates = set()
        for pk, candidate in candidates.items():
            placement = Placement(candidate=candidate, programme=p, planned_return_on=criteria.planned_return)
            failures = gates.consent_failures(candidate) + [
                f
                for stage in gates.STAGE_REQUIREMENTS
                for f in gates.requirement_failures(placement, stage, today=today)
            ]
            if not failures:
                passes_gates.add(pk)
        eligible = set(criteria.eligible(sees_everyone).values_list("pk", flat=True))
        assert eligible == {pk for pk in passes_gates if (pk, p.pk) not in open_here}, p.name
        # The missing list is everyone else the shortlist considers, and its Python checks say so.
        considered = {pk for pk in candidates if (pk, p.pk) not in open_here}
        assert set(criteria.ineligible(sees_everyone).values_list("pk", flat=True)) == considered - eligible, p.name
        assert {pk for pk in considered if not shortfalls(criteria.requirements, criteria.basis, facts[pk])} == eligible
        # Whoever the shortlist lists as missing something is told what.
        missing = list(criteria.ineligible(sees_everyone).values_list("pk", flat=True)[:200])
        assert all(criteria.reasons(c) for c in criteria.with_reasons(missing)), p.name
    assert met_by_someone and missed_by_someone


def test_demo_placements_meet_in_sql_what_they_meet_in_python(demo):
    today = timezone.localdate()
    placements = list(with_gate_data(Placement.objects.all()))
    assert placements
    groups: dict[tuple, list[Placement]] = {}
    for placement in placements:
        b = Basis.for_placement(placement, today=today)
        groups.setdefault((b.programme.pk, b.on, b.planned_return), []).append(placement)
    for group in groups.values():
        b = Basis.for_placement(group[0], today=today)
        ids = [p.candidate_id for p in group]
        for requirement in CANDIDATE_REQUIREMENTS:
            if not requirement.applies(b.programme):
                continue
            in_sql = set(
                Candidate.objects.filter(pk__in=ids).filter(requirement.condition(b)).values_list("pk", flat=True)
            )
            in_python = {p.candidate_id for p in group if requirement.check(b, Facts.of_placement(p)) == []}
            assert in_sql == in_python, (b.programme.name, b.on, requirement.name)
    for requirement in (VISA, AGREEMENT):
        in_sql = set(Placement.objects.filter(requirement.condition()).values_list("pk", flat=True))
        assert in_sql == {p.pk for p in placements if requirement.check(p) == []}, requirement.name
