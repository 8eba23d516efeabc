"""Protection services: deadlines, the case flow and its log, outcomes that end the placement,
contacts, partner holds, the re-invitation defaults."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.locking import StaleRecordError
from placements import services as placement_services
from placements.gates import GateRefused
from placements.models import Placement, PlacementStageEvent
from protection import services
from protection.models import Case, CaseAction, Contact, ProgrammeHold, ProtectionSettings, ReinviteOverride
from protection.selectors import reinvite_blockers
from tests.factories import CohortFactory, PlacementFactory, complete_placement, today

from .conftest import abroad_placement

pytestmark = pytest.mark.django_db


def open_case(placement, user, **extra) -> Case:
    fields = dict(
        user=user,
        placement=placement,
        case_type=Case.Type.ILLNESS,
        severity=Case.Severity.CRITICAL,
        reported_by=Case.Reporter.FAMILY,
        reported_at=timezone.now() - timedelta(hours=1),
        summary="Admitted to hospital",
        description="Kidney infection; the employer has not paid the bill.",
    )
    fields.update(extra)
    return services.case_open(**fields)


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


# --- opening and deadlines -----------------------------------------------------------------------


@pytest.mark.parametrize(("severity", "hours"), [("critical", 24), ("high", 72), ("normal", 168)])
def test_first_action_deadline_follows_the_severity(serang_staff, abroad, severity, hours):
    case = open_case(abroad, serang_staff, severity=severity)
    assert case.first_action_due - case.reported_at == timedelta(hours=hours)
    assert case.status == "open" and case.municipality_id == abroad.municipality_id
    assert list(case.actions.values_list("kind", "what")) == [("opened", "Admitted to hospital")]


def test_a_programme_sets_its_own_deadlines(serang_staff, abroad):
    ProtectionSettings.objects.create(programme=abroad.programme, critical_deadline_hours=6)
    case = open_case(abroad, serang_staff)
    assert case.first_action_due - case.reported_at == timedelta(hours=6)


def test_a_deadline_in_the_past_or_later_than_the_programmes_is_refused(serang_staff, abroad):
    with pytest.raises(ValidationError) as past:
        open_case(abroad, serang_staff, first_action_due=timezone.now() - timedelta(minutes=5))
    assert "cannot be in the past" in str(past.value)
    with pytest.raises(ValidationError) as later:
        open_case(abroad, serang_staff, first_action_due=timezone.now() + timedelta(days=5))
    assert "sooner" in str(later.value)
    assert not Case.objects.exists()


def test_a_case_needs_a_placement_that_left_the_country(serang_staff, serang):
    registered = PlacementFactory(candidate__municipality=serang)
    with pytest.raises(ValidationError) as refused:
        open_case(registered, serang_staff)
    assert "abroad or after its return" in str(refused.value)


def test_a_case_on_another_municipalitys_placement_is_refused(serang_staff, blitar_abroad):
    with pytest.raises(PermissionDenied):
        open_case(blitar_abroad, serang_staff)
    assert not Case.objects.exists()


def test_a_report_in_the_future_is_refused(serang_staff, abroad):
    with pytest.raises(ValidationError, match="future"):
        open_case(abroad, serang_staff, reported_at=timezone.now() + timedelta(hours=2))


# --- the flow ------------------------------------------------------------------------------------


def test_a_report_is_dated_in_local_time_against_the_departure(serang_staff, abroad):
    """Reported at 00:30 WIB on the departure day is 17:30 UTC the day before: still after departure."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    departed = today() - timedelta(days=2)
    Placement.objects.filter(pk=abroad.pk).update(departed_on=departed)
    abroad.refresh_from_db()
    just_after_midnight = datetime.combine(departed, time(0, 30), tzinfo=ZoneInfo("Asia/Jakarta"))
    case = open_case(abroad, serang_staff, reported_at=just_after_midnight.astimezone(ZoneInfo("UTC")))
    assert timezone.localtime(case.reported_at).date() == departed
    with pytest.raises(ValidationError, match="before the departure"):
        open_case(abroad, serang_staff, reported_at=just_after_midnight - timedelta(hours=1))


def test_the_first_action_starts_the_case_and_meets_the_deadline(serang_staff, abroad):
    case = open_case(abroad, serang_staff)
    assert Case.objects.past_deadline(timezone.now() + timedelta(days=2)).count() == 1
    services.case_add_action(
        case=case,
        user=serang_staff,
        acted_on=today(),
        what="Called the hospital",
        next_step="Call the employer",
        version=case.version,
    )
    case = fresh(case)
    assert case.status == "in_progress" and case.first_action_at is not None
    assert Case.objects.past_deadline(timezone.now() + timedelta(days=2)).count() == 0
    action = case.actions.last()
    assert (action.what, action.next_step, action.acted_by, action.status_after) == (
        "Called the hospital",
        "Call the employer",
        serang_staff,
        "in_progress",
    )


