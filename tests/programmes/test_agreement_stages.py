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
        stage=S.FULL_POWER,
        occurred_on=today,
        note="Surat kuasa (Full Power) dari Kemlu diterima.",
        user=serang_admin,
    )
    serang_agreement.refresh_from_db()
    assert (serang_agreement.stage, serang_agreement.stage_entered_on) == (S.FULL_POWER, today)
    assert (event.previous_stage, event.stage, event.recorded_by) == (S.LOA, S.FULL_POWER, serang_admin)
    assert list(serang_agreement.stage_events.values_list("stage", flat=True)) == [S.LOA, S.FULL_POWER]


def test_moving_forward_without_a_note_is_refused(serang_agreement, today, serang_admin):
    with pytest.raises(ValidationError) as excinfo:
        agreement_move_stage(
            user=serang_admin, agreement=serang_agreement, stage=S.FULL_POWER, occurred_on=today, note="  "
        )
    assert list(_errors(excinfo)) == ["note"]
    serang_agreement.refresh_from_db()
    assert serang_agreement.stage == S.LOA
    assert serang_agreement.stage_events.count() == 1


def test_moving_forward_without_a_date_is_refused(serang_agreement, serang_admin):
    with pytest.raises(ValidationError) as excinfo:
        agreement_move_stage(
            user=serang_admin, agreement=serang_agreement, stage=S.FULL_POWER, occurred_on=None, note="Signed"
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
    assert stage_move_kind(S.LOA, S.FULL_POWER) == "forward"
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
            stage=S.FULL_POWER,
            occurred_on=today + timedelta(days=1),
            note="Signed",
        )
    assert list(_errors(excinfo)) == ["occurred_on"]


def test_a_date_before_the_current_stage_began_is_refused(serang_agreement, serang_admin):
    before = serang_agreement.stage_entered_on - timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        agreement_move_stage(
            user=serang_admin, agreement=serang_agreement, stage=S.FULL_POWER, occurred_on=before, note="Signed"
        )
    assert list(_errors(excinfo)) == ["occurred_on"]


