"""Transfers between offices: the new office asks by typing the NIK again, the old office accepts
or refuses; until then the new office learns only which office holds the NIK. On acceptance the
record, its documents and history move; both offices see the transfer in the history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from candidates import transfers
from candidates.models import Candidate, PersonalDataRead, Transfer
from tests.conftest import _client_for, make_user
from tests.factories import CandidateFactory, DocumentFactory, PlacementFactory, candidate_form_data, municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(serang):
    candidate = CandidateFactory(
        municipality=serang, full_name="Siti Rahmawati", phone="+6281298765432", address="Jl. Veteran 12"
    )
    DocumentFactory(candidate=candidate, doc_type="passport", number="C7654321")
    return candidate


def _ask(client, nik, reason="Moved to Kota Blitar with her family."):
    return client.post(reverse("candidates:transfer_request"), {"nik": nik, "reason": reason})


def _leaks(html: str, person: Candidate) -> list[str]:
    """Any of the person's data found in a page."""
    values = [person.full_name, person.nik, person.phone, person.phone[3:], person.address, "C7654321"]
    values.append(person.birth_date.strftime("%d/%m/%Y"))
    return [v for v in values if v and v in html]


def test_entry_of_a_nik_held_elsewhere_names_only_the_office_and_offers_a_transfer(blitar_client, person):
    response = blitar_client.post(reverse("candidates:candidate_create"), candidate_form_data(nik=person.nik))
    html = response.content.decode()
    assert f"This NIK is already registered at {person.municipality.name}." in html
    assert 'data-testid="nik-elsewhere"' in html and reverse("candidates:transfer_request") in html
    # Only what was typed comes back (the form echoes the NIK that blitar typed), never the record.
    assert person.full_name not in html and "C7654321" not in html and person.address not in html


