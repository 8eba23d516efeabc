"""Jobs for the queue tests (module-level functions, as django-tasks requires)."""

from functools import partial

from django.utils import timezone

from jobs.models import ScheduledRun
from jobs.queue import retrying, task
from jobs.services import UserJobOutput, run_user_job


@task()
def touch(name: str) -> str:
    ScheduledRun.objects.create(name=name, due_on=timezone.localdate())
    return name


def _gave_up(exc, attempt, name):
    ScheduledRun.objects.create(name=f"gave up {name} after {attempt}", due_on=timezone.localdate())


@task()
@retrying(delays=[10, 20], retry_on=(ConnectionError,), on_give_up=_gave_up)
def always_down(name: str) -> None:
    raise ConnectionError(f"partner system down for {name}")


def _count_to(job, progress, *, n):
    for i in range(n):
        progress(i + 1, n)
    return UserJobOutput(message=f"counted to {n}")


@task()
def count_to(job_id: str, *, n: int) -> str:
    return run_user_job(job_id, partial(_count_to, n=n))


def _break(job, progress):
    raise ZeroDivisionError("a bug")


@task()
def broken(job_id: str) -> str:
    return run_user_job(job_id, _break)
