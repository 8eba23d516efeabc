"""Agreement pages: list, detail with timeline, create, edit, stage moves. Scoping and roles on each."""

from datetime import timedelta

import pytest

from programmes.models import Agreement, AgreementStage
from programmes.services import agreement_update, programme_update
from tests.factories import AgreementFactory, PartnerFactory
from tests.programmes.conftest import pdf_upload

pytestmark = pytest.mark.django_db
S = AgreementStage
EN = {"language": "en"}


def _move(client, agreement, **data):
    return client.post(f"/agreements/{agreement.pk}/move/", data, **EN)


# --- list ----------------------------------------------------------------------------------------


def test_list_shows_own_and_national_agreements_but_not_other_municipalities(
    official_client, serang_agreement, blitar_agreement, national_agreement
):
    body = official_client.get("/agreements/", **EN).content.decode()
    assert serang_agreement.title in body
    assert national_agreement.title in body
    assert blitar_agreement.title not in body


def test_list_shows_partner_country_kind_stage_date_and_days(official_client, serang_agreement):
    body = official_client.get("/agreements/", **EN).content.decode()
    for text in [str(serang_agreement.partner), "South Korea", "Sister city", "Kemendagri facilitation and LoA"]:
        assert text in body
    assert ">10</td>" in body  # days in stage


def test_list_filters_by_stage_and_country(official_client, serang, serang_agreement):
    japan = AgreementFactory(municipality=serang, title="Japan one", stage=S.ACTIVE, partner__country="JP")
    body = official_client.get("/agreements/?stage=active").content.decode()
    assert japan.title in body and serang_agreement.title not in body
    body = official_client.get("/agreements/?country=KR").content.decode()
    assert serang_agreement.title in body and japan.title not in body


def test_national_viewer_filters_by_municipality(national_client, serang_agreement, blitar_agreement, blitar):
    body = national_client.get(f"/agreements/?municipality={blitar.pk}").content.decode()
    assert blitar_agreement.title in body and serang_agreement.title not in body
    assert 'name="municipality"' in body


def test_municipal_users_get_no_municipality_filter(official_client, serang_agreement):
    assert 'name="municipality"' not in official_client.get("/agreements/").content.decode()


def test_list_answers_405_to_post(admin_client_serang):
    assert admin_client_serang.post("/agreements/").status_code == 405


