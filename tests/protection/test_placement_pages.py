"""What protection adds to a placement's page (placements.extensions): a partner's hold among the
next gates, and links to the worker's protection page and to open a case."""

from datetime import timedelta

import pytest
from django.urls import reverse

from placements.models import Placement
from protection import services
from tests.factories import complete_placement, today

pytestmark = pytest.mark.django_db


def _detail(client, placement):
    return client.get(reverse("placements:placement_detail", args=[placement.pk]))


def test_a_partners_hold_shows_among_the_next_gates_before_departure(staff_client, serang_admin):
    placement = complete_placement()
    Placement.objects.filter(pk=placement.pk).update(stage="visa")
    html = _detail(staff_client, placement).content.decode()
    assert "on hold by the partner country" not in html
    services.hold_create(
        user=serang_admin,
        programme=placement.programme,
        held_on=today() - timedelta(days=3),
        reason="91 of 98 workers absconded",
        source="Letter of the partner county",
    )
    response = _detail(staff_client, placement)
    assert response.context["next_stage"] == "departed"
    messages = [gate["message"] for gate in response.context["next_gates"]]
    assert any("on hold by the partner country" in m and "Letter of the partner county" in m for m in messages)
    assert 'data-testid="gates-hold"' not in response.content.decode()


def test_a_hold_is_not_a_gate_once_the_worker_is_abroad(staff_client, serang_admin, abroad):
    services.hold_create(
        user=serang_admin, programme=abroad.programme, held_on=today(), reason="Absconding", source="News"
    )
    messages = [gate["message"] for gate in _detail(staff_client, abroad).context["next_gates"]]
    assert not [m for m in messages if "on hold" in m]


@pytest.mark.parametrize("stage", ["departed", "abroad", "returned"])
def test_staff_may_open_a_case_from_the_placement_page_once_it_left(staff_client, abroad, stage):
    Placement.objects.filter(pk=abroad.pk).update(stage=stage)
    html = _detail(staff_client, abroad).content.decode()
    assert f'href="{reverse("protection:case_create", args=[abroad.pk])}" data-testid="placement-action"' in html
    assert f'href="{reverse("protection:placement", args=[abroad.pk])}" data-testid="placement-action"' in html


def test_no_case_link_before_departure_nor_for_officials(staff_client, official_client, abroad):
    case_url = reverse("protection:case_create", args=[abroad.pk])
    official = _detail(official_client, abroad).content.decode()
    assert case_url not in official
    assert reverse("protection:placement", args=[abroad.pk]) in official  # officials read the worker's page
    Placement.objects.filter(pk=abroad.pk).update(stage="visa")
    html = _detail(staff_client, abroad).content.decode()
    assert case_url not in html and 'data-testid="placement-action"' not in html
