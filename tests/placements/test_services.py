"""The placement services: start, moves recorded with who/when/from/to, returns, next season, cohorts."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from core.locking import StaleRecordError
from placements import services
from placements.gates import Gate, GateRefused
from placements.models import Cohort, Placement, PlacementStageEvent
from placements.selectors import Seats, batch_seats, next_season_returnees, with_gate_data
from tests.factories import (
    CandidateFactory,
    CohortFactory,
    EnrolmentFactory,
    LanguageResultFactory,
    OccupationFactory,
    PlacementFactory,
    ProgrammeFactory,
    TrainingBatchFactory,
    complete_placement,
    ruled_programme,
    today,
    verified_documents,
)

pytestmark = pytest.mark.django_db


def _fresh(placement: Placement) -> Placement:
    return with_gate_data(Placement.objects.filter(pk=placement.pk)).get()


# --- start ---------------------------------------------------------------------------------------


def test_start_copies_the_municipality_and_records_the_first_event(blitar_staff, blitar):
    candidate = CandidateFactory(municipality=blitar)
    national = ruled_programme(agreement__municipality=None, agreement__partner__municipality=None)
    placement = services.placement_start(candidate=candidate, programme=national, user=blitar_staff, note="walk-in")
    assert placement.municipality_id == blitar.pk
    assert placement.stage == "registered"
    event = placement.stage_events.get()
    assert (event.from_stage, event.to_stage, event.moved_by, event.note) == ("", "registered", blitar_staff, "walk-in")


def test_start_refuses_a_candidate_of_another_municipality(serang_staff, blitar):
    with pytest.raises(PermissionDenied):
        services.placement_start(
            candidate=CandidateFactory(municipality=blitar), programme=ruled_programme(), user=serang_staff
        )


def test_start_is_refused_without_consent(serang_staff):
    candidate = CandidateFactory(consent_given_on=None, consent_version="")
    with pytest.raises(GateRefused) as refused:
        services.placement_start(candidate=candidate, programme=ruled_programme(), user=serang_staff)
    assert refused.value.messages == ["Consent: the candidate has not given consent to data processing."]
    assert not Placement.objects.filter(candidate=candidate).exists()


def test_start_is_refused_when_an_open_placement_exists_in_the_programme(serang_staff):
    placement = PlacementFactory()
    with pytest.raises(GateRefused) as refused:
        services.placement_start(candidate=placement.candidate, programme=placement.programme, user=serang_staff)
    assert [f.gate for f in refused.value.failures] == [Gate.OPEN_PLACEMENT]


def test_start_is_refused_for_an_occupation_the_programme_does_not_request(serang_staff):
    programme = ruled_programme()
    programme.demands.create(occupation=OccupationFactory(name="Kurir"), requested=10)
    with pytest.raises(GateRefused) as refused:
        services.placement_start(
            candidate=CandidateFactory(),
            programme=programme,
            user=serang_staff,
            occupation=OccupationFactory(name="Juru las"),
        )
    assert "not requested by this programme" in refused.value.messages[0]


def test_bulk_start_starts_the_ones_that_pass_and_lists_the_others(serang_staff):
    programme = ruled_programme()
    good = CandidateFactory()
    no_consent = CandidateFactory(consent_given_on=None)
    result = services.placement_start_bulk(candidates=[good, no_consent], programme=programme, user=serang_staff)
    assert [p.candidate for p in result.started] == [good]
    assert [(c, len(m)) for c, m in result.refused] == [(no_consent, 1)]


# --- the happy path --------------------------------------------------------------------------------


def test_happy_path_from_registered_to_returned_records_every_move(serang_staff, serang):
    programme = ruled_programme()
    candidate = CandidateFactory(municipality=serang)
    placement = services.placement_start(candidate=candidate, programme=programme, user=serang_staff)

    def move(stage, **kwargs):
        nonlocal placement
        placement = services.placement_move(placement=_fresh(placement), to_stage=stage, user=serang_staff, **kwargs)
        assert placement.stage == stage

    move("screened")
    with pytest.raises(GateRefused) as refused:
        services.placement_move(placement=_fresh(placement), to_stage="documents_verified", user=serang_staff)
    assert refused.value.messages == ["Documents: missing Identity card (KTP), Passport, Health certificate."]
    verified_documents(candidate)
    move("documents_verified")
    batch = TrainingBatchFactory(programme=programme, municipality=serang, hours=240)
    enrolled = services.enrolment_create_bulk(batch=batch, placements=[_fresh(placement)], user=serang_staff)
    assert len(enrolled.done) == 1
    placement.refresh_from_db()
    assert placement.stage == "in_training"  # enrolling moved it on
    services.enrolment_update(
        enrolment=enrolled.done[0], user=serang_staff, attended_hours=240, final_score=88, result="passed"
    )
    LanguageResultFactory(candidate=candidate, score=95)
    move("ready")
    services.placement_update(
        placement=placement,
        user=serang_staff,
        employer="Changnyeong Logistics",
        contract_start=today() + timedelta(days=10),
        contract_end=today() + timedelta(days=10 + 3 * 365),
    )
    move("selected")
    cohort = services.cohort_create(
        user=serang_staff, programme=programme, name="Kloter 1", planned_departure=today() + timedelta(days=10)
    )
    assert services.cohort_add_placements(cohort=cohort, placements=[_fresh(placement)], user=serang_staff).done
    move("visa")
    services.placement_update(
        placement=_fresh(placement), user=serang_staff, visa_number="V0000001", visa_issued_on=today()
    )
    result = services.cohort_confirm_departure(cohort=cohort, user=serang_staff, on_date=today())
    assert [p.pk for p in result.moved] == [placement.pk] and result.refused == []
    result = services.cohort_confirm_arrival(cohort=cohort, user=serang_staff, on_date=today())
    assert [p.pk for p in result.moved] == [placement.pk]
    placement.refresh_from_db()
    assert (placement.stage, placement.departed_on) == ("abroad", today())
    services.placement_record_return(
        placement=_fresh(placement), user=serang_staff, on_date=today(), outcome="completed"
    )
    placement.refresh_from_db()
    assert (placement.stage, placement.returned_on, placement.return_outcome) == ("returned", today(), "completed")
    path = list(placement.stage_events.values_list("from_stage", "to_stage"))
    stages = ["registered", "screened", "documents_verified", "in_training", "ready", "selected", "visa"]
    stages += ["departed", "abroad", "returned"]
    assert path == list(zip(["", *stages[:-1]], stages, strict=True))
    assert placement.stage_events.filter(moved_by=serang_staff).count() == len(stages)
    assert placement.version > len(stages)


def test_every_move_bumps_the_version_and_a_stale_copy_is_refused(serang_staff):
    placement = complete_placement()
    stale = _fresh(placement)
    moved = services.placement_move(placement=_fresh(placement), to_stage="screened", user=serang_staff)
    assert moved.version == stale.version + 1
    with pytest.raises(StaleRecordError):
        services.placement_move(placement=stale, to_stage="screened", user=serang_staff)
    with pytest.raises(StaleRecordError):
        services.placement_move(
            placement=moved, to_stage="documents_verified", user=serang_staff, version=stale.version
        )


# --- early ends ----------------------------------------------------------------------------------

EARLY_ENDS = [
    ("registered", "withdrawn"),
    ("in_training", "failed"),
    ("screened", "medically_unfit"),
    ("abroad", "absconded"),
    ("departed", "repatriated"),
]


@pytest.mark.parametrize(("from_stage", "to_stage"), EARLY_ENDS)
def test_every_early_end_is_recorded_with_its_reason(serang_staff, from_stage, to_stage):
    placement = complete_placement()
    Placement.objects.filter(pk=placement.pk).update(stage=from_stage)
    with pytest.raises(GateRefused):
        services.placement_move(placement=_fresh(placement), to_stage=to_stage, user=serang_staff)
    services.placement_move(placement=_fresh(placement), to_stage=to_stage, user=serang_staff, reason="the reason")
    placement.refresh_from_db()
    assert (placement.stage, placement.end_reason, placement.ended_on) == (to_stage, "the reason", today())
    event = placement.stage_events.last()
    assert (event.from_stage, event.to_stage, event.reason) == (from_stage, to_stage, "the reason")


def test_a_withdrawn_placement_can_be_reopened_as_a_correction(serang_staff):
    placement = complete_placement()
    services.placement_move(placement=_fresh(placement), to_stage="screened", user=serang_staff)
    services.placement_move(placement=_fresh(placement), to_stage="withdrawn", user=serang_staff, reason="mistake")
    with pytest.raises(GateRefused):
        services.placement_move(placement=_fresh(placement), to_stage="ready", user=serang_staff, reason="undo")
    services.placement_move(placement=_fresh(placement), to_stage="screened", user=serang_staff, reason="undo")
    placement.refresh_from_db()
    assert (placement.stage, placement.end_reason, placement.ended_on) == ("screened", "", None)


def test_reopening_is_refused_while_another_placement_is_open(serang_staff):
    placement = complete_placement()
    services.placement_move(placement=_fresh(placement), to_stage="withdrawn", user=serang_staff, reason="left")
    services.placement_start(candidate=placement.candidate, programme=placement.programme, user=serang_staff)
    with pytest.raises(GateRefused) as refused:
        services.placement_move(placement=_fresh(placement), to_stage="registered", user=serang_staff, reason="x")
    assert [f.gate for f in refused.value.failures] == [Gate.OPEN_PLACEMENT]


RETURNS = [
    ("completed", "", "returned", True),
    ("ended_early", "contract ended by the employer", "returned", True),
    ("repatriated", "illness", "repatriated", True),
    ("absconded", "left the farm", "absconded", False),
]


@pytest.mark.parametrize(("outcome", "reason", "stage", "has_return_date"), RETURNS)
def test_returns_are_recorded_per_person_with_outcome(serang_staff, outcome, reason, stage, has_return_date):
    placement = complete_placement()
    Placement.objects.filter(pk=placement.pk).update(stage="abroad", departed_on=today() - timedelta(days=30))
    services.placement_record_return(
        placement=_fresh(placement), user=serang_staff, on_date=today(), outcome=outcome, reason=reason
    )
    placement.refresh_from_db()
    assert (placement.stage, placement.return_outcome) == (stage, outcome)
    assert (placement.returned_on is not None) == has_return_date
    assert placement.end_reason == reason


def test_a_return_other_than_completed_needs_a_reason_and_a_sane_date(serang_staff):
    placement = complete_placement()
    Placement.objects.filter(pk=placement.pk).update(stage="abroad", departed_on=today() - timedelta(days=30))
    with pytest.raises(ValidationError) as error:
        services.placement_record_return(
            placement=_fresh(placement), user=serang_staff, on_date=today(), outcome="absconded"
        )
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.placement_record_return(
            placement=_fresh(placement), user=serang_staff, on_date=today() - timedelta(days=60), outcome="completed"
        )
    assert "on_date" in error.value.message_dict


def test_only_a_departed_placement_can_return(serang_staff):
    with pytest.raises(GateRefused):
        services.placement_record_return(
            placement=_fresh(complete_placement()), user=serang_staff, on_date=today(), outcome="completed"
        )


# --- bulk ----------------------------------------------------------------------------------------


def test_bulk_move_moves_those_that_pass_and_lists_the_gate_of_the_others(serang_staff):
    programme = ruled_programme()
    passing = [complete_placement(programme=programme) for _ in range(3)]
    missing_docs = complete_placement(programme=programme)
    missing_docs.candidate.documents.filter(doc_type="passport").delete()
    no_consent = complete_placement(programme=programme, consent_given_on=None)
    Placement.objects.filter(programme=programme).update(stage="screened")
    placements = list(with_gate_data(Placement.objects.filter(programme=programme).order_by("pk")))
    result = services.placement_bulk_move(
        placements=placements, to_stage="documents_verified", user=serang_staff, note="batch check"
    )
    assert sorted(p.pk for p in result.moved) == sorted(p.pk for p in passing)
    refused = {p.pk: messages for p, messages in result.refused}
    assert refused == {
        missing_docs.pk: ["Documents: missing Passport."],
        no_consent.pk: ["Consent: the candidate has not given consent to data processing."],
    }
    assert PlacementStageEvent.objects.filter(to_stage="documents_verified", note="batch check").count() == 3
    assert Placement.objects.filter(pk__in=refused, stage="screened").count() == 2


# --- training ------------------------------------------------------------------------------------


def test_enrolment_stops_at_the_batch_capacity(serang_staff, serang):
    programme = ruled_programme()
    batch = TrainingBatchFactory(programme=programme, municipality=serang, capacity=2)
    EnrolmentFactory(batch=batch, placement=PlacementFactory(programme=programme))
    placements = [PlacementFactory(programme=programme, stage="documents_verified") for _ in range(3)]
    result = services.enrolment_create_bulk(batch=batch, placements=placements, user=serang_staff)
    assert [e.placement for e in result.done] == placements[:1]
    assert [m for _, m in result.refused] == [["Capacity: the batch is full (2 of 2 seats)."]] * 2
    assert batch.enrolments.count() == 2


def test_enrolment_refuses_another_programme_a_late_stage_and_a_duplicate(serang_staff):
    batch = TrainingBatchFactory(programme=ruled_programme())
    other = PlacementFactory()
    late = PlacementFactory(programme=batch.programme, stage="selected")
    twice = PlacementFactory(programme=batch.programme)
    EnrolmentFactory(batch=batch, placement=twice)
    result = services.enrolment_create_bulk(batch=batch, placements=[other, late, twice], user=serang_staff)
    assert result.done == []
    messages = [m[0] for _, m in result.refused]
    assert "another programme" in messages[0]
    assert "Selected cannot be enrolled" in messages[1]
    assert "already enrolled" in messages[2]


def test_batch_capacity_cannot_drop_below_its_enrolments(serang_staff):
    batch = TrainingBatchFactory(capacity=5)
    EnrolmentFactory.create_batch(3, batch=batch, placement__programme=batch.programme)
    with pytest.raises(ValidationError) as error:
        services.batch_update(batch=batch, user=serang_staff, capacity=2)
    assert "capacity" in error.value.message_dict


def test_enrolment_hours_cannot_exceed_the_batch(serang_staff):
    enrolment = EnrolmentFactory(batch=TrainingBatchFactory(hours=100))
    with pytest.raises(ValidationError):
        services.enrolment_update(
            enrolment=enrolment, user=serang_staff, attended_hours=120, final_score=None, result="pending"
        )


def test_a_read_only_official_cannot_move_or_enrol_through_the_services(serang_official, serang):
    placement = PlacementFactory(candidate=CandidateFactory(municipality=serang))
    with pytest.raises(PermissionDenied):
        services.placement_move(placement=placement, to_stage="screened", user=serang_official)
    with pytest.raises(PermissionDenied):
        services.enrolment_create_bulk(batch=TrainingBatchFactory(), placements=[placement], user=serang_official)
    with pytest.raises(PermissionDenied):
        services.cohort_create(user=serang_official, programme=placement.programme, name="X")


def test_bulk_results_are_all_or_nothing_and_name_the_refused_enrolment(serang_staff):
    batch = TrainingBatchFactory(hours=100)
    good, bad = EnrolmentFactory.create_batch(2, batch=batch, placement__programme=batch.programme)
    passed = {"attended_hours": 90, "final_score": 80, "result": "passed", "certificate_number": "S/1"}
    too_long = {"attended_hours": 120, "final_score": None, "result": "pending", "certificate_number": ""}
    with pytest.raises(services.EnrolmentRefused) as refused:
        services.enrolment_update_bulk(changes=[(good, passed), (bad, too_long)], user=serang_staff)
    assert refused.value.enrolment == bad
    assert "attended_hours" in refused.value.message_dict
    good.refresh_from_db()
    assert (good.attended_hours, good.result) == (0, "pending")
    services.enrolment_update_bulk(changes=[(good, passed)], user=serang_staff)
    good.refresh_from_db()
    assert (good.attended_hours, good.result, good.certificate_number) == (90, "passed", "S/1")


def test_batch_seats_count_every_offices_enrolments(serang_staff):
    batch = TrainingBatchFactory(capacity=3)
    EnrolmentFactory.create_batch(2, batch=batch, placement__programme=batch.programme)
    assert batch_seats(batch=batch) == Seats(taken=2, left=1)
    EnrolmentFactory.create_batch(2, batch=batch, placement__programme=batch.programme)
    assert batch_seats(batch=batch) == Seats(taken=4, left=0)


# --- cohorts -------------------------------------------------------------------------------------


def test_cohort_return_due_for_a_5_2_5_season(serang_staff):
    seasonal = ruled_programme(contract_months=None, season_months_abroad=5, season_rest_months=2, season_periods=2)
    cohort = services.cohort_create(
        user=serang_staff, programme=seasonal, name="Musim 2027", planned_departure=date(2027, 3, 1)
    )
    assert cohort.return_due_on == date(2028, 3, 1)


def test_cohort_return_due_for_a_three_year_contract_follows_the_actual_departure(serang_staff):
    programme = ruled_programme(contract_months=36)
    cohort = services.cohort_create(
        user=serang_staff, programme=programme, name="Kloter 1", planned_departure=today() + timedelta(days=5)
    )
    assert cohort.return_due_on == (today() + timedelta(days=5)).replace(year=today().year + 3)
    services.cohort_confirm_departure(cohort=cohort, user=serang_staff, on_date=today() - timedelta(days=1))
    cohort.refresh_from_db()
    departure = today() - timedelta(days=1)
    assert cohort.return_due_on == departure.replace(year=departure.year + 3)


def test_cohort_dates_are_checked_by_the_service_and_the_database(serang_staff):
    programme = ruled_programme(contract_months=None)
    with pytest.raises(ValidationError):
        services.cohort_create(
            user=serang_staff,
            programme=programme,
            name="Backwards",
            planned_departure=date(2027, 3, 1),
            return_due_on=date(2027, 2, 1),
        )
    cohort = CohortFactory(programme=programme)
    with pytest.raises(ValidationError):
        services.cohort_confirm_departure(cohort=cohort, user=serang_staff, on_date=today() + timedelta(days=1))
    services.cohort_confirm_departure(cohort=cohort, user=serang_staff, on_date=today())
    with pytest.raises(ValidationError):
        services.cohort_confirm_arrival(cohort=cohort, user=serang_staff, on_date=today() - timedelta(days=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Cohort.objects.filter(pk=cohort.pk).update(arrival_confirmed_on=today() - timedelta(days=3))


def test_only_selected_placements_of_the_programme_join_a_cohort(serang_staff):
    programme = ruled_programme()
    cohort = CohortFactory(programme=programme)
    selected = PlacementFactory(programme=programme, stage="selected")
    early = PlacementFactory(programme=programme, stage="ready")
    elsewhere = PlacementFactory(stage="selected")
    result = services.cohort_add_placements(cohort=cohort, placements=[selected, early, elsewhere], user=serang_staff)
    assert result.done == [selected]
    assert len(result.refused) == 2
    selected.refresh_from_db()
    assert (selected.cohort, selected.planned_return_on) == (cohort, cohort.return_due_on)


def test_departure_lists_the_placements_whose_gates_fail(serang_staff):
    programme = ruled_programme()
    cohort = CohortFactory(programme=programme, planned_departure=today())
    ready = complete_placement(programme=programme)
    no_visa = complete_placement(programme=programme)
    Placement.objects.filter(pk__in=[ready.pk, no_visa.pk]).update(stage="visa", cohort=cohort)
    Placement.objects.filter(pk=no_visa.pk).update(visa_number="")
    result = services.cohort_confirm_departure(cohort=cohort, user=serang_staff, on_date=today())
    assert [p.pk for p in result.moved] == [ready.pk]
    assert [(p.pk, m) for p, m in result.refused] == [
        (no_visa.pk, ["Visa: the visa number and issue date are not recorded."])
    ]


# --- next season ---------------------------------------------------------------------------------


def _blitar_returnee(blitar):
    programme = ProgrammeFactory(
        agreement__municipality=blitar,
        scheme="seasonal_e8",
        contract_months=None,
        season_months_abroad=5,
        season_rest_months=2,
        season_periods=2,
    )
    candidate = CandidateFactory(municipality=blitar)
    return PlacementFactory(
        candidate=candidate,
        programme=programme,
        stage="returned",
        departed_on=date(2025, 3, 3),
        returned_on=date(2026, 3, 3),
        return_outcome="completed",
        employer="Petani mitra Yeongdeok-gun",
    )


def test_inviting_a_returnee_reuses_the_candidate_record(blitar_staff, blitar, only_placements_rules):
    returnee = _blitar_returnee(blitar)
    assert list(next_season_returnees(user=blitar_staff, programme=returnee.programme)) == [returnee]
    invited = services.placement_invite_next_season(placement=returnee, user=blitar_staff)
    assert invited.candidate_id == returnee.candidate_id
    assert invited.previous_placement == returnee
    assert (invited.stage, invited.employer) == ("registered", "Petani mitra Yeongdeok-gun")
    assert list(next_season_returnees(user=blitar_staff, programme=returnee.programme)) == []
    with pytest.raises(GateRefused):
        services.placement_invite_next_season(placement=returnee, user=blitar_staff)


def test_a_reinvite_rule_keeps_a_returnee_out_until_staff_give_a_reason(blitar_staff, blitar, monkeypatch):
    from placements import extensions

    recorded = []
    rule = extensions.ReinviteRule(
        key="test",
        blockers=lambda placements: {p.pk: ["said no at the debrief"] for p in placements},
        overridden=lambda **kwargs: recorded.append(kwargs),
    )
    monkeypatch.setattr(extensions, "_reinvite_rules", {"test": rule})
    returnee = _blitar_returnee(blitar)
    assert extensions.reinvite_blockers([returnee]) == {returnee.pk: ["said no at the debrief"]}
    with pytest.raises(GateRefused) as refused:
        services.placement_invite_next_season(placement=returnee, user=blitar_staff, override_reason="  ")
    assert "not offered by default (said no at the debrief)" in refused.value.messages[0]
    assert not Placement.objects.filter(previous_placement=returnee).exists() and recorded == []
    invited = services.placement_invite_next_season(placement=returnee, user=blitar_staff, override_reason=" Asked ")
    assert invited.previous_placement == returnee
    assert recorded == [{"placement": returnee, "user": blitar_staff, "reason": "Asked"}]


def test_only_completed_seasonal_returnees_are_invited(blitar_staff, blitar):
    returnee = _blitar_returnee(blitar)
    Placement.objects.filter(pk=returnee.pk).update(return_outcome="ended_early")
    returnee.refresh_from_db()
    assert list(next_season_returnees(user=blitar_staff, programme=returnee.programme)) == []
    with pytest.raises(GateRefused):
        services.placement_invite_next_season(placement=returnee, user=blitar_staff)