def test_anonymous_is_sent_to_login(client, serang_agreement):
    for url in ["/agreements/", f"/agreements/{serang_agreement.pk}/", "/agreements/new/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


# --- detail ----------------------------------------------------------------------------------------


def test_official_reads_the_timeline_without_a_move_form(official_client, serang_agreement, serang_programme):
    body = official_client.get(f"/agreements/{serang_agreement.pk}/", **EN).content.decode()
    assert 'data-testid="timeline"' in body
    assert "Menunggu LoA" in body
    assert serang_programme.name in body and "Recruiting" in body
    assert 'data-testid="move-form"' not in body
    assert f"/agreements/{serang_agreement.pk}/edit/" not in body


def test_admin_sees_the_move_form_and_edit_link(admin_client_serang, serang_agreement):
    body = admin_client_serang.get(f"/agreements/{serang_agreement.pk}/").content.decode()
    assert 'data-testid="move-form"' in body
    assert f"/agreements/{serang_agreement.pk}/edit/" in body


def test_other_municipality_gets_404(blitar_client, serang_agreement):
    assert blitar_client.get(f"/agreements/{serang_agreement.pk}/").status_code == 404
    assert blitar_client.get(f"/agreements/{serang_agreement.pk}/edit/").status_code == 404
    assert _move(blitar_client, serang_agreement, stage=S.MOU_SIGNED).status_code == 404


def test_detail_flags_stalled_and_expiring(official_client, serang, today):
    agreement = AgreementFactory(
        municipality=serang,
        stage_entered_on=today - timedelta(days=75),
        valid_from=today - timedelta(days=300),
        valid_until=today + timedelta(days=45),
        auto_renew=True,
    )
    body = official_client.get(f"/agreements/{agreement.pk}/", **EN).content.decode()
    assert 'data-testid="stalled"' in body and "at most 60 days" in body
    assert 'data-testid="expires-soon"' in body and "It renews automatically." in body


def test_detail_shows_the_change_history_with_old_and_new_values(
    admin_client_serang, serang_admin, serang_agreement, today
):
    admin_client_serang.post(
        f"/agreements/{serang_agreement.pk}/edit/",
        {
            "title": "Kota kembar Serang–Changnyeong (revisi)",
            "government_body": serang_agreement.government_body,
            "partner": serang_agreement.partner_id,
            "kind": "g2g",
            "valid_from": "",
            "valid_until": "",
            "summary": "",
        },
    )
    body = admin_client_serang.get(f"/agreements/{serang_agreement.pk}/", **EN).content.decode()
    history = body[body.index('data-testid="history"') :]
    assert "Kind:</span> Sister city → Government to government (G2G)" in history
    assert "Kota kembar Serang–Changnyeong → Kota kembar Serang–Changnyeong (revisi)" in history
    assert str(serang_admin) in history


def test_history_of_a_service_change_without_a_request_is_shown_as_system(
    official_client, serang_agreement, serang_admin
):
    agreement_update(user=serang_admin, agreement=serang_agreement, data={"auto_renew": True})
    body = official_client.get(f"/agreements/{serang_agreement.pk}/", **EN).content.decode()
    assert "Renews automatically:</span> no → yes" in body


def test_detail_answers_405_to_post(admin_client_serang, serang_agreement):
    assert admin_client_serang.post(f"/agreements/{serang_agreement.pk}/").status_code == 405


# --- moves ---------------------------------------------------------------------------------------------


def test_admin_moves_the_agreement_to_mou_signed_with_the_signed_mou(admin_client_serang, serang_agreement, today):
    response = admin_client_serang.post(
        f"/agreements/{serang_agreement.pk}/move/",
        {
            "stage": S.MOU_SIGNED,
            "occurred_on": today.isoformat(),
            "note": "MoU ditandatangani.",
            "document": pdf_upload("MoU signed.pdf"),
            "skip_full_power_reason": "Ditandatangani langsung oleh Wali Kota.",
        },
    )
    assert response.status_code == 302
    serang_agreement.refresh_from_db()
    assert serang_agreement.stage == S.MOU_SIGNED
    event = serang_agreement.stage_events.get(stage=S.MOU_SIGNED)
    body = admin_client_serang.get(f"/agreements/{serang_agreement.pk}/", **EN).content.decode()
    timeline = body[body.index('data-testid="timeline"') : body.index('data-testid="move-form"')]
    assert "MoU signed" in timeline and "MoU ditandatangani." in timeline
    assert f"/agreements/events/{event.pk}/document/" in timeline and "MoU signed.pdf" in timeline


def test_a_move_forward_without_a_note_shows_the_error_next_to_the_note(admin_client_serang, serang_agreement, today):
    response = _move(admin_client_serang, serang_agreement, stage=S.MOU_SIGNED, occurred_on=today.isoformat())
    assert response.status_code == 400
    assert 'data-field-error="note"' in response.content.decode()
    assert "Moving forward needs a note" in response.content.decode()
    serang_agreement.refresh_from_db()
    assert serang_agreement.stage == S.LOA


def test_a_move_back_without_a_reason_shows_the_error_next_to_the_reason(admin_client_serang, serang_agreement, today):
    response = _move(admin_client_serang, serang_agreement, stage=S.DPRD_APPROVAL, occurred_on=today.isoformat())
    assert response.status_code == 400
    assert 'data-field-error="reason"' in response.content.decode()


def test_a_move_without_a_date_shows_the_error_next_to_the_date(admin_client_serang, serang_agreement):
    response = _move(admin_client_serang, serang_agreement, stage=S.MOU_SIGNED, note="Signed")
    assert 'data-field-error="occurred_on"' in response.content.decode()


def test_a_non_pdf_document_is_refused_next_to_the_field(admin_client_serang, serang_agreement, today):
    upload = pdf_upload("mou.pdf", b"<html>not a pdf</html>")
    response = _move(
        admin_client_serang,
        serang_agreement,
        stage=S.MOU_SIGNED,
        occurred_on=today.isoformat(),
        note="x",
        document=upload,
    )
    assert response.status_code == 400
    assert 'data-field-error="document"' in response.content.decode()
    assert serang_agreement.stage_events.count() == 1


def test_official_cannot_move_an_agreement(official_client, serang_agreement, today):
    response = _move(official_client, serang_agreement, stage=S.MOU_SIGNED, occurred_on=today.isoformat(), note="x")
    assert response.status_code == 403
    serang_agreement.refresh_from_db()
    assert serang_agreement.stage == S.LOA


def test_staff_and_national_viewer_cannot_move_an_agreement(staff_client, national_client, serang_agreement, today):
    data = {"stage": S.MOU_SIGNED, "occurred_on": today.isoformat(), "note": "x"}
    assert staff_client.post(f"/agreements/{serang_agreement.pk}/move/", data).status_code == 403
    assert national_client.post(f"/agreements/{serang_agreement.pk}/move/", data).status_code == 403


def test_a_national_agreement_is_read_only_to_a_municipal_admin(admin_client_serang, national_agreement, today):
    assert admin_client_serang.get(f"/agreements/{national_agreement.pk}/").status_code == 200
    body = admin_client_serang.get(f"/agreements/{national_agreement.pk}/").content.decode()
    assert 'data-testid="move-form"' not in body
    data = {"stage": S.EVALUATION, "occurred_on": today.isoformat(), "note": "x"}
    assert admin_client_serang.post(f"/agreements/{national_agreement.pk}/move/", data).status_code == 403
    assert admin_client_serang.get(f"/agreements/{national_agreement.pk}/edit/").status_code == 403


def test_superuser_moves_a_national_agreement(superuser_client, national_agreement, today):
    data = {"stage": S.EVALUATION, "occurred_on": today.isoformat(), "note": "Evaluasi tahunan."}
    assert superuser_client.post(f"/agreements/{national_agreement.pk}/move/", data).status_code == 302
    national_agreement.refresh_from_db()
    assert national_agreement.stage == S.EVALUATION


def test_a_get_of_the_move_returns_to_the_agreement(admin_client_serang, serang_agreement):
    # A reload after a refused move, or the language switch after a form error, lands on the agreement.
    response = admin_client_serang.get(f"/agreements/{serang_agreement.pk}/move/")
    assert response.status_code == 302 and response["Location"] == f"/agreements/{serang_agreement.pk}/"
    assert admin_client_serang.put(f"/agreements/{serang_agreement.pk}/move/").status_code == 405


# --- create and edit -----------------------------------------------------------------------------------


def _agreement_data(partner, **extra):
    return {
        "title": "Kerja sama baru",
        "government_body": "Pemerintah Kota Serang",
        "partner": partner.pk,
        "kind": "sister_city",
        "stage": S.INITIATIVE,
        "stage_entered_on": "2025-07-10",
        "note": "Permintaan dari mitra.",
        "valid_from": "",
        "valid_until": "",
        "summary": "",
        **extra,
    }


def test_admin_creates_an_agreement_for_their_municipality(admin_client_serang, serang):
    partner = PartnerFactory(municipality=serang)
    response = admin_client_serang.post("/agreements/new/", _agreement_data(partner))
    agreement = Agreement.objects.get(title="Kerja sama baru")
    assert response.status_code == 302 and response["Location"] == f"/agreements/{agreement.pk}/"
    assert agreement.municipality == serang
    assert agreement.stage_events.get().note == "Permintaan dari mitra."


def test_validity_end_before_start_is_shown_next_to_the_field(admin_client_serang, serang):
    partner = PartnerFactory(municipality=serang)
    response = admin_client_serang.post(
        "/agreements/new/", _agreement_data(partner, valid_from="2026-01-01", valid_until="2025-01-01"), **EN
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-field-error="valid_until"' in body
    assert not Agreement.objects.filter(title="Kerja sama baru").exists()


def test_another_municipalitys_partner_is_not_offered(admin_client_serang, blitar):
    partner = PartnerFactory(municipality=blitar, name="Yeongdeok County")
    body = admin_client_serang.get("/agreements/new/").content.decode()
    assert "Yeongdeok County" not in body
    response = admin_client_serang.post("/agreements/new/", _agreement_data(partner))
    assert 'data-field-error="partner"' in response.content.decode()


@pytest.mark.parametrize("client_name", ["official_client", "staff_client", "national_client"])
def test_read_only_roles_cannot_create_or_edit(request, client_name, serang_agreement, serang):
    client = request.getfixturevalue(client_name)
    assert client.get("/agreements/new/").status_code == 403
    assert client.post("/agreements/new/", _agreement_data(PartnerFactory(municipality=serang))).status_code == 403
    assert client.get(f"/agreements/{serang_agreement.pk}/edit/").status_code == 403


def test_admin_edits_an_agreement(admin_client_serang, serang_agreement):
    data = {
        "title": serang_agreement.title,
        "government_body": serang_agreement.government_body,
        "partner": serang_agreement.partner_id,
        "kind": "sister_city",
        "valid_from": "2026-01-01",
        "valid_until": "2031-01-01",
        "auto_renew": "on",
        "summary": "",
    }
    response = admin_client_serang.post(f"/agreements/{serang_agreement.pk}/edit/", data)
    assert response.status_code == 302
    serang_agreement.refresh_from_db()
    assert serang_agreement.auto_renew is True and str(serang_agreement.valid_until) == "2031-01-01"
    assert serang_agreement.stage == S.LOA  # the edit form does not touch the stage


def test_create_and_edit_answer_405_to_other_methods(admin_client_serang, serang_agreement):
    assert admin_client_serang.put("/agreements/new/").status_code == 405
    assert admin_client_serang.delete(f"/agreements/{serang_agreement.pk}/edit/").status_code == 405


def test_detail_shows_changes_to_its_programmes(official_client, serang_agreement, serang_programme, serang_admin):
    programme_update(user=serang_admin, programme=serang_programme, data={"target_max": 1200, "status": "training"})
    body = official_client.get(f"/agreements/{serang_agreement.pk}/", **EN).content.decode()
    history = body[body.index('data-testid="programme-history"') :]
    assert serang_programme.name in history
    assert "Target (maximum):</span> 1000 → 1200" in history
    assert "Status:</span> Recruiting → Training" in history


def test_the_move_form_preselects_the_next_stage_and_refuses_a_silent_skip(
    admin_client_serang, serang_agreement, today
):
    page = admin_client_serang.get(f"/agreements/{serang_agreement.pk}/", **EN).content.decode()
    assert '<option value="full_power" selected>' in page
    assert 'data-passed-over-stage="full_power" data-skipped-by="mou_signed active evaluation renewed"' in page
    response = _move(
        admin_client_serang, serang_agreement, stage=S.MOU_SIGNED, occurred_on=today.isoformat(), note="MoU."
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-field-error="skip_full_power_on"' in body and "This move skips “Full Power from Kemlu”" in body
    serang_agreement.refresh_from_db()
    assert serang_agreement.stage == S.LOA
