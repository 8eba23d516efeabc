"""Reads of messages, sends and templates, scoped to the user's municipality."""

from django.db.models import Count, Q, QuerySet

from accounts.access import get_for_user, scope_queryset

from .models import Broadcast, ContactConsent, Message, MessageTemplate


def template_list(*, user, channel: str | None = None) -> QuerySet[MessageTemplate]:
    """The office's templates and the ones for every office (municipality null)."""
    qs = scope_queryset(MessageTemplate.objects.filter(is_active=True), user, "municipality", include_national=True)
    if channel:
        qs = qs.filter(channel=channel)
    return qs.order_by("name", "channel", "language")


def get_template_for_user(user, pk) -> MessageTemplate:
    return get_for_user(MessageTemplate.objects.all(), user, pk, field="municipality", include_national=True)


def broadcast_list(*, user) -> QuerySet[Broadcast]:
    return scope_queryset(Broadcast.objects.select_related("template", "created_by"), user, "municipality")


def get_broadcast_for_user(user, pk) -> Broadcast:
    return get_for_user(Broadcast.objects.select_related("template", "created_by"), user, pk, field="municipality")


def broadcast_counts(*, broadcast: Broadcast) -> dict[str, int]:
    counts = dict(broadcast.messages.order_by().values_list("status").annotate(n=Count("*")))
    return {status: counts.get(status, 0) for status in Message.Status.values}


def broadcast_messages(*, broadcast: Broadcast, status: str = "") -> QuerySet[Message]:
    qs = broadcast.messages.select_related("candidate").order_by("candidate__full_name", "pk")
    if status in Message.Status.values:
        qs = qs.filter(status=status)
    return qs


def candidate_messages(*, candidate) -> QuerySet[Message]:
    return Message.objects.filter(candidate=candidate).select_related("created_by").order_by("-created_at")


def candidate_consents(*, candidate) -> QuerySet[ContactConsent]:
    return (
        ContactConsent.objects.filter(candidate=candidate)
        .select_related("recorded_by")
        .order_by("channel", "-given_on")
    )


def get_consent_for_user(user, pk, *, write: bool = False) -> ContactConsent:
    return get_for_user(
        ContactConsent.objects.select_related("candidate"),
        user,
        pk,
        field="candidate__municipality",
        write_perm="messaging.change_contactconsent" if write else None,
    )


def unfinished(*, broadcast: Broadcast) -> bool:
    if broadcast.status == Broadcast.Status.PREPARING:
        return True
    return broadcast.messages.filter(Q(status=Message.Status.QUEUED) | Q(status=Message.Status.SENDING)).exists()
