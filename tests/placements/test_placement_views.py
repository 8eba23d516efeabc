"""One placement through the UI: detail with gates, moves, edits, returns, language results, starts."""

import re
from datetime import timedelta

import pytest

from placements.models import Placement, PlacementStageEvent
from programmes.models import Agreement
from tests.factories import CandidateFactory, PlacementFactory, complete_placement, ruled_programme, today

pytestmark = pytest.mark.django_db
EN = {"language": "en"}


def test_detail_shows_the_next_gate_with_a_link_to_the_candidate_page(staff_client):
    placement = complete_placement()
    Placement.objects.filter(pk=placement.pk).update(stage="screened")
    placement.candidate.documents.filter(doc_type="passport").delete()
    response = staff_client.get(f"/placements/{placement.pk}/", **EN)
    body = response.content.decode()
    assert "Next stage: Documents verified" in body
    assert "Documents: missing Passport." in body
    assert f'href="/candidates/{placement.candidate_id}/"' in body


def test_detail_links_an_unsigned_agreement_to_the_agreement_page(staff_client):
    placement = complete_placement()
    Placement.objects.filter(pk=placement.pk).update(stage="visa")
    Agreement.objects.filter(pk=placement.programme.agreement_id).update(stage="loa")
    body = staff_client.get(f"/placements/{placement.pk}/", **EN).content.decode()
    assert "Next stage: Departed" in body
    gate = re.search(r'<li data-gate="agreement">(.*?)</li>', body, re.S)
    assert gate is not None
    assert "departure needs a signed MoU or an active agreement" in gate.group(1)
    assert f'href="/agreements/{placement.programme.agreement_id}/"' in gate.group(1)


def test_detail_says_when_every_gate_holds(staff_client):
    placement = complete_placement()
    response = staff_client.get(f"/placements/{placement.pk}/", **EN)
    assert b'data-testid="gates-hold"' in response.content


