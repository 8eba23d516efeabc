"""seed_bench (issue 7) builds the promised shape at small scale, and a second run is harmless."""

import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models
from django.db.models import Count, F
from lokal import is_valid_nik

from accounts.models import Role, User
from candidates.models import Candidate, Document, LanguageResult
from demo.bench import REBUILDS
from demo.rules import check_sample
from placements.models import Cohort, Enrolment, Placement, PlacementStage, PlacementStageEvent, TrainingBatch
from protection.models import Case, CaseAction, Contact
from protection.selectors import DEPARTED_EVER

pytestmark = pytest.mark.django_db

N = 300


@pytest.fixture
def seeded(settings):
    # Six bench users hash their password; the fast hasher keeps the test quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = StringIO()
    call_command("seed_bench", candidates=N, stdout=out)
    return out.getvalue()


def _orphans() -> list[str]:
    """Foreign keys of the loaded tables that point nowhere (the load skips per-row FK checks)."""
    found = []
    for model in apps.get_models():
        if model._meta.app_label not in ("candidates", "placements"):
            continue
        for field in model._meta.concrete_fields:
            if not (isinstance(field, models.ForeignKey) and field.db_constraint):
                continue
            table, column = model._meta.db_table, field.column
            target, key = field.related_model._meta.db_table, field.target_field.column
            with connection.cursor() as cursor:
                cursor.execute(
                    f'SELECT COUNT(*) FROM "{table}" a LEFT JOIN "{target}" b ON a."{column}" = b."{key}" '  # noqa: S608
                    f'WHERE a."{column}" IS NOT NULL AND b."{key}" IS NULL'
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column}")
    return found


def test_seed_bench_makes_the_candidates_with_valid_unique_niks(seeded):
    assert Candidate.objects.count() == N
    niks = list(Candidate.objects.values_list("nik", flat=True))
    assert len(set(niks)) == N
    assert all(is_valid_nik(nik) for nik in niks)
    # Serang and Blitar are among the municipalities, Serang the largest.
    by_code = dict(Candidate.objects.values_list("municipality__code").annotate(n=Count("id")))
    assert set(by_code) >= {"36.73", "35.72"}
    assert len(by_code) == 5
    assert by_code["36.73"] == max(by_code.values())


def test_seed_bench_spreads_about_one_and_a_half_placements_over_every_stage(seeded):
    placements = Placement.objects.count()
    assert 1.3 <= placements / N <= 1.7
    stages = set(Placement.objects.values_list("stage", flat=True))
    assert {s.value for s in PlacementStage.pipeline()} <= stages
    assert stages & {s.value for s in PlacementStage.early_ends()}
    assert Placement.objects.values("programme").distinct().count() >= 5
    # Every placement's history starts at "registered" and ends at its current stage.
    assert PlacementStageEvent.objects.filter(from_stage="", to_stage="registered").count() == placements
    for placement in Placement.objects.order_by("pk")[:40]:
        last = PlacementStageEvent.objects.filter(placement=placement).order_by("-moved_at", "-pk").first()
        assert last.to_stage == placement.stage


def test_seed_bench_gives_every_candidate_a_ktp_and_many_expiring_documents(seeded):
    assert Document.objects.filter(doc_type="ktp").values("candidate").distinct().count() == N
    passports = Document.objects.filter(doc_type="passport")
    assert passports.count() > N * 0.4
    assert not passports.filter(expires_on__isnull=True).exists()
    assert Document.objects.filter(doc_type="skck", expires_on__isnull=False).count() > N * 0.3
    assert Document.objects.filter(doc_type="health", expires_on__isnull=False).count() > N * 0.3


def test_seed_bench_adds_language_results_training_and_cohorts(seeded):
    assert LanguageResult.objects.count() > N * 0.3
    assert Enrolment.objects.count() > N * 0.3
    assert TrainingBatch.objects.exists()
    assert Cohort.objects.exists()
    # Placements abroad belong to a cohort that has departed.
    abroad = Placement.objects.filter(stage="abroad").select_related("cohort")
    assert abroad.exists()
    assert all(p.cohort and p.cohort.actual_departure == p.departed_on for p in abroad)


def test_seed_bench_writes_one_history_row_per_tracked_row(seeded):
    for model in (Candidate, Document, LanguageResult, Placement):
        assert model.pgh_event_model.objects.filter(pgh_label="insert").count() == model.objects.count()


def test_seed_bench_leaves_no_dangling_foreign_keys(seeded):
    assert _orphans() == []


def test_seed_bench_creates_the_bench_users_with_their_roles(seeded):
    staff = User.objects.get(username="bench.staff")
    official = User.objects.get(username="bench.official")
    assert staff.municipality.code == official.municipality.code == "36.73"
    assert staff.groups.filter(name=Role.STAFF.value).exists()
    assert official.groups.filter(name=Role.OFFICIAL.value).exists()
    assert User.objects.get(username="bench.admin").is_superuser
    assert staff.check_password("rantau-bench")


