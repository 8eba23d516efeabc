"""Agreement documents: private, served only to users who may read the agreement, as attachments."""

import pytest
from django.utils import timezone

from programmes.models import AgreementStage
from programmes.services import PassedOver, agreement_move_stage
from tests.programmes.conftest import PDF_BYTES, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def mou_event(serang_agreement, serang_admin):
    return agreement_move_stage(
        agreement=serang_agreement,
        stage=AgreementStage.MOU_SIGNED,
        occurred_on=timezone.localdate(),
        note="MoU ditandatangani.",
        document=pdf_upload("MoU Serang.pdf"),
        passed_over={AgreementStage.FULL_POWER: PassedOver(reason="Ditandatangani langsung oleh Wali Kota.")},
        user=serang_admin,
    )


def _url(event):
    return f"/agreements/events/{event.pk}/document/"


def test_official_downloads_the_document_as_an_attachment(official_client, mou_event):
    response = official_client.get(_url(mou_event))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="MoU Serang.pdf"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_other_municipality_gets_404(blitar_client, mou_event):
    assert blitar_client.get(_url(mou_event)).status_code == 404


def test_national_viewer_may_download(national_client, mou_event):
    assert national_client.get(_url(mou_event)).status_code == 200


def test_anonymous_is_sent_to_login(client, mou_event):
    response = client.get(_url(mou_event))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_event_without_a_document_answers_404(official_client, serang_agreement):
    event = serang_agreement.stage_events.get()
    assert official_client.get(_url(event)).status_code == 404


def test_download_answers_405_to_post(official_client, mou_event):
    assert official_client.post(_url(mou_event)).status_code == 405


def test_the_stored_file_lives_outside_any_public_url(mou_event, private_media):
    assert (private_media / mou_event.document.name).exists()
    assert "MoU" not in mou_event.document.name
