"""Views of the candidate registry: thin; reads through selectors, writes through services."""

import contextlib
import re
import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import (
    may_create,
    may_create_for_own_municipality,
    may_write,
    persons_only,
    require_create,
    require_create_for_own_municipality,
    require_perm,
)
from core.errors import post_only
from core.forms import add_service_errors
from core.locking import StaleRecordError
from core.paging import PER_PAGE, CappedCountPaginator, paginate, querystring
from core.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_lines, xlsx_table
from jobs.services import user_job_start

from . import exports, extensions, imports, selectors, services, tasks, transfers
from .filters import CandidateFilter
from .forms import (
    CandidateForm,
    ConsentForm,
    ConsentWithdrawalForm,
    ImportCommitForm,
    ImportUploadForm,
    TransferDecisionForm,
    TransferRequestForm,
    document_formset,
    wilayah_choices,
)
from .list_rows import LIST_FIELDS, list_rows
from .privacy import CURRENT_CONSENT_VERSION, export_file_name, require_document_download, sees_full_identifiers
from .readlog import Kind, list_reads_in_municipality, reads_of_person, record_read
from .validators import check_nik, regency_codes

IMPORT_SESSION_KEY = "candidate_imports"


# --- list and export ----------------------------------------------------------------------------


def _filtered(request, queryset) -> CandidateFilter:
    return CandidateFilter(request.GET, queryset=queryset, user=request.user)


def _querystring(request, *drop: str) -> str:
    """The current filters for the links the page generates. A full NIK typed into the search box
    is left out: a NIK never goes into a URL the application writes (it reaches this page only when
    it matched nobody in scope, otherwise the search goes straight to the record)."""
    if _is_full_nik(request.GET.get("q", "")):
        drop = (*drop, "q")
    return querystring(request.GET, *drop)


def _is_full_nik(term: str) -> bool:
    return bool(re.fullmatch(r"\d{16}", re.sub(r"[\s.\-]", "", term or "")))


def _back_to_list(request) -> str:
    """A GET of the export start (a reload) shows the list it would export."""
    query = request.GET.urlencode()
    return reverse("candidates:candidate_list") + (f"?{query}" if query else "")


def _back_to_document_candidate(request, doc_id) -> str:
    return reverse(
        "candidates:candidate_detail", args=[selectors.get_document_for_user(request.user, doc_id).candidate_id]
    )


@require_GET
@login_required
@persons_only
def candidate_list(request):
    filterset = _filtered(request, selectors.candidate_list_for_display(user=request.user))
    queryset = filterset.qs
    if _is_full_nik(request.GET.get("q", "")):
        # A full NIK finds one person: go straight to the record (its URL carries no NIK).
        hits = list(queryset.values_list("pk", flat=True)[:2])
        if len(hits) == 1:
            return redirect("candidates:candidate_detail", hits[0])
    rows = queryset.select_related(None).only(*LIST_FIELDS)
    paginator = CappedCountPaginator(rows, PER_PAGE, requested_page=request.GET.get("page"))
    page = paginator.get_page(request.GET.get("page"))
    columns = extensions.list_columns()
    today = timezone.localdate()
    return render(
        request,
        "candidates/candidate_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "rows": list_rows(page, columns, today=today),
            "querystring_without_page": _querystring(request),
            "querystring_without_sort": _querystring(request, "sort"),
            "current_sort": filterset.current_sort,
            "list_columns": columns,
            "today": today,
            "can_create": may_create_for_own_municipality(request.user, "candidates.add_candidate"),
        },
    )


def _export_count(filterset) -> int:
    """How many rows the export holds, counted up to one more than an in-request export may."""
    limit = exports.IN_REQUEST_MAX_ROWS
    return len(filterset.qs.prefetch_related(None).order_by().values_list("pk", flat=True)[: limit + 1])


def _export_is_long(filterset) -> bool:
    return _export_count(filterset) > exports.IN_REQUEST_MAX_ROWS


