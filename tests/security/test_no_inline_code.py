"""No inline script, style or event handler on any page: the Content-Security-Policy (script-src and
style-src 'self') would block them, so the page would silently break in production.

Walks every URL in the URLconf (like tests/test_url_walker.py), fills its arguments with the ids of
real Serang records, and scans every HTML page that renders for Serang's staff, official and
agreement admin, and the admin changelists for a superuser.
"""

import itertools
import re

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

PROBLEMS = {
    "inline <script>": re.compile(
        r"<script\b(?![^>]*\bsrc\s*=)(?![^>]*\btype\s*=\s*[\"']application/(?:ld\+)?json[\"'])[^>]*>", re.I
    ),
    "<style> block": re.compile(r"<style\b", re.I),
    "style= attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    "on*= event handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "hx-on (needs eval)": re.compile(r"<[a-z][^>]*\shx-on(?::|-|\s*=)", re.I),
    "javascript: URL": re.compile(r"(?:href|src|action)\s*=\s*[\"']\s*javascript:", re.I),
}
SKIP_NAMES = {"accounts:logout", "set_language", "healthz"}
MAX_TRIES_PER_URL = 60


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


APP_URLS = sorted(
    {
        (name, pattern)
        for name, pattern in _walk(get_resolver())
        if not pattern.startswith(("admin/", "static/", "^")) and name not in SKIP_NAMES
    },
    key=lambda x: x[1],
)
ARG = re.compile(r"<(?:(\w+):)?(\w+)>")


def _paths(pattern: str, ids: list[int]):
    """Concrete paths for a route: every combination of the sample ids for its int arguments."""
    args = ARG.findall(pattern)
    samples = [ids if converter in ("int", "") else ["x"] for converter, _ in args]
    for combo in itertools.islice(itertools.product(*samples), MAX_TRIES_PER_URL):
        values = iter(combo)
        yield "/" + ARG.sub(lambda _match, values=values: str(next(values)), pattern)


def problems_in(html: str) -> list[str]:
    found = []
    for label, regex in PROBLEMS.items():
        for match in regex.finditer(html):
            found.append(f"{label}: {match.group(0)[:120]!r}")
    return found


def _scan(client, paths) -> tuple[dict[str, list[str]], set[str]]:
    failures, rendered = {}, set()
    client.raise_request_exception = False  # a crash is reported with the page's name, below
    for path in paths:
        response = client.get(path)
        if response.status_code >= 500:
            failures[path] = [f"answered {response.status_code}"]
            continue
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        rendered.add(path)
        found = problems_in(response.content.decode())
        if found:
            failures[path] = found
    return failures, rendered


def _report(failures: dict[str, list[str]]) -> str:
    return "Inline code that the CSP blocks, or a crash:\n" + "\n".join(
        f"  {page}\n    " + "\n    ".join(found) for page, found in sorted(failures.items())
    )


def test_the_scanner_finds_what_it_looks_for():
    html = (
        '<script>alert(1)</script><script src="/static/a.js"></script>'
        '<script id="d" type="application/json">{}</script><style>p{}</style>'
        '<p style="color:red"><button onclick="x()"><div hx-on:click="y()"><a href="javascript:z()">'
    )
    labels = [problem.split(":")[0] for problem in problems_in(html)]
    assert labels == [
        "inline <script>",
        "<style> block",
        "style= attribute",
        "on*= event handler",
        "hx-on (needs eval)",
        "javascript",
    ]


def test_the_signed_out_pages_have_no_inline_code(client):
    failures, rendered = _scan(client, ["/accounts/login/"])
    assert rendered == {"/accounts/login/"}
    assert not failures, _report(failures)


def test_every_page_for_serang_users_has_no_inline_code(
    serang_world, staff_client, official_client, admin_client_serang
):
    ids = sorted({obj.pk for obj in serang_world.values()})
    paths = [path for _, pattern in APP_URLS for path in _paths(pattern, ids)]
    failures, rendered = {}, set()
    for client in (staff_client, official_client, admin_client_serang):
        client_failures, client_rendered = _scan(client, paths)
        failures.update(client_failures)
        rendered |= client_rendered
    assert not failures, _report(failures)
    # The scan must not pass by rendering nothing: the main pages were among those checked.
    w = serang_world
    must_render = {
        "/",
        "/candidates/",
        f"/candidates/{w['candidate'].pk}/",
        "/agreements/",
        f"/agreements/{w['agreement'].pk}/",
        "/programmes/",
        f"/programmes/{w['programme'].pk}/",
        "/placements/",
        f"/placements/{w['placement'].pk}/",
        "/accounts/password/",
        "/accounts/confirm/",
    }
    assert must_render <= rendered, f"not rendered: {sorted(must_render - rendered)}"


def test_the_admin_changelists_have_no_inline_code(serang_world, superuser_client):
    paths = ["/admin/"] + [
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/" for model in admin.site._registry
    ]
    failures, rendered = _scan(superuser_client, paths)
    assert not failures, _report(failures)
    assert "/admin/accounts/user/" in rendered