def test_escalation_says_to_whom(serang_staff, abroad):
    case = open_case(abroad, serang_staff)
    with pytest.raises(ValidationError, match="to whom"):
        services.case_escalate(case=case, user=serang_staff, to="", acted_on=today(), what="x", version=case.version)
    services.case_escalate(
        case=case, user=serang_staff, to="embassy", acted_on=today(), what="Asked KBRI Seoul", version=case.version
    )
    case = fresh(case)
    assert (case.status, case.escalated_to) == ("escalated", "embassy")
    assert case.actions.last().kind == "escalated"


def test_two_people_editing_one_case_the_second_is_refused(serang_staff, abroad):
    case = open_case(abroad, serang_staff)
    opened_with = case.version
    services.case_add_action(case=case, user=serang_staff, acted_on=today(), what="First", version=opened_with)
    with pytest.raises(StaleRecordError):
        services.case_add_action(case=case, user=serang_staff, acted_on=today(), what="Second", version=opened_with)
    assert list(fresh(case).actions.values_list("what", flat=True)) == ["Admitted to hospital", "First"]


def test_a_case_cannot_be_closed_without_an_outcome(serang_staff, abroad):
    case = open_case(abroad, serang_staff)
    with pytest.raises(ValidationError) as refused:
        services.case_close(case=case, user=serang_staff, acted_on=today(), what="Done", version=case.version)
    assert refused.value.message_dict == {"outcome": ["A case cannot be closed without an outcome."]}
    assert fresh(case).status == "open" and fresh(case).actions.count() == 1


def test_a_resolved_case_closes_with_its_outcome_and_then_takes_no_more_actions(serang_staff, abroad):
    case = open_case(abroad, serang_staff, case_type="wages", severity="normal")
    services.case_resolve(
        case=case, user=serang_staff, outcome="continues", acted_on=today(), what="Employer paid", version=1
    )
    case = fresh(case)
    assert (case.status, case.outcome) == ("resolved", "continues")
    services.case_close(case=case, user=serang_staff, acted_on=today(), what="Confirmed", version=case.version)
    case = fresh(case)
    assert case.status == "closed" and case.closed_at is not None
    with pytest.raises(ValidationError, match="closed"):
        services.case_add_action(case=case, user=serang_staff, acted_on=today(), what="More", version=case.version)
    abroad.refresh_from_db()
    assert abroad.stage == "abroad"  # a wage dispute settled: the worker stays


@pytest.mark.parametrize(
    ("outcome", "stage", "return_outcome", "returned"),
    [
        ("repatriated", "repatriated", "repatriated", True),
        ("absconded", "absconded", "absconded", False),
        ("early_return", "returned", "ended_early", True),
        ("died", "repatriated", "repatriated", True),
    ],
)
def test_an_outcome_that_ends_the_placement_moves_it_with_its_event(
    serang_staff, abroad, outcome, stage, return_outcome, returned
):
    case = open_case(abroad, serang_staff)
    services.case_resolve(case=case, user=serang_staff, outcome=outcome, acted_on=today(), what="Done", version=1)
    placement = Placement.objects.get(pk=abroad.pk)
    assert (placement.stage, placement.return_outcome) == (stage, return_outcome)
    assert (placement.returned_on == today()) is returned
    event = PlacementStageEvent.objects.filter(placement=placement).latest("moved_at")
    assert (event.from_stage, event.to_stage, event.moved_by) == ("abroad", stage, serang_staff)
    assert f"#{case.pk}" in event.reason
    assert "Kidney" not in event.reason and "Kidney" not in placement.end_reason  # the case's notes stay in the case


def test_an_outcome_the_placement_refuses_leaves_nothing_half_saved(serang_staff, abroad):
    case = open_case(abroad, serang_staff)
    Placement.objects.filter(pk=abroad.pk).update(stage="returned", returned_on=today(), return_outcome="completed")
    with pytest.raises(ValidationError) as refused:
        services.case_resolve(
            case=case, user=serang_staff, outcome="repatriated", acted_on=today(), what="Flown home", version=1
        )
    assert "The placement cannot end this way" in refused.value.message_dict["outcome"][0]
    case = fresh(case)
    assert (case.status, case.outcome, case.version, case.actions.count()) == ("open", "", 1, 1)


