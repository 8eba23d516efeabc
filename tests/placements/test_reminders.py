"""Reminders: each kind, the count, scoping, the query count, and `manage.py reminders`."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from placements import extensions
from placements.reminders import Kind, reminder_list, reminders_count
from programmes.models import AgreementStage, StageDuration
from tests.factories import (
    AgreementFactory,
    CandidateFactory,
    CohortFactory,
    DocumentFactory,
    PlacementFactory,
    TrainingProviderFactory,
    ruled_programme,
    today,
)

pytestmark = pytest.mark.django_db


def _world(municipality):
    """One reminder of each kind in `municipality`, and near misses that must not remind."""
    programme = ruled_programme(agreement__municipality=municipality, passport_months_beyond_return=6)
    departure = today() + timedelta(days=20)
    cohort = CohortFactory(
        programme=programme,
        municipality=municipality,
        planned_departure=departure,
        return_due_on=departure + timedelta(days=365),
    )
    # A health certificate expiring before departure; a renewed SKCK does not remind.
    late = PlacementFactory(candidate=CandidateFactory(municipality=municipality), programme=programme, cohort=cohort)
    DocumentFactory(candidate=late.candidate, doc_type="health", expires_on=departure - timedelta(days=1))
    DocumentFactory(candidate=late.candidate, doc_type="skck", expires_on=departure - timedelta(days=5))
    DocumentFactory(candidate=late.candidate, doc_type="skck", expires_on=departure + timedelta(days=100))
    # A passport valid past the return but not six months beyond it.
    selected = PlacementFactory(
        candidate=CandidateFactory(municipality=municipality),
        programme=programme,
        cohort=cohort,
        stage="selected",
    )
    DocumentFactory(candidate=selected.candidate, doc_type="passport", expires_on=departure + timedelta(days=400))
    ok = PlacementFactory(
        candidate=CandidateFactory(municipality=municipality), programme=programme, cohort=cohort, stage="visa"
    )
    DocumentFactory(candidate=ok.candidate, doc_type="passport", expires_on=departure + timedelta(days=3 * 365))
    # The cohort departs within 30 days with two placements not at "visa" (late, selected).
    # A stalled agreement and a licence expiring within 90 days.
    StageDuration.objects.update_or_create(stage=AgreementStage.LOA, defaults={"expected_days": 60})
    AgreementFactory(municipality=municipality, stage=AgreementStage.LOA, stage_entered_on=today() - timedelta(days=90))
    TrainingProviderFactory(
        municipality=municipality, licence_number="LPK/1", licence_expires_on=today() + timedelta(days=60)
    )
    TrainingProviderFactory(municipality=municipality, licence_expires_on=today() + timedelta(days=200))
    return {"late": late, "selected": selected, "cohort": cohort}


def test_each_kind_of_reminder_is_listed_once(serang_staff, serang):
    world = _world(serang)
    reminders = reminder_list(user=serang_staff)
    kinds = sorted(r.kind for r in reminders)
    assert kinds == sorted([Kind.DOCUMENT, Kind.PASSPORT, Kind.COHORT, Kind.AGREEMENT, Kind.LICENCE])
    by_kind = {r.kind: r for r in reminders}
    assert by_kind[Kind.DOCUMENT].subject == world["late"].candidate.full_name
    assert "Health certificate" in by_kind[Kind.DOCUMENT].message
    assert by_kind[Kind.PASSPORT].subject == world["selected"].candidate.full_name
    assert "2 placements are not at “Visa” yet" in by_kind[Kind.COHORT].message
    assert reminders_count(user=serang_staff) == 5


def test_reminders_stay_in_the_users_municipality(serang_staff, blitar_staff, national_viewer, serang, blitar):
    _world(serang)
    assert reminders_count(user=blitar_staff) == 0
    _world(blitar)
    assert reminders_count(user=blitar_staff) == 5
    assert reminders_count(user=national_viewer) == 10


def test_reminders_cost_the_same_queries_whatever_the_data(serang_staff, serang):
    _world(serang)
    assert not serang_staff.sees_all_municipalities  # also loads the permission cache
    with CaptureQueriesContext(connection) as few:
        reminder_list(user=serang_staff)
        reminders_count(user=serang_staff)
    for _ in range(3):
        _world(serang)
    with CaptureQueriesContext(connection) as many:
        reminder_list(user=serang_staff)
        reminders_count(user=serang_staff)
    # Five queries for the list (one per kind) and five COUNTs, and one of each per kind that a
    # higher app adds (extensions.reminder_sources: protection's overdue contacts, privacy's data
    # subject requests, scholarships' semester alerts; staff do not work breaches) or placements
    # registers for the candidates app (open transfer requests of other offices).
    sources = extensions.reminder_sources(serang_staff)
    assert {source.key for source in sources} == {
        "overdue_contact",
        "data_request",
        "semester_alert",
        "transfer_request",
    }
    assert len(many.captured_queries) == len(few.captured_queries) == 10 + 2 * len(sources)


def test_the_reminders_page_lists_them_with_links(staff_client, serang):
    world = _world(serang)
    body = staff_client.get("/placements/reminders/", language="en").content.decode()
    assert 'data-testid="reminder-total">5<' in body
    assert f"/placements/{world['late'].pk}/" in body
    assert f"/placements/cohorts/{world['cohort'].pk}/" in body


def test_the_command_prints_reminders_per_municipality(serang, blitar):
    _world(serang)
    _world(blitar)
    out = StringIO()
    call_command("reminders", "--language", "en", stdout=out)
    text = out.getvalue()
    assert "Kota Serang (36.73): 5" in text and "Kota Blitar (35.72): 5" in text
    out = StringIO()
    call_command("reminders", "--municipality", "36.73", "--language", "en", stdout=out)
    text = out.getvalue()
    assert "Kota Serang (36.73): 5" in text and "Blitar" not in text
    assert "[Training licence expires]" in text and "Licence LPK/1 expires on" in text
