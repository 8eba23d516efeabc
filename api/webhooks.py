"""Webhooks: the outbox written in the transaction of each change, Standard Webhooks signatures,
and delivery by the job queue with retries.

Each outbox message gets a delivery job (api.tasks.deliver_webhook) in the transaction that writes
it, so a change that commits always has its job and one that rolls back has neither. A failed
attempt queues the next one at the backoff's time, and a delivered message queues the next pending
message of its record, both in the transaction that logs the attempt. A message whose earlier
sibling (same subscription and record) is not delivered yet waits for it: one record's events reach
the receiver in order. `deliver_due` (`manage.py deliver_webhooks`, and the daily sweep) delivers
what is due without a job, e.g. after a worker died mid-delivery.

A receiver verifies with the `standardwebhooks` library: Webhook(secret).verify(body, headers).
"""

import base64
import json
import logging
import secrets
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from standardwebhooks import Webhook

from candidates import extensions as candidate_extensions
from jobs import queue
from placements import extensions as placement_extensions
from protection import extensions as protection_extensions

from .models import ApiClient, DeliveryAttempt, OutboxMessage, WebhookEvent, WebhookSubscription

logger = logging.getLogger(__name__)

# Seconds to wait after the 1st, 2nd, … failed attempt; after the last the message is marked failed
# (kept, and blocking its record's later messages, until an administrator retries it).
BACKOFF = [10, 60, 5 * 60, 30 * 60, 2 * 3600, 6 * 3600, 24 * 3600]
TIMEOUT_SECONDS = 10


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


# --- the outbox ----------------------------------------------------------------------------------


def _subscriptions(event: str, municipality_id: int | None):
    if municipality_id is None:
        return []
    clients = ApiClient.objects.active().filter(municipality_id=municipality_id)
    return list(
        WebhookSubscription.objects.filter(is_active=True, client__in=clients, events__contains=[event]).only("pk")
    )


def enqueue(*, event: str, municipality_id: int | None, record_key: str, data: dict) -> list[OutboxMessage]:
    """One outbox message per subscription of the record's municipality to `event` (no commit here:
    the caller's transaction carries it)."""
    now = timezone.now()
    messages = [
        OutboxMessage(
            subscription=subscription,
            event=event,
            message_id=f"msg_{uuid.uuid4().hex}",
            record_key=record_key,
            payload={"type": event, "timestamp": now.isoformat(), "data": data},
            created_at=now,
            next_attempt_at=now,
        )
        for subscription in _subscriptions(event, municipality_id)
    ]
    created = OutboxMessage.objects.bulk_create(messages)
    for message in created:
        queue_delivery(message.pk)
    return created


def queue_delivery(message_id: int, run_after: datetime | None = None) -> None:
    """A delivery job for the message, written in the current transaction."""
    from .tasks import deliver_webhook  # the job module imports this one

    job = deliver_webhook.using(run_after=run_after) if run_after else deliver_webhook
    queue.enqueue(job, message_id)


def on_candidate_changed(*, candidate, created: bool) -> None:
    # No personal data in a webhook: the receiver reads the record through the API with its scopes.
    enqueue(
        event=WebhookEvent.CANDIDATE_CREATED if created else WebhookEvent.CANDIDATE_UPDATED,
        municipality_id=candidate.municipality_id,
        record_key=f"candidate:{candidate.pk}",
        data={"id": candidate.pk, "version": candidate.version},
    )


def on_stage_changed(*, placement, event) -> None:
    enqueue(
        event=WebhookEvent.PLACEMENT_STAGE_CHANGED,
        municipality_id=placement.municipality_id,
        record_key=f"placement:{placement.pk}",
        data={
            "id": placement.pk,
            "candidate": placement.candidate_id,
            "programme": placement.programme_id,
            "from_stage": event.from_stage,
            "to_stage": event.to_stage,
            "moved_at": event.moved_at.isoformat(),
            "version": placement.version,
        },
    )


COHORT_EVENTS = {
    placement_extensions.COHORT_DEPARTED: WebhookEvent.COHORT_DEPARTED,
    placement_extensions.COHORT_ARRIVED: WebhookEvent.COHORT_ARRIVED,
    placement_extensions.COHORT_RETURNED: WebhookEvent.COHORT_RETURNED,
}


def on_cohort_changed(*, cohort, event: str) -> None:
    enqueue(
        event=COHORT_EVENTS[event],
        municipality_id=cohort.municipality_id,
        record_key=f"cohort:{cohort.pk}",
        data={
            "id": cohort.pk,
            "programme": cohort.programme_id,
            "actual_departure": cohort.actual_departure.isoformat() if cohort.actual_departure else None,
            "arrival_confirmed_on": cohort.arrival_confirmed_on.isoformat() if cohort.arrival_confirmed_on else None,
        },
    )


CASE_EVENTS = {
    protection_extensions.CASE_OPENED: WebhookEvent.CASE_OPENED,
    protection_extensions.CASE_ESCALATED: WebhookEvent.CASE_ESCALATED,
}


