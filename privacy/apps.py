from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Personal data (Law 27/2022)")

    def ready(self):
        # placements never imports this app: requests and breaches on the clock join the reminders
        # (the reminders page, its count on the home page, the command and the daily e-mail).
        # A person's page and data report list their requests (candidates.extensions).
        from candidates import extensions as candidate_extensions
        from placements import extensions

        from .reminders import BREACHES_DUE, REQUESTS_DUE

        extensions.register_reminder_source(REQUESTS_DUE)
        extensions.register_reminder_source(BREACHES_DUE)
        candidate_extensions.register_detail_section(
            candidate_extensions.DetailSection(
                key="privacy",
                heading=_("Data subject requests (Law 27/2022)"),
                template="privacy/includes/_candidate_requests.html",
                prefetch=lambda: ["data_requests"],
            )
        )
