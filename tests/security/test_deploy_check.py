"""`manage.py check --deploy --fail-level WARNING` is clean with production's environment (as `make
check` runs it in CI), and production refuses to start without a secret key."""

import subprocess
import sys

from .production import BASE_DIR, production_environ


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_deploy_checks_pass_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=production_environ())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = production_environ()
    del env["SECRET_KEY"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_the_checks_would_catch_a_weakened_setting():
    # Guard against a check run that passes because it checks nothing: switching off the TLS
    # redirect in production must fail the same command.
    env = {**production_environ(), "SECURE_SSL_REDIRECT": "False"}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr
