"""Training providers and batches, enrolments, placements (with stage events) and cohorts."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate
from core.models import Municipality, TimeStampedModel
from programmes.models import Occupation, Programme


class TrainingProvider(TimeStampedModel):
    class Kind(models.TextChoices):
        LPK = "lpk", _("LPK (private training institution)")
        LPK_SO = "lpk_so", _("LPK-SO (licensed sending organisation)")
        BLK = "blk", _("BLK (government training centre)")
        BBPVP = "bbpvp", _("BBPVP (national vocational training centre)")

    # Null for national centres (BBPVP) that serve every office.
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, null=True, blank=True
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    licence_number = models.CharField(_("licence number"), max_length=100, blank=True)
    licence_expires_on = models.DateField(_("licence expires on"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("training provider")
        verbose_name_plural = _("training providers")
        ordering = ["name"]
        indexes = [
            # Reminders: licences expiring within 90 days.
            models.Index(fields=["licence_expires_on"], name="provider_licence_expiry_idx"),
        ]

    def __str__(self):
        return self.name


class TrainingBatch(TimeStampedModel):
    class CourseKind(models.TextChoices):
        LANGUAGE = "language", _("Language")
        SKILL = "skill", _("Skill")

    provider = models.ForeignKey(
        TrainingProvider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="batches"
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="training_batches"
    )
    # The office that runs the batch; its staff enrol their placements.
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, null=True, blank=True
    )
    name = models.CharField(_("name"), max_length=200)
    course_kind = models.CharField(_("course kind"), max_length=10, choices=CourseKind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    hours = models.PositiveIntegerField(_("hours"))
    capacity = models.PositiveIntegerField(_("capacity"))

    class Meta:
        verbose_name = _("training batch")
        verbose_name_plural = _("training batches")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="batch_ends_after_starts"),
        ]
        indexes = [
            # Training list per programme, newest first.
            models.Index(fields=["programme", "-starts_on"], name="batch_programme_start_idx"),
        ]

    def __str__(self):
        return self.name


class PlacementStage(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    SCREENED = "screened", _("Screened")
    DOCUMENTS_VERIFIED = "documents_verified", _("Documents verified")
    IN_TRAINING = "in_training", _("In training")
    READY = "ready", _("Ready")
    SELECTED = "selected", _("Selected")
    VISA = "visa", _("Visa")
    DEPARTED = "departed", _("Departed")
    ABROAD = "abroad", _("Abroad")
    RETURNED = "returned", _("Returned")
    # Early ends, each with a reason.
    WITHDRAWN = "withdrawn", _("Withdrawn")
    FAILED = "failed", _("Failed")
    MEDICALLY_UNFIT = "medically_unfit", _("Medically unfit")
    ABSCONDED = "absconded", _("Absconded")
    REPATRIATED = "repatriated", _("Repatriated")

    @classmethod
    def pipeline(cls) -> list["PlacementStage"]:
        return [
            cls.REGISTERED,
            cls.SCREENED,
            cls.DOCUMENTS_VERIFIED,
            cls.IN_TRAINING,
            cls.READY,
            cls.SELECTED,
            cls.VISA,
            cls.DEPARTED,
            cls.ABROAD,
            cls.RETURNED,
        ]

    @classmethod
    def early_ends(cls) -> list["PlacementStage"]:
        return [cls.WITHDRAWN, cls.FAILED, cls.MEDICALLY_UNFIT, cls.ABSCONDED, cls.REPATRIATED]


class PlacementQuerySet(models.QuerySet):
    def open(self):
        """Placements still on their way (not returned, not ended early)."""
        return self.exclude(stage__in=[PlacementStage.RETURNED, *PlacementStage.early_ends()])


@pghistory.track()
class Placement(TimeStampedModel):
    """One candidate's journey in one programme."""

    class ReturnOutcome(models.TextChoices):
        COMPLETED = "completed", _("Completed")
        ENDED_EARLY = "ended_early", _("Ended early")
        ABSCONDED = "absconded", _("Absconded")
        REPATRIATED = "repatriated", _("Repatriated")

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="placements"
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="placements"
    )
    # The candidate's municipality, copied when the placement is created: scoping and every
    # dashboard count filter by it, and at a million rows the join to candidates costs too much.
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    occupation = models.ForeignKey(
        Occupation, verbose_name=_("occupation"), on_delete=models.PROTECT, null=True, blank=True
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=PlacementStage.choices, default=PlacementStage.REGISTERED
    )
    stage_changed_at = models.DateTimeField(_("stage changed at"))
    registered_on = models.DateField(_("registered on"))
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    contract_start = models.DateField(_("contract start"), null=True, blank=True)
    contract_end = models.DateField(_("contract end"), null=True, blank=True)
    visa_number = models.CharField(_("visa number"), max_length=50, blank=True)
    visa_issued_on = models.DateField(_("visa issued on"), null=True, blank=True)
    cohort = models.ForeignKey(
        "Cohort", verbose_name=_("cohort"), on_delete=models.SET_NULL, null=True, blank=True, related_name="placements"
    )
    departed_on = models.DateField(_("departed on"), null=True, blank=True)
    planned_return_on = models.DateField(_("planned return"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    # When an early end happened (withdrawal, failure, absconding, repatriation); absconded people
    # have an end date but no return date.
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    return_outcome = models.CharField(_("return outcome"), max_length=20, choices=ReturnOutcome.choices, blank=True)
    end_reason = models.TextField(_("reason"), blank=True)
    # Set when a returnee is invited to the next season: the placement that came before.
    previous_placement = models.ForeignKey(
        "self", verbose_name=_("previous season"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-stage_changed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_end__isnull=True)
                | Q(contract_start__isnull=True)
                | Q(contract_end__gt=F("contract_start")),
                name="placement_contract_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True)
                | Q(departed_on__isnull=True)
                | Q(returned_on__gte=F("departed_on")),
                name="placement_returned_after_departed",
            ),
            # One open journey per person per programme; a new season is a new placement once
            # the previous one has returned.
            models.UniqueConstraint(
                fields=["candidate", "programme"],
                condition=~Q(
                    stage__in=["returned", "withdrawn", "failed", "medically_unfit", "absconded", "repatriated"]
                ),
                name="placement_one_open_per_candidate_programme",
            ),
        ]
        indexes = [
            # Pipeline board and funnel: counts per stage within a programme and municipality, and
            # the board's newest cards per stage (an index scan with LIMIT, whatever the row count).
            models.Index(
                fields=["programme", "municipality", "stage", "-stage_changed_at"], name="placement_board_idx"
            ),
            # The same board for the national viewer (every municipality).
            models.Index(fields=["programme", "stage", "-stage_changed_at"], name="placement_board_national_idx"),
            # The unfiltered placement list of a municipality, most recently moved first.
            models.Index(fields=["municipality", "-stage_changed_at"], name="placement_muni_recent_idx"),
            # Lists of a municipality's placements by stage, most recently moved first.
            models.Index(fields=["municipality", "stage", "-stage_changed_at"], name="placement_muni_stage_idx"),
            models.Index(fields=["cohort"], name="placement_cohort_idx"),
            # The documents reminder (placements.reminders._documents): a municipality's placements
            # in cohorts, by stage, with the candidate to look documents up by, from the index alone.
            models.Index(
                fields=["cohort", "municipality", "stage"],
                include=["candidate", "id"],
                condition=Q(cohort__isnull=False),
                name="placement_cohort_cover_idx",
            ),
        ]

    def __str__(self):
        return f"{self.candidate} – {self.programme}"


class PlacementStageEvent(models.Model):
    """Every move of a placement: who, when, from, to, note."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="stage_events")
    from_stage = models.CharField(_("from"), max_length=20, choices=PlacementStage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=PlacementStage.choices)
    moved_at = models.DateTimeField(_("moved at"))
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("moved by"), on_delete=models.PROTECT, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    # Why: required for early ends and backward moves (corrections).
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("placement stage event")
        verbose_name_plural = _("placement stage events")
        ordering = ["moved_at", "pk"]
        indexes = [
            models.Index(fields=["placement", "moved_at"], name="placementevent_timeline_idx"),
            # The programme dashboard's Ready pace: placements moved to Ready since a date
            # (dashboards.selectors._scalars), read from the index alone.
            models.Index(fields=["to_stage", "moved_at", "placement"], name="placementevent_ready_idx"),
        ]

    def __str__(self):
        return f"{self.placement_id}: {self.from_stage or '–'} → {self.to_stage}"


class Enrolment(TimeStampedModel):
    class Result(models.TextChoices):
        PENDING = "pending", _("Pending")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")

    batch = models.ForeignKey(
        TrainingBatch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="enrolments"
    )
    placement = models.ForeignKey(
        Placement, verbose_name=_("placement"), on_delete=models.CASCADE, related_name="enrolments"
    )
    attended_hours = models.PositiveIntegerField(_("attended hours"), default=0)
    final_score = models.DecimalField(_("final score"), max_digits=5, decimal_places=2, null=True, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, default=Result.PENDING)
    certificate_number = models.CharField(_("certificate number"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["batch", "placement"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "placement"], name="enrolment_unique_batch_placement"),
            models.CheckConstraint(
                condition=Q(final_score__isnull=True) | (Q(final_score__gte=0) & Q(final_score__lte=100)),
                name="enrolment_score_0_100",
            ),
        ]
        indexes = [models.Index(fields=["placement", "result"], name="enrolment_placement_result_idx")]

    def __str__(self):
        return f"{self.placement} @ {self.batch}"


class Cohort(TimeStampedModel):
    """A group of placements that departs together (angkatan / kloter)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="cohorts"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=150)
    planned_departure = models.DateField(_("planned departure"))
    actual_departure = models.DateField(_("actual departure"), null=True, blank=True)
    destination_city = models.CharField(_("destination city"), max_length=150, blank=True)
    employers = models.TextField(_("employer(s)"), blank=True)
    chaperone = models.CharField(_("chaperone"), max_length=150, blank=True)
    arrival_confirmed_on = models.DateField(_("arrival confirmed on"), null=True, blank=True)
    return_due_on = models.DateField(_("return due on"), null=True, blank=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-planned_departure", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(return_due_on__isnull=True) | Q(return_due_on__gt=F("planned_departure")),
                name="cohort_returns_after_planned_departure",
            ),
            models.CheckConstraint(
                condition=Q(return_due_on__isnull=True)
                | Q(actual_departure__isnull=True)
                | Q(return_due_on__gt=F("actual_departure")),
                name="cohort_returns_after_actual_departure",
            ),
            models.CheckConstraint(
                condition=Q(arrival_confirmed_on__isnull=True)
                | Q(actual_departure__isnull=True)
                | Q(arrival_confirmed_on__gte=F("actual_departure")),
                name="cohort_arrives_after_departure",
            ),
        ]
        indexes = [
            # "Cohorts departing in the next 60 days" on the dashboards.
            models.Index(fields=["municipality", "planned_departure"], name="cohort_muni_departure_idx"),
        ]

    def __str__(self):
        return self.name


