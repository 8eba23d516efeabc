"""Writes with rules: consent to be contacted, templates, sends to a list and their messages."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import require_perm
from candidates.models import Candidate
from jobs.queue import enqueue

from .models import Broadcast, Channel, ContactConsent, Message, MessageTemplate
from .placeholders import placeholders_in, render
from .recipients import build_list

# Messages per sending job: the first attempt of 10,000 messages is 100 jobs, not 10,000.
SEND_CHUNK = 100


@transaction.atomic
def consent_give(*, user, candidate: Candidate, channel: str, given_on: date) -> ContactConsent:
    require_perm(user, "messaging.add_contactconsent")
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("Consent cannot be given in the future.")})
    if ContactConsent.objects.in_force().filter(candidate=candidate, channel=channel).exists():
        raise ValidationError({"channel": _("Consent for this channel is already recorded.")})
    consent = ContactConsent(candidate=candidate, channel=channel, given_on=given_on, recorded_by=user)
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def consent_withdraw(*, user, consent: ContactConsent, withdrawn_on: date) -> ContactConsent:
    """From now on nothing is sent on that channel; messages already queued are skipped when their job runs."""
    require_perm(user, "messaging.change_contactconsent")
    consent = ContactConsent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise ValidationError(_("This consent is already withdrawn."))
    if withdrawn_on < consent.given_on or withdrawn_on > timezone.localdate():
        raise ValidationError({"withdrawn_on": _("The withdrawal date must be between consent and today.")})
    consent.withdrawn_on = withdrawn_on
    consent.withdrawn_recorded_by = user
    consent.save(update_fields=["withdrawn_on", "withdrawn_recorded_by", "updated_at"])
    return consent


@transaction.atomic
def broadcast_create(*, user, template: MessageTemplate, source: str, source_query: dict, label: str) -> Broadcast:
    """Record the send and queue the job that prepares its messages: the request writes two rows,
    whatever the size of the list (10,000 people do not hold a web worker)."""
    require_perm(user, "messaging.add_broadcast")
    if not template.is_active:
        raise ValidationError(_("This template is not active."))
    broadcast = Broadcast.objects.create(
        municipality_id=user.municipality_id,
        template=template,
        source=source,
        source_query=source_query,
        source_label=label[:255],
        created_by=user,
    )
    from .tasks import prepare_broadcast

    enqueue(prepare_broadcast, broadcast.pk)
    return broadcast


@transaction.atomic
def broadcast_prepare(*, broadcast_id: int) -> int:
    """Make the messages of a send (queued, or skipped with the reason) and queue the jobs that send them.
    Runs once: a second run finds the send already prepared and does nothing. Returns messages queued."""
    broadcast = Broadcast.objects.select_for_update().select_related("template", "created_by").get(pk=broadcast_id)
    if broadcast.status != Broadcast.Status.PREPARING:
        return 0
    template = broadcast.template
    recipients = build_list(
        user=broadcast.created_by, template=template, source=broadcast.source, source_query=broadcast.source_query
    )
    messages = [
        _message(template, r.candidate, r.values, to=r.to, skip_reason=r.skip_reason, broadcast=broadcast)
        for r in recipients.recipients
    ]
    Message.objects.bulk_create(messages, batch_size=1000)
    from .tasks import send_messages

    queued = [str(m.pk) for m in messages if m.status == Message.Status.QUEUED]
    for start in range(0, len(queued), SEND_CHUNK):
        enqueue(send_messages, queued[start : start + SEND_CHUNK])
    broadcast.status = Broadcast.Status.SENDING
    broadcast.save(update_fields=["status", "updated_at"])
    return len(queued)


def _message(template, candidate, values, *, to, skip_reason, broadcast=None, user=None) -> Message:
    return Message(
        broadcast=broadcast,
        candidate=candidate,
        municipality_id=candidate.municipality_id,
        template=template,
        channel=template.channel,
        to=to,
        subject=render(template.subject, values),
        body=render(template.body, values),
        provider_template_id=template.provider_template_id,
        language=template.language,
        params=[str(values.get(name, "")) for name in placeholders_in(template.body)],
        status=Message.Status.SKIPPED if skip_reason else Message.Status.QUEUED,
        reason=skip_reason,
        created_by=user or (broadcast.created_by if broadcast else None),
    )


def template_preview(*, template: MessageTemplate, values: dict[str, str]) -> dict[str, str]:
    return {"subject": render(template.subject, values), "body": render(template.body, values)}


@transaction.atomic
def message_mark_delivered(*, provider: str, provider_message_id: str) -> bool:
    """A provider's delivery report. Only a sent message becomes delivered."""
    updated = Message.objects.filter(
        provider=provider, provider_message_id=provider_message_id, status=Message.Status.SENT
    ).update(status=Message.Status.DELIVERED, delivered_at=timezone.now())
    return bool(updated)


@transaction.atomic
def message_mark_failed(*, provider: str, provider_message_id: str, reason: str) -> bool:
    """A provider's report that a message it took never arrived. Only a sent message becomes failed."""
    updated = Message.objects.filter(
        provider=provider, provider_message_id=provider_message_id, status=Message.Status.SENT
    ).update(status=Message.Status.FAILED, reason=reason[:2000], failed_at=timezone.now())
    return bool(updated)


__all__ = [
    "Channel",
    "broadcast_create",
    "broadcast_prepare",
    "consent_give",
    "consent_withdraw",
    "message_mark_delivered",
    "message_mark_failed",
    "template_preview",
]
