"""The eligibility shortlist: a table of candidates who each miss exactly one rule (and one who meets
all), the exact reasons, a query count that does not grow with the candidates, scoping and roles.
How each requirement's SQL and Python agree is tested in test_requirements.py."""

import re
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format

from candidates.models import Candidate
from core.dates import add_months
from placements import eligibility
from placements.eligibility import Criteria
from programmes.models import AgreementStage, AgreementStageEvent
from tests.factories import (
    AgreementFactory,
    CandidateFactory,
    DocumentFactory,
    EnrolmentFactory,
    LanguageResultFactory,
    PlacementFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db
EN = {"language": "en"}


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def serang_agreement(serang, today):
    """Serang's sister-city agreement, at the LoA stage (candidates are shortlisted before it is signed)."""
    agreement = AgreementFactory(
        municipality=serang, title="Kota kembar Serang–Changnyeong", stage_entered_on=today - timedelta(days=10)
    )
    AgreementStageEvent.objects.create(
        agreement=agreement, stage=AgreementStage.LOA, occurred_on=agreement.stage_entered_on, note="Menunggu LoA"
    )
    return agreement


@pytest.fixture
def programme(serang_agreement, today):
    """Women aged 18–39 with SMA, JLPT N4, 100 training hours, a health certificate, and a passport
    valid 6 months beyond the return from a 36-month contract."""
    return ProgrammeFactory(
        agreement=serang_agreement,
        name="Kaigo Japan",
        planned_departure=today + timedelta(days=100),
        contract_months=36,
        min_age=18,
        max_age=39,
        required_sex="F",
        min_education="sma",
        language_test="jlpt",
        min_language_score=4,
        min_training_hours=100,
        health_certificate_required=True,
        passport_months_beyond_return=6,
    )


@dataclass
class Person:
    """A candidate who meets every rule of `programme` unless told otherwise."""

    age: int = 25
    sex: str = "F"
    education: str = "sma"
    consent: str = "given"  # given, none, withdrawn
    jlpt: int | None = 4
    jlpt_expired: bool = False
    training_hours: int = 120
    health: str = "valid"  # valid, none, unverified, expired, expiring (before departure)
    passport: str = "valid"  # valid, short, none
    placements_here: list[str] = field(default_factory=list)
    municipality: str = "serang"


def make(name: str, person: Person, programme, today, munis) -> Candidate:
    criteria = Criteria.for_programme(programme, today=today)
    born = add_months(criteria.departure, -12 * person.age) - timedelta(days=10)
    candidate = CandidateFactory(
        full_name=name,
        sex=person.sex,
        birth_date=born,
        education=person.education,
        municipality=munis[person.municipality],
        consent_given_on=None if person.consent == "none" else today - timedelta(days=30),
        consent_withdrawn_on=today - timedelta(days=1) if person.consent == "withdrawn" else None,
    )
    if person.jlpt is not None:
        LanguageResultFactory(
            candidate=candidate,
            test="jlpt",
            score=person.jlpt,
            taken_on=today - timedelta(days=400),
            valid_until=today - timedelta(days=1) if person.jlpt_expired else None,
        )
    if person.training_hours:
        earlier = PlacementFactory(candidate=candidate, stage="returned")
        EnrolmentFactory(placement=earlier, attended_hours=person.training_hours, result="passed")
    if person.health != "none":
        expires = {
            "expired": today - timedelta(days=1),
            "expiring": criteria.departure - timedelta(days=1),
        }.get(person.health, criteria.departure + timedelta(days=90))
        DocumentFactory(
            candidate=candidate,
            doc_type="health",
            issued_on=today - timedelta(days=200),
            expires_on=expires,
            verified_at=None if person.health == "unverified" else timezone.now(),
        )
    if person.passport != "none":
        delta = timedelta(days=30) if person.passport == "valid" else -timedelta(days=1)
        DocumentFactory(
            candidate=candidate,
            doc_type="passport",
            issued_on=today - timedelta(days=100),
            expires_on=criteria.passport_valid_until + delta,
        )
    for stage in person.placements_here:
        PlacementFactory(candidate=candidate, programme=programme, stage=stage)
    return candidate


def _passport_reason(programme, today):
    criteria = Criteria.for_programme(programme, today=today)
    with translation.override("en"):
        short = date_format(criteria.passport_valid_until - timedelta(days=1), "j M Y")
        needed = date_format(criteria.passport_valid_until, "j M Y")
    return f"passport expires before planned return ({short}, needs {needed})"


# name → (the person, the reasons they miss; None: not listed at all)
TABLE = {
    "Meets All": (Person(), []),
    "Meets With N3": (Person(jlpt=3), []),  # JLPT counts down: N3 is above N4
    "Back From Earlier Season": (Person(placements_here=["returned"]), []),
    "Too Young": (Person(age=17), [("age_min", "age 17, min 18")]),
    "Too Old": (Person(age=41), [("age_max", "age 41, max 39")]),
    "A Man": (Person(sex="M"), [("sex", "needs female")]),
    "Only SMP": (Person(education="smp"), [("education", "education SMP, needs SMA")]),
    "JLPT N5": (Person(jlpt=5), [("language", "JLPT N5, needs N4")]),
    "No Language Test": (Person(jlpt=None), [("language", "no valid JLPT result, needs N4")]),
    "Expired Language Test": (Person(jlpt_expired=True), [("language", "no valid JLPT result, needs N4")]),
    "Little Training": (Person(training_hours=50), [("training", "training 50 h, needs 100 h")]),
    "No Health Certificate": (Person(health="none"), [("documents", "missing Health certificate")]),
    "Unverified Health Certificate": (Person(health="unverified"), [("documents", "not verified: Health certificate")]),
    "Expired Health Certificate": (Person(health="expired"), [("documents", "expired: Health certificate")]),
    "Health Certificate Ends Before Departure": (
        Person(health="expiring"),
        [("documents", "expires before departure: Health certificate")],
    ),
    "Short Passport": (Person(passport="short"), "passport"),
    "No Passport": (Person(passport="none"), [("passport", "no passport")]),
    "No Consent": (Person(consent="none"), [("consent", "no consent")]),
    "Consent Withdrawn": (Person(consent="withdrawn"), [("consent", "no consent")]),
    "Already In Programme": (Person(placements_here=["screened"]), None),
    "Lives In Blitar": (Person(municipality="blitar"), None),
}


@pytest.fixture
def table(programme, today, serang, blitar):
    munis = {"serang": serang, "blitar": blitar}
    people = {name: make(name, person, programme, today, munis) for name, (person, _) in TABLE.items()}
    expected = {}
    for name, (_, reasons) in TABLE.items():
        expected[name] = [("passport", _passport_reason(programme, today))] if reasons == "passport" else reasons
    return people, expected


def test_each_candidate_misses_exactly_the_rule_they_break(programme, table, serang_staff, today):
    people, expected = table
    criteria = Criteria.for_programme(programme, today=today)
    eligible = list(criteria.eligible(serang_staff))
    missing = criteria.with_reasons(list(criteria.ineligible(serang_staff).values_list("pk", flat=True)))
    assert {c.full_name for c in eligible} == {n for n, r in expected.items() if r == []}
    with translation.override("en"):
        got = {c.full_name: criteria.reasons(c) for c in missing}
    assert got == {n: r for n, r in expected.items() if r}


def test_the_page_shows_the_reasons_next_to_each_candidate(staff_client, programme, table):
    people, expected = table
    body = staff_client.get(f"/programmes/{programme.pk}/shortlist/?list=missing", **EN).content.decode()
    for name, reasons in expected.items():
        row = re.search(rf'<tr data-candidate="{people[name].pk}">(.*?)</tr>', body, re.S)
        if not reasons:
            assert row is None, name
            continue
        shown = re.findall(r'data-reason="(\w+)">([^<]*)<', row.group(1))
        assert shown == reasons, name


def test_the_page_lists_who_meets_every_requirement(staff_client, programme, table):
    people, expected = table
    body = staff_client.get(f"/programmes/{programme.pk}/shortlist/", **EN).content.decode()
    listed = {int(pk) for pk in re.findall(r'<tr data-candidate="(\d+)">', body)}
    assert listed == {people[n].pk for n, r in expected.items() if r == []}
    assert 'data-count-eligible="3"' in body and 'data-count-missing="16"' in body
    assert "JLPT N3" in body  # the language column writes levels as levels


def test_candidates_with_an_open_placement_here_are_left_out(staff_client, programme, table):
    people, _ = table
    for list_name in ("eligible", "missing"):
        body = staff_client.get(f"/programmes/{programme.pk}/shortlist/?list={list_name}").content.decode()
        assert f'data-candidate="{people["Already In Programme"].pk}"' not in body


def test_national_viewer_sees_every_municipalitys_candidates(national_viewer, programme, table, today):
    people, _ = table
    eligible = Criteria.for_programme(programme, today=today).eligible(national_viewer)
    assert people["Lives In Blitar"] in eligible


def test_a_programme_without_language_training_or_health_rules_does_not_check_them(serang_agreement, serang_staff):
    programme = ProgrammeFactory(agreement=serang_agreement, health_certificate_required=False, min_training_hours=0)
    candidate = CandidateFactory()  # no language result, no training, no health certificate
    criteria = Criteria.for_programme(programme)
    DocumentFactory(candidate=candidate, doc_type="passport", expires_on=criteria.passport_valid_until)
    assert list(criteria.eligible(serang_staff)) == [candidate]


@pytest.mark.parametrize("planned", [None, "past"])
def test_age_and_passport_are_measured_from_today_when_no_departure_is_planned_or_it_has_passed(
    serang_agreement, today, planned
):
    departure = today - timedelta(days=30) if planned else None
    programme = ProgrammeFactory(agreement=serang_agreement, planned_departure=departure, contract_months=36)
    criteria = Criteria.for_programme(programme, today=today)
    assert criteria.departure == today
    assert criteria.passport_valid_until == add_months(today, 36 + 6)


def test_the_page_says_on_which_day_requirements_are_measured(staff_client, programme):
    body = staff_client.get(f"/programmes/{programme.pk}/shortlist/", **EN).content.decode()
    departure = date_format(programme.planned_departure, "j M Y")
    assert f"Age, documents and language results on departure ({departure})" in body


def test_a_required_document_type_must_be_there_verified(serang_agreement, serang_staff, today):
    programme = ProgrammeFactory(
        agreement=serang_agreement, health_certificate_required=False, required_documents=["skck"]
    )
    candidate = CandidateFactory()
    criteria = Criteria.for_programme(programme, today=today)
    DocumentFactory(candidate=candidate, doc_type="passport", expires_on=criteria.passport_valid_until)
    assert list(criteria.eligible(serang_staff)) == []
    with translation.override("en"):
        [row] = criteria.with_reasons([candidate.pk])
        assert criteria.reasons(row) == [("documents", "missing Police clearance (SKCK)")]
    DocumentFactory(candidate=candidate, doc_type="skck", expires_on=None, verified_at=timezone.now())
    assert list(criteria.eligible(serang_staff)) == [candidate]


def test_query_count_does_not_grow_with_the_candidates(staff_client, programme, today, serang, blitar):
    munis = {"serang": serang, "blitar": blitar}

    def queries(list_name):
        with CaptureQueriesContext(connection) as ctx:
            response = staff_client.get(f"/programmes/{programme.pk}/shortlist/?list={list_name}")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    for i in range(2):
        make(f"Eligible {i}", Person(), programme, today, munis)
        make(f"Missing {i}", Person(age=50, passport="none"), programme, today, munis)
    queries("eligible")  # the first request of a session also refreshes the session row
    few = {name: queries(name) for name in ("eligible", "missing")}
    for i in range(2, 25):
        make(f"Eligible {i}", Person(), programme, today, munis)
        make(f"Missing {i}", Person(age=50, passport="none"), programme, today, munis)
    # session, user, the programme (agreement, partner, municipality joined), its demand with
    # occupations, one query for both lists' capped lengths and the ids of one page, the page's
    # candidates, their documents, language results and passed enrolments (for what they miss and
    # the columns), and the user's permissions (2).
    assert {name: queries(name) for name in ("eligible", "missing")} == few == {"eligible": 11, "missing": 11}


def test_staff_get_checkboxes_and_a_form_to_start_placements(staff_client, programme, table):
    people, _ = table
    body = staff_client.get(f"/programmes/{programme.pk}/shortlist/").content.decode()
    assert 'action="/placements/start/"' in body
    assert f'name="programme" value="{programme.pk}"' in body
    assert f'name="candidates" value="{people["Meets All"].pk}"' in body


def test_the_national_viewer_gets_no_shortlist(national_client, programme, table):
    # Counts only (Law 27/2022): the shortlist names people.
    assert national_client.get(f"/programmes/{programme.pk}/shortlist/").status_code == 403
    assert (
        f"/programmes/{programme.pk}/shortlist/"
        not in national_client.get(f"/programmes/{programme.pk}/").content.decode()
    )


@pytest.mark.parametrize("client_name", ["official_client", "admin_client_serang"])
def test_roles_that_cannot_start_placements_get_no_checkboxes(request, client_name, programme, table):
    body = request.getfixturevalue(client_name).get(f"/programmes/{programme.pk}/shortlist/").content.decode()
    assert 'data-testid="shortlist-eligible"' in body
    assert 'name="candidates"' not in body and "/placements/start/" not in body


def test_a_closed_programme_offers_no_start(staff_client, programme, table):
    programme.status = "closed"
    programme.save()
    assert 'name="candidates"' not in staff_client.get(f"/programmes/{programme.pk}/shortlist/").content.decode()


def test_partial_and_htmx_requests_get_only_the_fragment(staff_client, programme, table):
    url = f"/programmes/{programme.pk}/shortlist/"
    full = staff_client.get(url).content.decode()
    assert full.startswith("<!doctype html>") and 'id="shortlist"' in full
    for response in (staff_client.get(url + "?partial=1"), staff_client.get(url, HTTP_HX_REQUEST="true")):
        fragment = response.content.decode()
        assert fragment.lstrip().startswith('<section id="shortlist"')
        assert "<html" not in fragment


def test_shortlist_pages_through_long_lists(staff_client, programme, serang):
    for i in range(27):
        CandidateFactory(full_name=f"Missing {i:02d}", municipality=serang)
    body = staff_client.get(f"/programmes/{programme.pk}/shortlist/?list=missing&page=2", **EN).content.decode()
    assert body.count("<tr data-candidate=") == 2
    assert "Page 2 of 2" in body
    assert f'href="/programmes/{programme.pk}/shortlist/?list=missing&amp;page=1"' in body


def test_a_page_past_the_end_shows_the_last_page(staff_client, programme, serang):
    for i in range(27):
        CandidateFactory(full_name=f"Missing {i:02d}", municipality=serang)
    body = staff_client.get(f"/programmes/{programme.pk}/shortlist/?list=missing&page=9", **EN).content.decode()
    assert "Page 2 of 2" in body and body.count("<tr data-candidate=") == 2
    body = staff_client.get(f"/programmes/{programme.pk}/shortlist/?list=missing&page=x", **EN).content.decode()
    assert "Page 1 of 2" in body and body.count("<tr data-candidate=") == 25


def test_a_list_longer_than_the_cap_says_more_than_the_cap_and_pages_up_to_it(
    staff_client, programme, serang, monkeypatch
):
    # Counted up to 4 rows (1,000 in production), 2 a page.
    monkeypatch.setattr(eligibility, "COUNT_CAP", 4)
    monkeypatch.setattr(eligibility, "PER_PAGE", 2)
    for i in range(7):
        CandidateFactory(full_name=f"Missing {i:02d}", municipality=serang)
    url = f"/programmes/{programme.pk}/shortlist/"
    body = staff_client.get(url + "?list=missing", **EN).content.decode()
    assert re.search(r'data-count-missing="4\+">[^<]*<span class="badge[^"]*">more than 4</span>', body)
    assert 'data-count-eligible="0">' in body
    assert "Page 1 of 2+" in body and body.count("<tr data-candidate=") == 2
    # The pages go as far as the cap: a page past it shows the last page counted.
    body = staff_client.get(url + "?list=missing&page=9", **EN).content.decode()
    assert "Page 2 of 2+" in body
    assert re.findall(r"Missing \d\d", body) == ["Missing 02", "Missing 03"]
    # Indonesian first.
    body = staff_client.get(url + "?list=missing").content.decode()
    assert ">lebih dari 4</span>" in body


def test_a_list_as_long_as_the_cap_is_counted_exactly(serang_staff, programme, serang):
    for i in range(4):
        CandidateFactory(full_name=f"Missing {i:02d}", municipality=serang)
    found = eligibility.shortlist_page(user=serang_staff, programme=programme, shown="missing", page="1", count_cap=4)
    assert (found.counts, found.capped) == ({"eligible": 0, "missing": 4}, {"eligible": False, "missing": False})
    assert found.count_labels == {"eligible": "0", "missing": "4"}
    CandidateFactory(full_name="Missing 04", municipality=serang)
    found = eligibility.shortlist_page(user=serang_staff, programme=programme, shown="missing", page="1", count_cap=4)
    assert (found.counts["missing"], found.capped["missing"]) == (4, True)
    with translation.override("en"):
        assert found.count_labels["missing"] == "more than 4"


def test_an_empty_list_says_so(staff_client, programme):
    body = staff_client.get(f"/programmes/{programme.pk}/shortlist/", **EN).content.decode()
    assert "No candidate in your scope meets every requirement yet." in body
    assert 'data-count-eligible="0"' in body and 'data-count-missing="0"' in body


def test_other_municipality_gets_404(blitar_client, programme):
    assert blitar_client.get(f"/programmes/{programme.pk}/shortlist/").status_code == 404


def test_shortlist_answers_405_to_post(staff_client, programme):
    assert staff_client.post(f"/programmes/{programme.pk}/shortlist/").status_code == 405


def test_anonymous_is_sent_to_login(client, programme):
    assert "/login/" in client.get(f"/programmes/{programme.pk}/shortlist/")["Location"]
