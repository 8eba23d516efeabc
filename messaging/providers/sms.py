import time
import urllib.parse

from django.conf import settings

from .base import DeliveryReport, NotSigned, Outgoing, Provider, ProviderError, hmac_hex, post, same

# Vonage SMS API status codes worth trying again: 1 throttled, 5 internal error.
TRANSIENT_STATUSES = {"1", "5"}
# Delivery receipt statuses that end a message: it arrived, or it never will.
DELIVERED = {"delivered"}
FAILED = {"failed", "rejected", "expired"}
# A signed receipt older than this (or from the future) is refused: a replayed one.
MAX_AGE_SECONDS = 300


class VonageSmsProvider(Provider):
    """SMS through the Vonage SMS API: a form POST to VONAGE_SMS_URL with VONAGE_API_KEY/SECRET."""

    name = "vonage"
    channels = ("sms",)

    @property
    def reports_delivery(self) -> bool:
        return bool(settings.VONAGE_SIGNATURE_SECRET)

    def delivery_reports(self, request) -> list[DeliveryReport]:
        """Vonage's signed delivery receipt (GET query or POST form; the account's signature method
        set to SHA-256 HMAC): `sig` over the other parameters sorted by name, each as &name=value with
        & and = in values turned into _, keyed with the signature secret; `timestamp` is recent."""
        params = dict((request.POST or request.GET).items())
        signature = params.pop("sig", "")
        signed = "".join(f"&{key}={params[key].replace('&', '_').replace('=', '_')}" for key in sorted(params))
        if not same(hmac_hex(settings.VONAGE_SIGNATURE_SECRET, signed.encode()), signature):
            raise NotSigned
        try:
            age = abs(time.time() - int(params.get("timestamp", "")))
        except ValueError as exc:
            raise NotSigned from exc
        if age > MAX_AGE_SECONDS:
            raise NotSigned
        status, message_id = params.get("status", ""), params.get("messageId", "")
        if status in DELIVERED:
            return [DeliveryReport(message_id, delivered=True)]
        if status in FAILED:
            return [
                DeliveryReport(message_id, delivered=False, reason=f"{status} (err-code {params.get('err-code', '?')})")
            ]
        return []

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
