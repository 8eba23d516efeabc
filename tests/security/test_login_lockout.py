"""Repeated failed sign-ins lock the username (from that address) for AXES_COOLOFF_TIME (django-axes)."""

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY

from .conftest import LOGIN_URL, sign_in

pytestmark = pytest.mark.django_db


def _fail(client, username, times, **extra):
    return [sign_in(client, username, "wrong-password-123", **extra) for _ in range(times)]


def test_the_limit_is_five_failures_and_the_lock_lasts_thirty_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60


def test_four_failures_still_show_the_login_form_with_an_error(client, serang_staff, english):
    responses = _fail(client, "serang.staff", 4, **english)
    assert [r.status_code for r in responses] == [200] * 4
    assert "Please enter a correct username and password" in responses[-1].content.decode()


def test_the_fifth_failure_locks_the_account_with_a_429(client, serang_staff, english):
    *_, fifth = _fail(client, "serang.staff", 5, **english)
    assert fifth.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in fifth.templates]


def test_the_sixth_attempt_with_the_right_password_is_refused(client, serang_staff):
    _fail(client, "serang.staff", 5)
    response = sign_in(client, "serang.staff")
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    assert client.get("/").status_code == 302  # still anonymous: sent to the login page


def test_the_locked_page_explains_in_english(client, serang_staff, english):
    _fail(client, "serang.staff", 5, **english)
    page = sign_in(client, "serang.staff", **english).content.decode()
    assert '<html lang="en">' in page
    assert "Too many failed sign-in attempts" in page
    assert "30 minutes" in page


def test_the_locked_page_speaks_indonesian_by_default(client, serang_staff):
    _fail(client, "serang.staff", 5)
    response = sign_in(client, "serang.staff")
    page = response.content.decode()
    assert '<html lang="id">' in page
    assert 'data-testid="lockout-message"' in page
    assert "30" in page


def test_a_lock_on_one_username_does_not_block_another_user(client, serang_staff, serang_official):
    _fail(client, "serang.staff", 5)
    response = sign_in(client, "serang.official")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(serang_official.pk)


def test_a_successful_sign_in_resets_the_failure_count(client, serang_staff):
    _fail(client, "serang.staff", 4)
    assert sign_in(client, "serang.staff").status_code == 302
    client.post("/accounts/logout/")
    # Four more failures are again below the limit.
    assert [r.status_code for r in _fail(client, "serang.staff", 4)] == [200] * 4
    assert sign_in(client, "serang.staff").status_code == 302


def test_the_admin_sign_in_page_is_locked_too(client, superuser):
    for _ in range(5):
        response = client.post("/admin/login/", {"username": "root", "password": "wrong-password-123"})
    assert response.status_code == 429
    response = client.post("/admin/login/", {"username": "root", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_the_login_page_is_where_the_form_posts(client):
    # Guard for the tests above: they post to the real login URL.
    assert client.get(LOGIN_URL).status_code == 200
