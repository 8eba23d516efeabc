"""The eligibility shortlist: which candidates meet a programme's requirements, and what the others miss.

Each requirement is one SQL condition over Candidate (with EXISTS / subqueries on Document,
LanguageResult and Enrolment), so a list is one query whatever the number of candidates, and the
reasons shown for a page of candidates come from the booleans and values annotated on those rows.

Reference dates: age is taken on the programme's planned departure (today if none); the passport
must be valid until the planned return (departure + months away) plus the programme's margin;
language results and health certificates must be valid today.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.access import scope_queryset
from candidates.models import Candidate, Document, LanguageResult
from core.choices import DocumentType, Education, LanguageTest, Sex
from core.dates import add_months
from programmes.models import Programme

from .models import Enrolment, Placement

# The order in which requirements are checked and reasons listed.
REQUIREMENTS = ["consent", "age_min", "age_max", "sex", "education", "language", "training", "health", "passport"]


@dataclass(frozen=True)
class Criteria:
    """A programme's requirements turned into dates and values to compare candidates with."""

    programme: Programme
    today: date
    departure: date  # age is taken on this day
    planned_return: date
    passport_valid_until: date
    born_on_or_before: date  # old enough: min_age reached by departure
    born_after: date  # young enough: max_age + 1 not reached by departure
    education_values: tuple[str, ...] | None

    @classmethod
    def for_programme(cls, programme: Programme, *, today: date | None = None) -> "Criteria":
        today = today or timezone.localdate()
        departure = programme.planned_departure or today
        planned_return = programme.planned_return_on(departure)
        education = None
        if programme.min_education:
            floor = Education.rank(programme.min_education)
            education = tuple(v for v in Education.values if Education.rank(v) >= floor)
        return cls(
            programme=programme,
            today=today,
            departure=departure,
            planned_return=planned_return,
            passport_valid_until=add_months(planned_return, programme.passport_months_beyond_return),
            born_on_or_before=add_months(departure, -12 * programme.min_age),
            born_after=add_months(departure, -12 * (programme.max_age + 1)),
            education_values=education,
        )

    # --- the requirements ---------------------------------------------------------------------------

    def _requirements(self) -> dict[str, Q | tuple[QuerySet, str]]:
        """Each requirement of the programme, in REQUIREMENTS order: a Q over the candidate's own
        columns, or (rows that satisfy it, the column naming their candidate)."""
        p = self.programme
        found: dict[str, Q | tuple[QuerySet, str]] = {
            "consent": Q(consent_given_on__isnull=False, consent_withdrawn_on__isnull=True),
            "age_min": Q(birth_date__lte=self.born_on_or_before),
            "age_max": Q(birth_date__gt=self.born_after),
        }
        if p.required_sex:
            found["sex"] = Q(sex=p.required_sex)
        if self.education_values is not None:
            found["education"] = Q(education__in=self.education_values)
        if p.language_test:
            results = self._valid_language_results()
            if p.min_language_score is not None:
                if LanguageTest.lower_is_better(p.language_test):
                    results = results.filter(score__lte=p.min_language_score)
                else:
                    results = results.filter(score__gte=p.min_language_score)
            found["language"] = (results, "candidate")
        if p.min_training_hours:
            trained = (
                Enrolment.objects.filter(result=Enrolment.Result.PASSED)
                .order_by()
                .values("placement__candidate")
                .annotate(total=Sum("attended_hours"))
                .filter(total__gte=p.min_training_hours)
            )
            found["training"] = (trained, "placement__candidate")
        if p.health_certificate_required:
            health = Document.objects.filter(doc_type=DocumentType.HEALTH).filter(
                Q(expires_on__isnull=True) | Q(expires_on__gte=self.today)
            )
            found["health"] = (health, "candidate")
        passport = Document.objects.filter(doc_type=DocumentType.PASSPORT, expires_on__gte=self.passport_valid_until)
        found["passport"] = (passport, "candidate")
        return found

    def filter_conditions(self) -> dict[str, Q]:
        """The requirements as WHERE conditions: `id IN (uncorrelated subquery)`, which PostgreSQL
        runs once (a semi-join, or a hashed subplan under NOT), instead of once per candidate."""
        return {
            name: req if isinstance(req, Q) else Q(pk__in=req[0].values(req[1]))
            for name, req in self._requirements().items()
        }

    def row_conditions(self) -> dict[str, Q | Exists]:
        """The same requirements as correlated EXISTS, cheap for the few rows of one page."""
        return {
            name: req if isinstance(req, Q) else Exists(req[0].filter(**{req[1]: OuterRef("pk")}))
            for name, req in self._requirements().items()
        }

    def _valid_language_results(self) -> QuerySet[LanguageResult]:
        return LanguageResult.objects.filter(test=self.programme.language_test).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=self.today)
        )

    def _training_hours(self) -> Subquery:
        """Hours attended in passed courses, over all the candidate's placements (prior training counts)."""
        hours = (
            Enrolment.objects.filter(placement__candidate=OuterRef("pk"), result=Enrolment.Result.PASSED)
            .order_by()
            .values("placement__candidate")
            .annotate(total=Sum("attended_hours"))
            .values("total")
        )
        return Coalesce(Subquery(hours, output_field=IntegerField()), Value(0))

    def _open_placement_here(self) -> Exists:
        return Exists(Placement.objects.open().filter(candidate=OuterRef("pk"), programme=self.programme))

    # --- querysets --------------------------------------------------------------------------------

    def _scoped(self, user) -> QuerySet[Candidate]:
        return scope_queryset(Candidate.objects.all(), user, "municipality")

    def _base(self, user) -> QuerySet[Candidate]:
        """The user's candidates without an open placement in this programme, by name."""
        return self._scoped(user).filter(~self._open_placement_here()).order_by("full_name", "pk")

    def _all_met(self, user) -> Q:
        """One condition: the candidate meets every requirement."""
        conditions = self.filter_conditions()
        training = conditions.pop("training", None)
        met = Q()
        for condition in conditions.values():
            met &= condition
        if training is None:
            return met
        # Summing training hours over every enrolment costs more than all the other checks together,
        # so sum only for the candidates who meet the rest: the subquery then holds exactly the
        # eligible candidates, and its single IN stands for every requirement.
        trained, candidate_field = self._requirements()["training"]
        pool = self._scoped(user).filter(met).values("pk")
        return Q(pk__in=trained.filter(**{f"{candidate_field}__in": pool}).values(candidate_field))

    def candidates(self, user) -> QuerySet[Candidate]:
        """Everyone the shortlist considers (eligible or not)."""
        return self._base(user)

    def eligible(self, user) -> QuerySet[Candidate]:
        """Candidates who meet every requirement, by name."""
        return self._base(user).filter(self._all_met(user))

    def ineligible(self, user) -> QuerySet[Candidate]:
        """Candidates who miss at least one requirement, by name."""
        return self._base(user).filter(~self._all_met(user))

    def with_reasons(self, candidate_ids: list[int]) -> list[Candidate]:
        """The given candidates (one page), in that order, with `meets_<requirement>` and the values
        the reasons quote annotated. One query; a separate one so that PostgreSQL plans the
        per-row subqueries for these few rows rather than for the whole list."""
        rows = self._annotated(Candidate.objects.filter(pk__in=candidate_ids)).in_bulk()
        return [rows[pk] for pk in candidate_ids if pk in rows]

    def _annotated(self, qs: QuerySet[Candidate]) -> QuerySet[Candidate]:
        """Each requirement as a boolean `meets_<name>`, and the values the reasons quote.

        Select-list expressions are computed only for the rows of the page fetched.
        """
        annotations = {
            f"meets_{name}": ExpressionWrapper(condition, output_field=BooleanField())
            for name, condition in self.row_conditions().items()
        }
        p = self.programme
        if p.language_test:
            best = Min("score") if LanguageTest.lower_is_better(p.language_test) else Max("score")
            annotations["best_language_score"] = Subquery(
                self._valid_language_results()
                .filter(candidate=OuterRef("pk"))
                .order_by()
                .values("candidate")
                .annotate(best=best)
                .values("best"),
                output_field=IntegerField(),
            )
        annotations["passport_expires_on"] = Subquery(
            Document.objects.filter(candidate=OuterRef("pk"), doc_type=DocumentType.PASSPORT)
            .order_by()
            .values("candidate")
            .annotate(latest=Max("expires_on"))
            .values("latest")
        )
        if p.min_training_hours:
            annotations["training_hours_total"] = self._training_hours()
        return qs.annotate(**annotations)

    # --- reasons ----------------------------------------------------------------------------------

    def age_of(self, candidate: Candidate) -> int:
        born, on = candidate.birth_date, self.departure
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    def language_display(self, candidate: Candidate) -> str:
        score = getattr(candidate, "best_language_score", None)
        if score is None:
            return ""
        test = self.programme.language_test
        return f"{LanguageTest.short_name(test)} {LanguageTest.format_level(test, score)}".strip()

    def reasons(self, candidate: Candidate) -> list[tuple[str, str]]:
        """(requirement, message) for each requirement an annotated candidate misses."""
        missing = []
        for name in REQUIREMENTS:
            met = getattr(candidate, f"meets_{name}", True)
            if not met:
                missing.append((name, self._message(name, candidate)))
        return missing

    def _message(self, name: str, candidate: Candidate) -> str:
        p = self.programme
        if name == "consent":
            return _("no consent")
        if name == "age_min":
            return _("age %(age)s, min %(min)s") % {"age": self.age_of(candidate), "min": p.min_age}
        if name == "age_max":
            return _("age %(age)s, max %(max)s") % {"age": self.age_of(candidate), "max": p.max_age}
        if name == "sex":
            return _("needs female") if p.required_sex == Sex.FEMALE else _("needs male")
        if name == "education":
            return _("education %(has)s, needs %(needs)s") % {
                "has": candidate.education.upper(),
                "needs": p.min_education.upper(),
            }
        if name == "language":
            test = LanguageTest.short_name(p.language_test) or LanguageTest(p.language_test).label
            score = getattr(candidate, "best_language_score", None)
            if score is None or p.min_language_score is None:
                if p.min_language_score is None:
                    return _("no valid %(test)s result") % {"test": test}
                return _("no valid %(test)s result, needs %(level)s") % {"test": test, "level": p.min_language_display}
            return _("%(test)s %(has)s, needs %(level)s") % {
                "test": test,
                "has": LanguageTest.format_level(p.language_test, score),
                "level": p.min_language_display,
            }
        if name == "training":
            return _("training %(has)s h, needs %(needs)s h") % {
                "has": getattr(candidate, "training_hours_total", 0),
                "needs": p.min_training_hours,
            }
        if name == "health":
            return _("no health certificate")
        if name == "passport":
            expires = getattr(candidate, "passport_expires_on", None)
            if expires is None:
                return _("no passport")
            return _("passport expires before planned return (%(expires)s, needs %(needed)s)") % {
                "expires": date_format(expires, "j M Y"),
                "needed": date_format(self.passport_valid_until, "j M Y"),
            }
        raise ValueError(name)
