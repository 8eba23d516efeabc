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
        "protection:dashboard",
        "protection:case_detail",
        "messaging:send_to_list",
        "messaging:broadcast_detail",
        "messaging:consent_give",
        "scholarships:round_detail",
        "scholarships:application_detail",
        "scholarships:announcement",
    ]:
        assert expected in names


@pytest.mark.parametrize(("name", "pattern"), ALL_URLS, ids=[f"{n}|{p}" for n, p in ALL_URLS])
@pytest.mark.django_db
def test_anonymous_request_is_sent_to_login(client, name, pattern):
    if name in ALLOWED_ANONYMOUS or pattern.startswith("static/") or name in API_TOKEN_URLS:
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
def test_delivery_report_addresses_answer_only_what_the_provider_signed(client, settings):
    # No user signs in there: the provider's signature is the authentication (messaging.views.delivery_report).
    assert "messaging:delivery_report" in {name for name, _ in ALL_URLS}
    settings.WHATSAPP_APP_SECRET = settings.VONAGE_SIGNATURE_SECRET = "configured"
    for provider in ("whatsapp_cloud", "vonage"):
        url = f"/messages/delivery/{provider}/"
        assert client.post(url, {"status": "delivered", "messageId": "1"}).status_code == 403
        assert client.get(url, {"status": "delivered", "messageId": "1"}).status_code == 403


@pytest.mark.django_db
def test_allowed_anonymous_urls_are_what_they_claim(client):
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/healthz").json() == {"status": "ok", "database": True}


# --- the API (/api/v1/): tokens instead of the login page ------------------------------------------
# Every API URL but the docs page (HTML, for signed-in staff) answers an anonymous request with 401,
# another municipality's record with 404, and a read-only client's write with 403.

API_URLS = [(name, pattern) for name, pattern in ALL_URLS if pattern.startswith("api/")]
API_TOKEN_URLS = {name for name, _ in API_URLS if name not in ("api:docs", "api:not_found")}


def test_the_walker_finds_the_api():
    names = {name for name, _ in API_URLS}
    assert {"api:candidate-list", "api:candidate-detail", "api:placement-move", "api:statistics"} <= names
    assert len(API_TOKEN_URLS) >= 20


@pytest.mark.parametrize(("name", "pattern"), API_URLS, ids=[f"{n}|{p}" for n, p in API_URLS])
@pytest.mark.django_db
def test_anonymous_api_request_answers_401(client, name, pattern):
    if name not in API_TOKEN_URLS:
        return
    url = _concrete(pattern)
    for method in ("get", "post", "patch"):
        response = getattr(client, method)(url)
        assert response.status_code == 401, f"{method.upper()} {url} answered {response.status_code} anonymously"
        assert response.json()["error"]["code"] == "not_authenticated"


def _blitar_records() -> dict[str, int]:
    """One Blitar record per API resource, by the route's basename."""
    from django.utils import timezone

    from placements.models import PlacementStageEvent
    from tests.factories import (
        CandidateFactory,
        CohortFactory,
        DocumentFactory,
        EnrolmentFactory,
        LanguageResultFactory,
        PlacementFactory,
        TrainingBatchFactory,
        municipality,
    )

    blitar = municipality("35.72")
    placement = PlacementFactory(candidate=CandidateFactory(municipality=blitar))
    event = PlacementStageEvent.objects.create(placement=placement, to_stage="registered", moved_at=timezone.now())
    batch = TrainingBatchFactory(programme=placement.programme, municipality=blitar)
    return {
        "candidate": placement.candidate_id,
        "document": DocumentFactory(candidate=placement.candidate).pk,
        "languageresult": LanguageResultFactory(candidate=placement.candidate).pk,
        "placement": placement.pk,
        "placementevent": event.pk,
        "programme": placement.programme_id,
        "agreement": placement.programme.agreement_id,
        "trainingbatch": batch.pk,
        "enrolment": EnrolmentFactory(batch=batch, placement=placement).pk,
        "cohort": CohortFactory(programme=placement.programme, municipality=blitar).pk,
    }


def _api_caller(scopes):
    from api.services import SYSTEM, api_client_create
    from core.models import Municipality

    serang = Municipality.objects.get(code="36.73")
    _record, token = api_client_create(user=SYSTEM, name="walker", municipality=serang, scopes=scopes)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.mark.django_db
