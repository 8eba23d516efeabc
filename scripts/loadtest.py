#!/usr/bin/env python3
"""Load test: concurrent staff and officials using Rantau for a fixed time, against 127.0.0.1 only.

Each virtual user signs in through the login form (with its CSRF token), then opens, in a loop
and without pauses, the pages of a working day: the home dashboard, the candidate list, a
candidate, a programme page, the placement and agreement lists; staff also open the new-candidate
form. It stops by itself after --duration seconds and prints the number of requests, requests per
second, latency percentiles and errors by status. The exit status is 1 if any request answered
5xx or the connection failed, 2 if the run could not start (a sign-in failed, wrong settings).

    python scripts/loadtest.py --url http://127.0.0.1:8001          # a server that is running
    python scripts/loadtest.py --serve --workers 3                  # starts gunicorn itself

Uses the demo accounts (`manage.py seed_demo`, password rantau-demo). Standard library only.
"""

import argparse
import http.client
import itertools
import math
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
ALLOWED_HOST = "127.0.0.1"
STAFF = ["serang.staff", "blitar.staff"]
OFFICIALS = ["serang.official", "blitar.official", "national.viewer"]
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class SetupError(Exception):
    """The run cannot start: wrong address, settings or credentials."""


@dataclass
class Results:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)

    def record(self, page: str, seconds: float, status: int | str, ok: bool) -> None:
        with self.lock:
            self.latencies[page].append(seconds)
            self.statuses[status] += 1
            if not ok:
                self.errors[f"{page}: {status}"] += 1


class Browser:
    """One user's cookies and a fresh connection per request (gunicorn's sync workers close it)."""

    def __init__(self, host: str, port: int, results: Results, timeout: float):
        self.host, self.port, self.results, self.timeout = host, port, results, timeout
        self.cookies: dict[str, str] = {}
        self.last_error = ""

    def request(self, page: str, method: str, path: str, body: dict | None = None, expect=(200,)):
        headers = {"Host": f"{self.host}:{self.port}", "Accept-Language": "id", "User-Agent": "rantau-loadtest"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.last_error = type(exc).__name__
            self.results.record(page, time.perf_counter() - start, self.last_error, ok=False)
            return None, b"", None
        finally:
            conn.close()
        self.results.record(page, time.perf_counter() - start, response.status, ok=response.status in expect)
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, content, response.getheader("Location")


def sign_in(browser: Browser, username: str, password: str) -> None:
    status, content, location = browser.request("login form", "GET", "/accounts/login/")
    if status == 301 and location and location.startswith("https:"):
        raise SetupError("the server redirects to https: run it with SECURE_SSL_REDIRECT=False SECURE_COOKIES=False")
    if status != 200:
        raise SetupError(f"GET /accounts/login/ answered {status}")
    token = CSRF_INPUT.search(content.decode())
    if token is None:
        raise SetupError("no CSRF token on the login page")
    status, _, location = browser.request(
        "login",
        "POST",
        "/accounts/login/",
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)},
        expect=(302,),
    )
    if status != 302 or not location or "/accounts/login/" in location:
        # Stop at once: repeated failures would lock the demo account (django-axes).
        why = f"status {status}" if status else browser.last_error
        raise SetupError(f"sign-in as {username} failed ({why}); is the demo data loaded?")


def first_id(browser: Browser, page: str, path: str, pattern: str) -> int | None:
    status, content, _ = browser.request(page, "GET", path)
    match = re.search(pattern, content.decode()) if status == 200 else None
    return int(match.group(1)) if match else None


