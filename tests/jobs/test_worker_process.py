"""The real worker: `manage.py db_worker` in its own process takes a committed job and runs it."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from jobs.models import ScheduledRun
from jobs.queue import enqueue

from .tasks import touch


def database_url() -> str:
    """The test database as a DATABASE_URL, for a process started by the test."""
    params = connection.get_connection_params()
    host = quote(params.get("host") or "127.0.0.1", safe="")
    port = params.get("port") or ""
    password = f":{quote(params['password'], safe='')}" if params.get("password") else ""
    return f"postgres://{params.get('user', 'postgres')}{password}@{host}{':' if port else ''}{port}/{params['dbname']}"


def worker_env() -> dict:
    """The environment of a process that works on this test database: the embedded server's (by
    its database name) or a server's (by DATABASE_URL)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(settings.BASE_DIR)}
    env.pop("TEST_DATABASE_NAME", None)
    if settings.DATABASES["default"]["ENGINE"] == "config.embedded_postgres":
        env.pop("DATABASE_URL", None)
        env["EMBEDDED_DATABASE_NAME"] = connection.settings_dict["NAME"]
    else:
        env["DATABASE_URL"] = database_url()
    return env


# Committed rows (the worker is another process), so a transactional test; the root conftest brings the
# reference data back after the flush, and no serialized rollback is needed.
@pytest.mark.django_db(transaction=True)
def test_the_worker_process_runs_a_committed_job():
    result = enqueue(touch, "done by the worker process")
    completed = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--queue-name", "*", "--no-reload", "--no-startup-delay"],
        cwd=Path(settings.BASE_DIR),
        env=worker_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL"
    assert row.worker_ids and row.worker_ids[0] != "test-worker"
    assert ScheduledRun.objects.filter(name="done by the worker process").exists()
