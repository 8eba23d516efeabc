"""The scholarship services: the stage set, every rule, rounds, scoring, ranking, approval,
publication, study abroad and the service commitment."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from placements.gates import GateRefused
from placements.models import PlacementStage
from placements.services import placement_start
from scholarships import services
from scholarships.models import Application, ApplicationStage, ApplicationStageEvent, Score, SelectionRound
from tests.factories import CandidateFactory, DocumentFactory, ProgrammeFactory, scholarship_applicant

from .conftest import register, score_all, to_interviewed

pytestmark = pytest.mark.django_db


# --- the stage set per scheme ---------------------------------------------------------------------


def test_work_programmes_keep_their_stages_and_scholarships_have_their_own():
    assert [s.value for s in PlacementStage.pipeline()] == [
        "registered",
        "screened",
        "documents_verified",
        "in_training",
        "ready",
        "selected",
        "visa",
        "departed",
        "abroad",
        "returned",
    ]
    assert services.PIPELINE == [
        "applied",
        "eligible",
        "shortlisted",
        "interviewed",
        "awarded",
        "admitted",
        "visa",
        "departed",
        "studying",
        "graduated",
        "returned",
    ]
    assert services.EARLY_ENDS == ["withdrawn", "not_awarded", "not_admitted", "dropped_out"]


def test_a_worker_placement_in_a_scholarship_programme_is_refused(serang_staff, serang_round):
    candidate = CandidateFactory()
    with pytest.raises(GateRefused) as refused:
        placement_start(candidate=candidate, programme=serang_round.programme, user=serang_staff)
    assert "scholarship" in refused.value.messages[0]
    # A work programme still starts.
    work = ProgrammeFactory()
    assert placement_start(candidate=candidate, programme=work, user=serang_staff).stage == "registered"


def test_registering_records_the_first_move_and_one_person_applies_once_per_round(serang_staff, serang_round):
    candidate = scholarship_applicant()
    app = register(serang_round, serang_staff, candidate=candidate)
    assert app.stage == "applied" and app.municipality_id == candidate.municipality_id
    assert list(app.stage_events.values_list("from_stage", "to_stage")) == [("", "applied")]
    with pytest.raises(ValidationError, match="already applied"):
        register(serang_round, serang_staff, candidate=candidate)
    assert Application.objects.filter(candidate=candidate).count() == 1


def test_a_grade_outside_its_scale_is_refused_next_to_the_field(serang_staff, serang_round):
    with pytest.raises(ValidationError) as error:
        register(serang_round, serang_staff, grade_scale="ipk", grade_average=Decimal("4.5"))
    assert "grade_average" in error.value.error_dict
    assert not Application.objects.exists()


def test_moves_go_one_stage_forward_and_each_is_recorded(serang_staff, serang_round):
    app = register(serang_round, serang_staff)
    with pytest.raises(GateRefused, match="one stage at a time"):
        services.application_move(user=serang_staff, application=app, to_stage="shortlisted")
    services.application_move(user=serang_staff, application=app, to_stage="eligible")
    with pytest.raises(GateRefused, match="call for applications has closed"):
        services.application_move(user=serang_staff, application=app, to_stage="shortlisted")
    assert list(app.stage_events.values_list("to_stage", flat=True)) == ["applied", "eligible"]


def test_an_early_end_needs_a_reason_and_its_place(serang_staff, serang_round):
    app = register(serang_round, serang_staff)
    with pytest.raises(GateRefused, match="reason"):
        services.application_move(user=serang_staff, application=app, to_stage="withdrawn")
    with pytest.raises(GateRefused, match="not possible"):
        services.application_move(user=serang_staff, application=app, to_stage="dropped_out", reason="x")
    services.application_move(user=serang_staff, application=app, to_stage="withdrawn", reason="Moved away")
    app.refresh_from_db()
    assert app.stage == "withdrawn" and app.end_reason == "Moved away"


# --- every eligibility rule -------------------------------------------------------------------------


def _eligible_refused(staff, round_, **data):
    app = register(round_, staff, **data)
    with pytest.raises(GateRefused) as refused:
        services.application_move(user=staff, application=app, to_stage="eligible")
    app.refresh_from_db()
    assert app.stage == "applied"
    return " ".join(refused.value.messages)


def test_eligibility_needs_consent(serang_staff, serang_round):
    candidate = scholarship_applicant()
    candidate.consent_given_on = None
    candidate.save()
    assert "consent" in _eligible_refused(serang_staff, serang_round, candidate=candidate)


def test_eligibility_needs_the_age_band_on_the_closing_date(serang_staff, serang_round):
    closes = serang_round.closes_on
    old = scholarship_applicant(birth_date=closes.replace(year=closes.year - 26))
    assert "age 26" in _eligible_refused(serang_staff, serang_round, candidate=old)


def test_eligibility_needs_the_topik_level(serang_staff, serang_round):
    candidate = scholarship_applicant()
    candidate.language_results.update(score=2)
    assert "TOPIK" in _eligible_refused(serang_staff, serang_round, candidate=candidate)


def test_an_applicant_under_18_needs_a_guardians_consent(serang_staff, serang_round):
    closes = serang_round.closes_on
    young = scholarship_applicant(birth_date=closes.replace(year=closes.year - 17))
    assert "guardian" in _eligible_refused(serang_staff, serang_round, candidate=young)
    other = scholarship_applicant(birth_date=closes.replace(year=closes.year - 17))
    app = register(
        serang_round, serang_staff, candidate=other, guardian_name="Ibu Siti", guardian_consent_on=timezone.localdate()
    )
    services.application_move(user=serang_staff, application=app, to_stage="eligible")
    assert app.stage == "eligible"


def test_eligibility_needs_the_minimum_grade_on_either_scale(serang_staff, serang_round):
    assert "below the minimum 80" in _eligible_refused(serang_staff, serang_round, grade_average=79)
    # IPK 3.20 × 25 = 80: exactly the minimum.
    app = register(serang_round, serang_staff, grade_scale="ipk", grade_average=Decimal("3.20"))
    services.application_move(user=serang_staff, application=app, to_stage="eligible")
    assert "below the minimum" in _eligible_refused(
        serang_staff, serang_round, grade_scale="ipk", grade_average=Decimal("3.19")
    )


def test_eligibility_needs_income_within_the_maximum_and_a_verified_sktm(serang_staff, serang_round):
    assert "above the maximum" in _eligible_refused(serang_staff, serang_round, family_income_per_person=1_000_001)
    candidate = scholarship_applicant()
    candidate.documents.filter(doc_type="sktm").update(verified_at=None)
    assert "SKTM" in _eligible_refused(serang_staff, serang_round, candidate=candidate)


def test_eligibility_needs_a_field_of_study_of_the_programme(serang_staff, serang_round):
    rules = serang_round.programme.scholarship_rules
    rules.fields_of_study = ["agriculture", "health"]
    rules.save()
    assert "Field of study" in _eligible_refused(serang_staff, serang_round, intended_field="arts")


# --- rounds: closing, scoring, conflicts, ranking, approval, publication ------------------------------


def test_a_round_closed_twice_is_refused(serang_staff, serang_round):
    services.round_close(user=serang_staff, selection_round=serang_round)
    with pytest.raises(ValidationError, match="already closed"):
        services.round_close(user=serang_staff, selection_round=serang_round)
    with pytest.raises(ValidationError, match="closed for applications"):
        register(serang_round, serang_staff)


def test_round_weights_must_add_up_to_100(serang_staff):
    from tests.factories import scholarship_programme

    programme = scholarship_programme()
    data = {"name": "R", "opens_on": timezone.localdate(), "closes_on": timezone.localdate(), "quota": 3}
    with pytest.raises(ValidationError) as error:
        services.round_create(user=serang_staff, programme=programme, data={**data, "weight_essay": 20})
    assert "weight_merit" in error.value.error_dict
    assert not SelectionRound.objects.exists()
    assert services.round_create(user=serang_staff, programme=programme, data=data).status == "open"


@pytest.fixture
def scored_round(serang_staff, serang_official, second_reviewer, serang_round):
    """Four interviewed applicants; the staff member and the official are the reviewers."""
    apps = [register(serang_round, serang_staff) for _ in range(4)]
    to_interviewed(serang_round, serang_staff, apps)
    services.round_set_reviewers(
        user=serang_staff, selection_round=serang_round, reviewers=[serang_staff, serang_official, second_reviewer]
    )
    return serang_round, apps


def test_a_score_outside_the_range_is_refused_and_nothing_is_saved(scored_round, serang_staff):
    _round, apps = scored_round
    with pytest.raises(ValidationError) as error:
        services.score_save(user=serang_staff, application=apps[0], values={"merit": 80, "need": 101})
    assert "need" in error.value.error_dict
    assert not Score.objects.exists()


def test_only_reviewers_of_the_round_score(scored_round, blitar_staff, serang_admin):
    _round, apps = scored_round
    with pytest.raises(PermissionDenied):
        services.score_save(user=serang_admin, application=apps[0], values={"merit": 80})
    with pytest.raises(PermissionDenied):
        services.score_save(user=blitar_staff, application=apps[0], values={"merit": 80})


def test_a_reviewer_with_a_conflict_is_excluded_and_refused(scored_round, serang_official):
    _round, apps = scored_round
    score_all(serang_official, apps[0], 90, 90)
    services.conflict_declare(user=serang_official, application=apps[0], reason="My niece")
    assert not Score.objects.filter(application=apps[0], reviewer=serang_official).exists()
    with pytest.raises(ValidationError, match="conflict of interest"):
        score_all(serang_official, apps[0], 90, 90)


def test_two_reviewers_scores_both_count(scored_round, serang_staff, serang_official):
    round_, apps = scored_round
    score_all(serang_staff, apps[0], 80, 60)
    score_all(serang_official, apps[0], 60, 80)
    row = next(r for r in services.round_ranking(round_) if r.application.pk == apps[0].pk)
    assert row.reviewers == 2
    assert row.averages["merit"] == Decimal("70.00") and row.averages["need"] == Decimal("70.00")
    # 0.4×70 + 0.3×70 + 0.2×70 + 0.1×70
    assert row.total == Decimal("70.00")


def test_ranking_breaks_ties_by_need_then_the_earlier_application(scored_round, serang_staff, serang_official):
    round_, (a, b, c, d) = scored_round
    # a and b: equal totals (0.4×80 + 0.3×60 = 0.4×65 + 0.3×80 = 50 + 14 + 7); b has more need.
    score_all(serang_staff, a, 80, 60)
    score_all(serang_staff, b, 65, 80)
    # c and d: identical scores; c applied first.
    score_all(serang_staff, c, 50, 50)
    score_all(serang_staff, d, 50, 50)
    # The official's conflict with a: his low score of a never counts.
    score_all(serang_official, a, 0, 0)
    services.conflict_declare(user=serang_official, application=a, reason="Neighbour")
    ranking = services.round_ranking(round_)
    assert [r.application.pk for r in ranking] == [b.pk, a.pk, c.pk, d.pk]
    assert ranking[0].total == ranking[1].total
    assert [r.outcome for r in ranking] == ["awarded", "awarded", "reserve", "not_awarded"]


def test_approval_needs_every_applicant_scored_and_publication_needs_approval(
    scored_round, serang_staff, serang_official
):
    round_, apps = scored_round
    for i, app in enumerate(apps[:3]):
        score_all(serang_staff, app, 90 - i, 50)
    with pytest.raises(ValidationError, match="Results can be published only after"):
        services.round_publish(user=serang_staff, selection_round=round_)
    with pytest.raises(ValidationError, match="Not every shortlisted applicant"):
        services.round_approve(user=serang_official, selection_round=round_)
    with pytest.raises(PermissionDenied):
        services.round_approve(user=serang_staff, selection_round=round_)
    score_all(serang_staff, apps[3], 10, 10)
    services.round_approve(user=serang_official, selection_round=round_)
    round_.refresh_from_db()
    assert round_.status == "approved" and round_.approved_by == serang_official
    stages = dict(Application.objects.values_list("pk", "stage"))
    assert [stages[a.pk] for a in apps] == ["awarded", "awarded", "interviewed", "not_awarded"]
    assert Application.objects.get(pk=apps[2].pk).outcome == "reserve"
    assert ApplicationStageEvent.objects.filter(to_stage="not_awarded", reason__contains="Rank 4 of 4").exists()
    with pytest.raises(ValidationError, match="already approved"):
        services.round_approve(user=serang_official, selection_round=round_)
    with pytest.raises(ValidationError, match="approved"):
        score_all(serang_staff, apps[0], 1, 1)
    services.round_publish(user=serang_staff, selection_round=round_)
    with pytest.raises(ValidationError, match="already published"):
        services.round_publish(user=serang_staff, selection_round=round_)


@pytest.fixture
def approved_round(scored_round, serang_staff, serang_official):
    round_, apps = scored_round
    for i, app in enumerate(apps):
        score_all(serang_staff, app, 90 - 10 * i, 50)
    services.round_approve(user=serang_official, selection_round=round_)
    for app in apps:
        app.refresh_from_db()
    return round_, apps


def test_an_award_over_the_quota_is_refused_until_someone_withdraws(approved_round, serang_staff):
    round_, (first, second, reserve, _last) = approved_round
    with pytest.raises(GateRefused, match="quota of 2 awards is reached"):
        services.application_move(user=serang_staff, application=reserve, to_stage="awarded")
    services.application_move(user=serang_staff, application=first, to_stage="withdrawn", reason="Chose another offer")
    reserve.refresh_from_db()
    services.application_move(user=serang_staff, application=reserve, to_stage="awarded")
    assert services.awarded_count(round_) == 2


def _to_studying(app, staff):
    DocumentFactory(candidate=app.candidate, doc_type="admission_letter", verified_at=timezone.now(), expires_on=None)
    for doc_type in ("ktp", "passport"):
        DocumentFactory(candidate=app.candidate, doc_type=doc_type, verified_at=timezone.now())
    services.application_move(user=staff, application=app, to_stage="admitted", university="Pusan National University")
    services.application_move(
        user=staff, application=app, to_stage="visa", visa_number="D2-123", visa_issued_on=timezone.localdate()
    )
    services.application_move(user=staff, application=app, to_stage="departed")
    services.application_move(user=staff, application=app, to_stage="studying")


def test_admission_needs_the_letter_of_acceptance_and_departure_a_valid_passport(approved_round, serang_staff):
    _round, (first, *_rest) = approved_round
    with pytest.raises(GateRefused, match="letter of acceptance"):
        services.application_move(user=serang_staff, application=first, to_stage="admitted", university="PNU")
    _to_studying(first, serang_staff)
    assert first.stage == "studying"
    second = _rest[0]
    DocumentFactory(candidate=second.candidate, doc_type="admission_letter", verified_at=timezone.now())
    services.application_move(user=serang_staff, application=second, to_stage="admitted", university="PNU")
    services.application_move(
        user=serang_staff, application=second, to_stage="visa", visa_number="D2-9", visa_issued_on=timezone.localdate()
    )
    with pytest.raises(GateRefused, match="Passport"):
        services.application_move(user=serang_staff, application=second, to_stage="departed")
    second.refresh_from_db()
    assert second.stage == "visa" and second.departed_on is None


def test_semester_reports_are_for_students_abroad_and_alert_below_the_minimum(approved_round, serang_staff):
    from scholarships.reminders import semester_alert_count, semester_alerts

    _round, (first, second, *_rest) = approved_round
    with pytest.raises(ValidationError, match="student abroad"):
        services.semester_report_add(
            user=serang_staff, application=first, semester=1, grade_average=Decimal("3.5"), credits=18, status="good"
        )
    _to_studying(first, serang_staff)
    today = timezone.localdate()
    assert semester_alert_count(user=serang_staff, today=today) == 0
    services.semester_report_add(
        user=serang_staff, application=first, semester=1, grade_average=Decimal("2.50"), credits=18, status="probation"
    )
    assert semester_alert_count(user=serang_staff, today=today) == 1
    [alert] = semester_alerts(user=serang_staff, today=today, limit=10)
    assert "below the programme's minimum 2.75" in alert.message
    # A report missing: six months after the last one, with no new report.
    assert semester_alert_count(user=serang_staff, today=today + timedelta(days=200)) == 1
    services.semester_report_add(
        user=serang_staff, application=first, semester=2, grade_average=Decimal("3.10"), credits=18, status="good"
    )
    assert semester_alert_count(user=serang_staff, today=today) == 0
    [late] = semester_alerts(user=serang_staff, today=today + timedelta(days=200), limit=10)
    assert "was due on" in late.message


def test_return_opens_the_service_commitment_until_fulfilled_or_waived(approved_round, serang_staff):
    _round, (first, second, *_rest) = approved_round
    for app in (first, second):
        _to_studying(app, serang_staff)
        services.application_move(user=serang_staff, application=app, to_stage="graduated")
        services.application_move(user=serang_staff, application=app, to_stage="returned")
        app.refresh_from_db()
    today = timezone.localdate()
    assert first.commitment_until == today.replace(year=today.year + 2)
    assert first.commitment_open
    with pytest.raises(ValidationError) as early:
        services.commitment_fulfil(user=serang_staff, application=first, on_date=today)
    assert "on_date" in early.value.error_dict
    with pytest.raises(ValidationError) as no_reason:
        services.commitment_waive(user=serang_staff, application=second, on_date=today, reason=" ")
    assert "reason" in no_reason.value.error_dict
    services.commitment_waive(user=serang_staff, application=second, on_date=today, reason="Serious illness")
    second.refresh_from_db()
    assert not second.commitment_open and second.commitment_waiver_reason == "Serious illness"


def test_read_only_roles_and_other_offices_cannot_write(serang_round, serang_official, blitar_staff, serang_staff):
    app = register(serang_round, serang_staff)
    with pytest.raises(PermissionDenied):
        services.application_move(user=serang_official, application=app, to_stage="eligible")
    with pytest.raises(PermissionDenied):
        services.round_close(user=blitar_staff, selection_round=serang_round)
    assert ApplicationStage(Application.objects.get().stage) == ApplicationStage.APPLIED
