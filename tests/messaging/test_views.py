"""The pages: send to a list with its preview, the statuses, consent on the person's page, the
template preview; each scoped (other municipality 404, read-only roles 403, anonymous to login)."""

import pytest
from django.utils import timezone

from messaging.models import Broadcast, ContactConsent, Message, MessageTemplate
from tests.factories import (
    CandidateFactory,
    CohortFactory,
    EnrolmentFactory,
    PlacementFactory,
    TrainingBatchFactory,
    consent,
    ready_template,
)
from tests.jobs.runner import run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(serang_staff):
    batch = TrainingBatchFactory(name="EPS-TOPIK Mei")
    for name, channel in [("Siti Aminah", "whatsapp"), ("Dewi Lestari", "whatsapp"), ("Budi Santoso", None)]:
        candidate = CandidateFactory(full_name=name)
        EnrolmentFactory(batch=batch, placement__candidate=candidate, placement__programme=batch.programme)
        if channel:
            consent(candidate, channel, serang_staff)
    return batch


def _send_url(batch, template=None):
    url = f"/messages/send/?source=batch&batch={batch.pk}"
    return url + (f"&template={template.pk}" if template else "")


def test_the_preview_counts_who_receives_it_and_says_who_is_skipped_and_why(staff_client, batch):
    template = ready_template()
    page = staff_client.get(_send_url(batch, template)).content.decode()
    assert 'data-count="2" data-skipped="1"' in page
    assert "Budi Santoso" in page and "no consent to be contacted by WhatsApp" in page
    # The sample is the first recipient's own message.
    assert "Halo Dewi Lestari, pelatihan" in page


