"""The floor of issue 14: the median in-process server time of the cheapest signed-in page (the
password form) and of the candidate list (page 1, 50 rows), over many requests after a warm-up.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rantau_prof_100k python scripts/bench/floor.py
    python scripts/bench/floor.py -n 500 --page floor --page candidates_search

Runs with the settings gunicorn runs with in the benchmark (run.production_env: DEBUG=False, the
static manifest; `manage.py collectstatic` first if staticfiles/ has none), drives Django's test
Client signed in as the bench users of inprocess.py (seed_bench), and reads nothing but GETs: the
database is not written to beyond the session rows of the sign-ins. Prints, per page, the median
and the 90th percentile in milliseconds, and the queries of one request.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import production_env  # noqa: E402

# Production's settings before Django reads them (inprocess sets Django up on import).
os.environ.update(production_env(port=0))

import inprocess  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402

DEFAULT_PAGES = ["floor", "candidates"]
# What inprocess.pages() reads of inprocess.targets(); the default pages need none of it.
TARGET_KEYS = ("programme_id", "candidate_id", "query", "surname", "updated_since")


def ensure_static_manifest() -> None:
    """The manifest storage needs collectstatic's manifest, as in production."""
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        from django.core.management import call_command

        call_command("collectstatic", "--noinput", verbosity=0)


def measure(client: Client, path: str, n: int, warmup: int) -> dict:
    for _ in range(warmup):
        client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    queries = len(captured.captured_queries)  # before the next request resets the log
    times, cpu_times = [], []
    for _ in range(n):
        started, cpu_started = time.perf_counter(), time.process_time()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.process_time() - cpu_started) * 1000)
    times.sort()
    return {
        "status": response.status_code,
        "queries": queries,
        "median": statistics.median(times),
        # This process's CPU time alone: steadier than the wall clock on a busy machine.
        "cpu_median": statistics.median(cpu_times),
        "p90": times[int(len(times) * 0.9) - 1],
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300, help="timed requests per page (default 300)")
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument(
        "--page", action="append", help=f"a page key of inprocess.pages() (default: {', '.join(DEFAULT_PAGES)})"
    )
    args = parser.parse_args(argv)
    ensure_static_manifest()
    wanted = args.page or DEFAULT_PAGES
    # Page keys other than the floor's need the bench's targets (a surname, a programme).
    t = inprocess.targets() if set(wanted) - set(DEFAULT_PAGES) else dict.fromkeys(TARGET_KEYS, "")
    by_key = {page["key"]: page for page in inprocess.pages(t)}
    clients = {}
    print(f"database {connection.settings_dict['NAME']}, {args.n} requests per page after {args.warmup}")
    for key in wanted:
        page = by_key[key]
        role = page["user"]
        if role not in clients:
            client = Client(HTTP_HOST=inprocess.HOST)
            if role is not None:
                client.force_login(User.objects.get(username=inprocess.USERS[role]))
            clients[role] = client
        result = measure(clients[role], page["path"], args.n, args.warmup)
        print(
            f"{page['label']:<55} {result['median']:7.2f} ms median {result['p90']:7.2f} ms p90"
            f" {result['cpu_median']:7.2f} ms CPU median"
            f"  {result['queries']:2d} queries  HTTP {result['status']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
