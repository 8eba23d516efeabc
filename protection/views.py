"""Protection pages: thin; reads through selectors, writes through services.

Staff write their municipality's cases and contacts; officials read them; the national viewer
sees the dashboard's counts only (403 on cases and workers); another municipality's record is 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import get_for_user, persons_only, require_perm
from candidates.privacy import may_download_document, require_document_download
from candidates.readlog import Kind, record_read
from core.errors import post_only
from core.forms import add_service_errors
from core.locking import StaleRecordError
from core.paging import paginate, querystring
from placements.selectors import get_cohort_for_user
from programmes.selectors import get_programme_for_user, programme_list, writable_q

from . import exports, selectors, services
from .forms import (
    ActionForm,
    BulkContactForm,
    CaseDocumentForm,
    CaseFilterForm,
    CaseForm,
    CloseForm,
    ContactForm,
    ContactRecordForm,
    DebriefForm,
    EscalateForm,
    FollowUpForm,
    HoldForm,
    LiftForm,
    ResolveForm,
    WorkerFilterForm,
)
from .models import Case, ContactRecord, FollowUp, ProgrammeHold, ReturnDebrief

# --- dashboard -----------------------------------------------------------------------------------

GROUP_LABELS = {
    "programme": gettext_lazy("Programme"),
    "cohort": gettext_lazy("Cohort"),
    "partner": gettext_lazy("Partner"),
    "kecamatan": gettext_lazy("Kecamatan"),
}


def _back_to_holds(request, pk) -> str:
    return reverse("protection:hold_list")


@require_GET
@login_required
def dashboard(request):
    """Counts per programme, cohort, partner or kecamatan; every number opens its list."""
    group = request.GET.get("group") or "programme"
    if group not in selectors.GROUPS:
        raise Http404
    user = request.user
    data = selectors.protection_dashboard(user=user, group=group)
    if request.GET.get("format") == "xlsx":
        return exports.xlsx_response(
            exports.dashboard_headers(str(GROUP_LABELS[group])),
            exports.dashboard_rows(data),
            title=_("Protection"),
            filename=f"protection-{group}",
        )
    return render(
        request,
        "protection/dashboard.html",
        {
            "dashboard": data,
            "group": group,
            "groups": [(key, str(label)) for key, label in GROUP_LABELS.items()],
            "group_label": GROUP_LABELS[group],
            "links": user.has_perm("protection.view_case"),
            "today": timezone.localdate(),
            "export_query": querystring(request.GET, format="xlsx"),
        },
    )


@require_GET
@login_required
def programme_summary(request, pk):
    """A programme's protection summary on A4 (or XLSX): per cohort, cases by type and severity,
    holds, the programme's rules; counts only, dated and scoped."""
    programme = get_programme_for_user(request.user, pk)
    data = selectors.protection_dashboard(user=request.user, group="cohort", programme=programme)
    if request.GET.get("format") == "xlsx":
        return exports.xlsx_response(
            exports.dashboard_headers(str(GROUP_LABELS["cohort"])),
            exports.dashboard_rows(data),
            title=programme.name,
            filename=f"protection-summary-{programme.pk}",
        )
    return render(
        request,
        "protection/programme_summary.html",
        {
            "programme": programme,
            "dashboard": data,
            "rules": selectors.settings_for(programme),
            "generated_at": timezone.now(),
        },
    )


# --- cases ---------------------------------------------------------------------------------------


