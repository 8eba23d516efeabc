"""Stalled and expiring flags, computed in the database from the dates."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programmes.models import Agreement, AgreementStage, StageDuration
from programmes.selectors import agreement_list, expiring_agreements, stalled_agreements
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db
S = AgreementStage


def _flags(agreement, user):
    row = agreement_list(user=user).get(pk=agreement.pk)
    return row.days_in_stage, row.is_stalled, row.expires_soon


def test_loa_expects_sixty_days_by_default(db):
    assert StageDuration.objects.get(stage=S.LOA).expected_days == 60


@pytest.mark.parametrize(("days", "stalled"), [(0, False), (60, False), (61, True), (200, True)])
def test_loa_is_stalled_after_sixty_days(serang, serang_official, today, days, stalled):
    agreement = AgreementFactory(municipality=serang, stage=S.LOA, stage_entered_on=today - timedelta(days=days))
    assert _flags(agreement, serang_official)[:2] == (days, stalled)


def test_a_stage_without_an_expected_duration_never_stalls(serang, serang_official, today):
    agreement = AgreementFactory(municipality=serang, stage=S.ACTIVE, stage_entered_on=today - timedelta(days=2000))
    assert _flags(agreement, serang_official)[1] is False


def test_the_expected_duration_is_configurable_per_stage(serang, serang_official, today):
    agreement = AgreementFactory(municipality=serang, stage=S.LOA, stage_entered_on=today - timedelta(days=20))
    StageDuration.objects.filter(stage=S.LOA).update(expected_days=14)
    assert _flags(agreement, serang_official)[1] is True


@pytest.mark.parametrize(
    ("until_days", "stage", "expiring"),
    [
        (0, S.ACTIVE, True),
        (30, S.ACTIVE, True),
        (90, S.ACTIVE, True),
        (91, S.ACTIVE, False),
        (-1, S.ACTIVE, False),
        (30, S.TERMINATED, False),
        (30, S.EXPIRED, False),
    ],
)
def test_expires_within_90_days(serang, serang_official, today, until_days, stage, expiring):
    agreement = AgreementFactory(
        municipality=serang,
        stage=stage,
        valid_from=today - timedelta(days=1000),
        valid_until=today + timedelta(days=until_days),
    )
    assert _flags(agreement, serang_official)[2] is expiring
    assert expiring_agreements(user=serang_official).filter(pk=agreement.pk).exists() is expiring


def test_an_agreement_without_an_end_date_never_expires(serang, serang_official):
    agreement = AgreementFactory(municipality=serang, stage=S.ACTIVE, valid_until=None)
    assert _flags(agreement, serang_official)[2] is False


def test_stalled_and_expiring_selectors_are_scoped(serang, blitar, serang_official, national_viewer, today):
    old = today - timedelta(days=100)
    soon = today + timedelta(days=10)
    mine = AgreementFactory(municipality=serang, stage=S.LOA, stage_entered_on=old, valid_until=soon)
    theirs = AgreementFactory(municipality=blitar, stage=S.LOA, stage_entered_on=old, valid_until=soon)
    national = AgreementFactory(municipality=None, stage=S.LOA, stage_entered_on=old, valid_until=soon)
    assert set(stalled_agreements(user=serang_official)) == {mine, national}
    assert set(expiring_agreements(user=serang_official)) == {mine, national}
    assert set(stalled_agreements(user=national_viewer)) == {mine, theirs, national}
    assert set(expiring_agreements(user=national_viewer, within_days=5)) == set()


def test_expiring_within_a_shorter_window(serang, serang_official, today):
    agreement = AgreementFactory(municipality=serang, stage=S.ACTIVE, valid_until=today + timedelta(days=20))
    assert list(expiring_agreements(user=serang_official, within_days=30)) == [agreement]
    assert list(expiring_agreements(user=serang_official, within_days=10)) == []


def test_list_filters_stalled_and_expiring(official_client, serang, today):
    stalled = AgreementFactory(municipality=serang, title="Stalled one", stage_entered_on=today - timedelta(days=90))
    expiring = AgreementFactory(
        municipality=serang, title="Expiring one", stage=S.ACTIVE, valid_until=today + timedelta(days=30)
    )
    fresh = AgreementFactory(municipality=serang, title="Fresh one", stage_entered_on=today)
    body = official_client.get("/agreements/?stalled=1").content.decode()
    assert stalled.title in body and fresh.title not in body and expiring.title not in body
    body = official_client.get("/agreements/?expiring=1").content.decode()
    assert expiring.title in body and stalled.title not in body and fresh.title not in body
    body = official_client.get("/agreements/").content.decode()
    assert body.count('data-stalled="1"') == 1
    assert body.count('data-expiring="1"') == 1


def test_agreement_list_query_count_does_not_grow_with_rows(official_client, serang):
    def queries_for_list():
        with CaptureQueriesContext(connection) as ctx:
            response = official_client.get("/agreements/")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    queries_for_list()  # the first request of a session also refreshes the session row
    AgreementFactory.create_batch(2, municipality=serang)
    few = queries_for_list()
    AgreementFactory.create_batch(20, municipality=serang)
    # session, user, permissions (user's and groups'), COUNT, and one page of agreements with
    # partner and municipality joined and days in stage, stalled and expiring annotated.
    assert queries_for_list() == few == 6
    assert Agreement.objects.count() == 22
