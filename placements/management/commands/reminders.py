"""Print what needs action, per municipality: `python manage.py reminders [--municipality 36.73]`."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from core.models import Municipality
from placements.reminders import ScopeUser, reminder_list


class Command(BaseCommand):
    help = "List the reminders (expiring documents and passports, cohorts not ready, stalled agreements, licences)."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", metavar="CODE", help="Kemendagri code, e.g. 36.73; all when omitted.")
        parser.add_argument("--language", default=settings.LANGUAGE_CODE, choices=[c for c, _n in settings.LANGUAGES])

    def handle(self, *args, municipality=None, language=None, **options):
        with translation.override(language):
            if municipality:
                try:
                    muni = Municipality.objects.get(code=municipality)
                except Municipality.DoesNotExist as exc:
                    raise CommandError(f"No municipality with code {municipality}.") from exc
                items = reminder_list(user=ScopeUser(municipality_id=muni.pk))
            else:
                items = reminder_list(user=ScopeUser())
            by_place: dict[tuple[str, str], list] = {}
            for item in items:
                by_place.setdefault((item.municipality_code, item.municipality), []).append(item)
            if not items:
                self.stdout.write(translation.gettext("Nothing needs action."))
            # Municipalities by code; national records ("" code) last.
            for (code, name), group in sorted(by_place.items(), key=lambda kv: (kv[0][0] == "", kv[0][0])):
                heading = f"{name} ({code})" if code else name
                self.stdout.write(self.style.MIGRATE_HEADING(f"{heading}: {len(group)}"))
                for item in group:
                    self.stdout.write(f"  [{item.kind_label}] {item.subject}: {item.message}")
