"""Scholarship programmes: the rules of a programme, selection rounds with their rubric, reviewers,
conflicts and scores, the applications (one candidate's way through one round, with its stage
events), and the study abroad (semester reports, the service commitment after return)."""

from decimal import Decimal

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate
from core.models import Municipality, TimeStampedModel
from programmes.models import Programme


class GradeScale(models.TextChoices):
    """How a grade average is written: a school report (rapor) 0–100 or a university IPK 0–4."""

    RAPOR = "rapor", _("School report (rapor, 0–100)")
    IPK = "ipk", _("University grade point average (IPK, 0–4)")

    @classmethod
    def top(cls, scale: str) -> Decimal:
        return Decimal(4) if scale == cls.IPK else Decimal(100)

    @classmethod
    def normalised(cls, scale: str, value: Decimal) -> Decimal:
        """A grade on the 0–100 scale: IPK × 25 (3.20 → 80.00), a rapor as it is."""
        return (Decimal(value) * 25).quantize(Decimal("0.01")) if scale == cls.IPK else Decimal(value)


class FieldOfStudy(models.TextChoices):
    ENGINEERING = "engineering", _("Engineering and technology")
    AGRICULTURE = "agriculture", _("Agriculture and food")
    HEALTH = "health", _("Health and nursing")
    BUSINESS = "business", _("Business and economics")
    EDUCATION = "education", _("Education")
    SCIENCE = "science", _("Natural sciences")
    SOCIAL = "social", _("Social sciences and humanities")
    ARTS = "arts", _("Arts and design")


# Family income per person per month (rupiah): the need bands of the dashboard (ilustrasi: the
# office's own bands, not a national standard).
NEED_BANDS: list[tuple[str, int, int | None]] = [
    ("<500k", 0, 500_000),
    ("500k-1m", 500_000, 1_000_000),
    ("1m-1.5m", 1_000_000, 1_500_000),
    (">=1.5m", 1_500_000, None),
]


class ScholarshipRules(TimeStampedModel):
    """A scholarship programme's own rules, beside the programme's age band and language test
    (min_age, max_age, language_test, min_language_score on the programme, checked by
    placements.requirements). Edited by the agreement admin."""

    programme = models.OneToOneField(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="scholarship_rules"
    )
    min_grade = models.DecimalField(
        _("minimum grade average (0–100)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("80"),
        help_text=_("On the 0–100 scale; an IPK counts × 25 (IPK 3.20 = 80)."),
    )
    max_income_per_person = models.PositiveIntegerField(
        _("maximum family income per person (Rp / month)"), default=1_000_000
    )
    fields_of_study = ArrayField(
        models.CharField(max_length=20, choices=FieldOfStudy.choices),
        verbose_name=_("fields of study"),
        default=list,
        blank=True,
        help_text=_("Empty: every field."),
    )
    min_semester_grade = models.DecimalField(
        _("minimum semester IPK abroad"), max_digits=3, decimal_places=2, default=Decimal("2.75")
    )
    report_every_months = models.PositiveSmallIntegerField(_("a semester report every (months)"), default=6)
    service_years = models.PositiveSmallIntegerField(
        _("service commitment (years in the city after return)"), default=2
    )

    class Meta:
        verbose_name = _("scholarship rules")
        verbose_name_plural = _("scholarship rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_grade__gte=0) & Q(min_grade__lte=100), name="scholarshiprules_grade_0_100"
            ),
            models.CheckConstraint(
                condition=Q(min_semester_grade__gte=0) & Q(min_semester_grade__lte=4),
                name="scholarshiprules_semester_0_4",
            ),
        ]

    def __str__(self):
        return str(self.programme)

    @property
    def fields_of_study_labels(self) -> list[str]:
        return [str(FieldOfStudy(f).label) for f in self.fields_of_study if f in FieldOfStudy.values]


class Criterion(models.TextChoices):
    MERIT = "merit", _("Merit")
    NEED = "need", _("Need")
    INTERVIEW = "interview", _("Interview")
    ESSAY = "essay", _("Essay")


