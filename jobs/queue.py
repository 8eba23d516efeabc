"""The job queue: Django's tasks API (the django-tasks backport) on its database backend.

Every app queues work through `enqueue`, and declares jobs with `task` (re-exported here, so that
moving to Django 6's `django.tasks` changes this module only). Jobs that talk to something that can
be down wrap their function in `retrying`: django-tasks 0.12 has no retries of its own.
"""

import functools
from collections.abc import Callable, Sequence
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResult, task
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend

__all__ = ["RetryScheduled", "enqueue", "retrying", "task"]


def enqueue(job: Task, *args, **kwargs) -> TaskResult | None:
    """Queue `job` as part of the current transaction.

    With the database backend the job is a row that this transaction writes: a change that rolls
    back leaves no job behind, and a change that commits always has its job (there is no moment
    between the commit and the enqueue in which a crash loses it, as with on_commit). Any other
    backend gets the job once the transaction commits, so a rollback sends nothing there either.
    """
    if isinstance(job.get_backend(), DatabaseBackend):
        return job.enqueue(*args, **kwargs)
    transaction.on_commit(lambda: job.enqueue(*args, **kwargs))
    return None


class RetryScheduled(Exception):  # noqa: N818 – it is a state, not an error in the code
    """This attempt failed and the next one is queued. The job row of this attempt says FAILED with
    this exception (the original one chained below it); only the last attempt's failure is final."""


def retrying(
    *,
    delays: Sequence[int] | Callable[[], Sequence[int]],
    retry_on: tuple[type[BaseException], ...] = (Exception,),
    on_retry: Callable | None = None,
    on_give_up: Callable | None = None,
):
    """Retry a job function with backoff: after attempt n fails with one of `retry_on`, the job is
    queued again to run `delays[n-1]` seconds later; after len(delays) + 1 attempts it fails for good.

    on_retry(exc, attempt, *args, **kwargs) and on_give_up(...) run in the same transaction as the
    re-enqueue, so the record they update and the next attempt are saved together or not at all.
    Use it under @task: `@task() @retrying(delays=[60, 300]) def job(...)`.
    """

    def decorate(func):
        @functools.wraps(func)
        def attempt_job(*args, attempt: int = 1, **kwargs):
            try:
                return func(*args, **kwargs)
            except retry_on as exc:
                plan = list(delays() if callable(delays) else delays)
                if attempt > len(plan):
                    if on_give_up is not None:
                        with transaction.atomic():
                            on_give_up(exc, attempt, *args, **kwargs)
                    raise
                run_after = timezone.now() + timedelta(seconds=plan[attempt - 1])
                with transaction.atomic():
                    if on_retry is not None:
                        on_retry(exc, attempt, *args, **kwargs)
                    this_job = import_string(f"{attempt_job.__module__}.{attempt_job.__qualname__}")
                    enqueue(this_job.using(run_after=run_after), *args, attempt=attempt + 1, **kwargs)
                raise RetryScheduled(
                    f"attempt {attempt} of {len(plan) + 1} failed ({exc}); next at {run_after.isoformat()}"
                ) from exc

        return attempt_job

    return decorate
