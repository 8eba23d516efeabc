"""Each gate as a table: placement state × programme rule → allowed, or the message that refuses it."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.dates import add_months
from placements.gates import Gate, check_move, planned_return, return_due
from placements.models import Placement
from placements.selectors import with_gate_data
from programmes.models import Agreement, AgreementStage
from tests.factories import (
    CohortFactory,
    DocumentFactory,
    EnrolmentFactory,
    LanguageResultFactory,
    TrainingBatchFactory,
    complete_placement,
    ruled_programme,
    today,
)

pytestmark = pytest.mark.django_db


def _check(placement: Placement, from_stage: str, to_stage: str, **kwargs):
    """check_move on a fresh copy (with the gate data prefetched) sitting at `from_stage`."""
    fresh = with_gate_data(Placement.objects.filter(pk=placement.pk)).get()
    fresh.stage = from_stage
    return check_move(fresh, to_stage, **kwargs)


def _messages(failures) -> str:
    return " | ".join(f.message for f in failures)


# --- screening ---------------------------------------------------------------------------------

SCREENING = [
    ("within the age band, any sex, enough education", {}, {}, None),
    (
        "older than the maximum age",
        {"max_age": 30},
        {"birth_date_years": 35},
        "age 35 is outside the programme's 18–30",
    ),
    ("younger than the minimum age", {"min_age": 21}, {"birth_date_years": 19}, "age 19 is outside"),
    ("the programme is for women only", {"required_sex": "F"}, {"sex": "M"}, "for female candidates only"),
    ("education below the minimum", {"min_education": "sma"}, {"education": "smp"}, "education Junior secondary"),
    ("SMK counts as SMA", {"min_education": "sma"}, {"education": "smk"}, None),
    ("consent withdrawn", {}, {"consent_withdrawn": True}, "withdrew consent"),
]


@pytest.mark.parametrize(("case", "rule", "person", "expected"), SCREENING, ids=[c[0] for c in SCREENING])
def test_screening_gate(case, rule, person, expected):
    programme = ruled_programme(**rule)
    fields = {}
    if "birth_date_years" in person:
        fields["birth_date"] = today() - timedelta(days=person["birth_date_years"] * 365 + 30)
    for key in ("sex", "education"):
        if key in person:
            fields[key] = person[key]
    placement = complete_placement(programme=programme, **fields)
    if person.get("consent_withdrawn"):
        placement.candidate.consent_withdrawn_on = today()
        placement.candidate.save()
    failures = _check(placement, "registered", "screened")
    if expected is None:
        assert failures == []
    else:
        assert expected in _messages(failures)


# --- documents ---------------------------------------------------------------------------------


def _docs_case(placement, case):
    candidate = placement.candidate
    if case == "missing":
        candidate.documents.filter(doc_type="health").delete()
    elif case == "unverified":
        candidate.documents.filter(doc_type="passport").update(verified_at=None)
    elif case == "expired":
        candidate.documents.filter(doc_type="health").update(
            issued_on=today() - timedelta(days=400), expires_on=today() - timedelta(days=1)
        )
    elif case == "expired but renewed":
        candidate.documents.filter(doc_type="health").update(
            issued_on=today() - timedelta(days=400), expires_on=today() - timedelta(days=1)
        )
        DocumentFactory(candidate=candidate, doc_type="health", verified_at=timezone.now())
    elif case == "expires today":
        candidate.documents.filter(doc_type="health").update(expires_on=today())


DOCUMENTS = [
    ("every required document verified and valid", "all", None),
    ("a required document is missing", "missing", "Documents: missing Health certificate."),
    ("a document is not verified", "unverified", "Documents: not verified yet: Passport."),
    ("a verified document has expired", "expired", "Documents: expired: Health certificate."),
    ("an expired document with a verified renewal", "expired but renewed", None),
    ("a document expiring today is still valid", "expires today", None),
]


@pytest.mark.parametrize(("case", "setup", "expected"), DOCUMENTS, ids=[c[0] for c in DOCUMENTS])
def test_documents_gate(case, setup, expected):
    placement = complete_placement()
    _docs_case(placement, setup)
    failures = _check(placement, "screened", "documents_verified")
    assert (_messages(failures) or None) == expected
    assert all(f.gate == Gate.DOCUMENTS for f in failures)


def test_documents_gate_holds_when_the_programme_requires_none():
    placement = complete_placement(programme=ruled_programme(required_documents=[], health_certificate_required=False))
    placement.candidate.documents.all().delete()
    assert _check(placement, "screened", "documents_verified") == []


def test_a_programme_that_requires_a_health_certificate_needs_it_verified_even_if_not_listed():
    placement = complete_placement(programme=ruled_programme(required_documents=["ktp"]))
    placement.candidate.documents.filter(doc_type="health").update(verified_at=None)
    assert _messages(_check(placement, "screened", "documents_verified")) == (
        "Documents: not verified yet: Health certificate."
    )


# --- training and language -----------------------------------------------------------------------


def test_in_training_needs_an_enrolment():
    placement = complete_placement()
    assert _check(placement, "documents_verified", "in_training") == []
    placement.enrolments.all().delete()
    assert _messages(_check(placement, "documents_verified", "in_training")) == (
        "Training: not enrolled in a training batch yet."
    )


def _training_case(placement, case):
    enrolment = placement.enrolments.get()
    if case == "too few hours":
        enrolment.attended_hours = 200
        enrolment.save()
    elif case == "pending":
        enrolment.result = "pending"
        enrolment.save()
    elif case == "failed":
        enrolment.result = "failed"
        enrolment.save()
    elif case == "two passed courses add up":
        enrolment.attended_hours = 120
        enrolment.save()
        EnrolmentFactory(
            placement=placement,
            batch=TrainingBatchFactory(programme=placement.programme, hours=120),
            attended_hours=120,
            result="passed",
        )


TRAINING = [
    ("passed with the minimum hours", "as built", None),
    ("passed with fewer hours than required", "too few hours", "200 attended hours in passed training"),
    ("training still pending", "pending", "Training: no passed training yet."),
    ("training failed", "failed", "Training: no passed training yet."),
    ("a language and a skill course add up", "two passed courses add up", None),
]


@pytest.mark.parametrize(("case", "setup", "expected"), TRAINING, ids=[c[0] for c in TRAINING])
def test_ready_training_gate(case, setup, expected):
    placement = complete_placement()
    _training_case(placement, setup)
    failures = _check(placement, "in_training", "ready")
    if expected is None:
        assert failures == []
    else:
        assert [f.gate for f in failures] == [Gate.TRAINING]
        assert expected in _messages(failures)


LANGUAGE = [
    # test, programme minimum, candidate's score, expected message (None: allowed)
    ("eps_topik", 80, 120, None),
    ("eps_topik", 80, 80, None),
    ("eps_topik", 80, 60, "EPS-TOPIK (score) 60 is below the required 80"),
    ("topik", 3, 3, None),
    ("topik", 3, 2, "TOPIK (level 1–6) 2 is below the required 3"),
    ("jlpt", 4, 4, None),
    ("jlpt", 4, 3, None),  # N3 is better than N4
    ("jlpt", 4, 5, "JLPT (N5–N1) N5 is below the required N4"),
    ("jft", 2, 2, None),
    ("jft", 2, 1, "JFT-Basic (A1–A2) A1 is below the required A2"),
]


@pytest.mark.parametrize(("test", "minimum", "score", "expected"), LANGUAGE)
def test_ready_language_gate(test, minimum, score, expected):
    programme = ruled_programme(language_test=test, min_language_score=minimum)
    placement = complete_placement(programme=programme)
    placement.candidate.language_results.all().delete()
    LanguageResultFactory(candidate=placement.candidate, test=test, score=score)
    failures = _check(placement, "in_training", "ready")
    if expected is None:
        assert failures == []
    else:
        assert _messages(failures) == f"Language: {expected}."


def test_language_gate_ignores_an_expired_result_and_other_tests():
    placement = complete_placement()
    placement.candidate.language_results.all().delete()
    LanguageResultFactory(
        candidate=placement.candidate,
        score=150,
        taken_on=today() - timedelta(days=800),
        valid_until=today() - timedelta(days=1),
    )
    LanguageResultFactory(candidate=placement.candidate, test="jlpt", score=1)
    assert _messages(_check(placement, "in_training", "ready")) == (
        "Language: no valid EPS-TOPIK (score) result; needs 80."
    )


def test_language_gate_holds_when_the_programme_has_no_language_rule():
    placement = complete_placement(programme=ruled_programme(language_test="", min_language_score=None))
    placement.candidate.language_results.all().delete()
    assert _check(placement, "in_training", "ready") == []


# --- selection -----------------------------------------------------------------------------------

SELECTION = [
    ("employer and contract dates", {}, None),
    ("no employer", {"employer": ""}, "Selection: no employer recorded."),
    ("no contract end", {"contract_end": None}, "Selection: contract start and end dates are missing."),
    ("no contract start", {"contract_start": None}, "Selection: contract start and end dates are missing."),
]


@pytest.mark.parametrize(("case", "change", "expected"), SELECTION, ids=[c[0] for c in SELECTION])
def test_selected_gate(case, change, expected):
    placement = complete_placement()
    Placement.objects.filter(pk=placement.pk).update(**change)
    assert (_messages(_check(placement, "ready", "selected")) or None) == expected


# --- passport against the planned return --------------------------------------------------------


def test_visa_gate_holds_with_a_passport_valid_six_months_beyond_the_cohort_return():
    placement = complete_placement()
    cohort = placement.cohort
    placement.candidate.documents.filter(doc_type="passport").update(expires_on=add_months(cohort.return_due_on, 6))
    assert _check(placement, "selected", "visa") == []


def test_visa_gate_refuses_a_passport_expiring_too_soon_and_says_until_when():
    placement = complete_placement()
    cohort = placement.cohort
    cohort.return_due_on = today() + timedelta(days=365)
    cohort.save()
    placement.candidate.documents.filter(doc_type="passport").update(expires_on=today() + timedelta(days=400))
    failures = _check(placement, "selected", "visa")
    assert [f.gate for f in failures] == [Gate.PASSPORT]
    assert "must be valid until" in failures[0].message
    assert "6 months beyond the planned return" in failures[0].message


def test_visa_gate_refuses_without_a_passport():
    placement = complete_placement()
    placement.candidate.documents.filter(doc_type="passport").delete()
    assert _messages(_check(placement, "selected", "visa")) == "Passport: no passport on file."


def test_visa_gate_needs_a_known_planned_return():
    placement = complete_placement()
    Placement.objects.filter(pk=placement.pk).update(cohort=None, planned_return_on=None, contract_end=None)
    assert "planned return is unknown" in _messages(_check(placement, "selected", "visa"))


PLANNED_RETURN = [
    # what the placement has → where the planned return comes from
    ("cohort return date", "cohort"),
    ("placement's own planned return", "placement"),
    ("cohort departure plus the programme's months", "computed"),
]


@pytest.mark.parametrize(("case", "source"), PLANNED_RETURN, ids=[c[0] for c in PLANNED_RETURN])
def test_planned_return_sources(case, source):
    programme = ruled_programme(contract_months=36)
    placement = complete_placement(programme=programme)
    departure = today() + timedelta(days=20)
    if source == "cohort":
        placement.cohort = CohortFactory(
            programme=programme, planned_departure=departure, return_due_on=departure + timedelta(days=100)
        )
        expected = departure + timedelta(days=100)
    elif source == "placement":
        placement.cohort = None
        placement.planned_return_on = expected = today() + timedelta(days=500)
    else:
        placement.cohort = CohortFactory(programme=programme, planned_departure=departure, return_due_on=None)
        expected = add_months(departure, 36)
    assert planned_return(placement) == expected


# --- departure, arrival, return ------------------------------------------------------------------


def test_departed_gate_holds_with_a_departed_cohort_and_a_visa():
    assert _check(complete_placement(), "visa", "departed") == []


def test_departed_gate_refuses_a_cohort_that_has_not_departed():
    placement = complete_placement()
    placement.cohort.actual_departure = None
    placement.cohort.save()
    assert "has not departed yet" in _messages(_check(placement, "visa", "departed"))


def test_departed_gate_refuses_without_cohort_and_visa():
    placement = complete_placement()
    Placement.objects.filter(pk=placement.pk).update(cohort=None, visa_number="")
    assert {f.gate for f in _check(placement, "visa", "departed")} == {Gate.VISA, Gate.COHORT}


AGREEMENT_STAGES = [
    # the programme's agreement stage → may its placements depart?
    ("loa", False),
    ("full_power", False),
    ("mou_signed", True),
    ("active", True),
    ("evaluation", True),
    ("renewed", True),
    ("suspended", False),
    ("terminated", False),
    ("expired", False),
]


@pytest.mark.parametrize(("stage", "may_depart"), AGREEMENT_STAGES)
def test_departed_gate_needs_the_programme_agreement_signed(stage, may_depart):
    placement = complete_placement()
    Agreement.objects.filter(pk=placement.programme.agreement_id).update(stage=stage)
    failures = _check(placement, "visa", "departed")
    if may_depart:
        assert failures == []
    else:
        assert [f.gate for f in failures] == [Gate.AGREEMENT]
        label = str(AgreementStage(stage).label)
        assert _messages(failures) == (
            f"Agreement: {placement.programme.agreement.title} is at “{label}”; "
            "departure needs a signed MoU or an active agreement."
        )


def test_an_unsigned_agreement_holds_back_only_the_departure():
    placement = complete_placement()
    Agreement.objects.filter(pk=placement.programme.agreement_id).update(stage="loa")
    assert _check(placement, "registered", "visa") == []
    assert [f.gate for f in _check(placement, "registered", "departed")] == [Gate.AGREEMENT]


def test_abroad_gate_needs_the_arrival_confirmed():
    placement = complete_placement()
    assert _messages(_check(placement, "departed", "abroad")) == "Arrival: the cohort's arrival is not confirmed yet."
    placement.cohort.arrival_confirmed_on = placement.cohort.actual_departure
    placement.cohort.save()
    assert _check(placement, "departed", "abroad") == []


def test_returned_gate_needs_the_return_recorded():
    placement = complete_placement()
    placement.cohort.arrival_confirmed_on = placement.cohort.actual_departure
    placement.cohort.save()
    assert [f.gate for f in _check(placement, "abroad", "returned")] == [Gate.RETURN]


# --- transitions ---------------------------------------------------------------------------------

TRANSITIONS = [
    # from, to, reason, expected gate (None: allowed)
    ("screened", "registered", "", Gate.REASON),
    ("screened", "registered", "screened by mistake", None),
    ("visa", "withdrawn", "", Gate.REASON),
    ("visa", "withdrawn", "family reasons", None),
    ("registered", "failed", "did not pass", None),
    ("in_training", "medically_unfit", "medical check", None),
    ("registered", "absconded", "left", Gate.TRANSITION),
    ("abroad", "absconded", "left the employer", None),
    ("departed", "repatriated", "illness", None),
    ("abroad", "withdrawn", "wants to go home", Gate.TRANSITION),
    ("withdrawn", "failed", "correction", Gate.TRANSITION),
    ("returned", "withdrawn", "x", Gate.TRANSITION),
    ("registered", "registered", "", Gate.TRANSITION),
    ("registered", "nonsense", "", Gate.TRANSITION),
]


@pytest.mark.parametrize(("from_stage", "to_stage", "reason", "expected"), TRANSITIONS)
def test_transition_rules(from_stage, to_stage, reason, expected):
    placement = complete_placement()
    failures = _check(placement, from_stage, to_stage, reason=reason)
    assert [f.gate for f in failures] == ([] if expected is None else [expected])


def test_every_early_end_needs_a_reason():
    placement = complete_placement()
    for from_stage, to_stage in [
        ("registered", "withdrawn"),
        ("ready", "failed"),
        ("screened", "medically_unfit"),
        ("abroad", "absconded"),
        ("abroad", "repatriated"),
    ]:
        assert [f.gate for f in _check(placement, from_stage, to_stage)] == [Gate.REASON], to_stage
        assert _check(placement, from_stage, to_stage, reason="noted") == [], to_stage


def test_skipping_stages_is_allowed_only_when_every_skipped_gate_holds():
    placement = complete_placement()
    assert _check(placement, "registered", "selected") == []
    placement.candidate.documents.filter(doc_type="health").delete()
    failures = _check(placement, "registered", "selected")
    assert [f.gate for f in failures] == [Gate.DOCUMENTS]


def test_reopening_an_early_end_is_bounded_by_the_stage_it_had_reached():
    placement = complete_placement()
    assert _check(placement, "withdrawn", "ready", reason="withdrawn by mistake", reached="ready") == []
    assert [f.gate for f in _check(placement, "withdrawn", "selected", reason="x", reached="ready")] == [
        Gate.TRANSITION
    ]


def test_no_forward_move_without_consent_until_departure():
    placement = complete_placement()
    placement.candidate.consent_withdrawn_on = today()
    placement.candidate.save()
    assert [f.gate for f in _check(placement, "registered", "screened")] == [Gate.CONSENT]
    # Arrival abroad records a fact; it does not process new data.
    placement.cohort.arrival_confirmed_on = placement.cohort.actual_departure
    placement.cohort.save()
    assert _check(placement, "departed", "abroad") == []


# --- dates ---------------------------------------------------------------------------------------


def test_return_due_for_a_5_2_5_season_is_twelve_months_after_departure():
    programme = ruled_programme(contract_months=None, season_months_abroad=5, season_rest_months=2, season_periods=2)
    assert return_due(programme, date(2026, 3, 2)) == date(2027, 3, 2)


def test_return_due_for_a_three_year_contract_is_36_months_after_departure():
    programme = ruled_programme(contract_months=36)
    assert return_due(programme, date(2026, 1, 31)) == date(2029, 1, 31)
