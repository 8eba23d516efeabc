"""The 3×24-hour clock of Law 27/2022 (Art. 32–34 requests, Art. 46 breaches): one home for the deadline."""

from datetime import datetime, timedelta

from django.db.models import F, Q

CLOCK = timedelta(hours=72)


def deadline(start: datetime) -> datetime:
    """When an answer (or a breach notification) is due: 3×24 hours after `start`."""
    return start + CLOCK


def running_q(*, stop: str) -> Q:
    """Rows whose clock runs: not yet stopped at `stop`."""
    return Q(**{f"{stop}__isnull": True})


def overdue_q(*, start: str, stop: str, now: datetime) -> Q:
    """Running clocks past their deadline at `now` (the SQL twin of deadline())."""
    return running_q(stop=stop) & Q(**{f"{start}__lt": now - CLOCK})


def deadline_expression(start: str) -> F:
    return F(start) + CLOCK
