"""A scholarship applicant's requirements: the programme's person rules from
placements.requirements (consent, age band, sex, education, language level: one home each) and the
scholarship's own rules, built the same way: a pure Python `check` over rows passed in, an SQL
`condition` (on Application) and the messages, judged on one reference date.

The reference date is the round's closing date: the call states who may apply on that day (an
applicant who turns 26 after the call closed is still in). The round page and the eligibility
gate both use `basis_for`, so the list and the gate agree (tests/scholarships/test_requirements.py).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import and_

from django.db.models import Q
from django.utils.translation import gettext as _

from candidates.models import Candidate, Document
from core.choices import DocumentType
from core.dates import latest_birth_date
from placements.requirements import (
    CONSENT,
    EDUCATION,
    LANGUAGE,
    MAXIMUM_AGE,
    MINIMUM_AGE,
    SEX,
    Basis,
    Facts,
    Requirement,
    Shortfall,
)

from .models import Application, FieldOfStudy, GradeScale, ScholarshipRules, SelectionRound

# The age under which a parent's or guardian's consent must be on record.
ADULT_AGE = 18
ELIGIBILITY = "eligibility"


def basis_for(selection_round: SelectionRound, *, today) -> Basis:
    """Every requirement of a round is measured on its closing date."""
    return Basis(selection_round.programme, selection_round.closes_on, None, today)


@dataclass(frozen=True)
class ApplicationFacts(Facts):
    """The candidate's rows (placements' Facts) plus the application and the programme's rules."""

    application: Application | None = None
    rules: ScholarshipRules | None = None

    @classmethod
    def of(cls, application: Application, rules: ScholarshipRules) -> "ApplicationFacts":
        """From an application loaded with selectors.with_eligibility_data (no query then)."""
        candidate = application.candidate
        return cls(
            candidate=candidate,
            documents=list(candidate.documents.all()),
            language_results=list(candidate.language_results.all()),
            application=application,
            rules=rules,
        )


class ScholarshipRequirement(Requirement):
    """A rule on the application itself; its condition applies to an Application queryset."""

    gate = ELIGIBILITY

    def condition_on_application(self, basis: Basis, rules: ScholarshipRules) -> Q:
        raise NotImplementedError


class GuardianConsent(ScholarshipRequirement):
    name = "guardian_consent"

    def check(self, basis, facts):
        if facts.candidate.birth_date <= latest_birth_date(basis.on, ADULT_AGE):
            return []
        app = facts.application
        if app.guardian_consent_on and app.guardian_name:
            return []
        return [
            self._miss(
                _("Guardian: the applicant is under 18; a parent's or guardian's consent must be on record."),
                _("under 18, no guardian consent"),
            )
        ]

    def condition_on_application(self, basis, rules):
        adult = Q(candidate__birth_date__lte=latest_birth_date(basis.on, ADULT_AGE))
        return adult | (Q(guardian_consent_on__isnull=False) & ~Q(guardian_name=""))


class MinimumGrade(ScholarshipRequirement):
    """The grade average, normalised to 0–100 (IPK × 25), at or above the programme's minimum."""

    name = "grade"

    def check(self, basis, facts):
        app, minimum = facts.application, facts.rules.min_grade
        if app.normalised_grade >= minimum:
            return []
        message = _("Grade: %(grade)s (%(scale)s), %(normalised)s of 100, is below the minimum %(min)s.") % {
            "grade": app.grade_average,
            "scale": app.get_grade_scale_display(),
            "normalised": app.normalised_grade,
            "min": minimum,
        }
        return [self._miss(message, _("grade %(has)s, min %(min)s") % {"has": app.normalised_grade, "min": minimum})]

    def condition_on_application(self, basis, rules):
        # normalised >= min  ⇔  IPK >= min / 25 (exact in numeric), rapor >= min.
        minimum = Decimal(rules.min_grade)
        return Q(grade_scale=GradeScale.RAPOR, grade_average__gte=minimum) | Q(
            grade_scale=GradeScale.IPK, grade_average__gte=minimum / 25
        )


class MaximumIncome(ScholarshipRequirement):
    name = "income"

    def check(self, basis, facts):
        income, maximum = facts.application.family_income_per_person, facts.rules.max_income_per_person
        if income <= maximum:
            return []
        message = _("Need: family income of Rp %(income)s per person is above the maximum Rp %(max)s.") % {
            "income": f"{income:,}".replace(",", "."),
            "max": f"{maximum:,}".replace(",", "."),
        }
        return [self._miss(message, _("income above maximum"))]

    def condition_on_application(self, basis, rules):
        return Q(family_income_per_person__lte=rules.max_income_per_person)


class ProofOfNeed(ScholarshipRequirement):
    """A verified proof of need (SKTM) in the candidate's documents."""

    name = "proof_of_need"

    def check(self, basis, facts):
        if any(d.doc_type == DocumentType.SKTM and d.verified_at for d in facts.documents):
            return []
        return [self._miss(_("Need: no verified proof of need (SKTM) on file."), _("no verified SKTM"))]

    def condition_on_application(self, basis, rules):
        verified = Document.objects.filter(doc_type=DocumentType.SKTM, verified_at__isnull=False)
        return Q(candidate__in=verified.values("candidate"))


class FieldOfStudyRule(ScholarshipRequirement):
    name = "field_of_study"

    def check(self, basis, facts):
        fields = facts.rules.fields_of_study
        if not fields or facts.application.intended_field in fields:
            return []
        message = _("Field of study: %(field)s is not among the programme's fields (%(list)s).") % {
            "field": facts.application.get_intended_field_display(),
            "list": ", ".join(str(FieldOfStudy(f).label) for f in fields),
        }
        return [self._miss(message, _("field not offered"))]

    def condition_on_application(self, basis, rules):
        return Q(intended_field__in=rules.fields_of_study) if rules.fields_of_study else Q()


GUARDIAN_CONSENT = GuardianConsent()
MINIMUM_GRADE = MinimumGrade()
MAXIMUM_INCOME = MaximumIncome()
PROOF_OF_NEED = ProofOfNeed()
FIELD_OF_STUDY = FieldOfStudyRule()

# The programme's person rules, from their one home.
PERSON_REQUIREMENTS: tuple[Requirement, ...] = (CONSENT, MINIMUM_AGE, MAXIMUM_AGE, SEX, EDUCATION, LANGUAGE)
SCHOLARSHIP_REQUIREMENTS: tuple[ScholarshipRequirement, ...] = (
    GUARDIAN_CONSENT,
    MINIMUM_GRADE,
    MAXIMUM_INCOME,
    PROOF_OF_NEED,
    FIELD_OF_STUDY,
)


def shortfalls(basis: Basis, facts: ApplicationFacts) -> list[Shortfall]:
    """Everything the applicant misses, in order: person rules first, then the scholarship's."""
    found = [s for r in PERSON_REQUIREMENTS if r.applies(basis.programme) for s in r.check(basis, facts)]
    return found + [s for r in SCHOLARSHIP_REQUIREMENTS for s in r.check(basis, facts)]


def eligible_condition(basis: Basis, rules: ScholarshipRules) -> Q:
    """The same rules as a WHERE condition on Application."""
    person = [r.condition(basis) for r in PERSON_REQUIREMENTS if r.applies(basis.programme)]
    q = Q(candidate__in=Candidate.objects.filter(reduce(and_, person, Q())).values("pk"))
    for requirement in SCHOLARSHIP_REQUIREMENTS:
        q &= requirement.condition_on_application(basis, rules)
    return q


def messages(found: Sequence[Shortfall]) -> list[str]:
    return [s.message for s in found]
