"""Invariants held by the database itself, not only by forms."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from tests.factories import CandidateFactory, CohortFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_database_rejects_a_duplicate_nik(serang):
    first = CandidateFactory(municipality=serang)
    with pytest.raises(IntegrityError), transaction.atomic():
        CandidateFactory(municipality=serang, nik=first.nik)


def test_database_rejects_a_nik_that_is_not_16_digits(serang):
    with pytest.raises(IntegrityError), transaction.atomic():
        CandidateFactory(municipality=serang, nik="36730112")


def test_database_rejects_a_cohort_returning_before_it_departs(serang):
    cohort = CohortFactory.build(programme=ProgrammeFactory(), municipality=serang)
    cohort.return_due_on = cohort.planned_departure - timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        cohort.save()


def test_database_rejects_target_min_above_max(serang):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeFactory(target_min=600, target=500, target_max=1000)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeFactory(target_min=100, target=500, target_max=400)


def test_database_accepts_target_min_equal_to_target_and_max():
    programme = ProgrammeFactory(target_min=500, target=500, target_max=500)
    assert programme.pk is not None
