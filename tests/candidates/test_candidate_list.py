"""The candidate list: fuzzy search, filters in the URL, sorting, capped counting, masking, query count."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate
from core.paging import CappedCountPaginator
from tests.factories import CandidateFactory, DocumentFactory, LanguageResultFactory, PlacementFactory, ProgrammeFactory

LIST = reverse("candidates:candidate_list")


def _ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-candidate="(\d+)"', response.content.decode())]


def _years_ago(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=days)


@pytest.mark.django_db
def test_fuzzy_name_search_finds_a_differently_spelt_name(staff_client, serang):
    agies = CandidateFactory(municipality=serang, full_name="Nur Agies")
    CandidateFactory(municipality=serang, full_name="Bambang Wijaya")
    assert _ids(staff_client.get(LIST, {"q": "Nur Agis"})) == [agies.pk]
    assert _ids(staff_client.get(LIST, {"q": "agies"})) == [agies.pk]


@pytest.mark.django_db
def test_search_by_last_digits_of_nik_and_by_phone(staff_client, serang):
    one = CandidateFactory(municipality=serang, phone="+6281399990001")
    two = CandidateFactory(municipality=serang, phone="+6285700000002")
    assert _ids(staff_client.get(LIST, {"q": one.nik[-6:]})) == [one.pk]
    assert _ids(staff_client.get(LIST, {"q": "0857-0000-0002"})) == [two.pk]


@pytest.mark.django_db
def test_a_full_nik_goes_straight_to_the_record(staff_client, serang):
    candidate = CandidateFactory(municipality=serang)
    response = staff_client.get(LIST, {"q": candidate.nik})
    assert response.status_code == 302 and response["Location"] == f"/candidates/{candidate.pk}/"


@pytest.mark.django_db
def test_search_never_reaches_other_municipalities(staff_client, blitar):
    other = CandidateFactory(municipality=blitar, full_name="Nur Agies")
    assert _ids(staff_client.get(LIST, {"q": "Nur Agies"})) == []
    assert staff_client.get(LIST, {"q": other.nik}).status_code == 200  # no redirect to a 404


@pytest.mark.django_db
def test_filter_by_stage_and_programme_means_the_same_placement(staff_client, serang):
    p1, p2 = ProgrammeFactory(), ProgrammeFactory()
    both = CandidateFactory(municipality=serang)
    PlacementFactory(candidate=both, programme=p1, stage="screened")
    mixed = CandidateFactory(municipality=serang)
    PlacementFactory(candidate=mixed, programme=p1, stage="registered")
    PlacementFactory(candidate=mixed, programme=p2, stage="screened")
    assert set(_ids(staff_client.get(LIST, {"stage": "screened"}))) == {both.pk, mixed.pk}
    assert _ids(staff_client.get(LIST, {"stage": "screened", "programme": p1.pk})) == [both.pk]
    assert set(_ids(staff_client.get(LIST, {"programme": p1.pk}))) == {both.pk, mixed.pk}


@pytest.mark.django_db
def test_filter_by_sex_age_band_kecamatan_and_education(staff_client, serang):
    young = CandidateFactory(municipality=serang, sex="F", birth_date=_years_ago(22), education="smk")
    older = CandidateFactory(municipality=serang, sex="M", birth_date=_years_ago(46), education="sma")
    edge = CandidateFactory(municipality=serang, sex="M", birth_date=_years_ago(25), education="sma")  # 25 today
    other_kec = CandidateFactory(
        municipality=serang, sex="M", birth_date=_years_ago(30), kecamatan_code="36.73.02", kelurahan_code=""
    )
    assert _ids(staff_client.get(LIST, {"sex": "F"})) == [young.pk]
    assert _ids(staff_client.get(LIST, {"age_band": "18-24"})) == [young.pk]
    assert _ids(staff_client.get(LIST, {"age_band": "25-29"})) == [edge.pk]
    assert _ids(staff_client.get(LIST, {"age_band": "45+"})) == [older.pk]
    assert _ids(staff_client.get(LIST, {"education": "smk"})) == [young.pk]
    assert _ids(staff_client.get(LIST, {"kecamatan": "36.73.02"})) == [other_kec.pk]


@pytest.mark.django_db
def test_filter_by_language_level_counts_only_valid_results(staff_client, serang):
    today = timezone.localdate()
    good = CandidateFactory(municipality=serang)
    LanguageResultFactory(candidate=good, test="eps_topik", score=120)
    low = CandidateFactory(municipality=serang)
    LanguageResultFactory(candidate=low, test="eps_topik", score=70)
    lapsed = CandidateFactory(municipality=serang)
    LanguageResultFactory(
        candidate=lapsed,
        test="eps_topik",
        score=150,
        taken_on=today - timedelta(days=800),
        valid_until=today - timedelta(days=70),
    )
    n3 = CandidateFactory(municipality=serang)
    LanguageResultFactory(candidate=n3, test="jlpt", score=3)
    n5 = CandidateFactory(municipality=serang)
    LanguageResultFactory(candidate=n5, test="jlpt", score=5)
    assert _ids(staff_client.get(LIST, {"language": "eps_topik:80"})) == [good.pk]
    assert _ids(staff_client.get(LIST, {"language": "jlpt:4"})) == [n3.pk]  # N3 is at least N4; N5 is not


@pytest.mark.django_db
def test_filter_passport_valid_and_documents_expiring(staff_client, serang):
    today = timezone.localdate()
    valid = CandidateFactory(municipality=serang)
    DocumentFactory(candidate=valid, doc_type="passport", expires_on=today + timedelta(days=900))
    expired = CandidateFactory(municipality=serang)
    DocumentFactory(
        candidate=expired,
        doc_type="passport",
        issued_on=today - timedelta(days=2000),
        expires_on=today - timedelta(days=1),
    )
    expiring = CandidateFactory(municipality=serang)
    DocumentFactory(candidate=expiring, doc_type="skck", expires_on=today + timedelta(days=60))
    assert _ids(staff_client.get(LIST, {"passport_valid": "1"})) == [valid.pk]
    assert _ids(staff_client.get(LIST, {"docs_expiring": "1"})) == [expiring.pk]


@pytest.mark.django_db
def test_sort_by_age_and_registration(staff_client, serang):
    today = timezone.localdate()
    a = CandidateFactory(municipality=serang, birth_date=_years_ago(30), registered_on=today - timedelta(days=3))
    b = CandidateFactory(municipality=serang, birth_date=_years_ago(20), registered_on=today - timedelta(days=9))
    c = CandidateFactory(municipality=serang, birth_date=_years_ago(40), registered_on=today - timedelta(days=1))
    assert _ids(staff_client.get(LIST, {"sort": "age"})) == [b.pk, a.pk, c.pk]
    assert _ids(staff_client.get(LIST, {"sort": "-age"})) == [c.pk, a.pk, b.pk]
    assert _ids(staff_client.get(LIST, {"sort": "-registered"})) == [c.pk, a.pk, b.pk]


@pytest.mark.django_db
def test_filters_stay_in_the_sort_pagination_and_export_links(staff_client, serang):
    CandidateFactory.create_batch(3, municipality=serang, sex="F")
    body = staff_client.get(LIST, {"sex": "F", "education": "sma"}).content.decode()
    assert 'href="?sex=F&amp;education=sma&amp;sort=age"' in body
    assert "/candidates/export/?sex=F&amp;education=sma&amp;format=xlsx" in body


@pytest.mark.django_db
def test_list_masks_nik_for_everyone(staff_client, official_client, serang):
    candidate = CandidateFactory(municipality=serang)
    masked = f"{candidate.nik[:4]}••••••••{candidate.nik[-4:]}"
    for client in (staff_client, official_client):
        body = client.get(LIST).content.decode()
        assert masked in body and candidate.nik not in body


@pytest.mark.django_db
def test_paginator_counts_no_further_than_it_needs():
    qs = Candidate.objects.all()
    CandidateFactory.create_batch(7)
    small = CappedCountPaginator(qs, 2, requested_page=1)
    small.cap = 5  # pretend the registry is large
    assert small.count == 5 and small.capped
    assert small.num_pages_label == "of 3+" and small.pages_label == "3+"
    exact = CappedCountPaginator(qs, 2, requested_page=1)
    assert exact.count == 7 and not exact.capped and exact.num_pages_label == "of 4" and exact.pages_label == "4"
    assert CappedCountPaginator(qs, 50, requested_page=400).cap == 402 * 50


@pytest.mark.django_db
def test_list_query_count_is_the_same_for_10_and_100_rows(staff_client, serang):
    programme = ProgrammeFactory()

    def make(n):
        for candidate in CandidateFactory.create_batch(n, municipality=serang):
            PlacementFactory(candidate=candidate, programme=programme)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = staff_client.get(LIST, {"sort": "name"})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    make(10)
    staff_client.get(LIST)  # warm the session
    ten = count_queries()
    make(90)
    hundred = count_queries()
    # session, user, the user's permissions (2), the programme choices of the filter form,
    # the capped count, the page of candidates, their placements with programmes, the user's saved
    # filters of this list.
    assert ten == hundred == 9


@pytest.mark.django_db
def test_a_full_nik_that_matches_nobody_is_not_copied_into_the_pages_links(blitar_client, serang):
    candidate = CandidateFactory(municipality=serang)
    body = blitar_client.get(LIST, {"q": candidate.nik, "sex": "M"}).content.decode()
    links = re.findall(r'href="([^"]*)"', body)
    assert any("sex=M" in link for link in links)
    assert not any(candidate.nik in link for link in links)


@pytest.mark.django_db
def test_a_rows_cells_show_the_candidate_escaped_with_its_badges(staff_client, serang):
    # The rows are written in Python (candidates.list_rows): each value escaped as the template did.
    programme = ProgrammeFactory(name="Program <Korea> & " + "x" * 60)
    demo = CandidateFactory(
        municipality=serang,
        full_name='Siti "<b>Rahayu</b>"',
        is_demo=True,
        consent_given_on=None,
        birth_date=_years_ago(25, days=3),
        registered_on=date(2025, 8, 17),
        phone="+6281234567890",
    )
    PlacementFactory(candidate=demo, programme=programme)
    plain = CandidateFactory(municipality=serang, full_name="Bambang Wijaya", consent_given_on=date(2025, 1, 2))
    body = staff_client.get(LIST, {"sort": "name"}).content.decode()
    row = body[
        body.index(f'data-candidate="{demo.pk}"') : body.index("</tr>", body.index(f'data-candidate="{demo.pk}"'))
    ]
    assert f'<a href="/candidates/{demo.pk}/">Siti &quot;&lt;b&gt;Rahayu&lt;/b&gt;&quot;</a>' in row
    assert 'data-testid="demo-badge"' in row
    assert 'class="badge text-bg-secondary"' in row  # no consent
    assert f">{demo.nik[:4]}••••••••{demo.nik[-4:]}<" in row
    assert '<td class="text-end">25</td>' in row
    assert '<td class="text-nowrap">0812-3456-7890</td>' in row
    assert '<td class="text-nowrap">17 Aug 2025</td>' in row
    assert "Program &lt;Korea&gt; &amp; xxx" in row and "…" in row
    assert 'aria-label="Select Siti &quot;&lt;b&gt;Rahayu&lt;/b&gt;&quot;"' in row
    assert "<b>Rahayu" not in body
    other = body[body.index(f'data-candidate="{plain.pk}"') :]
    other = other[: other.index("</tr>")]
    assert 'data-testid="demo-badge"' not in other and "text-bg-secondary" not in other
    assert '<span class="text-body-secondary">–</span>' in other  # no placements
