"""Requests of data subjects, the breach register and the retention policy (Law 27/2022)."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate
from core.models import Municipality, TimeStampedModel

from .clock import deadline


class DataRequest(TimeStampedModel):
    """A person's request about their data, answered within 3×24 hours of its receipt."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("Access to the data (and the record of its processing)")
        CORRECTION = "correction", _("Correction")
        ERASURE = "erasure", _("Erasure")
        RESTRICTION = "restriction", _("Restriction of processing")
        WITHDRAWAL = "withdrawal", _("Withdrawal of consent")

    class Channel(models.TextChoices):
        COUNTER = "counter", _("At the counter")
        LETTER = "letter", _("Letter")
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Phone")
        WHATSAPP = "whatsapp", _("WhatsApp")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        DONE = "done", _("Done as asked")
        PARTLY = "partly", _("Partly done")
        REFUSED = "refused", _("Refused (reason in the note)")
        ERASED = "erased", _("Erased")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("person"), on_delete=models.PROTECT, related_name="data_requests"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    received_at = models.DateTimeField(_("received at"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    identity_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("identity checked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    identity_check = models.CharField(
        _("how the identity was checked"), max_length=200, help_text=_("e.g. KTP shown at the counter")
    )
    details = models.TextField(_("what the person asks"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The answer stops the clock.
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    answer_note = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("data subject request")
        verbose_name_plural = _("data subject requests")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(answered_at__isnull=True) & Q(answered_by__isnull=True) & Q(outcome=""))
                | (Q(answered_at__isnull=False) & Q(answered_by__isnull=False) & ~Q(outcome="")),
                name="datarequest_answer_complete",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(answered_at__gte=F("received_at")),
                name="datarequest_answered_after_received",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="erased") | Q(kind="erasure"), name="datarequest_erased_only_on_erasure"
            ),
        ]
        indexes = [
            # The open requests of an office, oldest first (list, reminders, home page).
            models.Index(fields=["municipality", "answered_at", "received_at"], name="datarequest_open_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.candidate} – {self.received_at:%Y-%m-%d}"

    @property
    def due_at(self) -> datetime:
        return deadline(self.received_at)

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class Breach(TimeStampedModel):
    """A personal-data breach: what, whom, when, how, what was done; notified within 3×24 hours of discovery."""

    class Category(models.TextChoices):
        IDENTITY = "identity", _("Identity (name, NIK, birth date)")
        CONTACT = "contact", _("Contact (address, phone, e-mail)")
        DOCUMENTS = "documents", _("Identity documents (KTP, KK, passport)")
        HEALTH = "health", _("Health (health certificate)")
        CRIMINAL = "criminal", _("Police clearance (SKCK)")
        PLACEMENT = "placement", _("Placement and employment")
        OTHER = "other", _("Other")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    categories = models.JSONField(_("data concerned"), default=list)
    occurred_at = models.DateTimeField(_("happened at"))
    discovered_at = models.DateTimeField(_("found at"))
    how = models.TextField(_("how it happened and how it was found"))
    measures = models.TextField(_("what was done"))
    affected = models.ManyToManyField(Candidate, verbose_name=_("people affected"), related_name="+", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Notifying the people and the authority stops the clock.
    notified_at = models.DateTimeField(_("people and authority notified at"), null=True, blank=True)
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("personal-data breach")
        verbose_name_plural = _("personal-data breaches")
        ordering = ["-discovered_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(discovered_at__gte=F("occurred_at")), name="breach_found_after_it_happened"
            ),
            models.CheckConstraint(
                condition=Q(notified_at__isnull=True) | Q(notified_at__gte=F("discovered_at")),
                name="breach_notified_after_found",
            ),
        ]
        indexes = [
            # The open breaches of an office (list, reminders).
            models.Index(fields=["municipality", "notified_at", "discovered_at"], name="breach_open_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def due_at(self) -> datetime:
        return deadline(self.discovered_at)

    def category_labels(self) -> list[str]:
        labels = dict(self.Category.choices)
        return [str(labels.get(c, c)) for c in self.categories]


class RetentionPolicy(models.Model):
    """How long a category of personal data is kept; `apply_retention` erases what is past it.
    Written and changed by the superuser in the admin only."""

    class Rule(models.TextChoices):
        NEVER_PLACED = "never_placed", _("Never placed and inactive for N years: erase the person")
        DOCUMENTS_AFTER_RETURN = "documents_after_return", _("Document files N years after the return: delete them")

    rule = models.CharField(_("rule"), max_length=30, choices=Rule.choices, unique=True)
    years = models.PositiveSmallIntegerField(_("years"))
    text = models.TextField(_("the policy as written"))
    active = models.BooleanField(_("applied daily"), default=True)

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")
        ordering = ["rule"]
        constraints = [models.CheckConstraint(condition=Q(years__gte=1), name="retention_at_least_one_year")]

    def __str__(self):
        return f"{self.get_rule_display()} ({self.years})"
