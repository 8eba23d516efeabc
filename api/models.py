"""API clients (per office, with scopes and a hashed token), idempotency keys, the request log and
the webhook outbox with its delivery log."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Municipality

TOKEN_PREFIX = "rantau_"  # noqa: S105 - a prefix that makes a leaked token recognisable, not a secret


def hash_token(token: str) -> str:
    """SHA-256 of the token: tokens are long random strings, so a slow hash adds nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiClientQuerySet(models.QuerySet):
    def active(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class ApiClient(models.Model):
    """A system that reads (and perhaps writes) one municipality's data, or national aggregates.

    Requests act as `user`, a service account of the client's municipality in the role its scopes
    allow (Staff with `write`, Official without), so every selector and service scopes and checks it
    exactly as it does a person. The token is shown once; only its hash is kept.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read")
        WRITE = "write", _("Write")
        PERSONAL_DATA = "personal-data", _("Personal data")

    name = models.CharField(_("name"), max_length=100, unique=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: a national client, which reads aggregate statistics only."),
    )
    scopes = ArrayField(models.CharField(max_length=20, choices=Scope.choices), verbose_name=_("scopes"), default=list)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("service account"), on_delete=models.PROTECT, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(_("token ends with"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_national(self) -> bool:
        return self.municipality_id is None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class ApiRequestLog(models.Model):
    """One line per API request: which client, what (path without query string), the answer."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="requests")
    at = models.DateTimeField(auto_now_add=True)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=255)
    status = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("API request")
        verbose_name_plural = _("API requests")
        ordering = ["-at"]
        # A client's requests, newest first (the admin's inline).
        indexes = [models.Index(fields=["client", "-at"], name="apirequest_client_at_idx")]

    def __str__(self):
        return f"{self.client_id} {self.method} {self.path} {self.status}"


class IdempotencyRecord(models.Model):
    """The first answer to a POST with an Idempotency-Key, replayed for a retry with the same body."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="idempotency_client_key_unique")]

    def __str__(self):
        return f"{self.client_id} {self.key}"


class WebhookEvent(models.TextChoices):
    CANDIDATE_CREATED = "candidate.created", _("Candidate created")
    CANDIDATE_UPDATED = "candidate.updated", _("Candidate updated")
    PLACEMENT_STAGE_CHANGED = "placement.stage_changed", _("Placement stage changed")
    COHORT_DEPARTED = "cohort.departed", _("Cohort departed")
    COHORT_ARRIVED = "cohort.arrived", _("Cohort arrived")
    COHORT_RETURNED = "cohort.returned", _("Cohort returned")
    CASE_OPENED = "case.opened", _("Protection case opened")
    CASE_ESCALATED = "case.escalated", _("Protection case escalated")


class WebhookSubscription(models.Model):
    """Where a client wants its events, and the secret (whsec_…) the receiver verifies them with."""

    client = models.ForeignKey(ApiClient, verbose_name=_("client"), on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(_("URL"), max_length=500)
    events = ArrayField(
        models.CharField(max_length=40, choices=WebhookEvent.choices), verbose_name=_("events"), default=list
    )
    secret = models.CharField(_("signing secret"), max_length=100, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self):
        return f"{self.client} → {self.url}"


class OutboxMessage(models.Model):
    """One event for one subscription, written in the transaction of the change it reports.

    Delivered in id order per subscription; a message waits while an earlier one of the same record
    is undelivered, so a receiver never sees a record's events out of order.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed (gave up)")

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="outbox")
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    message_id = models.CharField(max_length=40, unique=True)
    record_key = models.CharField(max_length=60, help_text=_("e.g. candidate:12, for ordering per record"))
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook message")
        verbose_name_plural = _("webhook messages")
        ordering = ["pk"]
        indexes = [
            # The delivery run: pending messages that are due, oldest first.
            models.Index(
                fields=["next_attempt_at", "id"], condition=Q(status="pending"), name="outbox_pending_due_idx"
            ),
            # "Is an earlier message of this record still pending?"
            models.Index(fields=["subscription", "record_key", "id"], name="outbox_sub_record_idx"),
        ]

    def __str__(self):
        return f"{self.event} {self.record_key} ({self.status})"


class DeliveryAttempt(models.Model):
    """The delivery log: every attempt, its HTTP status or error."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="deliveries")
    at = models.DateTimeField(auto_now_add=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=255, blank=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("webhook delivery attempt")
        verbose_name_plural = _("webhook delivery attempts")
        ordering = ["at"]

    def __str__(self):
        return f"{self.message_id} {self.status_code or self.error}"
