"""The change-history reader: pghistory's trigger-written events as lines a reader understands.

One reader for every record that keeps history (candidates and their documents, agreements,
programmes, placements). The events come from pghistory's triggers, so bulk `update()`s are
included; the user comes from the context that pghistory's middleware attaches to each request.
A fixed number of queries: the caller's events, their users, one per kind of related row named.
"""

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import DateField, DateTimeField, Model
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

# Bookkeeping columns that change on every save and say nothing to a reader.
BOOKKEEPING = frozenset({"id", "created_at", "updated_at", "version", "file", "is_demo", "stage_entered_on"})


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    who: Any  # a User, or None for changes made outside a signed-in request
    action: str  # "created" | "changed"
    what: str = ""  # which record: "Profile", "Document: Passport", an agreement's title
    changes: list[FieldChange] = field(default_factory=list)
    via: str = ""

    @property
    def created(self) -> bool:
        return self.action == "created"


def history_entries(
    events: Sequence[Any],
    *,
    describe: Callable[[type[Model], dict], str] | None = None,
    hidden: Collection[str] = (),
    masked: Collection[str] = (),
    mask: Callable[[str], str] = str,
) -> list[HistoryEntry]:
    """`events` (pghistory event rows, newest first) as HistoryEntry lines.

    describe(model, row data) names the record of each line; fields in `hidden` are left out and
    those in `masked` shown through `mask` (NIK and document numbers).
    """
    skip = BOOKKEEPING | set(hidden)
    rows = []
    for event in events:
        model = apps.get_model(event.pgh_model).pgh_tracked_model
        created = event.pgh_label == "insert"
        diff = [] if created else sorted((event.pgh_diff or {}).items())
        rows.append((event, model, created, [(n, old, new) for n, (old, new) in diff if n not in skip]))

    # Users and other related rows named anywhere, fetched once per model.
    user_model = get_user_model()
    wanted: dict[type[Model], set] = {user_model: set()}
    for event, model, _created, diff in rows:
        wanted[user_model].add((event.pgh_context or {}).get("user"))
        for name, old, new in diff:
            f = _field(model, name)
            if f is not None and f.is_relation:
                wanted.setdefault(f.related_model, set()).update((old, new))
    related = {m: m._default_manager.in_bulk(ids - {None}) if ids - {None} else {} for m, ids in wanted.items()}

    entries = []
    for event, model, created, diff in rows:
        changes = []
        for name, old, new in diff:
            f = _field(model, name)
            if f is None:
                continue  # a column the model no longer has
            label = str(f.verbose_name)
            if name in masked:
                changes.append(FieldChange(label, _masked(old, mask), _masked(new, mask)))
            else:
                changes.append(FieldChange(label, display_value(f, old, related), display_value(f, new, related)))
        if not created and not changes:
            continue  # only bookkeeping columns moved
        context = event.pgh_context or {}
        entries.append(
            HistoryEntry(
                when=event.pgh_created_at,
                who=related[user_model].get(context.get("user")),
                action="created" if created else "changed",
                what=describe(model, event.pgh_data or {}) if describe else "",
                changes=changes,
                via=context.get("url", ""),
            )
        )
    return entries


def _field(model: type[Model], name: str):
    try:
        f = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return f if f.concrete else None


def _masked(value, mask: Callable[[str], str]) -> str:
    return "–" if value in (None, "") else mask(str(value))


def display_value(model_field, value, related: dict | None = None) -> str:
    """A stored value as a reader would write it: choice labels, names, Indonesian dates."""
    if value is None or value == "":
        return "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        row = (related or {}).get(model_field.related_model, {}).get(value)
        return str(row) if row is not None else f"#{value}"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(model_field, DateTimeField) and isinstance(value, str):
        parsed = parse_datetime(value)
        return date_format(timezone.localtime(parsed), "j M Y H:i") if parsed else value
    if isinstance(model_field, DateField) and isinstance(value, str):
        parsed = parse_date(value)
        return date_format(parsed, "j M Y") if parsed else value
    if isinstance(value, list):
        choices = dict(getattr(model_field.base_field, "flatchoices", None) or [])
        return ", ".join(str(choices.get(v, v)) for v in value) or "–"
    return str(value)
