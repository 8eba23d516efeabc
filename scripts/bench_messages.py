"""Benchmark: 10,000 messages to one training batch, queued and sent by ONE worker process through
the outbox provider, while a web client reads pages.

    createdb rantau_bench_messages
    DEBUG=True DATABASE_URL=postgres://…/rantau_bench_messages .venv/bin/python manage.py migrate
    DEBUG=True DATABASE_URL=postgres://…/rantau_bench_messages .venv/bin/python scripts/bench_messages.py

Prints the time the request takes to queue the send, the time until every message is sent, the
rate, and the p50/p95 of two pages (the send's status page and the candidate list) served in this
process by Django's test client while the worker runs (server time without the network).
Deletes its own data before it starts, so it can be run again.
"""

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
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
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from candidates.models import Candidate  # noqa: E402
from core.models import Municipality  # noqa: E402
from messaging import services  # noqa: E402
from messaging.models import Broadcast, ContactConsent, Message, MessageTemplate, OutboxEntry  # noqa: E402
from placements.models import Enrolment, Placement, TrainingBatch, TrainingProvider  # noqa: E402
from programmes.models import Agreement, AgreementStage, Partner, Programme  # noqa: E402

TAG = "BENCHMSG"


def seed(people: int):
    serang = Municipality.objects.get(code="36.73")
    staff, _ = User.objects.get_or_create(username="bench.messages", defaults={"municipality": serang})
    staff.groups.add(Group.objects.get(name=Role.STAFF.value))
    with transaction.atomic():
        Message.objects.filter(candidate__notes=TAG).delete()
        Broadcast.objects.filter(created_by=staff).delete()
        Enrolment.objects.filter(batch__name=TAG).delete()
        Placement.objects.filter(candidate__notes=TAG).delete()
        TrainingBatch.objects.filter(name=TAG).delete()
        ContactConsent.objects.filter(candidate__notes=TAG).delete()
        Candidate.objects.filter(notes=TAG).delete()
        partner, _ = Partner.objects.get_or_create(name=TAG, defaults={"country": "KR", "level": "county"})
        agreement, _ = Agreement.objects.get_or_create(
            title=TAG,
            defaults=dict(
                municipality=serang,
                partner=partner,
                kind="sister_city",
                stage=AgreementStage.LOA,
                stage_entered_on=date.today(),
                government_body="Pemerintah Kota Serang",
            ),
        )
        programme, _ = Programme.objects.get_or_create(
            name=TAG,
            defaults=dict(
                agreement=agreement,
                scheme="eps",
                status="recruiting",
                destination_country="KR",
                target_min=1,
                target=people,
                target_max=people,
            ),
        )
        provider, _ = TrainingProvider.objects.get_or_create(name=TAG, defaults={"kind": "lpk", "municipality": serang})
        batch = TrainingBatch.objects.create(
            provider=provider,
            programme=programme,
            municipality=serang,
            name=TAG,
            course_kind="language",
            starts_on=date.today() + timedelta(days=7),
            ends_on=date.today() + timedelta(days=60),
            hours=240,
            capacity=people,
        )
        candidates = Candidate.objects.bulk_create(
            [
                Candidate(
                    municipality=serang,
                    nik=f"3673019{i:09d}",
                    full_name=f"Peserta {i:05d}",
                    sex="M",
                    birth_date=date(1995, 1, 1),
                    birth_place="Serang",
                    kecamatan_code="36.73.01",
                    phone=f"+62812{i:08d}",
                    education="sma",
                    registered_on=date.today(),
                    consent_given_on=date.today(),
                    consent_version="2025-01",
                    notes=TAG,
                )
                for i in range(people)
            ],
            batch_size=2000,
        )
        now = timezone.now()
        placements = Placement.objects.bulk_create(
            [
                Placement(
                    candidate=c,
                    programme=programme,
                    municipality=serang,
                    stage="in_training",
                    stage_changed_at=now,
                    registered_on=date.today(),
                )
                for c in candidates
            ],
            batch_size=2000,
        )
        Enrolment.objects.bulk_create([Enrolment(batch=batch, placement=p) for p in placements], batch_size=2000)
        ContactConsent.objects.bulk_create(
            [
                ContactConsent(candidate=c, channel="whatsapp", given_on=date.today(), recorded_by=staff)
                for c in candidates
            ],
            batch_size=2000,
        )
    return staff, batch


