"""Scoping and roles on every placement view: another office's record → 404, read-only roles → 403 on
writes, the wrong method → 405. (Anonymous visitors are covered by tests/test_url_walker.py.)"""

import pytest

from tests.factories import (
    CandidateFactory,
    CohortFactory,
    EnrolmentFactory,
    PlacementFactory,
    ProgrammeFactory,
    TrainingBatchFactory,
    TrainingProviderFactory,
)

pytestmark = pytest.mark.django_db


def _records(municipality):
    programme = ProgrammeFactory(
        agreement__municipality=municipality, contract_months=None, season_months_abroad=5, season_periods=2
    )
    placement = PlacementFactory(candidate=CandidateFactory(municipality=municipality), programme=programme)
    returnee = PlacementFactory(
        candidate=CandidateFactory(municipality=municipality),
        programme=programme,
        stage="returned",
        return_outcome="completed",
    )
    provider = TrainingProviderFactory(municipality=municipality)
    batch = TrainingBatchFactory(provider=provider, programme=programme, municipality=municipality)
    EnrolmentFactory(batch=batch, placement=placement)
    cohort = CohortFactory(programme=programme, municipality=municipality)
    placement.cohort = cohort
    placement.save()
    return {
        "placement": placement.pk,
        "returnee": returnee.pk,
        "provider": provider.pk,
        "batch": batch.pk,
        "cohort": cohort.pk,
        "programme": programme.pk,
    }


@pytest.fixture
def serang_records(serang):
    return _records(serang)


@pytest.fixture
def blitar_records(blitar):
    return _records(blitar)


# (method, url, kind): kind "read" is open to every role in scope; "write" needs a Staff permission.
OBJECT_VIEWS = [
    ("get", "/placements/{placement}/", "read"),
    ("post", "/placements/{placement}/move/", "write"),
    ("get", "/placements/{placement}/edit/", "write"),
    ("post", "/placements/{placement}/edit/", "write"),
    ("get", "/placements/{placement}/return/", "write"),
    ("get", "/placements/{placement}/language/", "write"),
    ("post", "/placements/next-season/{returnee}/invite/", "write"),
    ("post", "/placements/{placement}/enrol/", "write"),
    ("get", "/placements/training/{batch}/", "read"),
    ("get", "/placements/training/{batch}/roster/", "read"),
    ("get", "/placements/training/{batch}/edit/", "write"),
    ("post", "/placements/training/{batch}/enrol/", "write"),
    ("post", "/placements/training/{batch}/results/", "write"),
    ("get", "/placements/training/providers/{provider}/edit/", "write"),
    ("get", "/placements/cohorts/{cohort}/", "read"),
    ("get", "/placements/cohorts/{cohort}/edit/", "write"),
    ("post", "/placements/cohorts/{cohort}/add/", "write"),
    ("post", "/placements/cohorts/{cohort}/remove/{placement}/", "write"),
    ("post", "/placements/cohorts/{cohort}/depart/", "write"),
    ("post", "/placements/cohorts/{cohort}/arrive/", "write"),
    ("get", "/placements/cohorts/{cohort}/manifest.xlsx", "write"),
    ("get", "/placements/cohorts/{cohort}/siskop2mi.xlsx", "write"),
    ("get", "/placements/cohorts/{cohort}/siskop2mi.csv", "write"),
    ("get", "/placements/cohorts/{cohort}/confirmations/", "write"),
    ("post", "/placements/cohorts/{cohort}/confirmations/", "write"),
    ("post", "/placements/cohorts/{cohort}/confirmations/commit/", "write"),
]
LIST_VIEWS = [
    ("get", "/placements/", "read"),
    ("get", "/placements/?programme={programme}", "read"),
    ("get", "/placements/training/", "read"),
    ("get", "/placements/training/providers/", "read"),
    ("get", "/placements/cohorts/", "read"),
    ("get", "/placements/next-season/?programme={programme}", "read"),
    ("get", "/placements/reminders/", "read"),
    ("get", "/placements/start/", "write"),
    ("post", "/placements/start/", "write"),
    ("get", "/placements/start/occupations/?programme={programme}", "read"),
    ("post", "/placements/next-season/invite/", "write"),
    ("post", "/placements/bulk-move/", "write"),
    ("get", "/placements/training/new/", "write"),
    ("get", "/placements/training/providers/new/", "write"),
    ("get", "/placements/cohorts/new/", "write"),
]


def _statuses(client, views, records) -> dict[str, int]:
    return {
        f"{method.upper()} {url}": getattr(client, method)(url.format(**records)).status_code
        for method, url, *_ in views
    }


# One test per role walks the whole table (one data set, many requests), naming every mismatch.


def test_another_municipalitys_record_answers_404(blitar_client, serang_records):
    statuses = _statuses(blitar_client, OBJECT_VIEWS, serang_records)
    assert {url: s for url, s in statuses.items() if s != 404} == {}


def test_staff_reach_their_own_records(staff_client, serang_records):
    statuses = _statuses(staff_client, OBJECT_VIEWS + LIST_VIEWS, serang_records)
    assert {url: s for url, s in statuses.items() if s not in (200, 302)} == {}


