from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScholarshipsConfig(AppConfig):
    name = "scholarships"
    verbose_name = _("Scholarships")

    def ready(self):
        # placements never imports this app: the semester alerts join its reminders page.
        from placements import extensions

        from .reminders import SEMESTER_ALERTS

        extensions.register_reminder_source(SEMESTER_ALERTS)
