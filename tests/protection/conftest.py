"""Fixtures for the protection tests: workers abroad in Serang and Blitar. Messages in English."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from placements.models import Placement
from tests.factories import CandidateFactory, CohortFactory, PlacementFactory, ProgrammeFactory


@pytest.fixture(autouse=True)
def _english(settings):
    # Requests without an Accept-Language header get LANGUAGE_CODE; the test code itself too.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def abroad_placement(*, municipality, programme=None, cohort=None, days_ago: int = 30, **extra) -> Placement:
    """A placement that departed `days_ago` days ago with its cohort and is now abroad."""
    today = timezone.localdate()
    departed = today - timedelta(days=days_ago)
    programme = programme or ProgrammeFactory(agreement__municipality=municipality)
    cohort = cohort or CohortFactory(
        programme=programme,
        municipality=municipality,
        planned_departure=departed,
        actual_departure=departed,
        arrival_confirmed_on=departed,
        return_due_on=departed + timedelta(days=365),
    )
    fields = dict(
        candidate=CandidateFactory(municipality=municipality),
        programme=programme,
        stage="abroad",
        cohort=cohort,
        departed_on=departed,
        employer="Changnyeong Farm",
        stage_changed_at=timezone.now() - timedelta(days=days_ago),
    )
    fields.update(extra)
    return PlacementFactory(**fields)


@pytest.fixture
def abroad(serang) -> Placement:
    return abroad_placement(municipality=serang)


@pytest.fixture
def blitar_abroad(blitar) -> Placement:
    return abroad_placement(municipality=blitar)
