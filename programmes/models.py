"""Municipalities, foreign partners, agreements (with their stage events) and programmes."""

from datetime import date, timedelta

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case, F, Func, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext_lazy as _

from core.choices import DocumentType, Education, LanguageTest, Sex
from core.dates import add_months
from core.models import Municipality, TimeStampedModel


class Country(models.TextChoices):
    KOREA = "KR", _("South Korea")
    JAPAN = "JP", _("Japan")
    TAIWAN = "TW", _("Taiwan")
    MALAYSIA = "MY", _("Malaysia")
    HONG_KONG = "HK", _("Hong Kong")
    SAUDI_ARABIA = "SA", _("Saudi Arabia")
    GERMANY = "DE", _("Germany")
    OTHER = "XX", _("Other")


class Partner(TimeStampedModel):
    """A foreign party: a Korean county, a Japanese supervising cooperative, an agency."""

    class Level(models.TextChoices):
        CITY = "city", _("City")
        COUNTY = "county", _("County")
        PROVINCE = "province", _("Province / prefecture")
        MINISTRY = "ministry", _("Ministry")
        COOPERATIVE = "cooperative", _("Supervising cooperative")
        AGENCY = "agency", _("Agency")
        EMPLOYER = "employer", _("Employer")

    # Null for partners of national (ministry) agreements.
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, null=True, blank=True
    )
    name = models.CharField(_("name (Latin script)"), max_length=200)
    local_name = models.CharField(_("name in local script"), max_length=200, blank=True, help_text=_("e.g. 창녕군"))
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    website = models.URLField(_("website"), blank=True)
    contact = models.TextField(_("contact"), blank=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.local_name})" if self.local_name else self.name


class AgreementStage(models.TextChoices):
    """KSDPL stages of a regional government's cooperation with a foreign party, in order."""

    INITIATIVE = "initiative", _("Initiative")
    EXPLORATION = "exploration", _("Exploration (visits, monitoring)")
    LOI = "loi", _("Letter of Intent")
    COOPERATION_PLAN = "cooperation_plan", _("Cooperation plan")
    DPRD_APPROVAL = "dprd_approval", _("DPRD approval")
    LOA = "loa", _("Kemendagri facilitation and LoA")
    FULL_POWER = "full_power", _("Full Power from Kemlu")
    MOU_SIGNED = "mou_signed", _("MoU signed")
    ACTIVE = "active", _("Active")
    EVALUATION = "evaluation", _("Evaluation")
    RENEWED = "renewed", _("Renewed")
    EXPIRED = "expired", _("Expired")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")

    @classmethod
    def order(cls, stage: str) -> int:
        return cls.values.index(stage)

    @classmethod
    def interruptions(cls) -> list[str]:
        """Stages that interrupt the lifecycle: entering one needs a reason, like moving back."""
        return [cls.SUSPENDED, cls.TERMINATED]

    @classmethod
    def procedure(cls) -> list[str]:
        """The KSDPL procedure of a regional government's agreement, in order, up to the MoU in force."""
        return [
            cls.INITIATIVE,
            cls.EXPLORATION,
            cls.LOI,
            cls.COOPERATION_PLAN,
            cls.DPRD_APPROVAL,
            cls.LOA,
            cls.FULL_POWER,
            cls.MOU_SIGNED,
            cls.ACTIVE,
        ]

    @classmethod
    def with_document(cls) -> list[str]:
        """Procedure stages that end in a signed paper (a letter, the plan, a decision, the MoU)."""
        return [cls.LOI, cls.COOPERATION_PLAN, cls.DPRD_APPROVAL, cls.LOA, cls.FULL_POWER, cls.MOU_SIGNED]

    @classmethod
    def passed_over(cls, current: str, target: str) -> list[str]:
        """The procedure stages a move from `current` to `target` skips, in order ([] for none)."""
        steps = cls.procedure()
        if current not in steps:
            return []
        if target in (cls.EVALUATION, cls.RENEWED):
            end = len(steps)  # both come after the agreement was in force
        elif target in steps:
            end = steps.index(target)
        else:
            return []  # expiry, suspension and termination may come at any stage
        return steps[steps.index(current) + 1 : end]

    @classmethod
    def following(cls, stage: str) -> str | None:
        """The stage that usually comes next: preselected on the move form."""
        steps = cls.procedure()
        if stage in steps[:-1]:
            return steps[steps.index(stage) + 1]
        return {cls.ACTIVE: cls.EVALUATION, cls.EVALUATION: cls.RENEWED, cls.RENEWED: cls.EVALUATION}.get(stage)

    @classmethod
    def closed(cls) -> list[str]:
        """Stages after which an agreement no longer runs (no expiry reminders)."""
        return [cls.EXPIRED, cls.TERMINATED]


