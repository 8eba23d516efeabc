from .base import Outgoing, Provider


class OutboxProvider(Provider):
    """Records the message in the outbox table and sends nothing (`make run`, tests, training)."""

    name = "outbox"
    channels = ()  # every channel

    def send(self, outgoing: Outgoing) -> str:
        from ..models import OutboxEntry

        entry = OutboxEntry.objects.create(
            message_id=outgoing.reference,
            channel=outgoing.channel,
            to=outgoing.to,
            subject=outgoing.subject,
            body=outgoing.body,
            provider_template_id=outgoing.provider_template_id,
            params=outgoing.params,
        )
        return f"outbox-{entry.pk}"