class ExternalId(models.Model):
    """A worker's id in another system: the national worker id (on the candidate: one per person)
    and the SISKOP2MI registration number (on the placement: one per departure).

    One table rather than a column per id: each value is unique within its system (one constraint
    for every system), a record has at most one id per system, a file's ids are matched in one
    query by (system, value), and the partner's own numbers can join as another system without a
    migration of candidates or placements.
    """

    class System(models.TextChoices):
        NATIONAL_WORKER_ID = "national_worker_id", _("National worker id (SISKOP2MI)")
        SISKOP2MI_REGISTRATION = "siskop2mi_registration", _("SISKOP2MI registration number")

    # Which record each system's ids belong to.
    ON_CANDIDATE = (System.NATIONAL_WORKER_ID,)
    ON_PLACEMENT = (System.SISKOP2MI_REGISTRATION,)

    system = models.CharField(_("system"), max_length=30, choices=System.choices)
    value = models.CharField(_("number"), max_length=50)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, null=True, blank=True, related_name="external_ids"
    )
    placement = models.ForeignKey(
        "Placement", on_delete=models.CASCADE, null=True, blank=True, related_name="external_ids"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("external id")
        verbose_name_plural = _("external ids")
        ordering = ["system", "value"]
        constraints = [
            models.UniqueConstraint(fields=["system", "value"], name="externalid_unique_per_system"),
            models.UniqueConstraint(
                fields=["system", "candidate"],
                condition=Q(candidate__isnull=False),
                name="externalid_one_per_candidate",
            ),
            models.UniqueConstraint(
                fields=["system", "placement"],
                condition=Q(placement__isnull=False),
                name="externalid_one_per_placement",
            ),
            models.CheckConstraint(
                condition=(
                    Q(system__in=["national_worker_id"], candidate__isnull=False, placement__isnull=True)
                    | Q(system__in=["siskop2mi_registration"], placement__isnull=False, candidate__isnull=True)
                ),
                name="externalid_on_its_systems_record",
            ),
            models.CheckConstraint(condition=Q(value__regex=r"^[A-Z0-9][A-Z0-9./-]*$"), name="externalid_value_format"),
        ]

    def __str__(self):
        return f"{self.get_system_display()}: {self.value}"


class StageCount(models.Model):
    """Placements per programme, municipality, occupation and current stage: the funnels and the
    board's column counts. Kept by the database in step with the placements (placements.summaries);
    the keys carry no foreign-key constraint (a count is not a reference: no lock on the programme
    when a placement moves); counts of zero stay as rows, readers sum."""

    programme = models.ForeignKey(Programme, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    occupation = models.ForeignKey(
        Occupation, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    stage = models.CharField(max_length=20)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "municipality", "occupation", "stage"],
                nulls_distinct=False,
                name="stagecount_key",
            )
        ]

    def __str__(self):
        return f"{self.programme_id}/{self.municipality_id}/{self.stage}: {self.n}"


class PlacementReminder(models.Model):
    """The reminder facts of one placement, kept by PostgreSQL (placements.reminder_facts installs the
    triggers): how many document types expire before its cohort departs, and whether its passport
    expires too early. The reminders count reads only the rows that hold a reminder (partial indexes).

    Every placement has a row (zeros when nothing is due): the triggers lock it before they
    recompute it, so two transactions changing the same placement's facts take turns. No foreign-key
    constraints: the placement's own delete trigger removes its row.
    """

    placement = models.OneToOneField(
        Placement, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    documents_due = models.PositiveSmallIntegerField(default=0)
    passport_due = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["municipality", "documents_due"],
                condition=Q(documents_due__gt=0),
                name="reminder_documents_due_idx",
            ),
            models.Index(fields=["municipality"], condition=Q(passport_due=True), name="reminder_passport_due_idx"),
        ]

    def __str__(self):
        return f"reminders of placement {self.placement_id}"


class CandidateFacts(models.Model):
    """What the eligibility shortlist reads of a person's documents and training, one row per
    candidate, kept by PostgreSQL: statement-level triggers on candidates, documents, placements and
    enrolments recount the facts of the candidates a statement touched, in the same transaction
    (migration 0011; placements.facts rebuilds them all and recounts them for the tests). Never
    written by Django. The rules stay in placements.requirements: this table only holds the numbers
    their SQL conditions compare, so that the shortlist is one indexed join instead of grouping every
    document and summing every enrolment.
    """

    # The database deletes the row with its candidate (a trigger), hence DO_NOTHING here.
    candidate = models.OneToOneField(
        Candidate, on_delete=models.DO_NOTHING, primary_key=True, related_name="eligibility_facts"
    )
    # The candidate's municipality, copied (and kept on transfer): the shortlist's index leads with it.
    municipality = models.ForeignKey(Municipality, on_delete=models.DO_NOTHING, related_name="+", db_index=False)
    # The latest expiry of any passport on file (verified or not), null if none has one.
    passport_expires_on = models.DateField(null=True)
    # Attended hours of passed enrolments over every placement of the candidate.
    training_hours = models.PositiveIntegerField(default=0)
    # For each document type with a verified document: the latest day one is valid, "YYYY-MM-DD", or
    # "infinity" when one never expires. {"ktp": "infinity", "passport": "2031-04-30"}
    documents = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("eligibility facts")
        verbose_name_plural = _("eligibility facts")
        default_permissions = ()
        indexes = [
            # The shortlist (placements.eligibility): a municipality's candidates with enough passed
            # training hours and a passport valid long enough, before joining the candidates by key.
            models.Index(
                fields=["municipality", "training_hours", "passport_expires_on"], name="candidatefacts_muni_idx"
            ),
        ]

    def __str__(self):
        return f"facts of candidate {self.candidate_id}"
