"""One home per placement requirement: its Python check, its SQL condition and its messages.

Every requirement is judged against a `Basis`: the programme, one reference date and the planned
return. The reference date is the planned departure (the cohort's, else the programme's), or today
when none is planned or the planned day has passed: age, documents and language results are
measured on that day, the passport from the planned return.

- `check(basis, facts)` is pure: it reads the rows in `facts` (a candidate with their documents,
  language results and enrolments) and never queries. The gates (placements.gates) use it.
- `condition(basis)` is the same rule as a WHERE condition on a Candidate queryset. The eligibility
  shortlist (placements.eligibility) filters with it and explains with `check`, so both agree;
  tests/placements/test_requirements.py proves it at every boundary and over the demo data. Documents,
  training and passport compare the candidate's eligibility facts (placements.models.CandidateFacts:
  per document type the latest day a verified one is valid, the passed hours, the latest passport
  expiry), which the database keeps from the same rows `check` reads (tests/placements/test_facts.py).
- Each shortfall carries the gate's sentence (`message`) and the shortlist's few words (`short`).

Visa and agreement are requirements of a placement rather than of a person: their `check` takes
the placement and their `condition` applies to a Placement queryset.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField, DateField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from candidates.models import Candidate, Document, LanguageResult
from core.choices import DocumentType, Education, LanguageTest, Sex
from core.dates import add_months, age_on, latest_birth_date
from programmes.models import AgreementStage, Programme

from .models import Enrolment, Placement


class Gate:
    """Keys naming each gate; the UI links each to the page where the missing thing is fixed."""

    CONSENT = "consent"
    SCREENING = "screening"
    DOCUMENTS = "documents"
    ENROLMENT = "enrolment"
    TRAINING = "training"
    LANGUAGE = "language"
    SELECTION = "selection"
    PASSPORT = "passport"
    VISA = "visa"
    AGREEMENT = "agreement"
    COHORT = "cohort"
    ARRIVAL = "arrival"
    RETURN = "return"
    REASON = "reason"
    TRANSITION = "transition"
    OPEN_PLACEMENT = "open_placement"

    # Gates fixed on the candidate's page (documents, consent, language results).
    ON_CANDIDATE = {CONSENT, SCREENING, DOCUMENTS, LANGUAGE, PASSPORT}


@dataclass(frozen=True)
class GateFailure:
    gate: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Shortfall:
    """One requirement missed: which, the gate that refuses it, the gate's sentence, the shortlist's words."""

    requirement: str
    gate: str
    message: str
    short: str

    @property
    def failure(self) -> GateFailure:
        return GateFailure(self.gate, self.message)


# Agreement stages at which the MoU is signed and the cooperation runs. Evaluation and renewal
# happen while it keeps running; expired, suspended and terminated agreements send nobody.
SIGNED_AGREEMENT_STAGES: tuple[str, ...] = (
    AgreementStage.MOU_SIGNED,
    AgreementStage.ACTIVE,
    AgreementStage.EVALUATION,
    AgreementStage.RENEWED,
)


# --- dates ---------------------------------------------------------------------------------------


def return_due(programme: Programme, departure: date | None) -> date | None:
    """Departure plus the programme's time away: 5 + 2 + 5 → 12 months; a 36-month contract → 36."""
    months = programme.months_away
    if departure is None or not months:
        return None
    return add_months(departure, months)


def planned_return(placement: Placement) -> date | None:
    """The cohort's return date, else the placement's own, else departure + the programme's months."""
    cohort = placement.cohort
    if cohort is not None and cohort.return_due_on:
        return cohort.return_due_on
    if placement.planned_return_on:
        return placement.planned_return_on
    departure = placement.departed_on
    if departure is None and cohort is not None:
        departure = cohort.actual_departure or cohort.planned_departure
    computed = return_due(placement.programme, departure)
    return computed or placement.contract_end


def reference_date(planned_departure: date | None, today: date) -> date:
    """The day requirements are measured on: the planned departure, or today if none or past."""
    return max(planned_departure, today) if planned_departure else today


