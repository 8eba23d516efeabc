from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = _("Placements and training")

    def ready(self):
        # The candidate list's programme-and-stage column and filters, and the placements section
        # of a candidate's page, come from here (candidates.extensions).
        from . import candidate_pages

        candidate_pages.register()