@require_GET
@login_required
@persons_only
def case_list(request):
    form = CaseFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    cases = selectors.filter_cases(selectors.case_list(user=request.user), data).order_by("-reported_at", "-pk")
    if request.GET.get("format") == "xlsx":
        record_read(request.user, Kind.EXPORT, filters=request.GET, rows=cases.count(), request=request)
        return exports.xlsx_response(
            exports.case_headers(), exports.case_rows(cases), title=_("Protection cases"), filename="cases"
        )
    page = paginate(request, cases)
    return render(
        request,
        "protection/case_list.html",
        {
            "form": form,
            "page_obj": page,
            "querystring_without_page": querystring(request.GET),
            "export_query": querystring(request.GET, format="xlsx"),
            "now": timezone.now(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
@persons_only
def case_create(request, pk):
    """Open a case on a placement (404 for another municipality's; 403 for a read-only role)."""
    require_perm(request.user, "protection.add_case")
    placement = selectors.get_placement_for_protection(request.user, pk, write=True)
    initial = {k: request.GET[k] for k in ("case_type", "severity", "reported_by") if k in request.GET}
    form = CaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(user=request.user, placement=placement, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Case #%(number)s opened.") % {"number": case.pk})
            return redirect("protection:case_detail", case.pk)
    return render(request, "protection/case_form.html", {"form": form, "placement": placement})


def _detail_context(request, case, **forms):
    can_write = request.user.has_perm("protection.change_case") and case.status != Case.Status.CLOSED
    version = {"version": case.version}
    return {
        "case": case,
        "placement": case.placement,
        "actions": selectors.case_actions(case=case),
        "documents": selectors.case_documents(case=case),
        "can_write": can_write,
        "may_download": may_download_document(request.user, municipality_id=case.municipality_id, document_type=None),
        "now": timezone.now(),
        "document_form": forms.get("document_form") or CaseDocumentForm(prefix="document"),
        "action_form": forms.get("action_form") or ActionForm(initial=version, prefix="action"),
        "escalate_form": forms.get("escalate_form") or EscalateForm(initial=version, prefix="escalate"),
        "resolve_form": forms.get("resolve_form") or ResolveForm(initial=version, prefix="resolve"),
        "close_form": forms.get("close_form") or CloseForm(initial=version, prefix="close", case=case),
    }


@require_GET
@login_required
@persons_only
def case_detail(request, pk):
    case = selectors.get_case_for_user(request.user, pk)
    services.case_read_log(user=request.user, case=case, request=request)
    return render(request, "protection/case_detail.html", _detail_context(request, case))


@require_GET
@login_required
@persons_only
def case_print(request, pk):
    """The case report on A4, for the embassy or the partner."""
    case = selectors.get_case_for_user(request.user, pk)
    services.case_read_log(user=request.user, case=case, request=request)
    return render(
        request,
        "protection/case_print.html",
        {
            "case": case,
            "actions": selectors.case_actions(case=case),
            "documents": selectors.case_documents(case=case),
            "generated_at": timezone.now(),
        },
    )


def _case_write(request, pk, form_class, prefix, service, success, **form_kwargs):
    case = selectors.get_case_for_user(request.user, pk, write=True)
    form = form_class(request.POST, prefix=prefix, **form_kwargs)
    status = 400
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            service(case=case, user=request.user, **data)
        except StaleRecordError as exc:
            form.add_error(None, exc)
            status = 409
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("protection:case_detail", case.pk)
    return render(
        request,
        "protection/case_detail.html",
        _detail_context(request, case, **{f"{prefix}_form": form}),
        status=status,
    )


@post_only("protection:case_detail")
@login_required
@persons_only
def case_action(request, pk):
    return _case_write(request, pk, ActionForm, "action", services.case_add_action, _("Action recorded."))


@post_only("protection:case_detail")
@login_required
@persons_only
def case_escalate(request, pk):
    return _case_write(request, pk, EscalateForm, "escalate", services.case_escalate, _("Case escalated."))


@post_only("protection:case_detail")
@login_required
@persons_only
def case_resolve(request, pk):
    return _case_write(request, pk, ResolveForm, "resolve", services.case_resolve, _("Case resolved."))


@post_only("protection:case_detail")
@login_required
@persons_only
def case_close(request, pk):
    case = selectors.get_case_for_user(request.user, pk, write=True)
    return _case_write(request, pk, CloseForm, "close", services.case_close, _("Case closed."), case=case)


@post_only("protection:case_detail")
@login_required
@persons_only
def case_document_add(request, pk):
    """Attach a file to a case (staff); a file that is not plainly a PDF, JPEG or PNG is refused
    with a message and nothing is saved."""
    case = selectors.get_case_for_user(request.user, pk, write=True)
    if case.status == Case.Status.CLOSED:
        messages.error(request, _("The case is closed."))
        return redirect("protection:case_detail", case.pk)
    form = CaseDocumentForm(request.POST, request.FILES, prefix="document")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.case_document_add(
                user=request.user, case=case, title=data["title"], upload=data["file"], checked=form.checked_file
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Document added to the case."))
            return redirect("protection:case_detail", case.pk)
    return render(
        request, "protection/case_detail.html", _detail_context(request, case, document_form=form), status=400
    )


@require_GET
@login_required
@persons_only
def case_document_download(request, pk, doc_id):
    """A case document, as an attachment, to those who may read the case; every download is logged."""
    document = selectors.get_case_document_for_user(request.user, pk, doc_id)
    # A case's files (hospital letters, police reports) are health and identity data: staff of the
    # worker's municipality only (the one rule of candidates.privacy).
    require_document_download(request.user, municipality_id=document.case.municipality_id, document_type=None)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    services.case_document_read_log(user=request.user, document=document, request=request)
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_filename, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- workers abroad and contact ------------------------------------------------------------------


@require_GET
@login_required
@persons_only
def worker_list(request):
    form = WorkerFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    workers = selectors.filter_workers(selectors.worker_list(user=request.user), data).order_by(
        "-days_since_contact", "candidate__full_name", "pk"
    )
    if request.GET.get("format") == "xlsx":
        record_read(request.user, Kind.EXPORT, filters=request.GET, rows=workers.count(), request=request)
        return exports.xlsx_response(
            exports.worker_headers(), exports.worker_rows(workers), title=_("Workers abroad"), filename="workers"
        )
    page = paginate(request, workers)
    for placement in page.object_list:
        placement.risk = selectors.risk_reasons(placement)
    return render(
        request,
        "protection/worker_list.html",
        {
            "form": form,
            "state": data.get("state") or "abroad",
            "page_obj": page,
            "querystring_without_page": querystring(request.GET),
            "export_query": querystring(request.GET, format="xlsx"),
        },
    )


def _follow_ups(placement) -> list[tuple[int, FollowUp | None]]:
    done = {f.month: f for f in FollowUp.objects.filter(placement=placement)}
    return [(month, done.get(month)) for month in FollowUp.Month.values]


def _placement_context(request, placement, **forms):
    record = ContactRecord.objects.filter(placement=placement).first()
    worker = selectors.worker_list(user=request.user).filter(pk=placement.pk).first()
    can_write = request.user.has_perm("protection.add_contact")
    return {
        "placement": placement,
        "candidate": placement.candidate,
        "worker": worker,
        "risk": selectors.risk_reasons(worker) if worker else [],
        "record": record,
        "contacts": selectors.placement_contacts(placement=placement)[:50],
        "cases": placement.protection_cases.order_by("-reported_at"),
        "debrief": ReturnDebrief.objects.filter(placement=placement).first(),
        "follow_ups": _follow_ups(placement),
        "can_write": can_write,
        "can_open_case": request.user.has_perm("protection.add_case"),
        "contact_form": forms.get("contact_form") or ContactForm(prefix="contact"),
        "record_form": forms.get("record_form") or ContactRecordForm(instance=record, prefix="record"),
    }


@require_GET
@login_required
@persons_only
def placement_protection(request, pk):
    """One worker: how to reach them, the contacts, the cases, the debrief and follow-ups."""
    placement = selectors.get_placement_for_protection(request.user, pk)
    record_read(
        request.user,
        Kind.PLACEMENT_PAGE,
        candidate=placement.candidate,
        municipality=placement.municipality_id,
        request=request,
        object_id=placement.pk,
    )
    context = _placement_context(request, placement)
    offer = request.GET.get("offer_case")
    if offer in Case.Severity.values and context["can_open_case"]:
        context["offer_case"] = offer
    return render(request, "protection/placement.html", context)


@post_only("protection:placement")
@login_required
@persons_only
def contact_create(request, pk):
    placement = selectors.get_placement_for_protection(request.user, pk, write=True)
    form = ContactForm(request.POST, prefix="contact")
    if form.is_valid():
        try:
            contact = services.contact_create(user=request.user, placement=placement, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contact recorded."))
            url = reverse("protection:placement", args=[placement.pk])
            if contact.wellbeing != contact.Wellbeing.GOOD:
                # "Concern" or "serious": the page offers to open a case of that weight.
                severity = "critical" if contact.wellbeing == contact.Wellbeing.SERIOUS else "normal"
                url += "?" + urlencode({"offer_case": severity})
            return redirect(url)
    return render(
        request, "protection/placement.html", _placement_context(request, placement, contact_form=form), status=400
    )


@post_only("protection:placement")
@login_required
@persons_only
def contact_record_save(request, pk):
    placement = selectors.get_placement_for_protection(request.user, pk, write=True)
    form = ContactRecordForm(request.POST, prefix="record")
    if form.is_valid():
        services.contact_record_save(user=request.user, placement=placement, **form.cleaned_data)
        messages.success(request, _("Contact details saved."))
        return redirect("protection:placement", placement.pk)
    return render(
        request, "protection/placement.html", _placement_context(request, placement, record_form=form), status=400
    )


@require_http_methods(["GET", "POST"])
@login_required
@persons_only
def cohort_contacts(request, pk):
    """Record a group call with a cohort abroad: who was reached and how each one is."""
    require_perm(request.user, "protection.add_contact")
    cohort = get_cohort_for_user(request.user, pk)
    members = (
        selectors.worker_list(user=request.user)
        .filter(cohort=cohort, stage__in=selectors.ABROAD)
        .order_by("candidate__full_name", "pk")
    )
    form = BulkContactForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.contact_create_bulk(
                user=request.user,
                cohort=cohort,
                placements=data["placements"],
                contacted_on=data["contacted_on"],
                channel=data["channel"],
                note=data["note"],
                wellbeing=form.wellbeing(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            done = len(result.done)
            messages.success(
                request, ngettext("%(n)s contact recorded.", "%(n)s contacts recorded.", done) % {"n": done}
            )
            for placement, reasons in result.refused:
                messages.warning(request, f"{placement.candidate.full_name}: {' '.join(reasons)}")
            worrying = [c for c in result.done if c.wellbeing != c.Wellbeing.GOOD]
            if worrying:
                messages.warning(
                    request,
                    ngettext(
                        "%(n)s worker gives cause for concern: open a case from their page.",
                        "%(n)s workers give cause for concern: open a case from their pages.",
                        len(worrying),
                    )
                    % {"n": len(worrying)},
                )
            return redirect(reverse("protection:worker_list") + f"?cohort={cohort.pk}")
    return render(request, "protection/cohort_contacts.html", {"cohort": cohort, "form": form})


# --- holds ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def hold_list(request):
    user = request.user
    writable = programme_list(user=user).filter(writable_q(user, "agreement__municipality")).order_by("name")
    can_write = user.has_perm("protection.add_programmehold")
    form = HoldForm(request.POST or None, programmes=writable)
    if request.method == "POST":
        require_perm(user, "protection.add_programmehold")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.hold_create(
                    user=user,
                    programme=data["programme"],
                    held_on=data["held_on"],
                    reason=data["reason"],
                    source=data["source"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Hold recorded: no cohort of this programme departs while it holds."))
                return redirect("protection:hold_list")
    holds = ProgrammeHold.objects.select_related("programme").filter(programme__in=programme_list(user=user))
    if request.method == "GET" and request.GET.get("format") == "xlsx":
        return exports.xlsx_response(
            exports.hold_headers(), exports.hold_rows(holds), title=_("Programme holds"), filename="holds"
        )
    holds = list(holds)
    for hold in holds:  # a form per row: each date field its own id, for its label
        hold.lift_form = LiftForm(initial={"lifted_on": timezone.localdate()}, auto_id=f"id_hold{hold.pk}_%s")
    return render(
        request,
        "protection/holds.html",
        {
            "holds": holds,
            "form": form,
            "can_write": can_write,
            "today": timezone.localdate(),
        },
        status=400 if request.method == "POST" else 200,
    )


@post_only(_back_to_holds)
@login_required
def hold_lift(request, pk):
    hold = get_for_user(
        ProgrammeHold.objects.select_related("programme__agreement"),
        request.user,
        pk,
        field="programme__agreement__municipality",
        include_national=True,
        write_perm="protection.change_programmehold",
    )
    form = LiftForm(request.POST)
    if form.is_valid():
        try:
            services.hold_lift(user=request.user, hold=hold, lifted_on=form.cleaned_data["lifted_on"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Hold lifted."))
    else:
        messages.error(request, _("Give the date the hold was lifted."))
    return redirect("protection:hold_list")


# --- return and reintegration --------------------------------------------------------------------


def _returned_placement(request, pk):
    require_perm(request.user, "protection.add_returndebrief")
    return selectors.get_placement_for_protection(request.user, pk, write=True)


@require_http_methods(["GET", "POST"])
@login_required
@persons_only
def debrief(request, pk):
    placement = _returned_placement(request, pk)
    instance = ReturnDebrief.objects.filter(placement=placement).first()
    form = DebriefForm(request.POST or None, instance=instance, initial={"debriefed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.debrief_save(user=request.user, placement=placement, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Debrief saved."))
            return redirect("protection:placement", placement.pk)
    title = _("Return debrief")
    return render(request, "protection/placement_form.html", {"form": form, "placement": placement, "title": title})


@require_http_methods(["GET", "POST"])
@login_required
@persons_only
def follow_up(request, pk, month):
    if month not in FollowUp.Month.values:
        raise Http404
    placement = _returned_placement(request, pk)
    instance = FollowUp.objects.filter(placement=placement, month=month).first()
    form = FollowUpForm(request.POST or None, instance=instance, initial={"followed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_save(user=request.user, placement=placement, month=month, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Follow-up saved."))
            return redirect("protection:placement", placement.pk)
    title = _("Follow-up after %(month)s months") % {"month": month}
    return render(request, "protection/placement_form.html", {"form": form, "placement": placement, "title": title})
