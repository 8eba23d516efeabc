"""Placements: the list and pipeline board, detail with gates and moves, training, cohorts, next
season and reminders. Thin: fetch through selectors, call services, render or redirect."""

import logging
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import require_perm
from candidates.selectors import candidate_list
from programmes.models import Programme
from programmes.selectors import get_programme_for_user, programme_list

from . import selectors, services
from .filters import BatchFilter, PlacementFilter
from .forms import (
    BatchForm,
    BulkMoveForm,
    CohortAddForm,
    CohortForm,
    DateConfirmForm,
    EnrolForm,
    EnrolmentResultFormSet,
    MoveForm,
    PlacementEditForm,
    PlacementStartForm,
    ProviderForm,
    ReturnForm,
)
from .gates import EARLY_ENDS, PIPELINE, Gate, GateRefused, check_move, next_stage, planned_return
from .manifest import manifest_xlsx
from .models import Placement, PlacementStage
from .reminders import reminder_list

logger = logging.getLogger(__name__)
PER_PAGE = 50
# At most this many refusals are spelled out in messages after a bulk action.
REFUSALS_SHOWN = 15


def _querystring(params, **changes) -> str:
    """The query string of `params` (a QueryDict) with `changes` applied and the page dropped."""
    query = params.copy()
    query.pop("page", None)
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


def _paginate(request, qs, per_page: int = PER_PAGE):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def _report(request, done_message: str, refused: list[tuple[object, list[str]]], name=str) -> None:
    """One success message, then one warning per refusal (the first REFUSALS_SHOWN of them)."""
    if done_message:
        messages.success(request, done_message)
    for obj, reasons in refused[:REFUSALS_SHOWN]:
        messages.warning(request, f"{name(obj)}: {' '.join(reasons)}")
    if len(refused) > REFUSALS_SHOWN:
        hidden = len(refused) - REFUSALS_SHOWN
        messages.warning(
            request, ngettext("…and %(n)s more refused.", "…and %(n)s more refused.", hidden) % {"n": hidden}
        )