@dataclass(frozen=True)
class Basis:
    """What a candidate is measured against: a programme, the reference date, the planned return."""

    programme: Programme
    on: date
    planned_return: date | None
    today: date

    @classmethod
    def for_programme(cls, programme: Programme, *, today: date) -> "Basis":
        """For someone not yet placed: the programme's planned departure and return."""
        on = reference_date(programme.planned_departure, today)
        return cls(programme, on, programme.planned_return_on(on), today)

    @classmethod
    def for_placement(cls, placement: Placement, *, today: date) -> "Basis":
        """For a placement: its cohort's planned departure (else the programme's) and its planned return."""
        cohort = placement.cohort
        planned = cohort.planned_departure if cohort is not None else placement.programme.planned_departure
        return cls(placement.programme, reference_date(planned, today), planned_return(placement), today)

    @property
    def passport_needed(self) -> date | None:
        """The day the passport must still be valid: the planned return plus the programme's margin."""
        if self.planned_return is None:
            return None
        return add_months(self.planned_return, self.programme.passport_months_beyond_return)


@dataclass(frozen=True)
class Facts:
    """The rows a candidate's requirements are checked over (passed in, never queried)."""

    candidate: Candidate
    documents: Sequence[Document] = ()
    language_results: Sequence[LanguageResult] = ()
    # Enrolments in any of the candidate's placements: training passed in an earlier season counts.
    enrolments: Sequence[Enrolment] = ()

    @classmethod
    def of_placement(cls, placement: Placement) -> "Facts":
        """From a placement loaded with placements.selectors.with_gate_data (no query then)."""
        candidate = placement.candidate
        return cls(
            candidate=candidate,
            documents=list(candidate.documents.all()),
            language_results=list(candidate.language_results.all()),
            enrolments=[e for p in candidate.placements.all() for e in p.enrolments.all()],
        )


# The candidate's row of placements.models.CandidateFacts, which the conditions of documents, training
# and passport read (one row per candidate, joined by primary key, kept by the database).
FACTS = "eligibility_facts"


def _holds(comparison) -> Q:
    """A comparison on the facts as a condition that is never NULL, so that its negation (the missing
    list) holds exactly where it fails: a NULL fact (no passport, no such document) is a miss."""
    return Q(Coalesce(comparison, Value(False), output_field=BooleanField()))


def _d(value: date) -> str:
    return date_format(value, "j M Y")


# --- a person's requirements (Python check and SQL condition on Candidate) ------------------------


class Requirement:
    """A rule a candidate meets or misses for a programme."""

    name: str
    gate: str

    def applies(self, programme: Programme) -> bool:
        return True

    def check(self, basis: Basis | None, facts: Facts) -> list[Shortfall]:
        raise NotImplementedError

    def condition(self, basis: Basis) -> Q:
        raise NotImplementedError

    def _miss(self, message: str, short: str) -> Shortfall:
        return Shortfall(self.name, self.gate, message, short)


class Consent(Requirement):
    name, gate = "consent", Gate.CONSENT

    def check(self, basis, facts):
        candidate = facts.candidate
        # Law 27/2022: a person whose processing is restricted at their request, or whose data was
        # erased, is not processed further (no move, no shortlist) whatever their consent.
        if candidate.processing_restricted_on or candidate.erased_at:
            return [self._miss(_("Consent: processing is restricted at the person's request."), _("restricted"))]
        if candidate.has_consent:
            return []
        if candidate.consent_withdrawn_on:
            return [self._miss(_("Consent: the candidate withdrew consent to data processing."), _("no consent"))]
        return [self._miss(_("Consent: the candidate has not given consent to data processing."), _("no consent"))]

    def condition(self, basis):
        return Q(
            consent_given_on__isnull=False,
            consent_withdrawn_on__isnull=True,
            processing_restricted_on__isnull=True,
            erased_at__isnull=True,
        )


def _age_message(basis: Basis, candidate: Candidate) -> str:
    p = basis.programme
    return _("Screening: age %(age)s is outside the programme's %(min)s–%(max)s.") % {
        "age": age_on(candidate.birth_date, basis.on),
        "min": p.min_age,
        "max": p.max_age,
    }


class MinimumAge(Requirement):
    name, gate = "age_min", Gate.SCREENING

    def check(self, basis, facts):
        latest = latest_birth_date(basis.on, basis.programme.min_age)
        # An erased person has no birth date; Consent refuses them already.
        if facts.candidate.birth_date is None or facts.candidate.birth_date <= latest:
            return []
        short = _("age %(age)s, min %(min)s") % {
            "age": age_on(facts.candidate.birth_date, basis.on),
            "min": basis.programme.min_age,
        }
        return [self._miss(_age_message(basis, facts.candidate), short)]

    def condition(self, basis):
        return Q(birth_date__lte=latest_birth_date(basis.on, basis.programme.min_age))


