"""manage.py deliver_webhooks: deliver the due outbox messages now, without the queue (the queue's
jobs deliver them as they are written; this catches up by hand, as the daily sweep does)."""

from django.core.management.base import BaseCommand

from ...webhooks import deliver_due


class Command(BaseCommand):
    help = "Deliver pending webhook messages that are due, with retries and backoff."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500)

    def handle(self, *args, limit, **options):
        run = deliver_due(limit=limit)
        self.stdout.write(f"delivered {run.delivered}, failed attempts {run.failed_attempts}, gave up {run.gave_up}")
