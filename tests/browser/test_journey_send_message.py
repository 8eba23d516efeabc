"""Staff send the ready training-schedule template to a training batch: the preview counts who
receives it and says who is skipped and why; after sending, the status page updates itself as the
worker sends, and the message shows on the person's page."""

import pytest

from tests.browser.conftest import login, submit
from tests.factories import CandidateFactory, EnrolmentFactory, TrainingBatchFactory, consent
from tests.jobs.runner import run_jobs

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_staff_send_a_template_to_a_training_batch_and_see_the_statuses(page, shot, serang_staff):
    batch = TrainingBatchFactory(name="EPS-TOPIK Mei", provider__name="LPK Maju Jaya")
    siti = CandidateFactory(full_name="Siti Aminah", phone="+6281234567890")
    budi = CandidateFactory(full_name="Budi Santoso")
    for person in (siti, budi):
        EnrolmentFactory(batch=batch, placement__candidate=person, placement__programme=batch.programme)
    consent(siti, "whatsapp", serang_staff)

    login(page, serang_staff.username)
    page.goto(f"{page.base_url}/placements/training/{batch.pk}/")
    submit(page, "[data-testid=send-message]")
    page.select_option("#id_template", label="Jadwal pelatihan (WhatsApp, id)")
    submit(page, "[data-testid=template-form] button[type=submit]")
    count = page.locator("[data-testid=preview-count]")
    assert count.get_attribute("data-count") == "1"
    assert count.get_attribute("data-skipped") == "1"
    assert "Halo Siti Aminah, pelatihan" in page.locator("[data-testid=sample]").inner_text()
    assert "LPK Maju Jaya" in page.locator("[data-testid=sample]").inner_text()
    skipped = page.locator("[data-testid=skipped]").inner_text()
    assert "Budi Santoso" in skipped and "WhatsApp" in skipped
    shot("preview")

    submit(page, "[data-testid=send-form] button[type=submit]")
    assert "/messages/" in page.url
    shot("queued")
    run_jobs()  # the worker: prepares the messages, sends Siti's through the outbox
    # The page polls every 2 s and swaps in the statuses.
    page.wait_for_selector("[data-testid=statuses][data-finished=true]", timeout=10_000)
    assert page.locator("tr[data-message-status=sent]").count() == 1
    assert page.locator("tr[data-message-status=skipped]").count() == 1
    assert "Siti Aminah" in page.locator("tr[data-message-status=sent]").inner_text()
    shot("statuses")

    page.goto(f"{page.base_url}/candidates/{siti.pk}/")
    page.wait_for_selector("[data-testid=candidate-messages] [data-status=sent]")
    assert "Halo Siti Aminah" in page.locator("[data-testid=candidate-messages]").inner_text()
    shot("person")
    assert page.console_errors == []
