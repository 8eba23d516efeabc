"""Sessions: idle and absolute timeouts, a new key at sign-in, and an end when the user is
deactivated or changes their password elsewhere."""

import time

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client

from accounts.middleware import SEEN, STARTED
from accounts.models import Session
from accounts.services import user_deactivate, user_sessions_end

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def _shift_clocks(client: Client, *, started_ago: int, seen_ago: int) -> None:
    """Pretend the session started `started_ago` seconds ago and was last used `seen_ago` ago."""
    session = client.session
    now = int(time.time())
    session[STARTED] = now - started_ago
    session[SEEN] = now - seen_ago
    session.save()


def test_the_timeouts_are_thirty_minutes_idle_and_twelve_hours_in_all():
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60


def test_signing_in_starts_both_clocks(client, serang_staff):
    before = int(time.time())
    sign_in(client, "serang.staff")
    session = client.session
    assert before <= session[STARTED] <= int(time.time())
    assert session[SEEN] == session[STARTED]


def test_a_session_idle_for_29_minutes_is_still_signed_in(staff_client):
    staff_client.get("/")
    _shift_clocks(staff_client, started_ago=60 * 60, seen_ago=29 * 60)
    response = staff_client.get("/")
    assert response.status_code == 200
    assert response.context["user"].username == "serang.staff"


def test_a_session_idle_for_more_than_30_minutes_is_signed_out(staff_client, english):
    staff_client.get("/")
    _shift_clocks(staff_client, started_ago=60 * 60, seen_ago=30 * 60 + 1)
    response = staff_client.get("/candidates/?page=2", **english)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/candidates/%3Fpage%3D2"
    assert SESSION_KEY not in staff_client.session
    login_page = staff_client.get(response["Location"], **english).content.decode()
    assert "Your session has ended. Please sign in again." in login_page


def test_using_the_app_keeps_the_idle_clock_running_from_the_last_request(staff_client):
    staff_client.get("/")
    _shift_clocks(staff_client, started_ago=60 * 60, seen_ago=20 * 60)
    assert staff_client.get("/").status_code == 200  # touches the idle clock
    assert int(time.time()) - staff_client.session[SEEN] < 5


def test_a_session_older_than_twelve_hours_is_signed_out_even_when_active(staff_client):
    staff_client.get("/")
    _shift_clocks(staff_client, started_ago=12 * 60 * 60 + 1, seen_ago=10)
    response = staff_client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert SESSION_KEY not in staff_client.session


def test_an_htmx_request_after_the_timeout_redirects_the_whole_page(staff_client):
    staff_client.get("/")
    _shift_clocks(staff_client, started_ago=60 * 60, seen_ago=31 * 60)
    response = staff_client.get(
        "/candidates/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/placements/?stage=ready"
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/login/?next=/placements/%3Fstage%3Dready"


def test_signing_in_gives_a_new_session_key(client, serang_staff):
    session = client.session  # an anonymous session, as a visitor (or an attacker fixing it) has
    session["language_hint"] = "id"
    session.save()
    anonymous_key = session.session_key
    assert client.cookies[settings.SESSION_COOKIE_NAME].value == anonymous_key

    assert sign_in(client, "serang.staff").status_code == 302
    signed_in_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert signed_in_key != anonymous_key
    assert not Session.objects.filter(session_key=anonymous_key).exists()
    assert Session.objects.get(session_key=signed_in_key).user == serang_staff


def test_sessions_record_their_user(client, serang_staff):
    sign_in(client, "serang.staff")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.get(session_key=key).user_id == serang_staff.pk


def test_deactivating_a_user_deletes_all_their_sessions(serang_staff, serang_official, superuser):
    browsers = [Client(), Client()]
    for browser in browsers:
        sign_in(browser, "serang.staff")
    other = Client()
    sign_in(other, "serang.official")
    assert Session.objects.filter(user=serang_staff).count() == 2

    user_deactivate(user=serang_staff, by=superuser)

    serang_staff.refresh_from_db()
    assert serang_staff.is_active is False
    assert not Session.objects.filter(user=serang_staff).exists()
    for browser in browsers:
        assert browser.get("/").status_code == 302
    assert other.get("/").status_code == 200  # other users stay signed in


def test_an_inactive_user_with_a_surviving_session_is_treated_as_anonymous(staff_client, serang_staff):
    # Deactivated behind the service's back (a bulk update): the backend still refuses the user.
    type(serang_staff).objects.filter(pk=serang_staff.pk).update(is_active=False)
    response = staff_client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_inactive_user_cannot_sign_in(client, serang_staff):
    serang_staff.is_active = False
    serang_staff.save()
    response = sign_in(client, "serang.staff")
    assert response.status_code == 200  # the form again, with an error
    assert SESSION_KEY not in client.session


def test_ending_sessions_counts_them(serang_staff):
    for _ in range(3):
        sign_in(Client(), "serang.staff")
    assert user_sessions_end(user=serang_staff) == 3
