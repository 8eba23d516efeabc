"""Changing one's own password at /accounts/password/: the current password is required, the
validators apply, this session stays signed in and the user's other sessions end."""

import pytest
from django.contrib.auth import SESSION_KEY

from tests.clients import LanguageClient as Client

from .conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db
URL = "/accounts/password/"
NEW = "kopi-tubruk-pagi-hari"


def _change(client, old=PASSWORD, new1=NEW, new2=NEW, **extra):
    return client.post(URL, {"old_password": old, "new_password1": new1, "new_password2": new2}, **extra)


def test_the_page_asks_for_the_current_password_in_english(staff_client, english):
    page = staff_client.get(URL, **english).content.decode()
    assert 'name="old_password"' in page
    assert "Change password" in page


def test_the_page_speaks_indonesian_by_default(staff_client):
    assert '<html lang="id">' in staff_client.get(URL).content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/password/"


def test_a_wrong_current_password_changes_nothing(staff_client, serang_staff, english):
    response = _change(staff_client, old="not-my-password-1", **english)
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    serang_staff.refresh_from_db()
    assert serang_staff.check_password(PASSWORD)


def test_wrong_current_passwords_count_towards_the_lockout(staff_client, serang_staff):
    responses = [_change(staff_client, old=f"guess-number-{i}") for i in range(5)]
    assert responses[-1].status_code == 429
    serang_staff.refresh_from_db()
    assert serang_staff.check_password(PASSWORD)


def test_a_weak_new_password_is_refused_with_the_reason(staff_client, serang_staff, english):
    response = _change(staff_client, new1="short1", new2="short1", **english)
    assert "This password is too short. It must contain at least 10 characters." in response.content.decode()
    serang_staff.refresh_from_db()
    assert serang_staff.check_password(PASSWORD)


def test_a_good_change_keeps_this_session_and_ends_the_others(serang_staff, english):
    here, elsewhere = Client(), Client()
    sign_in(here, "serang.staff")
    sign_in(elsewhere, "serang.staff")

    response = _change(here, **english)

    assert response.status_code == 302
    assert response["Location"] == "/"
    serang_staff.refresh_from_db()
    assert serang_staff.check_password(NEW)
    assert "Your password has been changed." in here.get("/", **english).content.decode()
    assert here.session[SESSION_KEY] == str(serang_staff.pk)
    # The other browser's session no longer matches the password: it is signed out.
    assert elsewhere.get("/").status_code == 302


def test_every_page_links_to_the_password_change(staff_client):
    assert 'href="/accounts/password/"' in staff_client.get("/").content.decode()
