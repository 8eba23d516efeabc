"""Optimistic locking: a form carries the version its record had when it was opened; saving checks
it under a row lock and bumps it, so the second of two people editing one record is refused rather
than silently overwriting the first. One error, one message, shown the same way on every form."""

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _


class StaleRecordError(ValidationError):
    """The record changed after the form was opened; saving would overwrite someone's work."""

    def __init__(self):
        super().__init__(
            _(
                "Someone else saved this record after you opened it. Your changes were not saved: "
                "reload the page to see the current data, then make your changes again."
            ),
            code="stale",
        )


def check_version(current: int | None, expected: int | None) -> None:
    """Refuse when the form's version (`expected`, None when the form carries none) is not current."""
    if current is None or (expected is not None and current != expected):
        raise StaleRecordError()


def lock_version(queryset: QuerySet, pk, expected: int | None) -> Model:
    """The row `pk` locked until the transaction ends (SELECT … FOR UPDATE), its version checked."""
    locked = queryset.select_for_update().filter(pk=pk).first()
    check_version(locked.version if locked is not None else None, expected)
    return locked


def bump_version(obj: Model) -> None:
    obj.version += 1
