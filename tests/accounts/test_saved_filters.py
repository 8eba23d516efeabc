"""Saved filters: a list's filters saved under a name by one user, shown only to that user."""

import pytest
from django.contrib.messages import get_messages

from accounts.models import SavedFilter

pytestmark = pytest.mark.django_db
EN = {"language": "en"}


def _save(client, name="Perempuan SMA", path="/candidates/", querystring="sex=F&education=sma&page=3"):
    return client.post("/accounts/filters/save/", {"name": name, "path": path, "querystring": querystring}, **EN)


def test_staff_save_the_current_filter_and_go_back_to_it(staff_client, serang_staff):
    response = _save(staff_client)
    saved = SavedFilter.objects.get()
    assert (saved.user, saved.name, saved.path, saved.querystring) == (
        serang_staff,
        "Perempuan SMA",
        "/candidates/",
        "sex=F&education=sma",  # without the page number
    )
    assert response["Location"] == "/candidates/?sex=F&education=sma"


def test_saving_the_same_name_again_replaces_the_filter(staff_client):
    _save(staff_client)
    _save(staff_client, querystring="sex=M")
    assert list(SavedFilter.objects.values_list("name", "querystring")) == [("Perempuan SMA", "sex=M")]


def test_the_list_shows_only_the_users_own_saved_filters(staff_client, serang_staff, serang_official):
    mine = SavedFilter.objects.create(user=serang_staff, name="Milik saya", path="/candidates/", querystring="sex=F")
    theirs = SavedFilter.objects.create(user=serang_official, name="Milik pejabat", path="/candidates/")
    other_list = SavedFilter.objects.create(user=serang_staff, name="Penempatan", path="/placements/")
    body = staff_client.get("/candidates/?sex=F", **EN).content.decode()
    assert f'data-saved-filter="{mine.pk}"' in body and 'href="/candidates/?sex=F"' in body
    assert f'data-saved-filter="{theirs.pk}"' not in body and f'data-saved-filter="{other_list.pk}"' not in body
    assert 'data-testid="save-filter-form"' in body


def test_the_placement_list_offers_saved_filters_too(official_client, serang_official):
    saved = SavedFilter.objects.create(
        user=serang_official, name="Siap", path="/placements/", querystring="stage=ready"
    )
    body = official_client.get("/placements/?stage=ready", **EN).content.decode()
    assert f'data-saved-filter="{saved.pk}"' in body


def test_a_user_deletes_their_own_filter_but_not_someone_elses(staff_client, blitar_client, serang_staff):
    saved = SavedFilter.objects.create(user=serang_staff, name="Milik saya", path="/candidates/")
    assert blitar_client.post(f"/accounts/filters/{saved.pk}/delete/").status_code == 404
    assert SavedFilter.objects.filter(pk=saved.pk).exists()
    response = staff_client.post(f"/accounts/filters/{saved.pk}/delete/", **EN)
    assert response["Location"] == "/candidates/"
    assert not SavedFilter.objects.exists()


def test_a_read_only_official_may_keep_saved_filters_of_their_own(official_client, serang_official):
    _save(official_client, path="/placements/", querystring="stage=ready")
    assert SavedFilter.objects.get().user == serang_official


def test_a_full_nik_or_a_foreign_address_is_never_saved(staff_client):
    response = _save(staff_client, querystring="q=3673011405990001")
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["A saved filter cannot hold a full NIK."]
    _save(staff_client, path="https://evil.example/candidates/")
    _save(staff_client, path="/no-such-list/")
    assert not SavedFilter.objects.exists()


def test_anonymous_users_are_sent_to_sign_in_and_get_is_refused(client, staff_client):
    assert "/login/" in _save(client)["Location"]
    assert staff_client.get("/accounts/filters/save/")["Location"] == "/"  # a reload goes home (post_only)
    assert not SavedFilter.objects.exists()
