"""Fixtures for the placement tests. Gate messages are asserted in English."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def only_placements_rules(monkeypatch):
    """Placements' own next-season behaviour, without the re-invitation rules higher apps register
    (protection's defaults are tested in tests/protection)."""
    from placements import extensions

    monkeypatch.setattr(extensions, "_reinvite_rules", {})
