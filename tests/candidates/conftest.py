"""Fixtures for the candidate registry tests.

Uploaded files go to a temporary private storage per test; messages are asserted in English.
The standard cast (serang_staff, serang_official, blitar_staff, …) comes from tests/conftest.py.
"""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(settings):
    # Requests without an Accept-Language header get LANGUAGE_CODE; the test code itself too.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Documents and import uploads land in a fresh folder, never in var/private."""
    root = tmp_path / "private"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}},
    }
    return root