def test_sending_queues_the_work_and_the_statuses_page_shows_each_message(staff_client, batch):
    template = ready_template()
    response = staff_client.post(_send_url(batch), {"template": template.pk})
    broadcast = Broadcast.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/messages/{broadcast.pk}/"
    assert (broadcast.source, broadcast.source_label, broadcast.created_by.username) == (
        "batch",
        "EPS-TOPIK Mei",
        "serang.staff",
    )
    page = staff_client.get(f"/messages/{broadcast.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in page  # still preparing: the page polls
    run_jobs()
    page = staff_client.get(f"/messages/{broadcast.pk}/").content.decode()
    assert 'data-finished="true"' in page
    assert page.count('data-message-status="sent"') == 2
    assert page.count('data-message-status="skipped"') == 1
    partial = staff_client.get(f"/messages/{broadcast.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="broadcast-statuses"')


def test_a_cohort_can_be_sent_to(staff_client, serang_staff):
    cohort = CohortFactory(name="Kloter 3", destination_city="Changnyeong")
    placement = PlacementFactory(cohort=cohort, programme=cohort.programme, stage="visa")
    consent(placement.candidate, "sms", serang_staff)
    template = ready_template("departure_briefing", "sms", "en")
    staff_client.post(f"/messages/send/?source=cohort&cohort={cohort.pk}", {"template": template.pk})
    run_jobs()
    message = Message.objects.get()
    assert message.status == "sent"
    assert f"Hello {placement.candidate.full_name}, the {cohort.programme.name} departure briefing" in message.body
    assert "at Changnyeong" in message.body


def test_the_candidate_list_filter_can_be_sent_to(staff_client, serang_staff):
    wanted = CandidateFactory(full_name="Ahmad Fauzi", sex="M")
    CandidateFactory(full_name="Sri Wahyuni", sex="F")
    consent(wanted, "whatsapp", serang_staff)
    template = ready_template("next_season", "whatsapp", "id")
    page = staff_client.get(f"/messages/send/?source=candidates&sex=M&template={template.pk}").content.decode()
    assert 'data-count="1" data-skipped="0"' in page
    staff_client.post("/messages/send/?source=candidates&sex=M", {"template": template.pk})
    run_jobs()
    assert list(Message.objects.values_list("candidate__full_name", "status")) == [("Ahmad Fauzi", "sent")]


def test_the_persons_page_shows_their_messages_and_consents(staff_client, batch):
    staff_client.post(_send_url(batch), {"template": ready_template().pk})
    run_jobs()
    siti = Message.objects.get(candidate__full_name="Siti Aminah").candidate
    page = staff_client.get(f"/candidates/{siti.pk}/").content.decode()
    assert f'hx-get="/messages/candidates/{siti.pk}/"' in page
    section = staff_client.get(f"/messages/candidates/{siti.pk}/").content.decode()
    assert 'data-consent="whatsapp"' in section
    assert "Halo Siti Aminah, pelatihan" in section
    assert 'data-status="sent"' in section


def test_staff_record_and_withdraw_consent_to_be_contacted(staff_client, serang_staff):
    candidate = CandidateFactory()
    today = timezone.localdate().isoformat()
    response = staff_client.post(
        f"/messages/candidates/{candidate.pk}/consent/", {"channel": "email", "given_on": today, "confirmed": "on"}
    )
    assert response.status_code == 302
    consent_row = ContactConsent.objects.get(candidate=candidate)
    assert (consent_row.channel, consent_row.recorded_by) == ("email", serang_staff)
    # A second consent for the same channel is refused with a message; still one row.
    staff_client.post(
        f"/messages/candidates/{candidate.pk}/consent/", {"channel": "email", "given_on": today, "confirmed": "on"}
    )
    assert ContactConsent.objects.filter(candidate=candidate).count() == 1
    staff_client.post(f"/messages/consents/{consent_row.pk}/withdraw/", {"withdrawn_on": today})
    consent_row.refresh_from_db()
    assert consent_row.withdrawn_on == timezone.localdate()
    assert consent_row.withdrawn_recorded_by == serang_staff


def test_the_template_preview_uses_a_real_persons_data(staff_client):
    placement = PlacementFactory(candidate__full_name="Nur Agies")
    template = ready_template("documents_missing", "email", "en")
    page = staff_client.get(f"/messages/templates/{template.pk}/preview/?candidate={placement.candidate.pk}")
    body = page.content.decode()
    assert f"Hello Nur Agies, for {placement.programme.name} these documents are still missing" in body
    assert f"Documents missing for {placement.programme.name}" in body


# --- scoping -------------------------------------------------------------------------------------


def test_officials_and_national_viewers_cannot_send_or_record_consent(official_client, national_client, batch):
    template = ready_template()
    candidate = ContactConsent.objects.first().candidate
    for client in (official_client, national_client):
        assert client.get(_send_url(batch, template)).status_code == 403
        assert client.post(_send_url(batch), {"template": template.pk}).status_code == 403
        consent_url = f"/messages/candidates/{candidate.pk}/consent/"
        assert (
            client.post(consent_url, {"channel": "sms", "given_on": "2025-01-01", "confirmed": "on"}).status_code == 403
        )
        withdraw_url = f"/messages/consents/{candidate.contact_consents.first().pk}/withdraw/"
        assert client.post(withdraw_url, {"withdrawn_on": "2025-01-02"}).status_code == 403
    assert not Broadcast.objects.exists()
    assert ContactConsent.objects.filter(withdrawn_on__isnull=False).count() == 0


def test_an_official_reads_the_statuses_of_a_send(official_client, staff_client, batch):
    staff_client.post(_send_url(batch), {"template": ready_template().pk})
    broadcast = Broadcast.objects.get()
    assert official_client.get(f"/messages/{broadcast.pk}/").status_code == 200
    assert official_client.get("/messages/").status_code == 200


def test_another_municipalitys_lists_people_and_sends_answer_404(blitar_client, staff_client, batch):
    staff_client.post(_send_url(batch), {"template": ready_template().pk})
    broadcast = Broadcast.objects.get()
    consent_row = ContactConsent.objects.first()
    candidate = consent_row.candidate
    cohort = CohortFactory()
    assert blitar_client.get(_send_url(batch, ready_template())).status_code == 404
    assert blitar_client.get(f"/messages/send/?source=cohort&cohort={cohort.pk}").status_code == 404
    assert blitar_client.get(f"/messages/{broadcast.pk}/").status_code == 404
    assert blitar_client.get(f"/messages/candidates/{candidate.pk}/").status_code == 404
    assert blitar_client.get(f"/messages/templates/1/preview/?candidate={candidate.pk}").status_code == 404
    assert (
        blitar_client.post(f"/messages/consents/{consent_row.pk}/withdraw/", {"withdrawn_on": "2025-01-02"}).status_code
        == 404
    )
    assert "EPS-TOPIK Mei" not in blitar_client.get("/messages/").content.decode()


def test_a_send_page_without_a_list_answers_404(staff_client):
    assert staff_client.get("/messages/send/").status_code == 404
    assert staff_client.get("/messages/send/?source=batch&batch=abc").status_code == 404


# --- templates -----------------------------------------------------------------------------------


def test_the_ready_templates_exist_in_both_languages_for_every_channel_and_are_valid():
    ready = MessageTemplate.objects.filter(municipality=None)
    assert ready.count() == 6 * 2 * 3
    assert set(ready.values_list("code", flat=True)) == {
        "training_schedule",
        "documents_missing",
        "departure_briefing",
        "contact_check_abroad",
        "return_debrief",
        "next_season",
    }
    for template in ready:
        template.full_clean()


def test_the_agreement_admin_saves_a_template_and_an_unknown_placeholder_is_refused(admin_client_serang, serang):
    data = {
        "code": "medical_check",
        "name": "Medical check",
        "channel": "sms",
        "language": "en",
        "subject": "",
        "body": "Hello {name}, your medical check is on {date} at {clinic}.",
        "provider_template_id": "",
        "is_active": "on",
    }
    refused = admin_client_serang.post("/admin/messaging/messagetemplate/add/", data)
    assert refused.status_code == 200
    assert "Unknown placeholder: {clinic}." in refused.content.decode()
    assert not MessageTemplate.objects.filter(code="medical_check").exists()
    data["body"] = "Hello {name}, your medical check is on {date} at {place}."
    assert admin_client_serang.post("/admin/messaging/messagetemplate/add/", data).status_code == 302
    assert MessageTemplate.objects.get(code="medical_check").municipality == serang


def test_the_agreement_admin_cannot_change_the_templates_for_every_office(admin_client_serang):
    template = ready_template()
    page = admin_client_serang.get(f"/admin/messaging/messagetemplate/{template.pk}/change/")
    assert page.status_code == 200
    assert 'name="body"' not in page.content.decode()  # read-only
    assert (
        admin_client_serang.post(f"/admin/messaging/messagetemplate/{template.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )


def test_a_whatsapp_template_needs_the_providers_template_name():
    template = MessageTemplate(code="x", name="x", channel="whatsapp", language="id", body="Halo {name}")
    with pytest.raises(Exception) as caught:
        template.full_clean()
    assert "provider_template_id" in caught.value.message_dict


def test_the_candidate_list_offers_to_send_to_its_current_filter(staff_client, official_client):
    CandidateFactory(sex="M")
    page = staff_client.get("/candidates/?sex=M").content.decode()
    assert 'href="/messages/send/?source=candidates&amp;sex=M"' in page
    assert "/messages/send/" not in official_client.get("/candidates/?sex=M").content.decode()
