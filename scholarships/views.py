"""Scholarship pages: thin; reads through selectors, writes through services.

Staff of the office register applicants and run rounds; assigned reviewers (staff or officials)
score; the official approves; the national viewer sees the dashboard's counts only (403 on named
lists); another municipality's record answers 404.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import may_create, may_write, require_perm
from candidates.privacy import mask_identifier
from candidates.readlog import Kind, record_read
from candidates.selectors import candidate_list
from core.errors import post_only
from core.forms import add_service_errors
from core.locking import StaleRecordError
from core.paging import paginate, querystring
from core.spreadsheets import XLSX_CONTENT_TYPE, xlsx_bytes, xlsx_table
from placements.gates import GateRefused
from programmes.models import Programme
from programmes.selectors import programme_list

from . import dashboard as dashboard_data
from . import requirements, selectors, services
from .forms import (
    AchievementFormSet,
    ApplicationFilterForm,
    ApplicationForm,
    CommitmentForm,
    ConflictForm,
    MoveForm,
    ReviewersForm,
    RoundForm,
    ScoreForm,
    SemesterReportForm,
)
from .models import Application, ApplicationStage, Criterion, SelectionRound
from .ranking import TIE_RULE

ADVANCES = [
    (ApplicationStage.APPLIED, ApplicationStage.ELIGIBLE),
    (ApplicationStage.ELIGIBLE, ApplicationStage.SHORTLISTED),
    (ApplicationStage.SHORTLISTED, ApplicationStage.INTERVIEWED),
]


# --- rounds ----------------------------------------------------------------------------------------


@require_GET
@login_required
def round_list(request):
    require_perm(request.user, "scholarships.view_selectionround")
    rounds = selectors.round_list(user=request.user)
    return render(
        request,
        "scholarships/round_list.html",
        {
            "page_obj": paginate(request, rounds),
            "can_create": may_create(request.user, "scholarships.add_selectionround"),
            "names": request.user.has_perm("scholarships.view_application"),
        },
    )


def _scholarship_programmes(user):
    return programme_list(user=user).filter(scheme=Programme.Scheme.SCHOLARSHIP).exclude(status=Programme.Status.CLOSED)


@require_http_methods(["GET", "POST"])
@login_required
def round_create(request):
    if not may_create(request.user, "scholarships.add_selectionround"):
        raise PermissionDenied
    form = RoundForm(request.POST or None, programmes=_scholarship_programmes(request.user))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "programme"}
        try:
            selection_round = services.round_create(
                user=request.user, programme=form.cleaned_data["programme"], data=data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The call for applications is open."))
            return redirect("scholarships:round_detail", selection_round.pk)
    return render(request, "scholarships/round_form.html", {"form": form})


@require_GET
@login_required
def round_detail(request, pk):
    user = request.user
    require_perm(user, "scholarships.view_application")
    selection_round = selectors.get_round_for_user(user, pk)
    applications = selectors.round_applications(selection_round)
    rules = services.rules_for(selection_round.programme)
    basis = requirements.basis_for(selection_round, today=timezone.localdate())
    for a in applications:
        a.missing = (
            requirements.shortfalls(basis, requirements.ApplicationFacts.of(a, rules))
            if a.stage == ApplicationStage.APPLIED
            else []
        )
    status = selection_round.status
    if status == SelectionRound.Status.CLOSED:
        ranking = services.round_ranking(selection_round, [a for a in applications if a.stage in services.SCORABLE])
    else:
        ranking = []
    weighted = [c for c, w in selection_round.weights.items() if w]
    for row in ranking:
        row.cells = [row.averages.get(c) for c in weighted]
    frozen = [a for a in applications if a.rank] if status in ("approved", "published") else []
    can_write = may_write(user, "scholarships.change_selectionround", selection_round.municipality_id)
    reviewer_ids = {u.pk for u in selection_round.reviewers.all()}
    stage_counts = {}
    for app in applications:
        stage_counts[app.stage] = stage_counts.get(app.stage, 0) + 1
    return render(
        request,
        "scholarships/round_detail.html",
        {
            "round": selection_round,
            "rules": rules,
            "applications": applications,
            "ranking": ranking,
            "frozen": frozen,
            "tie_rule": TIE_RULE,
            "criteria": [(c, Criterion(c).label, w) for c, w in selection_round.weights.items() if w],
            "can_write": can_write,
            "can_register": can_write and status == SelectionRound.Status.OPEN,
            "can_approve": user.has_perm("scholarships.approve_selectionround")
            and (user.is_superuser or user.municipality_id == selection_round.municipality_id)
            and status == SelectionRound.Status.CLOSED,
            "is_reviewer": user.pk in reviewer_ids,
            "reviewers": list(selection_round.reviewers.all()),
            "reviewer_form": ReviewersForm(
                initial={"reviewers": list(reviewer_ids)}, users=_reviewer_choices(selection_round)
            ),
            "advances": [
                (f, t, ApplicationStage(f).label, ApplicationStage(t).label, stage_counts.get(f, 0))
                for f, t in ADVANCES
            ],
        },
    )


@post_only("scholarships:round_detail")
@login_required
def round_action(request, pk):
    """close, approve, publish, or advance every applicant at one stage to the next."""
    user = request.user
    action = request.POST.get("action")
    selection_round = selectors.get_round_for_user(user, pk)
    try:
        if action == "close":
            services.round_close(user=user, selection_round=selection_round)
            messages.success(request, _("The call is closed: shortlisting and scoring can begin."))
        elif action == "approve":
            services.round_approve(user=user, selection_round=selection_round)
            messages.success(request, _("The results are approved."))
        elif action == "publish":
            services.round_publish(user=user, selection_round=selection_round)
            messages.success(request, _("The results are published."))
        elif action == "advance":
            pair = (request.POST.get("from_stage"), request.POST.get("to_stage"))
            if pair not in ADVANCES:
                raise Http404
            result = services.round_advance(
                user=user, selection_round=selection_round, from_stage=pair[0], to_stage=pair[1]
            )
            messages.success(
                request,
                ngettext("%(count)d applicant moved.", "%(count)d applicants moved.", len(result.moved))
                % {"count": len(result.moved)},
            )
            for application, reasons in result.refused:
                messages.warning(request, f"{application.candidate.full_name}: {' '.join(reasons)}")
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("scholarships:round_detail", selection_round.pk)


@post_only("scholarships:round_detail")
@login_required
def round_reviewers(request, pk):
    selection_round = selectors.get_round_for_user(request.user, pk, write=True)
    form = ReviewersForm(request.POST, users=_reviewer_choices(selection_round))
    if form.is_valid():
        try:
            services.round_set_reviewers(
                user=request.user, selection_round=selection_round, reviewers=form.cleaned_data["reviewers"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The reviewers are saved."))
    return redirect("scholarships:round_detail", selection_round.pk)


def _reviewer_choices(selection_round):
    users = get_user_model().objects.filter(municipality=selection_round.municipality_id, is_active=True)
    return users.filter(groups__permissions__codename="add_score").distinct().order_by("username")


@require_http_methods(["GET", "POST"])
@login_required
def application_register(request, pk):
    user = request.user
    selection_round = selectors.get_round_for_user(user, pk)
    if not may_write(user, "scholarships.add_application", selection_round.municipality_id):
        raise PermissionDenied
    form = ApplicationForm(request.POST or None, candidates=candidate_list(user=user))
    formset = AchievementFormSet(request.POST or None, prefix="achievements")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        achievements = [f.cleaned_data for f in formset if f.cleaned_data and f.cleaned_data.get("title")]
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("nik", "candidate")}
        try:
            application = services.application_register(
                user=user,
                selection_round=selection_round,
                candidate=form.cleaned_data["candidate"],
                data=data,
                achievements=achievements,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The application is registered."))
            if request.POST.get("another"):
                return redirect("scholarships:application_register", selection_round.pk)
            return redirect("scholarships:application_detail", application.pk)
    return render(
        request, "scholarships/application_form.html", {"form": form, "formset": formset, "round": selection_round}
    )


def _published_round(request, pk):
    selection_round = selectors.get_round_for_user(request.user, pk)
    require_perm(request.user, "scholarships.view_application")
    if selection_round.status != SelectionRound.Status.PUBLISHED:
        raise Http404
    rows = list(
        selection_round.applications.filter(outcome__in=[Application.Outcome.AWARDED, Application.Outcome.RESERVE])
        .select_related("candidate")
        .order_by("rank", "pk")
    )
    return selection_round, rows


@require_GET
@login_required
def announcement(request, pk):
    """The A4 announcement: names with masked NIK, school, rank, awarded or reserve."""
    selection_round, rows = _published_round(request, pk)
    for row in rows:
        row.masked_nik = mask_identifier(row.candidate.nik)
    return render(
        request,
        "scholarships/announcement.html",
        {
            "round": selection_round,
            "awarded": [r for r in rows if r.outcome == Application.Outcome.AWARDED],
            "reserve": [r for r in rows if r.outcome == Application.Outcome.RESERVE],
            "tie_rule": TIE_RULE,
        },
    )


@require_GET
@login_required
def results_xlsx(request, pk):
    """The results for the partner (English headers, masked NIK, formula-safe)."""
    selection_round, rows = _published_round(request, pk)
    header = ["Rank", "Name", "NIK (masked)", "School", "Intended field", "Total score", "Result"]
    body = [
        [
            r.rank,
            r.candidate.full_name,
            mask_identifier(r.candidate.nik),
            r.school,
            r.intended_field,
            r.total_score,
            "Awarded" if r.outcome == Application.Outcome.AWARDED else "Reserve",
        ]
        for r in rows
    ]
    response = HttpResponse(
        xlsx_bytes(xlsx_table(header, body, title=selection_round.name)), content_type=XLSX_CONTENT_TYPE
    )
    record_read(
        request.user,
        Kind.EXPORT,
        municipality=selection_round.municipality_id,
        filters={"round": selection_round.pk},
        rows=len(body),
        request=request,
        object_id=selection_round.pk,
    )
    response["Content-Disposition"] = f'attachment; filename="scholarship-results-{selection_round.pk}.xlsx"'
    return response


# --- applications -----------------------------------------------------------------------------------


@require_GET
@login_required
def application_list(request):
    user = request.user
    rounds = selectors.round_list(user=user)
    form = ApplicationFilterForm(request.GET or None, rounds=rounds)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    applications = selectors.application_list(user=user, filters=data)
    return render(
        request,
        "scholarships/application_list.html",
        {
            "form": form,
            "page_obj": paginate(request, applications),
            "querystring_without_page": querystring(request.GET),
        },
    )


def _refused(request, form, error: ValidationError) -> None:
    """A service's refusal on the form; what belongs to no field also at the top of the page, where
    it is seen even when the form's section is not shown (a student not abroad, no commitment)."""
    add_service_errors(form, error)
    for message in form.non_field_errors():
        messages.error(request, message)


