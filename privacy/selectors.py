"""Reads of the personal-data register, scoped to the user's municipality (DESIGN §2).

Staff, officials and the data-protection officer of a municipality read its requests; the officer
(and superusers) its breaches. The national viewer reads none of it: it holds named people.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.access import get_for_user, require_perm, scope_queryset

from .clock import overdue_q, running_q
from .models import Breach, DataRequest


def _municipal(user, perm: str) -> None:
    """The register is municipal: users who read every municipality (the national viewer) get 403."""
    require_perm(user, perm)
    if not user.is_superuser and user.municipality_id is None:
        raise PermissionDenied


def data_request_list(*, user, state: str = "") -> QuerySet[DataRequest]:
    _municipal(user, "privacy.view_datarequest")
    qs = scope_queryset(DataRequest.objects.select_related("candidate", "municipality"), user)
    if state == "open":
        qs = qs.filter(running_q(stop="answered_at")).order_by("received_at", "pk")
    elif state == "answered":
        qs = qs.filter(answered_at__isnull=False)
    return qs


def get_data_request_for_user(user, pk, *, write: bool = False) -> DataRequest:
    _municipal(user, "privacy.view_datarequest")
    return get_for_user(
        DataRequest.objects.select_related(
            "candidate", "candidate__municipality", "municipality", "identity_checked_by", "answered_by", "recorded_by"
        ),
        user,
        pk,
        write_perm="privacy.change_datarequest" if write else None,
    )


def breach_list(*, user) -> QuerySet[Breach]:
    _municipal(user, "privacy.view_breach")
    return scope_queryset(Breach.objects.select_related("municipality"), user)


def get_breach_for_user(user, pk, *, write: bool = False) -> Breach:
    _municipal(user, "privacy.view_breach")
    return get_for_user(
        Breach.objects.select_related("municipality", "recorded_by", "notified_by"),
        user,
        pk,
        write_perm="privacy.change_breach" if write else None,
    )


def open_requests(*, user) -> QuerySet[DataRequest]:
    """Requests whose clock runs, in the user's scope (no permission check: reminders filter by perm)."""
    return scope_queryset(DataRequest.objects.filter(running_q(stop="answered_at")), user)


def open_breaches(*, user) -> QuerySet[Breach]:
    return scope_queryset(Breach.objects.filter(running_q(stop="notified_at")), user)


def request_clock_counts(*, user, now: datetime | None = None) -> dict[str, int]:
    """{"open": n, "overdue": m} for the home page (one query)."""
    now = now or timezone.now()
    return open_requests(user=user).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(overdue_q(start="received_at", stop="answered_at", now=now)))
    )
