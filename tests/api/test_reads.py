"""Read endpoints: each resource scoped to the client's municipality (another's id answers 404, as a
missing one), personal fields only with the personal-data scope, cursor pages, the screens'
filters, updated_since for incremental sync, and one error shape for bad input."""

from datetime import timedelta

import pytest
from django.utils import timezone

from candidates.models import Candidate
from placements.models import PlacementStageEvent
from programmes.models import ProgrammeDemand
from tests.factories import (
    CandidateFactory,
    CohortFactory,
    DocumentFactory,
    EnrolmentFactory,
    LanguageResultFactory,
    OccupationFactory,
    PlacementFactory,
    ProgrammeFactory,
    TrainingBatchFactory,
    municipality,
)

from .conftest import error_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    """One of everything in Serang and in Blitar; returns {resource: (serang id, blitar id)}."""
    ids = {}
    for code in ("36.73", "35.72"):
        muni = municipality(code)
        placement = PlacementFactory(candidate=CandidateFactory(municipality=muni))
        PlacementStageEvent.objects.create(
            placement=placement, from_stage="", to_stage="registered", moved_at=timezone.now()
        )
        batch = TrainingBatchFactory(programme=placement.programme, municipality=muni)
        found = {
            "candidates": placement.candidate.pk,
            "documents": DocumentFactory(candidate=placement.candidate).pk,
            "language-results": LanguageResultFactory(candidate=placement.candidate).pk,
            "placements": placement.pk,
            "placement-events": placement.stage_events.get().pk,
            "programmes": placement.programme.pk,
            "agreements": placement.programme.agreement.pk,
            "training-batches": batch.pk,
            "enrolments": EnrolmentFactory(batch=batch, placement=placement).pk,
            "cohorts": CohortFactory(programme=placement.programme, municipality=muni).pk,
        }
        for resource, pk in found.items():
            ids.setdefault(resource, []).append(pk)
    return ids


RESOURCES = [
    "candidates",
    "documents",
    "language-results",
    "placements",
    "placement-events",
    "programmes",
    "agreements",
    "training-batches",
    "enrolments",
    "cohorts",
]


@pytest.mark.parametrize("resource", RESOURCES)
def test_each_list_holds_only_the_clients_municipality(serang_reader, records, resource):
    serang_id, blitar_id = records[resource]
    response = serang_reader.get(f"/api/v1/{resource}/")
    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    assert serang_id in ids
    assert blitar_id not in ids


@pytest.mark.parametrize("resource", RESOURCES)
def test_another_municipalitys_record_answers_404_like_a_missing_one(serang_reader, records, resource):
    serang_id, blitar_id = records[resource]
    assert serang_reader.get(f"/api/v1/{resource}/{serang_id}/").status_code == 200
    other = serang_reader.get(f"/api/v1/{resource}/{blitar_id}/")
    missing = serang_reader.get(f"/api/v1/{resource}/99999999/")
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()
    assert error_of(other)["code"] == "not_found"


def test_personal_fields_are_null_without_the_personal_data_scope(serang_reader, serang_writer, records):
    pk = records["candidates"][0]
    candidate = Candidate.objects.get(pk=pk)
    without = serang_reader.get(f"/api/v1/candidates/{pk}/").json()
    with_scope = serang_writer.get(f"/api/v1/candidates/{pk}/").json()
    assert without["nik"] is None and without["full_name"] is None and without["phone"] is None
    assert without["sex"] == candidate.sex and without["municipality"] == "36.73"
    assert with_scope["nik"] == candidate.nik and with_scope["full_name"] == candidate.full_name
    assert with_scope["version"] == candidate.version
    document = serang_reader.get(f"/api/v1/documents/{records['documents'][0]}/").json()
    assert document["number"] is None and document["doc_type"] == "passport"


def test_cursor_pages_walk_every_record_once(serang_reader, serang):
    made = {CandidateFactory(municipality=serang).pk for _ in range(5)}
    seen, url, pages = [], "/api/v1/candidates/?page_size=2", 0
    while url:
        body = serang_reader.get(url).json()
        seen.extend(row["id"] for row in body["results"])
        url, pages = body["next"], pages + 1
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))
    assert pages == 3