class SelectionRound(TimeStampedModel):
    """A call for applications with its quota, reserve list and scoring rubric."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for applications")
        CLOSED = "closed", _("Closed: selection")
        APPROVED = "approved", _("Results approved")
        PUBLISHED = "published", _("Results published")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="selection_rounds"
    )
    # The office that runs the round: its staff register applicants, its official approves.
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=150)
    opens_on = models.DateField(_("applications open"))
    closes_on = models.DateField(_("applications close"))
    quota = models.PositiveSmallIntegerField(_("quota (awards)"))
    reserve_size = models.PositiveSmallIntegerField(_("reserve list size"), default=0)
    weight_merit = models.PositiveSmallIntegerField(_("weight: merit (%)"), default=40)
    weight_need = models.PositiveSmallIntegerField(_("weight: need (%)"), default=30)
    weight_interview = models.PositiveSmallIntegerField(_("weight: interview (%)"), default=20)
    weight_essay = models.PositiveSmallIntegerField(_("weight: essay (%)"), default=10)
    score_min = models.PositiveSmallIntegerField(_("lowest score"), default=0)
    score_max = models.PositiveSmallIntegerField(_("highest score"), default=100)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewers"), blank=True, related_name="scholarship_rounds"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("selection round")
        verbose_name_plural = _("selection rounds")
        ordering = ["-opens_on", "pk"]
        permissions = [("approve_selectionround", _("Can approve a selection round's results"))]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="round_closes_after_opens"),
            models.CheckConstraint(condition=Q(quota__gte=1), name="round_quota_positive"),
            models.CheckConstraint(condition=Q(score_max__gt=F("score_min")), name="round_score_range"),
            models.CheckConstraint(
                condition=Q(weight_merit__lte=100)
                & Q(weight_need__lte=100)
                & Q(weight_interview__lte=100)
                & Q(weight_essay__lte=100),
                name="round_weights_percent",
            ),
        ]
        indexes = [
            # The round list of a municipality, newest first.
            models.Index(fields=["municipality", "-opens_on"], name="round_muni_opens_idx"),
        ]

    def __str__(self):
        return self.name

    @property
    def weights(self) -> dict[str, int]:
        return {
            Criterion.MERIT: self.weight_merit,
            Criterion.NEED: self.weight_need,
            Criterion.INTERVIEW: self.weight_interview,
            Criterion.ESSAY: self.weight_essay,
        }


class ApplicationStage(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ELIGIBLE = "eligible", _("Eligible")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    INTERVIEWED = "interviewed", _("Interviewed")
    AWARDED = "awarded", _("Awarded")
    ADMITTED = "admitted", _("Admitted (letter of acceptance)")
    VISA = "visa", _("Student visa")
    DEPARTED = "departed", _("Departed")
    STUDYING = "studying", _("Studying")
    GRADUATED = "graduated", _("Graduated")
    RETURNED = "returned", _("Returned")
    # Early ends, each with a reason.
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NOT_AWARDED = "not_awarded", _("Not awarded")
    NOT_ADMITTED = "not_admitted", _("Not admitted")
    DROPPED_OUT = "dropped_out", _("Dropped out")

    @classmethod
    def pipeline(cls) -> list[str]:
        return [
            cls.APPLIED,
            cls.ELIGIBLE,
            cls.SHORTLISTED,
            cls.INTERVIEWED,
            cls.AWARDED,
            cls.ADMITTED,
            cls.VISA,
            cls.DEPARTED,
            cls.STUDYING,
            cls.GRADUATED,
            cls.RETURNED,
        ]

    @classmethod
    def early_ends(cls) -> list[str]:
        return [cls.WITHDRAWN, cls.NOT_AWARDED, cls.NOT_ADMITTED, cls.DROPPED_OUT]


class ApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(stage__in=[ApplicationStage.RETURNED, *ApplicationStage.early_ends()])


@pghistory.track()
class Application(TimeStampedModel):
    """One candidate's scholarship application in one round, and their study if awarded."""

    class Outcome(models.TextChoices):
        AWARDED = "awarded", _("Awarded")
        RESERVE = "reserve", _("Reserve list")
        NOT_AWARDED = "not_awarded", _("Not awarded")

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="scholarship_applications"
    )
    round = models.ForeignKey(
        SelectionRound, verbose_name=_("selection round"), on_delete=models.PROTECT, related_name="applications"
    )
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="+")
    # The candidate's municipality, copied on registration (scoping, dashboards).
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=ApplicationStage.choices, default=ApplicationStage.APPLIED
    )
    stage_changed_at = models.DateTimeField(_("stage changed at"))
    applied_on = models.DateField(_("applied on"))
    # The applicant's record.
    school = models.CharField(_("school or university"), max_length=200)
    study_programme = models.CharField(_("study programme (jurusan)"), max_length=150, blank=True)
    grade_scale = models.CharField(_("grade scale"), max_length=5, choices=GradeScale.choices)
    grade_average = models.DecimalField(_("grade average"), max_digits=5, decimal_places=2)
    family_income_per_person = models.PositiveIntegerField(_("family income per person (Rp / month)"))
    intended_field = models.CharField(_("intended field of study"), max_length=20, choices=FieldOfStudy.choices)
    intended_university = models.CharField(_("intended university"), max_length=200, blank=True)
    study_plan = models.TextField(_("study plan"), blank=True)
    guardian_name = models.CharField(_("parent or guardian"), max_length=150, blank=True)
    guardian_consent_on = models.DateField(
        _("parent's or guardian's consent given on"),
        null=True,
        blank=True,
        help_text=_("Required for an applicant under 18."),
    )
    # The selection's result, frozen when the official approves the round.
    total_score = models.DecimalField(_("total score"), max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    # The study.
    university = models.CharField(_("university (admitted)"), max_length=200, blank=True)
    visa_number = models.CharField(_("student visa number"), max_length=50, blank=True)
    visa_issued_on = models.DateField(_("visa issued on"), null=True, blank=True)
    departed_on = models.DateField(_("departed on"), null=True, blank=True)
    graduated_on = models.DateField(_("graduated on"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("reason"), blank=True)
    # The service commitment after return: until when, and how it ended.
    commitment_until = models.DateField(_("service commitment until"), null=True, blank=True)
    commitment_fulfilled_on = models.DateField(_("commitment fulfilled on"), null=True, blank=True)
    commitment_waived_on = models.DateField(_("commitment waived on"), null=True, blank=True)
    commitment_waiver_reason = models.TextField(_("reason for the waiver"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("scholarship application")
        verbose_name_plural = _("scholarship applications")
        ordering = ["round", "rank", "applied_on", "pk"]
        constraints = [
            # One application per person per round (one person, one candidate record).
            models.UniqueConstraint(fields=["candidate", "round"], name="application_one_per_round"),
            models.CheckConstraint(
                condition=(Q(grade_scale="rapor") & Q(grade_average__gte=0) & Q(grade_average__lte=100))
                | (Q(grade_scale="ipk") & Q(grade_average__gte=0) & Q(grade_average__lte=4)),
                name="application_grade_within_scale",
            ),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True)
                | Q(departed_on__isnull=True)
                | Q(returned_on__gte=F("departed_on")),
                name="application_returned_after_departed",
            ),
            models.CheckConstraint(
                condition=Q(commitment_waived_on__isnull=True) | ~Q(commitment_waiver_reason=""),
                name="application_waiver_has_reason",
            ),
        ]
        indexes = [
            # A round's applicants by stage (the round page, the dashboard's counts).
            models.Index(fields=["round", "stage"], name="application_round_stage_idx"),
            # A municipality's applications by stage (lists, reminders of students abroad).
            models.Index(fields=["municipality", "stage"], name="application_muni_stage_idx"),
        ]

    def __str__(self):
        return f"{self.candidate} – {self.round}"

    @property
    def normalised_grade(self) -> Decimal:
        return GradeScale.normalised(self.grade_scale, self.grade_average)

    @property
    def commitment_open(self) -> bool:
        return bool(self.commitment_until) and not (self.commitment_fulfilled_on or self.commitment_waived_on)


class ApplicationStageEvent(models.Model):
    """Every move of an application: who, when, from, to, note, reason."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="stage_events")
    from_stage = models.CharField(_("from"), max_length=20, choices=ApplicationStage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=ApplicationStage.choices)
    moved_at = models.DateTimeField(_("moved at"))
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("moved by"), on_delete=models.PROTECT, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("application stage event")
        verbose_name_plural = _("application stage events")
        ordering = ["moved_at", "pk"]
        indexes = [models.Index(fields=["application", "moved_at"], name="applicationevent_timeline_idx")]

    def __str__(self):
        return f"{self.application_id}: {self.from_stage or '–'} → {self.to_stage}"


class Achievement(models.Model):
    class Level(models.TextChoices):
        SCHOOL = "school", _("School")
        CITY = "city", _("City / regency")
        PROVINCE = "province", _("Province")
        NATIONAL = "national", _("National")
        INTERNATIONAL = "international", _("International")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="achievements")
    title = models.CharField(_("achievement"), max_length=200)
    level = models.CharField(_("level"), max_length=15, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        ordering = ["-year", "pk"]

    def __str__(self):
        return f"{self.title} ({self.get_level_display()}, {self.year})"


class Conflict(models.Model):
    """A reviewer who knows an applicant: excluded from scoring them."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=255)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="conflict_one_per_reviewer"),
        ]

    def __str__(self):
        return f"{self.reviewer} × {self.application_id}"


class Score(models.Model):
    """One reviewer's score of one application on one criterion: separate rows, so two reviewers
    saving at once never overwrite each other."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criterion = models.CharField(_("criterion"), max_length=10, choices=Criterion.choices)
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    scored_at = models.DateTimeField(_("scored at"), auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "application", "criterion"], name="score_one_per_reviewer_criterion"
            ),
        ]
        indexes = [models.Index(fields=["application", "criterion"], name="score_application_idx")]

    def __str__(self):
        return f"{self.application_id} {self.criterion} {self.value}"


class SemesterReport(TimeStampedModel):
    class Status(models.TextChoices):
        GOOD = "good", _("Good standing")
        PROBATION = "probation", _("Academic probation")
        LEAVE = "leave", _("On leave")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="semester_reports")
    semester = models.PositiveSmallIntegerField(_("semester"))
    grade_average = models.DecimalField(_("semester IPK (0–4)"), max_digits=3, decimal_places=2)
    credits = models.PositiveSmallIntegerField(_("credits (SKS)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.GOOD)
    reported_on = models.DateField(_("reported on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("semester report")
        verbose_name_plural = _("semester reports")
        ordering = ["application", "semester"]
        constraints = [
            models.UniqueConstraint(fields=["application", "semester"], name="semester_one_report"),
            models.CheckConstraint(
                condition=Q(grade_average__gte=0) & Q(grade_average__lte=4), name="semester_grade_0_4"
            ),
            models.CheckConstraint(condition=Q(semester__gte=1), name="semester_from_one"),
        ]

    def __str__(self):
        return f"{self.application_id} S{self.semester}"
