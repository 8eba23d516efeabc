"""What the job queue keeps besides django-tasks' own table: the daily runs of the schedule."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult


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
