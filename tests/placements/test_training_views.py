"""Training pages: providers and batches, enrolment with capacity, results, the roster."""

from datetime import timedelta

import pytest

from placements.models import Enrolment, TrainingBatch, TrainingProvider
from tests.factories import (
    EnrolmentFactory,
    PlacementFactory,
    TrainingBatchFactory,
    TrainingProviderFactory,
    ruled_programme,
    today,
)

pytestmark = pytest.mark.django_db
EN = {"language": "en"}


def test_training_list_shows_providers_with_licences_and_batches(staff_client):
    provider = TrainingProviderFactory(
        name="LPK Hana Korea", licence_number="LPK/3673/2024/017", licence_expires_on=today() + timedelta(days=30)
    )
    batch = TrainingBatchFactory(provider=provider, programme=ruled_programme(), name="EPS-TOPIK Angkatan 2")
    body = staff_client.get("/placements/training/", **EN).content.decode()
    assert "LPK/3673/2024/017" in body and "expires soon" in body
    assert f'href="/placements/training/{batch.pk}/"' in body


def test_staff_create_a_provider_for_their_own_office(staff_client, serang):
    response = staff_client.post(
        "/placements/training/providers/new/",
        {"name": "LPK Baru", "kind": "lpk", "licence_number": "L-1", "licence_expires_on": "2028-01-31"},
    )
    assert response.status_code == 302
    assert TrainingProvider.objects.get(name="LPK Baru").municipality == serang


def test_staff_create_a_batch_and_bad_dates_are_refused_next_to_the_field(staff_client, serang):
    programme, provider = ruled_programme(), TrainingProviderFactory()
    data = {
        "provider": provider.pk,
        "programme": programme.pk,
        "name": "Bahasa Korea 3",
        "course_kind": "language",
        "starts_on": "2027-02-01",
        "ends_on": "2027-01-01",
        "hours": 240,
        "capacity": 30,
    }
    response = staff_client.post("/placements/training/new/", data, **EN)
    assert b'data-field-error="ends_on"' in response.content
    assert not TrainingBatch.objects.filter(name="Bahasa Korea 3").exists()
    data["ends_on"] = "2027-04-30"
    response = staff_client.post("/placements/training/new/", data)
    batch = TrainingBatch.objects.get(name="Bahasa Korea 3")
    assert response["Location"] == f"/placements/training/{batch.pk}/"
    assert batch.municipality == serang


def test_enrolling_respects_capacity_and_moves_verified_placements_into_training(staff_client):
    programme = ruled_programme()
    batch = TrainingBatchFactory(programme=programme, capacity=2)
    verified = [PlacementFactory(programme=programme, stage="documents_verified") for _ in range(3)]
    response = staff_client.post(
        f"/placements/training/{batch.pk}/enrol/", {"placements": [p.pk for p in verified]}, follow=True, **EN
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages[0] == "Enrolled 2 placements. 2 placements moved to “In training”."
    assert "Capacity: the batch is full (2 of 2 seats)." in messages[1]
    assert batch.enrolments.count() == 2
    assert sorted(p.stage for p in type(verified[0]).objects.filter(pk__in=[p.pk for p in verified])) == [
        "documents_verified",
        "in_training",
        "in_training",
    ]


def test_the_enrol_choices_offer_only_the_batchs_programme_in_scope(staff_client, blitar):
    programme = ruled_programme()
    batch = TrainingBatchFactory(programme=programme)
    mine = PlacementFactory(programme=programme, stage="documents_verified")
    other_programme = PlacementFactory(stage="documents_verified")
    response = staff_client.get(f"/placements/training/{batch.pk}/")
    offered = list(response.context["enrol_form"].fields["placements"].queryset)
    assert offered == [mine]
    response = staff_client.post(f"/placements/training/{batch.pk}/enrol/", {"placements": [other_programme.pk]})
    assert response.status_code == 200 and not Enrolment.objects.exists()


def test_results_are_saved_and_hours_above_the_batch_are_refused(staff_client):
    batch = TrainingBatchFactory(programme=ruled_programme(), hours=240)
    enrolment = EnrolmentFactory(batch=batch, placement__programme=batch.programme)

    def post(hours, result):
        return staff_client.post(
            f"/placements/training/{batch.pk}/results/",
            {
                "form-TOTAL_FORMS": 1,
                "form-INITIAL_FORMS": 1,
                "form-0-id": enrolment.pk,
                "form-0-attended_hours": hours,
                "form-0-final_score": "88",
                "form-0-result": result,
                "form-0-certificate_number": "SERT/1",
            },
            **EN,
        )

    response = post(300, "passed")
    assert b'data-field-error="attended_hours"' in response.content
    enrolment.refresh_from_db()
    assert enrolment.result == "pending"
    assert post(240, "passed").status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.attended_hours, enrolment.result, enrolment.certificate_number) == (240, "passed", "SERT/1")


def test_the_roster_prints_every_enrolment_on_a4(staff_client):
    batch = TrainingBatchFactory(programme=ruled_programme())
    enrolments = EnrolmentFactory.create_batch(3, batch=batch, placement__programme=batch.programme)
    response = staff_client.get(f"/placements/training/{batch.pk}/roster/", **EN)
    body = response.content.decode()
    assert all(e.placement.candidate.full_name in body for e in enrolments)
    assert "css/placements.css" in body  # the print stylesheet (A4 page in rantau.css)
    assert "<script>" not in body and "style=" not in body


def test_batch_capacity_edit_below_enrolments_is_refused(staff_client):
    batch = TrainingBatchFactory(programme=ruled_programme(), capacity=5)
    EnrolmentFactory.create_batch(3, batch=batch, placement__programme=batch.programme)
    data = {
        "provider": batch.provider_id,
        "programme": batch.programme_id,
        "name": batch.name,
        "course_kind": batch.course_kind,
        "starts_on": batch.starts_on.isoformat(),
        "ends_on": batch.ends_on.isoformat(),
        "hours": batch.hours,
        "capacity": 2,
    }
    response = staff_client.post(f"/placements/training/{batch.pk}/edit/", data, **EN)
    assert b'data-field-error="capacity"' in response.content
    batch.refresh_from_db()
    assert batch.capacity == 5


def test_results_naming_an_enrolment_no_longer_in_the_batch_show_a_message_not_a_500(staff_client):
    # Two clerks: one removes an enrolment from the batch while the other has the results form open.
    batch = TrainingBatchFactory(programme=ruled_programme(), hours=240)
    kept, removed = EnrolmentFactory.create_batch(2, batch=batch, placement__programme=batch.programme)
    data = {"form-TOTAL_FORMS": 2, "form-INITIAL_FORMS": 2}
    for i, enrolment in enumerate((kept, removed)):
        data |= {
            f"form-{i}-id": enrolment.pk,
            f"form-{i}-attended_hours": 240,
            f"form-{i}-final_score": "90",
            f"form-{i}-result": "passed",
            f"form-{i}-certificate_number": f"SERT/{i}",
        }
    removed.delete()
    response = staff_client.post(f"/placements/training/{batch.pk}/results/", data, **EN)
    assert response.status_code == 409
    body = response.content.decode()
    assert "The list changed since this form was opened: a row on it was removed." in body
    kept.refresh_from_db()
    assert kept.result == "pending"  # nothing half-saved
    assert kept.placement.candidate.full_name in body  # the page shows the batch's current enrolments again
