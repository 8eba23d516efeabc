#!/usr/bin/env bash
# `make run`: the job worker and the daily scheduler beside the development server. Ctrl-C (or the
# server ending for any reason) stops all three. Usage: scripts/run_dev.sh HOST:PORT
set -uo pipefail
PY=${PY:-.venv/bin/python}
"$PY" manage.py db_worker --queue-name '*' --no-reload --verbosity 0 &
worker=$!
"$PY" manage.py run_scheduler &
scheduler=$!
stop() {
    kill -TERM "$worker" "$scheduler" 2>/dev/null
    wait "$worker" "$scheduler" 2>/dev/null
}
trap stop EXIT
trap 'exit 130' INT TERM
echo "Job worker (pid $worker) and scheduler (pid $scheduler) running beside the server."
"$PY" manage.py runserver "$1"