def _detail_context(request, application, **forms):
    user = request.user
    rules = services.rules_for(application.programme)
    basis = requirements.basis_for(application.round, today=timezone.localdate())
    facts = requirements.ApplicationFacts.of(application, rules)
    is_reviewer = application.round.reviewers.filter(pk=user.pk).exists()
    my_scores = {s.criterion: s.value for s in application.scores.filter(reviewer=user)}
    conflicted = application.conflicts.filter(reviewer=user).exists()
    can_write = may_write(user, "scholarships.change_application", application.municipality_id)
    context = {
        "application": application,
        "candidate": application.candidate,
        "rules": rules,
        "shortfalls": requirements.shortfalls(basis, facts) if application.stage == ApplicationStage.APPLIED else [],
        "events": application.stage_events.select_related("moved_by").order_by("moved_at", "pk"),
        "achievements": application.achievements.all(),
        "documents": facts.documents,
        "reports": application.semester_reports.order_by("semester"),
        "can_write": can_write,
        "can_report": can_write and application.stage in services.ABROAD,
        "is_reviewer": is_reviewer,
        "conflicted": conflicted,
        "can_score": is_reviewer
        and not conflicted
        and application.round.status == SelectionRound.Status.CLOSED
        and application.stage in services.SCORABLE,
        "move_form": MoveForm(application=application, prefix="move"),
        "score_form": ScoreForm(initial=my_scores, selection_round=application.round, prefix="score"),
        "conflict_form": ConflictForm(prefix="conflict"),
        "report_form": SemesterReportForm(initial={"reported_on": timezone.localdate()}, prefix="report"),
        "commitment_form": CommitmentForm(initial={"on_date": timezone.localdate()}, prefix="commitment"),
    }
    context.update(forms)
    return context


