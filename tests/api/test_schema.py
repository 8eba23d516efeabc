"""The OpenAPI schema validates (drf-spectacular's own check, as in `make lint`); the docs page is
served from vendored assets without inline code; Schemathesis, against the live server with a
read-and-write client, finds no 5xx and no response that breaks the schema."""

import io
import re

import pytest
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.models import ApiRequestLog
from tests.factories import CandidateFactory, PlacementFactory, municipality

from .conftest import error_of, make_api_client


@pytest.mark.django_db
def test_the_schema_validates_without_warnings():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", stdout=out)
    assert '"/api/v1/candidates/"' in out.getvalue()
    assert '"apiToken"' in out.getvalue()


@pytest.mark.django_db
def test_the_schema_needs_a_token_or_a_session(anonymous_api, serang_reader, staff_client):
    assert error_of(anonymous_api.get("/api/v1/schema/"))["code"] == "not_authenticated"
    assert serang_reader.get("/api/v1/schema/").status_code == 200
    assert staff_client.get("/api/v1/schema/").status_code == 200


@pytest.mark.django_db
def test_the_docs_page_is_for_signed_in_users_and_has_no_inline_code(client, staff_client):
    assert "/login/" in client.get("/api/v1/docs/")["Location"]
    page = staff_client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui-dist/swagger-ui-bundle.js" in page  # the vendored sidecar copy, no CDN
    assert "http" not in re.sub(r'href="/|src="/', "", page).replace("<!DOCTYPE html>", "")
    assert "<style" not in page and re.search(r"<script>(?!</script>)", page) is None
    script = staff_client.get("/api/v1/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript") and b"SwaggerUIBundle" in script.content


# --- Schemathesis against the live server ----------------------------------------------------------

EXAMPLES_PER_OPERATION = 8  # bounded, so CI stays fast (about a minute for every operation)


def test_the_live_api_answers_without_5xx_and_as_its_schema_says(live_server, settings):
    settings.API_THROTTLE_RATE = "100000/minute"  # every generated request reaches the endpoint
    serang = municipality("36.73")
    caller = make_api_client("schemathesis", serang, ["read", "write", "personal-data"])
    for _ in range(3):
        PlacementFactory(candidate=CandidateFactory(municipality=serang))
    headers = {"Authorization": f"Bearer {caller.token}"}
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/", headers=headers)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20, [op.label for op in operations]

    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])

        check()
    assert ApiRequestLog.objects.filter(client=caller.record).count() >= len(operations) * 2
