"""The home dashboard: each programme's funnel against its target, cohorts leaving soon, agreements
needing attention; national viewers get the national view instead."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from programmes.models import StageDuration
from tests.factories import AgreementFactory, CandidateFactory, CohortFactory, PlacementFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def _programme_with_placements(municipality, stages, **fields):
    programme = ProgrammeFactory(
        agreement__municipality=municipality, agreement__partner__municipality=municipality, **fields
    )
    for stage in stages:
        PlacementFactory(candidate=CandidateFactory(municipality=municipality), programme=programme, stage=stage)
    return programme


def _rows(response):
    return {row[0].value: row for row in response.context["tables"]["programmes"].rows}


def test_home_shows_own_programmes_with_a_cumulative_funnel_and_early_ends_apart(official_client, serang, blitar):
    mine = _programme_with_placements(serang, ["registered", "registered", "screened", "ready", "abroad", "withdrawn"])
    theirs = _programme_with_placements(blitar, ["registered"])
    response = official_client.get("/", language="en")
    body = response.content.decode()
    assert mine.name in body and theirs.name not in body
    table = response.context["tables"]["programmes"]
    row = _rows(response)[mine.name]
    counts = {column: cell.value for column, cell in zip(table.columns, row, strict=True)}
    assert (counts["Minimum"], counts["Target"], counts["Maximum"]) == (300, 500, 1000)
    assert counts["Registered"] == 5  # everyone but the withdrawn
    assert counts["Screened"] == 3
    assert counts["In training"] == 2
    assert counts["Ready"] == 2
    assert counts["Departed"] == 1
    assert counts["Abroad"] == 1
    assert counts["Returned"] == 0
    assert counts["Ended early"] == 1
    assert "Each stage counts the placements that have reached it or gone further (cumulative)." in body


def test_funnel_numbers_link_to_the_placement_list_filtered_the_same_way(official_client, serang):
    programme = _programme_with_placements(serang, ["ready", "withdrawn"])
    body = official_client.get("/").content.decode()
    assert f'href="/placements/?programme={programme.pk}&amp;reached=ready" data-count="1"' in body
    assert f'href="/placements/?programme={programme.pk}&amp;stage=ended" data-count="1"' in body


def test_serang_official_sees_no_blitar_numbers_in_a_ministry_programme(official_client, serang, blitar):
    ministry = ProgrammeFactory(agreement=AgreementFactory(municipality=None))
    for municipality, stage in [(serang, "ready"), (blitar, "ready"), (blitar, "departed")]:
        PlacementFactory(candidate=CandidateFactory(municipality=municipality), programme=ministry, stage=stage)
    row = _rows(official_client.get("/", language="en"))[ministry.name]
    assert row[4].value == 1  # registered: Serang's one placement
    assert row[4 + 5].value == 0  # departed


def test_cohorts_departing_in_the_next_60_days_with_their_placements(official_client, serang, blitar):
    programme = _programme_with_placements(serang, [])
    today = timezone.localdate()
    soon = CohortFactory(programme=programme, name="Kloter soon", planned_departure=today + timedelta(days=59))
    CohortFactory(programme=programme, name="Kloter later", planned_departure=today + timedelta(days=61))
    CohortFactory(
        programme=programme,
        name="Kloter gone",
        planned_departure=today + timedelta(days=10),
        actual_departure=today - timedelta(days=1),
        return_due_on=today + timedelta(days=400),
    )
    blitar_programme = _programme_with_placements(blitar, [])
    CohortFactory(programme=blitar_programme, name="Kloter Blitar", planned_departure=today + timedelta(days=5))
    for _ in range(3):
        PlacementFactory(candidate=CandidateFactory(municipality=serang), programme=programme, cohort=soon)
    table = official_client.get("/", language="en").context["tables"]["cohorts"]
    assert [(row[0].value, row[3].value) for row in table.rows] == [("Kloter soon", 3)]
    assert table.rows[0][3].href == f"/placements/?cohort={soon.pk}"


def test_stalled_and_expiring_agreements_are_listed(official_client, serang, blitar):
    today = timezone.localdate()
    StageDuration.objects.update_or_create(stage="loa", defaults={"expected_days": 60})
    stalled = AgreementFactory(
        municipality=serang, title="Stuck at LoA", stage="loa", stage_entered_on=today - timedelta(days=61)
    )
    AgreementFactory(municipality=serang, title="Fresh LoA", stage="loa", stage_entered_on=today - timedelta(days=5))
    expiring = AgreementFactory(
        municipality=serang,
        title="Ends soon",
        stage="active",
        valid_from=today - timedelta(days=900),
        valid_until=today + timedelta(days=30),
    )
    AgreementFactory(
        municipality=blitar, title="Blitar stuck", stage="loa", stage_entered_on=today - timedelta(days=99)
    )
    response = official_client.get("/", language="en")
    dashboard = response.context["dashboard"]
    assert [a.pk for a in dashboard.stalled] == [stalled.pk]
    assert [a.pk for a in dashboard.expiring] == [expiring.pk]
    body = response.content.decode()
    assert "Stuck at LoA" in body and "Ends soon" in body and "Blitar stuck" not in body
    assert "61 days in this stage (expected 60)" in body


def test_home_redirects_anonymous_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_home_answers_405_to_post(official_client):
    assert official_client.post("/").status_code == 405


def _queries(client):
    client.get("/")  # the first request of a session may write the session
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_home_query_count_does_not_grow_with_programmes_or_placements(official_client, serang):
    programme = _programme_with_placements(serang, ["registered"] * 10)
    CohortFactory(programme=programme, planned_departure=timezone.localdate() + timedelta(days=10))
    small = _queries(official_client)
    for _ in range(4):
        more = _programme_with_placements(serang, ["registered", "screened", "ready", "departed", "withdrawn"] * 18)
        CohortFactory(programme=more, planned_departure=timezone.localdate() + timedelta(days=20))
    large = _queries(official_client)
    # session, user, user and group permissions; programmes; one GROUP BY for every funnel; cohorts
    # with their placement counts; stalled agreements; expiring agreements; the reminders count
    # (seven COUNTs: documents, passports, cohorts, agreements, licences, and through placements'
    # reminder sources protection's overdue contacts and scholarships' semester alerts); and the
    # overdue contacts line (one COUNT).
    assert len(large) == len(small), "\n".join(q[:100] for q in large)
    assert len(large) <= 17, "\n".join(q[:100] for q in large)


def test_reminders_count_links_to_the_reminders_page(official_client, serang_official):
    from placements.reminders import reminders_count

    programme = _programme_with_placements(serang_official.municipality, [])
    CohortFactory(programme=programme, planned_departure=timezone.localdate() + timedelta(days=3))
    response = official_client.get("/")
    assert response.context["dashboard"].reminders == reminders_count(user=serang_official)
    assert f'href="/placements/reminders/" data-testid="reminders-count">{reminders_count(user=serang_official)}<' in (
        response.content.decode()
    )


def test_printed_dashboard_carries_its_scope_and_date(official_client):
    body = official_client.get("/", language="en").content.decode()
    meta = body[body.index('data-testid="report-meta"') :][:400]
    assert "Kota Serang" in meta
    assert f"Made on {timezone.localtime():%-d %B %Y}" in meta


def test_overdue_contacts_with_workers_abroad_open_the_filtered_worker_list(official_client, serang, blitar):
    from protection.selectors import overdue_contact_count
    from tests.protection.conftest import abroad_placement

    overdue = abroad_placement(municipality=serang, days_ago=30)  # the interval is 14 days
    abroad_placement(municipality=serang, days_ago=5)  # within the interval
    abroad_placement(municipality=blitar, days_ago=40)  # another municipality's
    response = official_client.get("/", language="en")
    assert response.context["dashboard"].overdue_contacts == 1
    link = 'href="/protection/workers/?state=overdue" data-testid="overdue-contacts">1<'
    assert link in response.content.decode()
    listed = official_client.get("/protection/workers/?state=overdue")
    assert [p.pk for p in listed.context["page_obj"]] == [overdue.pk]
    assert overdue_contact_count(user=response.context["user"]) == 1


def test_a_role_that_does_not_read_contacts_sees_no_overdue_line(admin_client_serang, serang_admin, serang):
    assert not serang_admin.has_perm("protection.view_contact")
    response = admin_client_serang.get("/")
    assert response.status_code == 200
    assert response.context["dashboard"].overdue_contacts is None
    assert 'data-testid="overdue-contacts"' not in response.content.decode()


def test_the_home_table_and_the_programme_dashboard_show_the_same_stage_columns(official_client, serang):
    programme = _programme_with_placements(serang, ["documents_verified", "visa"])
    home = official_client.get("/", language="en").context["tables"]["programmes"]
    dashboard = official_client.get(f"/programmes/{programme.pk}/", language="en")
    home_stages = [str(c) for c in home.columns[4:-1]]
    occupations = dashboard.context["tables"]["occupations"]
    assert "Documents verified" in home_stages and "Visa" in home_stages
    assert [str(c) for c in occupations.columns if str(c) in home_stages] == home_stages
