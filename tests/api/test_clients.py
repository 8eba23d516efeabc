"""API clients: the token shown once and kept hashed, 401 for missing, unknown, expired or revoked
tokens, scopes (403), the national client's aggregates only, throttling, the request log."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from api.models import ApiClient, ApiRequestLog, hash_token
from api.services import SYSTEM, api_client_revoke
from tests.factories import CandidateFactory, municipality

from .conftest import ApiCaller, error_of

pytestmark = pytest.mark.django_db


def test_create_api_client_prints_the_token_once_and_stores_only_its_hash(serang):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_api_client",
        "--name",
        "siskop",
        "--municipality",
        "36.73",
        "--scopes",
        "read,write",
        stdout=out,
        stderr=err,
    )
    token = out.getvalue().strip()
    client = ApiClient.objects.get(name="siskop")
    assert token.startswith("rantau_") and len(token) > 40
    assert client.token_hash == hash_token(token) and token not in client.token_hash
    assert client.scopes == ["read", "write"]
    assert client.municipality == serang
    # The service account acts as Staff of Serang and cannot sign in on the screens.
    assert client.user.municipality == serang and not client.user.has_usable_password()
    assert client.user.has_perm("candidates.add_candidate")
    assert "shown only now" in err.getvalue()


def test_a_read_only_client_acts_as_an_official(serang_reader):
    user = serang_reader.record.user
    assert user.has_perm("candidates.view_candidate") and not user.has_perm("candidates.add_candidate")


def test_requests_without_a_token_answer_401_with_the_error_shape(anonymous_api):
    response = anonymous_api.get("/api/v1/candidates/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert error_of(response)["code"] == "not_authenticated"


def test_an_unknown_token_answers_401(serang_reader):
    response = ApiCaller("rantau_not-a-real-token").get("/api/v1/candidates/")
    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"


def test_an_expired_token_answers_401(serang_reader):
    ApiClient.objects.filter(pk=serang_reader.record.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = serang_reader.get("/api/v1/candidates/")
    assert response.status_code == 401
    assert "expired" in error_of(response)["message"]


def test_a_revoked_token_answers_401(serang_reader):
    assert serang_reader.get("/api/v1/candidates/").status_code == 200
    api_client_revoke(user=SYSTEM, client=serang_reader.record)
    response = serang_reader.get("/api/v1/candidates/")
    assert response.status_code == 401
    assert "revoked" in error_of(response)["message"]


def test_use_is_recorded_once_a_minute_and_logged_without_query_string(serang_reader):
    assert serang_reader.record.last_used_at is None
    serang_reader.get("/api/v1/candidates/", {"sex": "F"})
    serang_reader.get("/api/v1/programmes/")
    record = ApiClient.objects.get(pk=serang_reader.record.pk)
    assert record.last_used_at is not None
    log = list(ApiRequestLog.objects.filter(client=record).order_by("pk").values_list("method", "path", "status"))
    assert log == [("GET", "/api/v1/candidates/", 200), ("GET", "/api/v1/programmes/", 200)]


def test_a_read_only_client_gets_403_on_writes(serang_reader):
    response = serang_reader.post("/api/v1/candidates/", {})
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"


def test_the_national_client_reads_statistics_only(national_api, serang, blitar):
    CandidateFactory(municipality=serang)
    CandidateFactory(municipality=blitar)
    for path in ["/api/v1/candidates/", "/api/v1/placements/", "/api/v1/programmes/", "/api/v1/cohorts/"]:
        response = national_api.get(path)
        assert response.status_code == 403, path
        assert "aggregate" in error_of(response)["message"]
    stats = national_api.get("/api/v1/statistics/").json()
    assert {row["municipality"]: row["count"] for row in stats["candidates"]} == {"35.72": 1, "36.73": 1}


def test_a_client_is_throttled_with_429_and_retry_after(serang_reader, settings):
    settings.API_THROTTLE_RATE = "3/minute"
    statuses = [serang_reader.get("/api/v1/programmes/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = serang_reader.get("/api/v1/programmes/")
    assert error_of(response)["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_a_national_client_can_have_no_write_scope(db):
    from django.core.exceptions import ValidationError

    from api.services import api_client_create

    with pytest.raises(ValidationError):
        api_client_create(user=SYSTEM, name="n", municipality=None, scopes=["read", "write"])
    assert not ApiClient.objects.exists()
    assert municipality("36.73")  # reference data present
