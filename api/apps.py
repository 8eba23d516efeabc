from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Data exchange (API)")

    def ready(self):
        # The lower apps announce changes through their extension points; the API turns them into
        # webhook events in the same transaction (api.webhooks).
        from . import schema, webhooks  # noqa: F401 - schema registers the authentication's extension

        webhooks.register()
