"""Writes with rules: rounds (open, close, reviewers, approve, publish), applications (register,
move through the scholarship stages), conflicts and scores, semester reports and the service
commitment. Every function takes the acting user keyword-only and checks it; each is atomic.

A student departs on the university's admission and a student visa, with the programme's documents
and a passport valid beyond the study (placements.requirements DOCUMENTS and PASSPORT). The
signed-agreement rule is a placement's (workers go under the cooperation's MoU); a scholarship
student is not a placement and is not held by it."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.access import new_record_owner, require_perm, require_scope, require_write
from candidates.models import Candidate
from core.choices import DocumentType
from core.dates import add_months
from core.locking import StaleRecordError, bump_version, lock_version
from placements.gates import GateFailure, GateRefused
from placements.requirements import CONSENT, DOCUMENTS, PASSPORT, Basis
from programmes.models import Programme

from . import requirements
from .models import (
    Achievement,
    Application,
    ApplicationStage,
    ApplicationStageEvent,
    Conflict,
    Criterion,
    ScholarshipRules,
    Score,
    SelectionRound,
    SemesterReport,
)
from .ranking import rank_applications

S = ApplicationStage
PIPELINE: list[str] = [s.value for s in S.pipeline()]
EARLY_ENDS: list[str] = [s.value for s in S.early_ends()]
CLOSED = [S.RETURNED.value, *EARLY_ENDS]
# Where each early end may happen.
END_FROM = {
    S.WITHDRAWN: PIPELINE[: PIPELINE.index(S.DEPARTED)],
    S.NOT_AWARDED: [S.ELIGIBLE, S.SHORTLISTED, S.INTERVIEWED],
    S.NOT_ADMITTED: [S.AWARDED],
    S.DROPPED_OUT: [S.DEPARTED, S.STUDYING],
}
ABROAD = [S.DEPARTED.value, S.STUDYING.value]
# Stages that count against the quota: awarded and everything after it but the early ends.
HOLDS_AWARD = PIPELINE[PIPELINE.index(S.AWARDED) :]
SCORABLE = [S.SHORTLISTED.value, S.INTERVIEWED.value]
APPLICATION_FKS = ["candidate", "round", "programme", "municipality"]
STUDY_MONTHS_DEFAULT = 48


def _refuse(message: str, gate: str = "transition") -> GateRefused:
    return GateRefused([GateFailure(gate, message)])


def rules_for(programme: Programme) -> ScholarshipRules:
    """The programme's scholarship rules; unsaved defaults until the agreement admin sets them."""
    try:
        return programme.scholarship_rules
    except ScholarshipRules.DoesNotExist:
        return ScholarshipRules(programme=programme)


# --- rounds -----------------------------------------------------------------------------------------


ROUND_FIELDS = [
    "name",
    "opens_on",
    "closes_on",
    "quota",
    "reserve_size",
    "weight_merit",
    "weight_need",
    "weight_interview",
    "weight_essay",
    "score_min",
    "score_max",
]


def _round_clean(selection_round: SelectionRound) -> None:
    errors: dict[str, list[str]] = {}
    if selection_round.opens_on and selection_round.closes_on and selection_round.closes_on < selection_round.opens_on:
        errors["closes_on"] = [_("The call cannot close before it opens.")]
    if sum(selection_round.weights.values()) != 100:
        errors["weight_merit"] = [
            _("The weights must add up to 100; they add up to %(sum)s.")
            % {"sum": sum(selection_round.weights.values())}
        ]
    if selection_round.score_max <= selection_round.score_min:
        errors["score_max"] = [_("The highest score must be above the lowest.")]
    if selection_round.programme.scheme != Programme.Scheme.SCHOLARSHIP:
        errors["programme"] = [_("Selection rounds are for scholarship programmes only.")]
    if errors:
        raise ValidationError(errors)
    selection_round.full_clean(exclude=["programme", "municipality", "approved_by"])


