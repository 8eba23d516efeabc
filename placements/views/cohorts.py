"""Cohorts: forming them from selected placements, departure, arrival, returns, the manifest."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import persons_only, require_perm
from candidates.privacy import FULL_IDENTIFIERS_FILE_MARK, sees_full_identifiers
from candidates.readlog import Kind, record_read
from core.errors import post_only
from core.forms import add_service_errors
from core.paging import paginate, querystring
from core.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_lines, xlsx_bytes, xlsx_table
from programmes.selectors import programme_list

from .. import exchange, selectors, services
from ..forms import (
    CohortAddForm,
    CohortForm,
    ConfirmationUploadForm,
    DateConfirmForm,
)
from ..gates import PIPELINE
from ..manifest import manifest_xlsx
from ..models import PlacementStage
from ._common import CHOICES_SHOWN, report

logger = logging.getLogger(__name__)


def _back_to_cohort(request, pk, placement_pk) -> str:
    return reverse("placements:cohort_detail", args=[pk])


@require_GET
@login_required
def cohort_list(request):
    user = request.user
    qs = selectors.cohort_list_with_counts(user=user)
    programme = request.GET.get("programme", "")
    if programme.isdigit():
        qs = qs.filter(programme_id=programme)
    page = paginate(request, qs)
    return render(
        request,
        "placements/cohort_list.html",
        {
            "page_obj": page,
            "querystring_without_page": querystring(request.GET),
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
            add_service_errors(form, error)
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
            add_service_errors(form, error)
        else:
            messages.success(request, _("Cohort saved."))
            return redirect("placements:cohort_detail", pk=cohort.pk)
    return render(request, "placements/cohort_form.html", {"form": form, "cohort": cohort})


def _cohort_detail(request, cohort, *, add_form=None, depart_form=None, arrive_form=None, status=200):
    user = request.user
    can_change = user.has_perm("placements.change_cohort")
    members = selectors.cohort_members(cohort=cohort, user=user)
    page = paginate(request, members, per_page=100)
    if can_change and add_form is None and not cohort.actual_departure:
        add_form = CohortAddForm(placements=selectors.cohort_candidates(cohort=cohort, user=user)[:CHOICES_SHOWN])
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
@persons_only
def cohort_detail(request, pk):
    return _cohort_detail(request, selectors.get_cohort_for_user(request.user, pk))


@post_only("placements:cohort_detail")
@login_required
@persons_only
def cohort_add(request, pk):
    cohort = selectors.get_cohort_for_user(request.user, pk, write=True)
    form = CohortAddForm(request.POST, placements=selectors.cohort_candidates(cohort=cohort, user=request.user))
    if not form.is_valid():
        return _cohort_detail(request, cohort, add_form=form)
    result = services.cohort_add_placements(
        cohort=cohort, placements=form.cleaned_data["placements"], user=request.user
    )
    done = len(result.done)
    report(
        request,
        ngettext("Added %(n)s placement.", "Added %(n)s placements.", done) % {"n": done} if done else "",
        result.refused,
        name=lambda p: p.candidate.full_name,
    )
    return redirect("placements:cohort_detail", pk=cohort.pk)


@post_only(_back_to_cohort)
@login_required
@persons_only
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
    report(
        request,
        ngettext("%(n)s placement moved to %(stage)s.", "%(n)s placements moved to %(stage)s.", moved)
        % {"n": moved, "stage": stage_label},
        result.refused,
        name=lambda p: p.candidate.full_name,
    )


@post_only("placements:cohort_detail")
@login_required
@persons_only
def cohort_depart(request, pk):
    cohort = selectors.get_cohort_for_user(request.user, pk, write=True)
    form = DateConfirmForm(request.POST, prefix="depart")
    if form.is_valid():
        try:
            result = services.cohort_confirm_departure(
                cohort=cohort, user=request.user, on_date=form.cleaned_data["on_date"], note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _moves_report(request, result, PlacementStage.DEPARTED.label)
            return redirect("placements:cohort_detail", pk=cohort.pk)
    return _cohort_detail(request, cohort, depart_form=form)


@post_only("placements:cohort_detail")
@login_required
@persons_only
def cohort_arrive(request, pk):
    cohort = selectors.get_cohort_for_user(request.user, pk, write=True)
    form = DateConfirmForm(request.POST, prefix="arrive")
    if form.is_valid():
        try:
            result = services.cohort_confirm_arrival(
                cohort=cohort, user=request.user, on_date=form.cleaned_data["on_date"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _moves_report(request, result, PlacementStage.ABROAD.label)
            return redirect("placements:cohort_detail", pk=cohort.pk)
    return _cohort_detail(request, cohort, arrive_form=form)


@require_GET
@login_required
@persons_only
def cohort_manifest(request, pk):
    """The partner's manifest: names, sex, birth dates, passports, occupation, employer. Staff only."""
    cohort = selectors.get_cohort_for_user(request.user, pk)
    require_perm(request.user, "placements.change_cohort")
    rows = selectors.manifest_placements(cohort=cohort, user=request.user)
    # Who exported which cohort, never what was in it.
    logger.info("manifest exported cohort=%s user=%s rows=%s", cohort.pk, request.user.pk, len(rows))
    response = HttpResponse(manifest_xlsx(cohort, rows), content_type=XLSX_CONTENT_TYPE)
    record_read(
        request.user,
        Kind.EXPORT,
        municipality=cohort.municipality_id,
        filters={"cohort": cohort.pk},
        rows=len(rows),
        full_identifiers=True,
        request=request,
        object_id=cohort.pk,
    )
    # Passport numbers in full: the file name says so.
    response["Content-Disposition"] = (
        f'attachment; filename="manifest-cohort-{cohort.pk}-{FULL_IDENTIFIERS_FILE_MARK}.xlsx"'
    )
    return response


