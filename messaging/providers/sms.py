import urllib.parse

from django.conf import settings

from .base import Outgoing, Provider, ProviderError, post

# Vonage SMS API status codes worth trying again: 1 throttled, 5 internal error.
TRANSIENT_STATUSES = {"1", "5"}


class VonageSmsProvider(Provider):
    """SMS through the Vonage SMS API: a form POST to VONAGE_SMS_URL with VONAGE_API_KEY/SECRET."""

    name = "vonage"
    channels = ("sms",)

    def send(self, outgoing: Outgoing) -> str:
        form = {
            "api_key": settings.VONAGE_API_KEY,
            "api_secret": settings.VONAGE_API_SECRET,
            "from": settings.SMS_SENDER,
            "to": outgoing.to.lstrip("+"),
            "text": outgoing.body,
            "type": "unicode",
            "client-ref": outgoing.reference,
        }
        answer = post(
            settings.VONAGE_SMS_URL,
            data=urllib.parse.urlencode(form).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        parts = answer.get("messages") or []
        if not parts:
            raise ProviderError("SMS answer without messages", transient=True)
        for part in parts:
            status = str(part.get("status", ""))
            if status != "0":
                reason = part.get("error-text") or f"status {status}"
                raise ProviderError(f"SMS refused: {reason}", transient=status in TRANSIENT_STATUSES)
        return str(parts[0].get("message-id", ""))