class MaximumAge(Requirement):
    name, gate = "age_max", Gate.SCREENING

    def check(self, basis, facts):
        # Still max_age on the day: not yet max_age + 1.
        too_old = latest_birth_date(basis.on, basis.programme.max_age + 1)
        if facts.candidate.birth_date is None or facts.candidate.birth_date > too_old:
            return []
        short = _("age %(age)s, max %(max)s") % {
            "age": age_on(facts.candidate.birth_date, basis.on),
            "max": basis.programme.max_age,
        }
        return [self._miss(_age_message(basis, facts.candidate), short)]

    def condition(self, basis):
        return Q(birth_date__gt=latest_birth_date(basis.on, basis.programme.max_age + 1))


class RequiredSex(Requirement):
    name, gate = "sex", Gate.SCREENING

    def applies(self, programme):
        return bool(programme.required_sex)

    def check(self, basis, facts):
        p = basis.programme
        if facts.candidate.sex == p.required_sex:
            return []
        message = _("Screening: the programme is for %(sex)s candidates only.") % {
            "sex": p.get_required_sex_display().lower()
        }
        return [self._miss(message, _("needs female") if p.required_sex == Sex.FEMALE else _("needs male"))]

    def condition(self, basis):
        return Q(sex=basis.programme.required_sex)


class MinimumEducation(Requirement):
    name, gate = "education", Gate.SCREENING

    def applies(self, programme):
        return bool(programme.min_education)

    def check(self, basis, facts):
        needs, has = basis.programme.min_education, facts.candidate.education
        if Education.rank(has) >= Education.rank(needs):
            return []
        message = _("Screening: education %(has)s is below the required %(needs)s.") % {
            "has": Education(has).label,
            "needs": Education(needs).label,
        }
        short = _("education %(has)s, needs %(needs)s") % {"has": has.upper(), "needs": needs.upper()}
        return [self._miss(message, short)]

    def condition(self, basis):
        floor = Education.rank(basis.programme.min_education)
        return Q(education__in=[v for v in Education.values if Education.rank(v) >= floor])


def required_document_types(programme: Programme) -> list[str]:
    """The document types a programme requires: its list, and a health certificate when it asks for one."""
    types = list(programme.required_documents)
    if programme.health_certificate_required and DocumentType.HEALTH not in types:
        types.append(DocumentType.HEALTH.value)
    return types


def _document_label(doc_type: str) -> str:
    return str(DocumentType(doc_type).label) if doc_type in DocumentType.values else doc_type


class Documents(Requirement):
    """Every required document type present, verified and valid on the reference date."""

    name, gate = "documents", Gate.DOCUMENTS

    def applies(self, programme):
        return bool(required_document_types(programme))

    @staticmethod
    def _valid_on(doc: Document, day: date) -> bool:
        return doc.verified_at is not None and (doc.expires_on is None or doc.expires_on >= day)

    def check(self, basis, facts):
        by_type: dict[str, list[Document]] = {}
        for doc in facts.documents:
            by_type.setdefault(doc.doc_type, []).append(doc)
        missing, unverified, expired, expiring = [], [], [], []
        for doc_type in required_document_types(basis.programme):
            docs = by_type.get(doc_type, [])
            label = _document_label(doc_type)
            if any(self._valid_on(d, basis.on) for d in docs):
                continue
            verified = [d for d in docs if d.verified_at is not None]
            if not docs:
                missing.append(label)
            elif not verified:
                unverified.append(label)
            elif max(d.expires_on for d in verified) >= basis.today:
                expiring.append(label)  # valid today, not on the planned departure
            else:
                expired.append(label)
        found = []
        if missing:
            names = ", ".join(missing)
            found.append(
                self._miss(_("Documents: missing %(list)s.") % {"list": names}, _("missing %(list)s") % {"list": names})
            )
        if unverified:
            names = ", ".join(unverified)
            found.append(
                self._miss(
                    _("Documents: not verified yet: %(list)s.") % {"list": names},
                    _("not verified: %(list)s") % {"list": names},
                )
            )
        if expired:
            names = ", ".join(expired)
            found.append(
                self._miss(
                    _("Documents: expired: %(list)s.") % {"list": names}, _("expired: %(list)s") % {"list": names}
                )
            )
        if expiring:
            names = ", ".join(expiring)
            found.append(
                self._miss(
                    _("Documents: expire before the planned departure on %(date)s: %(list)s.")
                    % {"date": _d(basis.on), "list": names},
                    _("expires before departure: %(list)s") % {"list": names},
                )
            )
        return found

    def condition(self, basis):
        # From the facts (placements.facts): per type, the latest day a verified document is valid.
        met = Q()
        for doc_type in required_document_types(basis.programme):
            valid_until = Cast(KeyTextTransform(doc_type, f"{FACTS}__documents"), DateField())
            met &= _holds(GreaterThanOrEqual(valid_until, basis.on))
        return met


