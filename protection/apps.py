from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    name = "protection"
    verbose_name = _("Protection of workers abroad")

    def ready(self):
        # A partner's hold on a programme refuses every departure in it (placements consults its
        # extension point and never imports this app).
        from placements import extensions

        from .holds import hold_failures

        if hold_failures not in extensions.departure_checks:
            extensions.departure_checks.append(hold_failures)
