"""Send to a list from the pages that show one: the shortlist and the reminders (besides a batch, a
cohort and the candidate list). The pages below messaging get the button through an extension point."""

from datetime import timedelta

import pytest

from messaging.models import Broadcast, Message
from tests.factories import (
    CandidateFactory,
    CohortFactory,
    DocumentFactory,
    PlacementFactory,
    consent,
    ready_template,
    ruled_programme,
    today,
)
from tests.jobs.runner import run_jobs

pytestmark = pytest.mark.django_db


def test_the_shortlist_offers_to_send_to_the_list_it_shows(staff_client, official_client, serang, serang_staff):
    programme = ruled_programme(agreement__municipality=serang, name="EPS Korea 2027")
    person = CandidateFactory(municipality=serang, full_name="Siti Aminah")
    consent(person, "whatsapp", serang_staff)
    page = staff_client.get(f"/programmes/{programme.pk}/shortlist/?list=missing").content.decode()
    link = f"/messages/send/?source=shortlist&amp;programme={programme.pk}&amp;list=missing"
    assert link in page
    assert link not in official_client.get(f"/programmes/{programme.pk}/shortlist/?list=missing").content.decode()

    template = ready_template("documents_missing", "whatsapp", "en")
    url = f"/messages/send/?source=shortlist&programme={programme.pk}&list=missing"
    preview = staff_client.get(f"{url}&template={template.pk}").content.decode()
    assert 'data-count="1" data-skipped="0"' in preview and "EPS Korea 2027: missing requirements" in preview
    staff_client.post(url, {"template": template.pk})
    run_jobs()
    message = Message.objects.get()
    assert (message.candidate, message.status, message.broadcast.source) == (person, "sent", "shortlist")
    assert message.body.startswith("Hello Siti Aminah, for EPS Korea 2027 these documents are still missing: ")
    assert "Passport" in message.body


def test_another_municipalitys_shortlist_cannot_be_sent_to(staff_client, blitar):
    programme = ruled_programme(agreement__municipality=blitar)
    assert staff_client.get(f"/messages/send/?source=shortlist&programme={programme.pk}").status_code == 404
    assert staff_client.get("/messages/send/?source=reminders&kind=agreement").status_code == 404
    assert not Broadcast.objects.exists()


def test_the_reminders_offer_to_send_to_the_people_they_are_about(staff_client, serang, serang_staff):
    programme = ruled_programme(agreement__municipality=serang, name="EPS Korea 2027")
    departure = today() + timedelta(days=20)
    cohort = CohortFactory(
        programme=programme, municipality=serang, planned_departure=departure, destination_city="Changnyeong"
    )
    late = PlacementFactory(candidate=CandidateFactory(municipality=serang), programme=programme, cohort=cohort)
    DocumentFactory(candidate=late.candidate, doc_type="health", expires_on=departure - timedelta(days=1))
    consent(late.candidate, "sms", serang_staff)
    fine = PlacementFactory(candidate=CandidateFactory(municipality=serang), programme=programme, stage="visa")
    consent(fine.candidate, "sms", serang_staff)

    page = staff_client.get("/placements/reminders/").content.decode()
    assert "/messages/send/?source=reminders&amp;kind=document" in page
    assert "source=reminders&amp;kind=agreement" not in page

    template = ready_template("departure_briefing", "sms", "en")
    staff_client.post("/messages/send/?source=reminders&kind=document", {"template": template.pk})
    run_jobs()
    message = Message.objects.get()
    assert message.candidate == late.candidate and message.status == "sent"
    assert "at Changnyeong" in message.body
    assert Broadcast.objects.get().source_label == "Document expires before departure"
