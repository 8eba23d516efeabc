"""Scholarship fixtures: a round of Serang's scholarship with reviewers (the staff member and the
official), and helpers to take applicants through the stages with the services."""

import pytest
from django.utils import timezone, translation

from accounts.models import Role
from scholarships import services
from tests.conftest import make_user
from tests.factories import SelectionRoundFactory, application_data, scholarship_applicant


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in English (the interface's default is Bahasa Indonesia).
    with translation.override("en"):
        yield


@pytest.fixture
def serang_round(serang):
    return SelectionRoundFactory()


@pytest.fixture
def second_reviewer(serang):
    return make_user("serang.staff2", Role.STAFF, serang)


def register(round_, staff, **data):
    candidate = data.pop("candidate", None) or scholarship_applicant()
    return services.application_register(
        user=staff, selection_round=round_, candidate=candidate, data=application_data(**data)
    )


def to_interviewed(round_, staff, applications):
    for app in applications:
        services.application_move(user=staff, application=app, to_stage="eligible")
    services.round_close(user=staff, selection_round=round_)
    round_.refresh_from_db()
    for app in applications:
        app.refresh_from_db()
        services.application_move(user=staff, application=app, to_stage="shortlisted")
        app.refresh_from_db()
        services.application_move(user=staff, application=app, to_stage="interviewed")
        app.refresh_from_db()


def score_all(reviewer, application, merit, need, interview=70, essay=70):
    services.score_save(
        user=reviewer,
        application=application,
        values={"merit": merit, "need": need, "interview": interview, "essay": essay},
    )


__all__ = ["register", "to_interviewed", "score_all", "timezone"]
