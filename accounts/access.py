"""Scoping and permission helpers that every selector and view goes through.

A record of another municipality answers 404 exactly like one that does not exist; a write by a
role without the permission answers 403 (DESIGN §2).
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404


def scope_q(user, field: str = "municipality", *, include_national: bool = False) -> Q:
    """A filter limiting rows to what `user` may see; `field` points at a Municipality FK.

    include_national: rows whose municipality is null (ministry agreements and programmes) are
    visible to every signed-in user.
    """
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.sees_all_municipalities:
        return Q()
    if user.municipality_id is None:
        return Q(pk__in=[])
    q = Q(**{field: user.municipality_id})
    if include_national:
        q |= Q(**{f"{field}__isnull": True})
    return q


def scope_queryset(qs: QuerySet, user, field: str = "municipality", *, include_national=False) -> QuerySet:
    return qs.filter(scope_q(user, field, include_national=include_national))


def require_perm(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


# --- writes: what pages offer, and what services check -----------------------------------------


def writable_q(user, field: str = "municipality") -> Q:
    """Rows the user may write: their own municipality's (superusers: all). National rows are
    read-only to municipal users."""
    if user.is_superuser:
        return Q()
    if user.municipality_id is None:
        return Q(pk__in=[])
    return Q(**{field: user.municipality_id})


def may_write(user, perm: str, municipality_id: int | None) -> bool:
    """Whether the user may write a record of `municipality_id` (None: national) with `perm`."""
    if not user.has_perm(perm):
        return False
    return user.is_superuser or (municipality_id is not None and municipality_id == user.municipality_id)


def require_write(user, perm: str, municipality_id: int | None) -> None:
    """may_write, for services: PermissionDenied (403) otherwise."""
    if not may_write(user, perm, municipality_id):
        raise PermissionDenied


def may_create(user, perm: str) -> bool:
    """Municipal users create for their municipality; only superusers create national records."""
    return user.has_perm(perm) and (user.municipality_id is not None or user.is_superuser)


def require_create(user, perm: str) -> None:
    if not may_create(user, perm):
        raise PermissionDenied


def may_create_for_own_municipality(user, perm: str) -> bool:
    """Records that always belong to the user's municipality (candidates, their imports): a user
    without one, a superuser too, creates none. Pages hide the buttons with this same rule."""
    return user.has_perm(perm) and user.municipality_id is not None


def require_create_for_own_municipality(user, perm: str) -> None:
    if not may_create_for_own_municipality(user, perm):
        raise PermissionDenied


def new_record_owner(user, perm: str, municipality=None):
    """The municipality a new record belongs to: the user's own; a superuser chooses (None: national).
    PermissionDenied without `perm` or for a user who may create for no municipality."""
    require_create(user, perm)
    return user.municipality if user.municipality_id else municipality


def require_scope(user, municipality_id: int | None) -> None:
    """PermissionDenied unless the user's scope covers the municipality (national users: all)."""
    if not user.sees_all_municipalities and municipality_id != user.municipality_id:
        raise PermissionDenied


def get_for_user(
    qs: QuerySet,
    user,
    pk,
    *,
    field: str = "municipality",
    write_perm: str | None = None,
    include_national: bool = False,
) -> Model:
    """Fetch one record in the user's scope (404 otherwise); with write_perm, 403 without it.

    A municipal user may read a national record (include_national) but never write it.
    """
    obj = get_object_or_404(scope_queryset(qs, user, field, include_national=include_national), pk=pk)
    if write_perm:
        require_perm(user, write_perm)
        owner_id = _resolve(obj, field)
        if owner_id is None and not user.is_superuser:
            raise PermissionDenied
    return obj


def _resolve(obj, field: str):
    """Follow `a__b__municipality` on an instance and return the municipality id."""
    parts = field.split("__")
    for part in parts[:-1]:
        obj = getattr(obj, part)
        if obj is None:
            return None
    return getattr(obj, f"{parts[-1]}_id")


def get_own(queryset: QuerySet, user, pk, *, owner_field: str = "user") -> Model:
    """A record that belongs to the user personally (a saved filter): 404 for anyone else's."""
    return get_object_or_404(queryset, pk=pk, **{owner_field: user})


# --- persons: who may see a named person at all (Law 27/2022, by need only) ----------------------


def may_see_persons(user) -> bool:
    """Whether the user may see named persons: lists of people, a person's page, their documents and
    exports. Users of a municipality (staff, officials, agreement admins) and superusers may; the
    national viewer (no municipality) reads counts only: its drill-down ends at counts per
    municipality, programme and stage. The one home of this rule: views, selectors and the API's
    permissions call it."""
    return bool(user.is_authenticated and (user.is_superuser or user.municipality_id is not None))


def require_persons(user) -> None:
    """may_see_persons, for views and selectors: PermissionDenied (403) otherwise."""
    if not may_see_persons(user):
        raise PermissionDenied


def persons_only(view):
    """A view that shows named persons: 403 for a user who reads counts only (require_persons)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        require_persons(request.user)
        return view(request, *args, **kwargs)

    return wrapped
