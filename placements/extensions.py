"""Extension points: a higher app (protection) adds checks here from its AppConfig.ready(), so
placements consults them without ever importing it.

departure_checks: each takes the programme a placement or cohort departs in and returns the
GateFailures that refuse the departure (a partner's hold on the programme, for one).
"""

from collections.abc import Callable

from .gates import GateFailure

departure_checks: list[Callable[..., list[GateFailure]]] = []


def departure_failures(programme) -> list[GateFailure]:
    return [failure for check in departure_checks for failure in check(programme)]
