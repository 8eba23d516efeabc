"""Requests of data subjects on the 3×24-hour clock (Law 27/2022 Art. 32–34): recorded, shown on
the reminders and the home page while the clock runs, and stopped by the answer."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from candidates.models import Candidate
from placements.reminders import reminder_list
from placements.requirements import CONSENT, Facts
from privacy import services
from privacy.clock import deadline
from privacy.models import DataRequest
from privacy.selectors import request_clock_counts
from tests.factories import CandidateFactory, DocumentFactory

from .conftest import make_request

pytestmark = pytest.mark.django_db


def test_the_answer_is_due_three_times_24_hours_after_receipt(serang_dpo, person):
    request = make_request(user=serang_dpo, candidate=person, hours_ago=0)
    assert request.due_at == request.received_at + timedelta(hours=72)
    assert deadline(request.received_at) - request.received_at == timedelta(days=3)


def test_a_running_clock_is_counted_open_and_overdue_after_72_hours(serang_dpo, person):
    make_request(user=serang_dpo, candidate=person, hours_ago=71)
    make_request(user=serang_dpo, candidate=person, hours_ago=73)
    assert request_clock_counts(user=serang_dpo) == {"open": 2, "overdue": 1}
    # 71 hours old becomes overdue two hours later.
    later = timezone.now() + timedelta(hours=2)
    assert request_clock_counts(user=serang_dpo, now=later) == {"open": 2, "overdue": 2}


def test_open_requests_show_on_the_reminders_and_the_home_page_until_answered(
    serang_dpo, serang_staff, person, dpo_client, staff_client
):
    request = make_request(user=serang_dpo, candidate=person, hours_ago=80)
    items = [r for r in reminder_list(user=serang_staff) if r.kind == "data_request"]
    assert [r.url for r in items] == [reverse("privacy:request_detail", args=[request.pk])]
    assert "overdue since" in items[0].message

    home = dpo_client.get("/")
    assert home.context["dashboard"].data_requests == {"open": 1, "overdue": 1}
    assert b'data-testid="data-requests-overdue"' in home.content
    page = dpo_client.get(reverse("privacy:request_detail", args=[request.pk]))
    assert b'data-clock="overdue"' in page.content

    response = dpo_client.post(
        reverse("privacy:request_answer", args=[request.pk]), {"outcome": "done", "answer_note": "Report handed over"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.answered_by == dpo_client.get("/").wsgi_request.user
    assert request.outcome == "done" and request.answered_at is not None
    assert not [r for r in reminder_list(user=serang_staff) if r.kind == "data_request"]
    assert staff_client.get("/").context["dashboard"].data_requests == {"open": 0, "overdue": 0}
    page = dpo_client.get(reverse("privacy:request_detail", args=[request.pk]))
    assert b'data-clock="stopped"' in page.content and b'data-testid="answer-form"' not in page.content


def test_a_request_is_answered_once(serang_dpo, person):
    request = make_request(user=serang_dpo, candidate=person)
    services.data_request_answer(user=serang_dpo, request=request, outcome="done", note="")
    with pytest.raises(ValidationError):
        services.data_request_answer(user=serang_dpo, request=request, outcome="done", note="")


def test_a_refusal_needs_a_reason_and_only_an_erasure_request_can_be_answered_erased(serang_dpo, person):
    request = make_request(user=serang_dpo, candidate=person)
    with pytest.raises(ValidationError) as refused:
        services.data_request_answer(user=serang_dpo, request=request, outcome="refused", note=" ")
    assert "answer_note" in refused.value.error_dict
    with pytest.raises(ValidationError) as erased:
        services.data_request_answer(user=serang_dpo, request=request, outcome="erased", note="")
    assert "outcome" in erased.value.error_dict
    request.refresh_from_db()
    assert request.answered_at is None


def test_a_request_received_in_the_future_is_refused_next_to_the_field(dpo_client, person):
    later = timezone.localtime() + timedelta(days=1)
    response = dpo_client.post(
        reverse("privacy:request_create", args=[person.pk]),
        {
            "kind": "access",
            "received_at": later.strftime("%Y-%m-%dT%H:%M"),
            "channel": "email",
            "identity_checked_by": dpo_client.get("/").wsgi_request.user.pk,
            "identity_check": "KTP copy by e-mail, called back",
        },
    )
    assert response.status_code == 200
    assert "received_at" in response.context["form"].errors
    assert not DataRequest.objects.exists()


def test_the_officer_records_a_request_from_the_persons_page(dpo_client, serang_dpo, person):
    page = dpo_client.get(reverse("candidates:candidate_detail", args=[person.pk]))
    assert reverse("privacy:request_create", args=[person.pk]).encode() in page.content
    response = dpo_client.post(
        reverse("privacy:request_create", args=[person.pk]),
        {
            "kind": "correction",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "channel": "whatsapp",
            "identity_checked_by": serang_dpo.pk,
            "identity_check": "Video call, KTP shown",
            "details": "Birth place is Cilegon",
        },
    )
    request = DataRequest.objects.get()
    assert response["Location"] == reverse("privacy:request_detail", args=[request.pk])
    assert (request.kind, request.channel, request.identity_checked_by, request.recorded_by) == (
        "correction",
        "whatsapp",
        serang_dpo,
        serang_dpo,
    )
    # Correction links to the existing edit flow (for staff), consent withdrawal to the consent section.
    assert request.municipality_id == person.municipality_id


def test_an_access_request_gives_the_data_report_as_xlsx_with_formulas_as_text(serang_staff, staff_client):
    person = CandidateFactory(full_name='=HYPERLINK("http://x")', notes="+1 call back")
    DocumentFactory(candidate=person, number="B1234567")
    request = make_request(user=serang_staff, candidate=person)
    staff_client.get(reverse("candidates:candidate_detail", args=[person.pk]))  # a read the report lists
    detail = staff_client.get(reverse("privacy:request_detail", args=[request.pk]))
    assert reverse("candidates:candidate_data_report", args=[person.pk]).encode() in detail.content
    response = staff_client.get(reverse("privacy:request_report_xlsx", args=[request.pk]))
    assert response["Content-Disposition"].startswith('attachment; filename="data-report-request-')
    assert person.nik not in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.content))
    profile = {row[0]: row[1] for row in workbook["Profile"].iter_rows(values_only=True)}
    assert profile["NIK"] == person.nik  # staff see the full number, as on the printed report
    # Exact text, stored as text: never a live formula.
    assert profile["Full name"] == '=HYPERLINK("http://x")'
    assert profile["Notes"] == "+1 call back"
    assert "f" not in {cell.data_type for row in workbook["Profile"].iter_rows() for cell in row}
    documents = list(workbook["Documents"].iter_rows(values_only=True))
    assert documents[1][1] == "B1234567"
    assert workbook.sheetnames == [
        "Profile",
        "Documents",
        "Language test results",
        "Record of processing",
        "Change history",
    ]
    # The record of processing (Art. 32) is the one read log: the page view above, by whom.
    reads = list(workbook["Record of processing"].iter_rows(values_only=True))[1:]
    assert [(who, what) for _when, who, what, _detail in reads] == [(str(serang_staff), "Person page viewed")]
    # Producing the file is itself a read of the person's data, logged after the file was written.
    assert person.reads.filter(kind="data_report", detail="xlsx").count() == 1


def test_a_restriction_answered_done_restricts_processing_and_shows_a_banner(serang_dpo, dpo_client, person):
    request = make_request(user=serang_dpo, candidate=person, kind=DataRequest.Kind.RESTRICTION)
    services.data_request_answer(user=serang_dpo, request=request, outcome="done", note="")
    person.refresh_from_db()
    assert person.processing_restricted_on == timezone.localdate()
    page = dpo_client.get(reverse("candidates:candidate_detail", args=[person.pk]))
    assert b'data-testid="restricted-banner"' in page.content


def test_a_restricted_person_fails_the_consent_requirement(serang_dpo, person):
    # The one requirement the gates (moves) and the shortlist (SQL) both read.
    assert CONSENT.check(None, Facts(candidate=person)) == []
    assert Candidate.objects.filter(CONSENT.condition(None), pk=person.pk).exists()
    request = make_request(user=serang_dpo, candidate=person, kind=DataRequest.Kind.RESTRICTION)
    services.data_request_answer(user=serang_dpo, request=request, outcome="done", note="")
    person.refresh_from_db()
    assert [s.short for s in CONSENT.check(None, Facts(candidate=person))] == ["restricted"]
    assert not Candidate.objects.filter(CONSENT.condition(None), pk=person.pk).exists()


def test_an_official_cannot_record_or_answer(serang_official, person, serang_dpo):
    with pytest.raises(PermissionDenied):
        make_request(user=serang_official, candidate=person)
    request = make_request(user=serang_dpo, candidate=person)
    with pytest.raises(PermissionDenied):
        services.data_request_answer(user=serang_official, request=request, outcome="done", note="")
