"""Fixtures of the personal-data tests: English messages, a private storage per test, the officers.

serang_dpo / blitar_dpo (tests/conftest.py) are the data-protection officers of each municipality.
"""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from privacy import services
from privacy.models import DataRequest
from tests.clients import LanguageClient as Client
from tests.factories import CandidateFactory


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    root = tmp_path / "private"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}},
    }
    return root


@pytest.fixture
def dpo_client(serang_dpo) -> Client:
    client = Client()
    client.force_login(serang_dpo)
    return client


@pytest.fixture
def person(serang):
    return CandidateFactory(municipality=serang)


def make_request(*, user, candidate, kind=DataRequest.Kind.ACCESS, hours_ago: float = 1) -> DataRequest:
    return services.data_request_create(
        user=user,
        candidate=candidate,
        data={
            "kind": kind,
            "received_at": timezone.now() - timedelta(hours=hours_ago),
            "channel": DataRequest.Channel.COUNTER,
            "identity_checked_by": user,
            "identity_check": "KTP shown at the counter",
            "details": "",
        },
    )
