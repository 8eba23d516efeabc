"""Personal-data journey (Law 27/2022), in Indonesian: the data-protection officer records a person's
access request from their page, sees its 3×24-hour clock on the home page and the reminders,
produces the data report (the A4 print page, and the XLSX), records the answer and sees the clock
stop: the home page and the reminders no longer show it due."""

import pytest

from privacy.models import DataRequest
from tests.browser.conftest import login, submit
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_officer_answers_an_access_request_and_the_clock_stops(page, shot, serang, serang_dpo):
    person = CandidateFactory(municipality=serang, full_name="Siti Nurhaliza")
    login(page, serang_dpo.username)

    # The request, recorded from the person's page.
    page.goto(page.base_url + f"/candidates/{person.pk}/")
    with page.expect_navigation():
        page.click("[data-testid=record-request]")
    page.select_option("#id_kind", "access")
    page.select_option("#id_channel", "counter")
    page.fill("#id_identity_check", "KTP asli ditunjukkan di loket")
    shot("request-form")
    submit(page, "[data-testid=request-form] button[type=submit]")
    request = DataRequest.objects.get()
    assert page.url.endswith(f"/privacy/requests/{request.pk}/")
    assert page.locator("[data-testid=clock]").get_attribute("data-clock") == "running"
    shot("request-recorded")

    # Due: on the home page and the reminders.
    page.goto(page.base_url + "/")
    assert page.locator("[data-testid=data-requests-open]").inner_text() == "1"
    page.goto(page.base_url + "/placements/reminders/")
    due = page.locator(f"a[href='/privacy/requests/{request.pk}/']")
    assert due.count() == 1
    shot("reminders-due")

    # The data report: the A4 print page and the XLSX file for the person.
    with page.expect_navigation():
        due.first.click()
    with page.expect_navigation():
        page.click("[data-testid=report-print]")
    report = page.locator("[data-testid=data-report]")
    assert "Siti Nurhaliza" in report.inner_text()
    assert page.locator("[data-print]").count() == 1
    page.emulate_media(media="print")
    shot("data-report-print")
    page.emulate_media(media="screen")
    page.go_back()
    with page.expect_download() as download:
        page.click("[data-testid=report-xlsx]")
    assert download.value.suggested_filename.startswith(f"data-report-request-{request.pk}-")

    # The answer stops the clock.
    page.select_option("#id_outcome", "done")
    page.fill("#id_answer_note", "Laporan data diserahkan di loket, cetak A4 dan berkas XLSX")
    submit(page, "[data-testid=answer-form] button")
    assert page.locator("[data-testid=clock]").get_attribute("data-clock") == "stopped"
    assert page.locator("[data-testid=answer-form]").count() == 0
    shot("answered")
    request.refresh_from_db()
    assert request.answered_by == serang_dpo and request.outcome == "done"

    page.goto(page.base_url + "/")
    assert page.locator("[data-testid=data-requests-open]").inner_text() == "0"
    page.goto(page.base_url + "/placements/reminders/")
    assert page.locator(f"a[href='/privacy/requests/{request.pk}/']").count() == 0
    assert not page.console_errors, page.console_errors
