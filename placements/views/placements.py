"""The placement list and pipeline board, starting placements, and one placement: gates, moves, edits,
returns and language results."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import may_see_persons, may_write, persons_only, require_perm
from candidates.privacy import sees_full_identifiers
from candidates.readlog import Kind, record_read
from candidates.selectors import candidate_list
from core.errors import post_only
from core.forms import add_service_errors
from core.locking import StaleRecordError
from core.paging import paginate, querystring
from programmes.models import Occupation, Programme
from programmes.selectors import programme_list

from .. import extensions, selectors, services
from ..filters import PlacementFilter
from ..forms import (
    BulkMoveForm,
    LanguageResultForm,
    MoveForm,
    PlacementEditForm,
    PlacementEnrolForm,
    PlacementStartForm,
    ReturnForm,
    programme_occupations,
)
from ..gates import EARLY_ENDS, ENROLLABLE_STAGES, Gate, GateRefused, check_move, next_stage, planned_return
from ..models import ExternalId, Placement, PlacementStage
from ._common import report


@require_GET
@login_required
def placement_list(request):
    user = request.user
    filterset = PlacementFilter(request.GET or None, queryset=selectors.placement_list(user=user), user=user)
    qs = filterset.qs
    valid = filterset.is_bound and filterset.is_valid()
    programme = filterset.form.cleaned_data.get("programme") if valid else None
    if not may_see_persons(user):
        # Counts only (the national viewer): where a dashboard number leads, the same filters give
        # counts per municipality, programme and stage, never the people.
        return render(
            request,
            "placements/placement_counts.html",
            {"filter": filterset, "programme": programme, "counts": selectors.placement_counts(queryset=qs)},
        )
    context = {
        "filter": filterset,
        "programme": programme,
        "querystring": querystring(request.GET),
        "querystring_without_page": querystring(request.GET),
        "can_move": user.has_perm("placements.change_placement"),
        "stages": PlacementStage.choices,
    }
    # ?programme=… alone (or with filters other than stage and reached) is the board; ?view=list
    # forces the list. A dashboard number ("reached departed") opens the list of exactly those rows.
    wants_list = request.GET.get("stage") or request.GET.get("reached") or request.GET.get("view") == "list"
    if programme is not None and not wants_list:
        counts = selectors.summary_stage_counts(user=user, filters=filterset.form.cleaned_data)
        board = selectors.placement_board(queryset=qs, counts=counts)
        for column in board.columns:
            column.url = "?" + querystring(request.GET, stage=column.stage)
        context.update(board=board, result_count=board.total)
        return render(request, "placements/placement_board.html", context)
    page = paginate(request, qs.order_by("-stage_changed_at", "-pk"))
    context.update(page_obj=page, result_count=page.paginator.count)
    return render(request, "placements/placement_list.html", context)


@post_only("placements:placement_list")
@login_required
@persons_only
def placement_bulk_move(request):
    require_perm(request.user, "placements.change_placement")
    placements = selectors.with_gate_data(selectors.placement_list(user=request.user))
    form = BulkMoveForm(request.POST, placements=placements)
    back = reverse("placements:placement_list") + "?" + request.POST.get("querystring", "")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    result = services.placement_bulk_move(
        placements=data["placements"].order_by("candidate__full_name", "pk"),
        to_stage=data["to_stage"],
        user=request.user,
        note=data["note"],
        reason=data["reason"],
    )
    return render(
        request,
        "placements/bulk_result.html",
        {"result": result, "to_stage": PlacementStage(data["to_stage"]).label, "back": back},
    )


@require_http_methods(["GET", "POST"])
@login_required
@persons_only
def placement_start_bulk(request):
    """Start placements for candidates picked on the shortlist (or a candidate's page)."""
    user = request.user
    require_perm(user, "placements.add_placement")
    programmes = programme_list(user=user).exclude(status=Programme.Status.CLOSED)
    candidates = candidate_list(user=user)
    if request.method == "POST":
        form = PlacementStartForm(request.POST, programmes=programmes, candidates=candidates)
        if form.is_valid():
            programme = form.cleaned_data["programme"]
            result = services.placement_start_bulk(
                candidates=form.cleaned_data["candidates"].order_by("full_name", "pk"),
                programme=programme,
                user=user,
                occupation=form.cleaned_data["occupation"],
            )
            started = len(result.started)
            chosen = form.cleaned_data["candidates"]
            if len(chosen) == 1:
                # One person (their page's form): on to the new placement, or back to their page
                # with the reason it was refused (no consent, an open placement).
                if result.started:
                    messages.success(request, _("Placement started in %(programme)s.") % {"programme": programme.name})
                    return redirect("placements:placement_detail", pk=result.started[0].pk)
                candidate, reasons = result.refused[0]
                messages.error(request, f"{candidate.full_name}: {' '.join(reasons)}")
                return redirect("candidates:candidate_detail", candidate.pk)
            report(
                request,
                ngettext(
                    "Started %(n)s placement in %(programme)s.",
                    "Started %(n)s placements in %(programme)s.",
                    started,
                )
                % {"n": started, "programme": programme.name}
                if started
                else "",
                result.refused,
                name=lambda c: c.full_name,
            )
            return redirect(reverse("placements:placement_list") + f"?programme={programme.pk}")
    else:
        ids = [i for i in request.GET.getlist("candidate") if i.isdigit()]
        initial = {"candidates": ids}
        if request.GET.get("programme", "").isdigit():
            initial["programme"] = request.GET["programme"]
        form = PlacementStartForm(initial=initial, programmes=programmes, candidates=candidates)
    chosen_ids = form.data.getlist("candidates") if form.is_bound else form.initial.get("candidates", [])
    chosen = candidates.filter(pk__in=[i for i in chosen_ids if str(i).isdigit()])
    return render(request, "placements/placement_start.html", {"form": form, "chosen": chosen})


@require_GET
@login_required
@persons_only  # a fragment of the start form: the national viewer starts no placement
def occupation_options(request):
    """<option>s of the occupations a programme requests, for the start form's dependent select (htmx)."""
    programme_id = request.GET.get("programme", "")
    occupations = Occupation.objects.none()
    if programme_id.isdigit():
        programme = programme_list(user=request.user).filter(pk=programme_id).first()
        if programme is not None:
            occupations = programme_occupations(programme)
    return render(request, "placements/includes/_occupation_options.html", {"occupations": occupations})


# --- one placement -------------------------------------------------------------------------------------


def _fix_link(placement: Placement, gate: str) -> tuple[str, str] | None:
    """Where the thing a gate misses is fixed: (url, label)."""
    if gate == Gate.LANGUAGE:
        return reverse("placements:placement_language", args=[placement.pk]), _("Record a language result")
    if gate in Gate.ON_CANDIDATE:
        return reverse("candidates:candidate_detail", args=[placement.candidate_id]), _("Open the candidate")
    if gate in (Gate.ENROLMENT, Gate.TRAINING):
        return reverse("placements:training_list") + f"?programme={placement.programme_id}", _("Training batches")
    if gate in (Gate.SELECTION, Gate.VISA):
        return reverse("placements:placement_edit", args=[placement.pk]), _("Edit the placement")
    if gate in (Gate.COHORT, Gate.ARRIVAL):
        if placement.cohort_id:
            return reverse("placements:cohort_detail", args=[placement.cohort_id]), _("Open the cohort")
        return reverse("placements:cohort_list") + f"?programme={placement.programme_id}", _("Cohorts")
    if gate == Gate.RETURN:
        return reverse("placements:placement_return", args=[placement.pk]), _("Record the return")
    if gate == Gate.AGREEMENT:
        return reverse("programmes:agreement_detail", args=[placement.programme.agreement_id]), _("Open the agreement")
    return None


def _with_links(placement, failures) -> list[dict]:
    rows = []
    for failure in failures:
        link = _fix_link(placement, failure.gate)
        rows.append(
            {"gate": failure.gate, "message": failure.message, "url": link and link[0], "label": link and link[1]}
        )
    return rows


def _detail(request, placement: Placement, *, move_form=None, refused=None, status=200):
    upcoming = next_stage(placement.stage)
    user = request.user
    can_change = user.has_perm("placements.change_placement")
    gates = check_move(placement, upcoming) if upcoming else []
    if upcoming == PlacementStage.DEPARTED:
        gates += extensions.departure_failures(placement.programme)  # e.g. a partner's hold
    context = {
        "placement": placement,
        "candidate": placement.candidate,
        "history": selectors.placement_history(placement=placement),
        "enrolments": placement.enrolments.select_related("batch", "batch__provider"),
        "next_stage": upcoming and PlacementStage(upcoming),
        "next_gates": _with_links(placement, gates),
        "actions": extensions.placement_actions(placement, user),
        "planned_return": planned_return(placement),
        "can_change": can_change,
        "can_return": can_change and placement.stage in (PlacementStage.DEPARTED, PlacementStage.ABROAD),
        "move_form": move_form or (MoveForm(placement=placement) if can_change else None),
        "refused": refused,
        "ended": placement.stage in EARLY_ENDS,
        # Done from this page, without a detour: enrolment in an open batch, a language result.
        "enrol_form": PlacementEnrolForm(batches=selectors.open_batches(user=user, programme_id=placement.programme_id))
        if placement.stage in ENROLLABLE_STAGES and user.has_perm("placements.add_enrolment")
        else None,
        "language_form": LanguageResultForm(initial={"test": placement.programme.language_test or None})
        if placement.programme.language_test
        and placement.stage not in EARLY_ENDS
        and may_write(user, "candidates.add_languageresult", placement.municipality_id)
        else None,
    }
    return render(request, "placements/placement_detail.html", context, status=status)


@require_GET
@login_required
@persons_only
def placement_detail(request, pk):
    placement = selectors.get_placement_with_gate_data(request.user, pk)
    record_read(
        request.user,
        Kind.PLACEMENT_PAGE,
        candidate=placement.candidate,
        municipality=placement.municipality_id,
        full_identifiers=sees_full_identifiers(request.user),
        request=request,
        object_id=placement.pk,
    )
    return _detail(request, placement)


@post_only("placements:placement_detail")
@login_required
@persons_only
def placement_move(request, pk):
    placement = selectors.get_placement_with_gate_data(request.user, pk, write=True)
    form = MoveForm(request.POST, placement=placement)
    if not form.is_valid():
        return _detail(request, placement, move_form=form)
    data = form.cleaned_data
    try:
        services.placement_move(
            placement=placement,
            to_stage=data["to_stage"],
            user=request.user,
            note=data["note"],
            reason=data["reason"],
            version=data["version"],
        )
    except StaleRecordError as stale:
        add_service_errors(form, stale)
        return _detail(request, placement, move_form=form, status=409)
    except GateRefused as refused:
        placement = selectors.get_placement_with_gate_data(request.user, pk)
        return _detail(request, placement, move_form=form, refused=_with_links(placement, refused.failures))
    messages.success(request, _("Moved to %(stage)s.") % {"stage": PlacementStage(data["to_stage"]).label})
    return redirect("placements:placement_detail", pk=placement.pk)


@post_only("placements:placement_detail")
@login_required
def placement_enrol(request, pk):
    """Enrol the placement in a batch of its programme; it moves on to "in training" when it may."""
    placement = selectors.get_placement_for_user(request.user, pk, write=True)
    require_perm(request.user, "placements.add_enrolment")
    form = PlacementEnrolForm(
        request.POST, batches=selectors.open_batches(user=request.user, programme_id=placement.programme_id)
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("placements:placement_detail", pk=placement.pk)
    batch = form.cleaned_data["batch"]
    result = services.enrolment_create_bulk(batch=batch, placements=[placement], user=request.user)
    if result.refused:
        messages.error(request, " ".join(result.refused[0][1]))
    elif result.moved:
        messages.success(
            request,
            _("Enrolled in %(batch)s: the placement moved to “%(stage)s”.")
            % {"batch": batch.name, "stage": PlacementStage.IN_TRAINING.label},
        )
    else:
        messages.success(request, _("Enrolled in %(batch)s.") % {"batch": batch.name})
    return redirect("placements:placement_detail", pk=placement.pk)


@require_http_methods(["GET", "POST"])
@login_required
@persons_only
def placement_edit(request, pk):
    placement = selectors.get_placement_for_user(request.user, pk, write=True)
    form = PlacementEditForm(request.POST or None, instance=placement)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.placement_update(
                    placement=placement,
                    user=request.user,
                    version=data["version"],
                    **{name: data[name] for name in PlacementEditForm.Meta.fields},
                )
                _save_external_ids(form, placement, request.user)
        except StaleRecordError as stale:
            add_service_errors(form, stale)
            return render(request, "placements/placement_form.html", {"form": form, "placement": placement}, status=409)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Placement saved."))
            return redirect("placements:placement_detail", pk=placement.pk)
    return render(request, "placements/placement_form.html", {"form": form, "placement": placement})


def _save_external_ids(form, placement, user) -> None:
    """The form's external ids, each through the service; a refused one fails the whole save."""
    for name, system in PlacementEditForm.EXTERNAL_IDS.items():
        owner = {"candidate": placement.candidate} if system in ExternalId.ON_CANDIDATE else {"placement": placement}
        try:
            services.external_id_set(user=user, system=system, value=form.cleaned_data[name], **owner)
        except ValidationError as error:
            raise ValidationError({name: error.message_dict.get("value", error.messages)}) from error


@require_http_methods(["GET", "POST"])
@login_required
@persons_only
def placement_return(request, pk):
    placement = selectors.get_placement_with_gate_data(request.user, pk, write=True)
    if placement.stage not in (PlacementStage.DEPARTED, PlacementStage.ABROAD):
        messages.error(request, _("Only a departed placement can return."))
        return redirect("placements:placement_detail", pk=placement.pk)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.placement_record_return(
                placement=placement,
                user=request.user,
                on_date=data["on_date"],
                outcome=data["outcome"],
                reason=data["reason"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except GateRefused as refused:
            form.add_error(None, " ".join(refused.messages))
        else:
            messages.success(request, _("Return recorded."))
            if request.POST.get("next") == "cohort" and placement.cohort_id:
                return redirect("placements:cohort_detail", pk=placement.cohort_id)
            return redirect("placements:placement_detail", pk=placement.pk)
    return render(request, "placements/placement_return.html", {"form": form, "placement": placement})


@require_http_methods(["GET", "POST"])
@login_required
@persons_only
def placement_language(request, pk):
    placement = selectors.get_placement_for_user(request.user, pk, write=True)
    require_perm(request.user, "candidates.add_languageresult")
    programme = placement.programme
    form = LanguageResultForm(request.POST or None, initial={"test": programme.language_test or None})
    if request.method == "POST" and form.is_valid():
        try:
            services.language_result_record(placement=placement, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Language result recorded."))
            return redirect("placements:placement_detail", pk=placement.pk)
    return render(
        request,
        "placements/placement_language.html",
        {"form": form, "placement": placement, "results": placement.candidate.language_results.all()},
    )
