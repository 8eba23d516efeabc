"""No dead ends (issue 18): error pages in the house layout and language, a reload (GET) after a refused
move, the language switch after a form error, and the agreement's skip rule in the browser."""

import pytest

from programmes.models import AgreementStage, AgreementStageEvent
from tests.browser.conftest import login, submit
from tests.factories import AgreementFactory, PlacementFactory, ruled_programme, today

# Not serialized: these run after test_language_and_login.py, whose flushes recreate the content types
# (tests/conftest.py replays the reference data after every flush).
pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_get_the_house_403_and_404_pages_in_bahasa_indonesia_with_a_way_back(page, shot, serang_staff):
    login(page, serang_staff.username)
    response = page.goto(page.base_url + "/national/", referer=page.base_url + "/candidates/")
    assert response.status == 403
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("[data-testid=error-page] h1").inner_text() == "Tidak diizinkan"
    assert page.locator("header [data-testid=user-menu]").count() == 1  # the house layout, with its navigation
    shot("403")
    page.click("[data-testid=error-back]")
    page.wait_for_load_state("domcontentloaded")
    assert page.url == page.base_url + "/candidates/"

    response = page.goto(page.base_url + "/candidates/99999999/")
    assert response.status == 404
    assert page.locator("[data-testid=error-page] h1").inner_text() == "Halaman tidak ditemukan"
    shot("404")
    page.click("header .navbar-brand")
    page.wait_for_load_state("domcontentloaded")
    assert page.url.rstrip("/") == page.base_url


def test_a_reload_and_the_language_switch_after_a_refused_move_return_to_the_placement(page, shot, serang_staff):
    placement = PlacementFactory(programme=ruled_programme(), stage="registered")
    login(page, serang_staff.username)
    page.goto(f"{page.base_url}/placements/{placement.pk}/")
    page.select_option("[data-testid=move-form] select[name=to_stage]", "ready")
    submit(page, "[data-testid=move-form] button[type=submit]")
    assert page.url.endswith(f"/placements/{placement.pk}/move/")
    assert page.locator(".alert-danger, [data-testid=refused]").count() >= 1
    shot("refused-move")

    # A reload of that address (a GET) lands on the placement, not on "HTTP ERROR 405".
    response = page.goto(page.url)
    assert response.status == 200
    assert page.url == f"{page.base_url}/placements/{placement.pk}/"
    shot("after-reload")

    # The same for the language switch pressed on the refused move's page.
    page.goto(f"{page.base_url}/placements/{placement.pk}/")
    page.select_option("[data-testid=move-form] select[name=to_stage]", "ready")
    submit(page, "[data-testid=move-form] button[type=submit]")
    submit(page, "button[name=language][value=en]")
    assert page.url == f"{page.base_url}/placements/{placement.pk}/"
    assert page.locator("html").get_attribute("lang") == "en"
    shot("after-language-switch")


def test_the_agreement_skip_rule_in_the_browser(page, shot, serang, serang_admin, private_storage):
    entered = today().replace(day=1) if today().day > 1 else today()
    agreement = AgreementFactory(municipality=serang, stage=AgreementStage.LOA, stage_entered_on=entered)
    AgreementStageEvent.objects.create(agreement=agreement, stage=AgreementStage.LOA, occurred_on=entered, note="LoA")
    login(page, serang_admin.username)
    page.goto(f"{page.base_url}/agreements/{agreement.pk}/")
    stage = page.locator("[data-testid=move-form] select[name=stage]")
    assert stage.input_value() == AgreementStage.FULL_POWER  # the next stage, preselected
    assert not page.locator("[data-testid=passed-over]").is_visible()  # nothing skipped

    stage.select_option(AgreementStage.MOU_SIGNED)
    row = page.locator("[data-passed-over-stage=full_power]")
    assert row.is_visible()
    assert not page.locator("[data-passed-over-stage=active]").is_visible()
    page.fill("[data-testid=move-form] textarea[name=note]", "MoU ditandatangani.")
    submit(page, "[data-testid=move-form] button[type=submit]")
    error = page.locator('[data-field-error="skip_full_power_on"]')
    assert "melewati" in error.inner_text()
    shot("silent-skip-refused")
    agreement.refresh_from_db()
    assert agreement.stage == AgreementStage.LOA

    page.fill("input[name=skip_full_power_reason]", "Ditandatangani langsung oleh Wali Kota.")
    submit(page, "[data-testid=move-form] button[type=submit]")
    assert page.url == f"{page.base_url}/agreements/{agreement.pk}/"
    stages = page.locator("[data-testid=timeline] [data-stage]").evaluate_all("els => els.map(e => e.dataset.stage)")
    assert stages == ["loa", "full_power", "mou_signed"]
    assert "Ditandatangani langsung" in page.locator("[data-testid=timeline] [data-stage=full_power]").inner_text()
    shot("skip-recorded-with-reason")
