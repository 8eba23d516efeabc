from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    name = "protection"
    verbose_name = _("Protection of workers abroad")

    def ready(self):
        # placements consults its extension points and never imports this app: a partner's hold
        # refuses every departure in the programme; overdue contacts join the reminders; a placement's
        # page links to protection; the next-season defaults apply to placements' own page.
        from candidates.extensions import register_erasure_listener
        from placements import extensions

        from .erasure import erase_protection_data
        from .holds import hold_failures
        from .placement_pages import OPEN_CASE, PROTECTION_PAGE, REINVITE_DEFAULTS
        from .reminders import OVERDUE_CONTACTS

        if hold_failures not in extensions.departure_checks:
            extensions.departure_checks.append(hold_failures)
        extensions.register_reminder_source(OVERDUE_CONTACTS)
        extensions.register_placement_action(PROTECTION_PAGE)
        extensions.register_placement_action(OPEN_CASE)
        extensions.register_reinvite_rule(REINVITE_DEFAULTS)
        # Erasure of a person's data (privacy) reaches what protection holds about them.
        register_erasure_listener("protection", erase_protection_data)
