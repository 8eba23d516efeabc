"""Jobs users start from the candidate pages: a long export, and the check and the commit of a large
import (run by `manage.py db_worker`; their pages are jobs.views.user_job_detail)."""

import os
import tempfile
from functools import partial
from pathlib import Path

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jobs.queue import task
from jobs.services import UserJobOutput, UserJobRefused, run_user_job

from . import exports, imports, selectors
from .filters import CandidateFilter
from .privacy import export_file_name, sees_full_identifiers
from .readlog import Kind, record_read


@task()
def export_candidates(job_id: str, *, filters: dict[str, list[str]], fmt: str) -> str:
    return run_user_job(job_id, partial(_export, filters=filters, fmt=fmt))


def _export(job, progress, *, filters, fmt) -> UserJobOutput:
    user = job.requested_by
    data = QueryDict(mutable=True)
    for key, values in filters.items():
        data.setlist(key, values)
    queryset = CandidateFilter(data, queryset=selectors.candidate_list_for_display(user=user), user=user).qs
    progress(0, queryset.count(), force=True)
    handle, name = tempfile.mkstemp(prefix="rantau-export-", suffix=f".{fmt}")
    os.close(handle)
    path = Path(name)
    try:
        written = exports.write_file(queryset, user=user, fmt=fmt, path=path, progress=progress)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    progress(written, written, force=True)
    full = sees_full_identifiers(user)
    route = "candidates:candidate_export_start"
    record_read(user, Kind.EXPORT, filters=filters, rows=written, full_identifiers=full, route=route)
    stamp = timezone.localdate().isoformat()
    return UserJobOutput(
        path=path,
        file_name=export_file_name("candidates", fmt, full_identifiers=full, date_stamp=stamp),
        content_type=exports.CONTENT_TYPES[fmt],
        message=ngettext("%(n)s candidate exported.", "%(n)s candidates exported.", written) % {"n": f"{written:,}"},
    )


@task()
def check_import(job_id: str, *, token: str) -> str:
    return run_user_job(job_id, partial(_check_import, token=token))


def _check_import(job, progress, *, token) -> UserJobOutput:
    try:
        preview = imports.candidate_import_check_stored(user=job.requested_by, preview_token=token, progress=progress)
    except imports.CandidateImportError as exc:
        raise UserJobRefused(exc.messages[0], **_upload_again()) from exc
    if preview.file_error:
        raise UserJobRefused(preview.file_error, **_upload_again())
    progress(preview.total_rows, preview.total_rows, force=True)
    return UserJobOutput(
        message=_("%(rows)s rows checked: %(new)s new, %(existing)s already registered, %(errors)s errors.")
        % {
            "rows": f"{preview.total_rows:,}",
            "new": f"{preview.create_count:,}",
            "existing": f"{preview.existing_count:,}",
            "errors": f"{preview.error_count:,}",
        },
        next_url=reverse("candidates:candidate_import_preview", args=[token]),
        next_label=_("See the check and import"),
    )


@task()
def commit_import(job_id: str, *, token: str, on_existing: str) -> str:
    return run_user_job(job_id, partial(_commit_import, token=token, on_existing=on_existing))


def _commit_import(job, progress, *, token, on_existing) -> UserJobOutput:
    # One transaction writes every row: no progress within it, the page shows that it is working.
    try:
        result = imports.candidate_import_commit(user=job.requested_by, preview_token=token, on_existing=on_existing)
    except imports.ImportInterrupted as exc:
        raise UserJobRefused(
            exc.messages[0],
            next_url=reverse("candidates:candidate_import_preview", args=[token]),
            next_label=_("Back to the check"),
        ) from exc
    except imports.CandidateImportError as exc:
        raise UserJobRefused(exc.messages[0], **_upload_again()) from exc
    return UserJobOutput(
        message=imports.result_message(result),
        next_url=reverse("candidates:candidate_list") + "?sort=-registered",
        next_label=_("See the candidates"),
    )


def _upload_again() -> dict[str, str]:
    return {"next_url": reverse("candidates:candidate_import"), "next_label": _("Upload a file")}
