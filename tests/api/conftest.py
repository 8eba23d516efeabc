"""API clients of the standard cast (who may do what):

- serang_reader: Kota Serang, scope read. Reads Serang's records; personal fields come back null.
- serang_writer: Kota Serang, scopes read, write, personal-data. Reads and writes Serang's records.
- blitar_reader: Kota Blitar, read and personal-data. Serang's records answer 404.
- national_api: no municipality, read. Statistics only; every other endpoint answers 403.
Without a token, or with an expired or revoked one: 401.
"""

import json

import pytest
from django.test import Client
from django.utils import translation

from api.services import SYSTEM, api_client_create


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


class ApiCaller:
    """A test client that sends the token and JSON bodies."""

    def __init__(self, token: str | None, client_record=None):
        self.token = token
        self.record = client_record
        self.http = Client()

    def _headers(self, extra):
        # Messages in English (the API answers in the Accept-Language; Bahasa Indonesia by default).
        headers = {"HTTP_ACCEPT_LANGUAGE": "en"}
        if self.token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        headers.update({f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (extra or {}).items()})
        return headers

    def get(self, path, params=None, headers=None):
        return self.http.get(path, params or {}, **self._headers(headers))

    def post(self, path, body=None, headers=None):
        return self.http.post(path, json.dumps(body or {}), content_type="application/json", **self._headers(headers))

    def patch(self, path, body=None, headers=None):
        return self.http.patch(path, json.dumps(body or {}), content_type="application/json", **self._headers(headers))


def make_api_client(name, municipality, scopes) -> ApiCaller:
    record, token = api_client_create(user=SYSTEM, name=name, municipality=municipality, scopes=scopes)
    return ApiCaller(token, record)


@pytest.fixture
def serang_reader(serang) -> ApiCaller:
    return make_api_client("serang-reader", serang, ["read"])


@pytest.fixture
def serang_writer(serang) -> ApiCaller:
    return make_api_client("serang-writer", serang, ["read", "write", "personal-data"])


@pytest.fixture
def blitar_reader(blitar) -> ApiCaller:
    return make_api_client("blitar-reader", blitar, ["read", "personal-data"])


@pytest.fixture
def national_api(db) -> ApiCaller:
    return make_api_client("national", None, ["read"])


@pytest.fixture
def anonymous_api(db) -> ApiCaller:
    return ApiCaller(None)


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]
