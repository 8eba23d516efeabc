"""Fewer steps from the pages: a placement started from the person's page (or refused back to it),
only the programme's occupations offered, enrolment from the placement's page in an open batch only."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages

from placements import services
from placements.models import Enrolment, Placement
from programmes.models import ProgrammeDemand
from tests.factories import (
    CandidateFactory,
    EnrolmentFactory,
    OccupationFactory,
    PlacementFactory,
    ProgrammeFactory,
    TrainingBatchFactory,
    today,
)

pytestmark = pytest.mark.django_db
EN = {"language": "en"}


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def programme(serang):
    return ProgrammeFactory(agreement__municipality=serang, name="Serang–Changnyeong")


def test_starting_one_persons_placement_opens_the_new_placement(staff_client, serang, programme):
    candidate = CandidateFactory(municipality=serang)
    response = staff_client.post("/placements/start/", {"programme": programme.pk, "candidates": [candidate.pk]}, **EN)
    placement = Placement.objects.get(candidate=candidate)
    assert response["Location"] == f"/placements/{placement.pk}/"


def test_starting_without_consent_stays_on_the_persons_page_with_the_reason(staff_client, serang, programme):
    candidate = CandidateFactory(municipality=serang, consent_given_on=None)
    response = staff_client.post("/placements/start/", {"programme": programme.pk, "candidates": [candidate.pk]}, **EN)
    assert response["Location"] == f"/candidates/{candidate.pk}/"
    (message,) = _messages(response)
    assert message.startswith(f"{candidate.full_name}: ") and "consent" in message.lower()
    assert not Placement.objects.exists()


def test_bulk_start_lists_each_refused_person_with_the_gates_reason(staff_client, serang, programme):
    good = CandidateFactory(municipality=serang)
    refused = CandidateFactory(municipality=serang, consent_given_on=None)
    response = staff_client.post(
        "/placements/start/", {"programme": programme.pk, "candidates": [good.pk, refused.pk]}, **EN
    )
    assert response["Location"] == f"/placements/?programme={programme.pk}"
    messages = _messages(response)
    assert messages[0] == "Started 1 placement in Serang–Changnyeong."
    assert messages[1].startswith(f"{refused.full_name}: ")
    assert list(Placement.objects.values_list("candidate", flat=True)) == [good.pk]


def test_the_occupation_list_offers_only_the_chosen_programmes_occupations(staff_client, programme):
    nursing, welding = OccupationFactory(name="Asisten perawat"), OccupationFactory(name="Pengelasan")
    ProgrammeDemand.objects.create(programme=programme, occupation=nursing, requested=5)
    body = staff_client.get(f"/placements/start/occupations/?programme={programme.pk}").content.decode()
    assert f'value="{nursing.pk}"' in body and f'value="{welding.pk}"' not in body


def test_the_occupation_list_of_another_offices_programme_is_empty(blitar_client, programme):
    ProgrammeDemand.objects.create(programme=programme, occupation=OccupationFactory(), requested=5)
    body = blitar_client.get(f"/placements/start/occupations/?programme={programme.pk}").content.decode()
    assert body.count("<option") == 1  # only the empty choice


@pytest.fixture
def verified(serang, programme):
    return PlacementFactory(candidate__municipality=serang, programme=programme, stage="documents_verified")


def test_a_batch_that_ended_or_is_full_is_not_offered_on_the_placement_page(staff_client, programme, verified):
    open_batch = TrainingBatchFactory(programme=programme, name="Terbuka")
    TrainingBatchFactory(
        programme=programme, name="Selesai", starts_on=today() - timedelta(days=90), ends_on=today() - timedelta(days=1)
    )
    full = TrainingBatchFactory(programme=programme, name="Penuh", capacity=1)
    EnrolmentFactory(batch=full, placement=PlacementFactory(programme=programme, stage="in_training"))
    body = staff_client.get(f"/placements/{verified.pk}/", **EN).content.decode()
    assert f'<option value="{open_batch.pk}">Terbuka' in body
    assert "Selesai ·" not in body and "Penuh ·" not in body


def test_enrolling_from_the_placement_page_says_it_moved_to_in_training(staff_client, programme, verified):
    batch = TrainingBatchFactory(programme=programme, name="Bahasa Korea 3")
    response = staff_client.post(f"/placements/{verified.pk}/enrol/", {"batch": batch.pk}, **EN)
    assert response["Location"] == f"/placements/{verified.pk}/"
    assert _messages(response) == ["Enrolled in Bahasa Korea 3: the placement moved to “In training”."]
    assert Placement.objects.get(pk=verified.pk).stage == "in_training"


def test_an_ended_batch_refuses_an_enrolment_even_when_posted_directly(serang_staff, programme, verified):
    ended = TrainingBatchFactory(
        programme=programme, starts_on=today() - timedelta(days=90), ends_on=today() - timedelta(days=1)
    )
    result = services.enrolment_create_bulk(batch=ended, placements=[verified], user=serang_staff)
    assert not result.done and "the batch ended on" in result.refused[0][1][0]
    assert not Enrolment.objects.exists()


def test_enrolling_from_the_placement_page_is_staff_only_and_scoped(
    client, official_client, blitar_client, programme, verified
):
    batch = TrainingBatchFactory(programme=programme)
    url = f"/placements/{verified.pk}/enrol/"
    assert official_client.post(url, {"batch": batch.pk}).status_code == 403
    assert blitar_client.post(url, {"batch": batch.pk}).status_code == 404
    assert "/login/" in client.post(url, {"batch": batch.pk})["Location"]
    assert official_client.get(url)["Location"] == f"/placements/{verified.pk}/"  # a reload: back to its page
    assert not Enrolment.objects.exists()


# --- bulk actions on lists -------------------------------------------------------------------------


def test_the_candidate_list_offers_to_start_placements_for_the_ticked_candidates(staff_client, official_client, serang):
    candidate = CandidateFactory(municipality=serang)
    body = staff_client.get("/candidates/", **EN).content.decode()
    assert 'formaction="/placements/start/"' in body
    assert f'name="candidate" value="{candidate.pk}" form="candidate-selection"' in body
    assert 'form="candidate-selection"' not in official_client.get("/candidates/", **EN).content.decode()


def test_the_start_page_lists_the_ticked_candidates(staff_client, serang):
    first, second = CandidateFactory(municipality=serang), CandidateFactory(municipality=serang)
    body = staff_client.get(f"/placements/start/?candidate={first.pk}&candidate={second.pk}", **EN).content.decode()
    assert first.full_name in body and second.full_name in body


@pytest.fixture
def seasonal(blitar):
    return ProgrammeFactory(
        agreement__municipality=blitar,
        scheme="seasonal_e8",
        contract_months=None,
        season_months_abroad=5,
        season_rest_months=2,
        season_periods=2,
    )


def _returnee(blitar, programme):
    return PlacementFactory(
        candidate=CandidateFactory(municipality=blitar),
        programme=programme,
        stage="returned",
        returned_on=today() - timedelta(days=30),
        return_outcome="completed",
    )


def test_all_returnees_are_invited_for_the_next_season_at_once(blitar_client, blitar, seasonal, only_placements_rules):
    returnees = [_returnee(blitar, seasonal) for _ in range(3)]
    response = blitar_client.post("/placements/next-season/invite/", {"programme": seasonal.pk, "all": "1"}, **EN)
    assert response["Location"] == f"/placements/next-season/?programme={seasonal.pk}"
    assert _messages(response) == ["3 returnees invited to the next season."]
    invited = Placement.objects.filter(previous_placement__in=returnees)
    assert sorted(invited.values_list("stage", flat=True)) == ["registered"] * 3


def test_only_the_ticked_returnees_are_invited(blitar_client, blitar, seasonal, only_placements_rules):
    ticked, left = _returnee(blitar, seasonal), _returnee(blitar, seasonal)
    blitar_client.post("/placements/next-season/invite/", {"programme": seasonal.pk, "placements": [ticked.pk]})
    assert list(
        Placement.objects.filter(previous_placement__isnull=False).values_list("previous_placement", flat=True)
    ) == [ticked.pk]
    assert not Placement.objects.filter(previous_placement=left).exists()


def test_a_refused_returnee_is_listed_with_the_reason(blitar_client, blitar, seasonal, monkeypatch):
    from placements import extensions

    blocked = _returnee(blitar, seasonal)
    rule = extensions.ReinviteRule(
        key="test", blockers=lambda placements: {blocked.pk: ["Kasus belum selesai"]}, overridden=lambda **kw: None
    )
    monkeypatch.setattr(extensions, "_reinvite_rules", {"test": rule})
    response = blitar_client.post("/placements/next-season/invite/", {"programme": seasonal.pk, "all": "1"}, **EN)
    (message,) = _messages(response)
    assert message.startswith(f"{blocked.candidate.full_name}: ")
    assert not Placement.objects.filter(previous_placement=blocked).exists()


def test_bulk_invitations_are_staff_only_and_scoped(official_client, staff_client, blitar, seasonal):
    returnee = _returnee(blitar, seasonal)
    assert (
        official_client.post("/placements/next-season/invite/", {"programme": seasonal.pk, "all": "1"}).status_code
        == 403
    )
    assert (
        staff_client.post("/placements/next-season/invite/", {"programme": seasonal.pk, "all": "1"}).status_code == 404
    )
    assert not Placement.objects.filter(previous_placement=returnee).exists()


def test_a_full_or_ended_batchs_page_offers_no_enrolment(staff_client, programme, verified):
    ended = TrainingBatchFactory(
        programme=programme, starts_on=today() - timedelta(days=90), ends_on=today() - timedelta(days=1)
    )
    full = TrainingBatchFactory(programme=programme, capacity=1)
    EnrolmentFactory(batch=full, placement=PlacementFactory(programme=programme, stage="in_training"))
    for batch, says in ((ended, "This batch has ended"), (full, "This batch is full")):
        body = staff_client.get(f"/placements/training/{batch.pk}/", **EN).content.decode()
        assert says in body and 'data-testid="enrol"' not in body
    open_body = staff_client.get(f"/placements/training/{TrainingBatchFactory(programme=programme).pk}/", **EN)
    assert 'data-testid="enrol"' in open_body.content.decode()
