"""Fixtures for the security tests. The standard cast comes from tests/conftest.py; every user
there has the password PASSWORD."""

import pytest
from django.test import Client

PASSWORD = "correct-horse-battery"
LOGIN_URL = "/accounts/login/"


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra):
    """Sign in through the login form, as a browser does (axes needs the request, which
    client.login() does not pass)."""
    return client.post(LOGIN_URL, {"username": username, "password": password}, **extra)


@pytest.fixture
def english(settings):
    """Requests in English, for assertions on visible text."""
    return {"HTTP_ACCEPT_LANGUAGE": "en"}
