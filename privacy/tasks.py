"""The retention policy as a job of the daily schedule (settings.RANTAU_SCHEDULE)."""

from jobs.queue import task

from .retention import apply_retention
from .services import RETENTION


@task()
def apply_retention_daily() -> dict[str, int]:
    """Erase and delete what the active retention policies say is past its time; returns the counts."""
    return apply_retention(user=RETENTION, commit=True).counts
