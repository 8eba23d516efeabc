"""`manage.py apply_retention`: what the retention policies match (a dry run), or `--commit` to act."""

from django.core.management.base import BaseCommand

from privacy.models import RetentionPolicy
from privacy.retention import apply_retention
from privacy.services import RETENTION


class Command(BaseCommand):
    help = "Apply the retention policies: print what they match; with --commit, erase and delete it."

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help="act (without it nothing changes)")

    def handle(self, *args, commit: bool = False, **options):
        result = apply_retention(user=RETENTION, commit=commit)
        labels = dict(RetentionPolicy.Rule.choices)
        if not result.counts:
            self.stdout.write("No active retention policy.")
        for rule, count in result.counts.items():
            verb = "done" if commit else "would be done (dry run)"
            self.stdout.write(f"{labels[rule]}: {count} {verb}")
        if not commit:
            self.stdout.write("Dry run: nothing changed. Run with --commit to act.")
