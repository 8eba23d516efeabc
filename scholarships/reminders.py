"""Semester alerts on the reminders page (placements.extensions.reminder_sources, registered in
apps.py): a student abroad whose latest semester grade is below the programme's minimum, or whose
next report is overdue (the programme's months since the last report, or since departure)."""

from datetime import date
from decimal import Decimal

from django.db.models import DateField, DecimalField, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.access import scope_queryset
from core.dates import AddMonths
from placements.extensions import ReminderSource
from placements.reminders import Reminder

from .models import Application, ApplicationStage, SemesterReport

KIND = "semester_alert"
ABROAD = [ApplicationStage.DEPARTED, ApplicationStage.STUDYING]
DEFAULT_MONTHS = 6
DEFAULT_MIN_GRADE = Decimal("2.75")


def with_semester_status(qs: QuerySet, today: date) -> QuerySet:
    """Annotate last_reported, last_grade, report_due, min_grade, below_minimum and report_missing."""
    latest = SemesterReport.objects.filter(application=OuterRef("pk")).order_by("-semester")
    return qs.annotate(
        last_reported=Max("semester_reports__reported_on"),
        last_grade=Subquery(
            latest.values("grade_average")[:1], output_field=DecimalField(max_digits=3, decimal_places=2)
        ),
        min_grade=Coalesce(
            F("programme__scholarship_rules__min_semester_grade"),
            Value(DEFAULT_MIN_GRADE),
            output_field=DecimalField(max_digits=3, decimal_places=2),
        ),
        every=Coalesce(
            F("programme__scholarship_rules__report_every_months"), Value(DEFAULT_MONTHS), output_field=IntegerField()
        ),
    ).annotate(report_due=AddMonths(Coalesce("last_reported", "departed_on", output_field=DateField()), F("every")))


def alerts_q(today: date) -> Q:
    return Q(last_grade__lt=F("min_grade")) | Q(report_due__lt=today)


def _alerts(user, today: date) -> QuerySet:
    qs = scope_queryset(Application.objects.filter(stage__in=ABROAD), user)
    return with_semester_status(qs, today).filter(alerts_q(today))


def semester_alert_count(*, user, today: date) -> int:
    return _alerts(user, today).count()


def semester_alerts(*, user, today: date, limit: int) -> list[Reminder]:
    rows = (
        _alerts(user, today)
        .values(
            "pk",
            "candidate__full_name",
            "last_grade",
            "min_grade",
            "report_due",
            "municipality__code",
            "municipality__name",
        )
        .order_by("report_due", "pk")[:limit]
    )
    label = _("Scholarship student: semester alert")
    list_url = reverse("scholarships:application_list") + "?group=abroad"
    out = []
    for row in rows:
        parts = []
        if row["last_grade"] is not None and row["last_grade"] < row["min_grade"]:
            parts.append(
                _("Semester IPK %(grade)s is below the programme's minimum %(min)s.")
                % {"grade": row["last_grade"], "min": row["min_grade"]}
            )
        if row["report_due"] and row["report_due"] < today:
            parts.append(
                _("A semester report was due on %(date)s.") % {"date": date_format(row["report_due"], "j M Y")}
            )
        out.append(
            Reminder(
                kind=KIND,
                municipality_code=row["municipality__code"] or "",
                municipality=row["municipality__name"] or "",
                subject=row["candidate__full_name"],
                message=" ".join(parts),
                url=reverse("scholarships:application_detail", args=[row["pk"]]),
                due=row["report_due"],
                label=label,
                list_url=list_url,
            )
        )
    return out


SEMESTER_ALERTS = ReminderSource(
    key=KIND, perm="scholarships.view_application", count=semester_alert_count, items=semester_alerts
)
