"""The home page: the programmes in the user's scope with placement counts per stage."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CandidateFactory, PlacementFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def _programme_with_placements(municipality, stages):
    programme = ProgrammeFactory(agreement__municipality=municipality, agreement__partner__municipality=municipality)
    for stage in stages:
        PlacementFactory(candidate=CandidateFactory(municipality=municipality), programme=programme, stage=stage)
    return programme


def test_home_shows_own_programmes_with_counts_per_stage(staff_client, serang, blitar):
    mine = _programme_with_placements(serang, ["registered", "registered", "screened", "withdrawn"])
    theirs = _programme_with_placements(blitar, ["registered"])
    response = staff_client.get("/")
    body = response.content.decode()
    assert mine.name in body and theirs.name not in body
    rows = {row.programme.pk: row for row in response.context["rows"]}
    counts = {stage: n for stage, _, n in rows[mine.pk].stage_counts}
    assert counts["registered"] == 2
    assert counts["screened"] == 1
    assert rows[mine.pk].ended_early == 1


def test_home_query_count_does_not_grow_with_programmes(staff_client, serang):
    _programme_with_placements(serang, ["registered"])
    staff_client.get("/")  # the first request of a session also writes the session
    with CaptureQueriesContext(connection) as small:
        staff_client.get("/")
    for _ in range(5):
        _programme_with_placements(serang, ["registered", "screened", "ready"])
    with CaptureQueriesContext(connection) as large:
        staff_client.get("/")
    # session, user with municipality, user and group permissions (scope), programmes, stage counts
    assert len(large) == len(small)
    assert len(large) <= 6, "\n".join(q["sql"][:90] for q in large.captured_queries)


def test_home_redirects_anonymous_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