@transaction.atomic
def round_create(*, user, programme: Programme, data: dict, is_demo: bool = False) -> SelectionRound:
    """Open a call for applications in a scholarship programme; the programme's rules are created
    with their defaults if the agreement admin has not set them yet."""
    municipality = new_record_owner(user, "scholarships.add_selectionround")
    if municipality is None:
        raise PermissionDenied
    if programme.agreement.municipality_id not in (None, municipality.pk):
        raise PermissionDenied
    selection_round = SelectionRound(programme=programme, municipality=municipality, is_demo=is_demo)
    for name in ROUND_FIELDS:
        if name in data:
            setattr(selection_round, name, data[name])
    _round_clean(selection_round)
    selection_round.save()
    if not ScholarshipRules.objects.filter(programme=programme).exists():
        ScholarshipRules.objects.create(programme=programme)
    return selection_round


def _lock_round(selection_round: SelectionRound) -> SelectionRound:
    locked = SelectionRound.objects.select_for_update().get(pk=selection_round.pk)
    selection_round.status = locked.status
    selection_round.version = locked.version
    return locked


@transaction.atomic
def round_close(*, user, selection_round: SelectionRound) -> SelectionRound:
    """Close the call: no more applicants; shortlisting and scoring begin. Refused a second time."""
    require_write(user, "scholarships.change_selectionround", selection_round.municipality_id)
    locked = _lock_round(selection_round)
    if locked.status != SelectionRound.Status.OPEN:
        raise ValidationError(_("This round is already closed for applications."))
    locked.status = SelectionRound.Status.CLOSED
    locked.closed_at = timezone.now()
    bump_version(locked)
    locked.save(update_fields=["status", "closed_at", "version", "updated_at"])
    return locked


@transaction.atomic
def round_set_reviewers(*, user, selection_round: SelectionRound, reviewers: Iterable) -> SelectionRound:
    """The staff and officials of the round's office who score its shortlist."""
    require_write(user, "scholarships.change_selectionround", selection_round.municipality_id)
    locked = _lock_round(selection_round)
    if locked.status in (SelectionRound.Status.APPROVED, SelectionRound.Status.PUBLISHED):
        raise ValidationError(_("The results are approved; the reviewers can no longer change."))
    reviewers = list(reviewers)
    for reviewer in reviewers:
        if reviewer.municipality_id != locked.municipality_id or not reviewer.has_perm("scholarships.add_score"):
            raise ValidationError(
                {"reviewers": _("%(user)s cannot review in this round.") % {"user": reviewer.get_username()}}
            )
    locked.reviewers.set(reviewers)
    return locked


def round_ranking(selection_round: SelectionRound, applications=None) -> list:
    """The round's ranking now: from the scores before approval (three queries)."""
    if applications is None:
        applications = list(
            selection_round.applications.filter(stage__in=SCORABLE).select_related("candidate").order_by("pk")
        )
    scores = Score.objects.filter(application__round=selection_round).values_list(
        "application_id", "reviewer_id", "criterion", "value"
    )
    conflicts = set(
        Conflict.objects.filter(application__round=selection_round).values_list("application_id", "reviewer_id")
    )
    reviewer_ids = set(selection_round.reviewers.values_list("pk", flat=True))
    return rank_applications(
        applications,
        list(scores),
        weights=selection_round.weights,
        reviewer_ids=reviewer_ids,
        conflicts=conflicts,
        quota=selection_round.quota,
        reserve_size=selection_round.reserve_size,
    )


