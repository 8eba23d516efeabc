"""Webhooks: the outbox is written in the change's transaction; delivery is signed (Standard
Webhooks, verified here with the `standardwebhooks` library), retried with backoff against a
receiver on 127.0.0.1, logged, and never reorders one record's events."""

import http.server
import io
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from standardwebhooks import Webhook

from api import webhooks
from api.models import DeliveryAttempt, OutboxMessage, WebhookEvent
from api.services import SYSTEM, webhook_subscribe
from placements import services as placement_services
from placements.gates import GateRefused
from tests.factories import CandidateFactory, PlacementFactory, ruled_programme

from .test_writes import candidate_body

pytestmark = pytest.mark.django_db


class Receiver:
    """An HTTP server on 127.0.0.1 answering with the queued statuses (then 200), keeping what it got."""

    def __init__(self):
        self.received: list[tuple[bytes, dict]] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the standard library's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((body, {k.lower(): v for k, v in self.headers.items()}))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    running = Receiver()
    yield running
    running.stop()


@pytest.fixture
def subscription(serang_writer, receiver):
    return webhook_subscribe(
        user=SYSTEM, client=serang_writer.record, url=receiver.url, events=list(WebhookEvent.values)
    )


def test_a_created_candidate_writes_one_outbox_message_without_personal_data(serang_writer, subscription):
    response = serang_writer.post("/api/v1/candidates/", candidate_body())
    message = OutboxMessage.objects.get()
    assert message.subscription == subscription and message.event == "candidate.created"
    assert message.payload["data"] == {"id": response.json()["id"], "version": 1}
    assert candidate_body()["nik"] not in str(message.payload)


def test_a_refused_change_leaves_no_outbox_message(serang_writer, subscription, serang):
    placement = PlacementFactory(
        candidate=CandidateFactory(municipality=serang), programme=ruled_programme(), stage="screened"
    )
    with pytest.raises(GateRefused):
        placement_services.placement_move(
            placement=placement, to_stage="documents_verified", user=serang_writer.record.user
        )
    assert not OutboxMessage.objects.exists()
    placement_services.placement_move(
        placement=placement, to_stage="registered", user=serang_writer.record.user, reason="correction"
    )
    message = OutboxMessage.objects.get()
    assert message.event == "placement.stage_changed" and message.record_key == f"placement:{placement.pk}"
    assert (message.payload["data"]["from_stage"], message.payload["data"]["to_stage"]) == ("screened", "registered")


def test_other_municipalities_subscriptions_hear_nothing(blitar_reader, receiver, serang_writer):
    webhook_subscribe(user=SYSTEM, client=blitar_reader.record, url=receiver.url, events=list(WebhookEvent.values))
    serang_writer.post("/api/v1/candidates/", candidate_body())
    assert not OutboxMessage.objects.exists()


def test_delivery_is_signed_so_the_receiver_can_verify_it(serang_writer, subscription, receiver):
    serang_writer.post("/api/v1/candidates/", candidate_body())
    run = webhooks.deliver_due()
    assert run.delivered == 1
    ((body, headers),) = receiver.received
    payload = Webhook(subscription.secret).verify(body, headers)
    assert payload["type"] == "candidate.created"
    message = OutboxMessage.objects.get()
    assert message.status == "delivered" and headers["webhook-id"] == message.message_id
    assert DeliveryAttempt.objects.get().succeeded


def test_a_forged_signature_does_not_verify(serang_writer, subscription, receiver):
    from standardwebhooks import WebhookVerificationError

    serang_writer.post("/api/v1/candidates/", candidate_body())
    webhooks.deliver_due()
    ((body, headers),) = receiver.received
    with pytest.raises(WebhookVerificationError):
        Webhook(webhooks.new_secret()).verify(body, headers)


def test_a_failing_receiver_gets_retries_with_backoff(serang_writer, subscription, receiver):
    receiver.statuses = [500]
    serang_writer.post("/api/v1/candidates/", candidate_body())
    start = timezone.now()
    assert webhooks.deliver_due(now=start).failed_attempts == 1
    message = OutboxMessage.objects.get()
    assert message.status == "pending" and message.attempts == 1
    assert message.next_attempt_at == start + timedelta(seconds=webhooks.BACKOFF[0])
    assert webhooks.deliver_due(now=start + timedelta(seconds=5)).delivered == 0  # not due yet
    assert webhooks.deliver_due(now=start + timedelta(seconds=11)).delivered == 1
    assert list(DeliveryAttempt.objects.values_list("status_code", "succeeded")) == [(500, False), (200, True)]
    assert len(receiver.received) == 2


def test_a_receiver_that_is_down_loses_nothing_and_order_per_record_holds(serang_writer, subscription, receiver):
    created = serang_writer.post("/api/v1/candidates/", candidate_body()).json()
    serang_writer.patch(f"/api/v1/candidates/{created['id']}/", {"birth_place": "Cilegon", "version": 1})
    _first, second = OutboxMessage.objects.order_by("pk")
    receiver.stop()
    start = timezone.now()
    run = webhooks.deliver_due(now=start)
    # The first failed (connection refused); the second waits behind it although it is due.
    assert (run.delivered, run.failed_attempts) == (0, 1)
    assert "Error" in DeliveryAttempt.objects.get().error
    second.refresh_from_db()
    assert second.attempts == 0 and second.status == "pending"
    restarted = Receiver()
    try:
        subscription.url = restarted.url
        subscription.save()
        run = webhooks.deliver_due(now=start + timedelta(seconds=11))
        assert run.delivered == 2
        assert [Webhook(subscription.secret).verify(b, h)["type"] for b, h in restarted.received] == [
            "candidate.created",
            "candidate.updated",
        ]
    finally:
        restarted.stop()


def test_delivery_gives_up_after_the_last_backoff_and_keeps_the_message(serang_writer, subscription, receiver):
    receiver.statuses = [503] * (len(webhooks.BACKOFF) + 1)
    serang_writer.post("/api/v1/candidates/", candidate_body())
    now = timezone.now()
    for _ in range(len(webhooks.BACKOFF) + 1):
        webhooks.deliver_due(now=now)
        now += timedelta(days=2)
    message = OutboxMessage.objects.get()
    assert message.status == "failed" and message.attempts == len(webhooks.BACKOFF) + 1
    assert webhooks.deliver_due(now=now + timedelta(days=30)).delivered == 0


def test_the_delivery_command_delivers_what_is_due(serang_writer, subscription, receiver):
    serang_writer.post("/api/v1/candidates/", candidate_body())
    out = io.StringIO()
    call_command("deliver_webhooks", stdout=out)
    assert out.getvalue().strip() == "delivered 1, failed attempts 0, gave up 0"
    assert len(receiver.received) == 1
