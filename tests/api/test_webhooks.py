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
from django_tasks_db.models import DBTaskResult
from standardwebhooks import Webhook

from api import webhooks
from api.models import DeliveryAttempt, OutboxMessage, WebhookEvent
from api.services import SYSTEM, webhook_subscribe
from placements import services as placement_services
from placements.gates import GateRefused
from placements.models import Placement
from protection import services as protection_services
from protection.models import Case
from tests.factories import (
    CandidateFactory,
    CohortFactory,
    PlacementFactory,
    ProgrammeFactory,
    departed_cohort,
    ruled_programme,
    today,
)
from tests.jobs.runner import run_jobs

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


# --- delivered by the job queue -------------------------------------------------------------------


def _delivery_jobs():
    return DBTaskResult.objects.filter(task_path="api.tasks.deliver_webhook")


def test_each_outbox_message_has_its_delivery_job_from_the_same_transaction(serang_writer, subscription, serang):
    created = serang_writer.post("/api/v1/candidates/", candidate_body()).json()
    message = OutboxMessage.objects.get()
    job = _delivery_jobs().get()
    assert job.status == "READY" and job.args_kwargs["args"] == [message.pk]
    # A refused change writes neither a message nor a job.
    refused = serang_writer.patch(f"/api/v1/candidates/{created['id']}/", {"birth_place": "Cilegon", "version": 7})
    assert refused.status_code == 409
    assert OutboxMessage.objects.count() == 1 and _delivery_jobs().count() == 1


def test_the_queue_delivers_signed_and_retries_with_backoff(serang_writer, subscription, receiver):
    receiver.statuses = [500]
    serang_writer.post("/api/v1/candidates/", candidate_body())
    before = timezone.now()
    assert run_jobs() == 1
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == ("pending", 1)
    retry = _delivery_jobs().get(status="READY")
    assert timedelta(seconds=9) < retry.run_after - before < timedelta(seconds=12)
    assert run_jobs() == 0  # not due yet: the worker leaves it
    assert run_jobs(include_future=True) == 1
    message.refresh_from_db()
    assert message.status == "delivered" and message.attempts == 2
    assert [Webhook(subscription.secret).verify(b, h)["type"] for b, h in receiver.received] == [
        "candidate.created",
        "candidate.created",
    ]
    assert not _delivery_jobs().filter(status="READY").exists()


def test_with_the_receiver_down_the_queue_loses_nothing_and_keeps_each_records_order(
    serang_writer, subscription, receiver
):
    created = serang_writer.post("/api/v1/candidates/", candidate_body()).json()
    serang_writer.patch(f"/api/v1/candidates/{created['id']}/", {"birth_place": "Cilegon", "version": 1})
    first, second = OutboxMessage.objects.order_by("pk")
    receiver.stop()
    assert run_jobs() == 2  # the first fails; the second waits behind it without an attempt
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.attempts, second.attempts) == (1, 0)
    assert [r.return_value for r in _delivery_jobs().filter(status="SUCCESSFUL").order_by("enqueued_at")] == [
        f"attempt 1 failed; next at {first.next_attempt_at.isoformat()}",
        "waiting for an earlier message of the record",
    ]
    restarted = Receiver()
    try:
        subscription.url = restarted.url
        subscription.save()
        run_jobs(include_future=True)
        assert [Webhook(subscription.secret).verify(b, h)["type"] for b, h in restarted.received] == [
            "candidate.created",
            "candidate.updated",
        ]
        assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"delivered"}
    finally:
        restarted.stop()


def test_the_queue_gives_up_after_the_last_backoff_and_the_admin_can_send_again(
    serang_writer, subscription, receiver, superuser_client
):
    receiver.statuses = [503] * (len(webhooks.BACKOFF) + 1)
    serang_writer.post("/api/v1/candidates/", candidate_body())
    assert run_jobs(include_future=True) == len(webhooks.BACKOFF) + 1
    message = OutboxMessage.objects.get()
    assert message.status == "failed" and message.attempts == len(webhooks.BACKOFF) + 1
    response = superuser_client.post(
        "/admin/api/outboxmessage/", {"action": "retry", "_selected_action": [message.pk]}, follow=True
    )
    assert response.status_code == 200
    assert run_jobs() == 1
    message.refresh_from_db()
    assert message.status == "delivered"


def _events(*types):
    return list(OutboxMessage.objects.filter(event__in=types).order_by("pk").values_list("event", "payload"))


def test_a_cohort_departing_arriving_and_returning_sends_its_events(subscription, serang, serang_staff):
    cohort = CohortFactory(municipality=serang, planned_departure=today() - timedelta(days=3))
    placement_services.cohort_confirm_departure(cohort=cohort, user=serang_staff, on_date=today() - timedelta(days=2))
    placement_services.cohort_confirm_arrival(cohort=cohort, user=serang_staff, on_date=today() - timedelta(days=1))
    events = _events("cohort.departed", "cohort.arrived")
    assert [e for e, _ in events] == ["cohort.departed", "cohort.arrived"]
    assert events[0][1]["data"]["id"] == cohort.pk
    assert events[1][1]["data"]["arrival_confirmed_on"] == (today() - timedelta(days=1)).isoformat()

    first = PlacementFactory(candidate=CandidateFactory(municipality=serang), programme=cohort.programme)
    second = PlacementFactory(candidate=CandidateFactory(municipality=serang), programme=cohort.programme)
    for placement in (first, second):
        Placement.objects.filter(pk=placement.pk).update(stage="abroad", cohort=cohort, departed_on=today())
    placement_services.placement_record_return(
        placement=Placement.objects.get(pk=first.pk), user=serang_staff, on_date=today(), outcome="completed"
    )
    assert not _events("cohort.returned")  # one worker is still away
    placement_services.placement_record_return(
        placement=Placement.objects.get(pk=second.pk), user=serang_staff, on_date=today(), outcome="completed"
    )
    ((_, payload),) = _events("cohort.returned")
    assert payload["data"]["id"] == cohort.pk and OutboxMessage.objects.get(event="cohort.returned").record_key == (
        f"cohort:{cohort.pk}"
    )


def test_a_protection_case_opened_and_escalated_sends_events_without_its_story(subscription, serang, serang_staff):
    placement = PlacementFactory(
        candidate=CandidateFactory(municipality=serang),
        stage="abroad",
        cohort=departed_cohort(ProgrammeFactory(), municipality=serang),
        departed_on=today() - timedelta(days=2),
    )
    case = protection_services.case_open(
        user=serang_staff,
        placement=placement,
        case_type=Case.Type.ILLNESS,
        severity=Case.Severity.HIGH,
        reported_by=Case.Reporter.FAMILY,
        reported_at=timezone.now() - timedelta(hours=1),
        summary="Admitted to hospital",
    )
    protection_services.case_escalate(case=case, user=serang_staff, to="embassy", acted_on=today(), what="Called")
    events = _events("case.opened", "case.escalated")
    assert [e for e, _ in events] == ["case.opened", "case.escalated"]
    assert events[1][1]["data"] == {
        "id": case.pk,
        "placement": placement.pk,
        "status": "escalated",
        "severity": "high",
        "escalated_to": "embassy",
        "version": events[1][1]["data"]["version"],
    }
    assert "hospital" not in str(events)
    assert _delivery_jobs().count() == 2