def test_a_pdf_is_stored_under_a_random_name_and_keeps_its_original_name(
    serang_agreement, today, private_media, serang_admin
):
    event = agreement_move_stage(
        user=serang_admin,
        agreement=serang_agreement,
        stage=S.FULL_POWER,
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
            stage=S.FULL_POWER,
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
            stage=S.FULL_POWER,
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


# --- skipping stages of the procedure (issue 18) ----------------------------------------------------

from programmes.services import PassedOver  # noqa: E402


def test_mou_signed_straight_from_kemendagri_facilitation_does_not_silently_skip_the_full_power(
    serang_agreement, serang_admin, today
):
    with pytest.raises(ValidationError) as excinfo:
        agreement_move_stage(
            user=serang_admin, agreement=serang_agreement, stage=S.MOU_SIGNED, occurred_on=today, note="Signed"
        )
    assert list(_errors(excinfo)) == ["skip_full_power_on"]
    serang_agreement.refresh_from_db()
    assert serang_agreement.stage == S.LOA and serang_agreement.stage_events.count() == 1


def test_a_skipped_stage_with_a_date_needs_its_signed_document(serang_agreement, serang_admin, today):
    with pytest.raises(ValidationError) as excinfo:
        agreement_move_stage(
            user=serang_admin,
            agreement=serang_agreement,
            stage=S.MOU_SIGNED,
            occurred_on=today,
            note="Signed",
            passed_over={S.FULL_POWER: PassedOver(occurred_on=today - timedelta(days=2))},
        )
    assert list(_errors(excinfo)) == ["skip_full_power_document"]


def test_a_skipped_stage_is_recorded_with_its_date_and_document(serang_agreement, serang_admin, today):
    agreement_move_stage(
        user=serang_admin,
        agreement=serang_agreement,
        stage=S.MOU_SIGNED,
        occurred_on=today,
        note="MoU ditandatangani.",
        passed_over={
            S.FULL_POWER: PassedOver(occurred_on=today - timedelta(days=2), document=pdf_upload("Full power.pdf"))
        },
    )
    events = list(serang_agreement.stage_events.order_by("occurred_on", "recorded_at"))
    assert [(e.stage, e.previous_stage) for e in events] == [
        (S.LOA, ""),
        (S.FULL_POWER, S.LOA),
        (S.MOU_SIGNED, S.FULL_POWER),
    ]
    assert events[1].occurred_on == today - timedelta(days=2) and events[1].document_name == "Full power.pdf"


def test_a_skipped_stage_is_recorded_with_the_reason_it_was_passed_over(serang_agreement, serang_admin, today):
    agreement_move_stage(
        user=serang_admin,
        agreement=serang_agreement,
        stage=S.MOU_SIGNED,
        occurred_on=today,
        note="MoU ditandatangani.",
        passed_over={S.FULL_POWER: PassedOver(reason="Ditandatangani oleh Wali Kota sendiri di hadapan Kemlu.")},
    )
    skipped = serang_agreement.stage_events.get(stage=S.FULL_POWER)
    assert skipped.reason.startswith("Ditandatangani") and skipped.occurred_on == today


def test_every_skipped_stage_must_be_recorded_and_their_dates_in_order(serang, serang_admin, today):
    agreement = agreement_create(
        user=serang_admin,
        municipality=serang,
        data={
            "government_body": "Pemerintah Kota Serang",
            "partner": PartnerFactory(municipality=serang),
            "title": "Rintisan",
            "kind": "sister_city",
        },
        stage=S.EXPLORATION,
        stage_entered_on=today - timedelta(days=30),
        note="Kunjungan.",
    )
    with pytest.raises(ValidationError) as excinfo:
        agreement_move_stage(
            user=serang_admin,
            agreement=agreement,
            stage=S.DPRD_APPROVAL,
            occurred_on=today,
            note="Disetujui DPRD.",
            passed_over={
                S.LOI: PassedOver(occurred_on=today - timedelta(days=5), document=pdf_upload("LoI.pdf")),
                S.COOPERATION_PLAN: PassedOver(occurred_on=today - timedelta(days=10), document=pdf_upload("RK.pdf")),
            },
        )
    assert list(_errors(excinfo)) == ["skip_cooperation_plan_on"]  # before the LoI of 5 days ago
    assert agreement.stage_events.count() == 1


def test_a_move_to_the_next_stage_or_out_of_the_procedure_skips_nothing():
    assert S.passed_over(S.LOA, S.FULL_POWER) == []
    assert S.passed_over(S.LOA, S.EXPIRED) == []
    assert S.passed_over(S.LOA, S.SUSPENDED) == []
    assert S.passed_over(S.ACTIVE, S.RENEWED) == []
    assert S.passed_over(S.MOU_SIGNED, S.EVALUATION) == [S.ACTIVE]
    assert S.passed_over(S.LOA, S.MOU_SIGNED) == [S.FULL_POWER]


def test_a_ministrys_agreement_does_not_follow_the_regional_procedure(national_agreement, superuser, today):
    national_agreement.stage = S.EXPLORATION
    national_agreement.save(update_fields=["stage"])
    agreement_move_stage(
        user=superuser, agreement=national_agreement, stage=S.ACTIVE, occurred_on=today, note="G2G berlaku."
    )
    national_agreement.refresh_from_db()
    assert national_agreement.stage == S.ACTIVE


def test_the_next_stage_is_preselected(serang_agreement):
    from programmes.forms import StageMoveForm

    assert StageMoveForm(agreement=serang_agreement)["stage"].value() == S.FULL_POWER
    assert S.following(S.ACTIVE) == S.EVALUATION and S.following(S.EXPIRED) is None
