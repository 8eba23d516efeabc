"""The security settings exactly as production computes them: config/settings.py imported in a
child process with a production-like environment (no test defaults), read once per test run."""

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

# What a deployment sets (README, "Deploying"); everything else is left to the defaults.
PRODUCTION_ENV = {
    "DEBUG": "False",
    "SECRET_KEY": "production-like-secret-key-for-the-tests-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "rantau.example.go.id",
    "CSRF_TRUSTED_ORIGINS": "https://rantau.example.go.id",
}

SECURITY_SETTINGS = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CONTENT_SECURITY_POLICY",
]


# From the machine's environment, only what locates programs, the locale and the database.
_PASSED_THROUGH = {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "VIRTUAL_ENV", "XDG_RUNTIME_DIR"}
_DATABASE_PREFIXES = ("DATABASE_URL", "EMBEDDED_", "TEST_DATABASE_NAME", "CONN_MAX_AGE")


def production_environ() -> dict[str, str]:
    """A production-like environment: none of the test run's variables (tests/settings.py's
    defaults, a browser test's DJANGO_ALLOW_ASYNC_UNSAFE), only PRODUCTION_ENV and the database."""
    env = {k: v for k, v in os.environ.items() if k in _PASSED_THROUGH or k.startswith(_DATABASE_PREFIXES)}
    env.update(PRODUCTION_ENV)
    return env


@functools.cache
def production_security_settings() -> dict:
    script = (
        "import json, config.settings as s; "
        f"print(json.dumps({{name: getattr(s, name) for name in {SECURITY_SETTINGS!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=production_environ(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])
