"""Protection of workers abroad: welfare cases with an action log, scheduled contact, partner holds,
and the debrief and follow-ups after the return."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import Municipality, TimeStampedModel
from placements.models import Placement
from programmes.models import Programme

DEFAULT_DEADLINE_HOURS = {"critical": 24, "high": 3 * 24, "normal": 7 * 24}
DEFAULT_CONTACT_INTERVAL_DAYS = 14


class ProtectionSettings(models.Model):
    """A programme's protection rules; a programme without a row uses the defaults."""

    programme = models.OneToOneField(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="protection_settings"
    )
    critical_deadline_hours = models.PositiveIntegerField(
        _("first action on a critical case within (hours)"), default=DEFAULT_DEADLINE_HOURS["critical"]
    )
    high_deadline_hours = models.PositiveIntegerField(
        _("first action on a high case within (hours)"), default=DEFAULT_DEADLINE_HOURS["high"]
    )
    normal_deadline_hours = models.PositiveIntegerField(
        _("first action on a normal case within (hours)"), default=DEFAULT_DEADLINE_HOURS["normal"]
    )
    contact_interval_days = models.PositiveIntegerField(
        _("contact interval (days)"),
        default=DEFAULT_CONTACT_INTERVAL_DAYS,
        help_text=_("Every worker abroad is contacted at least this often."),
    )

    class Meta:
        verbose_name = _("protection settings")
        verbose_name_plural = _("protection settings")
        constraints = [
            models.CheckConstraint(condition=Q(contact_interval_days__gte=1), name="protection_interval_positive"),
            models.CheckConstraint(
                condition=Q(critical_deadline_hours__gte=1)
                & Q(high_deadline_hours__gte=1)
                & Q(normal_deadline_hours__gte=1),
                name="protection_deadlines_positive",
            ),
        ]

    def __str__(self):
        return str(self.programme)

    def deadline(self, severity: str) -> timedelta:
        return timedelta(hours=getattr(self, f"{severity}_deadline_hours"))


class ProgrammeHold(TimeStampedModel):
    """A partner country's hold on a programme: while it holds, no cohort of it departs."""

    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="+")
    held_on = models.DateField(_("on hold since"))
    reason = models.TextField(_("reason"))
    source = models.CharField(
        _("source"), max_length=255, help_text=_("Who announced the hold, e.g. the partner's letter or a news report.")
    )
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("programme hold")
        verbose_name_plural = _("programme holds")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lifted_on__isnull=True) | Q(lifted_on__gte=F("held_on")), name="hold_lifted_after_held"
            ),
        ]
        indexes = [
            # The departure check and the dashboards: holds of a programme still in force.
            models.Index(fields=["programme", "lifted_on"], name="hold_programme_lifted_idx"),
        ]

    def __str__(self):
        return f"{self.programme}: {self.held_on}"


class CaseQuerySet(models.QuerySet):
    def unresolved(self):
        return self.exclude(status__in=[Case.Status.RESOLVED, Case.Status.CLOSED])

    def past_deadline(self, now):
        """Unresolved cases with no first action yet whose first-action deadline has passed."""
        return self.unresolved().filter(first_action_at__isnull=True, first_action_due__lt=now)


