"""Views of the candidate registry: thin; reads through selectors, writes through services."""

import contextlib
import re
import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import (
    may_create_for_own_municipality,
    require_create_for_own_municipality,
    require_perm,
)
from core.errors import post_only
from core.locking import StaleRecordError
from core.paging import PER_PAGE, CappedCountPaginator, querystring
from jobs.services import user_job_start

from . import exports, extensions, imports, selectors, services, tasks
from .filters import CandidateFilter
from .forms import (
    CandidateForm,
    ConsentForm,
    ConsentWithdrawalForm,
    DocumentForm,
    ImportCommitForm,
    ImportUploadForm,
    wilayah_choices,
)
from .privacy import CURRENT_CONSENT_VERSION, sees_full_identifiers

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
def candidate_list(request):
    filterset = _filtered(request, selectors.candidate_list_for_display(user=request.user))
    queryset = filterset.qs
    if _is_full_nik(request.GET.get("q", "")):
        # A full NIK finds one person: go straight to the record (its URL carries no NIK).
        hits = list(queryset.values_list("pk", flat=True)[:2])
        if len(hits) == 1:
            return redirect("candidates:candidate_detail", hits[0])
    paginator = CappedCountPaginator(queryset, PER_PAGE, requested_page=request.GET.get("page"))
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "candidates/candidate_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "querystring_without_page": _querystring(request),
            "querystring_without_sort": _querystring(request, "sort"),
            "current_sort": filterset.current_sort,
            "list_columns": extensions.list_columns(),
            "today": timezone.localdate(),
            "can_create": may_create_for_own_municipality(request.user, "candidates.add_candidate"),
        },
    )


def _export_is_long(filterset) -> bool:
    limit = exports.IN_REQUEST_MAX_ROWS
    return len(filterset.qs.prefetch_related(None).order_by().values_list("pk", flat=True)[: limit + 1]) > limit


def _export_format(request) -> str:
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        raise Http404
    return fmt


@require_GET
@login_required
def candidate_export(request):
    """The list as shown, as XLSX (default) or CSV. A long list is made by a job: this page then
    offers to start it (candidate_export_start)."""
    fmt = _export_format(request)
    filterset = _filtered(request, selectors.candidate_list_for_display(user=request.user))
    if _export_is_long(filterset):
        return render(
            request,
            "candidates/export_start.html",
            {"limit": exports.IN_REQUEST_MAX_ROWS, "fmt": fmt, "querystring": _querystring(request, "format")},
        )
    body = exports.rows(filterset.qs, user=request.user)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.csv_lines(exports.headers(), body), content_type=exports.CONTENT_TYPES["csv"]
        )
        response["Content-Disposition"] = f'attachment; filename="candidates-{stamp}.csv"'
        return response
    workbook = exports.xlsx_workbook(exports.headers(), body, title=_("Candidates"))
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=f"candidates-{stamp}.xlsx", content_type=exports.CONTENT_TYPES["xlsx"]
    )


@post_only(_back_to_list)
@login_required
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
def candidate_detail(request, pk):
    candidate = selectors.get_candidate_detail_for_user(request.user, pk)
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
            "today": timezone.localdate(),
        },
        status=status,
    )


@require_GET
@login_required
def candidate_data_report(request, pk):
    """Everything the office holds about one person, for a data access request (Law 27/2022)."""
    candidate = selectors.get_candidate_detail_for_user(request.user, pk)
    full = sees_full_identifiers(request.user)
    return render(
        request,
        "candidates/candidate_data_report.html",
        {
            "candidate": candidate,
            "full_identifiers": full,
            "document_statuses": selectors.candidate_document_statuses(candidate),
            "detail_sections": extensions.detail_sections(),
            "history": selectors.candidate_history(candidate, mask_identifiers=not full),
            "downloads": selectors.candidate_document_downloads(candidate),
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


# --- consent ------------------------------------------------------------------------------------


@post_only("candidates:candidate_detail")
@login_required
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


@require_http_methods(["GET", "POST"])
@login_required
def document_create(request, pk):
    candidate = selectors.get_candidate_for_user(request.user, pk)
    require_perm(request.user, "candidates.add_document")
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.document_create(
            user=request.user,
            candidate=candidate,
            data=form.cleaned_data,
            upload=form.cleaned_data.get("file"),
            checked=form.checked_file,
        )
        messages.success(request, _("Document added."))
        return redirect("candidates:candidate_detail", candidate.pk)
    return render(request, "candidates/document_form.html", {"form": form, "candidate": candidate})


@require_GET
@login_required
def document_download(request, doc_id):
    document = selectors.get_document_for_user(request.user, doc_id)
    require_perm(request.user, "candidates.view_document")
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    services.document_access_log(user=request.user, document=document, ip_address=request.META.get("REMOTE_ADDR"))
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
        response = HttpResponse("\ufeff" + imports.import_template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="template-kandidat.csv"'
        return response
    content = imports.import_template_xlsx(request.user.municipality)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="template-kandidat.xlsx"'
    return response
