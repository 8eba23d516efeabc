"""Every URL in the URLconf is protected: an anonymous request is sent to a login page, or answers
404/405. A new URL that is neither protected nor on the allow-list below fails the build."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Public on purpose. Keep this list short.
ALLOWED_ANONYMOUS = {
    "accounts:login",
    "healthz",
    "set_language",
    "admin:login",  # Django admin's own sign-in page (axes guards it too)
    "admin:logout",
}

_ARG_SAMPLES = {"int": "999999", "str": "x", "slug": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


def _walk(resolver: URLResolver, prefix: str = "", namespace: str | None = None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if entry.namespace and namespace:
                ns = f"{namespace}:{entry.namespace}"
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name, prefix + str(entry.pattern)


def _concrete(pattern: str) -> str:
    """Turn a route or regex into a path with sample arguments."""
    path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: _ARG_SAMPLES.get(m.group(1) or "str", "x"), pattern)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)  # regex groups (admin)
    path = re.sub(r"\(\?:[^)]*\)\??", "", path)
    path = path.lstrip("^").rstrip("$").replace("\\", "").replace("^", "").replace("$", "")
    return "/" + path


ALL_URLS = sorted(set(_walk(get_resolver())), key=lambda x: x[1])


def test_the_walker_finds_the_main_areas():
    names = {name for name, _ in ALL_URLS}
    for expected in [
        "home",
        "candidates:candidate_list",
        "programmes:agreement_list",
        "placements:placement_list",
        "messaging:send_to_list",
        "messaging:broadcast_detail",
        "messaging:consent_give",
    ]:
        assert expected in names


@pytest.mark.parametrize(("name", "pattern"), ALL_URLS, ids=[f"{n}|{p}" for n, p in ALL_URLS])
@pytest.mark.django_db
def test_anonymous_request_is_sent_to_login(client, name, pattern):
    if name in ALLOWED_ANONYMOUS or pattern.startswith("static/"):
        return
    url = _concrete(pattern)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if response.status_code in (301, 302):
            location = response["Location"]
            assert "/login/" in location, f"{method.upper()} {url} redirects to {location}, not to a login page"
        else:
            assert response.status_code in (404, 405), (
                f"{method.upper()} {url} answered {response.status_code} to an anonymous user"
            )


@pytest.mark.django_db
def test_allowed_anonymous_urls_are_what_they_claim(client):
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/healthz").json() == {"status": "ok", "database": True}