@transaction.atomic
def round_approve(*, user, selection_round: SelectionRound) -> SelectionRound:
    """The official approves the ranking: ranks, totals and outcomes are frozen on the applications,
    the awarded move to "awarded", those beyond the reserve list to "not awarded"."""
    require_perm(user, "scholarships.approve_selectionround")
    require_scope(user, selection_round.municipality_id)
    if not user.is_superuser and user.municipality_id != selection_round.municipality_id:
        raise PermissionDenied
    locked = _lock_round(selection_round)
    if locked.status == SelectionRound.Status.OPEN:
        raise ValidationError(_("Close the call for applications before approving results."))
    if locked.status != SelectionRound.Status.CLOSED:
        raise ValidationError(_("The results of this round are already approved."))
    applications = list(locked.applications.filter(stage__in=SCORABLE).select_related("candidate").order_by("pk"))
    if not applications:
        raise ValidationError(_("Nobody is shortlisted in this round: there is nothing to approve."))
    ranking = round_ranking(locked, applications)
    unscored = [r.application.candidate.full_name for r in ranking if not r.complete]
    if unscored:
        raise ValidationError(
            _("Not every shortlisted applicant has a score on every weighted criterion: %(names)s.")
            % {"names": ", ".join(unscored)}
        )
    not_interviewed = [r.application.candidate.full_name for r in ranking if r.application.stage != S.INTERVIEWED]
    if not_interviewed:
        raise ValidationError(
            _("Record the interview of every shortlisted applicant first: %(names)s.")
            % {"names": ", ".join(not_interviewed)}
        )
    now = timezone.now()
    total = len(ranking)
    for row in ranking:
        app = row.application
        app.total_score, app.rank, app.outcome = row.total, row.rank, row.outcome
        if row.outcome == Application.Outcome.AWARDED:
            _record_move(app, S.AWARDED, user=user, now=now, note=_("Results approved."))
        elif row.outcome == Application.Outcome.NOT_AWARDED:
            reason = _("Rank %(rank)s of %(total)s: beyond the quota and the reserve list.") % {
                "rank": row.rank,
                "total": total,
            }
            app.end_reason, app.ended_on = reason, timezone.localdate(now)
            _record_move(app, S.NOT_AWARDED, user=user, now=now, reason=reason)
        else:
            bump_version(app)
            app.save(update_fields=["total_score", "rank", "outcome", "version", "updated_at"])
    locked.status = SelectionRound.Status.APPROVED
    locked.approved_at, locked.approved_by = now, user
    bump_version(locked)
    locked.save(update_fields=["status", "approved_at", "approved_by", "version", "updated_at"])
    return locked


@transaction.atomic
def round_publish(*, user, selection_round: SelectionRound) -> SelectionRound:
    """Publish approved results (the announcement and the partner's XLSX); never before approval."""
    require_write(user, "scholarships.change_selectionround", selection_round.municipality_id)
    locked = _lock_round(selection_round)
    if locked.status == SelectionRound.Status.PUBLISHED:
        raise ValidationError(_("The results of this round are already published."))
    if locked.status != SelectionRound.Status.APPROVED:
        raise ValidationError(_("Results can be published only after the official has approved them."))
    locked.status = SelectionRound.Status.PUBLISHED
    locked.published_at = timezone.now()
    bump_version(locked)
    locked.save(update_fields=["status", "published_at", "version", "updated_at"])
    return locked


# --- applications -----------------------------------------------------------------------------------

APPLICATION_DATA_FIELDS = [
    "school",
    "study_programme",
    "grade_scale",
    "grade_average",
    "family_income_per_person",
    "intended_field",
    "intended_university",
    "study_plan",
    "guardian_name",
    "guardian_consent_on",
]


