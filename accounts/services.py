"""Writes on users with rules: deactivation ends every session of the user."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import SavedFilter, Session, User

# A short list above each list page; more would not be read.
SAVED_FILTERS_MAX = 20

logger = logging.getLogger(__name__)


@transaction.atomic
def user_sessions_end(*, user: User) -> int:
    """Sign the user out everywhere; returns the number of sessions ended."""
    deleted, _ = Session.objects.filter(user=user).delete()
    return deleted


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    """Remember the interface language the user chose (the language switch), on their account."""
    if not user.is_authenticated:
        raise PermissionDenied
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the offered languages.")})
    user.language = language
    user.save(update_fields=["language"])
    return user


@transaction.atomic
def user_deactivate(*, user: User, by: User) -> User:
    """Deactivate a user account and end its sessions at once, not at their next request."""
    user.is_active = False
    user.full_clean()
    user.save(update_fields=["is_active"])
    ended = user_sessions_end(user=user)
    # Account ids only: who did it and to whom, for the audit trail in the application log.
    logger.info("user %s deactivated by user %s; %s session(s) ended", user.pk, by.pk, ended)
    return user


@transaction.atomic
def saved_filter_save(*, user: User, name: str, path: str, querystring: str) -> SavedFilter:
    """Save a list's current filters for the user; the same name on the same list is replaced."""
    existing = SavedFilter.objects.select_for_update().filter(user=user, path=path)
    saved = existing.filter(name=name).first()
    if saved is None and existing.count() >= SAVED_FILTERS_MAX:
        raise ValidationError(_("At most %(n)s saved filters per list: delete one first.") % {"n": SAVED_FILTERS_MAX})
    saved = saved or SavedFilter(user=user, name=name, path=path)
    saved.querystring = querystring
    saved.full_clean()
    saved.save()
    return saved


@transaction.atomic
def saved_filter_delete(*, user: User, saved_filter: SavedFilter) -> None:
    if saved_filter.user_id != user.pk:
        raise ValidationError(_("This saved filter is not yours."))
    saved_filter.delete()
