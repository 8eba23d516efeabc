"""Daily jobs without cron: settings.RANTAU_SCHEDULE names each job, its task and its time of day.

`enqueue_due` queues every job whose time has come today and that has not run today; the
`run_scheduler` command calls it every half minute. Several schedulers may run (one per machine):
the unique (name, day) row lets exactly one of them enqueue. A day on which no scheduler ran is
not caught up later.
"""

from datetime import datetime, time

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduledRun
from .queue import enqueue


def enqueue_due(*, now: datetime | None = None) -> list[str]:
    """Queue the jobs due now; returns their names."""
    now = timezone.localtime(now)
    queued = []
    for name, entry in settings.RANTAU_SCHEDULE.items():
        if now.time() < time.fromisoformat(entry["at"]):
            continue
        with transaction.atomic():
            run, created = ScheduledRun.objects.get_or_create(name=name, due_on=now.date())
            if not created:
                continue
            result = enqueue(import_string(entry["task"]))
            run.task_id = result.id if result is not None else ""
            run.save(update_fields=["task_id"])
        queued.append(name)
    return queued
