"""Delivery reports from the providers: one address per provider, authenticated by the provider's
own signature (WhatsApp Cloud: the body's HMAC with the app secret; Vonage: the signed receipt's
parameters), marking sent messages delivered or failed with the provider's reason."""

import hashlib
import hmac
import json
import time

import pytest
from django.utils import timezone

from messaging.models import Message
from tests.factories import CandidateFactory, ready_template

pytestmark = pytest.mark.django_db

WHATSAPP = "/messages/delivery/whatsapp_cloud/"
VONAGE = "/messages/delivery/vonage/"


@pytest.fixture(autouse=True)
def secrets(settings):
    settings.WHATSAPP_APP_SECRET = "meta-app-secret"
    settings.WHATSAPP_WEBHOOK_VERIFY_TOKEN = "verify-me"
    settings.VONAGE_SIGNATURE_SECRET = "vonage-signature-secret"


def sent_message(serang, provider: str, provider_id: str) -> Message:
    candidate = CandidateFactory(municipality=serang)
    return Message.objects.create(
        candidate=candidate,
        municipality=serang,
        template=ready_template(),
        channel="whatsapp" if provider == "whatsapp_cloud" else "sms",
        to="+6281234567890",
        body="Halo",
        language="id",
        status="sent",
        provider=provider,
        provider_message_id=provider_id,
        sent_at=timezone.now(),
    )


def whatsapp_body(*statuses: dict) -> bytes:
    value = {"messaging_product": "whatsapp", "statuses": list(statuses)}
    return json.dumps({"object": "whatsapp_business_account", "entry": [{"changes": [{"value": value}]}]}).encode()


def meta_signature(body: bytes, secret: str = "meta-app-secret") -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def vonage_signed(params: dict, secret: str = "vonage-signature-secret") -> dict:
    signed = "".join(f"&{k}={params[k].replace('&', '_').replace('=', '_')}" for k in sorted(params))
    return {**params, "sig": hmac.new(secret.encode(), signed.encode(), hashlib.sha256).hexdigest().upper()}


def test_a_signed_whatsapp_report_marks_messages_delivered_and_failed_with_the_reason(client, serang):
    delivered = sent_message(serang, "whatsapp_cloud", "wamid.A")
    failed = sent_message(serang, "whatsapp_cloud", "wamid.B")
    body = whatsapp_body(
        {"id": "wamid.A", "status": "delivered"},
        {
            "id": "wamid.B",
            "status": "failed",
            "errors": [
                {"code": 131026, "title": "Message undeliverable", "error_data": {"details": "not on WhatsApp"}}
            ],
        },
        {"id": "wamid.unknown", "status": "delivered"},
    )
    response = client.post(
        WHATSAPP, body, content_type="application/json", headers={"X-Hub-Signature-256": meta_signature(body)}
    )
    assert response.status_code == 200
    delivered.refresh_from_db()
    failed.refresh_from_db()
    assert delivered.status == "delivered" and delivered.delivered_at is not None
    assert failed.status == "failed" and failed.reason == "131026 – Message undeliverable – not on WhatsApp"


@pytest.mark.parametrize(
    "signature", ["", "sha256=" + "0" * 64, meta_signature(b"another body"), meta_signature(b"x", "wrong-secret")]
)
def test_a_whatsapp_report_not_signed_with_the_app_secret_is_refused(client, serang, signature):
    message = sent_message(serang, "whatsapp_cloud", "wamid.A")
    body = whatsapp_body({"id": "wamid.A", "status": "delivered"})
    response = client.post(WHATSAPP, body, content_type="application/json", headers={"X-Hub-Signature-256": signature})
    assert response.status_code == 403
    message.refresh_from_db()
    assert message.status == "sent"


def test_whatsapp_checks_the_address_with_the_verify_token(client):
    ok = client.get(WHATSAPP, {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"})
    assert ok.status_code == 200 and ok.content == b"1158201444"
    wrong = client.get(WHATSAPP, {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"})
    assert wrong.status_code == 403


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_signed_vonage_receipt_marks_the_message_delivered(client, serang, method):
    message = sent_message(serang, "vonage", "0A0000001")
    params = vonage_signed(
        {
            "messageId": "0A0000001",
            "status": "delivered",
            "err-code": "0",
            "msisdn": "6281234567890",
            "timestamp": str(int(time.time())),
            "client-ref": str(message.pk),
        }
    )
    response = getattr(client, method)(VONAGE, params)
    assert response.status_code == 204
    message.refresh_from_db()
    assert message.status == "delivered"


def test_a_vonage_receipt_that_failed_gives_the_reason(client, serang):
    message = sent_message(serang, "vonage", "0A0000002")
    params = vonage_signed(
        {"messageId": "0A0000002", "status": "expired", "err-code": "5", "timestamp": str(int(time.time()))}
    )
    assert client.post(VONAGE, params).status_code == 204
    message.refresh_from_db()
    assert (message.status, message.reason) == ("failed", "expired (err-code 5)")


def test_a_vonage_receipt_that_is_tampered_with_or_replayed_is_refused(client, serang):
    message = sent_message(serang, "vonage", "0A0000003")
    params = vonage_signed({"messageId": "0A0000003", "status": "delivered", "timestamp": str(int(time.time()))})
    assert client.post(VONAGE, {**params, "status": "failed"}).status_code == 403
    old = vonage_signed({"messageId": "0A0000003", "status": "delivered", "timestamp": str(int(time.time()) - 3600)})
    assert client.post(VONAGE, old).status_code == 403
    message.refresh_from_db()
    assert message.status == "sent"


def test_a_report_never_undoes_a_later_status(client, serang):
    message = sent_message(serang, "whatsapp_cloud", "wamid.A")
    Message.objects.filter(pk=message.pk).update(status="delivered")
    body = whatsapp_body({"id": "wamid.A", "status": "failed", "errors": [{"title": "late"}]})
    client.post(WHATSAPP, body, content_type="application/json", headers={"X-Hub-Signature-256": meta_signature(body)})
    message.refresh_from_db()
    assert message.status == "delivered"


def test_a_provider_without_a_secret_or_unknown_has_no_address(client, settings):
    settings.VONAGE_SIGNATURE_SECRET = ""
    assert client.post(VONAGE, {"status": "delivered"}).status_code == 404
    assert client.post("/messages/delivery/outbox/", {}).status_code == 404
    assert client.post("/messages/delivery/nobody/", {}).status_code == 404
