"""Reads of agreements and programmes, scoped to what the user may see.

Ministry agreements and their programmes (municipality null) are visible to every signed-in user
and writable only by superusers.
"""

from django.db.models import QuerySet

from accounts.access import get_for_user, scope_queryset

from .models import Agreement, Partner, Programme


def partner_list(*, user) -> QuerySet[Partner]:
    return scope_queryset(Partner.objects.all(), user, "municipality", include_national=True)


def get_partner_for_user(user, pk, *, write: bool = False) -> Partner:
    return get_for_user(
        Partner.objects.all(),
        user,
        pk,
        field="municipality",
        include_national=True,
        write_perm="programmes.change_partner" if write else None,
    )


def agreement_list(*, user) -> QuerySet[Agreement]:
    qs = Agreement.objects.select_related("partner", "municipality")
    return scope_queryset(qs, user, "municipality", include_national=True)


def get_agreement_for_user(user, pk, *, write: bool = False) -> Agreement:
    return get_for_user(
        Agreement.objects.select_related("partner", "municipality"),
        user,
        pk,
        field="municipality",
        include_national=True,
        write_perm="programmes.change_agreement" if write else None,
    )


def programme_list(*, user) -> QuerySet[Programme]:
    qs = Programme.objects.select_related("agreement", "agreement__partner", "agreement__municipality")
    return scope_queryset(qs, user, "agreement__municipality", include_national=True)


def get_programme_for_user(user, pk, *, write: bool = False) -> Programme:
    return get_for_user(
        Programme.objects.select_related("agreement", "agreement__partner", "agreement__municipality"),
        user,
        pk,
        field="agreement__municipality",
        include_national=True,
        write_perm="programmes.change_programme" if write else None,
    )
