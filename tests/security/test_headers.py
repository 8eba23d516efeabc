"""Security headers on real responses, with the settings production computes (DEBUG=False, TLS on)."""

import pytest

from .conftest import sign_in
from .production import production_security_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    """Apply production's security settings; the test client's host is allowed."""
    for name, value in production_security_settings().items():
        setattr(settings, name, value)
    settings.ALLOWED_HOSTS = ["testserver"]
    return settings


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_production_runs_without_debug(production):
    assert production.DEBUG is False


def test_plain_http_is_redirected_to_https(production, client):
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_pages_carry_the_security_headers(production, client, serang_staff, who):
    if who == "staff":
        client.force_login(serang_staff)
    response = client.get("/accounts/login/" if who == "anonymous" else "/", secure=True)
    assert response.status_code == 200

    hsts = dict((part.strip().split("=") + [True])[:2] for part in response["Strict-Transport-Security"].split(";"))
    assert int(hsts["max-age"]) >= 31536000
    assert "includeSubDomains" in hsts
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_content_security_policy_allows_no_inline_code(production, client):
    csp = _csp(client.get("/accounts/login/", secure=True))
    for directive in ("script-src", "style-src"):
        assert csp[directive] == ["'self'"], f"{directive}: {csp[directive]}"
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    flat = " ".join(v for values in csp.values() for v in values)
    for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"):
        assert unsafe not in flat.split(), f"{unsafe} in the policy"


def test_error_pages_carry_the_headers_too(production, client, staff_client):
    response = staff_client.get("/candidates/999999/", secure=True)
    assert response.status_code == 404
    assert response["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "Strict-Transport-Security" in response


def test_session_and_csrf_cookies_are_secure_httponly_and_same_site(production, client, serang_staff):
    client.get("/accounts/login/", secure=True)
    csrf = client.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"
    response = sign_in(client, "serang.staff", secure=True)
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


def test_signed_in_pages_are_never_stored_by_browsers_or_proxies(production, staff_client):
    response = staff_client.get("/", secure=True)
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


def test_an_unknown_page_shows_no_debug_information(client):
    response = client.get("/this/does/not/exist/")
    assert response.status_code == 404
    assert b"URLconf" not in response.content  # Django's technical 404 page lists the URLconf
