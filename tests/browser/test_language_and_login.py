"""Signing in, and the language switch turning the same page into English and back."""

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_signs_in_in_indonesian_and_switches_to_english(page, shot, serang_staff):
    page.goto(page.base_url + "/")
    assert "/accounts/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "id"
    shot("login")
    login(page, serang_staff.username)
    assert page.url.rstrip("/") == page.base_url
    assert "Kota Serang" in page.locator("[data-testid=scope]").inner_text()
    shot("home-id")

    page.click("button[name=language][value=en]")
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("button[name=language][value=en]").get_attribute("aria-pressed") == "true"
    shot("home-en")

    page.click("button[name=language][value=id]")
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.console_errors == []


def test_wrong_password_shows_an_error_and_no_session(page, serang_staff):
    login(page, serang_staff.username, "wrong-password-123")
    assert "/accounts/login/" in page.url
    assert page.locator(".alert-danger").count() == 1
