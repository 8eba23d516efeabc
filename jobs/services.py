"""Jobs a user starts from a page: start one (in the transaction of the request), run it in the
worker with progress reports, keep the file it makes, prune old ones.

A job function is a django-tasks task taking the UserJob's id first; its body calls
`run_user_job(job_id, work)`, where `work(job, progress)` does the work, calls `progress(done, total)`
as it goes and returns a `UserJobOutput`.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks.base import Task

from .models import UserJob
from .queue import enqueue

logger = logging.getLogger(__name__)

# Progress is written at most this often (seconds): a row update per row would cost more than the work.
PROGRESS_EVERY = 0.5


class UserJobRefused(Exception):  # noqa: N818 – an outcome with a message for the user, not a bug
    """The work cannot be done as asked (a file with errors, a registry that changed): the job ends
    "failed" with this message for the user, and the queue records it as a success."""

    def __init__(self, message: str, *, next_url: str = "", next_label: str = ""):
        super().__init__(message)
        self.next_url = next_url
        self.next_label = next_label


@dataclass
class UserJobOutput:
    message: str = ""
    path: Path | None = None  # a local file to keep as the job's download
    file_name: str = ""
    content_type: str = ""
    next_url: str = ""
    next_label: str = ""
    extra: dict = field(default_factory=dict)


@transaction.atomic
def user_job_start(*, user, kind: str, label: str, job: Task, total: int | None = None, **kwargs) -> UserJob:
    """Record the job and queue it in the same transaction: `job(user_job_id, **kwargs)` runs in the worker."""
    user_job = UserJob.objects.create(
        kind=kind,
        label=label[:200],
        requested_by=user,
        municipality_id=getattr(user, "municipality_id", None),
        language=translation.get_language() or settings.LANGUAGE_CODE,
        total=total,
    )
    enqueue(job, str(user_job.pk), **kwargs)
    return user_job


class Progress:
    """`progress(done, total=None)`: saved to the job's row, at most every PROGRESS_EVERY seconds."""

    def __init__(self, job: UserJob):
        self.job = job
        self._saved_at = 0.0

    def __call__(self, done: int, total: int | None = None, *, force: bool = False) -> None:
        self.job.done = done
        if total is not None:
            self.job.total = total
        now = time.monotonic()
        if force or now - self._saved_at >= PROGRESS_EVERY:
            UserJob.objects.filter(pk=self.job.pk).update(done=self.job.done, total=self.job.total)
            self._saved_at = now


def run_user_job(job_id: str, work: Callable[[UserJob, Progress], UserJobOutput]) -> str:
    """Run `work` once for this job (a second run of the same job does nothing), in the requester's
    language, and record how it ended. An unexpected error fails the job with a short message and is
    raised again, so that the superuser's list of failed jobs has the traceback."""
    with transaction.atomic():
        job = UserJob.objects.select_for_update().select_related("requested_by").get(pk=job_id)
        if job.status != UserJob.Status.QUEUED:
            return f"not run again: {job.status}"
        job.status = UserJob.Status.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at"])
    with translation.override(job.language):
        try:
            output = work(job, Progress(job))
        except UserJobRefused as exc:
            job.result = {"next_url": exc.next_url, "next_label": exc.next_label}
            _finish(job, UserJob.Status.FAILED, error=str(exc))
            return "refused"
        except Exception:
            _finish(job, UserJob.Status.FAILED, error=_("The job stopped on an error; the administrator can see it."))
            raise
    if output.path is not None:
        with output.path.open("rb") as fh:
            job.file.save(f"{job.pk.hex}{output.path.suffix}", File(fh), save=False)
        output.path.unlink(missing_ok=True)
        job.file_name = output.file_name
        job.content_type = output.content_type
    job.result = {
        "message": output.message,
        "next_url": output.next_url,
        "next_label": output.next_label,
        **output.extra,
    }
    if job.total is not None:
        job.done = job.total
    _finish(job, UserJob.Status.DONE)
    return "done"


def _finish(job: UserJob, status: str, *, error: str = "") -> None:
    job.status = status
    job.error = error
    job.finished_at = timezone.now()
    job.save()


def user_jobs_prune(*, now=None) -> int:
    """Jobs finished more than JOB_FILES_KEEP_DAYS ago, with their files (they hold personal data)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.JOB_FILES_KEEP_DAYS)
    old = list(UserJob.objects.filter(finished_at__lt=cutoff))
    for job in old:
        if job.file:
            job.file.delete(save=False)
    UserJob.objects.filter(pk__in=[job.pk for job in old]).delete()
    return len(old)
