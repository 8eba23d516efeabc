"""Queries per page stay constant as data grows: every protection list, dashboard, summary, page
and export is measured at two data sizes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from protection import services
from protection.models import ProgrammeHold
from tests.factories import today

from .conftest import abroad_placement
from .test_services import open_case

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _grow(world, n):
    """n more workers abroad in the same programme and cohort, each with a case, a contact, and an
    action and a hold on the programme; the first worker gets n more contacts and cases."""
    serang, staff, first = world["serang"], world["staff"], world["first"]
    for _ in range(n):
        placement = abroad_placement(municipality=serang, programme=first.programme, cohort=first.cohort)
        open_case(placement, staff, case_type="wages")
        services.contact_create(
            user=staff, placement=placement, contacted_on=today(), channel="phone", wellbeing="good"
        )
        services.contact_create(user=staff, placement=first, contacted_on=today(), channel="phone", wellbeing="good")
        case = open_case(first, staff)
        services.case_add_action(case=case, user=staff, acted_on=today(), what="Called", version=case.version)
        ProgrammeHold.objects.create(
            programme=first.programme,
            held_on=today(),
            lifted_on=today(),
            reason="x",
            source="y",
            recorded_by=world["admin"],
        )
    world["case"].refresh_from_db()
    services.case_add_action(
        case=world["case"], user=staff, acted_on=today(), what="Again", version=world["case"].version
    )


@pytest.fixture
def world(serang, serang_staff, serang_admin, abroad):
    return {
        "serang": serang,
        "staff": serang_staff,
        "admin": serang_admin,
        "first": abroad,
        "case": open_case(abroad, serang_staff),
    }


def _urls(world) -> dict[str, str]:
    first, case = world["first"], world["case"]
    urls = {
        "case_detail": reverse("protection:case_detail", args=[case.pk]),
        "case_print": reverse("protection:case_print", args=[case.pk]),
        "placement": reverse("protection:placement", args=[first.pk]),
        "cohort_contacts": reverse("protection:cohort_contacts", args=[first.cohort_id]),
        "holds": reverse("protection:hold_list"),
        "holds_xlsx": reverse("protection:hold_list") + "?format=xlsx",
        "summary": reverse("protection:programme_summary", args=[first.programme_id]),
        "summary_xlsx": reverse("protection:programme_summary", args=[first.programme_id]) + "?format=xlsx",
        "case_xlsx": reverse("protection:case_list") + "?format=xlsx",
        "worker_xlsx": reverse("protection:worker_list") + "?format=xlsx&state=departed",
        "worker_at_risk": reverse("protection:worker_list") + "?state=at_risk",
        "case_late": reverse("protection:case_list") + "?late=on&status=unresolved",
    }
    for group in ("programme", "cohort", "partner", "kecamatan"):
        urls[f"dashboard_{group}"] = reverse("protection:dashboard") + f"?group={group}"
        urls[f"dashboard_{group}_xlsx"] = reverse("protection:dashboard") + f"?group={group}&format=xlsx"
    return urls


def test_every_protection_page_costs_the_same_whatever_the_data(staff_client, world):
    urls = _urls(world)
    staff_client.get(reverse("protection:dashboard"))  # warm-up: the session's activity stamp
    _grow(world, 1)
    small = {name: _count(staff_client, url) for name, url in urls.items()}
    _grow(world, 5)
    large = {name: _count(staff_client, url) for name, url in urls.items()}
    assert large == small
    # Session, user, and permissions are four of them; no page needs more than a dozen.
    assert max(large.values()) <= 12, large


def test_the_national_viewer_reads_the_summary_and_dashboard_at_a_constant_cost(national_client, world):
    urls = {
        "summary": reverse("protection:programme_summary", args=[world["first"].programme_id]),
        "dashboard": reverse("protection:dashboard") + "?group=cohort",
    }
    national_client.get(urls["dashboard"])
    small = {name: _count(national_client, url) for name, url in urls.items()}
    _grow(world, 4)
    assert {name: _count(national_client, url) for name, url in urls.items()} == small