class LanguageResultRequirement(Requirement):
    """A result of the programme's test, valid on the reference date, at or above its minimum level.

    A programme that names a test without a minimum asks for a valid result of that test.
    """

    name, gate = "language", Gate.LANGUAGE

    def applies(self, programme):
        return bool(programme.language_test)

    @staticmethod
    def meets(test: str, score: int, minimum: int | None) -> bool:
        """JLPT counts down (N1 is the highest, stored as 1); every other test counts up."""
        if minimum is None:
            return True
        return score <= minimum if LanguageTest.lower_is_better(test) else score >= minimum

    @staticmethod
    def best(test: str, scores: Sequence[int]) -> int | None:
        if not scores:
            return None
        return min(scores) if LanguageTest.lower_is_better(test) else max(scores)

    @staticmethod
    def valid(basis: Basis, results: Sequence[LanguageResult]) -> list[LanguageResult]:
        test = basis.programme.language_test
        return [r for r in results if r.test == test and (r.valid_until is None or r.valid_until >= basis.on)]

    def check(self, basis, facts):
        p = basis.programme
        test, minimum = p.language_test, p.min_language_score
        valid = self.valid(basis, facts.language_results)
        if any(self.meets(test, r.score, minimum) for r in valid):
            return []
        label = LanguageTest(test).label
        short_test = LanguageTest.short_name(test) or label
        level = LanguageTest.format_level(test, minimum)
        if not valid and minimum is None:
            return [
                self._miss(
                    _("Language: no valid %(test)s result.") % {"test": label},
                    _("no valid %(test)s result") % {"test": short_test},
                )
            ]
        if not valid:
            return [
                self._miss(
                    _("Language: no valid %(test)s result; needs %(level)s.") % {"test": label, "level": level},
                    _("no valid %(test)s result, needs %(level)s") % {"test": short_test, "level": level},
                )
            ]
        best = LanguageTest.format_level(test, self.best(test, [r.score for r in valid]))
        return [
            self._miss(
                _("Language: %(test)s %(best)s is below the required %(level)s.")
                % {"test": label, "best": best, "level": level},
                _("%(test)s %(has)s, needs %(level)s") % {"test": short_test, "has": best, "level": level},
            )
        ]

    def results(self, basis: Basis) -> QuerySet[LanguageResult]:
        """The results that meet the requirement."""
        p = basis.programme
        results = LanguageResult.objects.filter(test=p.language_test).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=basis.on)
        )
        if p.min_language_score is None:
            return results
        if LanguageTest.lower_is_better(p.language_test):
            return results.filter(score__lte=p.min_language_score)
        return results.filter(score__gte=p.min_language_score)

    def condition(self, basis):
        # EXISTS rather than IN: a semi-join for the eligible list and an anti-join for the missing
        # one, both by the index on (candidate, test, score), instead of hashing every valid result.
        return Q(Exists(self.results(basis).filter(candidate=OuterRef("pk"))))


class TrainingHours(Requirement):
    """Passed training adding up to the programme's minimum hours (in any of the candidate's placements)."""

    name, gate = "training", Gate.TRAINING

    def applies(self, programme):
        return programme.min_training_hours > 0

    @staticmethod
    def hours(enrolments: Sequence[Enrolment]) -> int:
        return sum(e.attended_hours for e in enrolments if e.result == Enrolment.Result.PASSED)

    def check(self, basis, facts):
        hours, needed = self.hours(facts.enrolments), basis.programme.min_training_hours
        if hours >= needed:
            return []
        message = _("Training: %(hours)s attended hours in passed training, the programme requires %(min)s.") % {
            "hours": hours,
            "min": needed,
        }
        return [self._miss(message, _("training %(has)s h, needs %(needs)s h") % {"has": hours, "needs": needed})]

    def condition(self, basis):
        # From the facts: passed hours summed over every season.
        return Q(**{f"{FACTS}__training_hours__gte": basis.programme.min_training_hours})