@transaction.atomic
def application_register(
    *,
    user,
    selection_round: SelectionRound,
    candidate: Candidate,
    data: dict,
    achievements: Iterable[dict] = (),
    applied_on: date | None = None,
    is_demo: bool = False,
) -> Application:
    """Register a candidate (one person, one record) as an applicant of an open round."""
    require_write(user, "scholarships.add_application", selection_round.municipality_id)
    require_scope(user, candidate.municipality_id)
    if candidate.municipality_id != selection_round.municipality_id:
        raise PermissionDenied
    if SelectionRound.objects.get(pk=selection_round.pk).status != SelectionRound.Status.OPEN:
        raise ValidationError(_("This round is closed for applications."))
    now = timezone.now()
    application = Application(
        candidate=candidate,
        round=selection_round,
        programme_id=selection_round.programme_id,
        municipality_id=candidate.municipality_id,
        stage=S.APPLIED,
        stage_changed_at=now,
        applied_on=applied_on or timezone.localdate(now),
        is_demo=is_demo,
    )
    for name in APPLICATION_DATA_FIELDS:
        if name in data:
            setattr(application, name, data[name] if data[name] is not None else getattr(application, name))
    _application_clean(application)
    if Application.objects.filter(candidate=candidate, round=selection_round).exists():
        raise ValidationError(_("This candidate has already applied in this round."))
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        raise ValidationError(_("This candidate has already applied in this round.")) from exc
    for item in achievements:
        Achievement.objects.create(application=application, **item)
    ApplicationStageEvent.objects.create(
        application=application, from_stage="", to_stage=S.APPLIED, moved_at=now, moved_by=user
    )
    return application


def _application_clean(application: Application) -> None:
    errors: dict[str, list[str]] = {}
    if application.grade_scale and application.grade_average is not None:
        top = Decimal(4) if application.grade_scale == "ipk" else Decimal(100)
        if not Decimal(0) <= Decimal(application.grade_average) <= top:
            errors["grade_average"] = [
                _("On this scale a grade average is from 0 to %(top)s.") % {"top": top.normalize()}
            ]
    if application.guardian_consent_on and not application.guardian_name:
        errors["guardian_name"] = [_("Name the parent or guardian who gave consent.")]
    if errors:
        raise ValidationError(errors)
    application.full_clean(exclude=APPLICATION_FKS)


@transaction.atomic
def application_update(*, user, application: Application, data: dict, version: int | None = None) -> Application:
    """Edit the applicant's record (school, grades, need, plan, guardian); not after the award."""
    require_write(user, "scholarships.change_application", application.municipality_id)
    current = lock_version(Application.objects.all(), application.pk, version)
    if current.stage not in PIPELINE[: PIPELINE.index(S.AWARDED)]:
        raise ValidationError(_("The record can no longer change once the selection has decided."))
    for name in APPLICATION_DATA_FIELDS:
        if name in data:
            setattr(application, name, data[name])
    application.version = current.version + 1
    _application_clean(application)
    application.save()
    return application


def _record_move(application: Application, to_stage: str, *, user, now, note: str = "", reason: str = ""):
    from_stage = application.stage
    application.stage = to_stage
    application.stage_changed_at = now
    bump_version(application)
    application.full_clean(exclude=APPLICATION_FKS)
    application.save()
    return ApplicationStageEvent.objects.create(
        application=application,
        from_stage=from_stage,
        to_stage=to_stage,
        moved_at=now,
        moved_by=user,
        note=note.strip(),
        reason=reason.strip(),
    )


def _facts(application: Application):
    from .selectors import with_eligibility_data

    loaded = with_eligibility_data(Application.objects.filter(pk=application.pk)).get()
    return requirements.ApplicationFacts.of(loaded, rules_for(application.programme))


def awarded_count(selection_round: SelectionRound, *, exclude_pk=None) -> int:
    qs = Application.objects.filter(round=selection_round, stage__in=HOLDS_AWARD)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.count()


