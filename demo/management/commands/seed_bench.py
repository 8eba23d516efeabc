"""Load a large synthetic data set for the benchmark (issue 7), fast, with PostgreSQL COPY.

    EMBEDDED_DATABASE_NAME=rantau_bench_100k python manage.py seed_bench --candidates 100000

Bench data belongs in a database of its own (never the dev or demo database): the command loads
only into a database without candidates, and says "already seeded" when it finds exactly the
requested number together with the bench users. Everything comes from fixed random seeds. At the
end the summary tables and the eligibility facts are rebuilt from the rows (their seconds are in the
output and in the record the benchmark report reads), and a sample of placements is checked against
the gates of every stage they reached (demo.rules).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from accounts.models import User
from candidates.models import Candidate
from demo.bench import MUNICIPALITY_CODES, REBUILDS, BenchBuilder, flush_bench_data
from demo.rules import check_sample

RULE_SAMPLE = 2000


class Command(BaseCommand):
    help = "Load a large synthetic data set for the benchmark into an empty database (issue 7)."

    def add_arguments(self, parser):
        parser.add_argument("--candidates", type=int, required=True, help="Number of candidates, e.g. 100000.")
        parser.add_argument(
            "--municipalities", type=int, default=5, help=f"2–{len(MUNICIPALITY_CODES)}; Serang and Blitar first."
        )
        parser.add_argument(
            "--flush", action="store_true", help="Empty candidates and placements first (bench databases only)."
        )
        parser.add_argument(
            "--with-triggers",
            action="store_true",
            help="Keep the history triggers and foreign-key checks firing per row (slower; for comparison).",
        )
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG=False.")

    def handle(self, *args, candidates, municipalities, flush, with_triggers, force, **options):
        if not (settings.DEBUG or settings.RANTAU_DEMO_ALLOWED or force):
            raise CommandError("Refusing to load benchmark data with DEBUG=False. Use --force if you mean it.")
        if candidates < 1:
            raise CommandError("--candidates must be at least 1.")
        if not 2 <= municipalities <= len(MUNICIPALITY_CODES):
            raise CommandError(f"--municipalities must be between 2 and {len(MUNICIPALITY_CODES)}.")
        database = connection.settings_dict["NAME"]
        existing = Candidate.objects.count()
        if existing and flush:
            if "bench" not in database:
                raise CommandError(f"--flush empties tables; refused in database {database!r} (no 'bench' in name).")
            flush_bench_data()
            existing = 0
        if existing == candidates and User.objects.filter(username="bench.staff").exists():
            self.stdout.write(f"seed_bench: already seeded: {database} has {existing:,} candidates. Nothing to do.")
            return
        if existing:
            raise CommandError(
                f"Database {database!r} already has {existing:,} candidates; seed_bench loads into an empty "
                "database (set EMBEDDED_DATABASE_NAME=rantau_bench_…) or, in a bench database, pass --flush."
            )
        triggers = with_triggers or not self._is_superuser()
        self.stdout.write(
            f"seed_bench: {candidates:,} candidates in {municipalities} municipalities into {database} "
            f"({'history triggers per row' if triggers else 'COPY without triggers, history in one pass'})."
        )
        builder = BenchBuilder(
            candidates=candidates, municipalities=municipalities, today=timezone.localdate(), stdout=self.stdout
        )
        builder.run(triggers=triggers)
        rows = {t.name: t.rows for t in builder.all_tables}
        rows["placements_trainingbatch"] = len(builder.batches)
        rows["placements_cohort"] = len(builder.cohorts)
        for name, count in rows.items():
            self.stdout.write(f"  {name:<34} {count:>12,} rows")
        for step, seconds in builder.timings.items():
            self.stdout.write(f"  {step:<34} {seconds:>10.1f} s")
        # The generator writes only what the gates allow; a sample says whether it still does.
        checked, broken = check_sample(RULE_SAMPLE)
        self.stdout.write(f"  rules: {checked:,} placements sampled, {len(broken):,} break a gate of a stage reached")
        for pk, failures in list(broken.items())[:10]:
            self.stdout.write(f"    placement {pk}: {'; '.join(failures)}")
        t = builder.timings
        rebuilt = ", ".join(f"{label} {t[label]:.1f} s" for label, _entry in REBUILDS)
        summary = f"seeded {candidates} candidates in {t['total']:.1f} s ({rebuilt}) on {timezone.localdate()}"
        # The record travels with the database: the benchmark report reads it back.
        with connection.cursor() as cursor:
            cursor.execute(f'COMMENT ON TABLE "{Candidate._meta.db_table}" IS %s', [f"seed_bench: {summary}"])
        self.stdout.write(f"seed_bench: {summary}")

    @staticmethod
    def _is_superuser() -> bool:
        # session_replication_role needs a superuser (true on the embedded server).
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            row = cursor.fetchone()
        return bool(row and row[0])
