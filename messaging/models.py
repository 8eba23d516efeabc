"""Messages to candidates: consent to be contacted, templates, sends to a list, and every message."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate
from core.models import Municipality, TimeStampedModel

from .placeholders import PLACEHOLDERS, braced, unknown_placeholders


class Channel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class Language(models.TextChoices):
    INDONESIAN = "id", _("Bahasa Indonesia")
    ENGLISH = "en", _("English")


class ContactConsentQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(withdrawn_on__isnull=True)


class ContactConsent(TimeStampedModel):
    """A candidate's consent to be contacted on one channel: given on, by whom recorded, withdrawn on.
    Separate from the consent to data processing on the candidate record."""

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="contact_consents"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    given_on = models.DateField(_("given on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawal recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ContactConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent to be contacted")
        verbose_name_plural = _("consents to be contacted")
        ordering = ["candidate", "channel", "-given_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "channel"],
                condition=Q(withdrawn_on__isnull=True),
                name="contactconsent_one_in_force_per_channel",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("given_on")),
                name="contactconsent_withdrawn_after_given",
            ),
        ]

    def __str__(self):
        return f"{self.candidate} – {self.get_channel_display()}"


class MessageTemplate(TimeStampedModel):
    """A message text with named placeholders, in one language, for one channel. WhatsApp allows
    business-initiated messages only as templates the provider has approved: `provider_template_id`
    names that template, whose parameters are our placeholders in order of appearance."""

    # Null: a template for every office (the ready ones); only a superuser edits those.
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, null=True, blank=True
    )
    code = models.SlugField(_("code"), max_length=60, help_text=_("Groups the languages and channels of one message."))
    name = models.CharField(_("name"), max_length=150)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    subject = models.CharField(_("subject (e-mail)"), max_length=200, blank=True)
    body = models.TextField(
        _("text"),
        help_text=format_lazy("{} {}", _("Placeholders:"), braced(PLACEHOLDERS)),
    )
    provider_template_id = models.CharField(
        _("provider template id"),
        max_length=200,
        blank=True,
        help_text=_("WhatsApp: the name of the template as approved by the provider."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["name", "channel", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code", "channel", "language"],
                nulls_distinct=False,
                name="messagetemplate_unique_code_channel_language",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_channel_display()}, {self.language})"

    def clean(self):
        errors = {}
        for field in ("subject", "body"):
            unknown = unknown_placeholders(getattr(self, field))
            if unknown:
                errors[field] = _("Unknown placeholder: %(unknown)s. Use %(known)s.") % {
                    "unknown": braced(unknown),
                    "known": braced(PLACEHOLDERS),
                }
        if self.channel == Channel.WHATSAPP and not self.provider_template_id:
            errors["provider_template_id"] = _(
                "WhatsApp sends business-initiated messages only as approved templates: enter the template's name."
            )
        if self.channel == Channel.EMAIL and not self.subject:
            errors["subject"] = _("An e-mail needs a subject.")
        if errors:
            raise ValidationError(errors)


class Broadcast(TimeStampedModel):
    """One template sent to a list (a training batch, a cohort, a filtered candidate list)."""

    class Source(models.TextChoices):
        BATCH = "batch", _("Training batch")
        COHORT = "cohort", _("Cohort")
        CANDIDATES = "candidates", _("Candidate list")
        SHORTLIST = "shortlist", _("Eligibility shortlist")
        REMINDERS = "reminders", _("Reminders")

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Preparing")
        SENDING = "sending", _("Sending")

    municipality = models.ForeignKey(Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT)
    template = models.ForeignKey(MessageTemplate, verbose_name=_("template"), on_delete=models.PROTECT)
    source = models.CharField(_("sent to"), max_length=12, choices=Source.choices)
    source_label = models.CharField(_("list"), max_length=255)
    # The list's definition: a batch or cohort id, the candidate filter's query string, a programme's
    # shortlist ({"programme": id, "list": "eligible"|"missing"}), or a kind of reminder ({"kind": …}).
    source_query = models.JSONField(_("list definition"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREPARING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("message to a list")
        verbose_name_plural = _("messages to lists")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The list of sends of a municipality, newest first.
            models.Index(fields=["municipality", "-created_at"], name="broadcast_muni_recent_idx"),
        ]

    def __str__(self):
        return f"{self.template.name} → {self.source_label}"


class Message(models.Model):
    """One message to one person. A job sends it; its status says how far it got."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    broadcast = models.ForeignKey(
        Broadcast,
        verbose_name=_("sent to a list"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    candidate = models.ForeignKey(
        # Not "messages": candidates' code reads ValidationError.messages, and a lower app may not use a
        # higher one's relation name (tests/test_layering.py).
        Candidate,
        verbose_name=_("candidate"),
        on_delete=models.CASCADE,
        related_name="contact_messages",
    )
    # The candidate's municipality when the message was made: scoping without a join.
    municipality = models.ForeignKey(Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT)
    template = models.ForeignKey(
        MessageTemplate, verbose_name=_("template"), on_delete=models.SET_NULL, null=True, blank=True
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    to = models.CharField(_("to"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    provider_template_id = models.CharField(_("provider template id"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    # The placeholder values in order of appearance in the body: a WhatsApp template's parameters.
    params = models.JSONField(_("parameters"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    reason = models.TextField(_("reason"), blank=True, help_text=_("Why it was skipped or failed; the last error."))
    provider = models.CharField(_("provider"), max_length=30, blank=True)
    provider_message_id = models.CharField(_("provider's message id"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "pk"]
        constraints = [
            # One message per person per send to a list, however often the list is expanded.
            models.UniqueConstraint(fields=["broadcast", "candidate"], name="message_once_per_broadcast"),
        ]
        indexes = [
            # A person's messages on their page, newest first.
            models.Index(fields=["candidate", "-created_at"], name="message_candidate_recent_idx"),
            # The statuses of a send to a list (counts, and the table by status).
            models.Index(fields=["broadcast", "status"], name="message_broadcast_status_idx"),
            # Delivery reports name the provider's message id.
            models.Index(fields=["provider", "provider_message_id"], name="message_provider_id_idx"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.candidate_id} ({self.status})"


class OutboxEntry(models.Model):
    """What the "outbox" provider did instead of sending: the message as it would have left."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="outbox_entries")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    to = models.CharField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    provider_template_id = models.CharField(_("provider template id"), max_length=200, blank=True)
    params = models.JSONField(_("parameters"), default=list)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outbox entry")
        verbose_name_plural = _("outbox")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        return f"{self.channel} → {self.to}"