def move_failures(
    application: Application,
    to_stage: str,
    *,
    reason: str = "",
    on_date: date | None = None,
    university: str = "",
    visa_number: str = "",
    visa_issued_on: date | None = None,
    today: date,
) -> list[GateFailure]:
    """Why `application` may not move to `to_stage` (empty: it may). Reads what it needs."""
    from_stage = application.stage
    selection_round = application.round
    if from_stage == to_stage:
        return [GateFailure("transition", _("The application is already at this stage."))]
    if to_stage in EARLY_ENDS:
        failures = []
        if from_stage not in END_FROM[to_stage]:
            failures.append(
                GateFailure(
                    "transition",
                    _("“%(end)s” is not possible from “%(stage)s”.")
                    % {"end": S(to_stage).label, "stage": S(from_stage).label},
                )
            )
        if not reason.strip():
            failures.append(GateFailure("reason", _("Give the reason for ending the application.")))
        return failures
    if from_stage in CLOSED or to_stage not in PIPELINE or PIPELINE.index(to_stage) != PIPELINE.index(from_stage) + 1:
        return [
            GateFailure(
                "transition",
                _(
                    "A scholarship application moves forward one stage at a time: "
                    "from “%(stage)s” the next is “%(next)s”."
                )
                % {
                    "stage": S(from_stage).label,
                    "next": S(PIPELINE[PIPELINE.index(from_stage) + 1]).label if from_stage in PIPELINE[:-1] else "–",
                },
            )
        ]
    failures: list[GateFailure] = []
    facts = None
    if PIPELINE.index(to_stage) <= PIPELINE.index(S.DEPARTED):
        facts = _facts(application)
        failures += [s.failure for s in CONSENT.check(None, facts)]
    if to_stage == S.ELIGIBLE:
        basis = requirements.basis_for(selection_round, today=today)
        failures = [s.failure for s in requirements.shortfalls(basis, facts)]
    elif to_stage == S.SHORTLISTED:
        if selection_round.status == SelectionRound.Status.OPEN:
            failures.append(GateFailure("round", _("Shortlisting starts when the call for applications has closed.")))
    elif to_stage == S.INTERVIEWED:
        if selection_round.status != SelectionRound.Status.CLOSED:
            failures.append(GateFailure("round", _("Interviews are recorded while the round is in selection.")))
    elif to_stage == S.AWARDED:
        if selection_round.status not in (SelectionRound.Status.APPROVED, SelectionRound.Status.PUBLISHED):
            failures.append(GateFailure("round", _("Awards follow the official's approval of the results.")))
        elif application.outcome not in (Application.Outcome.AWARDED, Application.Outcome.RESERVE):
            failures.append(GateFailure("round", _("Only an applicant on the reserve list can be awarded later.")))
        elif awarded_count(selection_round, exclude_pk=application.pk) >= selection_round.quota:
            failures.append(
                GateFailure(
                    "quota",
                    _("The quota of %(quota)s awards is reached; an award is free only after someone withdraws.")
                    % {"quota": selection_round.quota},
                )
            )
    elif to_stage == S.ADMITTED:
        if not (university or application.university).strip():
            failures.append(GateFailure("university", _("Name the university that admitted the student.")))
        if not any(d.doc_type == DocumentType.ADMISSION_LETTER and d.verified_at for d in facts.documents):
            failures.append(
                GateFailure("documents", _("Documents: no verified letter of acceptance from the university."))
            )
    elif to_stage == S.VISA:
        if not ((visa_number or application.visa_number).strip() and (visa_issued_on or application.visa_issued_on)):
            failures.append(GateFailure("visa", _("Visa: the student visa number and issue date are not recorded.")))
    elif to_stage == S.DEPARTED:
        departure = on_date or today
        months = application.programme.months_away or STUDY_MONTHS_DEFAULT
        basis = Basis(application.programme, departure, add_months(departure, months), today)
        failures += [s.failure for s in DOCUMENTS.check(basis, facts)]
        failures += [s.failure for s in PASSPORT.check(basis, facts)]
    return failures


