"""Consent (Law 27/2022), the change history from pghistory, and the "all data we hold" report."""

from datetime import timedelta

import pghistory
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from candidates.models import Candidate, CandidateEvent
from candidates.selectors import candidate_history
from tests.factories import CandidateFactory, DocumentFactory, candidate_form_data


@pytest.mark.django_db
def test_staff_records_consent_with_date_version_and_who(staff_client, serang_staff, serang):
    candidate = CandidateFactory(municipality=serang, consent_given_on=None, consent_version="")
    assert not Candidate.objects.with_consent().filter(pk=candidate.pk).exists()
    day = timezone.localdate() - timedelta(days=2)
    response = staff_client.post(
        reverse("candidates:consent_record", args=[candidate.pk]),
        {"given_on": day.isoformat(), "version": "2025-01", "confirmed": "on"},
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.consent_given_on, candidate.consent_version, candidate.consent_taken_by) == (
        day,
        "2025-01",
        serang_staff,
    )
    assert candidate.has_consent and Candidate.objects.with_consent().filter(pk=candidate.pk).exists()


@pytest.mark.django_db
def test_consent_needs_the_signature_tick(staff_client, serang):
    candidate = CandidateFactory(municipality=serang, consent_given_on=None, consent_version="")
    response = staff_client.post(
        reverse("candidates:consent_record", args=[candidate.pk]),
        {"given_on": timezone.localdate().isoformat(), "version": "2025-01"},
    )
    assert response.status_code == 400
    candidate.refresh_from_db()
    assert candidate.consent_given_on is None


@pytest.mark.django_db
def test_withdrawal_excludes_the_candidate_from_with_consent(staff_client, serang):
    candidate = CandidateFactory(municipality=serang, consent_given_on=timezone.localdate() - timedelta(days=10))
    response = staff_client.post(
        reverse("candidates:consent_withdraw", args=[candidate.pk]), {"withdrawn_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.consent_withdrawn_on == timezone.localdate()
    assert not candidate.has_consent
    assert not Candidate.objects.with_consent().filter(pk=candidate.pk).exists()
    detail = staff_client.get(reverse("candidates:candidate_detail", args=[candidate.pk]))
    assert "left out of new placements" in detail.content.decode()


@pytest.mark.django_db
def test_withdrawal_before_consent_date_is_refused(staff_client, serang):
    candidate = CandidateFactory(municipality=serang, consent_given_on=timezone.localdate())
    response = staff_client.post(
        reverse("candidates:consent_withdraw", args=[candidate.pk]),
        {"withdrawn_on": (timezone.localdate() - timedelta(days=5)).isoformat()},
    )
    assert response.status_code == 400
    candidate.refresh_from_db()
    assert candidate.consent_withdrawn_on is None


@pytest.mark.django_db
def test_consent_urls_are_post_only_and_closed_to_officials_and_other_offices(
    staff_client, official_client, blitar_client, serang
):
    candidate = CandidateFactory(municipality=serang)
    url = reverse("candidates:consent_withdraw", args=[candidate.pk])
    assert staff_client.get(url)["Location"] == reverse("candidates:candidate_detail", args=[candidate.pk])
    assert official_client.post(url, {"withdrawn_on": timezone.localdate().isoformat()}).status_code == 403
    assert blitar_client.post(url, {"withdrawn_on": timezone.localdate().isoformat()}).status_code == 404
    candidate.refresh_from_db()
    assert candidate.consent_withdrawn_on is None


@pytest.mark.django_db
def test_history_shows_who_changed_which_field_from_what_to_what(staff_client, serang_staff):
    staff_client.post(reverse("candidates:candidate_create"), candidate_form_data())
    candidate = Candidate.objects.get()
    data = candidate_form_data(full_name="Nur Agies Saputra", version=1)
    assert staff_client.post(reverse("candidates:candidate_edit", args=[candidate.pk]), data).status_code == 302

    with translation.override("en"):  # the requests above switched to the default language
        entries = candidate_history(candidate)
    assert [e.action for e in entries] == ["changed", "created"]
    assert all(e.who == serang_staff for e in entries)
    change = entries[0].changes
    assert [(c.label, c.old, c.new) for c in change] == [("full name", "Nur Agies Pratama", "Nur Agies Saputra")]

    body = staff_client.get(reverse("candidates:candidate_detail", args=[candidate.pk])).content.decode()
    history = body.split('data-testid="history"')[1]
    assert "serang.staff" in history or str(serang_staff) in history
    assert "Nur Agies Pratama" in history and "Nur Agies Saputra" in history


@pytest.mark.django_db
def test_a_queryset_update_is_recorded_in_the_history(serang, serang_staff):
    candidate = CandidateFactory(municipality=serang, education="sma")
    with pghistory.context(user=serang_staff.pk):
        Candidate.objects.filter(pk=candidate.pk).update(education="smk")
    assert CandidateEvent.objects.filter(pgh_obj=candidate, education="smk").exists()
    latest = candidate_history(candidate)[0]
    assert latest.who == serang_staff
    assert [(c.old, c.new) for c in latest.changes] == [("Senior secondary (SMA)", "Vocational secondary (SMK)")]


@pytest.mark.django_db
def test_document_changes_appear_in_the_candidate_history(serang):
    candidate = CandidateFactory(municipality=serang)
    document = DocumentFactory(candidate=candidate, doc_type="passport", number="C1234567")
    type(document).objects.filter(pk=document.pk).update(number="C7654321")
    # One test transaction gives every event the same timestamp, so pick the change by kind.
    changed = [e for e in candidate_history(candidate, mask_identifiers=False) if e.action == "changed"]
    assert [e.what for e in changed] == ["Document: Passport"]
    assert [(c.old, c.new) for c in changed[0].changes] == [("C1234567", "C7654321")]
    masked = [e for e in candidate_history(candidate) if e.action == "changed"][0].changes[0]
    assert "C1234567" not in masked.old and masked.old.startswith("C1")


@pytest.mark.django_db
def test_official_sees_masked_nik_on_detail_and_staff_the_full_one(staff_client, official_client, serang):
    candidate = CandidateFactory(municipality=serang)
    url = reverse("candidates:candidate_detail", args=[candidate.pk])
    staff_body = staff_client.get(url).content.decode()
    official_body = official_client.get(url).content.decode()
    assert candidate.nik in staff_body
    assert candidate.nik not in official_body
    assert f"{candidate.nik[:4]}••••••••{candidate.nik[-4:]}" in official_body


@pytest.mark.django_db
def test_data_report_holds_profile_documents_consent_downloads_and_history(staff_client, serang):
    candidate = CandidateFactory(municipality=serang)
    DocumentFactory(candidate=candidate, doc_type="passport", number="C1234567")
    response = staff_client.get(reverse("candidates:candidate_data_report", args=[candidate.pk]))
    body = response.content.decode()
    assert 'data-testid="data-report"' in body
    for expected in (candidate.nik, candidate.full_name, "C1234567", "Consent given on", "Change history"):
        assert expected in body
    assert "<script>" not in body and "js/candidates.js" in body  # the print button lives in a static file


@pytest.mark.django_db
def test_data_report_of_another_municipality_is_404(blitar_client, serang):
    candidate = CandidateFactory(municipality=serang)
    assert blitar_client.get(reverse("candidates:candidate_data_report", args=[candidate.pk])).status_code == 404
