"""Fixtures for the placement tests. Gate messages are asserted in English."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield
