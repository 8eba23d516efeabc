"""Overdue contacts as a kind of reminder (placements.extensions.reminder_sources, registered in
apps.py): the reminders page, its count on the home page, the `reminders` command and the daily
e-mail list every worker abroad whose last contact is older than the programme's interval."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.access import scope_queryset
from placements.extensions import ReminderSource
from placements.models import Placement
from placements.reminders import Reminder

from .selectors import ABROAD, OVERDUE_Q, overdue_contact_count, with_contact_status

KIND = "overdue_contact"


def overdue_contact_reminders(*, user, today: date, limit: int) -> list[Reminder]:
    """The workers abroad whose contact is overdue, longest without contact first (one query)."""
    qs = with_contact_status(scope_queryset(Placement.objects.filter(stage__in=ABROAD), user), today)
    rows = (
        qs.filter(OVERDUE_Q)
        .values(
            "pk",
            "candidate__full_name",
            "last_contact_on",
            "days_since_contact",
            "interval",
            "municipality__code",
            "municipality__name",
        )
        .order_by("-days_since_contact", "pk")[:limit]
    )
    label = _("Contact with a worker abroad overdue")
    list_url = reverse("protection:worker_list") + "?state=overdue"
    out = []
    for row in rows:
        if row["last_contact_on"]:
            message = _("Last contact on %(date)s, %(days)s days ago; the interval is %(interval)s days.") % {
                "date": date_format(row["last_contact_on"], "j M Y"),
                "days": row["days_since_contact"],
                "interval": row["interval"],
            }
        else:
            message = _("No contact since the departure %(days)s days ago; the interval is %(interval)s days.") % {
                "days": row["days_since_contact"],
                "interval": row["interval"],
            }
        out.append(
            Reminder(
                kind=KIND,
                municipality_code=row["municipality__code"] or "",
                municipality=row["municipality__name"] or "",
                subject=row["candidate__full_name"],
                message=message,
                url=reverse("protection:placement", args=[row["pk"]]),
                due=today - timedelta(days=row["days_since_contact"] - row["interval"]),
                label=label,
                list_url=list_url,
            )
        )
    return out


OVERDUE_CONTACTS = ReminderSource(
    key=KIND,
    perm="protection.view_contact",
    count=overdue_contact_count,
    items=overdue_contact_reminders,
)