@transaction.atomic
def application_move(
    *,
    user,
    application: Application,
    to_stage: str,
    note: str = "",
    reason: str = "",
    on_date: date | None = None,
    university: str = "",
    visa_number: str = "",
    visa_issued_on: date | None = None,
    version: int | None = None,
) -> Application:
    """Move an application one stage forward, or end it early with a reason; the gates say no
    with GateRefused. Every move is recorded (ApplicationStageEvent)."""
    require_write(user, "scholarships.change_application", application.municipality_id)
    lock_version(Application.objects.all(), application.pk, application.version if version is None else version)
    today = timezone.localdate()
    if on_date and on_date > today:
        raise _refuse(_("The date cannot be in the future."), "date")
    failures = move_failures(
        application,
        to_stage,
        reason=reason,
        on_date=on_date,
        university=university,
        visa_number=visa_number,
        visa_issued_on=visa_issued_on,
        today=today,
    )
    if failures:
        raise GateRefused(failures)
    day = on_date or today
    if to_stage == S.ADMITTED and university:
        application.university = university.strip()
    if to_stage == S.VISA:
        application.visa_number = (visa_number or application.visa_number).strip()
        application.visa_issued_on = visa_issued_on or application.visa_issued_on
    if to_stage == S.DEPARTED:
        application.departed_on = day
    if to_stage == S.AWARDED:
        application.outcome = Application.Outcome.AWARDED
    if to_stage == S.GRADUATED:
        application.graduated_on = day
    if to_stage == S.RETURNED:
        application.returned_on = day
        years = rules_for(application.programme).service_years
        if years:
            application.commitment_until = add_months(day, 12 * years)
    if to_stage in EARLY_ENDS:
        application.ended_on = day
        application.end_reason = reason.strip()
    _record_move(application, to_stage, user=user, now=timezone.now(), note=note, reason=reason)
    return application


@dataclass
class BulkResult:
    moved: list[Application] = field(default_factory=list)
    refused: list[tuple[Application, list[str]]] = field(default_factory=list)


def round_advance(*, user, selection_round: SelectionRound, from_stage: str, to_stage: str) -> BulkResult:
    """Move every applicant of the round at `from_stage` one stage on; those a gate refuses are
    listed with the reasons and stay where they are."""
    require_write(user, "scholarships.change_application", selection_round.municipality_id)
    result = BulkResult()
    for application in selection_round.applications.filter(stage=from_stage).select_related("candidate").order_by("pk"):
        try:
            with transaction.atomic():
                application_move(user=user, application=application, to_stage=to_stage)
        except (GateRefused, StaleRecordError) as refused:
            result.refused.append((application, refused.messages))
        else:
            result.moved.append(application)
    return result


# --- reviewers: conflicts and scores -----------------------------------------------------------------


def _require_reviewer(user, application: Application, locked_round: SelectionRound) -> None:
    require_perm(user, "scholarships.add_score")
    require_scope(user, application.municipality_id)
    if not locked_round.reviewers.filter(pk=user.pk).exists():
        raise ValidationError(_("You are not a reviewer of this round."))