def _export_format(request) -> str:
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        raise Http404
    return fmt


@require_GET
@login_required
@persons_only
def candidate_export(request):
    """The list as shown, as XLSX (default) or CSV. A long list is made by a job: this page then
    offers to start it (candidate_export_start)."""
    fmt = _export_format(request)
    filterset = _filtered(request, selectors.candidate_list_for_display(user=request.user))
    count = _export_count(filterset)
    if count > exports.IN_REQUEST_MAX_ROWS:
        return render(
            request,
            "candidates/export_start.html",
            {"limit": exports.IN_REQUEST_MAX_ROWS, "fmt": fmt, "querystring": _querystring(request, "format")},
        )
    full = sees_full_identifiers(request.user)
    record_read(request.user, Kind.EXPORT, filters=request.GET, rows=count, full_identifiers=full, request=request)
    body = exports.rows(filterset.qs, user=request.user)
    filename = export_file_name("candidates", fmt, full_identifiers=full, date_stamp=timezone.localdate().isoformat())
    if fmt == "csv":
        response = StreamingHttpResponse(csv_lines(exports.headers(), body), content_type=exports.CONTENT_TYPES["csv"])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    workbook = xlsx_table(exports.headers(), body, title=_("Candidates"))
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=exports.CONTENT_TYPES["xlsx"])


@post_only(_back_to_list)
@login_required
@persons_only
def candidate_export_start(request):
    """Start the job that exports a long list (same filters, from the query string) and go to its page."""
    fmt = _export_format(request)
    filterset = _filtered(request, selectors.candidate_list_for_display(user=request.user))
    if not _export_is_long(filterset):
        return redirect(f"{reverse('candidates:candidate_export')}?{request.GET.urlencode()}")
    # A full NIK never goes into a stored job (a search for one finds one person anyway).
    filters = {k: request.GET.getlist(k) for k in request.GET if k != "format"}
    if _is_full_nik(request.GET.get("q", "")):
        filters.pop("q")
    job = user_job_start(
        user=request.user,
        kind="candidate-export",
        label=_("Candidate export (%(format)s)") % {"format": fmt.upper()},
        job=tasks.export_candidates,
        filters=filters,
        fmt=fmt,
    )
    return redirect("jobs:user_job_detail", job.pk)


