"""Error pages in Rantau's layout and the user's language, with a way back (core.errors)."""

import pytest
from django.test import Client
from django.urls import include, path

from core import errors
from tests.clients import LanguageClient

pytestmark = pytest.mark.django_db


def _broken(request):
    raise RuntimeError("a bug")


# The project's URLconf plus one view that fails, to see the 500 page the way production shows it.
urlpatterns = [path("broken/", _broken), path("", include("config.urls"))]
handler500 = errors.server_error


def test_settings_run_these_tests_as_production_does(settings):
    assert settings.DEBUG is False  # Django's own debug pages would otherwise hide ours


def test_a_missing_page_is_the_house_404_with_a_way_back(staff_client):
    response = staff_client.get("/candidates/999999999/", HTTP_REFERER="http://testserver/candidates/")
    body = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="error-page"' in body and "Halaman tidak ditemukan" in body
    assert 'href="http://testserver/candidates/"' in body  # back to where the user came from
    assert 'href="/candidates/"' in body  # the navigation: the layout, not Django's plain text
    assert '<html lang="id">' in body


def test_an_unknown_address_is_the_house_404_for_an_anonymous_visitor_too(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()
    assert "<h1>Not Found</h1>" not in response.content.decode()


def test_a_back_link_never_leads_off_the_site(staff_client):
    body = staff_client.get("/no-such-page/", HTTP_REFERER="https://elsewhere.example/phish").content.decode()
    assert "elsewhere.example" not in body
    assert 'href="/" data-testid="error-back"' in body


def test_staff_opening_the_national_overview_get_the_house_403_in_bahasa_indonesia(staff_client):
    response = staff_client.get("/national/", HTTP_ACCEPT_LANGUAGE="en")  # the browser's language does not matter
    body = response.content.decode()
    assert response.status_code == 403
    assert "Tidak diizinkan" in body and "Kembali" in body
    assert "403 Forbidden" not in body


def test_the_403_page_follows_the_users_language_choice(staff_client):
    body = staff_client.get("/national/", language="en").content.decode()
    assert "Not allowed" in body and '<html lang="en">' in body


def test_a_wrong_method_is_the_house_405_page_with_its_allow_header(staff_client):
    response = staff_client.post("/candidates/")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert "Alamat ini tidak dibuka dengan cara itu" in response.content.decode()


def test_the_api_keeps_its_json_errors(client):
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")


def test_a_bad_request_is_the_house_400_page(rf, serang_staff):
    request = rf.get("/")
    request.user = serang_staff
    response = errors.bad_request(request)
    assert response.status_code == 400 and "Permintaan tidak dapat dibaca" in response.content.decode()


def test_a_failure_is_the_house_500_page_without_the_database(settings):
    settings.ROOT_URLCONF = __name__
    response = LanguageClient(raise_request_exception=False).get("/broken/", language="en")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in body and 'href="/"' in body and "favicon.svg" in body


def test_the_500_page_is_in_bahasa_indonesia_by_default(settings):
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/broken/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500 and "Terjadi kesalahan" in response.content.decode()