def test_the_whole_transfer_flow(blitar_client, staff_client, blitar_staff, serang_staff, blitar, serang, person):
    response = _ask(blitar_client, person.nik)
    transfer = Transfer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("candidates:transfer_detail", args=[transfer.pk])
    assert person.nik not in response["Location"]
    assert (transfer.from_municipality, transfer.to_municipality, transfer.status) == (serang, blitar, "requested")

    # The old office sees the request (with a count on its candidate list) and decides.
    assert transfers.incoming_request_count(serang_staff) == 1
    listing = staff_client.get(reverse("candidates:candidate_list")).content.decode()
    assert 'data-testid="transfers-link"' in listing
    incoming = staff_client.get(reverse("candidates:transfer_list")).content.decode()
    assert person.full_name in incoming[incoming.index('data-testid="incoming-requests"') :]
    response = staff_client.post(reverse("candidates:transfer_accept", args=[transfer.pk]), {"reason": "Checked."})
    assert response.status_code == 302

    person.refresh_from_db()
    transfer.refresh_from_db()
    assert person.municipality == blitar and transfer.status == "accepted" and transfer.decided_by == serang_staff
    # Documents and history move with the record: the new office opens it, the old one no longer.
    page = blitar_client.get(reverse("candidates:candidate_detail", args=[person.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert person.full_name in html and "Transfer between offices" in html and "Passport" in html
    assert person.documents.get().candidate.municipality == blitar
    assert staff_client.get(reverse("candidates:candidate_detail", args=[person.pk])).status_code == 404
    # The new office is asked to update the address, which is still in the former regency.
    new_view = blitar_client.get(reverse("candidates:transfer_detail", args=[transfer.pk])).content.decode()
    assert 'data-testid="update-address"' in new_view and person.full_name in new_view
    assert reverse("candidates:candidate_edit", args=[person.pk]) in new_view
    # The old office keeps the transfer itself, with its history.
    old_view = staff_client.get(reverse("candidates:transfer_detail", args=[transfer.pk])).content.decode()
    assert "Accepted" in old_view and 'data-testid="transfer-history"' in old_view and blitar.name in old_view
    history = transfers.transfer_history(transfer)
    assert [entry.action for entry in history] == ["changed", "created"]
    assert {entry.who for entry in history} == {serang_staff, blitar_staff}


def test_nothing_of_the_person_is_visible_to_the_new_office_before_acceptance(blitar_client, blitar_staff, person):
    _ask(blitar_client, person.nik)
    transfer = Transfer.objects.get()
    for url in [
        reverse("candidates:transfer_detail", args=[transfer.pk]),
        reverse("candidates:transfer_list"),
    ]:
        response = blitar_client.get(url)
        assert response.status_code == 200
        assert _leaks(response.content.decode(), person) == [], url
        assert person.municipality.name in response.content.decode()
    for url in [
        reverse("candidates:candidate_detail", args=[person.pk]),
        reverse("candidates:candidate_data_report", args=[person.pk]),
        reverse("candidates:document_download", args=[person.documents.get().pk]),
    ]:
        assert blitar_client.get(url).status_code == 404
    listing = blitar_client.get(reverse("candidates:candidate_list"), {"q": person.full_name}).content.decode()
    assert reverse("candidates:candidate_detail", args=[person.pk]) not in listing  # no row links to the record
    # Its reads of the transfer page are not reads of the person: nothing in the person's log.
    assert not PersonalDataRead.objects.filter(user=blitar_staff).exists()


def test_the_request_is_refused_for_an_unknown_nik_an_own_nik_or_a_second_open_request(blitar_client, blitar, person):
    own = CandidateFactory(municipality=blitar)
    response = _ask(blitar_client, own.nik)
    assert response.status_code == 200 and "already registered at your office" in response.content.decode()
    unknown = person.nik[:-4] + ("0000" if person.nik[-4:] != "0000" else "0001")
    assert "No office has registered this NIK" in _ask(blitar_client, unknown).content.decode()
    assert "Say why the person moves" in _ask(blitar_client, person.nik, reason=" ").content.decode()
    assert _ask(blitar_client, person.nik).status_code == 302
    assert "already open" in _ask(blitar_client, person.nik).content.decode()
    assert Transfer.objects.count() == 1


def test_an_open_placement_blocks_acceptance_with_a_clear_message(blitar_client, staff_client, person, serang):
    placement = PlacementFactory(candidate=person, stage="in_training")
    _ask(blitar_client, person.nik)
    transfer = Transfer.objects.get()
    page = staff_client.get(reverse("candidates:transfer_detail", args=[transfer.pk])).content.decode()
    assert 'data-testid="transfer-blockers"' in page and placement.programme.name in page
    response = staff_client.post(reverse("candidates:transfer_accept", args=[transfer.pk]), {})
    assert response.status_code == 400
    assert "cannot move while a placement of your office is open" in response.content.decode()
    person.refresh_from_db()
    transfer.refresh_from_db()
    assert person.municipality == serang and transfer.status == "requested"
    # Once the placement is withdrawn, the transfer goes through; the past placement stays with the old office.
    placement.stage = "withdrawn"
    placement.save()
    assert staff_client.post(reverse("candidates:transfer_accept", args=[transfer.pk]), {}).status_code == 302
    placement.refresh_from_db()
    assert placement.municipality == serang and Candidate.objects.get(pk=person.pk).municipality != serang


def test_refusal_needs_a_reason_and_leaves_the_person_where_they_are(blitar_client, staff_client, person, serang):
    _ask(blitar_client, person.nik)
    transfer = Transfer.objects.get()
    url = reverse("candidates:transfer_refuse", args=[transfer.pk])
    response = staff_client.post(url, {"reason": ""})
    assert response.status_code == 400 and "Say why the transfer is refused" in response.content.decode()
    assert staff_client.post(url, {"reason": "Not the same person: the address is in Serang."}).status_code == 302
    transfer.refresh_from_db()
    person.refresh_from_db()
    assert transfer.status == "refused" and person.municipality == serang
    assert "already decided" in staff_client.post(url, {"reason": "again"}).content.decode()
    # The requester may ask again after a refusal (only one OPEN request at a time).
    assert _ask(blitar_client, person.nik).status_code == 302


def test_the_requesting_office_may_cancel_but_not_decide(blitar_client, person):
    _ask(blitar_client, person.nik)
    transfer = Transfer.objects.get()
    assert blitar_client.post(reverse("candidates:transfer_accept", args=[transfer.pk])).status_code == 403
    refuse = reverse("candidates:transfer_refuse", args=[transfer.pk])
    assert blitar_client.post(refuse, {"reason": "x"}).status_code == 403
    assert blitar_client.post(reverse("candidates:transfer_cancel", args=[transfer.pk])).status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == "cancelled"


# --- roles --------------------------------------------------------------------------------------------


def test_officials_may_read_but_not_request_or_decide(official_client, serang_official, blitar_client, person):
    assert official_client.get(reverse("candidates:transfer_request")).status_code == 403
    ask = official_client.post(reverse("candidates:transfer_request"), {"nik": person.nik, "reason": "x"})
    assert ask.status_code == 403
    _ask(blitar_client, person.nik)
    transfer = Transfer.objects.get()
    assert official_client.get(reverse("candidates:transfer_detail", args=[transfer.pk])).status_code == 200
    for name in ("transfer_accept", "transfer_refuse", "transfer_cancel"):
        url = reverse(f"candidates:{name}", args=[transfer.pk])
        assert official_client.post(url, {"reason": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        transfers.transfer_accept(user=serang_official, transfer=transfer)
    assert Transfer.objects.get().status == "requested"


def test_a_third_office_and_the_national_viewer_get_404(blitar_client, national_client, person):
    _ask(blitar_client, person.nik)
    transfer = Transfer.objects.get()
    third = _client_for(make_user("kediri.staff", Role.STAFF, municipality("35.71")))
    for client in (third, national_client):
        assert client.get(reverse("candidates:transfer_detail", args=[transfer.pk])).status_code == 404
        for name in ("transfer_accept", "transfer_refuse", "transfer_cancel"):
            assert client.post(reverse(f"candidates:{name}", args=[transfer.pk]), {"reason": "x"}).status_code == 404
        assert 'data-testid="transfer-row"' not in client.get(reverse("candidates:transfer_list")).content.decode()


def test_anonymous_requests_go_to_the_login_page(client, blitar_client, person):
    _ask(blitar_client, person.nik)
    transfer = Transfer.objects.get()
    for method, url in [
        ("get", reverse("candidates:transfer_list")),
        ("get", reverse("candidates:transfer_request")),
        ("get", reverse("candidates:transfer_detail", args=[transfer.pk])),
        ("post", reverse("candidates:transfer_accept", args=[transfer.pk])),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_service_refuses_a_user_of_another_office(blitar_staff, person):
    transfer = transfers.transfer_request(user=blitar_staff, nik=person.nik, reason="Moved.")
    with pytest.raises(PermissionDenied):
        transfers.transfer_accept(user=blitar_staff, transfer=transfer)
    with pytest.raises(ValidationError):
        transfers.transfer_request(user=blitar_staff, nik=person.nik, reason="Moved again.")


def test_the_transfer_list_costs_the_same_queries_however_many_transfers(staff_client, blitar_staff, serang):
    people = CandidateFactory.create_batch(8, municipality=serang)
    transfers.transfer_request(user=blitar_staff, nik=people[0].nik, reason="Moved.")
    url = reverse("candidates:transfer_list")
    staff_client.get(url)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url)
    for other in people[1:]:
        transfers.transfer_request(user=blitar_staff, nik=other.nik, reason="Moved.")
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(url)
    assert response.content.decode().count('data-testid="transfer-row"') == len(people)
    assert len(many) == len(few)


def test_an_open_request_is_a_reminder_of_the_old_office_until_decided(
    staff_client, serang_staff, blitar_staff, person
):
    from placements.reminders import reminders_count

    before = reminders_count(user=serang_staff)
    transfer = transfers.transfer_request(user=blitar_staff, nik=person.nik, reason="Moved.")
    assert reminders_count(user=serang_staff) == before + 1
    assert reminders_count(user=blitar_staff) == 0  # the asking office has nothing to decide
    page = staff_client.get(reverse("placements:reminders")).content.decode()
    assert "Transfer request waiting for your decision" in page
    assert reverse("candidates:transfer_detail", args=[transfer.pk]) in page
    transfers.transfer_refuse(user=serang_staff, transfer=transfer, reason="Not the same person.")
    assert reminders_count(user=serang_staff) == before
