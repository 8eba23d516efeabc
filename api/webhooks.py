"""Webhooks: the outbox written in the transaction of each change, Standard Webhooks signatures,
and delivery with retries (`manage.py deliver_webhooks`; the queue will call `deliver_due`).

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
from placements import extensions as placement_extensions

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
    return OutboxMessage.objects.bulk_create(messages)


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


def register() -> None:
    candidate_extensions.register_candidate_listener("api.webhooks", on_candidate_changed)
    placement_extensions.register_stage_listener("api.webhooks", on_stage_changed)


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
    """Attempt one delivery, log it, schedule the retry. The caller holds the row lock."""
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
    if not ok:
        logger.warning("webhook %s to subscription %s failed: %s", message.message_id, subscription.pk, status or error)
    return ok


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
