"""Extension points of the candidate pages, filled in by the apps above candidates.

candidates sits below placements and may not name it, not even through a relation name or a field
path. So the candidate list's extra columns and filters, and the extra sections of a candidate's
page, are declared here and registered by the app that owns the data, from its AppConfig.ready()
(placements/apps.py). Each contribution brings its own prefetch: one query per page, never one
per row.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class ListColumn:
    """A column of the candidate list and of its export, between "Phone" and "Registered on"."""

    key: str
    header: str  # a lazy translation, read at render time
    prefetch: Callable[[], Prefetch | str]  # what the cells read, fetched once for the page
    cell_html: Callable[[object], SafeString]  # the list's <td> content for one candidate
    cell_text: Callable[[object], str]  # the export's cell for one candidate
    css_class: str = ""


@dataclass(frozen=True)
class ListFilters:
    """Filters of the candidate list, shown after the search box and applied together.

    `filters(user)` returns the django-filter filters by URL parameter; `apply(queryset, data)`
    narrows the queryset with the form's cleaned data (the filters themselves do nothing alone).
    """

    key: str
    filters: Callable[[object], dict]
    apply: Callable[[QuerySet, dict], QuerySet]


@dataclass(frozen=True)
class DetailSection:
    """A section of a candidate's page and data report, rendered by `template` with `candidate`
    and `links` (False in the printable data report)."""

    key: str
    heading: str
    template: str
    prefetch: Callable[[], Iterable[Prefetch | str]]
    # Document types this section's records require of the candidate: {doc_type: [who requires it]}.
    required_documents: Callable[[object], dict[str, list[str]]] | None = None


_columns: dict[str, ListColumn] = {}
_filters: dict[str, ListFilters] = {}
_sections: dict[str, DetailSection] = {}


# Registration is keyed, so a second ready() (the test runner's) replaces rather than repeats.
def register_list_column(column: ListColumn) -> None:
    _columns[column.key] = column


def register_list_filters(filters: ListFilters) -> None:
    _filters[filters.key] = filters


def register_detail_section(section: DetailSection) -> None:
    _sections[section.key] = section


def list_columns() -> list[ListColumn]:
    return list(_columns.values())


def list_filters() -> list[ListFilters]:
    return list(_filters.values())


def detail_sections() -> list[DetailSection]:
    return list(_sections.values())


# --- change listeners -------------------------------------------------------------------------
# Apps above candidates that must hear of a change in the same transaction (the API's webhook
# outbox) register a listener; candidates.services calls them after each save.

ChangeListener = Callable[..., None]
_candidate_listeners: dict[str, ChangeListener] = {}


def register_candidate_listener(key: str, listener: ChangeListener) -> None:
    """`listener(candidate=..., created=...)` runs inside the service's transaction."""
    _candidate_listeners[key] = listener


def candidate_changed(*, candidate, created: bool) -> None:
    for listener in _candidate_listeners.values():
        listener(candidate=candidate, created=created)


# --- actions on a list of people --------------------------------------------------------------
# Pages that show a list of candidates (the candidate list, and placements' batch, cohort, shortlist
# and reminders pages) offer what apps above register for such a list (messaging: "Send a message"
# to everyone on it). The page names its list by a source and the parameters that define it.


@dataclass(frozen=True)
class ActionLink:
    label: str
    url: str
    testid: str = ""


ListAction = Callable[..., ActionLink | None]
_list_actions: dict[str, ListAction] = {}


def register_list_action(key: str, action: ListAction) -> None:
    """`action(user=..., source=..., params={name: [values]})` returns a link for this user, or None."""
    _list_actions[key] = action


def list_actions(*, user, source: str, params: dict[str, list[str]]) -> list[ActionLink]:
    links = (action(user=user, source=source, params=params) for action in _list_actions.values())
    return [link for link in links if link is not None]


# --- erasure listeners ---------------------------------------------------------------------------
# Erasure (privacy.services.candidate_erase) removes a person's data everywhere in one transaction.
# Apps above candidates that hold more of it (protection: contact details abroad, case texts)
# register a listener that blanks what they hold and keeps the rows the counts need.

ErasureListener = Callable[..., None]
_erasure_listeners: dict[str, ErasureListener] = {}


def register_erasure_listener(key: str, listener: ErasureListener) -> None:
    """`listener(candidate=...)` runs inside the erasure's transaction, before the row is anonymised."""
    _erasure_listeners[key] = listener


def candidate_erased(*, candidate) -> None:
    for listener in _erasure_listeners.values():
        listener(candidate=candidate)
