"""Extension points of placements, filled in by the apps above it from their AppConfig.ready():
placements may not name a higher app, so it declares what it consults and they register.

- departure_checks: each takes the programme a placement or cohort departs in and returns the
  GateFailures that refuse the departure (protection: a partner's hold on the programme).
- stage listeners: called after every stage change (PlacementStageEvent), inside the service's
  transaction, so what they write commits or rolls back with the change (api: the webhook outbox).
- cohort listeners: the same, when a cohort departs, arrives or returns.
"""

from collections.abc import Callable

from .gates import GateFailure

departure_checks: list[Callable[..., list[GateFailure]]] = []


def departure_failures(programme) -> list[GateFailure]:
    return [failure for check in departure_checks for failure in check(programme)]


StageListener = Callable[..., None]
_stage_listeners: dict[str, StageListener] = {}


def register_stage_listener(key: str, listener: StageListener) -> None:
    """`listener(placement=..., event=...)` after every stage change (PlacementStageEvent)."""
    _stage_listeners[key] = listener


def stage_changed(*, placement, event) -> None:
    for listener in _stage_listeners.values():
        listener(placement=placement, event=event)


CohortListener = Callable[..., None]
_cohort_listeners: dict[str, CohortListener] = {}
COHORT_DEPARTED, COHORT_ARRIVED, COHORT_RETURNED = "departed", "arrived", "returned"


def register_cohort_listener(key: str, listener: CohortListener) -> None:
    """`listener(cohort=..., event=...)` inside the service's transaction when a cohort departs
    (confirmed departure), arrives (confirmed arrival) or returns (its last placement abroad came home)."""
    _cohort_listeners[key] = listener


def cohort_changed(*, cohort, event: str) -> None:
    for listener in _cohort_listeners.values():
        listener(cohort=cohort, event=event)
