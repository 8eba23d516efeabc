"""The worker's protection page, the debrief and follow-up forms, and the next-season page."""

from datetime import timedelta

import pytest
from django.urls import reverse

from placements.models import Placement
from protection.models import FollowUp, ReturnDebrief
from tests.factories import today

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


def test_next_season_offers_by_default_and_overrides_need_a_reason(staff_client, returnee):
    page = staff_client.get(reverse("protection:next_season") + f"?programme={returnee.programme_id}")
    assert page.context["rows"] == [(returnee, ["no return debrief yet"])]
    invite = reverse("protection:next_season_invite", args=[returnee.pk])
    staff_client.post(invite, {})
    assert not Placement.objects.filter(previous_placement=returnee).exists()
    staff_client.post(invite, {"override_reason": "Debrief by phone next week"})
    assert Placement.objects.filter(previous_placement=returnee).count() == 1