class Case(TimeStampedModel):
    """A protection case (kasus pelindungan) on a placement abroad or just returned."""

    class Type(models.TextChoices):
        ABSCONDING = "absconding", _("Absconding / whereabouts unknown")
        ILLNESS = "illness", _("Illness")
        INJURY = "injury", _("Injury")
        DEATH = "death", _("Death")
        WAGES = "wages", _("Unpaid or underpaid wages")
        CONTRACT = "contract", _("Contract violation")
        ABUSE = "abuse", _("Abuse or harassment")
        ACCOMMODATION = "accommodation", _("Accommodation")
        LEGAL = "legal", _("Legal trouble")
        FAMILY = "family", _("Family emergency")
        EARLY_RETURN = "early_return", _("Early-return request")
        GRIEVANCE = "grievance", _("Grievance")
        OTHER = "other", _("Other")

    class Severity(models.TextChoices):
        CRITICAL = "critical", _("Critical")
        HIGH = "high", _("High")
        NORMAL = "normal", _("Normal")

    class Reporter(models.TextChoices):
        WORKER = "worker", _("The worker")
        FAMILY = "family", _("Family")
        PARTNER = "partner", _("Partner county")
        EMPLOYER = "employer", _("Employer")
        EMBASSY = "embassy", _("Embassy or consulate")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        ESCALATED = "escalated", _("Escalated")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class EscalatedTo(models.TextChoices):
        MINISTRY = "ministry", _("The ministry's protection unit")
        EMBASSY = "embassy", _("The embassy or consulate")
        PARTNER = "partner", _("The partner")
        POLICE = "police", _("The police")

    class Outcome(models.TextChoices):
        CONTINUES = "continues", _("Resolved; the worker continues the placement")
        UNFOUNDED = "unfounded", _("Unfounded or withdrawn")
        # The outcomes below end the placement (protection.services.PLACEMENT_ENDS).
        EARLY_RETURN = "early_return", _("Early return")
        REPATRIATED = "repatriated", _("Repatriated")
        ABSCONDED = "absconded", _("Absconded")
        DIED = "died", _("Died abroad")

    placement = models.ForeignKey(
        Placement, verbose_name=_("placement"), on_delete=models.PROTECT, related_name="protection_cases"
    )
    # The placement's municipality, copied when the case is opened: scoping filters by it.
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    case_type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    reported_by = models.CharField(_("reported by"), max_length=10, choices=Reporter.choices)
    reported_at = models.DateTimeField(_("reported at"))
    summary = models.CharField(_("summary"), max_length=200)
    # Health, abuse: personal data. Never passed to a logger.
    description = models.TextField(_("what happened"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    first_action_due = models.DateTimeField(_("first action due"))
    first_action_at = models.DateTimeField(_("first action at"), null=True, blank=True)
    escalated_to = models.CharField(_("escalated to"), max_length=10, choices=EscalatedTo.choices, blank=True)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("protection case")
        verbose_name_plural = _("protection cases")
        ordering = ["-reported_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(status="closed") | ~Q(outcome=""), name="case_closed_has_outcome"),
            models.CheckConstraint(
                condition=~Q(status="escalated") | ~Q(escalated_to=""), name="case_escalated_has_recipient"
            ),
            models.CheckConstraint(
                condition=Q(first_action_due__gte=F("reported_at")), name="case_deadline_after_report"
            ),
        ]
        indexes = [
            # The case list of a municipality, newest first, filtered by status.
            models.Index(fields=["municipality", "status", "-reported_at"], name="case_muni_status_idx"),
            # A placement's cases (worker page, at-risk flag, re-invitation defaults).
            models.Index(fields=["placement", "status"], name="case_placement_status_idx"),
            # Dashboards: unresolved cases past their first-action deadline.
            models.Index(
                fields=["municipality", "first_action_due"],
                condition=Q(first_action_at__isnull=True),
                name="case_awaiting_action_idx",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_case_type_display()}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.RESOLVED, self.Status.CLOSED)


class CaseAction(models.Model):
    """One line of a case's action log: when, who, what was done, the next step."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Opened")
        ACTION = "action", _("Action")
        ESCALATED = "escalated", _("Escalated")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ACTION)
    acted_on = models.DateField(_("date"))
    acted_at = models.DateTimeField(_("recorded at"))
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    what = models.TextField(_("what was done"))
    next_step = models.CharField(_("next step"), max_length=255, blank=True)
    status_after = models.CharField(_("status after"), max_length=12, choices=Case.Status.choices)

    class Meta:
        verbose_name = _("case action")
        verbose_name_plural = _("case actions")
        ordering = ["acted_at", "pk"]
        indexes = [models.Index(fields=["case", "acted_at"], name="caseaction_timeline_idx")]

    def __str__(self):
        return f"{self.case_id}: {self.get_kind_display()} {self.acted_on}"


class CaseDocument(TimeStampedModel):
    """A file on a case (a hospital letter, a police report, a pay slip): PDF, JPEG or PNG checked by
    content (candidates.files), kept in the private store under a random name, served only by the
    case's scoped download view, which logs every download."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    # Private storage (STORAGES["default"] has no URL).
    file = models.FileField(_("file"), upload_to="protection/%Y/%m/")
    original_filename = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "created_at"], name="casedocument_case_idx")]

    def __str__(self):
        return f"{self.case_id}: {self.title}"


