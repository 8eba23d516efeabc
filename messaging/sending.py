"""Sending one message, at most once.

The job locks the message and moves it from queued to sending (committed) before it calls the
provider. A second job for the same message (a retried or duplicated job) finds it no longer queued
and sends nothing. A provider that is down puts the message back to queued in the same transaction
that queues the next attempt (jobs.queue.retrying); after the last attempt it is failed with the
provider's reason. A worker killed while the provider is being called leaves the message "sending":
it is not sent again automatically, because it may have left.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ContactConsent, Message
from .providers import Outgoing, ProviderError, provider_for


class ProviderUnavailable(Exception):  # noqa: N818
    """The provider could not take the message now; the job is tried again later."""


def send_one(message_id: str) -> str:
    with transaction.atomic():
        message = Message.objects.select_for_update().select_related("candidate").get(pk=message_id)
        if message.status != Message.Status.QUEUED:
            return f"not sent again: {message.status}"
        # Consent may have been withdrawn since the list was made.
        consent = ContactConsent.objects.in_force().filter(candidate_id=message.candidate_id, channel=message.channel)
        if not message.candidate.has_consent or not consent.exists():
            message.status = Message.Status.SKIPPED
            message.reason = _("consent withdrawn before sending")
            message.save(update_fields=["status", "reason"])
            return "skipped"
        if message.candidate.processing_restricted_on or message.candidate.erased_at:
            message.status = Message.Status.SKIPPED
            message.reason = _("processing restricted at the person's request")
            message.save(update_fields=["status", "reason"])
            return "skipped"
        message.status = Message.Status.SENDING
        message.attempts += 1
        message.save(update_fields=["status", "attempts"])

    provider = provider_for(message.channel)
    outgoing = Outgoing(
        reference=str(message.pk),
        channel=message.channel,
        to=message.to,
        subject=message.subject,
        body=message.body,
        language=message.language,
        provider_template_id=message.provider_template_id,
        params=list(message.params),
    )
    try:
        provider_id = provider.send(outgoing)
    except ProviderError as exc:
        if exc.transient:
            raise ProviderUnavailable(exc.reason) from exc
        fail(message_id, exc.reason, provider.name)
        return "failed"
    Message.objects.filter(pk=message_id).update(
        status=Message.Status.SENT, provider=provider.name, provider_message_id=provider_id, sent_at=timezone.now()
    )
    return "sent"


def fail(message_id: str, reason: str, provider: str = "") -> None:
    Message.objects.filter(pk=message_id).update(
        status=Message.Status.FAILED, reason=reason, provider=provider, failed_at=timezone.now()
    )


def requeue(exc: BaseException, attempt: int, message_id: str) -> None:
    """Provider down: back to queued (with the last error), in the transaction that queues the next attempt."""
    Message.objects.filter(pk=message_id, status=Message.Status.SENDING).update(
        status=Message.Status.QUEUED, reason=str(exc)
    )


def give_up(exc: BaseException, attempt: int, message_id: str) -> None:
    fail(message_id, _("gave up after %(n)s attempts: %(reason)s") % {"n": attempt, "reason": exc})
