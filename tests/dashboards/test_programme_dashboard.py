"""The programme dashboard at /programmes/<id>/: every number checked against the hand-built data set.

The data set (conftest.PEOPLE) has eleven Serang placements in programme P:
registered ×2 (one without occupation), screened, in training, ready, selected, departed, abroad,
returned, withdrawn, absconded. Reached counts follow from the pipeline order.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from dashboards.selectors import HOME_FUNNEL, programme_dashboard
from tests.dashboards.dataset import PEOPLE
from tests.factories import CandidateFactory, PlacementFactory

pytestmark = pytest.mark.django_db

REACHED = {
    "registered": 9,  # all but the two early ends
    "screened": 7,
    "documents_verified": 6,
    "in_training": 6,
    "ready": 5,
    "selected": 4,
    "visa": 3,
    "departed": 3,
    "abroad": 2,
    "returned": 1,
}


def dashboard_for(user, data, programme=None):
    return programme_dashboard(user=user, programme=programme or data.programme, today=data.today)


def test_funnel_counts_placements_that_reached_each_stage_and_early_ends_apart(serang_official, data):
    d = dashboard_for(serang_official, data)
    assert d.funnel.reached == REACHED
    assert d.funnel.ended == 2
    assert d.funnel.ended_by_reason == {
        "withdrawn": 1,
        "failed": 0,
        "medically_unfit": 0,
        "absconded": 1,
        "repatriated": 0,
    }
    assert d.funnel.total == 11


def test_funnel_per_occupation_stands_against_demand(serang_official, data):
    rows = {row.name: row for row in dashboard_for(serang_official, data).occupations}
    nurse, courier, unassigned = rows["Asisten perawat"], rows["Kurir"], rows[""]
    assert (nurse.requested, courier.requested, unassigned.requested) == (4, 2, None)
    # Nurses: 1 registered, 2 screened, 3 in training, 6 departed, 8 returned, 9 withdrawn.
    assert nurse.funnel.reached["registered"] == 5
    assert nurse.funnel.reached["in_training"] == 3
    assert nurse.funnel.reached["departed"] == 2
    assert nurse.funnel.reached["returned"] == 1
    assert nurse.funnel.ended == 1
    # Couriers: 4 ready, 5 selected, 7 abroad, 10 absconded.
    assert courier.funnel.reached["registered"] == 3
    assert courier.funnel.reached["ready"] == 3
    assert courier.funnel.reached["departed"] == 1
    assert courier.funnel.ended_by_reason["absconded"] == 1
    assert unassigned.funnel.reached["registered"] == 1 and unassigned.funnel.total == 1


def test_the_occupation_table_shows_the_isco_and_kbji_codes_and_charts_the_demand(official_client, data):
    response = official_client.get(f"/programmes/{data.programme.pk}/", language="en")
    table = response.context["tables"]["occupations"]
    with translation.override("en"):
        assert [str(c) for c in table.columns[:4]] == ["Occupation", "ISCO-08", "KBJI", "Requested"]
        codes = [(str(row[0].value), row[1].value, row[2].value, row[3].value) for row in table.rows]
    assert codes == [
        ("Asisten perawat", "5321", "5321.01", 4),
        ("Kurir", "9621", "9621", 2),
        ("Not assigned yet", "", "", None),
    ]
    assert table.chart["datasets"][0]["data"] == [4, 2, None]
    assert table.chart["datasets"][1]["data"] == [row[4 + HOME_FUNNEL.index("ready")].value for row in table.rows]


def test_breakdowns_by_sex_age_kecamatan_and_education(serang_official, data):
    d = dashboard_for(serang_official, data)
    as_dict = lambda rows: {b.key: (b.count, b.departed) for b in rows}  # noqa: E731
    # Men: 2, 4, 6, 8, 9, 10 (departed: 6, 8); women: 1, 3, 5, 7, 11 (departed: 7).
    assert as_dict(d.sex) == {"M": (6, 2), "F": (5, 1)}
    # Ages 20, 27, 33, 22, 36, 41, 29, 46, 24, 31, 25.
    assert as_dict(d.age) == {
        "18-24": (3, 0),
        "25-29": (3, 1),
        "30-34": (2, 0),
        "35-39": (1, 0),
        "40-44": (1, 1),
        "45+": (1, 1),
    }
    assert as_dict(d.kecamatan) == {"36.73.01": (7, 2), "36.73.02": (4, 1)}
    assert [b.label for b in d.kecamatan] == ["Serang", "Kasemen"]
    assert as_dict(d.education) == {"smp": (1, 0), "sma": (7, 2), "smk": (2, 1), "d3": (1, 0)}


def test_registrations_and_departures_per_month_fill_the_gaps(serang_official, data):
    months = dashboard_for(serang_official, data).months
    registered = {m.month: m.registered for m in months}
    departed = {m.month: m.departed for m in months}
    assert sum(registered.values()) == 11
    # Departures of 6, 7, 8 and the absconded 10 (he did depart).
    assert sum(departed.values()) == 4
    first = (data.today - timedelta(days=400)).replace(day=1)
    assert months[0].month == first
    assert months[-1].month == data.today.replace(day=1)
    # One row per calendar month, no gaps.
    assert all((b.month - a.month).days in (28, 29, 30, 31) for a, b in zip(months, months[1:], strict=False))
    for key, _stage, _occ, _sex, _age, _kec, _edu, days_ago, departed_after, _c in PEOPLE:
        registered_on = data.today - timedelta(days=days_ago)
        assert registered[registered_on.replace(day=1)] >= 1, key
        if departed_after is not None:
            assert departed[(registered_on + timedelta(days=departed_after)).replace(day=1)] >= 1, key


def test_training_pass_rate_per_provider_leaves_pending_out(serang_official, data):
    providers = {p.name: p for p in dashboard_for(serang_official, data).providers}
    alpha, beta = providers["LPK Alpha"], providers["BBPVP Beta"]
    assert (alpha.enrolled, alpha.passed, alpha.failed, alpha.pending) == (4, 2, 1, 1)
    assert alpha.pass_rate == pytest.approx(2 / 3)
    assert (beta.enrolled, beta.passed, beta.pass_rate) == (1, 1, 1.0)


def test_median_days_from_registration_to_departure_is_read_from_the_summaries(serang_official, data):
    with CaptureQueriesContext(connection) as queries:
        d = dashboard_for(serang_official, data)
    # Departed after 30, 50 and 100 days; the absconded worker (60) ended early and is left out.
    assert d.median_days == 50
    assert d.median_count == 3
    assert d.departed_without_date == 0
    # The whole page reads the summary tables, never the placements or candidates themselves.
    sql = [q["sql"] for q in queries.captured_queries]
    assert any('"dashboards_profilecount"' in q for q in sql)
    assert not any('FROM "placements_placement"' in q or 'FROM "candidates_candidate"' in q for q in sql)


def test_median_of_an_even_number_of_departures_is_the_mean_of_the_middle_two(serang_official, data):
    placement = data.placements[5]
    placement.stage, placement.departed_on = "departed", placement.registered_on + timedelta(days=61)
    placement.save()
    assert dashboard_for(serang_official, data).median_days == 55.5  # 30, 50, 61, 100


def test_projection_extrapolates_the_ready_pace_of_the_last_90_days(serang_official, data):
    projection = dashboard_for(serang_official, data).projection
    # 5 at Ready or beyond; 4 and 5 reached Ready in the last 90 days (9 did too, but withdrew).
    assert projection.reached_ready == 5
    assert projection.ready_in_window == 2
    assert projection.days_left == 120
    assert projection.projected == 5 + round(2 * 120 / 90)  # 8: above the target of 5, below the maximum of 10


def test_programme_page_states_the_projection_and_its_assumption(official_client, data):
    response = official_client.get(f"/programmes/{data.programme.pk}/", language="en")
    body = response.content.decode()
    assert 'data-projection="8"' in body and 'data-projection-level="target"' in body
    assert "On course to meet the target." in body
    assert "It assumes that pace holds" in body
    assert "the pace of the last 90 days" in body


def test_projection_without_a_planned_departure_says_so(official_client, data):
    data.programme.planned_departure = None
    data.programme.save()
    body = official_client.get(f"/programmes/{data.programme.pk}/", language="en").content.decode()
    assert 'data-projection-level="no_date"' in body
    assert "No planned departure date is set" in body


def test_projection_below_the_minimum_is_flagged(official_client, data):
    data.programme.target_min, data.programme.target, data.programme.target_max = 50, 100, 200
    data.programme.save()
    body = official_client.get(f"/programmes/{data.programme.pk}/", language="en").content.decode()
    assert 'data-projection-level="below"' in body
    assert "Below the minimum at the current pace." in body


def test_page_shows_the_funnel_against_the_target_in_both_languages(official_client, data):
    url = f"/programmes/{data.programme.pk}/"
    english = official_client.get(url, language="en").content.decode()
    assert "Funnel against target" in english
    assert "Minimum 3 · target 5 · maximum 10" in english
    assert "Each stage counts the placements that have reached it or gone further (cumulative)." in english
    indonesian = official_client.get(url, language="id").content.decode()
    assert '<html lang="id">' in indonesian
    assert 'data-table="funnel"' in indonesian


def test_page_includes_programme_facts_and_the_shortlist_slot(official_client, data):
    body = official_client.get(f"/programmes/{data.programme.pk}/").content.decode()
    assert 'data-testid="programme-facts"' in body
    assert f'hx-get="/programmes/{data.programme.pk}/shortlist/?partial=1"' in body


def test_every_chart_has_its_data_and_a_table(official_client, data):
    body = official_client.get(f"/programmes/{data.programme.pk}/").content.decode()
    for key in ["funnel", "occupations", "sex", "age", "kecamatan", "education", "months", "providers", "early_ends"]:
        assert f'data-chart="chart-{key}"' in body, key
        assert f'<script id="chart-{key}" type="application/json">' in body, key
        assert f'data-testid="table-{key}"' in body, key


def test_chart_data_are_the_table_numbers(official_client, data):
    response = official_client.get(f"/programmes/{data.programme.pk}/")
    funnel = response.context["tables"]["funnel"]
    assert funnel.chart["datasets"][0]["data"] == list(REACHED.values())
    assert funnel.chart["datasets"][2]["data"] == [5] * len(REACHED)  # the target line


# --- scope ---------------------------------------------------------------------------------------


def test_blitar_user_gets_404_on_a_serang_programme_dashboard(blitar_client, data):
    assert blitar_client.get(f"/programmes/{data.programme.pk}/").status_code == 404


def test_serang_sees_only_serang_placements_of_a_ministry_programme(official_client, serang_official, data):
    d = dashboard_for(serang_official, data, data.national_programme)
    # Blitar has ready, withdrawn and in-training placements there; Serang one screened.
    assert d.funnel.total == 1
    assert d.funnel.reached["screened"] == 1
    assert d.providers == []  # the only enrolment is Blitar's
    body = official_client.get(f"/programmes/{data.national_programme.pk}/", language="en")
    assert 'data-testid="partial-scope"' in body.content.decode()


def test_national_viewer_sees_every_municipality_in_a_ministry_programme(national_viewer, data):
    d = dashboard_for(national_viewer, data, data.national_programme)
    assert d.funnel.total == 4
    assert d.funnel.ended == 1
    assert [(p.name, p.failed) for p in d.providers] == [("LPK Alpha", 1)]


def test_anonymous_visitor_is_sent_to_login(client, data):
    response = client.get(f"/programmes/{data.programme.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_dashboard_answers_405_to_post(official_client, data):
    assert official_client.post(f"/programmes/{data.programme.pk}/").status_code == 405


# --- speed ---------------------------------------------------------------------------------------


def _queries(client, url) -> list[str]:
    client.get(url)  # the first request of a session may write the session
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_query_count_does_not_grow_with_placements(official_client, serang, data):
    url = f"/programmes/{data.programme.pk}/"
    small = _queries(official_client, url)
    occupations = [data.nurse, data.courier, None]
    for n in range(90):
        PlacementFactory(
            candidate=CandidateFactory(municipality=serang, kecamatan_code=f"36.73.0{n % 6 + 1}"),
            programme=data.programme,
            occupation=occupations[n % 3],
            stage=["registered", "ready", "departed", "withdrawn"][n % 4],
            registered_on=data.today - timedelta(days=n * 5),
        )
    large = _queries(official_client, url)
    # session, user, user and group permissions; the programme (with its demand prefetched); then 6
    # aggregates: funnel by occupation; median and Ready pace; sex, age band, kecamatan and education
    # (one GROUP BY); registrations per month; departures per month; training results per provider.
    assert len(large) == len(small), "\n".join(q[:100] for q in large)
    assert len(large) <= 12, "\n".join(q[:100] for q in large)


def test_a_programme_without_placements_shows_zeros(official_client, serang):
    from tests.factories import ProgrammeFactory

    programme = ProgrammeFactory(agreement__municipality=serang, planned_departure=None)
    response = official_client.get(f"/programmes/{programme.pk}/", language="en")
    assert response.status_code == 200
    funnel = response.context["tables"]["funnel"]
    assert [row[1].value for row in funnel.rows] == [0] * len(REACHED)
    assert "No departures yet." in response.content.decode()
