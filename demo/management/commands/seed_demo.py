from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo.builder import DEMO_PASSWORD, DEMO_USERS, DemoBuilder


class Command(BaseCommand):
    help = "Load the demo data (Serang–Changnyeong, Blitar–Korea, Kemnaker–JOE). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG=False.")

    def handle(self, *args, force=False, **options):
        if not (settings.DEBUG or settings.RANTAU_DEMO_ALLOWED or force):
            raise CommandError("Refusing to load demo data with DEBUG=False. Use --force if you mean it.")
        result = DemoBuilder(timezone.localdate()).build()
        self.stdout.write(
            f"Demo data: {result.candidates} candidates, {result.placements} placements, {result.users} users."
        )
        # Every placement walked its journey through the gates; a refused step is reported, not taken.
        for refusal in result.refused:
            self.stderr.write(f"  gate refused: {refusal}")
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for username, role, code, _ in DEMO_USERS:
            self.stdout.write(f"  {username:<16} {role.value}{' – ' + code if code else ''}")
        self.stdout.write("  admin            superuser")
