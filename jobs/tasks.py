"""Housekeeping jobs of the daily schedule (settings.RANTAU_SCHEDULE)."""

from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import ScheduledRun
from .queue import task
from .services import user_jobs_prune


@task()
def clear_sessions() -> None:
    """Expired sessions out of the database (what `manage.py clearsessions` from cron used to do)."""
    call_command("clearsessions")


@task()
def prune_job_results() -> int:
    """Finished job rows older than JOB_RESULTS_KEEP_DAYS (failed ones: twice that), and the jobs users
    started (with their files) older than JOB_FILES_KEEP_DAYS; returns how many queue rows."""
    keep = timedelta(days=settings.JOB_RESULTS_KEEP_DAYS)
    now = timezone.now()
    done, _ = DBTaskResult.objects.successful().filter(finished_at__lt=now - keep).delete()
    failed, _ = DBTaskResult.objects.failed().filter(finished_at__lt=now - 2 * keep).delete()
    ScheduledRun.objects.filter(due_on__lt=timezone.localdate(now - 2 * keep)).delete()
    user_jobs_prune(now=now)
    return done + failed
