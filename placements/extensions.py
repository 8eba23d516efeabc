"""Extension points of placements, filled in by the apps above it (the API's webhook outbox).

placements may not name a higher app; a listener registered from that app's AppConfig.ready() runs
inside the service's transaction, so what it writes commits or rolls back with the change.
"""

from collections.abc import Callable

StageListener = Callable[..., None]
_stage_listeners: dict[str, StageListener] = {}


def register_stage_listener(key: str, listener: StageListener) -> None:
    """`listener(placement=..., event=...)` after every stage change (PlacementStageEvent)."""
    _stage_listeners[key] = listener


def stage_changed(*, placement, event) -> None:
    for listener in _stage_listeners.values():
        listener(placement=placement, event=event)
