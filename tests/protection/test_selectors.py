"""Reads: overdue contact and the at-risk flag, the dashboard's counts, scoping and roles."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from protection import selectors, services
from protection.models import ProtectionSettings
from tests.factories import today

from .conftest import abroad_placement
from .test_services import open_case

pytestmark = pytest.mark.django_db


def _row(user, placement):
    return selectors.worker_list(user=user).get(pk=placement.pk)


def test_overdue_once_is_overdue_and_overdue_twice_is_at_risk(serang_staff, serang):
    recent = abroad_placement(municipality=serang, days_ago=10)
    once = abroad_placement(municipality=serang, days_ago=20)
    twice = abroad_placement(municipality=serang, days_ago=40)
    overdue = set(
        selectors.worker_list(user=serang_staff).filter(selectors.WORKER_STATES["overdue"]).values_list("pk", flat=True)
    )
    assert overdue == {once.pk, twice.pk}
    at_risk = selectors.worker_list(user=serang_staff).filter(selectors.WORKER_STATES["at_risk"])
    assert [p.pk for p in at_risk] == [twice.pk]
    assert selectors.risk_reasons(_row(serang_staff, twice)) == ["no contact for 40 days (interval 14): overdue twice"]
    assert selectors.risk_reasons(_row(serang_staff, recent)) == []
    services.contact_create(
        user=serang_staff, placement=twice, contacted_on=today() - timedelta(days=1), channel="phone", wellbeing="good"
    )
    assert selectors.risk_reasons(_row(serang_staff, twice)) == []
    assert selectors.overdue_contact_count(user=serang_staff) == 1


def test_the_programme_sets_the_contact_interval(serang_staff, serang):
    placement = abroad_placement(municipality=serang, days_ago=20)
    assert _row(serang_staff, placement).interval == 14
    ProtectionSettings.objects.create(programme=placement.programme, contact_interval_days=30)
    row = _row(serang_staff, placement)
    assert row.interval == 30 and row.days_since_contact == 20
    assert not selectors.worker_list(user=serang_staff).filter(selectors.WORKER_STATES["overdue"]).exists()


def test_an_open_wage_or_abuse_case_flags_the_worker(serang_staff, abroad):
    services.contact_create(
        user=serang_staff, placement=abroad, contacted_on=today(), channel="phone", wellbeing="good"
    )
    case = open_case(abroad, serang_staff, case_type="wages", severity="high")
    assert selectors.risk_reasons(_row(serang_staff, abroad)) == ["an open wage or abuse case"]
    services.case_resolve(case=case, user=serang_staff, outcome="continues", acted_on=today(), what="Paid", version=1)
    assert selectors.risk_reasons(_row(serang_staff, abroad)) == []


def test_cases_are_read_by_staff_and_officials_of_their_municipality_only(
    serang_staff, serang_official, blitar_staff, national_viewer, abroad
):
    case = open_case(abroad, serang_staff)
    assert list(selectors.case_list(user=serang_official)) == [case]
    assert list(selectors.case_list(user=blitar_staff)) == []
    with pytest.raises(PermissionDenied):
        selectors.case_list(user=national_viewer)
    with pytest.raises(PermissionDenied):
        selectors.get_case_for_user(serang_official, case.pk, write=True)


def test_the_dashboard_counts_absconding_cases_deadlines_and_coverage(serang_staff, serang, national_viewer):
    first = abroad_placement(municipality=serang, days_ago=5)
    programme = first.programme
    mates = [abroad_placement(municipality=serang, programme=programme, days_ago=30) for _ in range(3)]
    # A critical case reported two days ago, no action yet: past its 24 h deadline.
    open_case(mates[0], serang_staff, reported_at=timezone.now() - timedelta(days=2))
    services.case_resolve(
        case=open_case(mates[1], serang_staff, case_type="absconding"),
        user=serang_staff,
        outcome="absconded",
        acted_on=today(),
        what="Left the farm",
        version=1,
    )
    dashboard = selectors.protection_dashboard(user=serang_staff)
    [row] = dashboard.rows
    assert (row.key, row.departed, row.absconded, row.abroad, row.contacted) == (programme.pk, 4, 1, 3, 1)
    assert row.absconding_rate == 0.25 and row.coverage == pytest.approx(1 / 3)
    assert (row.open_cases, row.past_deadline) == (1, 1)
    assert {t["type"]: t["total"] for t in dashboard.by_type} == {"illness": 1, "absconding": 1}
    national = selectors.protection_dashboard(user=national_viewer, group="kecamatan")
    assert national.total.departed == 4 and national.total.absconded == 1
