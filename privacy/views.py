"""Pages of the personal-data register: thin; reads through selectors, writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override as translation_override
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import may_write, require_write
from candidates import readlog
from candidates.privacy import export_file_name, sees_full_identifiers
from candidates.selectors import candidate_detail_queryset, candidate_list, get_candidate_for_user
from core.errors import post_only
from core.forms import add_service_errors
from core.paging import PER_PAGE, CappedCountPaginator, querystring

from . import selectors, services
from .clock import deadline
from .forms import AnswerForm, BreachForm, DataRequestForm
from .report import data_report_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- requests -------------------------------------------------------------------------------------


@require_GET
@login_required
def request_list(request):
    state = request.GET.get("state", "")
    qs = selectors.data_request_list(user=request.user, state=state)
    page = CappedCountPaginator(qs, PER_PAGE, requested_page=request.GET.get("page")).get_page(request.GET.get("page"))
    return render(
        request,
        "privacy/request_list.html",
        {
            "page_obj": page,
            "state": state,
            "now": timezone.now(),
            "querystring_without_page": querystring(request.GET, "page"),
            "clock": selectors.request_clock_counts(user=request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def request_create(request, candidate_pk):
    candidate = get_candidate_for_user(request.user, candidate_pk)
    require_write(request.user, "privacy.add_datarequest", candidate.municipality_id)
    form = DataRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            data_request = services.data_request_create(user=request.user, candidate=candidate, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Request recorded; it must be answered within 3×24 hours."))
            return redirect("privacy:request_detail", data_request.pk)
    return render(request, "privacy/request_form.html", {"form": form, "candidate": candidate})


def _render_request(request, data_request, form=None, status=200):
    may_answer = not data_request.is_answered and may_write(
        request.user, services.REQUEST_WRITE, data_request.municipality_id
    )
    return render(
        request,
        "privacy/request_detail.html",
        {
            "data_request": data_request,
            "due_at": deadline(data_request.received_at),
            "now": timezone.now(),
            "form": (form or AnswerForm(request=data_request)) if may_answer else None,
        },
        status=status,
    )


@require_GET
@login_required
def request_detail(request, pk):
    return _render_request(request, selectors.get_data_request_for_user(request.user, pk))


@post_only("privacy:request_detail")
@login_required
def request_answer(request, pk):
    data_request = selectors.get_data_request_for_user(request.user, pk, write=True)
    require_write(request.user, services.REQUEST_WRITE, data_request.municipality_id)
    form = AnswerForm(request.POST, request=data_request)
    if form.is_valid():
        try:
            services.data_request_answer(
                user=request.user,
                request=data_request,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["answer_note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Answer recorded; the clock has stopped."))
            return redirect("privacy:request_detail", data_request.pk)
    return _render_request(request, data_request, form, status=400)


@require_GET
@login_required
def request_report_xlsx(request, pk):
    """The data report of an access request, as a file for the person."""
    data_request = selectors.get_data_request_for_user(request.user, pk)
    require_write(request.user, services.REQUEST_WRITE, data_request.municipality_id)
    candidate = candidate_detail_queryset().get(pk=data_request.candidate_id)
    body = data_report_xlsx(user=request.user, candidate=candidate)
    full = sees_full_identifiers(request.user)
    readlog.record_read(
        request.user,
        readlog.Kind.DATA_REPORT,
        candidate=candidate,
        request=request,
        object_id=data_request.pk,
        detail="xlsx",
        full_identifiers=full,
    )
    response = HttpResponse(body, content_type=XLSX)
    stamp = timezone.localdate().isoformat()
    # No name or NIK in the file name: the request's number says whose it is; full NIKs inside say so.
    name = export_file_name(f"data-report-request-{data_request.pk}", "xlsx", full_identifiers=full, date_stamp=stamp)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- breaches -------------------------------------------------------------------------------------


@require_GET
@login_required
def breach_list(request):
    qs = selectors.breach_list(user=request.user)
    page = CappedCountPaginator(qs, PER_PAGE, requested_page=request.GET.get("page")).get_page(request.GET.get("page"))
    return render(
        request,
        "privacy/breach_list.html",
        {"page_obj": page, "now": timezone.now(), "querystring_without_page": querystring(request.GET, "page")},
    )


@require_http_methods(["GET", "POST"])
@login_required
def breach_create(request):
    selectors.breach_list(user=request.user)  # the register's read check (403 for the national viewer)
    if not may_write(request.user, "privacy.add_breach", request.user.municipality_id):
        raise PermissionDenied
    form = BreachForm(request.POST or None, candidates=candidate_list(user=request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            breach = services.breach_create(user=request.user, data=data, affected=data["affected"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Breach recorded; notify within 3×24 hours of finding it."))
            return redirect("privacy:breach_detail", breach.pk)
    return render(request, "privacy/breach_form.html", {"form": form})


@require_GET
@login_required
def breach_detail(request, pk):
    breach = selectors.get_breach_for_user(request.user, pk)
    return render(
        request,
        "privacy/breach_detail.html",
        {
            "breach": breach,
            "affected": breach.affected.order_by("full_name", "pk"),
            "due_at": deadline(breach.discovered_at),
            "now": timezone.now(),
            "may_notify": breach.notified_at is None
            and may_write(request.user, services.BREACH_WRITE, breach.municipality_id),
        },
    )


@post_only("privacy:breach_detail")
@login_required
def breach_notified(request, pk):
    breach = selectors.get_breach_for_user(request.user, pk, write=True)
    try:
        services.breach_notified(user=request.user, breach=breach)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Notification recorded; the clock has stopped."))
    return redirect("privacy:breach_detail", breach.pk)


@require_GET
@login_required
def breach_letter(request, pk, candidate_pk=None):
    """The notification letter on A4, in Bahasa Indonesia: to one person affected, or to the authority."""
    breach = selectors.get_breach_for_user(request.user, pk, write=True)
    person = None
    if candidate_pk is not None:
        person = breach.affected.filter(pk=candidate_pk).first()
        if person is None:
            raise Http404
    with translation_override("id"):
        return render(
            request,
            "privacy/breach_letter.html",
            {
                "breach": breach,
                "person": person,
                "affected_count": breach.affected.count(),
                "affected": breach.affected.order_by("full_name", "pk") if person is None else [],
                "today": timezone.localdate(),
            },
        )