def test_seed_bench_twice_with_the_same_size_changes_nothing(seeded):
    before = (Candidate.objects.count(), Placement.objects.count(), Document.objects.count())
    out = StringIO()
    call_command("seed_bench", candidates=N, stdout=out)
    assert "already seeded" in out.getvalue()
    assert (Candidate.objects.count(), Placement.objects.count(), Document.objects.count()) == before


def test_seed_bench_refuses_a_database_that_holds_other_candidates(seeded):
    with pytest.raises(CommandError, match="already has 300 candidates"):
        call_command("seed_bench", candidates=N + 1, stdout=StringIO())
    assert Candidate.objects.count() == N


def test_seed_bench_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    settings.RANTAU_DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="DEBUG=False"):
        call_command("seed_bench", candidates=10, stdout=StringIO())
    assert not Candidate.objects.exists()


def test_seed_bench_records_its_load_on_the_candidates_table_for_the_report(seeded):
    with connection.cursor() as cursor:
        cursor.execute("SELECT obj_description('candidates_candidate'::regclass, 'pg_class')")
        record = cursor.fetchone()[0]
    assert record.startswith(f"seed_bench: seeded {N} candidates in ")
    assert record == seeded.splitlines()[-1]


def _indexes() -> set[tuple]:
    """(table, index, unique?, columns and predicate as PostgreSQL parses them) of the loaded apps."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.relname, c.relname, i.indisunique, i.indkey::text, pg_get_expr(i.indpred, i.indrelid) IS NULL "
            "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
            "WHERE t.relname LIKE 'candidates\\_%%' OR t.relname LIKE 'placements\\_%%'"
        )
        return set(cursor.fetchall())


def test_seed_bench_rebuilds_every_index_it_drops_for_the_load(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    before = _indexes()
    call_command("seed_bench", candidates=50, stdout=StringIO())
    assert _indexes() == before


def test_seed_bench_placements_passed_the_gate_of_every_stage_they_reached(seeded):
    checked, broken = check_sample(10_000)
    assert checked == Placement.objects.count() > N
    assert broken == {}
    assert f"rules: {checked if checked < 2000 else 2000:,} placements sampled, 0 break a gate" in seeded


def test_seed_bench_at_two_thousand_candidates_passes_the_rules_on_a_sample(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_bench", candidates=2000, stdout=StringIO())
    checked, broken = check_sample(2000, seed=1)
    assert checked == 2000
    assert broken == {}
    # The sample reaches departures, under signed agreements only.
    departed = Placement.objects.filter(departed_on__isnull=False)
    assert departed.exists()
    assert set(departed.values_list("programme__agreement__stage", flat=True)) <= {"mou_signed", "active"}


def test_seed_bench_gives_workers_abroad_welfare_contacts_and_some_placements_that_left_a_case(seeded):
    abroad = Placement.objects.filter(stage="abroad")
    assert Contact.objects.values("placement").distinct().count() >= abroad.count() * 0.8 > 0
    assert set(Contact.objects.values_list("placement__stage", flat=True)) == {"abroad"}
    assert not Contact.objects.exclude(municipality=F("placement__municipality")).exists()
    assert not Contact.objects.filter(contacted_on__lt=F("placement__departed_on")).exists()
    # Some workers abroad were last reached more than the 14-day interval ago: the dashboard's "overdue".
    last = Contact.objects.values("placement").annotate(last=models.Max("contacted_on"))
    assert {row["last"] for row in last} != {max(row["last"] for row in last)}
    cases = Case.objects.all()
    assert cases.exists()
    assert set(cases.values_list("placement__stage", flat=True)) <= set(DEPARTED_EVER)
    assert not cases.exclude(municipality=F("placement__municipality")).exists()
    assert not cases.filter(reported_at__lt=F("placement__departed_on")).exists()
    # Every case opens its action log; an absconding ends in a closed absconding case.
    assert CaseAction.objects.filter(kind="opened").count() == cases.count()
    assert set(cases.filter(placement__stage="absconded").values_list("status", "outcome")) <= {("closed", "absconded")}


def test_seed_bench_rebuilds_the_summaries_once_every_row_and_its_history_is_in(settings, monkeypatch):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seen = {}

    def recorder(name):
        def rebuild_all(cursor):
            cursor.execute(
                "SELECT (SELECT COUNT(*) FROM candidates_candidate), (SELECT COUNT(*) FROM candidates_candidateevent), "
                "current_setting('session_replication_role')"
            )
            seen[name] = cursor.fetchone()

        return rebuild_all

    monkeypatch.setattr("dashboards.summaries.rebuild_all", recorder("summaries"))
    monkeypatch.setattr("placements.facts.rebuild_all", recorder("facts"))
    out = StringIO()
    call_command("seed_bench", candidates=50, stdout=out)
    # The triggers that keep the summaries up to date fire again ("origin") when they are rebuilt.
    assert seen == {"summaries": (50, 50, "origin"), "facts": (50, 50, "origin")}
    record = out.getvalue().splitlines()[-1]
    for label, _entry in REBUILDS:  # every rebuild's seconds are in the record the report reads
        assert f"{label} " in record and re.search(rf"{label} [\d.]+ s", record), label