def test_another_municipalitys_record_answers_404_on_every_api_url(client):
    records = _blitar_records()
    auth = _api_caller(["read", "write", "personal-data"])
    detail = [(name, pattern) for name, pattern in API_URLS if "<int:pk>" in pattern]
    assert len(detail) >= 10
    for name, pattern in detail:
        basename = name.split(":")[1].rsplit("-", 1)[0]
        assert basename in records, f"{name}: add a Blitar record of this kind to _blitar_records"
        url = "/" + pattern.replace("<int:pk>", str(records[basename]))
        for method in ("get", "post", "patch"):
            body = {} if method == "get" else {"data": "{}", "content_type": "application/json"}
            response = getattr(client, method)(url, **body, **auth)
            assert response.status_code in (404, 405), f"{method.upper()} {url} answered {response.status_code}"
            # The method the URL serves (GET; POST for an action) must say 404, not 405.
            if method == ("post" if name.endswith("-move") else "get"):
                assert response.status_code == 404, f"{method.upper()} {url} answered {response.status_code}"


@pytest.mark.django_db
def test_a_read_only_api_client_gets_403_on_every_write(client):
    auth = _api_caller(["read"])
    writable = [(n, p) for n, p in API_URLS if n in API_TOKEN_URLS and n != "api:schema"]
    assert len(writable) >= 20
    for _name, pattern in writable:
        url = _concrete(pattern)
        for method in ("post", "patch", "put", "delete"):
            response = getattr(client, method)(url, data="{}", content_type="application/json", **auth)
            assert response.status_code == 403, f"{method.upper()} {url} answered {response.status_code}"


# --- the personal-data register (/privacy/): municipal, and never the national viewer's ------------

PRIVACY_URLS = [(name, pattern) for name, pattern in ALL_URLS if name and name.startswith("privacy:")]


def _privacy_records():
    """A Serang person with a request and a breach, and each privacy URL filled with them."""
    from django.utils import timezone

    from accounts.models import Role
    from privacy import services
    from privacy.models import DataRequest
    from tests.conftest import make_user
    from tests.factories import CandidateFactory, municipality

    serang = municipality("36.73")
    officer = make_user("walker.dpo", Role.DATA_PROTECTION_OFFICER, serang)
    person = CandidateFactory(municipality=serang)
    now = timezone.now()
    request = services.data_request_create(
        user=officer,
        candidate=person,
        data={
            "kind": DataRequest.Kind.ACCESS,
            "received_at": now,
            "channel": "counter",
            "identity_checked_by": officer,
            "identity_check": "KTP",
        },
    )
    breach = services.breach_create(
        user=officer,
        data={
            "title": "t",
            "categories": ["identity"],
            "occurred_at": now,
            "discovered_at": now,
            "how": "h",
            "measures": "m",
        },
        affected=[person],
    )
    urls = []
    for name, pattern in PRIVACY_URLS:
        pk = breach.pk if pattern.startswith("privacy/breaches/") else request.pk
        path = "/" + pattern.replace("<int:pk>", str(pk)).replace("<int:candidate_pk>", str(person.pk))
        urls.append((name, path))
    return urls


def test_the_walker_finds_the_personal_data_register():
    names = {name for name, _ in PRIVACY_URLS}
    assert {
        "privacy:request_list",
        "privacy:request_detail",
        "privacy:request_answer",
        "privacy:breach_letter_person",
    } <= names


@pytest.mark.django_db
def test_the_national_viewer_gets_no_page_of_the_personal_data_register(client):
    from accounts.models import Role
    from tests.conftest import make_user

    urls = _privacy_records()
    assert len(urls) == len(PRIVACY_URLS) >= 10
    client.force_login(make_user("walker.national", Role.NATIONAL_VIEWER, None))
    for _name, url in urls:
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            assert status in (403, 404, 405), f"{method.upper()} {url} answered {status} to the national viewer"


@pytest.mark.django_db
def test_another_municipalitys_officer_gets_404_on_every_record_of_the_register(client):
    from accounts.models import Role
    from tests.conftest import make_user
    from tests.factories import municipality

    urls = [(name, url) for name, url in _privacy_records() if any(c.isdigit() for c in url)]
    assert len(urls) >= 8
    client.force_login(make_user("walker.blitar.dpo", Role.DATA_PROTECTION_OFFICER, municipality("35.72")))
    for _name, url in urls:
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            assert status in (404, 405), f"{method.upper()} {url} answered {status} to another municipality"