class ContactRecord(TimeStampedModel):
    """How to reach a worker abroad, and whom to call at home."""

    placement = models.OneToOneField(
        Placement, verbose_name=_("placement"), on_delete=models.CASCADE, related_name="contact_record"
    )
    phone_abroad = models.CharField(_("phone abroad"), max_length=30, blank=True)
    messaging_abroad = models.CharField(_("messaging number abroad"), max_length=30, blank=True)
    employer_address = models.TextField(_("employer address"), blank=True)
    accommodation_address = models.TextField(_("accommodation address"), blank=True)
    emergency_contact_name = models.CharField(_("emergency contact at home"), max_length=150, blank=True)
    emergency_contact_phone = models.CharField(_("emergency contact phone"), max_length=30, blank=True)
    emergency_contact_relation = models.CharField(_("relation"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("contact record")
        verbose_name_plural = _("contact records")

    def __str__(self):
        return str(self.placement)


class Contact(models.Model):
    """One welfare contact with a worker abroad."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone call")
        MESSAGING = "messaging", _("Messaging (WhatsApp, LINE, KakaoTalk)")
        VIDEO = "video", _("Video call")
        GROUP_CALL = "group_call", _("Group call")
        VISIT = "visit", _("Visit")
        THROUGH_PARTNER = "partner", _("Through the partner or employer")

    class Wellbeing(models.TextChoices):
        GOOD = "good", _("Good")
        CONCERN = "concern", _("Concern")
        SERIOUS = "serious", _("Serious")

    placement = models.ForeignKey(
        Placement, verbose_name=_("placement"), on_delete=models.CASCADE, related_name="protection_contacts"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    contacted_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    contacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    wellbeing = models.CharField(_("wellbeing"), max_length=10, choices=Wellbeing.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-contacted_on", "-pk"]
        indexes = [
            # The last contact of each worker (overdue, coverage, at risk): MAX(contacted_on) per placement.
            models.Index(fields=["placement", "-contacted_on"], name="contact_placement_date_idx"),
        ]

    def __str__(self):
        return f"{self.placement_id} {self.contacted_on} {self.wellbeing}"


class ReturnDebrief(TimeStampedModel):
    """The conversation after the return: wages, savings, complaints, wish to go again."""

    class Wages(models.TextChoices):
        YES = "yes", _("Yes, as promised")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")

    class GoAgain(models.TextChoices):
        YES = "yes", _("Wants to go again")
        UNDECIDED = "undecided", _("Undecided")
        NO = "no", _("Does not want to go again")

    placement = models.OneToOneField(
        Placement, verbose_name=_("placement"), on_delete=models.CASCADE, related_name="return_debrief"
    )
    debriefed_on = models.DateField(_("debriefed on"))
    wages_as_promised = models.CharField(_("wages received as promised"), max_length=10, choices=Wages.choices)
    savings_idr = models.PositiveBigIntegerField(_("savings brought home (Rp)"), null=True, blank=True)
    remittances_idr = models.PositiveBigIntegerField(_("remittances sent home (Rp)"), null=True, blank=True)
    complaints = models.TextField(_("complaints"), blank=True)
    wants_to_go_again = models.CharField(_("wish to go again"), max_length=10, choices=GoAgain.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("return debrief")
        verbose_name_plural = _("return debriefs")

    def __str__(self):
        return f"{self.placement} ({self.debriefed_on})"


class FollowUp(TimeStampedModel):
    """Reintegration follow-up 3 and 6 months after the return."""

    class Month(models.IntegerChoices):
        THREE = 3, _("3 months")
        SIX = 6, _("6 months")

    class Work(models.TextChoices):
        EMPLOYED = "employed", _("Employed")
        BUSINESS = "business", _("Own business")
        SEEKING = "seeking", _("Looking for work")
        TRAINING = "training", _("In training or study")
        ABROAD = "abroad", _("Abroad again")
        OTHER = "other", _("Other")

    placement = models.ForeignKey(
        Placement, verbose_name=_("placement"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    month = models.PositiveSmallIntegerField(_("follow-up"), choices=Month.choices)
    followed_on = models.DateField(_("date"))
    work = models.CharField(_("work"), max_length=10, choices=Work.choices)
    business = models.CharField(_("business"), max_length=255, blank=True)
    training_wanted = models.CharField(_("training wanted"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["placement", "month"]
        constraints = [models.UniqueConstraint(fields=["placement", "month"], name="followup_one_per_month")]

    def __str__(self):
        return f"{self.placement} +{self.month}m"


class ReinviteOverride(models.Model):
    """Staff invited a returnee to the next season against the protection defaults, and said why."""

    placement = models.OneToOneField(
        Placement, verbose_name=_("previous placement"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("re-invitation override")
        verbose_name_plural = _("re-invitation overrides")

    def __str__(self):
        return f"{self.placement_id}: {self.reason[:40]}"


class WorkerCount(models.Model):
    """Placements that left the country, counted per programme, municipality, cohort, kecamatan,
    stage and, for workers abroad, the day their contact clock runs from (the last contact, else
    the departure) and whether an unresolved wage or abuse case flags them. Kept by the database in
    step with the rows (protection.summaries); the dashboard and the overdue counts read it, so
    whether a worker is overdue on a given day is a comparison over a few hundred rows, not a look-up
    per worker."""

    programme = models.ForeignKey(Programme, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    cohort = models.ForeignKey(
        "placements.Cohort", on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    kecamatan_code = models.CharField(max_length=8)
    stage = models.CharField(max_length=20)
    contact_clock_from = models.DateField(null=True)  # abroad only
    risk_case = models.BooleanField(default=False)  # abroad only
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "programme",
                    "municipality",
                    "cohort",
                    "kecamatan_code",
                    "stage",
                    "contact_clock_from",
                    "risk_case",
                ],
                nulls_distinct=False,
                name="workercount_key",
            )
        ]

    def __str__(self):
        return f"WorkerCount {self.pk}"
