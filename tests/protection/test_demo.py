"""The demo protection data is made through the services and can be run twice."""

import pytest

from placements.models import Placement
from protection import selectors
from protection.demo import seed_protection_demo
from protection.models import Case

from .conftest import abroad_placement

pytestmark = pytest.mark.django_db


def test_demo_cases_move_placements_and_leave_two_contacts_overdue(serang_staff, serang):
    first = abroad_placement(municipality=serang, days_ago=60)
    others = [
        abroad_placement(municipality=serang, programme=first.programme, cohort=first.cohort, days_ago=60)
        for _ in range(6)
    ]
    placements = [first, *others]
    made = seed_protection_demo(user=serang_staff)
    assert made == {"cases": 3, "contacts": 3}
    stages = {p.pk: p.stage for p in Placement.objects.filter(pk__in=[p.pk for p in placements])}
    assert [stages[p.pk] for p in placements[:3]] == ["abroad", "returned", "absconded"]
    assert dict(Case.objects.values_list("case_type", "status")) == {
        "wages": "closed",
        "illness": "resolved",
        "absconding": "resolved",
    }
    overdue = selectors.worker_list(user=serang_staff).filter(selectors.WORKER_STATES["overdue"])
    assert {p.pk for p in overdue} == {placements[0].pk, placements[-2].pk, placements[-1].pk}
    assert seed_protection_demo(user=serang_staff) == {"cases": 0, "contacts": 0}
