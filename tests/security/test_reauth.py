"""Changing users in the admin (roles, staff and superuser flags, municipality, passwords) needs a
fresh password confirmation at /accounts/confirm/, valid for ten minutes."""

import time

import pytest
from django.contrib.auth.models import Group

from accounts import reauth
from accounts.models import Role, Session

pytestmark = pytest.mark.django_db
CONFIRM = "/accounts/confirm/"


@pytest.fixture
def confirmed_client(superuser_client):
    response = superuser_client.post(CONFIRM, {"password": "correct-horse-battery", "next": "/admin/"})
    assert response.status_code == 302
    return superuser_client


def _change_url(user):
    return f"/admin/accounts/user/{user.pk}/change/"


def _user_form(user, **changes):
    """The admin change form's fields for `user`, with `changes` applied."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "groups": [g.pk for g in user.groups.all()],
        "municipality": user.municipality_id or "",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    data.update(changes)
    # A browser leaves unticked checkboxes out of the POST.
    checkboxes = {"is_active", "is_staff", "is_superuser"}
    return {k: v for k, v in data.items() if not (k in checkboxes and not v)}


@pytest.mark.parametrize(
    "path",
    [
        "/admin/accounts/user/{pk}/change/",
        "/admin/accounts/user/add/",
        "/admin/accounts/user/{pk}/password/",
        "/admin/accounts/user/{pk}/delete/",
    ],
)
def test_user_admin_pages_ask_for_the_password_first(superuser_client, serang_staff, path):
    url = path.format(pk=serang_staff.pk)
    response = superuser_client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{CONFIRM}?next={url.replace('/', '%2F')}"


def test_a_role_change_posted_without_confirmation_changes_nothing(superuser_client, serang_staff):
    response = superuser_client.post(_change_url(serang_staff), _user_form(serang_staff, is_superuser="on"))
    assert response.status_code == 302
    assert response["Location"].startswith(CONFIRM)
    serang_staff.refresh_from_db()
    assert serang_staff.is_superuser is False


def test_the_confirm_page_explains_why_in_english(superuser_client, english):
    page = superuser_client.get(f"{CONFIRM}?next=/admin/", **english).content.decode()
    assert "needs your password again" in page
    assert "10 minutes" in page


def test_a_wrong_password_is_refused_and_gives_no_confirmation(superuser_client, english):
    response = superuser_client.post(CONFIRM, {"password": "wrong-password-1", "next": "/admin/"}, **english)
    assert response.status_code == 200
    assert "That is not your password." in response.content.decode()
    assert superuser_client.get("/admin/accounts/user/add/").status_code == 302


def test_wrong_passwords_on_the_confirm_page_count_towards_the_lockout(superuser_client):
    for i in range(5):
        response = superuser_client.post(CONFIRM, {"password": f"guess-{i}-wrong", "next": "/admin/"})
    assert response.status_code == 429
    response = superuser_client.post(CONFIRM, {"password": "correct-horse-battery", "next": "/admin/"})
    assert response.status_code == 429


def test_the_right_password_returns_to_the_page_asked_for(superuser_client, serang_staff):
    url = _change_url(serang_staff)
    response = superuser_client.post(CONFIRM, {"password": "correct-horse-battery", "next": url})
    assert response.status_code == 302
    assert response["Location"] == url
    assert superuser_client.get(url).status_code == 200


def test_the_confirm_page_never_sends_the_user_to_another_site(superuser_client):
    response = superuser_client.post(
        CONFIRM, {"password": "correct-horse-battery", "next": "https://evil.example/phish"}
    )
    assert response["Location"] == "/"


def test_after_confirmation_a_role_change_is_saved(confirmed_client, serang_staff):
    official = Group.objects.get(name=Role.OFFICIAL.value)
    response = confirmed_client.post(_change_url(serang_staff), _user_form(serang_staff, groups=[official.pk]))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert [g.name for g in serang_staff.groups.all()] == [Role.OFFICIAL.value]


def test_a_confirmation_older_than_ten_minutes_is_asked_again(confirmed_client, serang_staff):
    session = confirmed_client.session
    session["rantau_confirmed_at"] = int(time.time()) - reauth.REAUTH_MAX_AGE - 1
    session.save()
    response = confirmed_client.get(_change_url(serang_staff))
    assert response.status_code == 302
    assert response["Location"].startswith(CONFIRM)


def test_deactivating_in_the_change_form_ends_the_users_sessions(confirmed_client, staff_client, serang_staff):
    assert Session.objects.filter(user=serang_staff).exists()
    response = confirmed_client.post(_change_url(serang_staff), _user_form(serang_staff, is_active=""))
    assert response.status_code == 302
    serang_staff.refresh_from_db()
    assert serang_staff.is_active is False
    assert not Session.objects.filter(user=serang_staff).exists()
    assert staff_client.get("/").status_code == 302


def test_the_deactivate_action_ends_the_sessions_of_the_selected_users(
    superuser_client, staff_client, official_client, serang_staff, serang_official
):
    response = superuser_client.post(
        "/admin/accounts/user/",
        {"action": "deactivate_users", "_selected_action": [serang_staff.pk, serang_official.pk]},
    )
    assert response.status_code == 302
    assert not Session.objects.filter(user__in=[serang_staff, serang_official]).exists()
    assert staff_client.get("/").status_code == 302
    assert official_client.get("/").status_code == 302


def test_agreement_admins_cannot_open_the_user_admin(admin_client_serang, serang_staff):
    # They use /admin/ for agreements, but users are the superuser's business.
    assert admin_client_serang.get("/admin/accounts/user/").status_code == 403
