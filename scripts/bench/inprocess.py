"""The Django side of the benchmark: picks the pages to drive and counts their queries in-process.

    python scripts/bench/inprocess.py OUTPUT.json

Runs against the database the environment points to (EMBEDDED_DATABASE_NAME or DATABASE_URL),
with the same settings as the gunicorn under test. Writes JSON: the pages (label, user, path), the
queries per request of each page and the server time of one request (Django's test Client and
CaptureQueriesContext: two unmeasured requests first, so one-off work such as a first session write
or a cold cache is not counted, then the median of five requests made one after another), the
database's settings and row counts. Called by scripts/bench/run.py.

The API pages are read with a client created here (Kota Serang, read and personal-data, valid for a
day; earlier bench clients are revoked): its token goes to run.py in the JSON, which drops it
before keeping the results.
"""

import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from api.models import ApiClient  # noqa: E402
from api.services import SYSTEM, api_client_create  # noqa: E402
from candidates.models import Candidate  # noqa: E402
from core.models import Municipality  # noqa: E402
from placements.models import Placement  # noqa: E402

HOST = "127.0.0.1"
DEEP_PAGE = 500
# One request's server time: the median of TIMED requests after WARM_UP unmeasured ones.
WARM_UP = 2
TIMED = 5
API_PAGE_SIZE = 50
# updated_since picks the most recently changed 1 % of Serang's candidates: a day's incremental sync.
UPDATED_SHARE = 0.01
BENCH_CLIENT_PREFIX = "bench-api-"
# Users created by seed_bench: who drives which page.
LOADED_TABLES = [
    "candidates_candidate",
    "candidates_document",
    "candidates_languageresult",
    "placements_placement",
    "placements_placementstageevent",
    "placements_enrolment",
    "placements_cohort",
    "placements_trainingbatch",
    "candidates_candidateevent",
    "candidates_documentevent",
    "candidates_languageresultevent",
    "placements_placementevent",
    "protection_contact",
    "protection_case",
    "protection_caseaction",
]
USERS = {"staff": "bench.staff", "official": "bench.official", "national": "bench.national", "admin": "bench.admin"}


def typo(word: str) -> str:
    """The word with two inner letters swapped: how a surname is mistyped ("Saputra" → "Sapurta")."""
    i = len(word) // 2
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def targets() -> dict:
    """The records the pages show: Serang's busiest programme, a candidate with placements, a surname."""
    serang = Municipality.objects.get(code="36.73")
    programme_id = (
        Placement.objects.filter(municipality=serang)
        .values("programme_id")
        .annotate(n=Count("id"))
        .order_by("-n", "programme_id")
        .values_list("programme_id", flat=True)
        .first()
    )
    candidate_id = (
        Placement.objects.filter(municipality=serang)
        .values("candidate_id")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .order_by("candidate_id")
        .values_list("candidate_id", flat=True)
        .first()
    )
    names = Candidate.objects.filter(municipality=serang).order_by("id").values_list("full_name", flat=True)[:2000]
    words = Counter(w for name in names for w in name.split()[1:] if len(w) >= 5 and re.fullmatch(r"[A-Za-z]+", w))
    surname = words.most_common(1)[0][0] if words else "Saputra"
    serang_candidates = Candidate.objects.filter(municipality=serang)
    offset = int(serang_candidates.count() * UPDATED_SHARE)
    since = serang_candidates.order_by("-updated_at").values_list("updated_at", flat=True)[offset : offset + 1].first()
    return {
        "programme_id": programme_id,
        "candidate_id": candidate_id,
        "surname": surname,
        "query": typo(surname),
        "updated_since": (since or timezone.now()).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
    }


def api_token() -> str:
    """A new read client of Kota Serang for this run (the old bench clients revoked)."""
    now = timezone.now()
    ApiClient.objects.filter(name__startswith=BENCH_CLIENT_PREFIX, revoked_at__isnull=True).update(revoked_at=now)
    _, token = api_client_create(
        user=SYSTEM,
        name=f"{BENCH_CLIENT_PREFIX}{now:%Y%m%d%H%M%S}",
        municipality=Municipality.objects.get(code="36.73"),
        scopes=[ApiClient.Scope.READ, ApiClient.Scope.PERSONAL_DATA],
        expires_at=now + timedelta(days=1),
    )
    return token


