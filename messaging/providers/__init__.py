"""One small interface per channel: `send(outgoing) -> provider message id`, or ProviderError.

settings.MESSAGING_PROVIDERS picks the provider of each channel; "outbox" (the default) records the
message in the database and sends nothing.
"""

from django.conf import settings

from .base import DeliveryReport, NotSigned, Outgoing, Provider, ProviderError
from .email import SmtpProvider
from .outbox import OutboxProvider
from .sms import VonageSmsProvider
from .whatsapp import WhatsAppCloudProvider

__all__ = ["DeliveryReport", "NotSigned", "Outgoing", "Provider", "ProviderError", "provider_for", "reporting_provider"]

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


def reporting_provider(name: str) -> Provider | None:
    """The provider of that name if it sends delivery reports here (its secret is configured)."""
    provider_class = PROVIDERS.get(name)
    if provider_class is None:
        return None
    provider = provider_class()
    return provider if provider.reports_delivery else None
