import json

from django.conf import settings

from .base import Outgoing, Provider, ProviderError, post


class WhatsAppCloudProvider(Provider):
    """WhatsApp Business Cloud API: business-initiated messages as approved templates only.

    POST {WHATSAPP_API_URL}/{WHATSAPP_PHONE_NUMBER_ID}/messages with WHATSAPP_TOKEN; the template's
    body parameters are our placeholder values in order of appearance.
    """

    name = "whatsapp_cloud"
    channels = ("whatsapp",)

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
