"""Requests and breaches on the 3×24-hour clock as kinds of reminder (placements.extensions,
registered in apps.py): every running clock is listed with its deadline, until the answer (or the
notification) stops it."""

from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from placements.extensions import ReminderSource
from placements.reminders import Reminder

from .clock import deadline
from .selectors import open_breaches, open_requests


def _when(due) -> str:
    due = timezone.localtime(due)
    overdue = due < timezone.now()
    text = _("overdue since %(at)s") if overdue else _("due by %(at)s")
    return text % {"at": date_format(due, "j M Y H:i")}


def request_count(*, user, today: date) -> int:
    return open_requests(user=user).count()


def request_reminders(*, user, today: date, limit: int) -> list[Reminder]:
    rows = open_requests(user=user).select_related("candidate", "municipality").order_by("received_at", "pk")[:limit]
    out = []
    for request in rows:
        due = deadline(request.received_at)
        out.append(
            Reminder(
                kind="data_request",
                municipality_code=request.municipality.code,
                municipality=request.municipality.name,
                subject=str(request.candidate),
                message=_("%(kind)s request: answer %(when)s.")
                % {"kind": request.get_kind_display(), "when": _when(due)},
                url=reverse("privacy:request_detail", args=[request.pk]),
                due=timezone.localdate(due),
                label=_("Data subject request to answer (3×24 hours)"),
                list_url=reverse("privacy:request_list") + "?state=open",
            )
        )
    return out


def breach_count(*, user, today: date) -> int:
    return open_breaches(user=user).count()


def breach_reminders(*, user, today: date, limit: int) -> list[Reminder]:
    rows = open_breaches(user=user).select_related("municipality").order_by("discovered_at", "pk")[:limit]
    out = []
    for breach in rows:
        due = deadline(breach.discovered_at)
        out.append(
            Reminder(
                kind="breach",
                municipality_code=breach.municipality.code,
                municipality=breach.municipality.name,
                subject=breach.title,
                message=_("Notify the people affected and the authority %(when)s.") % {"when": _when(due)},
                url=reverse("privacy:breach_detail", args=[breach.pk]),
                due=timezone.localdate(due),
                label=_("Personal-data breach to notify (3×24 hours)"),
                list_url=reverse("privacy:breach_list"),
            )
        )
    return out


REQUESTS_DUE = ReminderSource(
    key="data_request", perm="privacy.change_datarequest", count=request_count, items=request_reminders
)
BREACHES_DUE = ReminderSource(key="breach", perm="privacy.change_breach", count=breach_count, items=breach_reminders)
