"""Training providers and batches: enrolment with capacity, results, the printable roster."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import may_write, persons_only, require_perm
from core.errors import post_only
from core.forms import add_service_errors
from core.paging import PER_PAGE, paginate, querystring
from programmes.models import Programme
from programmes.selectors import programme_list

from .. import selectors, services
from ..filters import BatchFilter
from ..forms import (
    BatchForm,
    EnrolForm,
    EnrolmentResultFormSet,
    ProviderForm,
)
from ..gates import PIPELINE
from ..models import PlacementStage
from ._common import CHOICES_SHOWN, report


@require_GET
@login_required
def training_list(request):
    user = request.user
    filterset = BatchFilter(request.GET or None, queryset=selectors.batch_list(user=user), user=user)
    page = paginate(request, filterset.qs.order_by("-starts_on", "name", "pk"))
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
            "querystring_without_page": querystring(request.GET),
            "can_add_batch": user.has_perm("placements.add_trainingbatch"),
            "can_add_provider": user.has_perm("placements.add_trainingprovider"),
            "can_change_provider": user.has_perm("placements.change_trainingprovider"),
        },
    )


@require_GET
@login_required
def provider_list(request):
    page = paginate(request, selectors.provider_list(user=request.user).select_related("municipality"))
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
            add_service_errors(form, error)
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
            add_service_errors(form, error)
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
            add_service_errors(form, error)
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
            add_service_errors(form, error)
        else:
            messages.success(request, _("Training batch saved."))
            return redirect("placements:training_detail", pk=batch.pk)
    return render(request, "placements/batch_form.html", {"form": form, "batch": batch})


def _training_detail(request, batch, *, formset=None, enrol_form=None, status=200):
    user = request.user
    enrolments = selectors.batch_enrolments(batch=batch, user=user)
    can_enrol = user.has_perm("placements.add_enrolment")
    can_results = user.has_perm("placements.change_enrolment")
    # PostgreSQL refuses a NUL in a string: drop it rather than fail on ?q=%00.
    q = request.GET.get("q", "").replace("\x00", "").strip()
    stage = request.GET.get("stage", PlacementStage.DOCUMENTS_VERIFIED)
    candidates = selectors.enrollable_placements(batch=batch, user=user, q=q, stage=stage)
    if can_enrol and enrol_form is None:
        enrol_form = EnrolForm(placements=candidates[:CHOICES_SHOWN])
    if can_results and formset is None:
        formset = EnrolmentResultFormSet(queryset=enrolments)
    seats = selectors.batch_seats(batch=batch)
    # A batch that has ended or is full offers no enrolment (the service refuses it too).
    enrol_closed = ""
    if batch.ends_on < timezone.localdate():
        enrol_closed = _("This batch has ended: it takes no more enrolments.")
    elif seats.left == 0:
        enrol_closed = _("This batch is full: it takes no more enrolments.")
    return render(
        request,
        "placements/training_detail.html",
        {
            "batch": batch,
            "enrolments": enrolments if formset is None else None,
            "formset": formset,
            "enrol_form": enrol_form if can_enrol else None,
            "enrol_closed": enrol_closed if can_enrol else "",
            "taken": seats.taken,
            "seats_left": seats.left,
            "q": q,
            "stage": stage,
            "enrol_stages": [(s, PlacementStage(s).label) for s in PIPELINE[: PIPELINE.index("ready") + 1]],
            "can_edit": may_write(user, "placements.change_trainingbatch", batch.municipality_id),
        },
        status=status,
    )


@require_GET
@login_required
@persons_only
def training_detail(request, pk):
    return _training_detail(request, selectors.get_batch_for_user(request.user, pk))


@post_only("placements:training_detail")
@login_required
@persons_only
def batch_enrol(request, pk):
    """Enrol the user's placements; a national batch takes enrolments from every office."""
    require_perm(request.user, "placements.add_enrolment")
    batch = selectors.get_batch_for_user(request.user, pk)
    form = EnrolForm(request.POST, placements=selectors.enrollable_placements(batch=batch, user=request.user))
    if not form.is_valid():
        return _training_detail(request, batch, enrol_form=form)
    result = services.enrolment_create_bulk(batch=batch, placements=form.cleaned_data["placements"], user=request.user)
    done = len(result.done)
    message = ngettext("Enrolled %(n)s placement.", "Enrolled %(n)s placements.", done) % {"n": done} if done else ""
    if result.moved:
        moved = len(result.moved)
        message += " " + ngettext(
            "%(n)s placement moved to “%(stage)s”.", "%(n)s placements moved to “%(stage)s”.", moved
        ) % {"n": moved, "stage": PlacementStage.IN_TRAINING.label}
    report(
        request,
        message,
        result.refused,
        name=lambda p: p.candidate.full_name,
    )
    return redirect("placements:training_detail", pk=batch.pk)


@post_only("placements:training_detail")
@login_required
@persons_only
def batch_results(request, pk):
    require_perm(request.user, "placements.change_enrolment")
    batch = selectors.get_batch_for_user(request.user, pk)
    formset = EnrolmentResultFormSet(request.POST, queryset=selectors.batch_enrolments(batch=batch, user=request.user))
    if formset.rows_changed:
        messages.error(request, formset.rows_changed_message)
        return _training_detail(request, batch, status=409)
    if not formset.is_valid():
        return _training_detail(request, batch, formset=formset)
    changed = {form.instance.pk: form for form in formset.initial_forms if form.has_changed()}
    fields = ("attended_hours", "final_score", "result", "certificate_number")
    try:
        services.enrolment_update_bulk(
            changes=[(form.instance, {name: form.cleaned_data[name] for name in fields}) for form in changed.values()],
            user=request.user,
        )
    except services.EnrolmentRefused as refused:
        add_service_errors(changed[refused.enrolment.pk], refused)
        return _training_detail(request, batch, formset=formset)
    messages.success(request, _("Results saved."))
    return redirect("placements:training_detail", pk=batch.pk)


@require_GET
@login_required
@persons_only
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