def pages(t: dict) -> list[dict]:
    """Every page of issues 7 and 14, with the user that drives it. `floor` pages are the baseline.

    The national viewer reads counts only (accounts.access.persons_only): their page is the home
    dashboard over every municipality; the candidate list answers them 403 by design."""
    p, c, q = t["programme_id"], t["candidate_id"], t["query"]
    return [
        {"key": "healthz", "label": "/healthz (floor)", "user": None, "path": "/healthz", "floor": True},
        {
            "key": "floor",
            "label": "Trivial signed-in page (floor): password form",
            "user": "staff",
            "path": "/accounts/password/",
            "floor": True,
        },
        {"key": "home", "label": "Home dashboard", "user": "official", "path": "/"},
        {
            "key": "programme",
            "label": "Programme dashboard",
            "user": "official",
            "path": f"/programmes/{p}/",
        },
        {
            "key": "home_national",
            "label": "Home dashboard, national viewer (every municipality)",
            "user": "national",
            "path": "/",
        },
        {"key": "protection", "label": "Protection dashboard", "user": "official", "path": "/protection/"},
        {"key": "candidates", "label": "Candidate list, page 1", "user": "staff", "path": "/candidates/"},
        {
            "key": "candidates_deep",
            "label": f"Candidate list, page {DEEP_PAGE}",
            "user": "staff",
            "path": f"/candidates/?page={DEEP_PAGE}",
        },
        {
            "key": "candidates_filtered",
            "label": "Candidate list, filtered (women, SMA)",
            "user": "staff",
            "path": "/candidates/?sex=F&education=sma",
        },
        {
            "key": "candidates_search",
            "label": f"Candidate list, fuzzy name search ({q!r} for {t['surname']!r})",
            "user": "staff",
            "path": f"/candidates/?q={q}",
        },
        {"key": "candidate", "label": "Candidate detail", "user": "staff", "path": f"/candidates/{c}/"},
        {"key": "board", "label": "Pipeline board", "user": "staff", "path": f"/placements/?programme={p}"},
        {"key": "shortlist", "label": "Eligibility shortlist", "user": "staff", "path": f"/programmes/{p}/shortlist/"},
        {
            "key": "admin",
            "label": "Django admin changelist of candidates (peer)",
            "user": "admin",
            "path": "/admin/candidates/candidate/",
        },
        {
            "key": "api_candidates",
            "label": f"API: candidates, page 1 ({API_PAGE_SIZE} with personal data)",
            "user": "api",
            "path": f"/api/v1/candidates/?page_size={API_PAGE_SIZE}",
        },
        {
            "key": "api_candidates_since",
            "label": f"API: candidates updated since (the latest {UPDATED_SHARE:.0%}), page 1",
            "user": "api",
            "path": f"/api/v1/candidates/?page_size={API_PAGE_SIZE}&updated_since={t['updated_since']}",
        },
    ]


def count_queries(page_list: list[dict], token: str) -> None:
    """Adds status, queries, in-process milliseconds and the slowest query to each page."""
    clients = {"api": Client(HTTP_HOST=HOST, HTTP_AUTHORIZATION=f"Bearer {token}")}
    for role, username in USERS.items():
        client = Client(HTTP_HOST=HOST)
        client.force_login(User.objects.get(username=username))
        clients[role] = client
    clients[None] = Client(HTTP_HOST=HOST)
    for page in page_list:
        client = clients[page["user"]]
        runs = []
        try:
            for _ in range(WARM_UP):
                client.get(page["path"])  # session write, caches, the database's buffers
            for _ in range(TIMED):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(page["path"])
                    elapsed = time.perf_counter() - started
                runs.append((elapsed, captured.captured_queries))
        except Exception as exc:  # a page that raises is reported, not fatal
            page.update(inprocess_status=f"error: {type(exc).__name__}", queries=None)
            connection.close()
            continue
        median = statistics.median(elapsed for elapsed, _ in runs)
        sql_ms = [sum(float(q["time"]) for q in queries) * 1000 for _, queries in runs]
        # The slowest queries of the run closest to the median.
        _, queries = min(runs, key=lambda run: abs(run[0] - median))
        timed = sorted(((float(q["time"]) * 1000, q["sql"]) for q in queries), reverse=True)
        page.update(
            inprocess_status=response.status_code,
            queries=len(timed),
            # Differs from `queries` only if a page's query count changes between identical requests.
            queries_per_run=sorted({len(q) for _, q in runs}),
            inprocess_ms=round(median * 1000, 1),
            inprocess_runs_ms=[round(elapsed * 1000, 1) for elapsed, _ in runs],
            sql_ms=round(statistics.median(sql_ms), 1),
            # Kept in var/bench only (bench data is synthetic); the report shows the times.
            slowest_queries=[{"ms": round(ms, 1), "sql": sql[:3000]} for ms, sql in timed[:5]],
        )


def database_info() -> dict:
    with connection.cursor() as cursor:
        settings = {}
        for name in (
            "server_version",
            "shared_buffers",
            "work_mem",
            "effective_cache_size",
            "maintenance_work_mem",
            "random_page_cost",
            "jit",
        ):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database())), current_database()")
        size, name = cursor.fetchone()
        rows = {}
        for table in LOADED_TABLES:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - a fixed table name
            rows[table] = cursor.fetchone()[0]
        cursor.execute("SELECT obj_description('candidates_candidate'::regclass, 'pg_class')")
        seeded = cursor.fetchone()[0] or ""
    return {
        "name": name,
        "size": size,
        "settings": settings,
        "rows": rows,
        "candidates": Candidate.objects.count(),
        # seed_bench's own record of its load ("seed_bench: seeded N candidates in S s on DATE").
        "seed_record": seeded.removeprefix("seed_bench: ") if seeded.startswith("seed_bench:") else None,
    }


def main(argv: list[str]) -> int:
    output = Path(argv[1])
    t = targets()
    page_list = pages(t)
    token = api_token()
    count_queries(page_list, token)
    result = {"targets": t, "pages": page_list, "database": database_info(), "api_token": token}
    output.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