def test_an_official_reads_but_never_writes(official_client, serang_records):
    views = OBJECT_VIEWS + LIST_VIEWS
    statuses = _statuses(official_client, views, serang_records)
    expected = {f"{m.upper()} {u}": 200 if kind == "read" else 403 for m, u, kind in views}
    assert statuses == expected


# What the national viewer reads: lists of programmes' training, providers and cohorts, and the
# placement list as counts; every page that names people answers 403 (Law 27/2022, counts only).
COUNTS_ONLY_READS = {
    "/placements/",
    "/placements/?programme={programme}",
    "/placements/training/",
    "/placements/training/providers/",
    "/placements/cohorts/",
}


def test_the_national_viewer_reads_counts_in_every_municipality_never_a_person_and_never_writes(
    national_client, blitar_records
):
    views = OBJECT_VIEWS + LIST_VIEWS
    statuses = _statuses(national_client, views, blitar_records)
    expected = {f"{m.upper()} {u}": 200 if kind == "read" and u in COUNTS_ONLY_READS else 403 for m, u, kind in views}
    assert statuses == expected


# A GET of an action (a reload after a refused move, the language switch after a form error)
# returns to the object's page.
GET_OF_AN_ACTION = [
    ("/placements/{placement}/move/", "/placements/{placement}/"),
    ("/placements/bulk-move/", "/placements/"),
    ("/placements/{placement}/enrol/", "/placements/{placement}/"),
    ("/placements/next-season/invite/", "/placements/next-season/"),
    ("/placements/next-season/{returnee}/invite/", "/placements/next-season/"),
    ("/placements/training/{batch}/enrol/", "/placements/training/{batch}/"),
    ("/placements/training/{batch}/results/", "/placements/training/{batch}/"),
    ("/placements/cohorts/{cohort}/add/", "/placements/cohorts/{cohort}/"),
    ("/placements/cohorts/{cohort}/depart/", "/placements/cohorts/{cohort}/"),
    ("/placements/cohorts/{cohort}/arrive/", "/placements/cohorts/{cohort}/"),
    ("/placements/cohorts/{cohort}/confirmations/commit/", "/placements/cohorts/{cohort}/confirmations/"),
    ("/placements/cohorts/{cohort}/remove/{placement}/", "/placements/cohorts/{cohort}/"),
]


def test_a_get_of_an_action_returns_to_the_objects_page(staff_client, serang_records):
    locations = {url: staff_client.get(url.format(**serang_records)).get("Location") for url, _ in GET_OF_AN_ACTION}
    assert locations == {url: back.format(**serang_records) for url, back in GET_OF_AN_ACTION}


WRONG_METHOD = [
    ("put", "/placements/{placement}/move/"),
    ("delete", "/placements/bulk-move/"),
    ("post", "/placements/{placement}/"),
    ("post", "/placements/training/"),
    ("post", "/placements/training/{batch}/"),
    ("post", "/placements/training/{batch}/roster/"),
    ("post", "/placements/cohorts/"),
    ("post", "/placements/cohorts/{cohort}/"),
    ("post", "/placements/cohorts/{cohort}/manifest.xlsx"),
    ("post", "/placements/next-season/"),
    ("post", "/placements/reminders/"),
    ("delete", "/placements/{placement}/edit/"),
]


def test_the_wrong_method_answers_405(staff_client, serang_records):
    statuses = _statuses(staff_client, WRONG_METHOD, serang_records)
    assert {url: s for url, s in statuses.items() if s != 405} == {}


def test_a_national_training_provider_is_visible_to_all_and_writable_only_by_superusers(
    staff_client, blitar_client, superuser_client
):
    bbpvp = TrainingProviderFactory(municipality=None, name="BBPVP Serang")
    for client in (staff_client, blitar_client):
        assert "BBPVP Serang" in client.get("/placements/training/providers/").content.decode()
        assert client.get(f"/placements/training/providers/{bbpvp.pk}/edit/").status_code == 403
    assert superuser_client.get(f"/placements/training/providers/{bbpvp.pk}/edit/").status_code == 200


def test_a_national_batch_shows_each_office_only_its_own_enrolments(staff_client, blitar_client, blitar):
    national = ProgrammeFactory(agreement__municipality=None, agreement__partner__municipality=None)
    batch = TrainingBatchFactory(programme=national, municipality=None)
    mine = EnrolmentFactory(batch=batch, placement__programme=national)
    theirs = EnrolmentFactory(
        batch=batch, placement=PlacementFactory(candidate=CandidateFactory(municipality=blitar), programme=national)
    )
    body = staff_client.get(f"/placements/training/{batch.pk}/").content.decode()
    assert mine.placement.candidate.full_name in body
    assert theirs.placement.candidate.full_name not in body
    roster = blitar_client.get(f"/placements/training/{batch.pk}/roster/").content.decode()
    assert theirs.placement.candidate.full_name in roster
    assert mine.placement.candidate.full_name not in roster
