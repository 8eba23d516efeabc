"""What messaging adds to pages of the apps below it, through their extension points: "Send a
message" on every page that shows a list of people, and the messages section of a person's page."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from candidates import extensions

from .models import Broadcast

SOURCES = set(Broadcast.Source.values)


def send_link(*, user, source: str, params: dict[str, list[str]]) -> extensions.ActionLink | None:
    if source not in SOURCES or not user.has_perm("messaging.add_broadcast"):
        return None
    query = urlencode({"source": source, **params}, doseq=True)
    return extensions.ActionLink(
        label=_("Send a message"), url=f"{reverse('messaging:send_to_list')}?{query}", testid="send-message"
    )


def register() -> None:
    extensions.register_list_action("messaging.send", send_link)
    extensions.register_detail_section(
        extensions.DetailSection(
            key="messages",
            heading=gettext_lazy("Messages and consent to be contacted"),
            template="messaging/includes/_candidate_section.html",
            prefetch=lambda: [],
        )
    )