def test_closing_with_an_ending_outcome_but_no_note_rolls_the_placement_back(serang_staff, abroad):
    case = open_case(abroad, serang_staff)
    with pytest.raises(ValidationError):
        services.case_close(
            case=case, user=serang_staff, outcome="absconded", acted_on=today(), what="  ", version=case.version
        )
    assert Placement.objects.get(pk=abroad.pk).stage == "abroad"
    assert fresh(case).status == "open"


# --- contact -------------------------------------------------------------------------------------


def test_a_contact_is_recorded_for_a_worker_abroad_only(serang_staff, abroad, serang):
    contact = services.contact_create(
        user=serang_staff, placement=abroad, contacted_on=today(), channel="phone", wellbeing="serious", note="Ill"
    )
    assert (contact.municipality_id, contact.contacted_by) == (serang.pk, serang_staff)
    with pytest.raises(ValidationError, match="future"):
        services.contact_create(
            user=serang_staff,
            placement=abroad,
            contacted_on=today() + timedelta(days=1),
            channel="phone",
            wellbeing="good",
        )
    home = PlacementFactory(candidate__municipality=serang, stage="visa")
    with pytest.raises(ValidationError, match="not abroad"):
        services.contact_create(
            user=serang_staff, placement=home, contacted_on=today(), channel="phone", wellbeing="good"
        )


def test_bulk_contact_after_a_group_call(serang_staff, abroad, serang):
    mate = abroad_placement(municipality=serang, programme=abroad.programme, cohort=abroad.cohort)
    stranger = abroad_placement(municipality=serang)
    result = services.contact_create_bulk(
        user=serang_staff,
        cohort=abroad.cohort,
        placements=[abroad, mate, stranger],
        contacted_on=today(),
        channel="group_call",
        wellbeing={mate.pk: "concern"},
        note="Monthly group call",
    )
    assert sorted((c.placement_id, c.wellbeing) for c in result.done) == sorted(
        [(abroad.pk, "good"), (mate.pk, "concern")]
    )
    assert result.refused == [(stranger, ["Contact: not in this cohort."])]
    assert Contact.objects.count() == 2


def test_contact_record_keeps_the_numbers_abroad(serang_staff, abroad, blitar_staff):
    record = services.contact_record_save(
        user=serang_staff, placement=abroad, phone_abroad=" +82 10 1234 5678 ", emergency_contact_name="Ibu Siti"
    )
    assert (record.phone_abroad, record.emergency_contact_name) == ("+82 10 1234 5678", "Ibu Siti")
    services.contact_record_save(user=serang_staff, placement=abroad, phone_abroad="+82 10 9999 0000")
    abroad.contact_record.refresh_from_db()
    assert abroad.contact_record.phone_abroad == "+82 10 9999 0000"
    with pytest.raises(PermissionDenied):
        services.contact_record_save(user=blitar_staff, placement=abroad, phone_abroad="1")


# --- holds ---------------------------------------------------------------------------------------


def test_a_hold_refuses_departure_until_it_is_lifted(serang_staff, serang_admin):
    placement = complete_placement()
    Placement.objects.filter(pk=placement.pk).update(stage="visa")
    placement = Placement.objects.get(pk=placement.pk)
    hold = services.hold_create(
        user=serang_admin,
        programme=placement.programme,
        held_on=today() - timedelta(days=3),
        reason="91 of 98 workers absconded",
        source="Letter of the partner county",
    )
    with pytest.raises(GateRefused) as refused:
        placement_services.placement_move(placement=placement, to_stage="departed", user=serang_staff)
    assert "on hold by the partner country" in refused.value.messages[0]
    cohort = CohortFactory(programme=placement.programme, planned_departure=today())
    with pytest.raises(ValidationError, match="on hold"):
        placement_services.cohort_confirm_departure(cohort=cohort, user=serang_staff, on_date=today())
    cohort.refresh_from_db()
    assert cohort.actual_departure is None
    services.hold_lift(user=serang_admin, hold=hold, lifted_on=today())
    placement = Placement.objects.get(pk=placement.pk)
    placement_services.placement_move(placement=placement, to_stage="departed", user=serang_staff)
    assert Placement.objects.get(pk=placement.pk).stage == "departed"


def test_a_hold_is_recorded_by_the_programmes_own_office(blitar_staff, abroad):
    with pytest.raises(PermissionDenied):
        services.hold_create(user=blitar_staff, programme=abroad.programme, held_on=today(), reason="x", source="y")
    assert not ProgrammeHold.objects.exists()


