"""Extension points of placements, filled in by the apps above it from their AppConfig.ready():
placements may not name a higher app, so it declares what it consults and they register.

- departure_checks: each takes the programme a placement or cohort departs in and returns the
  GateFailures that refuse the departure (protection: a partner's hold on the programme).
- stage listeners: called after every stage change (PlacementStageEvent), inside the service's
  transaction, so what they write commits or rolls back with the change (api: the webhook outbox).
- cohort listeners: the same, when a cohort departs, arrives or returns.
- reminder sources: more kinds of reminder for the reminders page, its count on the home page, the
  `reminders` command and the daily e-mail (protection: overdue contacts with workers abroad).
- placement actions: links on a placement's page offered by a higher app (protection: the worker's
  protection page, and "open a case" on a placement abroad or just returned).
- re-invitation rules: why a returnee is not offered the next season by default, and what to record
  when staff invite them all the same with a reason (protection: absconders, unresolved cases, the
  debrief's wish to go again). The next-season service enforces them, whoever calls it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

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


# --- reminder sources ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderSource:
    """A kind of reminder owned by a higher app. `count(user=, today=)` is one COUNT query;
    `items(user=, today=, limit=)` one query returning placements.reminders.Reminder rows. Users
    without `perm` see none of it (the scheduled jobs act for staff and see every source)."""

    key: str
    perm: str
    count: Callable[..., int]
    items: Callable[..., list]


_reminder_sources: dict[str, ReminderSource] = {}


def register_reminder_source(source: ReminderSource) -> None:
    _reminder_sources[source.key] = source


def reminder_sources(user) -> list[ReminderSource]:
    return [source for source in _reminder_sources.values() if user.has_perm(source.perm)]


# --- actions on a placement's page -----------------------------------------------------------------


@dataclass(frozen=True)
class PlacementAction:
    """A link on a placement's page: `link(placement, user)` returns (url, label) or None; it reads
    only the placement already loaded (no query)."""

    key: str
    link: Callable[..., tuple[str, str] | None]


_placement_actions: dict[str, PlacementAction] = {}


def register_placement_action(action: PlacementAction) -> None:
    _placement_actions[action.key] = action


def placement_actions(placement, user) -> list[tuple[str, str]]:
    links = (action.link(placement, user) for action in _placement_actions.values())
    return [link for link in links if link]


# --- re-invitation to the next season --------------------------------------------------------------


@dataclass(frozen=True)
class ReinviteRule:
    """`blockers(placements)` maps each returnee's placement pk to the reasons they are not offered
    the next season by default (a fixed number of queries for the whole page); `overridden(placement=,
    user=, reason=)` records an invitation made all the same, inside the service's transaction."""

    key: str
    blockers: Callable[[Iterable], dict[int, list[str]]]
    overridden: Callable[..., None]


_reinvite_rules: dict[str, ReinviteRule] = {}


def register_reinvite_rule(rule: ReinviteRule) -> None:
    _reinvite_rules[rule.key] = rule


def reinvite_rules() -> list[ReinviteRule]:
    return list(_reinvite_rules.values())


def reinvite_blockers(placements) -> dict[int, list[str]]:
    """Every rule's reasons per placement pk (placements without any are absent)."""
    placements = list(placements)
    found: dict[int, list[str]] = {}
    for rule in _reinvite_rules.values():
        for pk, reasons in rule.blockers(placements).items():
            if reasons:
                found.setdefault(pk, []).extend(reasons)
    return found
