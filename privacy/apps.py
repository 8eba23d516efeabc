from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Personal data (Law 27/2022)")

    def ready(self):
        # placements never imports this app: requests and breaches on the clock join the reminders
        # (the reminders page, its count on the home page, the command and the daily e-mail).
        from placements import extensions

        from .reminders import BREACHES_DUE, REQUESTS_DUE

        extensions.register_reminder_source(REQUESTS_DUE)
        extensions.register_reminder_source(BREACHES_DUE)
