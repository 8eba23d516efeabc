import json

from django.conf import settings

from .base import DeliveryReport, NotSigned, Outgoing, Provider, ProviderError, hmac_hex, post, same


class WhatsAppCloudProvider(Provider):
    """WhatsApp Business Cloud API: business-initiated messages as approved templates only.

    POST {WHATSAPP_API_URL}/{WHATSAPP_PHONE_NUMBER_ID}/messages with WHATSAPP_TOKEN; the template's
    body parameters are our placeholder values in order of appearance.
    """

    name = "whatsapp_cloud"
    channels = ("whatsapp",)

    @property
    def reports_delivery(self) -> bool:
        return bool(settings.WHATSAPP_APP_SECRET)

    def delivery_reports(self, request) -> list[DeliveryReport]:
        """Meta's webhook: the body signed with the app secret (X-Hub-Signature-256: sha256=<hex>);
        statuses under entry[].changes[].value.statuses[]."""
        signature = request.headers.get("X-Hub-Signature-256", "").removeprefix("sha256=")
        if not same(hmac_hex(settings.WHATSAPP_APP_SECRET, request.body), signature):
            raise NotSigned
        try:
            payload = json.loads(request.body)
            statuses = [
                status
                for entry in payload.get("entry", [])
                for change in entry.get("changes", [])
                for status in change.get("value", {}).get("statuses", [])
            ]
        except (ValueError, AttributeError, TypeError):
            return []
        reports = []
        for status in statuses:
            state, message_id = status.get("status"), str(status.get("id", ""))
            if state in ("delivered", "read"):
                reports.append(DeliveryReport(message_id, delivered=True))
            elif state == "failed":
                errors = status.get("errors") or [{}]
                error = errors[0]
                details = (error.get("error_data") or {}).get("details") or error.get("message") or ""
                reason = " – ".join(str(x) for x in (error.get("code"), error.get("title"), details) if x)
                reports.append(DeliveryReport(message_id, delivered=False, reason=reason or "failed"))
        return reports

    def send(self, outgoing: Outgoing) -> str:
        if not outgoing.provider_template_id:
            raise ProviderError("no approved WhatsApp template id", transient=False)
        payload = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": outgoing.to.lstrip("+"),
            "type": "template",
            "biz_opaque_callback_data": outgoing.reference,
            "template": {
                "name": outgoing.provider_template_id,
                "language": {"code": outgoing.language},
                "components": [{"type": "body", "parameters": [{"type": "text", "text": p} for p in outgoing.params]}],
            },
        }
        url = f"{settings.WHATSAPP_API_URL.rstrip('/')}/{settings.WHATSAPP_PHONE_NUMBER_ID}/messages"
        answer = post(
            url,
            data=json.dumps(payload).encode(),
            headers={"Authorization": f"Bearer {settings.WHATSAPP_TOKEN}", "Content-Type": "application/json"},
        )
        try:
            return str(answer["messages"][0]["id"])
        except (KeyError, IndexError, TypeError) as exc:
            raise ProviderError("WhatsApp answer without a message id", transient=False) from exc
