"""The job queue: transactional enqueue, retries with backoff then failure with the reason, the
failed-jobs list, the daily schedule."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import Session
from jobs.models import FailedJob, ScheduledRun
from jobs.queue import enqueue
from jobs.schedule import enqueue_due
from jobs.tasks import clear_sessions, prune_job_results

from .runner import run_jobs
from .tasks import always_down, touch

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")


def test_a_job_enqueued_in_a_transaction_that_rolls_back_never_exists():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(touch, "rolled back")
        assert DBTaskResult.objects.count() == 1  # visible inside the transaction only
        raise RuntimeError("the change failed")
    assert DBTaskResult.objects.count() == 0
    assert run_jobs() == 0
    assert not ScheduledRun.objects.filter(name="rolled back").exists()


def test_a_committed_job_runs_and_is_recorded_successful():
    with transaction.atomic():
        result = enqueue(touch, "committed")
    assert run_jobs() == 1
    assert ScheduledRun.objects.filter(name="committed").exists()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL"
    assert row.return_value == "committed"


def test_a_failing_job_is_retried_with_growing_delays_then_fails_with_its_reason():
    enqueue(always_down, "sync")
    before = timezone.now()
    assert run_jobs() == 1
    first = DBTaskResult.objects.get(args_kwargs__kwargs={})
    assert first.status == "FAILED"
    assert first.exception_class_path == "jobs.queue.RetryScheduled"
    assert "partner system down for sync" in first.traceback
    second = DBTaskResult.objects.get(status="READY")
    assert second.args_kwargs == {"args": ["sync"], "kwargs": {"attempt": 2}}
    assert timedelta(seconds=9) < second.run_after - before < timedelta(seconds=12)
    # Not due yet: a worker leaves it alone.
    assert run_jobs() == 0

    assert run_jobs(include_future=True, max_jobs=1) == 1
    third = DBTaskResult.objects.get(status="READY")
    assert third.args_kwargs["kwargs"] == {"attempt": 3}
    assert timedelta(seconds=19) < third.run_after - timezone.now() < timedelta(seconds=21)

    assert run_jobs(include_future=True) == 1
    assert not DBTaskResult.objects.filter(status="READY").exists()
    final = FailedJob.objects.final().get()
    assert final.pk == third.pk
    assert final.reason == "ConnectionError: partner system down for sync"
    assert ScheduledRun.objects.filter(name="gave up sync after 3").exists()
    assert DBTaskResult.objects.filter(status="FAILED").count() == 3


def test_the_failed_jobs_list_is_for_the_superuser_only(superuser_client, admin_client_serang):
    enqueue(always_down, "visible")
    run_jobs(include_future=True)
    page = superuser_client.get("/admin/jobs/failedjob/")
    assert page.status_code == 200
    assert "ConnectionError: partner system down for visible" in page.content.decode()
    # Two earlier attempts were retried: only the final failure is listed.
    assert page.content.decode().count("partner system down for visible") == 1
    assert admin_client_serang.get("/admin/jobs/failedjob/").status_code == 403


def _at(hour: int, minute: int = 0, day: int = 10) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=JAKARTA)


def test_daily_jobs_are_queued_once_a_day_after_their_time(settings):
    settings.RANTAU_SCHEDULE = {
        "clearsessions": {"task": "jobs.tasks.clear_sessions", "at": "02:30"},
        "touch": {"task": "tests.jobs.tasks.touch", "at": "06:30"},
    }
    assert enqueue_due(now=_at(2, 0)) == []
    assert enqueue_due(now=_at(2, 30)) == ["clearsessions"]
    assert enqueue_due(now=_at(3, 0)) == []
    assert enqueue_due(now=_at(7, 0)) == ["touch"]
    assert enqueue_due(now=_at(23, 59)) == []
    assert DBTaskResult.objects.count() == 2
    # The next day, both again.
    assert enqueue_due(now=_at(8, 0, day=11)) == ["clearsessions", "touch"]
    assert ScheduledRun.objects.filter(name="clearsessions").count() == 2
    assert list(DBTaskResult.objects.values_list("task_path", flat=True).distinct().order_by("task_path")) == [
        "jobs.tasks.clear_sessions",
        "tests.jobs.tasks.touch",
    ]


def test_the_clearsessions_job_deletes_expired_sessions():
    Session.objects.create(
        session_key="expired" * 4,
        session_data=SessionBase().encode({}),
        expire_date=timezone.now() - timedelta(days=1),
    )
    Session.objects.create(
        session_key="current" * 4,
        session_data=SessionBase().encode({}),
        expire_date=timezone.now() + timedelta(days=1),
    )
    enqueue(clear_sessions)
    assert run_jobs() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["current" * 4]


def test_old_finished_job_rows_are_pruned_and_recent_ones_kept(settings):
    settings.JOB_RESULTS_KEEP_DAYS = 30
    old, recent = enqueue(touch, "old"), enqueue(touch, "recent")
    run_jobs()
    DBTaskResult.objects.filter(pk=old.id).update(finished_at=timezone.now() - timedelta(days=31))
    enqueue(prune_job_results)
    run_jobs()
    assert not DBTaskResult.objects.filter(pk=old.id).exists()
    assert DBTaskResult.objects.filter(pk=recent.id).exists()
