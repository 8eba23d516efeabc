"""The dashboards read summaries now; on the demo data they show the numbers a count over the rows
gives (the way they were computed before the summaries): every figure, links or not, for every
programme, for a municipal official and for the national viewer, today and on a later day."""

from datetime import datetime, time, timedelta
from statistics import median

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from accounts.access import scope_q
from accounts.models import User
from candidates.models import Candidate
from core.dates import age_band_case
from dashboards.selectors import (
    EARLY_ENDS,
    PIPELINE,
    PROJECTION_WINDOW_DAYS,
    national_overview,
    programme_dashboard,
    stages_from,
)
from placements.models import Enrolment, Placement, PlacementStageEvent
from programmes.models import Programme

pytestmark = pytest.mark.django_db


def rows_of(user, programme):
    return Placement.objects.filter(scope_q(user, "municipality"), programme=programme)


def expected_programme(user, programme, today) -> dict:
    """Every programme-dashboard figure counted from the placements themselves."""
    placements = rows_of(user, programme)
    departed = stages_from("departed")
    by_stage = dict(placements.values_list("stage").annotate(n=Count("*")))
    with_band = placements.annotate(band=age_band_case(today, field="candidate__birth_date"))
    since = today - timedelta(days=PROJECTION_WINDOW_DAYS)
    after = timezone.make_aware(datetime.combine(since + timedelta(days=1), time.min))
    recent = PlacementStageEvent.objects.filter(to_stage="ready", moved_at__gte=after).values("placement_id")
    days = [
        (p.departed_on - p.registered_on).days
        for p in placements.filter(stage__in=departed, departed_on__isnull=False).only("departed_on", "registered_on")
    ]

    def grouped(field):
        return {
            key: (n, d)
            for key, n, d in placements.values_list(field)
            .annotate(n=Count("*"), d=Count("pk", filter=Q(stage__in=departed)))
            .order_by()
        }

    return {
        "reached": {s: sum(by_stage.get(t, 0) for t in stages_from(s)) for s in PIPELINE},
        "ended": {s: by_stage.get(s, 0) for s in EARLY_ENDS},
        "occupations": {
            o: dict(placements.filter(occupation_id=o).values_list("stage").annotate(n=Count("*")))
            for o in placements.values_list("occupation_id", flat=True).distinct()
        },
        "sex": grouped("candidate__sex"),
        "education": grouped("candidate__education"),
        "kecamatan": grouped("candidate__kecamatan_code"),
        "age": {
            key: (n, d)
            for key, n, d in with_band.values_list("band")
            .annotate(n=Count("*"), d=Count("pk", filter=Q(stage__in=departed)))
            .order_by()
        },
        "registered": {
            (y, m): n
            for y, m, n in placements.values_list(F("registered_on__year"), F("registered_on__month"))
            .annotate(n=Count("*"))
            .order_by()
        },
        "departed_months": {
            (y, m): n
            for y, m, n in placements.filter(departed_on__isnull=False)
            .values_list(F("departed_on__year"), F("departed_on__month"))
            .annotate(n=Count("*"))
            .order_by()
        },
        "median": median(days) if days else None,
        "median_count": len(days),
        "without_date": placements.filter(stage__in=departed, departed_on__isnull=True).count(),
        "ready_in_window": placements.filter(stage__in=stages_from("ready"), pk__in=recent).count(),
        "providers": {
            (r["batch__provider_id"], r["result"]): r["n"]
            for r in Enrolment.objects.filter(batch__programme=programme)
            .filter(scope_q(user, "placement__municipality"))
            .values("batch__provider_id", "result")
            .annotate(n=Count("*"))
        },
    }


def shown_programme(user, programme, today) -> dict:
    d = programme_dashboard(user=user, programme=programme, today=today)
    return {
        "reached": d.funnel.reached,
        "ended": d.funnel.ended_by_reason,
        "occupations": {
            # Demand rows without placements show zeros; the rows give no such occupation.
            row.occupation_id: {s: n for s, n in _stage_counts(row.funnel).items() if n}
            for row in d.occupations
            if row.funnel.total
        },
        "sex": {b.key: (b.count, b.departed) for b in d.sex if b.count},
        "education": {b.key: (b.count, b.departed) for b in d.education},
        "kecamatan": {b.key: (b.count, b.departed) for b in d.kecamatan},
        "age": {b.key: (b.count, b.departed) for b in d.age if b.count},
        "registered": {(m.month.year, m.month.month): m.registered for m in d.months if m.registered},
        "departed_months": {(m.month.year, m.month.month): m.departed for m in d.months if m.departed},
        "median": d.median_days,
        "median_count": d.median_count,
        "without_date": d.departed_without_date,
        "ready_in_window": d.projection.ready_in_window,
        "providers": {
            (p.provider_id, result): n
            for p in d.providers
            for result, n in (("passed", p.passed), ("failed", p.failed), ("pending", p.pending))
            if n
        },
    }


def _stage_counts(funnel) -> dict:
    """A cumulative funnel back to the count at each stage (reached X minus reached the next)."""
    out = {}
    for i, stage in enumerate(PIPELINE):
        after = funnel.reached[PIPELINE[i + 1]] if i + 1 < len(PIPELINE) else 0
        out[stage] = funnel.reached[stage] - after
    out.update(funnel.ended_by_reason)
    return out


@pytest.fixture
def demo(db):
    call_command("seed_demo")


def test_programme_dashboards_show_the_numbers_the_rows_give(demo):
    today = timezone.localdate()
    users = [User.objects.get(username="serang.official"), User.objects.get(username="blitar.official")]
    users.append(User.objects.filter(groups__name__icontains="national").first() or users[0])
    programmes = list(Programme.objects.all())
    assert len(programmes) >= 3 and Placement.objects.count() > 50
    compared = 0
    for user in users:
        for programme in programmes:
            for day in (today, today + timedelta(days=200)):
                expected = expected_programme(user, programme, day)
                assert shown_programme(user, programme, day) == expected, (user.username, programme.name, day)
                compared += bool(expected["reached"]["registered"])
    assert compared >= 4  # programmes with placements, not only empty ones


def test_the_national_view_shows_the_numbers_the_rows_give(demo):
    viewer = User.objects.filter(municipality__isnull=True, is_superuser=False).first()
    assert viewer is not None and viewer.sees_all_municipalities
    overview = national_overview(user=viewer)
    assert overview.municipalities
    departed = stages_from("departed")
    for row in overview.municipalities:
        placements = Placement.objects.filter(municipality=row.municipality)
        assert row.candidates == Candidate.objects.filter(municipality=row.municipality).count()
        assert row.placements == placements.count()
        assert row.departed == placements.filter(stage__in=departed).count()
        assert row.returned == placements.filter(stage="returned").count()
        assert row.ended == placements.filter(stage__in=EARLY_ENDS).count()
