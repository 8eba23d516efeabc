"""Writes go through the screens' forms and services: NIK rules, duplicates, warnings to confirm,
optimistic locking (409), the gates (422 with their messages); Idempotency-Key replays a retried
POST and refuses the same key with another body (409). Nothing is half-saved."""

from datetime import date

import pytest

from candidates.models import Candidate, LanguageResult
from placements.models import Placement, PlacementStageEvent
from tests.factories import CandidateFactory, PlacementFactory, candidate_form_data, ruled_programme

from .conftest import error_of, make_api_client

pytestmark = pytest.mark.django_db


def candidate_body(**overrides) -> dict:
    data = candidate_form_data(**overrides)
    data.pop("email")
    return data


def test_a_candidate_is_created_through_the_service(serang_writer, serang):
    response = serang_writer.post("/api/v1/candidates/", candidate_body())
    assert response.status_code == 201, response.json()
    body = response.json()
    candidate = Candidate.objects.get(pk=body["id"])
    assert candidate.municipality == serang and candidate.full_name == "Nur Agies Pratama"
    assert candidate.phone == "+6281234567890"  # normalised by the form, as on the screen
    assert body["version"] == 1 and body["nik"] == candidate.nik


def test_a_bad_nik_answers_400_on_the_nik_field_and_saves_nothing(serang_writer):
    response = serang_writer.post("/api/v1/candidates/", candidate_body(nik="1234"))
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid" and list(error["fields"]) == ["nik"]
    assert not Candidate.objects.exists()


def test_a_nik_registered_at_another_office_names_only_the_office(serang_writer, blitar):
    data = candidate_body()
    CandidateFactory(municipality=blitar, nik=data["nik"])
    error = error_of(serang_writer.post("/api/v1/candidates/", data))
    assert error["fields"]["nik"] == ["This NIK is already registered at Kota Blitar."]
    assert Candidate.objects.count() == 1


def test_unknown_fields_and_wrong_types_answer_400(serang_writer):
    error = error_of(serang_writer.post("/api/v1/candidates/", candidate_body(nikk="x")))
    assert error["fields"] == {"nikk": ["Unknown field."]}
    error = error_of(serang_writer.post("/api/v1/candidates/", candidate_body(birth_date=12)))
    assert "birth_date" in error["fields"]
    assert not Candidate.objects.exists()


def test_a_possible_duplicate_needs_confirmation_like_the_screen(serang_writer, serang):
    data = candidate_body()
    twin = CandidateFactory(
        municipality=serang, full_name="Nur Agis Pratama", birth_date=date.fromisoformat(data["birth_date"])
    )
    response = serang_writer.post("/api/v1/candidates/", data)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "confirmation_required"
    assert error["fields"]["possible_duplicates"] == [str(twin.pk)]
    assert Candidate.objects.count() == 1
    confirmed = serang_writer.post("/api/v1/candidates/", data | {"confirm_warnings": True})
    assert confirmed.status_code == 201
    assert Candidate.objects.count() == 2


def test_writing_candidates_needs_write_and_personal_data_scopes(serang):
    writer_without_personal = make_api_client("w", serang, ["read", "write"])
    response = writer_without_personal.post("/api/v1/candidates/", candidate_body())
    assert response.status_code == 403
    assert not Candidate.objects.exists()


def test_an_update_with_the_current_version_saves_and_bumps_it(serang_writer, serang):
    candidate = CandidateFactory(municipality=serang)
    response = serang_writer.patch(
        f"/api/v1/candidates/{candidate.pk}/", {"birth_place": "Cilegon", "version": candidate.version}
    )
    assert response.status_code == 200, response.json()
    candidate.refresh_from_db()
    assert candidate.birth_place == "Cilegon" and response.json()["version"] == candidate.version == 2


def test_a_stale_version_answers_409_and_changes_nothing(serang_writer, serang):
    candidate = CandidateFactory(municipality=serang, birth_place="Serang")
    Candidate.objects.filter(pk=candidate.pk).update(version=5)
    response = serang_writer.patch(f"/api/v1/candidates/{candidate.pk}/", {"birth_place": "Cilegon", "version": 4})
    assert response.status_code == 409
    assert error_of(response)["code"] == "stale"
    candidate.refresh_from_db()
    assert candidate.birth_place == "Serang"


def test_an_update_of_another_municipalitys_candidate_answers_404(serang_writer, blitar):
    candidate = CandidateFactory(municipality=blitar)
    response = serang_writer.patch(f"/api/v1/candidates/{candidate.pk}/", {"birth_place": "X", "version": 1})
    assert response.status_code == 404