@require_GET
@login_required
def application_detail(request, pk):
    application = selectors.get_application_for_user(request.user, pk)
    return render(request, "scholarships/application_detail.html", _detail_context(request, application))


@post_only("scholarships:application_detail")
@login_required
def application_move(request, pk):
    application = selectors.get_application_for_user(request.user, pk, write=True)
    form = MoveForm(request.POST, application=application, prefix="move")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.application_move(
                user=request.user,
                application=application,
                to_stage=data["to_stage"],
                note=data["note"],
                reason=data["reason"],
                on_date=data["on_date"],
                university=data["university"],
                visa_number=data["visa_number"],
                visa_issued_on=data["visa_issued_on"],
                version=data["version"],
            )
        except GateRefused as refused:
            for message in refused.messages:
                form.add_error(None, message)
        except StaleRecordError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Moved to “%(stage)s”.") % {"stage": ApplicationStage(data["to_stage"]).label})
            return redirect("scholarships:application_detail", application.pk)
    application = selectors.get_application_for_user(request.user, pk)
    context = _detail_context(request, application, move_form=form)
    return render(request, "scholarships/application_detail.html", context, status=400)


@post_only("scholarships:application_detail")
@login_required
def application_score(request, pk):
    application = selectors.get_application_for_user(request.user, pk)
    require_perm(request.user, "scholarships.add_score")
    form = ScoreForm(request.POST, selection_round=application.round, prefix="score")
    if form.is_valid():
        try:
            services.score_save(user=request.user, application=application, values=form.cleaned_data)
        except ValidationError as error:
            _refused(request, form, error)
        else:
            messages.success(request, _("Your scores are saved."))
            return redirect("scholarships:application_detail", application.pk)
    context = _detail_context(request, application, score_form=form)
    return render(request, "scholarships/application_detail.html", context, status=400)