def on_case_changed(*, case, event: str) -> None:
    # Ids, status and severity only: what happened to the worker stays in Rantau (and its access log).
    enqueue(
        event=CASE_EVENTS[event],
        municipality_id=case.municipality_id,
        record_key=f"case:{case.pk}",
        data={
            "id": case.pk,
            "placement": case.placement_id,
            "status": case.status,
            "severity": case.severity,
            "escalated_to": case.escalated_to or None,
            "version": case.version,
        },
    )


def register() -> None:
    candidate_extensions.register_candidate_listener("api.webhooks", on_candidate_changed)
    placement_extensions.register_stage_listener("api.webhooks", on_stage_changed)
    placement_extensions.register_cohort_listener("api.webhooks", on_cohort_changed)
    protection_extensions.register_case_listener("api.webhooks", on_case_changed)


# --- signing and delivery -------------------------------------------------------------------------


def signed_request(message: OutboxMessage, secret: str, *, now: datetime | None = None) -> tuple[bytes, dict]:
    """The body and the Standard Webhooks headers (webhook-id, -timestamp, -signature)."""
    now = now or datetime.now(UTC)
    body = json.dumps(message.payload, separators=(",", ":"), ensure_ascii=False)
    signature = Webhook(secret).sign(message.message_id, now, body)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Rantau-Webhooks/1",
        "webhook-id": message.message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }
    return body.encode(), headers


def _post(url: str, body: bytes, headers: dict) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - http(s) URLField
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@dataclass
class DeliveryRun:
    delivered: int = 0
    failed_attempts: int = 0
    gave_up: int = 0


def _blocked(message: OutboxMessage) -> bool:
    """An earlier message of the same record to the same subscription is not delivered yet."""
    return (
        OutboxMessage.objects.filter(
            subscription_id=message.subscription_id, record_key=message.record_key, pk__lt=message.pk
        )
        .exclude(status=OutboxMessage.Status.DELIVERED)
        .exists()
    )


def deliver_one(message: OutboxMessage, *, now: datetime | None = None) -> bool:
    """Attempt one delivery, log it, queue the retry (or the record's next message). The caller
    holds the row lock in a transaction, which the attempt's log and the next job join."""
    now = now or timezone.now()
    subscription = message.subscription
    body, headers = signed_request(message, subscription.secret)
    status, error = None, ""
    try:
        status = _post(subscription.url, body, headers)
    except (OSError, ValueError) as exc:  # refused, timed out, DNS, bad URL
        error = f"{type(exc).__name__}: {exc}"[:255]
    ok = status is not None and 200 <= status < 300
    DeliveryAttempt.objects.create(message=message, status_code=status, error=error, succeeded=ok)
    message.attempts += 1
    if ok:
        message.status = OutboxMessage.Status.DELIVERED
        message.delivered_at = now
    elif message.attempts > len(BACKOFF):
        message.status = OutboxMessage.Status.FAILED
    else:
        message.next_attempt_at = now + timedelta(seconds=BACKOFF[message.attempts - 1])
    message.save(update_fields=["attempts", "status", "delivered_at", "next_attempt_at"])
    if ok:
        following = (
            OutboxMessage.objects.filter(
                subscription_id=message.subscription_id,
                record_key=message.record_key,
                pk__gt=message.pk,
                status=OutboxMessage.Status.PENDING,
            )
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if following is not None:
            queue_delivery(following)
    elif message.status == OutboxMessage.Status.PENDING:
        queue_delivery(message.pk, run_after=message.next_attempt_at)
    if not ok:
        logger.warning("webhook %s to subscription %s failed: %s", message.message_id, subscription.pk, status or error)
    return ok


def deliver_message(message_id: int, *, now: datetime | None = None) -> str:
    """The delivery job's work: one attempt at one message, unless it is delivered or given up
    already, another worker holds it, or an earlier message of its record is still undelivered (that
    one's delivery queues this one). Returns what happened, for the job's result."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscription")
            .filter(pk=message_id)
            .first()
        )
        if message is None:
            return "gone or held by another worker"
        if message.status != OutboxMessage.Status.PENDING:
            return f"already {message.status}"
        if _blocked(message):
            return "waiting for an earlier message of the record"
        if deliver_one(message, now=now):
            return "delivered"
        if message.status == OutboxMessage.Status.FAILED:
            return f"gave up after {message.attempts} attempts"
        return f"attempt {message.attempts} failed; next at {message.next_attempt_at.isoformat()}"


def deliver_due(*, limit: int = 100, now: datetime | None = None) -> DeliveryRun:
    """Deliver pending messages that are due, oldest first; several runs may work side by side
    (rows are locked and skipped)."""
    run = DeliveryRun()
    for _ in range(limit):
        with transaction.atomic():
            current = now or timezone.now()
            candidates = (
                OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("subscription")
                .filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=current)
                .order_by("pk")
            )
            message = next((m for m in candidates[:20] if not _blocked(m)), None)
            if message is None:
                break
            if deliver_one(message, now=current):
                run.delivered += 1
            elif message.status == OutboxMessage.Status.FAILED:
                run.gave_up += 1
            else:
                run.failed_attempts += 1
    return run
