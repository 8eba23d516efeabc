"""Stage rules: forward needs a date and a note; back, suspending or terminating needs a reason."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from programmes.models import AgreementStage, AgreementStageEvent
from programmes.services import agreement_create, agreement_move_stage, stage_move_kind
from tests.factories import PartnerFactory
from tests.programmes.conftest import PNG_BYTES, pdf_upload

pytestmark = pytest.mark.django_db
S = AgreementStage


def _errors(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_moving_forward_records_the_event_and_the_current_stage(serang_agreement, serang_admin, today):
    event = agreement_move_stage(
        agreement=serang_agreement,
        stage=S.MOU_SIGNED,
        occurred_on=today,
        note="MoU ditandatangani di Changnyeong.",
        user=serang_admin,
    )
    serang_agreement.refresh_from_db()
    assert (serang_agreement.stage, serang_agreement.stage_entered_on) == (S.MOU_SIGNED, today)
    assert (event.previous_stage, event.stage, event.recorded_by) == (S.LOA, S.MOU_SIGNED, serang_admin)
    assert list(serang_agreement.stage_events.values_list("stage", flat=True)) == [S.LOA, S.MOU_SIGNED]


def test_moving_forward_without_a_note_is_refused(serang_agreement, today, serang_admin):
    with pytest.raises(ValidationError) as excinfo:
        agreement_move_stage(
            user=serang_admin, agreement=serang_agreement, stage=S.MOU_SIGNED, occurred_on=today, note="  "
        )
    assert list(_errors(excinfo)) == ["note"]
    serang_agreement.refresh_from_db()
    assert serang_agreement.stage == S.LOA
    assert serang_agreement.stage_events.count() == 1


def test_moving_forward_without_a_date_is_refused(serang_agreement, serang_admin):
    with pytest.raises(ValidationError) as excinfo:
        agreement_move_stage(
            user=serang_admin, agreement=serang_agreement, stage=S.MOU_SIGNED, occurred_on=None, note="Signed"
        )
    assert list(_errors(excinfo)) == ["occurred_on"]


@pytest.mark.parametrize("stage", [S.DPRD_APPROVAL, S.INITIATIVE, S.SUSPENDED, S.TERMINATED])
def test_moving_back_or_interrupting_without_a_reason_is_refused(serang_agreement, today, stage, serang_admin):
    with pytest.raises(ValidationError) as excinfo:
        agreement_move_stage(
            user=serang_admin, agreement=serang_agreement, stage=stage, occurred_on=today, note="a note is not enough"
        )
    assert list(_errors(excinfo)) == ["reason"]
    assert AgreementStageEvent.objects.filter(agreement=serang_agreement).count() == 1


def test_suspending_with_a_reason_needs_no_note(serang_agreement, today, serang_admin):
    event = agreement_move_stage(
        user=serang_admin,
        agreement=serang_agreement,
        stage=S.SUSPENDED,
        occurred_on=today,
        reason="Korea menangguhkan penerimaan.",
    )
    assert event.reason == "Korea menangguhkan penerimaan."
    serang_agreement.refresh_from_db()
    assert serang_agreement.stage == S.SUSPENDED


def test_resuming_after_a_suspension_counts_as_moving_back():
    assert stage_move_kind(S.SUSPENDED, S.ACTIVE) == "backward"
    assert stage_move_kind(S.ACTIVE, S.SUSPENDED) == "interruption"
    assert stage_move_kind(S.LOA, S.MOU_SIGNED) == "forward"
    assert stage_move_kind(S.ACTIVE, S.EXPIRED) == "forward"


def test_the_same_stage_again_is_refused(serang_agreement, today, serang_admin):
    with pytest.raises(ValidationError) as excinfo:
        agreement_move_stage(
            user=serang_admin, agreement=serang_agreement, stage=S.LOA, occurred_on=today, note="again"
        )
    assert "stage" in _errors(excinfo)


def test_a_future_date_is_refused(serang_agreement, today, serang_admin):
    with pytest.raises(ValidationError) as excinfo:
        agreement_move_stage(
            user=serang_admin,
            agreement=serang_agreement,
            stage=S.MOU_SIGNED,
            occurred_on=today + timedelta(days=1),
            note="Signed",
        )
    assert list(_errors(excinfo)) == ["occurred_on"]


def test_a_date_before_the_current_stage_began_is_refused(serang_agreement, serang_admin):
    before = serang_agreement.stage_entered_on - timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        agreement_move_stage(
            user=serang_admin, agreement=serang_agreement, stage=S.MOU_SIGNED, occurred_on=before, note="Signed"
        )
    assert list(_errors(excinfo)) == ["occurred_on"]


def test_a_pdf_is_stored_under_a_random_name_and_keeps_its_original_name(
    serang_agreement, today, private_media, serang_admin
):
    event = agreement_move_stage(
        user=serang_admin,
        agreement=serang_agreement,
        stage=S.MOU_SIGNED,
        occurred_on=today,
        note="Signed",
        document=pdf_upload("MoU Serang Changnyeong.pdf"),
    )
    assert event.document_name == "MoU Serang Changnyeong.pdf"
    assert "Serang" not in event.document.name
    assert event.document.name.endswith(".pdf")
    assert (private_media / event.document.name).read_bytes().startswith(b"%PDF-")


def test_a_file_that_is_not_a_pdf_by_content_is_refused_whatever_its_name(serang_agreement, today, serang_admin):
    with pytest.raises(ValidationError) as excinfo:
        agreement_move_stage(
            user=serang_admin,
            agreement=serang_agreement,
            stage=S.MOU_SIGNED,
            occurred_on=today,
            note="Signed",
            document=pdf_upload("mou.pdf", PNG_BYTES),
        )
    assert list(_errors(excinfo)) == ["document"]
    assert serang_agreement.stage_events.count() == 1


def test_a_pdf_over_10_mb_is_refused(serang_agreement, today, serang_admin):
    big = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)
    with pytest.raises(ValidationError) as excinfo:
        agreement_move_stage(
            user=serang_admin,
            agreement=serang_agreement,
            stage=S.MOU_SIGNED,
            occurred_on=today,
            note="Signed",
            document=pdf_upload("big.pdf", big),
        )
    assert list(_errors(excinfo)) == ["document"]


def test_creating_an_agreement_records_its_first_stage(serang, serang_admin, today):
    partner = PartnerFactory(municipality=serang)
    agreement = agreement_create(
        municipality=serang,
        data={"government_body": "Pemerintah Kota Serang", "partner": partner, "title": "Baru", "kind": "sister_city"},
        stage=S.INITIATIVE,
        stage_entered_on=today,
        note="Surat permintaan diterima.",
        user=serang_admin,
    )
    event = agreement.stage_events.get()
    assert (event.stage, event.occurred_on, event.note, event.recorded_by) == (
        S.INITIATIVE,
        today,
        "Surat permintaan diterima.",
        serang_admin,
    )


def test_an_agreement_cannot_name_another_municipalitys_partner(serang, blitar, today, serang_admin):
    with pytest.raises(ValidationError) as excinfo:
        agreement_create(
            user=serang_admin,
            municipality=serang,
            data={
                "government_body": "Pemkot",
                "partner": PartnerFactory(municipality=blitar),
                "title": "X",
                "kind": "mou",
            },
            stage=S.INITIATIVE,
            stage_entered_on=today,
        )
    assert list(_errors(excinfo)) == ["partner"]