def test_updated_since_returns_what_changed_at_or_after_the_time(serang_reader, serang):
    old = CandidateFactory(municipality=serang)
    new = CandidateFactory(municipality=serang)
    cutoff = timezone.now() - timedelta(hours=1)
    Candidate.objects.filter(pk=old.pk).update(updated_at=cutoff - timedelta(days=1))
    response = serang_reader.get("/api/v1/candidates/", {"updated_since": cutoff.isoformat()})
    assert [row["id"] for row in response.json()["results"]] == [new.pk]


def test_the_screens_filters_apply(serang_reader, serang):
    woman = CandidateFactory(municipality=serang, sex="F")
    CandidateFactory(municipality=serang, sex="M")
    response = serang_reader.get("/api/v1/candidates/", {"sex": "F"})
    assert [row["id"] for row in response.json()["results"]] == [woman.pk]


def test_a_bad_filter_value_answers_400_with_the_field(serang_reader):
    response = serang_reader.get("/api/v1/candidates/", {"updated_since": "yesterday"})
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid" and "updated_since" in error["fields"]


def test_an_unknown_api_path_answers_json_404(serang_reader):
    response = serang_reader.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_programmes_carry_their_demand(serang_reader, records):
    from programmes.models import ProgrammeDemand
    from tests.factories import OccupationFactory

    programme_id = records["programmes"][0]
    ProgrammeDemand.objects.create(programme_id=programme_id, occupation=OccupationFactory(), requested=40)
    body = serang_reader.get(f"/api/v1/programmes/{programme_id}/").json()
    assert [d["requested"] for d in body["demands"]] == [40]


def test_statistics_count_the_clients_municipality_only(serang_reader, records):
    body = serang_reader.get("/api/v1/statistics/").json()
    assert body["candidates"] == [{"municipality": "36.73", "count": 1}]
    assert [(r["municipality"], r["stage"], r["count"]) for r in body["placements"]] == [("36.73", "registered", 1)]


def test_updated_since_with_an_offset_postgresql_refuses_is_read_in_utc(serang_reader, serang):
    # Found by Schemathesis: "+16:48" is valid ISO 8601 but out of PostgreSQL's range (a 500 before).
    CandidateFactory(municipality=serang)
    response = serang_reader.get("/api/v1/candidates/", {"updated_since": "1126-04-13T02:51:37+16:48"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1
    too_early = serang_reader.get("/api/v1/candidates/", {"updated_since": "0001-01-01T00:00:00+10:00"})
    assert too_early.status_code == 400
    assert "updated_since" in error_of(too_early)["fields"]


def test_statistics_report_demand_and_placements_by_occupation_code(serang_reader, serang, blitar):
    nurse = OccupationFactory(name="Asisten perawat", isco_code="5321", kbji_code="5321.01")
    programme = ProgrammeFactory(agreement__municipality=serang)
    ProgrammeDemand.objects.create(programme=programme, occupation=nurse, requested=12)
    for _ in range(2):
        PlacementFactory(candidate=CandidateFactory(municipality=serang), programme=programme, occupation=nurse)
    PlacementFactory(candidate=CandidateFactory(municipality=serang), programme=programme)
    PlacementFactory(candidate=CandidateFactory(municipality=blitar), programme=programme, occupation=nurse)
    body = serang_reader.get("/api/v1/statistics/").json()
    assert body["placements_by_occupation"] == [
        {"municipality": "36.73", "programme": programme.pk, "isco_code": "5321", "kbji_code": "5321.01", "count": 2},
        {"municipality": "36.73", "programme": programme.pk, "isco_code": None, "kbji_code": None, "count": 1},
    ]
    assert body["demand_by_occupation"] == [
        {"programme": programme.pk, "isco_code": "5321", "kbji_code": "5321.01", "requested": 12}
    ]
    occupation = serang_reader.get(f"/api/v1/programmes/{programme.pk}/").json()["demands"][0]["occupation"]
    assert (occupation["isco_code"], occupation["kbji_code"]) == ("5321", "5321.01")