def test_put_is_not_offered(serang_writer, serang):
    candidate = CandidateFactory(municipality=serang)
    response = serang_writer.http.put(
        f"/api/v1/candidates/{candidate.pk}/",
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {serang_writer.token}",
    )
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


# --- language results and placement moves -----------------------------------------------------------


def test_a_language_result_is_recorded_through_the_service(serang_writer, serang):
    placement = PlacementFactory(candidate=CandidateFactory(municipality=serang))
    body = {"placement": placement.pk, "test": "eps_topik", "score": 150, "taken_on": "2026-01-10"}
    response = serang_writer.post("/api/v1/language-results/", body)
    assert response.status_code == 201, response.json()
    result = LanguageResult.objects.get()
    assert result.candidate == placement.candidate and result.score == 150
    out_of_range = serang_writer.post("/api/v1/language-results/", body | {"score": 999})
    assert error_of(out_of_range)["fields"] == {"score": ["For EPS-TOPIK (score) enter a value from 0 to 200."]}
    assert LanguageResult.objects.count() == 1


def test_a_move_through_the_gates_records_the_event(serang_writer, serang):
    placement = PlacementFactory(candidate=CandidateFactory(municipality=serang), programme=ruled_programme())
    response = serang_writer.post(
        f"/api/v1/placements/{placement.pk}/move/", {"to_stage": "screened", "version": placement.version}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "screened"
    event = PlacementStageEvent.objects.get(placement=placement)
    assert event.to_stage == "screened" and event.moved_by == serang_writer.record.user


def test_a_refused_move_answers_422_with_the_gate_message(serang_writer, serang):
    placement = PlacementFactory(
        candidate=CandidateFactory(municipality=serang), programme=ruled_programme(), stage="screened"
    )
    response = serang_writer.post(
        f"/api/v1/placements/{placement.pk}/move/", {"to_stage": "documents_verified", "version": placement.version}
    )
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "gate_refused"
    assert error["fields"]["gates"] == ["Documents: missing Identity card (KTP), Passport, Health certificate."]
    placement.refresh_from_db()
    assert placement.stage == "screened" and not PlacementStageEvent.objects.exists()


def test_a_move_with_a_stale_version_answers_409(serang_writer, serang):
    placement = PlacementFactory(candidate=CandidateFactory(municipality=serang), programme=ruled_programme())
    response = serang_writer.post(
        f"/api/v1/placements/{placement.pk}/move/", {"to_stage": "screened", "version": placement.version + 1}
    )
    assert response.status_code == 409
    assert Placement.objects.get(pk=placement.pk).stage == "registered"


def test_a_read_only_client_cannot_move(serang_reader, serang):
    placement = PlacementFactory(candidate=CandidateFactory(municipality=serang))
    response = serang_reader.post(f"/api/v1/placements/{placement.pk}/move/", {"to_stage": "screened", "version": 1})
    assert response.status_code == 403


# --- idempotency ------------------------------------------------------------------------------------


def test_a_retried_post_with_the_same_key_creates_nothing_twice(serang_writer):
    headers = {"Idempotency-Key": "import-2026-01-05-row-1"}
    first = serang_writer.post("/api/v1/candidates/", candidate_body(), headers=headers)
    again = serang_writer.post("/api/v1/candidates/", candidate_body(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Candidate.objects.count() == 1


def test_the_same_key_with_another_body_answers_409(serang_writer):
    headers = {"Idempotency-Key": "k1"}
    assert serang_writer.post("/api/v1/candidates/", candidate_body(), headers=headers).status_code == 201
    response = serang_writer.post("/api/v1/candidates/", candidate_body(full_name="Someone Else"), headers=headers)
    assert response.status_code == 409
    assert error_of(response)["code"] == "idempotency_key_reused"
    assert Candidate.objects.count() == 1


def test_keys_belong_to_their_client(serang_writer, serang):
    other = make_api_client("other-writer", serang, ["read", "write", "personal-data"])
    headers = {"Idempotency-Key": "shared"}
    assert serang_writer.post("/api/v1/candidates/", candidate_body(), headers=headers).status_code == 201
    # The other client's key is its own: the body is new to it (and the NIK already registered).
    response = other.post("/api/v1/candidates/", candidate_body(), headers=headers)
    assert response.status_code == 400 and "nik" in error_of(response)["fields"]
