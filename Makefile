# Rantau. `make run` and `make test` work on a fresh clone: no database server, no virtualenv needed.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTEST := $(VENV)/bin/pytest
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install run test lint check messages i18n-check db-stop bench load clean

help:
	@echo "make run    – install, migrate, load demo data, serve http://$(HOST):$(PORT)"
	@echo "make test   – install and run the whole test suite"
	@echo "make lint   – ruff check and format check, the import layers contract, makemigrations --check, the API schema"
	@echo "make bench  – benchmark at 100,000 and 1,000,000 candidates (docs/benchmarks.md)"
	@echo "make load   – 50 staff and officials for 60 s against gunicorn on the demo data (docs/security.md)"

$(VENV)/.installed: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

# The compiled catalogues are committed, so a machine without gettext still runs in both languages.
messages: install
	@if command -v msgfmt >/dev/null; then DEBUG=True $(PY) manage.py compilemessages --ignore=.venv --ignore=var >/dev/null; \
	else echo "gettext not installed: using the committed .mo files"; fi

run: install messages
	DEBUG=True $(PY) manage.py migrate --noinput
	DEBUG=True $(PY) manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/ with the job worker and the scheduler (Ctrl-C stops all three)"
	DEBUG=True PY=$(PY) scripts/run_dev.sh $(HOST):$(PORT)

test: install messages
	$(PYTEST)

# Strings added to the code but missing from the Indonesian catalogue fail the build.
i18n-check: install
	mkdir -p var && cp locale/id/LC_MESSAGES/django.po var/django.po.bak
	DEBUG=True $(PY) manage.py makemessages -l id --ignore=.venv --ignore=var --ignore=static --ignore=tests --ignore=scripts --no-obsolete >/dev/null
	$(PY) scripts/check_translations.py; status=$$?; cp var/django.po.bak locale/id/LC_MESSAGES/django.po; exit $$status

lint: install i18n-check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	DEBUG=True $(PY) manage.py makemigrations --check --dry-run
	DEBUG=True $(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null

check: install
	DEBUG=False SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=rantau.example.go.id \
		$(PY) manage.py check --deploy --fail-level WARNING

# gunicorn with DEBUG=False on 127.0.0.1:$(LOAD_PORT), the load script, then gunicorn stops (docs/security.md).
LOAD_PORT ?= 8001
LOAD_WORKERS ?= 3
load: install messages
	DEBUG=True $(PY) manage.py migrate --noinput
	DEBUG=True $(PY) manage.py seed_demo >/dev/null
	$(PY) scripts/loadtest.py --serve --workers $(LOAD_WORKERS) --url http://127.0.0.1:$(LOAD_PORT)

# The benchmark of issues 7 and 14 (docs/benchmarks.md): seeds rantau_bench_100k and rantau_bench_1m when they
# are missing, serves gunicorn (DEBUG=False, 2 workers) on 127.0.0.1:$(BENCH_PORT), drives every page
# with wrk and writes docs/benchmarks.md. Quick run: make bench BENCH_SCALES=100000 BENCH_DURATION=5
BENCH_PORT ?= 8106
BENCH_SCALES ?= 100000,1000000
BENCH_DURATION ?= 10
# BENCH_ARGS=--reseed loads the bench databases again (after a change to seed_bench).
BENCH_ARGS ?=
bench: install messages
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
	@# The embedded server gets production-like settings (config/embedded_postgres/control.py TUNED).
	@if [ -z "$$DATABASE_URL" ]; then $(PY) -m config.embedded_postgres.control tune; fi
	$(PY) scripts/bench/run.py --scales $(BENCH_SCALES) --duration $(BENCH_DURATION) --port $(BENCH_PORT) $(BENCH_ARGS)

db-stop:
	$(PY) -m config.embedded_postgres.control stop

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
