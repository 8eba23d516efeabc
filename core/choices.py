"""Choices shared by several apps, one definition each: sex, education, language tests, document types."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Education(models.TextChoices):
    """Highest completed education, in rank order (compared by `Education.rank`)."""

    SD = "sd", _("Primary (SD)")
    SMP = "smp", _("Junior secondary (SMP)")
    SMA = "sma", _("Senior secondary (SMA)")
    SMK = "smk", _("Vocational secondary (SMK)")
    D1 = "d1", _("Diploma 1")
    D2 = "d2", _("Diploma 2")
    D3 = "d3", _("Diploma 3")
    D4 = "d4", _("Diploma 4")
    S1 = "s1", _("Bachelor (S1)")
    S2 = "s2", _("Master (S2)")
    S3 = "s3", _("Doctorate (S3)")

    @classmethod
    def rank(cls, value: str) -> int:
        # SMA and SMK are the same level.
        ranks = {"sd": 1, "smp": 2, "sma": 3, "smk": 3, "d1": 4, "d2": 5, "d3": 6, "d4": 7, "s1": 7, "s2": 8, "s3": 9}
        return ranks[value]


class LanguageTest(models.TextChoices):
    EPS_TOPIK = "eps_topik", _("EPS-TOPIK (score)")
    TOPIK = "topik", _("TOPIK (level 1–6)")
    JLPT = "jlpt", _("JLPT (N5–N1)")
    JFT = "jft", _("JFT-Basic (A1–A2)")
    OTHER = "other", _("Other")

    @classmethod
    def lower_is_better(cls, test: str) -> bool:
        """JLPT counts down: N1 (1) is the highest level, N5 (5) the lowest."""
        return test == cls.JLPT

    @classmethod
    def short_name(cls, test: str) -> str:
        return {cls.EPS_TOPIK: "EPS-TOPIK", cls.TOPIK: "TOPIK", cls.JLPT: "JLPT", cls.JFT: "JFT"}.get(test, "")

    @classmethod
    def format_level(cls, test: str, score: int | None) -> str:
        """How a score or level is written: JLPT 4 → "N4", JFT 2 → "A2", EPS-TOPIK 80 → "80"."""
        if score is None:
            return ""
        if test == cls.JLPT:
            return f"N{score}"
        if test == cls.JFT:
            return f"A{score}"
        return str(score)

    @classmethod
    def valid_range(cls, test: str) -> tuple[int, int]:
        return {cls.EPS_TOPIK: (0, 200), cls.TOPIK: (1, 6), cls.JLPT: (1, 5), cls.JFT: (1, 2)}.get(test, (0, 1000))


class DocumentType(models.TextChoices):
    """A candidate's document; a programme requires some of them."""

    KTP = "ktp", _("Identity card (KTP)")
    KK = "kk", _("Family card (KK)")
    PASSPORT = "passport", _("Passport")
    SKCK = "skck", _("Police clearance (SKCK)")
    HEALTH = "health", _("Health certificate")
    FAMILY_CONSENT = "family_consent", _("Family consent letter")
    COMPETENCE = "competence", _("Competence certificate")
    LANGUAGE = "language", _("Language certificate")
    # A scholarship applicant's: proof of need, school report or transcript, recommendation letters,
    # and the university's letter of acceptance.
    SKTM = "sktm", _("Proof of need (SKTM)")
    TRANSCRIPT = "transcript", _("School report or transcript")
    RECOMMENDATION = "recommendation", _("Recommendation letter")
    ADMISSION_LETTER = "admission_letter", _("University letter of acceptance")
    OTHER = "other", _("Other")


# Identity and health documents (Law 27/2022: personal data by need only): only staff of the person's
# municipality download their files (candidates.privacy.may_download_document); others see that the
# document exists, its type, validity and verification.
IDENTITY_AND_HEALTH_DOCUMENTS = frozenset(
    {
        DocumentType.KTP,
        DocumentType.KK,
        DocumentType.PASSPORT,
        DocumentType.SKCK,
        DocumentType.HEALTH,
        DocumentType.FAMILY_CONSENT,
    }
)