def _form_error(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- placement list and pipeline board -------------------------------------------------------------


@require_GET
@login_required
def placement_list(request):
    user = request.user
    filterset = PlacementFilter(request.GET or None, queryset=selectors.placement_list(user=user), user=user)
    qs = filterset.qs
    valid = filterset.is_bound and filterset.is_valid()
    programme = filterset.form.cleaned_data.get("programme") if valid else None
    context = {
        "filter": filterset,
        "programme": programme,
        "querystring": _querystring(request.GET),
        "querystring_without_page": _querystring(request.GET),
        "can_move": user.has_perm("placements.change_placement"),
        "stages": PlacementStage.choices,
    }
    # ?programme=… alone (or with filters other than stage) is the board; ?view=list forces the list.
    if programme is not None and not request.GET.get("stage") and request.GET.get("view") != "list":
        board = selectors.placement_board(queryset=qs)
        for column in board.columns:
            column.url = "?" + _querystring(request.GET, stage=column.stage)
        context.update(board=board, result_count=board.total)
        return render(request, "placements/placement_board.html", context)
    page = _paginate(request, qs.order_by("-stage_changed_at", "-pk"))
    context.update(page_obj=page, result_count=page.paginator.count)
    return render(request, "placements/placement_list.html", context)


@require_POST
@login_required
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
            _report(
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


# --- one placement -------------------------------------------------------------------------------------


def _fix_link(placement: Placement, gate: str) -> tuple[str, str] | None:
    """Where the thing a gate misses is fixed: (url, label)."""
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
    context = {
        "placement": placement,
        "candidate": placement.candidate,
        "history": selectors.placement_history(placement=placement),
        "enrolments": placement.enrolments.select_related("batch", "batch__provider"),
        "next_stage": upcoming and PlacementStage(upcoming),
        "next_gates": _with_links(placement, check_move(placement, upcoming)) if upcoming else [],
        "planned_return": planned_return(placement),
        "can_change": can_change,
        "can_return": can_change and placement.stage in (PlacementStage.DEPARTED, PlacementStage.ABROAD),
        "move_form": move_form or (MoveForm(placement=placement) if can_change else None),
        "refused": refused,
        "ended": placement.stage in EARLY_ENDS,
    }
    return render(request, "placements/placement_detail.html", context, status=status)


@require_GET
@login_required
def placement_detail(request, pk):
    return _detail(request, selectors.get_placement_with_gate_data(request.user, pk))


@require_POST
@login_required
def placement_move(request, pk):
    placement = selectors.get_placement_with_gate_data(request.user, pk, write=True)
    form = MoveForm(request.POST, placement=placement)
    if not form.is_valid():
        return _detail(request, placement, move_form=form)
    data = form.cleaned_data
    if data["version"] != placement.version:
        form.add_error(None, _("Someone else moved or edited this placement meanwhile; check its stage and try again."))
        return _detail(request, placement, move_form=form)
    try:
        services.placement_move(
            placement=placement, to_stage=data["to_stage"], user=request.user, note=data["note"], reason=data["reason"]
        )
    except GateRefused as refused:
        placement = selectors.get_placement_with_gate_data(request.user, pk)
        return _detail(request, placement, move_form=form, refused=_with_links(placement, refused.failures))
    messages.success(request, _("Moved to %(stage)s.") % {"stage": PlacementStage(data["to_stage"]).label})
    return redirect("placements:placement_detail", pk=placement.pk)


@require_http_methods(["GET", "POST"])
@login_required
def placement_edit(request, pk):
    placement = selectors.get_placement_for_user(request.user, pk, write=True)
    form = PlacementEditForm(request.POST or None, instance=placement)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.placement_update(
                placement=placement,
                user=request.user,
                version=data["version"],
                **{name: data[name] for name in PlacementEditForm.Meta.fields},
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Placement saved."))
            return redirect("placements:placement_detail", pk=placement.pk)
    return render(request, "placements/placement_form.html", {"form": form, "placement": placement})


@require_http_methods(["GET", "POST"])
@login_required
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
            _form_error(form, error)
        except GateRefused as refused:
            form.add_error(None, " ".join(refused.messages))
        else:
            messages.success(request, _("Return recorded."))
            if request.POST.get("next") == "cohort" and placement.cohort_id:
                return redirect("placements:cohort_detail", pk=placement.cohort_id)
            return redirect("placements:placement_detail", pk=placement.pk)
    return render(request, "placements/placement_return.html", {"form": form, "placement": placement})


# --- next season -----------------------------------------------------------------------------------


@require_GET
@login_required
def next_season(request):
    user = request.user
    seasonal = [p for p in programme_list(user=user) if p.is_seasonal]
    programme = None
    raw = request.GET.get("programme", "")
    if raw:
        if not raw.isdigit():
            raise Http404
        programme = get_programme_for_user(user, int(raw))
    page = None
    if programme is not None:
        page = _paginate(request, selectors.next_season_returnees(user=user, programme=programme))
    return render(
        request,
        "placements/next_season.html",
        {
            "programmes": seasonal,
            "programme": programme,
            "page_obj": page,
            "querystring_without_page": _querystring(request.GET),
            "can_invite": user.has_perm("placements.add_placement"),
        },
    )


@require_POST
@login_required
def next_season_invite(request, pk):
    require_perm(request.user, "placements.add_placement")
    placement = selectors.get_placement_for_user(request.user, pk, write=True)
    try:
        invited = services.placement_invite_next_season(placement=placement, user=request.user)
    except GateRefused as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request,
            _("%(name)s is invited to the next season (a new placement at “Registered”).")
            % {"name": invited.candidate.full_name},
        )
    return redirect(reverse("placements:next_season") + f"?programme={placement.programme_id}")


# --- reminders -------------------------------------------------------------------------------------


@require_GET
@login_required
def reminders(request):
    items = reminder_list(user=request.user)
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(item.kind_label, []).append(item)
    return render(request, "placements/reminders.html", {"groups": groups, "total": len(items)})


# --- training --------------------------------------------------------------------------------------


@require_GET
@login_required
def training_list(request):
    user = request.user
    filterset = BatchFilter(request.GET or None, queryset=selectors.batch_list(user=user), user=user)
    page = _paginate(request, filterset.qs.order_by("-starts_on", "name", "pk"))
    providers = selectors.provider_list(user=user).order_by("name")[:PER_PAGE]
    return render(
        request,
        "placements/training_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "providers": providers,
            "licence_soon": timezone.localdate() + timedelta(days=90),
            "today": timezone.localdate(),
            "querystring_without_page": _querystring(request.GET),
            "can_add_batch": user.has_perm("placements.add_trainingbatch"),
            "can_add_provider": user.has_perm("placements.add_trainingprovider"),
            "can_change_provider": user.has_perm("placements.change_trainingprovider"),
        },
    )


@require_GET
@login_required
def provider_list(request):
    page = _paginate(request, selectors.provider_list(user=request.user).select_related("municipality"))
    return render(
        request,
        "placements/provider_list.html",
        {
            "page_obj": page,
            "today": timezone.localdate(),
            "licence_soon": timezone.localdate() + timedelta(days=90),
            "querystring_without_page": "",
            "can_add_provider": request.user.has_perm("placements.add_trainingprovider"),
            "can_change_provider": request.user.has_perm("placements.change_trainingprovider"),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def provider_create(request):
    require_perm(request.user, "placements.add_trainingprovider")
    form = ProviderForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Training provider saved."))
            return redirect("placements:provider_list")
    return render(request, "placements/provider_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def provider_edit(request, pk):
    provider = selectors.get_provider_for_user(request.user, pk, write=True)
    form = ProviderForm(request.POST or None, instance=provider, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_update(provider=provider, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Training provider saved."))
            return redirect("placements:provider_list")
    return render(request, "placements/provider_form.html", {"form": form, "provider": provider})


def _batch_form(request, instance=None):
    user = request.user
    return BatchForm(
        request.POST or None,
        instance=instance,
        user=user,
        providers=selectors.provider_list(user=user),
        programmes=programme_list(user=user).exclude(status=Programme.Status.CLOSED),
    )


@require_http_methods(["GET", "POST"])
@login_required
def batch_create(request):
    require_perm(request.user, "placements.add_trainingbatch")
    form = _batch_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.batch_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Training batch saved."))
            return redirect("placements:training_detail", pk=batch.pk)
    return render(request, "placements/batch_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def batch_edit(request, pk):
    batch = selectors.get_batch_for_user(request.user, pk, write=True)
    form = _batch_form(request, instance=batch)
    if request.method == "POST" and form.is_valid():
        try:
            services.batch_update(batch=batch, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Training batch saved."))
            return redirect("placements:training_detail", pk=batch.pk)
    return render(request, "placements/batch_form.html", {"form": form, "batch": batch})


ENROL_CHOICES_SHOWN = 100


def _training_detail(request, batch, *, formset=None, enrol_form=None, status=200):
    user = request.user
    enrolments = selectors.batch_enrolments(batch=batch, user=user)
    can_enrol = user.has_perm("placements.add_enrolment")
    can_results = user.has_perm("placements.change_enrolment")
    q, stage = request.GET.get("q", "").strip(), request.GET.get("stage", PlacementStage.DOCUMENTS_VERIFIED)
    candidates = selectors.enrollable_placements(batch=batch, user=user, q=q, stage=stage)
    if can_enrol and enrol_form is None:
        enrol_form = EnrolForm(placements=candidates[:ENROL_CHOICES_SHOWN])
    if can_results and formset is None:
        formset = EnrolmentResultFormSet(queryset=enrolments)
    taken = batch.enrolments.count()
    return render(
        request,
        "placements/training_detail.html",
        {
            "batch": batch,
            "enrolments": enrolments if formset is None else None,
            "formset": formset,
            "enrol_form": enrol_form if can_enrol else None,
            "taken": taken,
            "seats_left": max(batch.capacity - taken, 0),
            "q": q,
            "stage": stage,
            "enrol_stages": [(s, PlacementStage(s).label) for s in PIPELINE[: PIPELINE.index("ready") + 1]],
            "can_edit": user.has_perm("placements.change_trainingbatch")
            and (batch.municipality_id or user.is_superuser),
        },
        status=status,
    )


@require_GET
@login_required
def training_detail(request, pk):
    return _training_detail(request, selectors.get_batch_for_user(request.user, pk))


@require_POST
@login_required
def batch_enrol(request, pk):
    """Enrol the user's placements; a national batch takes enrolments from every office."""
    require_perm(request.user, "placements.add_enrolment")
    batch = selectors.get_batch_for_user(request.user, pk)
    form = EnrolForm(request.POST, placements=selectors.enrollable_placements(batch=batch, user=request.user))
    if not form.is_valid():
        return _training_detail(request, batch, enrol_form=form)
    result = services.enrolment_create_bulk(batch=batch, placements=form.cleaned_data["placements"], user=request.user)
    done = len(result.done)
    _report(
        request,
        ngettext("Enrolled %(n)s placement.", "Enrolled %(n)s placements.", done) % {"n": done} if done else "",
        result.refused,
        name=lambda p: p.candidate.full_name,
    )
    return redirect("placements:training_detail", pk=batch.pk)


@require_POST
@login_required
def batch_results(request, pk):
    require_perm(request.user, "placements.change_enrolment")
    batch = selectors.get_batch_for_user(request.user, pk)
    formset = EnrolmentResultFormSet(request.POST, queryset=selectors.batch_enrolments(batch=batch, user=request.user))
    if not formset.is_valid():
        return _training_detail(request, batch, formset=formset)
    try:
        with transaction.atomic():
            for form in formset.initial_forms:
                if form.has_changed():
                    services.enrolment_update(
                        enrolment=form.instance,
                        user=request.user,
                        attended_hours=form.cleaned_data["attended_hours"],
                        final_score=form.cleaned_data["final_score"],
                        result=form.cleaned_data["result"],
                        certificate_number=form.cleaned_data["certificate_number"],
                    )
    except ValidationError as error:
        _form_error(form, error)
        return _training_detail(request, batch, formset=formset)
    messages.success(request, _("Results saved."))
    return redirect("placements:training_detail", pk=batch.pk)


@require_GET
@login_required
def training_roster(request, pk):
    batch = selectors.get_batch_for_user(request.user, pk)
    return render(
        request,
        "placements/training_roster.html",
        {
            "batch": batch,
            "enrolments": selectors.batch_enrolments(batch=batch, user=request.user),
            "printed_on": timezone.localdate(),
        },
    )


# --- cohorts ---------------------------------------------------------------------------------------


@require_GET
@login_required
def cohort_list(request):
    user = request.user
    qs = selectors.cohort_list_with_counts(user=user)
    programme = request.GET.get("programme", "")
    if programme.isdigit():
        qs = qs.filter(programme_id=programme)
    page = _paginate(request, qs)
    return render(
        request,
        "placements/cohort_list.html",
        {
            "page_obj": page,
            "querystring_without_page": _querystring(request.GET),
            "can_add": user.has_perm("placements.add_cohort"),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def cohort_create(request):
    user = request.user
    require_perm(user, "placements.add_cohort")
    form = CohortForm(request.POST or None, user=user, programmes=programme_list(user=user))
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_create(user=user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Cohort saved."))
            return redirect("placements:cohort_detail", pk=cohort.pk)
    return render(request, "placements/cohort_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def cohort_edit(request, pk):
    user = request.user
    cohort = selectors.get_cohort_for_user(user, pk, write=True)
    form = CohortForm(request.POST or None, instance=cohort, user=user, programmes=programme_list(user=user))
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_update(cohort=cohort, user=user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Cohort saved."))
            return redirect("placements:cohort_detail", pk=cohort.pk)
    return render(request, "placements/cohort_form.html", {"form": form, "cohort": cohort})


def _cohort_detail(request, cohort, *, add_form=None, depart_form=None, arrive_form=None, status=200):
    user = request.user
    can_change = user.has_perm("placements.change_cohort")
    members = selectors.cohort_members(cohort=cohort, user=user)
    page = _paginate(request, members, per_page=100)
    if can_change and add_form is None and not cohort.actual_departure:
        add_form = CohortAddForm(placements=selectors.cohort_candidates(cohort=cohort, user=user)[:ENROL_CHOICES_SHOWN])
    counts = selectors.cohort_stage_counts(cohort=cohort, user=user)
    return render(
        request,
        "placements/cohort_detail.html",
        {
            "cohort": cohort,
            "page_obj": page,
            "querystring_without_page": "",
            "counts": [(s.label, counts.get(s.value, 0)) for s in PlacementStage if counts.get(s.value)],
            "can_change": can_change,
            "add_form": add_form,
            "depart_form": depart_form or DateConfirmForm(prefix="depart"),
            "arrive_form": arrive_form or DateConfirmForm(prefix="arrive"),
            "before_departure": PIPELINE[: PIPELINE.index(PlacementStage.DEPARTED)],
            "returnable": [PlacementStage.DEPARTED.value, PlacementStage.ABROAD.value],
        },
        status=status,
    )


@require_GET
@login_required
def cohort_detail(request, pk):
    return _cohort_detail(request, selectors.get_cohort_for_user(request.user, pk))


@require_POST
@login_required
def cohort_add(request, pk):
    cohort = selectors.get_cohort_for_user(request.user, pk, write=True)
    form = CohortAddForm(request.POST, placements=selectors.cohort_candidates(cohort=cohort, user=request.user))
    if not form.is_valid():
        return _cohort_detail(request, cohort, add_form=form)
    result = services.cohort_add_placements(
        cohort=cohort, placements=form.cleaned_data["placements"], user=request.user
    )
    done = len(result.done)
    _report(
        request,
        ngettext("Added %(n)s placement.", "Added %(n)s placements.", done) % {"n": done} if done else "",
        result.refused,
        name=lambda p: p.candidate.full_name,
    )
    return redirect("placements:cohort_detail", pk=cohort.pk)


@require_POST
@login_required
def cohort_remove(request, pk, placement_pk):
    cohort = selectors.get_cohort_for_user(request.user, pk, write=True)
    placement = selectors.get_placement_for_user(request.user, placement_pk, write=True)
    try:
        services.cohort_remove_placement(cohort=cohort, placement=placement, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s left the cohort.") % {"name": placement.candidate.full_name})
    return redirect("placements:cohort_detail", pk=cohort.pk)


def _moves_report(request, result, stage_label):
    moved = len(result.moved)
    _report(
        request,
        ngettext("%(n)s placement moved to %(stage)s.", "%(n)s placements moved to %(stage)s.", moved)
        % {"n": moved, "stage": stage_label},
        result.refused,
        name=lambda p: p.candidate.full_name,
    )


@require_POST
@login_required
def cohort_depart(request, pk):
    cohort = selectors.get_cohort_for_user(request.user, pk, write=True)
    form = DateConfirmForm(request.POST, prefix="depart")
    if form.is_valid():
        try:
            result = services.cohort_confirm_departure(
                cohort=cohort, user=request.user, on_date=form.cleaned_data["on_date"], note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            _moves_report(request, result, PlacementStage.DEPARTED.label)
            return redirect("placements:cohort_detail", pk=cohort.pk)
    return _cohort_detail(request, cohort, depart_form=form)


@require_POST
@login_required
def cohort_arrive(request, pk):
    cohort = selectors.get_cohort_for_user(request.user, pk, write=True)
    form = DateConfirmForm(request.POST, prefix="arrive")
    if form.is_valid():
        try:
            result = services.cohort_confirm_arrival(
                cohort=cohort, user=request.user, on_date=form.cleaned_data["on_date"]
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            _moves_report(request, result, PlacementStage.ABROAD.label)
            return redirect("placements:cohort_detail", pk=cohort.pk)
    return _cohort_detail(request, cohort, arrive_form=form)


@require_GET
@login_required
def cohort_manifest(request, pk):
    """The partner's manifest: names, sex, birth dates, passports, occupation, employer. Staff only."""
    cohort = selectors.get_cohort_for_user(request.user, pk)
    require_perm(request.user, "placements.change_cohort")
    rows = selectors.manifest_placements(cohort=cohort, user=request.user)
    # Who exported which cohort, never what was in it.
    logger.info("manifest exported cohort=%s user=%s rows=%s", cohort.pk, request.user.pk, len(rows))
    response = HttpResponse(
        manifest_xlsx(cohort, rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="manifest-cohort-{cohort.pk}.xlsx"'
    return response