def user_loop(number: int, args, results: Results, clock: dict, failures: list, gates: dict) -> None:
    is_staff = number % 2 == 0
    accounts = STAFF if is_staff else OFFICIALS
    username = accounts[number // 2 % len(accounts)]
    browser = Browser(args.host, args.port, results, args.timeout)
    rng = random.Random(number)
    ready = gates["ready"]
    try:
        # A few sign-ins at a time: each hashes the password (deliberately slow), and the sign-in
        # rush is not what is measured.
        with gates["signing_in"]:
            sign_in(browser, username, args.password)
            candidate = first_id(browser, "candidate list", "/candidates/", r'href="/candidates/(\d+)/"')
            programme = first_id(browser, "programme list", "/programmes/", r'href="/programmes/(\d+)/"')
    except SetupError as exc:
        failures.append(str(exc))
        ready.abort()
        return
    try:
        ready.wait()  # everyone signed in: the measured run starts now
    except threading.BrokenBarrierError:
        return
    pages = [
        ("home", "/"),
        ("candidate list", "/candidates/"),
        ("placement list", "/placements/"),
        ("agreement list", "/agreements/"),
    ]
    if candidate:
        pages.append(("candidate detail", f"/candidates/{candidate}/"))
    if programme:
        pages.append(("programme page", f"/programmes/{programme}/"))
    if is_staff:
        pages.append(("new candidate form", "/candidates/new/"))
    rng.shuffle(pages)
    for name, path in itertools.cycle(pages):
        if time.monotonic() >= clock["deadline"]:
            return
        browser.request(name, "GET", path)
        if args.think:
            time.sleep(rng.uniform(0, 2 * args.think))


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def report(results: Results, elapsed: float, users: int) -> int:
    every = sorted(v for values in results.latencies.values() for v in values)
    total = len(every)
    five_xx = sum(n for status, n in results.statuses.items() if isinstance(status, int) and status >= 500)
    broken = sum(n for status, n in results.statuses.items() if isinstance(status, str))
    print(f"\n{users} users for {elapsed:.1f} s: {total} requests, {total / elapsed:.1f} requests/s")
    print(
        f"latency  p50 {ms(percentile(every, 50))}  p95 {ms(percentile(every, 95))}  "
        f"p99 {ms(percentile(every, 99))}  max {ms(every[-1] if every else 0)}"
    )
    print("\nby page              requests      p50      p95")
    for page, values in sorted(results.latencies.items()):
        values = sorted(values)
        print(f"  {page:<18} {len(values):>8} {ms(percentile(values, 50)):>8} {ms(percentile(values, 95)):>8}")
    print("\nstatus   " + ", ".join(f"{status}: {n}" for status, n in sorted(results.statuses.items(), key=str)))
    if results.errors:
        print("errors   " + ", ".join(f"{what} ×{n}" for what, n in results.errors.most_common()))
    else:
        print("errors   none")
    print(f"5xx      {five_xx}" + (f"   connection failures {broken}" if broken else ""))
    return 1 if five_xx or broken else 0


def run(args) -> int:
    results, failures, clock = Results(), [], {"deadline": 0.0}

    def start_measuring():
        # Runs once, when every user has signed in and before any is released: the sign-ins and
        # id look-ups are not part of the figures.
        results.latencies.clear()
        results.statuses.clear()
        results.errors.clear()
        clock["started"] = time.monotonic()
        clock["deadline"] = clock["started"] + args.duration

    gates = {"ready": threading.Barrier(args.users, action=start_measuring), "signing_in": threading.Semaphore(4)}
    threads = [
        threading.Thread(target=user_loop, args=(n, args, results, clock, failures, gates), daemon=True)
        for n in range(args.users)
    ]
    print(f"signing in {args.users} users at http://{args.host}:{args.port} …", flush=True)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.duration + args.timeout + 180)
    if failures or "started" not in clock:
        print("could not start: " + ("; ".join(sorted(set(failures))) or "sign-in took too long"), file=sys.stderr)
        return 2
    return report(results, time.monotonic() - clock["started"], args.users)


def serve(args) -> subprocess.Popen:
    """gunicorn with production settings (DEBUG=False), plain http on 127.0.0.1, on the demo data."""
    env = {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or os.urandom(32).hex(),
        "ALLOWED_HOSTS": ALLOWED_HOST,
        # The load test speaks plain http to 127.0.0.1; TLS is the proxy's job in production.
        "SECURE_SSL_REDIRECT": "False",
        "SECURE_COOKIES": "False",
        # No collectstatic needed: the pages are measured, not the static files.
        "STATIC_MANIFEST": "False",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--bind",
        f"{ALLOWED_HOST}:{args.port}",
        "--workers",
        str(args.workers),
        "--access-logfile",
        "-",
    ]
    log_path = BASE_DIR / "var" / "loadtest-gunicorn.log"
    log_path.parent.mkdir(exist_ok=True)
    with open(log_path, "w") as log:  # the child keeps its own copy of the file descriptor
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603 - fixed command
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SetupError(f"gunicorn exited; see {log_path}")
        conn = http.client.HTTPConnection(args.host, args.port, timeout=5)
        try:
            conn.request("GET", "/healthz", headers={"Host": args.host})
            if conn.getresponse().status == 200:
                print(f"gunicorn: {args.workers} workers on {args.host}:{args.port} (log: {log_path})", flush=True)
                return process
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.3)
    process.terminate()
    raise SetupError("gunicorn did not become healthy within 60 s")


def parse_args(argv: list[str]):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8001", help="the server (127.0.0.1 only)")
    parser.add_argument("--users", type=int, default=50, help="concurrent users, half staff (default 50)")
    parser.add_argument("--duration", type=int, default=60, help="seconds to run (default 60)")
    parser.add_argument("--think", type=float, default=0.0, help="mean pause between a user's pages, seconds")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a request counts as failed")
    parser.add_argument("--password", default="rantau-demo", help="the demo accounts' password")
    parser.add_argument("--serve", action="store_true", help="start gunicorn (DEBUG=False) for the run, then stop it")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers with --serve (default 3)")
    args = parser.parse_args(argv)
    url = urlsplit(args.url)
    if url.scheme != "http" or url.hostname != ALLOWED_HOST:
        parser.error(f"refusing {args.url}: this script only loads http://{ALLOWED_HOST}")
    args.host, args.port = url.hostname, url.port or 80
    if not (1 <= args.users <= 500 and 1 <= args.duration <= 3600):
        parser.error("--users 1..500 and --duration 1..3600")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    server = None
    try:
        if args.serve:
            server = serve(args)
        return run(args)
    except SetupError as exc:
        print(f"could not start: {exc}", file=sys.stderr)
        return 2
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