@post_only("scholarships:application_detail")
@login_required
def application_conflict(request, pk):
    application = selectors.get_application_for_user(request.user, pk)
    require_perm(request.user, "scholarships.add_score")
    form = ConflictForm(request.POST, prefix="conflict")
    if form.is_valid():
        try:
            services.conflict_declare(user=request.user, application=application, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _refused(request, form, error)
        else:
            messages.success(request, _("Your conflict of interest is recorded; you will not score this applicant."))
            return redirect("scholarships:application_detail", application.pk)
    context = _detail_context(request, application, conflict_form=form)
    return render(request, "scholarships/application_detail.html", context, status=400)


@post_only("scholarships:application_detail")
@login_required
def semester_report(request, pk):
    application = selectors.get_application_for_user(request.user, pk)
    if not may_write(request.user, "scholarships.add_semesterreport", application.municipality_id):
        raise PermissionDenied
    form = SemesterReportForm(request.POST, prefix="report")
    if form.is_valid():
        try:
            services.semester_report_add(user=request.user, application=application, **form.cleaned_data)
        except ValidationError as error:
            _refused(request, form, error)
        else:
            messages.success(request, _("The semester report is saved."))
            return redirect("scholarships:application_detail", application.pk)
    context = _detail_context(request, application, report_form=form)
    return render(request, "scholarships/application_detail.html", context, status=400)


@post_only("scholarships:application_detail")
@login_required
def commitment(request, pk):
    application = selectors.get_application_for_user(request.user, pk, write=True)
    form = CommitmentForm(request.POST, prefix="commitment")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == "waive":
                services.commitment_waive(
                    user=request.user, application=application, on_date=data["on_date"], reason=data["reason"]
                )
            else:
                services.commitment_fulfil(user=request.user, application=application, on_date=data["on_date"])
        except ValidationError as error:
            _refused(request, form, error)
        else:
            messages.success(request, _("The service commitment is updated."))
            return redirect("scholarships:application_detail", application.pk)
    context = _detail_context(request, application, commitment_form=form)
    return render(request, "scholarships/application_detail.html", context, status=400)


# --- dashboard ----------------------------------------------------------------------------------------


@require_GET
@login_required
def dashboard(request):
    """Applicants per kecamatan, school and need band; awarded against quota; semester progress
    and drop-outs. Counts only for the national viewer; every number opens its list for others."""
    require_perm(request.user, "scholarships.view_selectionround")
    data = dashboard_data.scholarship_dashboard(user=request.user, today=timezone.localdate())
    return render(
        request,
        "scholarships/dashboard.html",
        {
            "data": data,
            "links": request.user.has_perm("scholarships.view_application"),
            "list_url": reverse("scholarships:application_list"),
        },
    )
