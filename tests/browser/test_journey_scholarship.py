"""Scholarship journey, in English and in Indonesian: staff open a round, register three applicants,
take them to the interview; two reviewers score them (the staff member and the official); the
official approves; the staff publish and the announcement prints on A4; one awardee is admitted,
gets the student visa, departs, studies and files a semester report."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from scholarships.models import Application, SelectionRound
from tests.browser.conftest import SCREENSHOTS, login, submit
from tests.factories import DocumentFactory, scholarship_applicant, scholarship_programme

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

STUDYING = {"en": "Studying", "id": "Sedang kuliah"}


def _switch_user(page, user, language):
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.base_url}])
    login(page, user.username)


def _score(page, application, values):
    page.goto(page.base_url + f"/scholarships/applications/{application.pk}/")
    for criterion, value in values.items():
        page.fill(f"#id_score-{criterion}", str(value))
    submit(page, "[data-testid=save-scores]")
    assert page.locator(".alert-success").count() == 1


@pytest.mark.parametrize("language", ["en", "id"])
def test_a_round_from_the_call_to_a_semester_report(page, shot, serang, serang_staff, serang_official, language):
    programme = scholarship_programme()
    people = [scholarship_applicant() for _ in range(3)]
    today = timezone.localdate()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.base_url}])

    # Staff open the call.
    login(page, serang_staff.username)
    page.goto(page.base_url + "/scholarships/rounds/new/")
    assert page.locator("html").get_attribute("lang") == language
    page.select_option("#id_programme", str(programme.pk))
    page.fill("#id_name", "Beasiswa Korea 2027")
    page.fill("#id_opens_on", today.isoformat())
    page.fill("#id_closes_on", (today + timedelta(days=14)).isoformat())
    page.fill("#id_quota", "2")
    page.fill("#id_reserve_size", "1")
    submit(page, "[data-testid=round-form] button")
    round_ = SelectionRound.objects.get()
    assert page.url.endswith(f"/scholarships/rounds/{round_.pk}/")
    shot(f"{language}-round-opened")

    # Three applicants, by NIK (one person, one candidate record).
    page.click("[data-testid=register]")
    page.wait_for_load_state("domcontentloaded")
    for i, person in enumerate(people):
        page.fill("#id_nik", person.nik)
        page.fill("#id_school", f"SMAN {i + 1} Kota Serang")
        page.select_option("#id_grade_scale", "rapor")
        page.fill("#id_grade_average", str(85 + i))
        page.fill("#id_family_income_per_person", str(500_000 + 100_000 * i))
        page.select_option("#id_intended_field", "engineering")
        if i == 0:
            page.fill("#id_achievements-0-title", "Juara olimpiade fisika")
            page.select_option("#id_achievements-0-level", "province")
            page.fill("#id_achievements-0-year", str(today.year))
        submit(page, "[data-testid=save-another]" if i < 2 else "[data-testid=save]")
    assert Application.objects.count() == 3
    shot(f"{language}-applicant")

    # Eligible, call closed, shortlisted, interviewed; reviewers assigned.
    page.goto(page.base_url + f"/scholarships/rounds/{round_.pk}/")
    submit(page, "[data-testid=advance-applied]")
    submit(page, "[data-testid=close]")
    submit(page, "[data-testid=advance-eligible]")
    submit(page, "[data-testid=advance-shortlisted]")
    for reviewer in (serang_staff, serang_official):
        page.check(f"[data-testid=reviewers-form] input[value='{reviewer.pk}']")
    submit(page, "[data-testid=reviewers-form] button")
    assert set(Application.objects.values_list("stage", flat=True)) == {"interviewed"}
    apps = list(Application.objects.order_by("pk"))

    # Two reviewers score every applicant.
    for i, app in enumerate(apps):
        _score(page, app, {"merit": 80 + 5 * i, "need": 70, "interview": 75, "essay": 70})
    _switch_user(page, serang_official, language)
    for i, app in enumerate(apps):
        _score(page, app, {"merit": 82 + 5 * i, "need": 72, "interview": 80, "essay": 65})
    page.goto(page.base_url + f"/scholarships/rounds/{round_.pk}/")
    assert page.locator("[data-testid=ranking] tbody tr").count() == 3
    shot(f"{language}-ranking")

    # The official approves.
    submit(page, "[data-testid=approve]")
    round_.refresh_from_db()
    assert round_.status == "approved" and round_.approved_by == serang_official
    assert page.locator("[data-testid=publish]").count() == 0  # publishing is the staff's

    # Staff publish; the announcement prints on A4 with masked NIKs.
    _switch_user(page, serang_staff, language)
    page.goto(page.base_url + f"/scholarships/rounds/{round_.pk}/")
    submit(page, "[data-testid=publish]")
    submit(page, "[data-testid=announcement]")
    awarded = page.locator("[data-testid=awarded] tbody tr")
    assert awarded.count() == 2
    assert page.locator("[data-testid=reserve] tbody tr").count() == 1
    first = Application.objects.get(rank=1)
    text = page.locator("[data-testid=announcement]").inner_text()
    assert first.candidate.full_name in text and first.candidate.nik not in text
    shot(f"{language}-announcement")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    [box] = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    width, height = (float(v) for v in box)
    assert abs(width - 595.28) < 1 and abs(height - 841.89) < 1, f"not an A4 page: {box}"  # 210 × 297 mm
    (SCREENSHOTS / f"scholarship-announcement-{language}.pdf").write_bytes(pdf)
    page.emulate_media(media="screen")

    # The first awardee: admitted, student visa, departed, studying, a semester report.
    candidate = first.candidate
    DocumentFactory(candidate=candidate, doc_type="admission_letter", verified_at=timezone.now(), expires_on=None)
    DocumentFactory(candidate=candidate, doc_type="ktp", verified_at=timezone.now(), expires_on=None)
    DocumentFactory(candidate=candidate, doc_type="passport", verified_at=timezone.now())
    page.goto(page.base_url + f"/scholarships/applications/{first.pk}/")
    page.fill("#id_move-university", "Pusan National University")
    submit(page, "[data-testid=move]")
    page.fill("#id_move-visa_number", "D2-7788")
    page.fill("#id_move-visa_issued_on", today.isoformat())
    submit(page, "[data-testid=move]")
    submit(page, "[data-testid=move]")  # departed
    submit(page, "[data-testid=move]")  # studying
    assert page.locator("[data-testid=stage]").inner_text() == STUDYING[language]
    page.fill("#id_report-semester", "1")
    page.fill("#id_report-grade_average", "3.45")
    page.fill("#id_report-credits", "18")
    submit(page, "[data-testid=save-report]")
    assert page.locator("[data-testid=reports] tbody tr").count() == 1
    first.refresh_from_db()
    assert first.stage == "studying" and first.semester_reports.get().grade_average == Decimal("3.45")
    assert list(first.stage_events.values_list("to_stage", flat=True)) == [
        "applied",
        "eligible",
        "shortlisted",
        "interviewed",
        "awarded",
        "admitted",
        "visa",
        "departed",
        "studying",
    ]
    shot(f"{language}-studying")
    assert page.console_errors == []
