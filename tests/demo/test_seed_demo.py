import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from faker.providers.person.id_ID import Provider as PersonProvider

from accounts.models import User
from candidates.models import Candidate
from demo.rules import check_placements, rules_queryset
from placements.models import Placement, PlacementStage, PlacementStageEvent
from programmes.models import Agreement, AgreementStage, Programme

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
    # 600 workers and 46 scholarship applicants (40 in Blitar's round, 6 in Serang's).
    assert first["Candidate"] == 646
    # Serang's workers and scholarships, Blitar's seasonal work and scholarships, Kemnaker's TITP.
    assert first["Programme"] == 5


def test_every_demo_placement_passed_the_gate_of_every_stage_it_reached():
    """The proof that the demo obeys its rules: each stage's requirements held on the day it was entered."""
    out, err = StringIO(), StringIO()
    call_command("seed_demo", stdout=out, stderr=err)
    assert "gate refused" not in err.getvalue()
    placements = rules_queryset(Placement.objects.filter(candidate__is_demo=True))
    assert placements.count() > 500
    assert check_placements(placements) == {}
    # The walk covers the whole pipeline, departures and early ends included.
    stages = set(placements.values_list("stage", flat=True))
    assert {s.value for s in PlacementStage.pipeline()} <= stages
    assert {"withdrawn", "failed", "absconded", "repatriated"} <= stages


def test_only_a_signed_agreement_has_departures_in_the_demo():
    call_command("seed_demo")
    departed = Placement.objects.filter(departed_on__isnull=False)
    assert departed.exists()
    assert set(departed.values_list("programme__agreement__stage", flat=True)) == {AgreementStage.ACTIVE}
    # Serang awaits Kemendagri's LoA; Blitar's MoU comes after a monitoring visit (seeds 000, 004).
    serang = Agreement.objects.get(title="Kota kembar Serang–Changnyeong")
    blitar = Agreement.objects.get(title__contains="Blitar")
    assert (serang.stage, blitar.stage) == (AgreementStage.LOA, AgreementStage.EXPLORATION)
    for agreement in (serang, blitar):
        reached = set(Placement.objects.filter(programme__agreement=agreement).values_list("stage", flat=True))
        assert reached
        assert reached.isdisjoint({"selected", "visa", "departed", "abroad", "returned", "absconded"})


def test_demo_facts_the_seeds_do_not_give_are_marked_illustrative():
    call_command("seed_demo")
    blitar = Agreement.objects.select_related("partner").get(title__contains="Blitar")
    assert "Yeongdeok" not in blitar.partner.name + blitar.summary
    assert "ilustrasi" in blitar.partner.name
    serang = Programme.objects.get(name__startswith="Serang–Changnyeong")
    assert serang.scheme == Programme.Scheme.OTHER
    assert "Sumber tidak menyebut skema visa" in serang.description
    assert Programme.objects.filter(agreement=serang.agreement, scheme=Programme.Scheme.SCHOLARSHIP).exists()
    assert all("Ilustrasi" in p.description for p in Programme.objects.all())


def test_demo_names_fit_sex_and_carry_no_titles():
    call_command("seed_demo")
    first_names = {"M": set(PersonProvider.first_names_male), "F": set(PersonProvider.first_names_female)}
    people = list(Candidate.objects.values_list("full_name", "sex"))
    assert len(people) == 646  # with the scholarship applicants
    for name, sex in people:
        assert name.split()[0] in first_names[sex], (name, sex)
        assert not re.search(r"\b[SMD]\.\w|,", name), name


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


def test_demo_scholarships_blitar_round_published_with_students_abroad_serang_round_open():
    from scholarships.models import Application, SelectionRound
    from scholarships.reminders import semester_alert_count

    call_command("seed_demo")
    blitar = SelectionRound.objects.get(municipality__code="35.72")
    serang = SelectionRound.objects.get(municipality__code="36.73")
    assert (blitar.status, serang.status) == ("published", "open")
    assert blitar.applications.count() == 40
    assert blitar.applications.filter(outcome="awarded").count() == 10
    assert blitar.applications.filter(outcome="reserve").count() == 5
    assert blitar.applications.filter(stage="studying").count() == 4
    assert blitar.applications.filter(semester_reports__isnull=False).distinct().count() == 3
    assert blitar.applications.filter(stage="applied").exists()  # what they miss is shown on the page
    assert serang.applications.count() == 6
    # One student below the minimum, one report overdue: two alerts for Blitar's staff.
    staff = User.objects.get(username="blitar.staff")
    assert semester_alert_count(user=staff, today=timezone.localdate()) == 2
    # Every move was recorded, from "applied" on.
    for app in Application.objects.all():
        assert app.stage_events.order_by("moved_at", "pk").first().to_stage == "applied"


def test_no_demo_training_batch_holds_more_than_its_capacity():
    """A batch shown "45 of 40" would be one the enrol forms no longer offer; the demo never overfills."""
    from django.db.models import Count, F

    from placements.models import TrainingBatch

    call_command("seed_demo")
    batches = TrainingBatch.objects.annotate(enrolled=Count("enrolments"))
    assert batches.filter(enrolled__gt=0).exists()
    assert list(batches.filter(enrolled__gt=F("capacity")).values_list("name", "enrolled", "capacity")) == []
