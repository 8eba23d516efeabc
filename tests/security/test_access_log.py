"""gunicorn's access log (gunicorn.conf.py) keeps query strings and referrers out: a NIK searched
for, or carried in a `next` link, never reaches the log file."""

import http.client
import socket
import subprocess
import sys
import time

from .production import BASE_DIR, production_environ

NIK = "3673015506900003"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, headers: dict) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", **headers})
        return conn.getresponse().status
    finally:
        conn.close()


def test_the_access_log_has_paths_but_no_query_strings_or_referrers(tmp_path):
    port, log = _free_port(), tmp_path / "access.log"
    # No collectstatic manifest in a fresh clone: plain static names (the page renders {% static %}).
    env = {
        **production_environ(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "False",
        "STATIC_MANIFEST": "False",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            str(log),
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status = _get(
                    port,
                    f"/accounts/login/?next=/candidates/%3Fq%3D{NIK}",
                    {"Referer": f"http://127.0.0.1:{port}/candidates/?q={NIK}", "User-Agent": "pii-test"},
                )
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer in time"
                time.sleep(0.2)
    finally:
        process.terminate()
        process.wait(timeout=30)

    assert status == 200
    lines = log.read_text().splitlines()
    assert any('"GET /accounts/login/ HTTP/1.1" 200' in line and "pii-test" in line for line in lines), lines
    assert NIK not in log.read_text()
