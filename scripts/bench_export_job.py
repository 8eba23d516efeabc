"""Benchmark: a 100,000-row candidate export made by a job, while a web client reads pages.

    createdb rantau_bench_jobs
    DEBUG=True DATABASE_URL=postgres://…/rantau_bench_jobs .venv/bin/python manage.py migrate
    DEBUG=True DATABASE_URL=postgres://…/rantau_bench_jobs .venv/bin/python manage.py seed_bench --candidates 100000
    DEBUG=True DATABASE_URL=postgres://…/rantau_bench_jobs .venv/bin/python scripts/bench_export_job.py --write

A national viewer (who sees every municipality) exports the whole list, XLSX then CSV. For each:
the time of the request that starts the job (what the web worker spends), the job's own time in
one `db_worker` process, the rows and the file's size, and the p50/p95 of two pages served in this
process by Django's test client while the worker runs (server time without the network).
"""

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "True")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# Production-like: no query log in this process (DEBUG=True is only for the settings to load).
settings.DEBUG = False
settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from candidates.models import Candidate  # noqa: E402
from jobs.models import UserJob  # noqa: E402


def database_url() -> str:
    params = connection.get_connection_params()
    host = params.get("host") or "127.0.0.1"
    port = params.get("port") or 5432
    return f"postgres://{params.get('user', 'postgres')}@{host}:{port}/{params['dbname']}"


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def run(fmt: str, user: User) -> list[str]:
    client = Client()
    client.force_login(user)
    pages = {"candidate list": "/candidates/", "candidate list, page 50": "/candidates/?page=50"}
    for url in pages.values():
        client.get(url)  # warm up: first-use imports and caches are not what a user waits for
    t0 = time.perf_counter()
    response = client.post(f"/candidates/export/start/?format={fmt}")
    start_request = time.perf_counter() - t0
    assert response.status_code == 302 and response["Location"].startswith("/jobs/"), response.status_code
    job = UserJob.objects.filter(requested_by=user).latest("created_at")

    env = {**os.environ, "DATABASE_URL": database_url(), "DEBUG": "False", "SECRET_KEY": "bench-only-" + "x" * 40}
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--queue-name",
            "*",
            "--no-reload",
            "--no-startup-delay",
            "--max-tasks",
            "1",
            "--verbosity",
            "0",
        ],
        cwd=ROOT,
        env=env,
    )
    latencies: dict[str, list[float]] = {name: [] for name in pages}
    latencies["the job's page (polled)"] = []
    job_url = f"/jobs/{job.pk}/"
    stop = threading.Event()

    def read_pages():
        while not stop.is_set():
            for name, url in [*pages.items(), ("the job's page (polled)", job_url)]:
                t1 = time.perf_counter()
                answer = client.get(url, headers={"HX-Request": "true"} if url == job_url else {})
                latencies[name].append(time.perf_counter() - t1)
                assert answer.status_code == 200, (url, answer.status_code)
            time.sleep(0.2)

    reader = threading.Thread(target=read_pages)
    reader.start()
    worker.wait()
    stop.set()
    reader.join()
    job.refresh_from_db()
    assert job.status == "done", (job.status, job.error)
    size = job.file.size
    lines = [
        f"**{fmt.upper()}** — the request that starts the job: {start_request * 1000:.0f} ms; "
        f"the job: {job.total:,} rows in {job.seconds_taken:.1f} s "
        f"({job.total / job.seconds_taken:,.0f} rows/s), a file of {size / 1024 / 1024:.1f} MB",
    ]
    for name, values in latencies.items():
        lines.append(
            f"- {name} meanwhile (in-process, {len(values)} requests): "
            f"p50 {statistics.median(values) * 1000:.0f} ms, p95 {percentile(values, 0.95) * 1000:.0f} ms"
        )
    job.file.delete(save=False)
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--formats", default="xlsx,csv")
    parser.add_argument("--write", action="store_true", help="Write the figures to docs/benchmarks_jobs.md.")
    args = parser.parse_args()
    viewer, _ = User.objects.get_or_create(username="bench.export")
    viewer.groups.add(Group.objects.get(name=Role.NATIONAL_VIEWER.value))
    UserJob.objects.filter(requested_by=viewer).delete()
    candidates = Candidate.objects.count()
    lines = []
    for fmt in args.formats.split(","):
        lines += [*run(fmt, viewer), ""]
    print("\n".join(lines))
    if args.write:
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        header = [
            "# Background jobs benchmark",
            "",
            "Written by `scripts/bench_export_job.py --write` (nothing typed by hand): a national viewer exports",
            f"the whole candidate list ({candidates:,} candidates, `manage.py seed_bench --candidates 100000`)",
            "from the list's export link. The request only starts a job; one `db_worker` process makes the file",
            "while Django's test client reads pages in the benchmark's own process (server time, no network).",
            "",
            f"{timezone.localtime():%Y-%m-%d %H:%M %Z}, {os.cpu_count()} CPUs, load average at the end {load}, "
            f"PostgreSQL {connection.pg_version // 10000}.",
            "",
        ]
        (ROOT / "docs" / "benchmarks_jobs.md").write_text("\n".join(header + lines).rstrip() + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