@require_GET
@login_required
@persons_only
def cohort_national_export(request, pk, fmt):
    """The cohort's travellers with the national system's (SISKOP2MI) field set, full NIKs included:
    for staff who may see them (others 403)."""
    cohort = selectors.get_cohort_for_user(request.user, pk)
    require_perm(request.user, "placements.change_cohort")
    if not sees_full_identifiers(request.user):
        raise PermissionDenied
    if fmt not in ("xlsx", "csv"):
        raise Http404
    rows = exchange.national_placements(cohort=cohort, user=request.user)
    logger.info("national export cohort=%s user=%s rows=%s format=%s", cohort.pk, request.user.pk, len(rows), fmt)
    record_read(
        request.user,
        Kind.EXPORT,
        municipality=cohort.municipality_id,
        filters={"cohort": cohort.pk, "format": fmt},
        rows=len(rows),
        full_identifiers=True,
        request=request,
        object_id=cohort.pk,
    )
    filename = f"siskop2mi-cohort-{cohort.pk}-{FULL_IDENTIFIERS_FILE_MARK}.{fmt}"
    header, body = exchange.national_header(), exchange.national_rows(rows)
    if fmt == "csv":
        response = StreamingHttpResponse(csv_lines(header, body), content_type=CSV_CONTENT_TYPE)
    else:
        response = HttpResponse(xlsx_bytes(xlsx_table(header, body, title="SISKOP2MI")), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
@persons_only
def cohort_confirmations(request, pk):
    """The partner's arrival and return confirmations: upload, then a preview to commit or not."""
    cohort = selectors.get_cohort_for_user(request.user, pk, write=True)
    form = ConfirmationUploadForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        preview = exchange.confirmations_validate(
            user=request.user, cohort=cohort, uploaded_file=form.cleaned_data["file"]
        )
    return render(request, "placements/cohort_confirmations.html", {"cohort": cohort, "form": form, "preview": preview})


@post_only("placements:cohort_confirmations")
@login_required
@persons_only
def cohort_confirmations_commit(request, pk):
    cohort = selectors.get_cohort_for_user(request.user, pk, write=True)
    token = request.POST.get("token", "")
    try:
        if request.POST.get("cancel"):
            exchange.confirmations_discard(user=request.user, cohort=cohort, token=token)
            messages.info(request, _("The import was cancelled; nothing was imported."))
            return redirect("placements:cohort_detail", pk=cohort.pk)
        result = exchange.confirmations_commit(user=request.user, cohort=cohort, token=token)
    except exchange.ConfirmationImportError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("placements:cohort_confirmations", pk=cohort.pk)
    messages.success(
        request,
        _("Partner confirmations imported: %(arrived)s arrivals, %(returned)s returns, %(unchanged)s already recorded.")
        % {"arrived": result.arrived, "returned": result.returned, "unchanged": result.unchanged},
    )
    return redirect("placements:cohort_detail", pk=cohort.pk)
