import pytest
from django.core.management import call_command

from accounts.models import User
from candidates.models import Candidate
from placements.models import Placement, PlacementStageEvent
from programmes.models import Agreement, Programme

pytestmark = pytest.mark.django_db


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (User, Candidate, Placement, PlacementStageEvent, Agreement, Programme)
    }


def test_seed_demo_twice_gives_the_same_counts():
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    assert first["Candidate"] == 600
    assert first["Programme"] == 4


def test_demo_nik_encodes_municipality_sex_and_birth_date():
    call_command("seed_demo")
    for candidate in Candidate.objects.select_related("municipality")[:50]:
        day = int(candidate.nik[6:8])
        assert candidate.nik[:4] == candidate.municipality.nik_prefix
        assert (day > 40) == (candidate.sex == "F")
        assert day - (40 if candidate.sex == "F" else 0) == candidate.birth_date.day
        assert candidate.nik[8:12] == candidate.birth_date.strftime("%m%y")


def test_serang_staff_sees_serang_programme_but_no_blitar_data(client):
    call_command("seed_demo")
    client.force_login(User.objects.get(username="serang.staff"))
    body = client.get("/").content.decode()
    assert "Serang–Changnyeong" in body
    assert "Blitar" not in body
    # Ministry programmes are visible to every office.
    assert "JOE Cooperative" in body


def test_seed_demo_refuses_without_debug_unless_forced(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    settings.RANTAU_DEMO_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