class AgreementQuerySet(models.QuerySet):
    def with_stage_status(self, today, expiry_days: int = 90):
        """Annotate days_in_stage, expected_days (from StageDuration), is_stalled and expires_soon.

        Computed in the database so that lists and filters never loop over rows in Python.
        """
        expected = StageDuration.objects.filter(stage=OuterRef("stage")).values("expected_days")[:1]
        return self.annotate(
            # date - date is a whole number of days in PostgreSQL.
            days_in_stage=Func(
                Value(today),
                F("stage_entered_on"),
                template="(%(expressions)s)",
                arg_joiner=" - ",
                output_field=IntegerField(),
            ),
            expected_days=Subquery(expected, output_field=IntegerField()),
            is_stalled=Case(
                When(Q(expected_days__isnull=False) & Q(days_in_stage__gt=F("expected_days")), then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            ),
            expires_soon=Case(
                When(self._expiring_q(today, expiry_days), then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            ),
        )

    @staticmethod
    def _expiring_q(today, within_days: int) -> Q:
        return Q(valid_until__gte=today, valid_until__lte=today + timedelta(days=within_days)) & ~Q(
            stage__in=AgreementStage.closed()
        )

    def stalled(self, today):
        return self.with_stage_status(today).filter(is_stalled=True)

    def expiring(self, today, within_days: int = 90):
        """Agreements still running whose validity ends between today and `within_days` from now."""
        return self.filter(self._expiring_q(today, within_days))


@pghistory.track()
class Agreement(TimeStampedModel):
    class Kind(models.TextChoices):
        SISTER_CITY = "sister_city", _("Sister city")
        G2G = "g2g", _("Government to government (G2G)")
        MOU = "mou", _("Memorandum of Understanding")
        LOI = "loi", _("Letter of Intent")
        OTHER = "other", _("Other")

    # Null for a ministry's agreement (Kemnaker–JOE Cooperative): visible to every office.
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, null=True, blank=True
    )
    government_body = models.CharField(
        _("Indonesian party"), max_length=200, help_text=_("e.g. Pemerintah Kota Serang, Kemnaker")
    )
    partner = models.ForeignKey(Partner, verbose_name=_("partner"), on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The current stage, kept in step with the latest AgreementStageEvent by programmes.services so
    # that lists can filter and sort by it without a subquery.
    stage = models.CharField(_("stage"), max_length=20, choices=AgreementStage.choices)
    stage_entered_on = models.DateField(_("stage entered on"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    auto_renew = models.BooleanField(_("renews automatically"), default=False)
    summary = models.TextField(_("summary"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-stage_entered_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="agreement_valid_until_after_valid_from",
            ),
        ]
        indexes = [
            # The agreement list filtered by municipality and stage, newest stage first.
            models.Index(fields=["municipality", "stage", "-stage_entered_on"], name="agreement_muni_stage_idx"),
            # "Expires within 90 days" on the dashboard and reminders.
            models.Index(fields=["valid_until"], name="agreement_valid_until_idx"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        # The same rule as the check constraint, said next to the field it concerns.
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The end of validity cannot be before its start.")})

    @property
    def is_national(self) -> bool:
        return self.municipality_id is None


class AgreementStageEvent(models.Model):
    """One move of an agreement to a stage, with its date, note and often a document."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="stage_events")
    stage = models.CharField(_("stage"), max_length=20, choices=AgreementStage.choices)
    previous_stage = models.CharField(_("previous stage"), max_length=20, choices=AgreementStage.choices, blank=True)
    occurred_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    reason = models.TextField(_("reason"), blank=True, help_text=_("Required when moving back or suspending."))
    document = models.FileField(_("document"), upload_to="agreements/%Y/", blank=True)
    document_name = models.CharField(_("document name"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, null=True, blank=True
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement stage event")
        verbose_name_plural = _("agreement stage events")
        ordering = ["occurred_on", "recorded_at"]
        indexes = [
            # The timeline on the agreement page.
            models.Index(fields=["agreement", "occurred_on"], name="agreementevent_timeline_idx"),
        ]

    def __str__(self):
        return f"{self.agreement} → {self.get_stage_display()} ({self.occurred_on})"


class StageDuration(models.Model):
    """How long a stage is expected to last before the agreement is marked stalled."""

    stage = models.CharField(_("stage"), max_length=20, choices=AgreementStage.choices, unique=True)
    expected_days = models.PositiveIntegerField(_("expected days"))

    class Meta:
        verbose_name = _("expected stage duration")
        verbose_name_plural = _("expected stage durations")
        ordering = ["stage"]

    def __str__(self):
        return f"{self.get_stage_display()}: {self.expected_days}"


# ISCO-08 unit group: 4 digits. KBJI 2014 follows ISCO-08 and adds national digits: the 4-digit unit
# group, or the unit group, a dot and a 2-digit national occupation (e.g. 5321.01).
ISCO_CODE = r"^[0-9]{4}$"
KBJI_CODE = r"^[0-9]{4}(\.[0-9]{2})?$"


class Occupation(models.Model):
    """An occupation of the partners' demand, with its codes in the international (ISCO-08) and the
    national (KBJI 2014) classification, by which demand and placements are reported."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    name_en = models.CharField(_("name in English"), max_length=150, blank=True)
    isco_code = models.CharField(
        _("ISCO-08 code"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(ISCO_CODE, _("An ISCO-08 code has 4 digits, e.g. 5321."))],
        help_text=_("The 4-digit unit group of ISCO-08."),
    )
    kbji_code = models.CharField(
        _("KBJI code"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(KBJI_CODE, _("A KBJI 2014 code has 4 digits, or 4 digits, a dot and 2 digits."))],
        help_text=_("KBJI 2014: the 4-digit unit group, or with the national occupation, e.g. 5321.01."),
    )

    class Meta:
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(isco_code="") | Q(isco_code__regex=ISCO_CODE), name="occupation_isco_code_format"
            ),
        ]

    def __str__(self):
        return self.name


class Payer(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    NATIONAL_GOVERNMENT = "national_government", _("National government")
    PARTNER = "partner", _("Foreign partner")
    EMPLOYER = "employer", _("Employer")
    SHARED = "shared", _("Shared")


@pghistory.track()
class Programme(TimeStampedModel):
    class Scheme(models.TextChoices):
        SEASONAL = "seasonal_e8", _("Seasonal work (Korea E-8)")
        EPS = "eps_e9", _("Employment (Korea EPS E-9)")
        TITP = "titp", _("Technical internship (Japan TITP)")
        SSW = "ssw", _("Specified skilled worker (Japan SSW)")
        SCHOLARSHIP = "scholarship", _("Scholarship")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RECRUITING = "recruiting", _("Recruiting")
        TRAINING = "training", _("Training")
        DEPLOYING = "deploying", _("Deploying")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="programmes"
    )
    name = models.CharField(_("name"), max_length=200)
    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    destination_country = models.CharField(_("destination country"), max_length=2, choices=Country.choices)
    destination_city = models.CharField(_("destination city"), max_length=150, blank=True)
    application_opens = models.DateField(_("applications open"), null=True, blank=True)
    application_closes = models.DateField(_("applications close"), null=True, blank=True)
    planned_departure = models.DateField(_("planned first departure"), null=True, blank=True)
    target_min = models.PositiveIntegerField(_("target (minimum)"), default=0)
    target = models.PositiveIntegerField(_("target"), default=0)
    target_max = models.PositiveIntegerField(_("target (maximum)"), default=0)
    # Requirements (they drive the eligibility shortlist and the placement gates).
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=18)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), default=45)
    required_sex = models.CharField(_("sex required"), max_length=1, choices=Sex.choices, blank=True)
    min_education = models.CharField(_("minimum education"), max_length=3, choices=Education.choices, blank=True)
    language_test = models.CharField(_("language test"), max_length=20, choices=LanguageTest.choices, blank=True)
    min_language_score = models.PositiveIntegerField(
        _("minimum language score or level"),
        null=True,
        blank=True,
        help_text=_("EPS-TOPIK score (e.g. 80), TOPIK level (1–6), JLPT as 5 for N5 … 1 for N1, JFT 1 = A1, 2 = A2."),
    )
    min_training_hours = models.PositiveIntegerField(_("minimum training hours"), default=0)
    health_certificate_required = models.BooleanField(_("health certificate required"), default=True)
    passport_months_beyond_return = models.PositiveSmallIntegerField(
        _("passport valid beyond planned return (months)"), default=6
    )
    required_documents = ArrayField(
        models.CharField(max_length=20, choices=DocumentType.choices),
        verbose_name=_("documents every placement must carry"),
        default=list,
        blank=True,
    )
    # Who pays.
    training_paid_by = models.CharField(_("training paid by"), max_length=20, choices=Payer.choices, blank=True)
    travel_paid_by = models.CharField(_("travel paid by"), max_length=20, choices=Payer.choices, blank=True)
    insurance_paid_by = models.CharField(_("insurance paid by"), max_length=20, choices=Payer.choices, blank=True)
    visa_paid_by = models.CharField(_("visa paid by"), max_length=20, choices=Payer.choices, blank=True)
    # Season pattern (5 + 2 + 5: 5 months abroad, 2 at home, 2 periods) or a contract length.
    season_months_abroad = models.PositiveSmallIntegerField(_("months abroad per period"), null=True, blank=True)
    season_rest_months = models.PositiveSmallIntegerField(_("rest months between periods"), null=True, blank=True)
    season_periods = models.PositiveSmallIntegerField(_("number of periods"), null=True, blank=True)
    contract_months = models.PositiveSmallIntegerField(_("contract length (months)"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_min__lte=F("target")) & Q(target__lte=F("target_max")),
                name="programme_target_min_le_target_le_max",
            ),
            models.CheckConstraint(condition=Q(min_age__lte=F("max_age")), name="programme_min_age_le_max_age"),
            models.CheckConstraint(
                condition=Q(application_closes__isnull=True)
                | Q(application_opens__isnull=True)
                | Q(application_closes__gte=F("application_opens")),
                name="programme_application_closes_after_opens",
            ),
        ]
        indexes = [
            # Programme list filtered by status and scheme.
            models.Index(fields=["status", "scheme"], name="programme_status_scheme_idx"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        """The row's own rules (the check constraints among them), each next to its field."""
        errors: dict[str, list] = {}

        def add(name, message):
            errors.setdefault(name, []).append(message)

        if None not in (self.target_min, self.target) and self.target_min > self.target:
            add("target_min", _("The minimum cannot be above the target."))
        if None not in (self.target, self.target_max) and self.target > self.target_max:
            add("target_max", _("The maximum cannot be below the target."))
        if None not in (self.min_age, self.max_age) and self.min_age > self.max_age:
            add("max_age", _("The maximum age cannot be below the minimum age."))
        if self.application_opens and self.application_closes and self.application_closes < self.application_opens:
            add("application_closes", _("Applications cannot close before they open."))
        if self.min_language_score is not None:
            if not self.language_test:
                add("language_test", _("Choose the test the minimum score or level refers to."))
            else:
                low, high = LanguageTest.valid_range(self.language_test)
                if not low <= self.min_language_score <= high:
                    add(
                        "min_language_score",
                        _("For this test enter a value from %(low)s to %(high)s.") % {"low": low, "high": high},
                    )
        if self.season_months_abroad and not self.season_periods:
            add("season_periods", _("A season pattern needs the number of periods."))
        if self.season_periods and not self.season_months_abroad:
            add("season_months_abroad", _("A season pattern needs the months abroad per period."))
        if self.season_rest_months and (self.season_periods or 0) < 2:
            add("season_rest_months", _("Rest months only apply between two or more periods."))
        if errors:
            raise ValidationError(errors)

    @property
    def is_seasonal(self) -> bool:
        return bool(self.season_months_abroad and self.season_periods)

    @property
    def months_away(self) -> int | None:
        """Total months from departure to final return: 5 + 2 + 5 = 12; a 36-month contract = 36."""
        if self.is_seasonal:
            rest = self.season_rest_months or 0
            return self.season_months_abroad * self.season_periods + rest * (self.season_periods - 1)
        return self.contract_months

    def planned_return_on(self, departure: date | None = None) -> date | None:
        """Departure (the planned one unless given) plus the months away."""
        departure = departure or self.planned_departure
        if departure is None:
            return None
        return add_months(departure, self.months_away or 0)

    @property
    def min_language_display(self) -> str:
        return LanguageTest.format_level(self.language_test, self.min_language_score)

    @property
    def required_document_labels(self) -> list[str]:
        labels = dict(DocumentType.choices)
        return [str(labels.get(code, code)) for code in self.required_documents]


class ProgrammeDemand(models.Model):
    """How many workers the partner asks for in one occupation."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="demands")
    occupation = models.ForeignKey(Occupation, verbose_name=_("occupation"), on_delete=models.PROTECT)
    requested = models.PositiveIntegerField(_("number requested"))

    class Meta:
        verbose_name = _("demand per occupation")
        verbose_name_plural = _("demand per occupation")
        ordering = ["occupation__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "occupation"], name="demand_unique_programme_occupation"),
        ]

    def __str__(self):
        return f"{self.occupation}: {self.requested}"
