"""Protection journey, in English and in Indonesian: staff record a "serious" contact, open a
critical case from the offer, escalate it, resolve it with "repatriated" and see the placement
ended and the dashboard numbers move; an official follows the absconding rate to its list."""

import pytest

from placements.models import Placement
from protection import services
from tests.browser.conftest import login, submit
from tests.factories import today
from tests.protection.conftest import abroad_placement

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _number(page, testid: str) -> str:
    return page.locator(f"[data-testid=protection-table] [data-testid={testid}]").first.inner_text()


@pytest.mark.parametrize("language", ["en", "id"])
def test_staff_work_a_critical_case_and_an_official_follows_the_absconding_rate(
    page, shot, serang, serang_staff, serang_official, language
):
    worker = abroad_placement(municipality=serang, days_ago=20)
    absconder = abroad_placement(municipality=serang, programme=worker.programme, cohort=worker.cohort, days_ago=20)
    gone = services.case_open(
        user=serang_staff,
        placement=absconder,
        case_type="absconding",
        severity="critical",
        reported_by="employer",
        reported_at=worker.stage_changed_at,
        summary="Left the farm",
    )
    services.case_resolve(case=gone, user=serang_staff, outcome="absconded", acted_on=today(), what="Gone", version=1)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.base_url}])

    login(page, serang_staff.username)
    page.goto(page.base_url + "/protection/")
    assert page.locator("html").get_attribute("lang") == language
    assert _number(page, "open-cases") == "0"
    assert _number(page, "coverage") == "0%"
    shot(f"{language}-dashboard-before")

    # A "serious" contact: the page offers a case.
    page.goto(page.base_url + f"/protection/placements/{worker.pk}/")
    page.select_option("#id_contact-channel", "messaging")
    page.select_option("#id_contact-wellbeing", "serious")
    page.fill("#id_contact-note", "Injured hand, employer refuses a doctor")
    submit(page, "[data-testid=contact-form] button")
    offer = page.locator("[data-testid=offer-case] a")
    assert offer.count() == 1
    shot(f"{language}-offer")
    with page.expect_navigation():
        offer.click()
    assert page.locator("#id_severity").input_value() == "critical"
    page.select_option("#id_case_type", "injury")
    page.fill("#id_summary", "Injured hand, no doctor")
    submit(page, "[data-testid=case-form] button[type=submit]")
    assert "/protection/cases/" in page.url
    shot(f"{language}-case-opened")

    page.goto(page.base_url + "/protection/")
    assert _number(page, "open-cases") == "1"
    assert _number(page, "coverage") == "100%"
    page.go_back()

    # Escalate to the embassy, then resolve: repatriated.
    page.select_option("#id_escalate-to", "embassy")
    page.fill("#id_escalate-what", "Asked the embassy to send a doctor")
    submit(page, "[data-testid=escalate-form] button")
    assert page.locator("[data-testid=escalated-to]").count() == 1
    page.select_option("#id_resolve-outcome", "repatriated")
    page.fill("#id_resolve-what", "Flown home with the embassy's help")
    submit(page, "[data-testid=resolve-form] button")
    shot(f"{language}-case-resolved")
    assert Placement.objects.get(pk=worker.pk).stage == "repatriated"
    stage = page.locator("[data-testid=case-facts] [data-testid=placement-stage]").inner_text()
    assert stage == {"en": "Repatriated", "id": "Dipulangkan"}[language]

    page.goto(page.base_url + "/protection/")
    assert _number(page, "open-cases") == "0"
    assert _number(page, "absconding-rate") == "50%"
    shot(f"{language}-dashboard-after")
    page.context.clear_cookies()

    # The official follows the absconding rate to the list of those who absconded.
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.base_url}])
    login(page, serang_official.username)
    page.goto(page.base_url + "/protection/")
    with page.expect_navigation():
        page.locator("[data-testid=protection-table] a[data-testid=absconding-rate]").click()
    assert "state=absconded" in page.url
    rows = page.locator("[data-testid=worker-table] tbody tr[data-placement]")
    assert rows.evaluate_all("rows => rows.map(r => Number(r.dataset.placement))") == [absconder.pk]
    shot(f"{language}-official-absconders")
    assert page.console_errors == []
