"""Jobs for the queue tests (module-level functions, as django-tasks requires)."""

from django.utils import timezone

from jobs.models import ScheduledRun
from jobs.queue import retrying, task


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
