from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = _("Messages")

    def ready(self):
        # "Send a message" on the pages that list people, and the messages section of a person's page.
        from . import candidate_pages

        candidate_pages.register()