# --- next season ---------------------------------------------------------------------------------


def _returnee(placement, user):
    services.case_resolve(
        case=open_case(placement, user, case_type="grievance", severity="normal"),
        user=user,
        outcome="continues",
        acted_on=today(),
        what="Heard",
        version=1,
    )
    Placement.objects.filter(pk=placement.pk).update(stage="returned", returned_on=today(), return_outcome="completed")
    placement.programme.scheme = "seasonal_e8"
    placement.programme.contract_months = None
    placement.programme.season_months_abroad = 5
    placement.programme.season_periods = 1
    placement.programme.save()
    return Placement.objects.select_related("programme").get(pk=placement.pk)


def test_reinvitation_needs_a_debrief_that_wants_to_go_again(serang_staff, abroad):
    returnee = _returnee(abroad, serang_staff)
    assert reinvite_blockers(returnee) == ["no return debrief yet"]
    services.debrief_save(
        user=serang_staff, placement=returnee, debriefed_on=today(), wages_as_promised="yes", wants_to_go_again="no"
    )
    assert reinvite_blockers(returnee) == ["the debrief says they do not want to go again"]
    # placements' own next-season service applies the defaults (extensions.reinvite_rules).
    with pytest.raises(GateRefused) as refused:
        placement_services.placement_invite_next_season(user=serang_staff, placement=returnee)
    assert refused.value.messages == [
        "Next season: not offered by default (the debrief says they do not want to go again); "
        "give a reason to invite all the same."
    ]
    assert not Placement.objects.filter(previous_placement=returnee).exists()
    assert not ReinviteOverride.objects.exists()
    invited = placement_services.placement_invite_next_season(
        user=serang_staff, placement=returnee, override_reason="  Changed her mind at the job fair "
    )
    assert invited.previous_placement == returnee
    override = ReinviteOverride.objects.get(placement=returnee)
    assert (override.reason, override.decided_by) == ("Changed her mind at the job fair", serang_staff)


def test_a_returnee_offered_by_default_is_invited_without_a_reason_and_nothing_is_recorded(serang_staff, abroad):
    returnee = _returnee(abroad, serang_staff)
    services.debrief_save(
        user=serang_staff, placement=returnee, debriefed_on=today(), wages_as_promised="yes", wants_to_go_again="yes"
    )
    invited = placement_services.placement_invite_next_season(user=serang_staff, placement=returnee)
    assert invited.previous_placement == returnee
    assert not ReinviteOverride.objects.exists()


def test_an_unresolved_case_or_an_absconding_keeps_a_returnee_out(serang_staff, abroad, serang):
    returnee = _returnee(abroad, serang_staff)
    services.debrief_save(
        user=serang_staff, placement=returnee, debriefed_on=today(), wages_as_promised="yes", wants_to_go_again="yes"
    )
    assert reinvite_blockers(returnee) == []
    Case.objects.update(status="in_progress")
    assert reinvite_blockers(returnee) == ["has an unresolved protection case"]
    Case.objects.update(status="closed")
    PlacementFactory(candidate=returnee.candidate, stage="absconded")
    assert reinvite_blockers(returnee) == ["absconded from a placement"]


def test_follow_ups_come_after_the_return(serang_staff, abroad):
    with pytest.raises(ValidationError, match="no return"):
        services.follow_up_save(user=serang_staff, placement=abroad, month=3, followed_on=today(), work="employed")
    Placement.objects.filter(pk=abroad.pk).update(
        stage="returned", departed_on=today() - timedelta(days=400), returned_on=today() - timedelta(days=90)
    )
    abroad.refresh_from_db()
    follow_up = services.follow_up_save(
        user=serang_staff, placement=abroad, month=3, followed_on=today(), work="business", business="Warung"
    )
    assert (follow_up.month, follow_up.work, follow_up.business) == (3, "business", "Warung")
    with pytest.raises(ValidationError, match="3 or 6"):
        services.follow_up_save(user=serang_staff, placement=abroad, month=4, followed_on=today(), work="employed")


def test_the_action_log_never_loses_an_entry(serang_staff, abroad):
    case = open_case(abroad, serang_staff)
    services.case_escalate(case=case, user=serang_staff, to="ministry", acted_on=today(), what="To KP2MI", version=1)
    services.case_resolve(case=case, user=serang_staff, outcome="repatriated", acted_on=today(), what="Home", version=2)
    kinds = list(CaseAction.objects.filter(case=case).values_list("kind", "status_after"))
    assert kinds == [("opened", "open"), ("escalated", "escalated"), ("resolved", "resolved")]
