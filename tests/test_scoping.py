"""Scoping and roles: other municipalities' records answer 404, read-only roles cannot write."""

import pytest

from tests.factories import CandidateFactory, PlacementFactory, ProgrammeFactory, municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def blitar_records(blitar):
    candidate = CandidateFactory(municipality=blitar)
    placement = PlacementFactory(candidate=candidate)
    return {"candidate": candidate, "placement": placement, "programme": placement.programme}


@pytest.fixture
def serang_records(serang):
    candidate = CandidateFactory(municipality=serang)
    placement = PlacementFactory(candidate=candidate)
    return {"candidate": candidate, "placement": placement, "programme": placement.programme}


def _urls(records):
    return {
        "candidate": f"/candidates/{records['candidate'].pk}/",
        "placement": f"/placements/{records['placement'].pk}/",
        "programme": f"/programmes/{records['programme'].pk}/",
        "agreement": f"/agreements/{records['programme'].agreement_id}/",
    }


@pytest.mark.parametrize("kind", ["candidate", "placement", "programme", "agreement"])
def test_serang_staff_gets_404_for_blitar_records(staff_client, blitar_records, kind):
    assert staff_client.get(_urls(blitar_records)[kind]).status_code == 404


@pytest.mark.parametrize("kind", ["candidate", "placement", "programme", "agreement"])
def test_serang_staff_reads_serang_records(staff_client, serang_records, kind):
    response = staff_client.get(_urls(serang_records)[kind])
    assert response.status_code == 200
    shown = {
        "candidate": serang_records["candidate"].full_name,
        "placement": serang_records["candidate"].full_name,
        "programme": serang_records["programme"].name,
        "agreement": serang_records["programme"].agreement.title,
    }[kind]
    assert shown in response.content.decode()


@pytest.mark.parametrize("kind", ["programme", "agreement"])
def test_national_viewer_reads_every_municipality(national_client, serang_records, blitar_records, kind):
    for records in (serang_records, blitar_records):
        assert national_client.get(_urls(records)[kind]).status_code == 200


@pytest.mark.parametrize("kind", ["candidate", "placement"])
def test_national_viewer_never_opens_a_persons_page(national_client, serang_records, blitar_records, kind):
    # Counts only (Law 27/2022): a person's page answers 403 in every municipality.
    for records in (serang_records, blitar_records):
        assert national_client.get(_urls(records)[kind]).status_code == 403


def test_candidate_list_shows_only_own_municipality(staff_client, serang_records, blitar_records):
    body = staff_client.get("/candidates/").content.decode()
    assert serang_records["candidate"].full_name in body
    assert blitar_records["candidate"].full_name not in body


def test_national_programme_is_visible_to_every_office(staff_client, blitar_client, db):
    national = ProgrammeFactory(agreement__municipality=None, agreement__partner__municipality=None)
    assert staff_client.get(f"/programmes/{national.pk}/").status_code == 200
    assert blitar_client.get(f"/programmes/{national.pk}/").status_code == 200


def test_scope_helper_denies_a_user_without_municipality_or_national_role(client, db):
    from accounts.models import User

    orphan = User.objects.create_user(username="orphan", password="x-very-long-pass")
    client.force_login(orphan)
    candidate = CandidateFactory(municipality=municipality("36.73"))
    # No municipality and no role: refused before any look-up (accounts.access.may_see_persons).
    assert client.get(f"/candidates/{candidate.pk}/").status_code == 403