# --- create, edit, detail -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@persons_only
def candidate_create(request):
    # Candidates belong to a municipality; a superuser without one uses the admin.
    require_create_for_own_municipality(request.user, "candidates.add_candidate")
    form = CandidateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services.candidate_create(user=request.user, data=form.candidate_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Candidate %(name)s registered.") % {"name": candidate.full_name})
            return redirect("candidates:candidate_detail", candidate.pk)
    return render(request, "candidates/candidate_form.html", {"form": form, "candidate": None})


@require_http_methods(["GET", "POST"])
@login_required
@persons_only
def candidate_edit(request, pk):
    candidate = selectors.get_candidate_for_user(request.user, pk, write=True)
    form = CandidateForm(request.POST or None, user=request.user, instance=candidate)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_update(
                user=request.user,
                candidate=candidate,
                data=form.candidate_data(),
                expected_version=form.cleaned_data.get("version"),
            )
        except StaleRecordError as exc:
            form.add_error(None, exc)
            return render(request, "candidates/candidate_form.html", {"form": form, "candidate": candidate}, status=409)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("candidates:candidate_detail", candidate.pk)
    return render(request, "candidates/candidate_form.html", {"form": form, "candidate": candidate})


@require_GET
@login_required
@persons_only
def candidate_detail(request, pk):
    candidate = selectors.get_candidate_detail_for_user(request.user, pk)
    record_read(
        request.user,
        Kind.PERSON_PAGE,
        candidate=candidate,
        full_identifiers=sees_full_identifiers(request.user),
        request=request,
    )
    return _render_detail(request, candidate)


def _render_detail(request, candidate, *, consent_form=None, withdrawal_form=None, status=200):
    full = sees_full_identifiers(request.user)
    return render(
        request,
        "candidates/candidate_detail.html",
        {
            "candidate": candidate,
            "full_identifiers": full,
            "document_statuses": selectors.candidate_document_statuses(candidate),
            "detail_sections": extensions.detail_sections(),
            "documents": candidate.documents.all(),
            "history": selectors.candidate_history(candidate, mask_identifiers=not full),
            "consent_form": consent_form or ConsentForm(initial={"version": CURRENT_CONSENT_VERSION}),
            "withdrawal_form": withdrawal_form or ConsentWithdrawalForm(),
            "document_formset": document_formset(may_verify=_may_verify(request.user))
            if request.user.has_perm("candidates.add_document")
            else None,
            "today": timezone.localdate(),
        },
        status=status,
    )


@require_GET
@login_required
@persons_only
def candidate_data_report(request, pk):
    """Everything the office holds about one person, for a data access request (Law 27/2022)."""
    candidate = selectors.get_candidate_detail_for_user(request.user, pk)
    full = sees_full_identifiers(request.user)
    # Logged first, so the report shows its own production too.
    record_read(request.user, Kind.DATA_REPORT, candidate=candidate, full_identifiers=full, request=request)
    return render(
        request,
        "candidates/candidate_data_report.html",
        {
            "candidate": candidate,
            "full_identifiers": full,
            "document_statuses": selectors.candidate_document_statuses(candidate),
            "detail_sections": extensions.detail_sections(),
            "history": selectors.candidate_history(candidate, mask_identifiers=not full),
            "reads": reads_of_person(candidate),
            "list_reads": list_reads_in_municipality(candidate.municipality_id),
            "generated_at": timezone.now(),
        },
    )


@require_GET
@login_required
def kelurahan_options(request):
    """<option>s of a kecamatan's kelurahan / desa, for the dependent select (htmx)."""
    code = request.GET.get("kecamatan_code", "")
    choices = wilayah_choices(code) if re.fullmatch(r"\d\d\.\d\d\.\d\d", code) else ()
    return render(request, "candidates/includes/_kelurahan_options.html", {"choices": choices})


@post_only("candidates:candidate_create")
@login_required
def nik_decode(request):
    """What a typed NIK encodes (sex, birth date, kecamatan of the user's office), to pre-fill the
    entry form. POST: a NIK never goes into a URL. The decoding is candidates.validators.check_nik's."""
    require_perm(request.user, "candidates.add_candidate")
    if not request.user.municipality_id:
        raise PermissionDenied
    check = check_nik(request.POST.get("nik", ""), known_regencies=regency_codes(), today=timezone.localdate())
    decoded = check.decoded()
    if not decoded:
        return JsonResponse({})
    kecamatans = {code for code, _name in wilayah_choices(request.user.municipality.code)}
    return JsonResponse(
        {
            "sex": decoded["sex"],
            "birth_date": decoded["birth_date"].strftime("%d-%m-%Y") if decoded["birth_date"] else "",
            # Only a kecamatan of this office: a NIK from elsewhere leaves the choice to the clerk.
            "kecamatan_code": decoded["kecamatan_code"] if decoded["kecamatan_code"] in kecamatans else "",
        }
    )


# --- consent ------------------------------------------------------------------------------------


@post_only("candidates:candidate_detail")
@login_required
@persons_only
def consent_record(request, pk):
    candidate = selectors.get_candidate_for_user(request.user, pk, write=True)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.candidate_consent_record(
                user=request.user,
                candidate=candidate,
                given_on=form.cleaned_data["given_on"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("candidates:candidate_detail", candidate.pk)
    detail = selectors.get_candidate_detail_for_user(request.user, pk)
    return _render_detail(request, detail, consent_form=form, status=400)


@post_only("candidates:candidate_detail")
@login_required
@persons_only
def consent_withdraw(request, pk):
    candidate = selectors.get_candidate_for_user(request.user, pk, write=True)
    form = ConsentWithdrawalForm(request.POST)
    if form.is_valid():
        try:
            services.candidate_consent_withdraw(
                user=request.user, candidate=candidate, withdrawn_on=form.cleaned_data["withdrawn_on"]
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Withdrawal of consent recorded. The candidate is left out of new placements."))
            return redirect("candidates:candidate_detail", candidate.pk)
    detail = selectors.get_candidate_detail_for_user(request.user, pk)
    return _render_detail(request, detail, withdrawal_form=form, status=400)


# --- documents ----------------------------------------------------------------------------------


def _may_verify(user) -> bool:
    return user.has_perm("candidates.change_document")


@require_http_methods(["GET", "POST"])
@login_required
@persons_only
def document_create(request, pk):
    """Several documents at once (the person's page carries the same form), each verified in the
    same step by staff who may verify; all or none are saved, an error shows next to its row."""
    candidate = selectors.get_candidate_for_user(request.user, pk)
    require_perm(request.user, "candidates.add_document")
    formset = document_formset(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        may_verify=_may_verify(request.user),
    )
    if request.method == "POST" and formset.is_valid():
        filled = formset.rows()
        rows = [
            {
                "data": form.cleaned_data,
                "upload": form.cleaned_data.get("file"),
                "checked": form.checked_file,
                "verified": form.cleaned_data.get("verified", False),
            }
            for form in filled
        ]
        try:
            created = services.document_create_bulk(user=request.user, candidate=candidate, rows=rows)
        except ValidationError as error:
            add_service_errors(filled[getattr(error, "row", 0)], error)
        else:
            verified = sum(1 for d in created if d.verified_at)
            message = ngettext("%(n)s document added", "%(n)s documents added", len(created)) % {"n": len(created)}
            if verified:
                message += ", " + ngettext("%(n)s verified", "%(n)s verified", verified) % {"n": verified}
            messages.success(request, message + ".")
            return redirect("candidates:candidate_detail", candidate.pk)
    return render(request, "candidates/document_form.html", {"formset": formset, "candidate": candidate})


@require_GET
@login_required
@persons_only
def document_download(request, doc_id):
    document = selectors.get_document_for_user(request.user, doc_id)
    require_document_download(
        request.user, municipality_id=document.candidate.municipality_id, document_type=document.doc_type
    )
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    record_read(
        request.user,
        Kind.DOCUMENT_DOWNLOAD,
        candidate=document.candidate,
        full_identifiers=True,
        request=request,
        object_id=document.pk,
        detail=document.doc_type,
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_filename or f"document-{document.pk}",
        content_type=document.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@post_only(_back_to_document_candidate)
@login_required
@persons_only
def document_verify(request, doc_id):
    document = selectors.get_document_for_user(request.user, doc_id, write=True)
    services.document_verify(user=request.user, document=document)
    messages.success(request, _("Document marked as verified."))
    return redirect("candidates:candidate_detail", document.candidate_id)


# --- import -------------------------------------------------------------------------------------


def _remember_import(request, token: str) -> None:
    tokens = [t for t in request.session.get(IMPORT_SESSION_KEY, []) if t != token][-4:]
    request.session[IMPORT_SESSION_KEY] = [*tokens, token]


def _owned_token(request, token: str) -> str:
    if token not in request.session.get(IMPORT_SESSION_KEY, []):
        raise Http404
    return token


@require_http_methods(["GET", "POST"])
@login_required
@persons_only
def candidate_import(request):
    require_create_for_own_municipality(request.user, "candidates.add_candidate")
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # A large file is kept now and checked by a job whose page shows the progress and leads to the preview.
        later = imports.is_large_upload(upload)
        if later:
            preview = imports.candidate_import_receive(user=request.user, uploaded_file=upload)
        else:
            preview = imports.candidate_import_validate(user=request.user, uploaded_file=upload)
        if preview.file_error:
            form.add_error("file", preview.file_error)
        else:
            _remember_import(request, preview.token)
            if later:
                job = user_job_start(
                    user=request.user,
                    kind="candidate-import-check",
                    label=_("Checking the import of %(name)s") % {"name": preview.original_name},
                    job=tasks.check_import,
                    token=preview.token,
                )
                return redirect("jobs:user_job_detail", job.pk)
            return redirect("candidates:candidate_import_preview", preview.token)
    return render(request, "candidates/import_upload.html", {"form": form, "max_rows": imports.MAX_ROWS})


@require_GET
@login_required
@persons_only
def candidate_import_preview(request, token):
    require_create_for_own_municipality(request.user, "candidates.add_candidate")
    try:
        preview = imports.candidate_import_preview(user=request.user, preview_token=_owned_token(request, token))
    except imports.CandidateImportError as exc:
        messages.error(request, exc.messages[0])
        return redirect("candidates:candidate_import")
    return render(
        request,
        "candidates/import_preview.html",
        {"preview": preview, "commit_form": ImportCommitForm(), "token": token},
    )


@post_only("candidates:candidate_import_preview")
@login_required
@persons_only
def candidate_import_commit(request, token):
    require_create_for_own_municipality(request.user, "candidates.add_candidate")
    form = ImportCommitForm(request.POST)
    if not form.is_valid():
        return redirect("candidates:candidate_import_preview", token)
    try:
        preview = imports.candidate_import_preview(user=request.user, preview_token=_owned_token(request, token))
    except imports.CandidateImportError as exc:
        messages.error(request, exc.messages[0])
        return redirect("candidates:candidate_import")
    if preview.create_count + preview.existing_count > imports.IN_REQUEST_MAX_ROWS:
        if form.cleaned_data["on_existing"] == "update":
            require_perm(request.user, "candidates.change_candidate")
        job = user_job_start(
            user=request.user,
            kind="candidate-import",
            label=_("Import of %(name)s") % {"name": preview.original_name},
            job=tasks.commit_import,
            token=token,
            on_existing=form.cleaned_data["on_existing"],
        )
        return redirect("jobs:user_job_detail", job.pk)
    try:
        result = imports.candidate_import_commit(
            user=request.user,
            preview_token=_owned_token(request, token),
            on_existing=form.cleaned_data["on_existing"],
        )
    except imports.ImportInterrupted as exc:
        # Nothing was saved and the checked rows are kept: the same import can be committed again.
        messages.error(request, exc.messages[0])
        return redirect("candidates:candidate_import_preview", token)
    except imports.CandidateImportError as exc:
        if exc.preview is not None:
            messages.error(request, exc.messages[0])
            return render(
                request,
                "candidates/import_preview.html",
                {"preview": exc.preview, "commit_form": form, "token": token, "stale": True},
                status=409,
            )
        messages.error(request, exc.messages[0])
        return redirect("candidates:candidate_import")
    request.session[IMPORT_SESSION_KEY] = [t for t in request.session.get(IMPORT_SESSION_KEY, []) if t != token]
    messages.success(request, imports.result_message(result))
    return redirect(reverse("candidates:candidate_list") + "?sort=-registered")


@post_only("candidates:candidate_import_preview")
@login_required
@persons_only
def candidate_import_cancel(request, token):
    require_create_for_own_municipality(request.user, "candidates.add_candidate")
    with contextlib.suppress(imports.CandidateImportError):  # already gone
        imports.candidate_import_discard(user=request.user, preview_token=_owned_token(request, token))
    messages.info(request, _("Import cancelled; nothing was saved."))
    return redirect("candidates:candidate_import")


@require_GET
@login_required
def candidate_import_template(request, fmt):
    require_create_for_own_municipality(request.user, "candidates.add_candidate")
    if fmt == "csv":
        response = HttpResponse(imports.import_template_csv(), content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="template-kandidat.csv"'
        return response
    if fmt == "values.csv":
        text = imports.import_allowed_values_csv(request.user.municipality)
        response = HttpResponse(text, content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="nilai-yang-diizinkan.csv"'
        return response
    if fmt != "xlsx":
        raise Http404
    content = imports.import_template_xlsx(request.user.municipality)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="template-kandidat.xlsx"'
    return response


# --- transfers between offices ------------------------------------------------------------------


@require_GET
@login_required
def transfer_list(request):
    """Requests other offices made for this office's people (to decide), and every transfer this
    office asked for or decided."""
    qs = transfers.transfers_for_user(request.user)
    mine = request.user.municipality_id
    incoming = [transfers.view_for(request.user, t) for t in qs.filter(from_municipality_id=mine, status="requested")]
    page = paginate(request, qs)
    return render(
        request,
        "candidates/transfer_list.html",
        {
            "incoming": incoming,
            "page_obj": page,
            "rows": [transfers.view_for(request.user, t) for t in page.object_list],
            "may_request": may_create(request.user, "candidates.add_candidate"),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def transfer_request(request):
    """The new office asks the office holding a NIK for the person (it learns nothing else until
    that office accepts)."""
    require_create(request.user, "candidates.add_candidate")
    form = TransferRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = transfers.transfer_request(
                user=request.user, nik=form.cleaned_data["nik"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Transfer requested from %(office)s. The person's record opens to you once that office accepts.")
                % {"office": transfer.from_municipality.name},
            )
            return redirect("candidates:transfer_detail", transfer.pk)
    return render(request, "candidates/transfer_request.html", {"form": form})


@require_GET
@login_required
def transfer_detail(request, pk):
    transfer = transfers.get_transfer_for_user(request.user, pk)
    return _render_transfer(request, transfer)


def _render_transfer(request, transfer, *, form=None, status=200):
    view = transfers.view_for(request.user, transfer)
    if view.shows_person:
        record_read(
            request.user,
            Kind.TRANSFER_PAGE,
            candidate=transfer.candidate,
            municipality=request.user.municipality_id,
            request=request,
            object_id=transfer.pk,
        )
    is_open = transfer.status == transfer.Status.REQUESTED
    return render(
        request,
        "candidates/transfer_detail.html",
        {
            "view": view,
            "transfer": transfer,
            "history": transfers.transfer_history(transfer),
            "record_is_mine": transfer.candidate.municipality_id == request.user.municipality_id,
            "may_decide": is_open
            and may_write(request.user, "candidates.change_candidate", transfer.from_municipality_id),
            "may_cancel": is_open and may_write(request.user, "candidates.add_candidate", transfer.to_municipality_id),
            "blockers": transfers.transfer_blockers(transfer.candidate) if is_open and view.is_incoming else [],
            "form": form or TransferDecisionForm(),
        },
        status=status,
    )


def _transfer_decision(request, pk, service, success):
    transfer = transfers.get_transfer_for_user(request.user, pk)
    form = TransferDecisionForm(request.POST)
    form.is_valid()
    try:
        service(user=request.user, transfer=transfer, reason=form.cleaned_data.get("reason", ""))
    except ValidationError as exc:
        add_service_errors(form, exc)
        transfer = transfers.get_transfer_for_user(request.user, pk)
        return _render_transfer(request, transfer, form=form, status=400)
    messages.success(request, success)
    return redirect("candidates:transfer_detail", transfer.pk)


@post_only("candidates:transfer_detail")
@login_required
def transfer_accept(request, pk):
    return _transfer_decision(
        request,
        pk,
        lambda *, user, transfer, reason: transfers.transfer_accept(user=user, transfer=transfer, note=reason),
        _("Transfer accepted: the person's record, documents and history are now with the new office."),
    )


@post_only("candidates:transfer_detail")
@login_required
def transfer_refuse(request, pk):
    return _transfer_decision(request, pk, transfers.transfer_refuse, _("Transfer refused."))


@post_only("candidates:transfer_detail")
@login_required
def transfer_cancel(request, pk):
    return _transfer_decision(
        request,
        pk,
        lambda *, user, transfer, reason: transfers.transfer_cancel(user=user, transfer=transfer),
        _("Transfer request cancelled."),
    )
