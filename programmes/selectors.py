"""Reads of agreements and programmes, scoped to what the user may see.

Ministry agreements and their programmes (municipality null) are visible to every signed-in user
and writable only by superusers.
"""

from collections.abc import Sequence
from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    Model,
    Prefetch,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from pghistory.models import MiddlewareEvents

from accounts.access import get_for_user, may_write, scope_queryset, writable_q
from core.history import HistoryEntry, history_entries

from .models import Agreement, AgreementStageEvent, Partner, Programme, ProgrammeDemand


def partner_list(*, user) -> QuerySet[Partner]:
    return scope_queryset(Partner.objects.select_related("municipality"), user, "municipality", include_national=True)


def get_partner_for_user(user, pk, *, write: bool = False) -> Partner:
    return get_for_user(
        Partner.objects.select_related("municipality"),
        user,
        pk,
        field="municipality",
        include_national=True,
        write_perm="programmes.change_partner" if write else None,
    )


def partner_list_for_page(*, user) -> QuerySet[Partner]:
    """partner_list with `editable`: whether this user may edit each row."""
    if not user.has_perm("programmes.change_partner"):
        editable = Value(False)
    elif user.is_superuser:
        editable = Value(True)
    else:
        editable = Case(When(writable_q(user), then=Value(True)), default=Value(False))
    return partner_list(user=user).annotate(editable=ExpressionWrapper(editable, output_field=BooleanField()))


def agreement_list(*, user, today: date | None = None) -> QuerySet[Agreement]:
    """The user's agreements with days_in_stage, expected_days, is_stalled annotated."""
    qs = Agreement.objects.select_related("partner", "municipality").with_stage_status(today or timezone.localdate())
    return scope_queryset(qs, user, "municipality", include_national=True)


def stalled_agreements(*, user, today: date | None = None) -> QuerySet[Agreement]:
    """Agreements whose current stage has lasted longer than its StageDuration."""
    return agreement_list(user=user, today=today).filter(is_stalled=True)


def expiring_agreements(*, user, within_days: int = 90, today: date | None = None) -> QuerySet[Agreement]:
    """Running agreements whose validity ends within `within_days` days (soonest first)."""
    today = today or timezone.localdate()
    return agreement_list(user=user, today=today).expiring(today, within_days).order_by("valid_until", "pk")


def agreements_writable_by(*, user) -> QuerySet[Agreement]:
    """Agreements under which the user may create or edit programmes."""
    return Agreement.objects.select_related("partner").filter(writable_q(user)).order_by("title")


def get_agreement_for_user(user, pk, *, write: bool = False) -> Agreement:
    return get_for_user(
        Agreement.objects.select_related("partner", "municipality").with_stage_status(timezone.localdate()),
        user,
        pk,
        field="municipality",
        include_national=True,
        write_perm="programmes.change_agreement" if write else None,
    )


def can_write_agreement(user, agreement: Agreement) -> bool:
    return may_write(user, "programmes.change_agreement", agreement.municipality_id)


def can_write_programme(user, programme: Programme) -> bool:
    return may_write(user, "programmes.change_programme", programme.agreement.municipality_id)


def can_write_partner(user, partner: Partner) -> bool:
    return may_write(user, "programmes.change_partner", partner.municipality_id)


def agreement_timeline(*, agreement: Agreement) -> QuerySet[AgreementStageEvent]:
    return agreement.stage_events.select_related("recorded_by").order_by("occurred_on", "recorded_at", "pk")


def get_stage_event_for_user(user, pk) -> AgreementStageEvent:
    """A stage event whose agreement the user may read (404 otherwise)."""
    return get_for_user(
        AgreementStageEvent.objects.select_related("agreement"),
        user,
        pk,
        field="agreement__municipality",
        include_national=True,
    )


def agreement_programmes(*, agreement: Agreement) -> QuerySet[Programme]:
    return agreement.programmes.order_by("name")


def programme_list(*, user) -> QuerySet[Programme]:
    qs = Programme.objects.select_related("agreement", "agreement__partner", "agreement__municipality")
    return scope_queryset(qs, user, "agreement__municipality", include_national=True)


def seasonal_programme_list(*, user) -> QuerySet[Programme]:
    """The user's programmes with a season pattern (Programme.is_seasonal, asked of the database)."""
    return programme_list(user=user).filter(season_months_abroad__gt=0, season_periods__gt=0)


def get_programme_for_user(user, pk, *, write: bool = False) -> Programme:
    demands = ProgrammeDemand.objects.select_related("occupation").order_by("occupation__name")
    return get_for_user(
        Programme.objects.select_related("agreement", "agreement__partner", "agreement__municipality").prefetch_related(
            Prefetch("demands", queryset=demands)
        ),
        user,
        pk,
        field="agreement__municipality",
        include_national=True,
        write_perm="programmes.change_programme" if write else None,
    )


# --- change history (django-pghistory) ------------------------------------------------------------


def change_history(*, objs: Sequence[Model], limit: int = 50) -> list[HistoryEntry]:
    """Who changed what on `objs` (rows of one model) and when, newest first (core.history)."""
    if not objs:
        return []
    events = MiddlewareEvents.objects.tracks(*objs).order_by("-pgh_created_at", "-pgh_id")[:limit]
    subjects = {str(o.pk): str(o) for o in objs}
    return history_entries(list(events), describe=lambda _model, data: subjects.get(str(data.get("id")), ""))