@transaction.atomic
def conflict_declare(*, user, application: Application, reason: str) -> Conflict:
    """A reviewer who knows the applicant steps aside: their scores of the applicant are removed and
    they cannot score them."""
    locked = _lock_round(application.round)
    _require_reviewer(user, application, locked)
    if locked.status in (SelectionRound.Status.APPROVED, SelectionRound.Status.PUBLISHED):
        raise ValidationError(_("The results are approved; nothing can change in the scoring."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say how you know the applicant.")})
    conflict, _created = Conflict.objects.get_or_create(
        application=application, reviewer=user, defaults={"reason": reason.strip()}
    )
    Score.objects.filter(application=application, reviewer=user).delete()
    return conflict


@transaction.atomic
def score_save(*, user, application: Application, values: dict[str, object]) -> list[Score]:
    """A reviewer's scores of one applicant, criterion by criterion. Each is its own row (unique per
    reviewer, application and criterion), so two reviewers saving at once both count; the round row
    is locked so an approval never races a score."""
    locked = _lock_round(application.round)
    _require_reviewer(user, application, locked)
    if locked.status != SelectionRound.Status.CLOSED:
        raise ValidationError(_("Scores are given after the call closes and before the results are approved."))
    current = Application.objects.filter(pk=application.pk).values_list("stage", flat=True).get()
    if current not in SCORABLE:
        raise ValidationError(_("Only shortlisted applicants are scored."))
    if Conflict.objects.filter(application=application, reviewer=user).exists():
        raise ValidationError(_("You declared a conflict of interest with this applicant and cannot score them."))
    errors: dict[str, list[str]] = {}
    parsed: dict[str, Decimal] = {}
    for criterion, raw in values.items():
        if criterion not in Criterion.values:
            raise ValueError(criterion)
        if raw in (None, ""):
            continue
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            errors[criterion] = [_("Enter a number.")]
            continue
        if not locked.score_min <= value <= locked.score_max:
            errors[criterion] = [
                _("A score is from %(min)s to %(max)s.") % {"min": locked.score_min, "max": locked.score_max}
            ]
            continue
        parsed[criterion] = value.quantize(Decimal("0.01"))
    if errors:
        raise ValidationError(errors)
    if not parsed:
        raise ValidationError(_("Enter at least one score."))
    saved = []
    for criterion, value in parsed.items():
        score, _created = Score.objects.update_or_create(
            application=application, reviewer=user, criterion=criterion, defaults={"value": value}
        )
        saved.append(score)
    return saved


# --- study abroad ------------------------------------------------------------------------------------


@transaction.atomic
def semester_report_add(
    *,
    user,
    application: Application,
    semester: int,
    grade_average: Decimal,
    credits: int,
    status: str,
    reported_on: date | None = None,
) -> SemesterReport:
    """A student's semester result; only for a student abroad (departed or studying)."""
    require_write(user, "scholarships.add_semesterreport", application.municipality_id)
    current = Application.objects.select_for_update().get(pk=application.pk)
    if current.stage not in ABROAD:
        raise ValidationError(
            _("A semester report is for a student abroad; this application is at “%(stage)s”.")
            % {"stage": current.get_stage_display()}
        )
    if SemesterReport.objects.filter(application=application, semester=semester).exists():
        raise ValidationError({"semester": _("Semester %(n)s is already reported.") % {"n": semester}})
    report = SemesterReport(
        application=application,
        semester=semester,
        grade_average=grade_average,
        credits=credits,
        status=status,
        reported_on=reported_on or timezone.localdate(),
        recorded_by=user,
    )
    if report.reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("The date cannot be in the future.")})
    report.full_clean(exclude=["application", "recorded_by"])
    report.save()
    return report


@transaction.atomic
def commitment_fulfil(*, user, application: Application, on_date: date) -> Application:
    """The returnee served the years the scholarship asked of them in the city."""
    require_write(user, "scholarships.change_application", application.municipality_id)
    current = lock_version(Application.objects.all(), application.pk, application.version)
    if not current.commitment_open:
        raise ValidationError(_("There is no open service commitment on this application."))
    if on_date < current.commitment_until:
        raise ValidationError(
            {
                "on_date": _("The commitment runs until %(date)s; it cannot be fulfilled earlier.")
                % {"date": date_format(current.commitment_until, "j M Y")}
            }
        )
    if on_date > timezone.localdate():
        raise ValidationError({"on_date": _("The date cannot be in the future.")})
    application.commitment_fulfilled_on = on_date
    application.version = current.version + 1
    application.save(update_fields=["commitment_fulfilled_on", "version", "updated_at"])
    return application


@transaction.atomic
def commitment_waive(*, user, application: Application, on_date: date, reason: str) -> Application:
    """The office releases the returnee from the commitment, with a reason on record."""
    require_write(user, "scholarships.change_application", application.municipality_id)
    current = lock_version(Application.objects.all(), application.pk, application.version)
    if not current.commitment_open:
        raise ValidationError(_("There is no open service commitment on this application."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the waiver.")})
    application.commitment_waived_on = on_date
    application.commitment_waiver_reason = reason.strip()
    application.version = current.version + 1
    application.save(update_fields=["commitment_waived_on", "commitment_waiver_reason", "version", "updated_at"])
    return application


__all__ = ["GateRefused", "StaleRecordError", "application_move", "application_register", "round_create"]
