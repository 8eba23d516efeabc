"""Extension points of protection, filled in by the apps above it from their AppConfig.ready().

- case listeners: `listener(case=..., event=...)` when a case is opened or escalated, inside the
  service's transaction, so what they write commits or rolls back with the case (api: the webhook
  outbox).
"""

from collections.abc import Callable

CASE_OPENED, CASE_ESCALATED = "opened", "escalated"

CaseListener = Callable[..., None]
_case_listeners: dict[str, CaseListener] = {}


def register_case_listener(key: str, listener: CaseListener) -> None:
    _case_listeners[key] = listener


def case_changed(*, case, event: str) -> None:
    for listener in _case_listeners.values():
        listener(case=case, event=event)
