"""Writes on users with rules: deactivation ends every session of the user."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Session, User

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