def test_a_refused_move_says_which_gate_failed_and_changes_nothing(staff_client):
    placement = complete_placement()
    placement.candidate.documents.filter(doc_type="health").delete()
    response = staff_client.post(
        f"/placements/{placement.pk}/move/", {"to_stage": "documents_verified", "version": placement.version}, **EN
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="move-refused"' in body
    assert "Documents: missing Health certificate." in body
    placement.refresh_from_db()
    assert placement.stage == "registered"


def test_a_move_that_passes_is_recorded_and_redirects(staff_client, serang_staff):
    placement = complete_placement()
    response = staff_client.post(
        f"/placements/{placement.pk}/move/",
        {"to_stage": "screened", "version": placement.version, "note": "interviewed"},
    )
    assert response.status_code == 302
    event = PlacementStageEvent.objects.filter(placement=placement).last()
    assert (event.from_stage, event.to_stage, event.moved_by, event.note) == (
        "registered",
        "screened",
        serang_staff,
        "interviewed",
    )


def test_a_move_from_a_stale_page_is_refused(staff_client):
    placement = complete_placement()
    response = staff_client.post(
        f"/placements/{placement.pk}/move/", {"to_stage": "screened", "version": placement.version - 1}, **EN
    )
    assert response.status_code == 409
    assert b"Someone else saved this record" in response.content
    placement.refresh_from_db()
    assert placement.stage == "registered"


def test_edit_saves_employer_contract_and_visa(staff_client):
    placement = PlacementFactory(programme=ruled_programme())
    start = today() + timedelta(days=10)
    response = staff_client.post(
        f"/placements/{placement.pk}/edit/",
        {
            "employer": "Changnyeong Logistics",
            "contract_start": start.isoformat(),
            "contract_end": (start + timedelta(days=1000)).isoformat(),
            "visa_number": "V123",
            "visa_issued_on": today().isoformat(),
            "version": placement.version,
        },
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.employer, placement.contract_start, placement.visa_number) == (
        "Changnyeong Logistics",
        start,
        "V123",
    )
    assert placement.version == 2


def test_edit_shows_errors_next_to_the_fields_and_saves_nothing(staff_client):
    placement = PlacementFactory(programme=ruled_programme())
    response = staff_client.post(
        f"/placements/{placement.pk}/edit/",
        {
            "employer": "X",
            "contract_start": today().isoformat(),
            "contract_end": (today() - timedelta(days=1)).isoformat(),
            "visa_number": "V1",
            "version": placement.version,
        },
        **EN,
    )
    body = response.content.decode()
    assert 'data-field-error="contract_end"' in body and "The contract must end after it starts." in body
    assert 'data-field-error="visa_number"' in body
    placement.refresh_from_db()
    assert placement.employer == ""


def test_edit_refuses_a_stale_version(staff_client):
    placement = PlacementFactory(programme=ruled_programme())
    Placement.objects.filter(pk=placement.pk).update(version=5)
    response = staff_client.post(f"/placements/{placement.pk}/edit/", {"employer": "X", "version": 1}, **EN)
    assert response.status_code == 409
    assert b"Someone else saved this record" in response.content
    placement.refresh_from_db()
    assert placement.employer == ""


def test_return_form_records_an_absconding_with_its_reason(staff_client):
    placement = complete_placement()
    Placement.objects.filter(pk=placement.pk).update(stage="abroad", departed_on=today() - timedelta(days=40))
    response = staff_client.post(
        f"/placements/{placement.pk}/return/",
        {"outcome": "absconded", "on_date": today().isoformat(), "reason": "left the employer"},
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.stage, placement.end_reason, placement.ended_on) == ("absconded", "left the employer", today())


def test_return_form_needs_a_reason_for_an_early_return(staff_client):
    placement = complete_placement()
    Placement.objects.filter(pk=placement.pk).update(stage="abroad", departed_on=today() - timedelta(days=40))
    response = staff_client.post(
        f"/placements/{placement.pk}/return/", {"outcome": "repatriated", "on_date": today().isoformat()}, **EN
    )
    assert b'data-field-error="reason"' in response.content
    placement.refresh_from_db()
    assert placement.stage == "abroad"


def test_language_result_is_recorded_and_the_ready_gate_sees_it(staff_client):
    placement = complete_placement()
    placement.candidate.language_results.all().delete()
    Placement.objects.filter(pk=placement.pk).update(stage="in_training")
    response = staff_client.post(
        f"/placements/{placement.pk}/language/",
        {"test": "eps_topik", "score": 250, "taken_on": today().isoformat()},
        **EN,
    )
    assert b'data-field-error="score"' in response.content
    staff_client.post(
        f"/placements/{placement.pk}/language/", {"test": "eps_topik", "score": 95, "taken_on": today().isoformat()}
    )
    assert placement.candidate.language_results.get().score == 95
    response = staff_client.post(f"/placements/{placement.pk}/move/", {"to_stage": "ready", "version": 1})
    assert response.status_code == 302


# --- starting placements -------------------------------------------------------------------------------


def test_start_posts_from_the_shortlist_and_lists_refusals(staff_client, blitar):
    programme = ruled_programme()
    good = CandidateFactory()
    no_consent = CandidateFactory(consent_given_on=None)
    response = staff_client.post(
        "/placements/start/",
        {"programme": programme.pk, "candidates": [good.pk, no_consent.pk]},
        follow=True,
        **EN,
    )
    assert response.redirect_chain[-1][0] == f"/placements/?programme={programme.pk}"
    texts = [str(m) for m in response.context["messages"]]
    assert texts[0] == f"Started 1 placement in {programme.name}."
    assert texts[1].startswith(no_consent.full_name) and "consent" in texts[1]
    assert Placement.objects.filter(programme=programme).count() == 1


def test_start_rejects_a_candidate_of_another_municipality(staff_client, blitar):
    programme = ruled_programme()
    theirs = CandidateFactory(municipality=blitar)
    response = staff_client.post("/placements/start/", {"programme": programme.pk, "candidates": [theirs.pk]})
    assert response.status_code == 200
    assert response.context["form"].errors["candidates"]
    assert not Placement.objects.exists()


def test_start_form_lists_the_chosen_candidates(staff_client):
    candidate = CandidateFactory()
    response = staff_client.get(f"/placements/start/?candidate={candidate.pk}")
    assert candidate.full_name in response.content.decode()


def test_the_move_form_offers_the_next_stage_first(staff_client, serang):
    from tests.factories import PlacementFactory

    placement = PlacementFactory(candidate__municipality=serang, stage="screened")
    form = staff_client.get(f"/placements/{placement.pk}/", language="en").context["move_form"]
    assert form["to_stage"].value() == "documents_verified"


def test_a_reached_filter_opens_the_list_not_the_board(staff_client, serang):
    from tests.factories import PlacementFactory

    placement = PlacementFactory(candidate__municipality=serang, stage="departed")
    response = staff_client.get(f"/placements/?programme={placement.programme_id}&reached=departed")
    assert response.templates[0].name == "placements/placement_list.html"
    assert response.context["result_count"] == 1
