"""The national view: municipalities side by side, counts only, for users who read every municipality."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import AgreementFactory, CandidateFactory, PlacementFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def _rows(response):
    table = response.context["tables"]["municipalities"]
    return {row[0].value: [cell.value for cell in row[1:]] for row in table.rows}


def test_national_viewer_home_is_the_national_view_with_every_municipality(national_client, data):
    response = national_client.get("/", language="en")
    assert response.templates[0].name == "dashboards/national.html"
    rows = _rows(response)
    # programmes, candidates, placements, reached departure, returned, ended early
    assert rows["Kota Serang"] == [1, 12, 12, 3, 1, 2]
    assert rows["Kota Blitar"] == [1, 4, 4, 1, 0, 1]
    footer = [cell.value for cell in response.context["tables"]["municipalities"].footer[1:]]
    assert footer == [2, 16, 16, 4, 1, 3]
    assert "Ministry programmes (run for every office): 1." in response.content.decode()


def test_national_view_names_no_person(national_client, data):
    body = national_client.get("/").content.decode()
    for placement in data.placements.values():
        assert placement.candidate.full_name not in body
        assert placement.candidate.nik not in body


def test_national_view_links_counts_to_the_municipality_filtered_list(national_client, serang, data):
    body = national_client.get("/").content.decode()
    assert f'href="/placements/?municipality={serang.pk}&amp;reached=departed" data-count="3"' in body


def test_municipal_official_gets_403_on_the_national_view(official_client):
    assert official_client.get("/national/").status_code == 403


def test_superuser_has_the_national_view_at_its_own_address(superuser_client, data):
    assert superuser_client.get("/").templates[0].name == "dashboards/home.html"
    rows = _rows(superuser_client.get("/national/"))
    assert set(rows) == {"Kota Serang", "Kota Blitar"}


def test_national_view_query_count_does_not_grow_with_municipalities_or_placements(national_client, serang, blitar):
    def add(municipality, n):
        programme = ProgrammeFactory(agreement=AgreementFactory(municipality=municipality))
        for stage in ["registered", "departed", "returned", "withdrawn"] * n:
            PlacementFactory(candidate=CandidateFactory(municipality=municipality), programme=programme, stage=stage)

    add(serang, 1)
    national_client.get("/")
    with CaptureQueriesContext(connection) as small:
        national_client.get("/")
    for municipality in [serang, blitar]:
        add(municipality, 10)
    with CaptureQueriesContext(connection) as large:
        national_client.get("/")
    # session, user, user and group permissions; programmes, candidates, placements per municipality;
    # municipality names; the programme list and its funnels.
    assert len(large) == len(small)
    assert len(large) <= 10, "\n".join(q["sql"][:100] for q in large.captured_queries)
