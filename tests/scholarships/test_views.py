"""The scholarship pages: roles and scope, the forms' messages, the announcement and the partner's
XLSX, and query counts that stay constant as the data grows."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from candidates.privacy import mask_identifier
from scholarships import services
from scholarships.models import Application, SelectionRound
from tests.factories import SelectionRoundFactory, municipality, scholarship_applicant, scholarship_programme

from .conftest import register, score_all, to_interviewed

pytestmark = pytest.mark.django_db


@pytest.fixture
def blitar_round(blitar, blitar_staff):
    programme = scholarship_programme(agreement__municipality=blitar)
    round_ = SelectionRoundFactory(programme=programme)
    app = register(round_, blitar_staff, candidate=scholarship_applicant(municipality=blitar))
    return round_, app


def _post_urls(round_, app):
    return [
        f"/scholarships/rounds/{round_.pk}/action/",
        f"/scholarships/rounds/{round_.pk}/reviewers/",
        f"/scholarships/rounds/{round_.pk}/apply/",
        f"/scholarships/applications/{app.pk}/move/",
        f"/scholarships/applications/{app.pk}/score/",
        f"/scholarships/applications/{app.pk}/conflict/",
        f"/scholarships/applications/{app.pk}/semester/",
        f"/scholarships/applications/{app.pk}/commitment/",
    ]


def test_another_municipalitys_round_and_application_answer_404(staff_client, blitar_round):
    round_, app = blitar_round
    for url in [
        f"/scholarships/rounds/{round_.pk}/",
        f"/scholarships/rounds/{round_.pk}/announcement/",
        f"/scholarships/rounds/{round_.pk}/results.xlsx",
        f"/scholarships/applications/{app.pk}/",
    ]:
        assert staff_client.get(url).status_code == 404, url
    for url in _post_urls(round_, app):
        assert staff_client.post(url, {"action": "close"}).status_code == 404, url
    assert SelectionRound.objects.get(pk=round_.pk).status == "open"
    body = staff_client.get("/scholarships/applications/").content.decode()
    assert app.candidate.full_name not in body


def test_read_only_roles_get_403_on_writes(official_client, serang_round, serang_staff):
    app = register(serang_round, serang_staff)
    assert (
        official_client.post(f"/scholarships/applications/{app.pk}/move/", {"move-to_stage": "eligible"}).status_code
        == 403
    )
    assert (
        official_client.post(f"/scholarships/rounds/{serang_round.pk}/action/", {"action": "close"}).status_code == 403
    )
    assert official_client.get(f"/scholarships/rounds/{serang_round.pk}/apply/").status_code == 403
    assert official_client.get("/scholarships/rounds/new/").status_code == 403
    assert Application.objects.get().stage == "applied"
    assert SelectionRound.objects.get().status == "open"


def test_the_national_viewer_sees_counts_only(national_client, serang_round, serang_staff):
    app = register(serang_round, serang_staff)
    dashboard = national_client.get("/scholarships/")
    assert dashboard.status_code == 200
    assert serang_round.name in dashboard.content.decode()
    assert "/scholarships/applications/?" not in dashboard.content.decode()  # no click-through to names
    rounds = national_client.get("/scholarships/rounds/").content.decode()
    assert serang_round.name in rounds and f"/scholarships/rounds/{serang_round.pk}/" not in rounds
    for url in [
        f"/scholarships/rounds/{serang_round.pk}/",
        "/scholarships/applications/",
        f"/scholarships/applications/{app.pk}/",
    ]:
        assert national_client.get(url).status_code == 403, url


def test_a_get_of_an_action_returns_to_its_record_and_other_methods_are_refused(
    staff_client, serang_round, serang_staff
):
    app = register(serang_round, serang_staff)
    urls = [url for url in _post_urls(serang_round, app) if not url.endswith("/apply/")]
    assert len(urls) >= 5
    for url in urls:
        # A reload or the language switch after a form error: back to the round's or application's page.
        back = (
            f"/scholarships/rounds/{serang_round.pk}/" if "/rounds/" in url else f"/scholarships/applications/{app.pk}/"
        )
        assert staff_client.get(url)["Location"] == back, url
        assert staff_client.put(url).status_code == 405, url


def test_staff_opens_a_round_and_registers_an_applicant_by_nik(staff_client, serang_staff):
    programme = scholarship_programme()
    today = timezone.localdate()
    response = staff_client.post(
        "/scholarships/rounds/new/",
        {
            "programme": programme.pk,
            "name": "Beasiswa 2027",
            "opens_on": today.isoformat(),
            "closes_on": today.isoformat(),
            "quota": 3,
            "reserve_size": 1,
            "weight_merit": 40,
            "weight_need": 30,
            "weight_interview": 20,
            "weight_essay": 10,
            "score_min": 0,
            "score_max": 100,
        },
    )
    round_ = SelectionRound.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/scholarships/rounds/{round_.pk}/"
    candidate = scholarship_applicant()
    form = {
        "nik": candidate.nik,
        "school": "SMAN 2 Serang",
        "grade_scale": "ipk",
        "grade_average": "3.9",
        "family_income_per_person": 400000,
        "intended_field": "health",
        "achievements-TOTAL_FORMS": 2,
        "achievements-INITIAL_FORMS": 0,
        "achievements-0-title": "Juara 1 olimpiade biologi",
        "achievements-0-level": "province",
        "achievements-0-year": 2025,
    }
    bad = staff_client.post(f"/scholarships/rounds/{round_.pk}/apply/", {**form, "grade_average": "4.5"})
    assert bad.status_code == 200
    assert 'data-field-error="grade_average"' in bad.content.decode()
    assert not Application.objects.exists()
    ok = staff_client.post(f"/scholarships/rounds/{round_.pk}/apply/", form)
    app = Application.objects.get()
    assert ok["Location"] == f"/scholarships/applications/{app.pk}/"
    assert list(app.achievements.values_list("level", flat=True)) == ["province"]
    unknown = staff_client.post(f"/scholarships/rounds/{round_.pk}/apply/", {**form, "nik": "3673010101010001"})
    assert 'data-field-error="nik"' in unknown.content.decode()


def test_a_score_outside_the_range_is_shown_next_to_the_field(staff_client, serang_round, serang_staff):
    apps = [register(serang_round, serang_staff)]
    to_interviewed(serang_round, serang_staff, apps)
    services.round_set_reviewers(user=serang_staff, selection_round=serang_round, reviewers=[serang_staff])
    response = staff_client.post(
        f"/scholarships/applications/{apps[0].pk}/score/",
        {"score-merit": "120", "score-need": "50", "score-interview": "", "score-essay": ""},
    )
    assert response.status_code == 400
    assert 'data-field-error="merit"' in response.content.decode()
    assert not apps[0].scores.exists()


@pytest.fixture
def published_round(serang_round, serang_staff, serang_official):
    apps = [register(serang_round, serang_staff, school=f"SMAN {i}") for i in range(1, 4)]
    apps[2].school = '=HYPERLINK("http://x")'
    apps[2].save()
    to_interviewed(serang_round, serang_staff, apps)
    services.round_set_reviewers(user=serang_staff, selection_round=serang_round, reviewers=[serang_staff])
    for i, app in enumerate(apps):
        score_all(serang_staff, app, 90 - i, 50)
    services.round_approve(user=serang_official, selection_round=serang_round)
    return serang_round, apps


def test_announcement_and_xlsx_only_after_publication(staff_client, published_round, serang_staff):
    round_, apps = published_round
    assert staff_client.get(f"/scholarships/rounds/{round_.pk}/announcement/").status_code == 404
    assert staff_client.get(f"/scholarships/rounds/{round_.pk}/results.xlsx").status_code == 404
    staff_client.post(f"/scholarships/rounds/{round_.pk}/action/", {"action": "publish"})
    body = staff_client.get(f"/scholarships/rounds/{round_.pk}/announcement/").content.decode()
    first = apps[0].candidate
    assert first.full_name in body and mask_identifier(first.nik) in body and first.nik not in body
    assert 'data-testid="reserve"' in body
    xlsx = staff_client.get(f"/scholarships/rounds/{round_.pk}/results.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.values)
    # The one writer keeps the exact text and marks it as text: never a live formula.
    assert sheet.cell(row=4, column=4).data_type == "s"
    assert rows[0][:3] == ("Rank", "Name", "NIK (masked)")
    assert [r[6] for r in rows[1:]] == ["Awarded", "Awarded", "Reserve"]
    assert rows[3][3] == '=HYPERLINK("http://x")'
    assert first.nik not in str(rows)


def test_publishing_before_approval_says_so(staff_client, serang_round):
    response = staff_client.post(f"/scholarships/rounds/{serang_round.pk}/action/", {"action": "publish"}, follow=True)
    assert "Hasil hanya dapat diumumkan setelah disetujui pejabat." in response.content.decode()
    assert SelectionRound.objects.get().status == "open"


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_query_counts_stay_constant_as_applicants_grow(staff_client, serang_round, serang_staff):
    for _ in range(2):
        register(serang_round, serang_staff)
    urls = [
        f"/scholarships/rounds/{serang_round.pk}/",
        "/scholarships/applications/",
        "/scholarships/",
        "/scholarships/rounds/",
    ]
    staff_client.get("/scholarships/")  # the session's first request loads caches
    few = {url: _count(staff_client, url) for url in urls}
    for _ in range(6):
        register(serang_round, serang_staff)
    many = {url: _count(staff_client, url) for url in urls}
    assert many == few
    # The round page: session, user, round, applications with candidates, documents, results,
    # achievements, reviewers, reviewer choices, programme rules...: a fixed budget.
    assert few[f"/scholarships/rounds/{serang_round.pk}/"] <= 20


def test_the_scored_round_page_keeps_its_query_count(
    staff_client, serang_round, serang_staff, django_assert_max_num_queries
):
    apps = [register(serang_round, serang_staff) for _ in range(5)]
    to_interviewed(serang_round, serang_staff, apps)
    services.round_set_reviewers(user=serang_staff, selection_round=serang_round, reviewers=[serang_staff])
    for app in apps:
        score_all(serang_staff, app, Decimal("80"), Decimal("60"))
    with django_assert_max_num_queries(22):
        body = staff_client.get(f"/scholarships/rounds/{serang_round.pk}/").content.decode()
    assert 'data-testid="ranking"' in body


def test_dashboard_numbers_click_through_to_the_filtered_list(staff_client, serang_round, serang_staff):
    app = register(serang_round, serang_staff, family_income_per_person=300_000)
    body = staff_client.get("/scholarships/").content.decode()
    assert "?need=%3C500k" in body
    listed = staff_client.get("/scholarships/applications/", {"need": "<500k"}).content.decode()
    assert app.candidate.full_name in listed
    none = staff_client.get("/scholarships/applications/", {"need": "500k-1m"}).content.decode()
    assert app.candidate.full_name not in none
    kec = staff_client.get("/scholarships/applications/", {"kecamatan": app.candidate.kecamatan_code}).content.decode()
    assert app.candidate.full_name in kec
    assert municipality("36.73")


def test_semester_alerts_join_the_reminders_page(staff_client, serang_round, serang_staff, serang_official):
    from decimal import Decimal as D

    apps = [register(serang_round, serang_staff) for _ in range(2)]
    to_interviewed(serang_round, serang_staff, apps)
    services.round_set_reviewers(user=serang_staff, selection_round=serang_round, reviewers=[serang_staff])
    for i, app in enumerate(apps):
        score_all(serang_staff, app, 90 - i, 50)
    services.round_approve(user=serang_official, selection_round=serang_round)
    student = Application.objects.get(rank=1)
    from .test_services import _to_studying

    _to_studying(student, serang_staff)
    services.semester_report_add(
        user=serang_staff, application=student, semester=1, grade_average=D("2.10"), credits=12, status="probation"
    )
    body = staff_client.get("/placements/reminders/").content.decode()
    assert "Penerima beasiswa: peringatan semester" in body
    assert student.candidate.full_name in body


def test_the_agreement_admin_edits_only_their_offices_scholarship_rules(
    admin_client_serang, serang_round, blitar_round
):
    own = serang_round.programme.scholarship_rules
    other = blitar_round[0].programme.scholarship_rules
    listing = admin_client_serang.get("/admin/scholarships/scholarshiprules/").content.decode()
    assert f"/admin/scholarships/scholarshiprules/{own.pk}/change/" in listing
    assert f"/admin/scholarships/scholarshiprules/{other.pk}/change/" not in listing
    assert admin_client_serang.get(f"/admin/scholarships/scholarshiprules/{other.pk}/change/").status_code == 302


def test_commitment_and_conflict_forms_say_what_is_wrong(staff_client, serang_round, serang_staff):
    app = register(serang_round, serang_staff)
    # No commitment yet: the waiver is refused with a message, nothing saved.
    response = staff_client.post(
        f"/scholarships/applications/{app.pk}/commitment/",
        {
            "commitment-action": "waive",
            "commitment-on_date": timezone.localdate().isoformat(),
            "commitment-reason": "x",
        },
    )
    assert response.status_code == 400
    assert "Tidak ada ikatan dinas yang masih berjalan" in response.content.decode()
    # A semester report for a student not abroad.
    report = staff_client.post(
        f"/scholarships/applications/{app.pk}/semester/",
        {"report-semester": 1, "report-grade_average": "3.0", "report-credits": 18, "report-status": "good"}
        | {"report-reported_on": timezone.localdate().isoformat()},
    )
    assert report.status_code == 400
    assert "Laporan semester hanya untuk mahasiswa di luar negeri" in report.content.decode()
    assert not app.semester_reports.exists()


def test_every_study_number_opens_a_list_of_the_same_size(staff_client, serang_round, serang_staff, serang_official):
    import re
    from decimal import Decimal as D

    from .test_services import _to_studying

    apps = [register(serang_round, serang_staff) for _ in range(3)]
    to_interviewed(serang_round, serang_staff, apps)
    services.round_set_reviewers(user=serang_staff, selection_round=serang_round, reviewers=[serang_staff])
    for i, app in enumerate(apps):
        score_all(serang_staff, app, 90 - i, 50)
    services.round_approve(user=serang_official, selection_round=serang_round)
    low, good = Application.objects.filter(outcome="awarded").order_by("rank")
    for student, grade in ((low, "2.10"), (good, "3.60")):
        _to_studying(student, serang_staff)
        services.semester_report_add(
            user=serang_staff, application=student, semester=1, grade_average=D(grade), credits=18, status="good"
        )
    body = staff_client.get("/scholarships/").content.decode()
    links = re.findall(r'<a href="/scholarships/applications/\?([^"]+)">(\d+)</a>', body)
    groups = {query: int(n) for query, n in links if "group=" in query}
    assert groups["group=abroad"] == 2 and groups["group=below"] == 1 and groups["group=reports"] == 2
    for query, number in groups.items():
        listed = staff_client.get("/scholarships/applications/?" + query.replace("&amp;", "&")).content.decode()
        assert re.search(r'data-testid="result-count">(\d+)<', listed).group(1) == str(number), query
