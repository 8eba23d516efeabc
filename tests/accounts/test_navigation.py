"""The main navigation is rendered once per page, language and kind of user (accounts_tags.main_nav):
what one user's page showed never reaches another's."""

import pytest
from django.test import Client
from django.urls import reverse

PRIVACY_LINK = 'href="/privacy/"'
ADMIN_LINK = 'href="/admin/"'
CANDIDATES_LINK = 'href="/candidates/"'


def _nav(client, url) -> str:
    body = client.get(url).content.decode()
    start = body.index('<ul class="navbar-nav')
    return body[start : body.index('<div class="d-flex align-items-center', start)]


@pytest.mark.django_db
def test_each_user_sees_their_own_menu_on_the_same_page(serang_staff, national_viewer, superuser):
    url = reverse("accounts:password_change")
    staff, national, admin = Client(), Client(), Client()
    staff.force_login(serang_staff)
    national.force_login(national_viewer)
    admin.force_login(superuser)
    first_staff = _nav(staff, url)
    assert PRIVACY_LINK in first_staff and CANDIDATES_LINK in first_staff and ADMIN_LINK not in first_staff
    # The national viewer reads counts only: no lists of people, no personal-data requests.
    national_nav = _nav(national, url)
    assert PRIVACY_LINK not in national_nav and CANDIDATES_LINK not in national_nav
    # A superuser has every permission but no municipality: no personal-data link, the admin link.
    admin_nav = _nav(admin, url)
    assert PRIVACY_LINK not in admin_nav and ADMIN_LINK in admin_nav and CANDIDATES_LINK in admin_nav
    assert _nav(staff, url) == first_staff


@pytest.mark.django_db
def test_the_current_section_is_marked_on_each_page(staff_client):
    candidates = _nav(staff_client, reverse("candidates:candidate_list"))
    assert 'nav-link active" aria-current="page" href="/candidates/"' in candidates
    password = _nav(staff_client, reverse("accounts:password_change"))
    assert 'aria-current="page"' not in password
    assert 'nav-link" href="/candidates/"' in password


@pytest.mark.django_db
def test_the_menu_follows_the_language(serang_staff):
    client = Client()
    client.force_login(serang_staff)
    url = reverse("accounts:password_change")
    assert ">Calon pekerja<" in _nav(client, url)
    serang_staff.language = "en"
    serang_staff.save(update_fields=["language"])
    assert ">Candidates<" in _nav(client, url)
