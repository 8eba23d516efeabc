"""Cohort pages: forming, departure and arrival, returns, the partner's manifest; next season."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook

from candidates.models import PersonalDataRead
from placements.models import Cohort, Placement
from tests.factories import (
    CandidateFactory,
    CohortFactory,
    DocumentFactory,
    PlacementFactory,
    ProgrammeFactory,
    complete_placement,
    ruled_programme,
    today,
)

pytestmark = pytest.mark.django_db
EN = {"language": "en"}


def test_a_new_cohort_gets_its_return_date_from_the_season_pattern(staff_client, serang):
    seasonal = ruled_programme(contract_months=None, season_months_abroad=5, season_rest_months=2, season_periods=2)
    response = staff_client.post(
        "/placements/cohorts/new/",
        {"name": "Musim 2027", "programme": seasonal.pk, "planned_departure": "2027-03-01"},
    )
    cohort = Cohort.objects.get(name="Musim 2027")
    assert response["Location"] == f"/placements/cohorts/{cohort.pk}/"
    assert (cohort.municipality, cohort.return_due_on) == (serang, date(2028, 3, 1))


def test_a_cohort_returning_before_it_departs_is_refused_next_to_the_field(staff_client):
    response = staff_client.post(
        "/placements/cohorts/new/",
        {
            "name": "Backwards",
            "programme": ruled_programme().pk,
            "planned_departure": "2027-03-01",
            "return_due_on": "2027-01-01",
        },
        **EN,
    )
    assert b'data-field-error="return_due_on"' in response.content
    assert not Cohort.objects.exists()


def test_selected_placements_join_depart_and_arrive(staff_client):
    programme = ruled_programme()
    cohort = CohortFactory(programme=programme, planned_departure=today() + timedelta(days=3))
    ready = complete_placement(programme=programme)
    Placement.objects.filter(pk=ready.pk).update(stage="visa", cohort=None)
    behind = PlacementFactory(programme=programme, stage="selected")
    response = staff_client.get(f"/placements/cohorts/{cohort.pk}/")
    assert set(response.context["add_form"].fields["placements"].queryset) == {ready, behind}
    response = staff_client.post(
        f"/placements/cohorts/{cohort.pk}/add/", {"placements": [ready.pk, behind.pk]}, follow=True, **EN
    )
    assert [str(m) for m in response.context["messages"]] == ["Added 2 placements."]
    assert set(cohort.placements.all()) == {ready, behind}

    response = staff_client.post(
        f"/placements/cohorts/{cohort.pk}/depart/", {"depart-on_date": today().isoformat()}, follow=True, **EN
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages[0] == "1 placement moved to Departed."
    assert messages[1].startswith(behind.candidate.full_name)
    cohort.refresh_from_db()
    assert cohort.actual_departure == today()
    response = staff_client.post(f"/placements/cohorts/{cohort.pk}/arrive/", {"arrive-on_date": today().isoformat()})
    ready.refresh_from_db()
    behind.refresh_from_db()
    assert (ready.stage, behind.stage) == ("abroad", "selected")


def test_a_departure_in_the_future_is_refused(staff_client):
    cohort = CohortFactory(programme=ruled_programme())
    response = staff_client.post(
        f"/placements/cohorts/{cohort.pk}/depart/",
        {"depart-on_date": (today() + timedelta(days=2)).isoformat()},
        **EN,
    )
    assert b"The date cannot be in the future." in response.content
    cohort.refresh_from_db()
    assert cohort.actual_departure is None


def test_the_manifest_is_english_and_carries_only_what_the_partner_needs(staff_client):
    programme = ruled_programme()
    cohort = CohortFactory(programme=programme, destination_city="Changnyeong")
    placement = PlacementFactory(programme=programme, cohort=cohort, stage="visa", employer="=HYPERLINK(evil)")
    DocumentFactory(candidate=placement.candidate, doc_type="passport", number="C1234567", expires_on=date(2031, 5, 1))
    DocumentFactory(candidate=placement.candidate, doc_type="health", number="H-SECRET")
    PlacementFactory(programme=programme, cohort=cohort, stage="withdrawn", end_reason="x")
    response = staff_client.get(f"/placements/cohorts/{cohort.pk}/manifest.xlsx")
    # Full passport numbers: the file name says so, and the read log has the export with its row count.
    assert response["Content-Disposition"] == f'attachment; filename="manifest-cohort-{cohort.pk}-NIK-lengkap.xlsx"'
    read = PersonalDataRead.objects.get(kind=PersonalDataRead.Kind.EXPORT)
    assert (read.route, read.rows, read.full_identifiers) == ("placements:cohort_manifest", 1, True)
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = rows.index(
        ["No.", "Full name", "Sex", "Date of birth", "Passport number", "Passport expiry", "Occupation", "Employer"]
    )
    people = [r for r in rows[header + 1 :] if r[0]]
    assert len(people) == 1  # the withdrawn placement does not travel
    name, sex, birth, passport, expiry, employer = (
        people[0][1],
        people[0][2],
        people[0][3],
        people[0][4],
        people[0][5],
        people[0][7],
    )
    candidate = placement.candidate
    assert (name, sex, birth.date(), passport, expiry.date()) == (
        candidate.full_name,
        {"M": "Male", "F": "Female"}[candidate.sex],
        candidate.birth_date,
        "C1234567",
        date(2031, 5, 1),
    )
    assert employer == "=HYPERLINK(evil)"  # as it is, in a text cell: never a formula
    flat = " ".join(str(c) for r in rows for c in r if c is not None)
    assert candidate.nik not in flat and "H-SECRET" not in flat
    # In English although the clerk works in Bahasa Indonesia (the default).
    assert rows[2][:2] == ["Destination", "Changnyeong, South Korea"], rows[2]


def test_a_member_can_leave_before_departure_only(staff_client):
    programme = ruled_programme()
    cohort = CohortFactory(programme=programme)
    placement = PlacementFactory(programme=programme, cohort=cohort, stage="selected")
    staff_client.post(f"/placements/cohorts/{cohort.pk}/remove/{placement.pk}/")
    placement.refresh_from_db()
    assert placement.cohort is None


def test_returns_are_recorded_from_the_cohort_page(staff_client):
    programme = ruled_programme()
    cohort = CohortFactory(
        programme=programme,
        planned_departure=today() - timedelta(days=400),
        actual_departure=today() - timedelta(days=400),
        return_due_on=today(),
    )
    placement = PlacementFactory(
        programme=programme, cohort=cohort, stage="abroad", departed_on=today() - timedelta(days=400)
    )
    body = staff_client.get(f"/placements/cohorts/{cohort.pk}/", **EN).content.decode()
    assert f"/placements/{placement.pk}/return/?next=cohort" in body
    response = staff_client.post(
        f"/placements/{placement.pk}/return/",
        {"outcome": "completed", "on_date": today().isoformat(), "next": "cohort"},
    )
    assert response["Location"] == f"/placements/cohorts/{cohort.pk}/"
    placement.refresh_from_db()
    assert (placement.stage, placement.return_outcome) == ("returned", "completed")


# --- next season -----------------------------------------------------------------------------------


def test_a_blitar_returnee_is_invited_to_the_next_season_in_one_step(blitar_client, blitar, only_placements_rules):
    programme = ProgrammeFactory(
        agreement__municipality=blitar,
        scheme="seasonal_e8",
        contract_months=None,
        season_months_abroad=5,
        season_rest_months=2,
        season_periods=2,
    )
    returnee = PlacementFactory(
        candidate=CandidateFactory(municipality=blitar),
        programme=programme,
        stage="returned",
        returned_on=date(2026, 3, 3),
        return_outcome="completed",
    )
    PlacementFactory(
        candidate=CandidateFactory(municipality=blitar),
        programme=programme,
        stage="returned",
        return_outcome="ended_early",
    )
    response = blitar_client.get(f"/placements/next-season/?programme={programme.pk}")
    assert list(response.context["page_obj"]) == [returnee]
    response = blitar_client.post(f"/placements/next-season/{returnee.pk}/invite/", follow=True)
    invited = Placement.objects.get(previous_placement=returnee)
    assert (invited.candidate_id, invited.stage) == (returnee.candidate_id, "registered")
    assert list(response.context["page_obj"]) == []