class PassportValidity(Requirement):
    """A passport valid the programme's months beyond the planned return."""

    name, gate = "passport", Gate.PASSPORT

    @staticmethod
    def latest_expiry(documents: Sequence[Document]) -> date | None:
        dated = [d.expires_on for d in documents if d.doc_type == DocumentType.PASSPORT and d.expires_on]
        return max(dated) if dated else None

    def check(self, basis, facts):
        if not any(d.doc_type == DocumentType.PASSPORT for d in facts.documents):
            return [self._miss(_("Passport: no passport on file."), _("no passport"))]
        needed = basis.passport_needed
        if needed is None:
            message = _("Passport: the planned return is unknown; join a cohort or record the planned return.")
            return [self._miss(message, _("planned return unknown"))]
        expires = self.latest_expiry(facts.documents)
        if expires is None:
            return [self._miss(_("Passport: no expiry date recorded."), _("passport without expiry date"))]
        if expires >= needed:
            return []
        message = _(
            "Passport: expires on %(expires)s; it must be valid until %(needed)s "
            "(%(months)s months beyond the planned return on %(return)s)."
        ) % {
            "expires": _d(expires),
            "needed": _d(needed),
            "months": basis.programme.passport_months_beyond_return,
            "return": _d(basis.planned_return),
        }
        short = _("passport expires before planned return (%(expires)s, needs %(needed)s)") % {
            "expires": _d(expires),
            "needed": _d(needed),
        }
        return [self._miss(message, short)]

    def condition(self, basis):
        needed = basis.passport_needed
        if needed is None:
            return Q(pk__in=[])
        # From the facts: the latest passport expiry, the day `latest_expiry` gives.
        return Q(**{f"{FACTS}__passport_expires_on__gte": needed})


CONSENT = Consent()
MINIMUM_AGE = MinimumAge()
MAXIMUM_AGE = MaximumAge()
SEX = RequiredSex()
EDUCATION = MinimumEducation()
DOCUMENTS = Documents()
LANGUAGE = LanguageResultRequirement()
TRAINING = TrainingHours()
PASSPORT = PassportValidity()

# Everything a person must meet to be placed, in the order the shortlist lists what they miss.
CANDIDATE_REQUIREMENTS: tuple[Requirement, ...] = (
    CONSENT,
    MINIMUM_AGE,
    MAXIMUM_AGE,
    SEX,
    EDUCATION,
    DOCUMENTS,
    LANGUAGE,
    TRAINING,
    PASSPORT,
)


def shortfalls(requirements: Sequence[Requirement], basis: Basis, facts: Facts) -> list[Shortfall]:
    """What `facts` miss of the requirements that apply to the basis' programme, in order."""
    return [s for r in requirements if r.applies(basis.programme) for s in r.check(basis, facts)]


# --- a placement's requirements (Python check on the placement, SQL condition on Placement) -------


class PlacementRequirement:
    name: str
    gate: str

    def check(self, placement: Placement) -> list[Shortfall]:
        raise NotImplementedError

    def condition(self) -> Q:
        raise NotImplementedError


class VisaRecorded(PlacementRequirement):
    name, gate = "visa", Gate.VISA

    def check(self, placement):
        if placement.visa_number and placement.visa_issued_on:
            return []
        return [
            Shortfall(self.name, self.gate, _("Visa: the visa number and issue date are not recorded."), _("no visa"))
        ]

    def condition(self):
        return ~Q(visa_number="") & Q(visa_issued_on__isnull=False)


class AgreementSigned(PlacementRequirement):
    """Nobody departs before the programme's agreement is signed (every programme has one)."""

    name, gate = "agreement", Gate.AGREEMENT

    def check(self, placement):
        agreement = placement.programme.agreement
        if agreement.stage in SIGNED_AGREEMENT_STAGES:
            return []
        message = _(
            "Agreement: %(agreement)s is at “%(stage)s”; departure needs a signed MoU or an active agreement."
        ) % {"agreement": agreement.title, "stage": agreement.get_stage_display()}
        return [Shortfall(self.name, self.gate, message, _("agreement not signed"))]

    def condition(self):
        return Q(programme__agreement__stage__in=SIGNED_AGREEMENT_STAGES)


VISA = VisaRecorded()
AGREEMENT = AgreementSigned()
