"""The worker's protection page, the debrief and follow-up forms, and the next-season page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from placements.models import Placement
from protection.models import FollowUp, ReinviteOverride, ReturnDebrief
from tests.factories import today

from .conftest import abroad_placement

pytestmark = pytest.mark.django_db


@pytest.fixture
def returnee(abroad) -> Placement:
    abroad.programme.season_months_abroad, abroad.programme.season_periods = 5, 1
    abroad.programme.contract_months = None
    abroad.programme.save()
    Placement.objects.filter(pk=abroad.pk).update(
        stage="returned", returned_on=today() - timedelta(days=1), return_outcome="completed"
    )
    return Placement.objects.get(pk=abroad.pk)


def test_the_worker_page_shows_contact_status_and_offers_forms_to_staff_only(staff_client, official_client, abroad):
    url = reverse("protection:placement", args=[abroad.pk])
    staff_page = staff_client.get(url).content.decode()
    assert "No contact since the departure 30 days ago" in staff_page
    assert 'data-testid="contact-form"' in staff_page and 'data-testid="open-case"' in staff_page
    official_page = official_client.get(url).content.decode()
    assert 'data-testid="contact-form"' not in official_page and 'data-testid="open-case"' not in official_page


def test_debrief_and_follow_up_are_recorded_after_the_return(staff_client, official_client, returnee):
    url = reverse("protection:debrief", args=[returnee.pk])
    assert official_client.get(url).status_code == 403
    response = staff_client.post(
        url, {"debriefed_on": today().isoformat(), "wages_as_promised": "partly", "wants_to_go_again": "yes"}
    )
    assert response.status_code == 302
    assert ReturnDebrief.objects.get(placement=returnee).wages_as_promised == "partly"
    follow_up = reverse("protection:follow_up", args=[returnee.pk, 3])
    assert staff_client.post(follow_up, {"followed_on": today().isoformat(), "work": "business"}).status_code == 302
    assert FollowUp.objects.get(placement=returnee).work == "business"
    assert staff_client.get(reverse("protection:follow_up", args=[returnee.pk, 4])).status_code == 404


def test_placements_next_season_page_applies_the_protection_defaults(staff_client, returnee):
    """One next-season page (placements'), with protection's defaults registered into it."""
    url = reverse("placements:next_season") + f"?programme={returnee.programme_id}"
    page = staff_client.get(url)
    [row] = page.context["page_obj"].object_list
    assert row == returnee and row.reinvite_blockers == ["no return debrief yet"]
    html = page.content.decode()
    assert 'data-testid="reinvite-default"><span class="badge text-bg-secondary">not offered</span>' in html
    assert 'data-testid="override-reason"' in html
    invite = reverse("placements:next_season_invite", args=[returnee.pk])
    refused = staff_client.post(invite, {}, follow=True)
    assert "give a reason to invite all the same" in refused.content.decode()
    assert not Placement.objects.filter(previous_placement=returnee).exists()
    staff_client.post(invite, {"override_reason": "Debrief by phone next week"})
    assert Placement.objects.filter(previous_placement=returnee).count() == 1
    assert ReinviteOverride.objects.get(placement=returnee).reason == "Debrief by phone next week"


def test_a_returnee_who_wants_to_go_again_is_offered_with_no_reason_asked(staff_client, returnee):
    staff_client.post(
        reverse("protection:debrief", args=[returnee.pk]),
        {"debriefed_on": today().isoformat(), "wages_as_promised": "yes", "wants_to_go_again": "yes"},
    )
    page = staff_client.get(reverse("placements:next_season") + f"?programme={returnee.programme_id}")
    html = page.content.decode()
    assert 'data-testid="reinvite-default"><span class="badge text-bg-success">offered</span>' in html
    assert 'data-testid="override-reason"' not in html
    staff_client.post(reverse("placements:next_season_invite", args=[returnee.pk]), {})
    assert Placement.objects.filter(previous_placement=returnee).count() == 1
    assert not ReinviteOverride.objects.exists()


def test_the_next_season_page_costs_the_same_whatever_the_returnees(staff_client, returnee, serang):
    url = reverse("placements:next_season") + f"?programme={returnee.programme_id}"
    staff_client.get(url)  # warm-up: the session's activity stamp
    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(url).status_code == 200
    for _ in range(4):
        other = abroad_placement(municipality=serang, programme=returnee.programme, days_ago=200)
        Placement.objects.filter(pk=other.pk).update(
            stage="returned", returned_on=today() - timedelta(days=1), return_outcome="completed"
        )
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(url)
    assert len(response.context["page_obj"].object_list) == 5
    assert len(many.captured_queries) == len(few.captured_queries)
