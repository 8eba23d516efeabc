"""Bahasa Indonesia whatever the browser says; a user's language choice is kept on their account."""

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_with_an_english_browser_gets_bahasa_indonesia():
    response = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Masuk ke Rantau" in response.content.decode()
    assert response["Content-Language"] == "id"


def test_a_user_without_a_choice_gets_bahasa_indonesia_whatever_the_browser_says(serang_staff):
    client = Client()
    client.force_login(serang_staff)
    body = client.get("/candidates/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="id">' in body and "Calon pekerja" in body


def test_the_language_switch_keeps_the_choice_on_the_account(serang_staff):
    client = Client()
    client.force_login(serang_staff)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/candidates/"})
    assert response["Location"] == "/candidates/"
    serang_staff.refresh_from_db()
    assert serang_staff.language == "en"
    # Another computer (no cookie, an Indonesian browser): the account's choice holds.
    elsewhere = Client()
    elsewhere.force_login(serang_staff)
    response = elsewhere.get("/candidates/", HTTP_ACCEPT_LANGUAGE="id")
    assert '<html lang="en">' in response.content.decode()
    # ... and stays on that computer's login page after signing out.
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    elsewhere.post("/accounts/logout/")
    assert "Sign in to Rantau" in elsewhere.get("/accounts/login/").content.decode()


def test_the_accounts_choice_wins_over_a_cookie_left_by_someone_else(serang_staff):
    serang_staff.language = "id"
    serang_staff.save(update_fields=["language"])
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(serang_staff)
    assert '<html lang="id">' in client.get("/candidates/").content.decode()


def test_a_language_not_offered_is_not_saved(serang_staff):
    client = Client()
    client.force_login(serang_staff)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert User.objects.get(pk=serang_staff.pk).language == ""


def test_the_api_answers_in_its_clients_language(client):
    body = client.get("/api/v1/candidates/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert client.get("/api/v1/candidates/").json() != body  # the same error, in Bahasa Indonesia by default
