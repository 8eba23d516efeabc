"""What the job queue keeps besides django-tasks' own table: the daily runs of the schedule, and
the jobs users start from a page (progress, duration, the file they made)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from core.models import Municipality


class ScheduledRun(models.Model):
    """One daily run of a scheduled job. The unique (name, day) pair is what makes several
    schedulers safe: only the first to insert the row enqueues the job."""

    name = models.CharField(_("job"), max_length=100)
    due_on = models.DateField(_("day"))
    enqueued_at = models.DateTimeField(_("enqueued at"), auto_now_add=True)
    task_id = models.CharField(_("job id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-due_on", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "due_on"], name="scheduledrun_once_a_day")]

    def __str__(self):
        return f"{self.name} {self.due_on}"


class FailedJobQuerySet(models.QuerySet):
    def final(self):
        """Jobs that failed for good: not attempts after which another one was queued."""
        return self.filter(status="FAILED").exclude(exception_class_path="jobs.queue.RetryScheduled")


class FailedJob(DBTaskResult):
    """django-tasks' job rows, seen as the list of jobs that failed for good (admin, superuser only)."""

    objects = FailedJobQuerySet.as_manager()

    class Meta:
        proxy = True
        verbose_name = _("failed job")
        verbose_name_plural = _("failed jobs")

    def __str__(self):
        return f"{self.task_path} {self.id}"

    @property
    def reason(self) -> str:
        """The last line of the traceback: the exception and its message."""
        lines = [line for line in self.traceback.strip().splitlines() if line.strip()]
        return lines[-1] if lines else ""


class UserJob(models.Model):
    """A long piece of work a user started from a page (a large export or import): its progress,
    how long it took, and the file it made. The file is private (default storage, like documents)
    and only the user who asked downloads it (jobs.views.user_job_download)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=60)
    label = models.CharField(_("what"), max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    # The requester's municipality when the job was started: a user who moves office loses the file.
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="jobs/%Y/%m/", blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    # What the page shows when the job is done: {"message": …, "next_url": …, "next_label": …}.
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        indexes = [
            # Pruning finished jobs and their files.
            models.Index(fields=["finished_at"], name="userjob_finished_idx"),
        ]

    def __str__(self):
        return f"{self.label} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)

    @property
    def seconds_taken(self) -> float | None:
        if self.started_at is None:
            return None
        end = self.finished_at or timezone.now()
        return (end - self.started_at).total_seconds()
