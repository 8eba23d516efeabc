"""Each real provider against a fake server on 127.0.0.1: what it sends, what it makes of the answers."""

import json
import urllib.parse

import pytest

from messaging.providers import Outgoing, ProviderError, provider_for
from messaging.providers.email import SmtpProvider
from messaging.providers.sms import VonageSmsProvider
from messaging.providers.whatsapp import WhatsAppCloudProvider

WA = Outgoing(
    reference="3f1c",
    channel="whatsapp",
    to="+6281234567890",
    body="Halo Siti, pelatihan EPS dimulai 5 Mei 2025 di LPK Maju.",
    language="id",
    provider_template_id="rantau_training_schedule",
    params=["Siti", "EPS", "5 Mei 2025", "LPK Maju"],
)


@pytest.fixture
def whatsapp(settings, fake_http):
    settings.WHATSAPP_API_URL = fake_http.url + "/v21.0"
    settings.WHATSAPP_PHONE_NUMBER_ID = "1055"
    settings.WHATSAPP_TOKEN = "secret-token"
    return fake_http


def test_whatsapp_sends_the_approved_template_with_our_values_as_parameters(whatsapp):
    whatsapp.answer((200, {"messages": [{"id": "wamid.HBgL"}]}))
    assert WhatsAppCloudProvider().send(WA) == "wamid.HBgL"
    (request,) = whatsapp.requests
    assert request["path"] == "/v21.0/1055/messages"
    assert request["headers"]["Authorization"] == "Bearer secret-token"
    payload = json.loads(request["body"])
    assert payload["to"] == "6281234567890"
    assert payload["type"] == "template"
    assert payload["template"]["name"] == "rantau_training_schedule"
    assert payload["template"]["language"] == {"code": "id"}
    params = payload["template"]["components"][0]["parameters"]
    assert [p["text"] for p in params] == ["Siti", "EPS", "5 Mei 2025", "LPK Maju"]


def test_whatsapp_refusal_is_permanent_with_the_providers_reason(whatsapp):
    whatsapp.answer((400, {"error": {"message": "Template name does not exist in the translation", "code": 132001}}))
    with pytest.raises(ProviderError) as caught:
        WhatsAppCloudProvider().send(WA)
    assert not caught.value.transient
    assert caught.value.reason == "HTTP 400: Template name does not exist in the translation"


@pytest.mark.parametrize("status", [429, 500, 503])
def test_whatsapp_overloaded_or_down_is_transient(whatsapp, status):
    whatsapp.answer((status, {"error": {"message": "try later"}}))
    with pytest.raises(ProviderError) as caught:
        WhatsAppCloudProvider().send(WA)
    assert caught.value.transient
    assert caught.value.reason == f"HTTP {status}: try later"


def test_a_provider_that_does_not_answer_is_transient(settings):
    settings.WHATSAPP_API_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    with pytest.raises(ProviderError) as caught:
        WhatsAppCloudProvider().send(WA)
    assert caught.value.transient
    assert caught.value.reason.startswith("provider unreachable")


def test_whatsapp_without_an_approved_template_is_refused_before_any_request(whatsapp):
    with pytest.raises(ProviderError) as caught:
        WhatsAppCloudProvider().send(Outgoing(reference="x", channel="whatsapp", to="+6281234567890", body="hi"))
    assert not caught.value.transient
    assert whatsapp.requests == []


@pytest.fixture
def vonage(settings, fake_http):
    settings.VONAGE_SMS_URL = fake_http.url + "/sms/json"
    settings.VONAGE_API_KEY = "key1"
    settings.VONAGE_API_SECRET = "secret1"
    settings.SMS_SENDER = "DisnakerSRG"
    return fake_http


SMS = Outgoing(reference="ab12", channel="sms", to="+6281234567890", body="Halo Siti, dokumen kurang: Paspor")


def test_sms_posts_the_form_and_returns_the_message_id(vonage):
    vonage.answer((200, {"message-count": "1", "messages": [{"status": "0", "message-id": "0A0000001"}]}))
    assert VonageSmsProvider().send(SMS) == "0A0000001"
    form = dict(urllib.parse.parse_qsl(vonage.requests[0]["body"].decode()))
    assert form == {
        "api_key": "key1",
        "api_secret": "secret1",
        "from": "DisnakerSRG",
        "to": "6281234567890",
        "text": "Halo Siti, dokumen kurang: Paspor",
        "type": "unicode",
        "client-ref": "ab12",
    }


def test_sms_refused_number_is_permanent_and_throttling_is_transient(vonage):
    vonage.answer(
        (200, {"messages": [{"status": "6", "error-text": "Unroutable message - rejected"}]}),
        (200, {"messages": [{"status": "1", "error-text": "Throughput Rate Exceeded"}]}),
    )
    with pytest.raises(ProviderError) as refused:
        VonageSmsProvider().send(SMS)
    assert (refused.value.transient, refused.value.reason) == (False, "SMS refused: Unroutable message - rejected")
    with pytest.raises(ProviderError) as throttled:
        VonageSmsProvider().send(SMS)
    assert throttled.value.transient


@pytest.fixture
def smtp(settings, fake_smtp):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = fake_smtp.host, fake_smtp.port
    settings.EMAIL_USE_TLS = False
    settings.DEFAULT_FROM_EMAIL = "disnaker@serang.example.go.id"
    return fake_smtp


def test_email_goes_through_django_smtp_to_the_server(smtp):
    outgoing = Outgoing(reference="e1", channel="email", to="siti@example.com", subject="Jadwal", body="Halo Siti")
    assert SmtpProvider().send(outgoing) == "<e1@rantau>"
    (mail,) = smtp.mails
    assert mail["to"] == ["<siti@example.com>"]
    assert "Subject: Jadwal" in mail["data"]
    assert "Halo Siti" in mail["data"]
    assert "Message-ID: <e1@rantau>" in mail["data"]


def test_email_server_saying_try_later_is_transient(smtp):
    smtp.refuse_with = "421 too busy, try later"
    outgoing = Outgoing(reference="e2", channel="email", to="siti@example.com", subject="Jadwal", body="Halo")
    with pytest.raises(ProviderError) as caught:
        SmtpProvider().send(outgoing)
    assert caught.value.transient
    assert smtp.mails == []


def test_each_channel_uses_the_outbox_unless_configured(settings):
    assert {provider_for(c).name for c in ("email", "whatsapp", "sms")} == {"outbox"}
    settings.MESSAGING_PROVIDERS = {"email": "smtp", "whatsapp": "whatsapp_cloud", "sms": "vonage"}
    assert [provider_for(c).name for c in ("email", "whatsapp", "sms")] == ["smtp", "whatsapp_cloud", "vonage"]
    settings.MESSAGING_PROVIDERS = {"sms": "whatsapp_cloud"}
    with pytest.raises(ProviderError):
        provider_for("sms")
