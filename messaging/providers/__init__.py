"""One small interface per channel: `send(outgoing) -> provider message id`, or ProviderError.

settings.MESSAGING_PROVIDERS picks the provider of each channel; "outbox" (the default) records the
message in the database and sends nothing.
"""

from django.conf import settings

from .base import Outgoing, Provider, ProviderError
from .email import SmtpProvider
from .outbox import OutboxProvider
from .sms import VonageSmsProvider
from .whatsapp import WhatsAppCloudProvider

__all__ = ["Outgoing", "Provider", "ProviderError", "provider_for"]

PROVIDERS: dict[str, type[Provider]] = {
    "outbox": OutboxProvider,
    "smtp": SmtpProvider,
    "whatsapp_cloud": WhatsAppCloudProvider,
    "vonage": VonageSmsProvider,
}


def provider_for(channel: str) -> Provider:
    name = settings.MESSAGING_PROVIDERS.get(channel, "outbox")
    try:
        provider_class = PROVIDERS[name]
    except KeyError as exc:
        raise ProviderError(f"unknown provider {name!r} for {channel}", transient=False) from exc
    if provider_class.channels and channel not in provider_class.channels:
        raise ProviderError(f"provider {name!r} does not send {channel}", transient=False)
    return provider_class()
