"""Two reviewers saving their scores of one applicant at the same moment: both count (separate rows;
the round row lock serialises them, it never drops one)."""

import threading

import pytest
from django.db import connection

from scholarships import services
from scholarships.models import Score

from .conftest import register, to_interviewed

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_reviewers_saving_at_once_both_count(serang_round, serang_staff, serang_official):
    app = register(serang_round, serang_staff)
    to_interviewed(serang_round, serang_staff, [app])
    services.round_set_reviewers(
        user=serang_staff, selection_round=serang_round, reviewers=[serang_staff, serang_official]
    )
    start = threading.Barrier(2)
    errors = []

    def save(reviewer, value):
        try:
            start.wait()
            services.score_save(
                user=reviewer,
                application=app,
                values={"merit": value, "need": value, "interview": value, "essay": value},
            )
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(r, v)) for r, v in ((serang_staff, 80), (serang_official, 60))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Score.objects.filter(application=app).count() == 8
    row = services.round_ranking(serang_round)[0]
    assert row.reviewers == 2 and row.total == 70
