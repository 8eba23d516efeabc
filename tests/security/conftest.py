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


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """These tests sign in hundreds of times; the hash's strength is not what they check."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def english(settings):
    """Requests in English, for assertions on visible text."""
    return {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def serang_world(serang):
    """One of each kind of record in Serang, so that every detail and edit page has something to show."""
    from programmes.models import AgreementStageEvent
    from tests.factories import (
        CandidateFactory,
        CohortFactory,
        DocumentFactory,
        EnrolmentFactory,
        LanguageResultFactory,
        PlacementFactory,
        TrainingBatchFactory,
    )

    candidate = CandidateFactory(municipality=serang)
    document = DocumentFactory(candidate=candidate)
    language = LanguageResultFactory(candidate=candidate)
    placement = PlacementFactory(candidate=candidate)
    programme = placement.programme
    batch = TrainingBatchFactory(programme=programme, provider__municipality=serang)
    enrolment = EnrolmentFactory(batch=batch, placement=placement)
    cohort = CohortFactory(programme=programme)
    event = AgreementStageEvent.objects.create(
        agreement=programme.agreement, stage=programme.agreement.stage, occurred_on=programme.agreement.stage_entered_on
    )
    return {
        "candidate": candidate,
        "document": document,
        "language_result": language,
        "placement": placement,
        "programme": programme,
        "agreement": programme.agreement,
        "partner": programme.agreement.partner,
        "batch": batch,
        "provider": batch.provider,
        "enrolment": enrolment,
        "cohort": cohort,
        "stage_event": event,
    }
