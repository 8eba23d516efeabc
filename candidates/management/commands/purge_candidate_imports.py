"""Delete import uploads that were checked but never imported or cancelled (run daily)."""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from candidates.imports import STORAGE_DIR


class Command(BaseCommand):
    help = "Delete abandoned candidate import files older than --hours (default 24)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24)

    def handle(self, *args, hours: int, **options):
        if not default_storage.exists(STORAGE_DIR):
            return
        cutoff = timezone.now() - timedelta(hours=hours)
        _dirs, files = default_storage.listdir(STORAGE_DIR)
        removed = 0
        for name in files:
            path = f"{STORAGE_DIR}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                removed += 1
        self.stdout.write(f"{removed} abandoned import file(s) removed.")
