"""Queue the daily jobs when they are due: `python manage.py run_scheduler [--once]` (see jobs/schedule.py)."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from jobs.schedule import enqueue_due


class Command(BaseCommand):
    help = "Queue the daily jobs of settings.RANTAU_SCHEDULE when they are due; runs until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Queue what is due now and exit.")
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between checks (default 30).")

    def handle(self, *args, once=False, interval=30.0, **options):
        self.running = True
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        while self.running:
            close_old_connections()
            for name in enqueue_due():
                self.stdout.write(f"queued {name}")
            if once:
                return
            deadline = time.monotonic() + interval
            while self.running and time.monotonic() < deadline:
                time.sleep(0.5)

    def _stop(self, signum, frame):
        self.running = False