def database_url() -> str:
    params = connection.get_connection_params()
    host = params.get("host") or "127.0.0.1"
    port = params.get("port") or 5432
    return f"postgres://{params.get('user', 'postgres')}@{host}:{port}/{params['dbname']}"


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--write", action="store_true", help="Write the figures to docs/benchmarks_messages.md.")
    args = parser.parse_args()
    DBTaskResult.objects.all().delete()
    t = time.perf_counter()
    staff, batch = seed(args.people)
    print(f"seeded {args.people} people in {time.perf_counter() - t:.1f} s")
    template = MessageTemplate.objects.get(
        municipality=None, code="training_schedule", channel="whatsapp", language="id"
    )
    outbox_before = OutboxEntry.objects.count()

    t0 = time.perf_counter()
    broadcast = services.broadcast_create(
        user=staff, template=template, source="batch", source_query={"batch": batch.pk}, label=batch.name
    )
    queue_request = time.perf_counter() - t0

    # The worker as in production: DEBUG off (no query log).
    env = {**os.environ, "DATABASE_URL": database_url(), "DEBUG": "False", "SECRET_KEY": "bench-only-" + "x" * 40}
    start = time.perf_counter()
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--queue-name",
            "*",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--verbosity",
            "0",
        ],
        cwd=ROOT,
        env=env,
    )
    latencies = {"status page": [], "candidate list": []}
    stop = threading.Event()

    client = Client()
    client.force_login(staff)
    urls = {"status page": f"/messages/{broadcast.pk}/", "candidate list": "/candidates/"}
    for url in urls.values():
        client.get(url)  # warm up: first-use imports and caches are not what a user waits for

    def read_pages():
        while not stop.is_set():
            for name, url in urls.items():
                t1 = time.perf_counter()
                response = client.get(url)
                latencies[name].append(time.perf_counter() - t1)
                assert response.status_code == 200, (url, response.status_code)
            time.sleep(0.2)

    reader = threading.Thread(target=read_pages)
    reader.start()
    prepared_at = None
    while worker.poll() is None:
        if prepared_at is None and Broadcast.objects.filter(pk=broadcast.pk, status="sending").exists():
            prepared_at = time.perf_counter() - start
        time.sleep(0.5)
    total = time.perf_counter() - start
    stop.set()
    reader.join()
    counts = dict(
        Message.objects.filter(broadcast=broadcast).values_list("status").annotate(n=django.db.models.Count("*"))
    )
    sent = counts.get("sent", 0)
    lines = [
        f"- the request that queues the send: {queue_request * 1000:.0f} ms",
        f"- the job that prepares it ({args.people:,} messages made, their sending jobs queued): "
        f"done {prepared_at or 0:.1f} s after the worker started",
        f"- every message sent by one worker through the outbox provider: {total:.1f} s "
        f"({sent / total:.0f} messages/s); statuses {counts}",
        f"- outbox entries written: {OutboxEntry.objects.count() - outbox_before:,}",
    ]
    for name, values in latencies.items():
        lines.append(
            f"- {name} meanwhile (in-process, {len(values)} requests): "
            f"p50 {statistics.median(values) * 1000:.0f} ms, p95 {percentile(values, 0.95) * 1000:.0f} ms"
        )
    print("\n".join(lines))
    assert sent == args.people, counts
    if args.write:
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        header = [
            "# Messages benchmark",
            "",
            "Written by `scripts/bench_messages.py --write` (nothing typed by hand): one send to a training",
            f"batch of {args.people:,} people, each with consent to be contacted on WhatsApp, processed by one",
            "`db_worker` process through the outbox provider, while Django's test client reads two pages in",
            "the benchmark's own process (server time, no network).",
            "",
            f"{timezone.localtime():%Y-%m-%d %H:%M %Z}, {os.cpu_count()} CPUs, load average at the end {load}, "
            f"PostgreSQL {connection.pg_version // 10000}.",
            "",
        ]
        (ROOT / "docs" / "benchmarks_messages.md").write_text("\n".join(header + lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
