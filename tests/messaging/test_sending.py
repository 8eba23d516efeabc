"""Sending through the queue: transactional, at most once, retried while the provider is down, then
failed with its reason; consent withdrawn meanwhile means nothing is sent."""

import json

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.queue import enqueue
from messaging import services
from messaging.models import Broadcast, Message, OutboxEntry
from messaging.tasks import send_message
from tests.factories import CandidateFactory, EnrolmentFactory, TrainingBatchFactory, consent, ready_template
from tests.jobs.runner import run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(serang_staff):
    """A batch of three: Siti (WhatsApp consent), Budi (no consent to be contacted), Rina (consent, bad number)."""
    batch = TrainingBatchFactory(name="EPS-TOPIK Mei", provider__name="LPK Maju Jaya")
    people = {}
    for name, phone in [("Siti Aminah", "0812-3456-7890"), ("Budi Santoso", "081234567891"), ("Rina Wati", "0812")]:
        candidate = CandidateFactory(full_name=name, phone=phone)
        EnrolmentFactory(batch=batch, placement__candidate=candidate, placement__programme=batch.programme)
        people[name.split()[0].lower()] = candidate
    consent(people["siti"], "whatsapp", serang_staff)
    consent(people["rina"], "whatsapp", serang_staff)
    batch.people = people
    return batch


def _send(user, batch, template=None):
    return services.broadcast_create(
        user=user,
        template=template or ready_template(),
        source="batch",
        source_query={"batch": batch.pk},
        label=batch.name,
    )


def test_a_send_to_a_batch_reaches_those_with_consent_and_records_why_the_others_were_skipped(serang_staff, batch):
    broadcast = _send(serang_staff, batch)
    assert Message.objects.count() == 0  # the request only queued the preparation
    assert run_jobs() == 2  # prepare, then Siti's message
    broadcast.refresh_from_db()
    assert broadcast.status == Broadcast.Status.SENDING
    by_name = {m.candidate.full_name: m for m in broadcast.messages.select_related("candidate")}
    siti = by_name["Siti Aminah"]
    assert (siti.status, siti.to, siti.provider, siti.attempts) == ("sent", "+6281234567890", "outbox", 1)
    assert siti.body.startswith("Halo Siti Aminah, pelatihan")
    assert "LPK Maju Jaya" in siti.body
    assert siti.params[0] == "Siti Aminah" and siti.params[-1] == "LPK Maju Jaya"
    assert siti.provider_template_id == "rantau_training_schedule"
    assert by_name["Budi Santoso"].status == "skipped"
    assert by_name["Budi Santoso"].reason == "no consent to be contacted by WhatsApp"
    assert by_name["Rina Wati"].status == "skipped"
    assert by_name["Rina Wati"].reason == "“0812” has too few digits."
    (entry,) = OutboxEntry.objects.all()
    assert (entry.to, entry.message_id) == ("+6281234567890", siti.pk)


def test_a_send_in_a_transaction_that_rolls_back_leaves_no_job_and_sends_nothing(serang_staff, batch):
    with pytest.raises(RuntimeError), transaction.atomic():
        _send(serang_staff, batch)
        raise RuntimeError("something else in the same change failed")
    assert not Broadcast.objects.exists()
    assert run_jobs() == 0
    assert not OutboxEntry.objects.exists()


def test_a_message_whose_job_runs_twice_is_sent_once(serang_staff, batch):
    _send(serang_staff, batch)
    run_jobs()
    message = Message.objects.get(status="sent")
    # The same job queued again (a retried or duplicated job) and the preparation run again.
    enqueue(send_message, str(message.pk))
    enqueue(send_message, str(message.pk))
    services.broadcast_prepare(broadcast_id=message.broadcast_id)
    assert run_jobs() == 2
    assert OutboxEntry.objects.count() == 1
    message.refresh_from_db()
    assert message.attempts == 1
    assert DBTaskResult.objects.filter(return_value="not sent again: sent").count() == 2


def test_consent_withdrawn_after_queueing_means_the_message_is_not_sent(serang_staff, batch):
    _send(serang_staff, batch)
    run_jobs(max_jobs=1)  # prepared, not yet sent
    queued = Message.objects.get(status="queued")
    services.consent_withdraw(
        user=serang_staff, consent=queued.candidate.contact_consents.get(), withdrawn_on=timezone.localdate()
    )
    run_jobs()
    queued.refresh_from_db()
    assert (queued.status, queued.reason) == ("skipped", "consent withdrawn before sending")
    assert not OutboxEntry.objects.exists()


@pytest.fixture
def whatsapp_down(settings, fake_http):
    settings.MESSAGING_PROVIDERS = {**settings.MESSAGING_PROVIDERS, "whatsapp": "whatsapp_cloud"}
    settings.WHATSAPP_API_URL = fake_http.url
    settings.WHATSAPP_PHONE_NUMBER_ID = "1055"
    settings.MESSAGING_RETRY_DELAYS = [0, 0]
    return fake_http


def test_a_provider_down_twice_then_up_sends_the_message_once_on_the_third_attempt(serang_staff, batch, whatsapp_down):
    whatsapp_down.answer((503, {"error": {"message": "down"}}), (500, {}), (200, {"messages": [{"id": "wamid.1"}]}))
    _send(serang_staff, batch)
    run_jobs()
    message = Message.objects.get(candidate=batch.people["siti"])
    assert (message.status, message.provider_message_id, message.attempts) == ("sent", "wamid.1", 3)
    assert len(whatsapp_down.requests) == 3
    assert all(json.loads(r["body"])["biz_opaque_callback_data"] == str(message.pk) for r in whatsapp_down.requests)


def test_a_provider_that_stays_down_leaves_the_message_failed_with_the_reason(serang_staff, batch, whatsapp_down):
    whatsapp_down.answer(*[(503, {"error": {"message": "Service temporarily unavailable"}})] * 3)
    _send(serang_staff, batch)
    run_jobs()
    message = Message.objects.get(candidate=batch.people["siti"])
    assert message.status == "failed"
    assert message.reason == "gave up after 3 attempts: HTTP 503: Service temporarily unavailable"
    assert message.failed_at is not None
    assert len(whatsapp_down.requests) == 3


def test_a_provider_refusal_fails_the_message_at_once(serang_staff, batch, whatsapp_down):
    whatsapp_down.answer((400, {"error": {"message": "(#131026) Message undeliverable"}}))
    _send(serang_staff, batch)
    run_jobs()
    message = Message.objects.get(candidate=batch.people["siti"])
    assert (message.status, message.reason) == ("failed", "HTTP 400: (#131026) Message undeliverable")
    assert len(whatsapp_down.requests) == 1


def test_a_delivery_report_marks_a_sent_message_delivered(serang_staff, batch):
    _send(serang_staff, batch)
    run_jobs()
    message = Message.objects.get(status="sent")
    assert services.message_mark_delivered(provider="outbox", provider_message_id=message.provider_message_id)
    message.refresh_from_db()
    assert message.status == "delivered"
    assert not services.message_mark_delivered(provider="outbox", provider_message_id="unknown")


def test_the_documents_missing_placeholder_lists_what_the_programme_requires_and_the_person_lacks(serang_staff, batch):
    batch.programme.required_documents = ["passport", "medical"]
    batch.programme.save()
    _send(serang_staff, batch, template=ready_template("documents_missing", "whatsapp", "en"))
    run_jobs()
    message = Message.objects.get(status="sent")
    assert "these documents are still missing: Passport, " in message.body
