"""Issue 18.4: one DEMO badge (includes/_demo_badge.html) on every page that shows demo records."""

import pytest
from django.urls import reverse
from django.utils import timezone

from scholarships import services
from tests.factories import (
    AgreementFactory,
    CandidateFactory,
    PlacementFactory,
    ProgrammeFactory,
    SelectionRoundFactory,
    application_data,
    scholarship_applicant,
)

pytestmark = pytest.mark.django_db

BADGE = 'data-testid="demo-badge"'


def _badges(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode().count(BADGE)


def test_the_one_badge_explains_itself_and_is_readable(staff_client, serang):
    candidate = CandidateFactory(municipality=serang, is_demo=True)
    html = staff_client.get(reverse("candidates:candidate_detail", args=[candidate.pk])).content.decode()
    badge = html[html.index(BADGE) - 60 : html.index("</span></span>", html.index(BADGE))]
    # Dark text on Bootstrap's warning yellow: 11.6:1 (≥ 4.5:1); a title and hidden text say what it means.
    assert "text-bg-warning" in badge
    assert 'title="Data demo' in badge
    assert 'class="visually-hidden"' in badge


def test_candidate_and_placement_pages_show_the_badge_only_for_demo_records(staff_client, serang):
    demo = PlacementFactory(candidate=CandidateFactory(municipality=serang, is_demo=True))
    real = PlacementFactory(candidate=CandidateFactory(municipality=serang))
    assert _badges(staff_client, reverse("candidates:candidate_list")) == 1
    assert _badges(staff_client, reverse("candidates:candidate_detail", args=[demo.candidate.pk])) == 1
    assert _badges(staff_client, reverse("candidates:candidate_detail", args=[real.candidate.pk])) == 0
    assert _badges(staff_client, reverse("placements:placement_detail", args=[demo.pk])) == 1
    assert _badges(staff_client, reverse("placements:placement_detail", args=[real.pk])) == 0


def test_agreement_and_programme_pages_show_the_badge(official_client, serang):
    programme = ProgrammeFactory(agreement=AgreementFactory(municipality=serang, is_demo=True))
    PlacementFactory(candidate=CandidateFactory(municipality=serang), programme=programme)
    assert _badges(official_client, reverse("programmes:agreement_list")) == 1
    assert _badges(official_client, reverse("programmes:agreement_detail", args=[programme.agreement.pk])) == 1
    assert _badges(official_client, reverse("programme_detail", args=[programme.pk])) == 1
    # The dashboards' tables render the same include.
    assert _badges(official_client, reverse("home")) >= 1


def test_scholarship_pages_show_the_badge(staff_client, serang, serang_staff):
    selection_round = SelectionRoundFactory(is_demo=True)
    application = services.application_register(
        user=serang_staff,
        selection_round=selection_round,
        candidate=scholarship_applicant(),
        data=application_data(),
    )
    application.is_demo = True
    application.save(update_fields=["is_demo"])
    assert timezone.localdate() <= selection_round.closes_on
    assert _badges(staff_client, reverse("scholarships:round_list")) == 1
    assert _badges(staff_client, reverse("scholarships:round_detail", args=[selection_round.pk])) == 1
    assert _badges(staff_client, reverse("scholarships:application_detail", args=[application.pk])) == 1
