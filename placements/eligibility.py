"""The eligibility shortlist: which candidates meet a programme's requirements, and what the others miss.

The requirements are those of placements.requirements, the ones the gates hold: each one's SQL
condition filters the lists, and its Python check, run over the rows of one page, says what each
candidate misses. Reference dates: age, documents and language results on the programme's planned
departure (today if none is planned or it has passed); the passport until the planned return
(departure + months away) plus the programme's margin.

The conditions on documents, training and passport read the candidate's eligibility facts
(placements.models.CandidateFacts, kept by the database), so each list is the municipality's
candidates joined to their facts by key, narrowed by the facts' index: no grouping of documents, no
sum of enrolments. Each list is counted only up to COUNT_CAP rows ("more than 1,000"), both lengths
and the page's ids in one query.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.core.paginator import Page
from django.db import connections
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.access import scope_q, scope_queryset
from candidates.models import Candidate, Document
from core.choices import DocumentType, LanguageTest
from core.paging import MAX_PAGE, KnownCountPaginator
from programmes.models import Programme

from .models import Enrolment, Placement
from .requirements import (
    CANDIDATE_REQUIREMENTS,
    FACTS,
    LANGUAGE,
    PASSPORT,
    TRAINING,
    Basis,
    Facts,
    Requirement,
    age_on,
    required_document_types,
)

PER_PAGE = 25
LISTS = ("eligible", "missing")
# Each list is counted up to here: a longer one says "more than 1,000", its pages go as far as the cap.
COUNT_CAP = 1_000


@dataclass(frozen=True)
class Criteria:
    """A programme's requirements, measured on one basis, as lists of candidates and their shortfalls."""

    programme: Programme
    basis: Basis

    @classmethod
    def for_programme(cls, programme: Programme, *, today: date | None = None) -> "Criteria":
        return cls(programme=programme, basis=Basis.for_programme(programme, today=today or timezone.localdate()))

    @property
    def today(self) -> date:
        return self.basis.today

    @property
    def departure(self) -> date:
        """The reference date: age, documents and language results are taken on this day."""
        return self.basis.on

    @property
    def planned_return(self) -> date | None:
        return self.basis.planned_return

    @property
    def passport_valid_until(self) -> date | None:
        return self.basis.passport_needed

    @cached_property
    def requirements(self) -> list[Requirement]:
        """The requirements that apply to this programme, in the order reasons are listed."""
        return [r for r in CANDIDATE_REQUIREMENTS if r.applies(self.programme)]

    def filter_conditions(self) -> dict[str, Q]:
        """Each requirement as a WHERE condition: columns of the candidate or of their facts (joined by
        key), and for language an EXISTS on the results (a semi-join, an anti-join under NOT)."""
        return {r.name: r.condition(self.basis) for r in self.requirements}

    # --- querysets --------------------------------------------------------------------------------

    def _scoped(self, user) -> QuerySet[Candidate]:
        # The same scope on the facts' copy of the municipality: their index then narrows the rows
        # before the join (the planner cannot know the two columns are equal).
        return scope_queryset(Candidate.objects.all(), user, "municipality").filter(
            scope_q(user, f"{FACTS}__municipality")
        )

    def _open_placement_here(self) -> Exists:
        return Exists(Placement.objects.open().filter(candidate=OuterRef("pk"), programme=self.programme))

    def _base(self, user) -> QuerySet[Candidate]:
        """The user's candidates without an open placement in this programme, by name."""
        return self._scoped(user).filter(~self._open_placement_here()).order_by("full_name", "pk")

    def _all_met(self) -> Q:
        """One condition: the candidate meets every requirement. Documents, training and passport read
        the candidate's facts (one row joined by primary key), language an indexed semi-join, the rest
        the candidate's own columns: no grouping, no sum, whatever the number of candidates."""
        met = Q()
        for condition in self.filter_conditions().values():
            met &= condition
        return met

    def eligible(self, user) -> QuerySet[Candidate]:
        """Candidates who meet every requirement, by name."""
        return self._base(user).filter(self._all_met())

    def ineligible(self, user) -> QuerySet[Candidate]:
        """Candidates who miss at least one requirement, by name."""
        return self._base(user).filter(~self._all_met())

    # --- one page's rows and what they miss --------------------------------------------------------

    def with_reasons(self, candidate_ids: list[int]) -> list[Candidate]:
        """The given candidates (one page), in that order, each with `requirement_facts`: the rows the
        requirements are checked over. A query for the candidates with their documents, one for
        their language results and one for their passed training (each only if the programme asks)."""
        p = self.programme
        types = {*required_document_types(p), DocumentType.PASSPORT}
        prefetches = [Prefetch("documents", queryset=Document.objects.filter(doc_type__in=types))]
        if LANGUAGE.applies(p):
            prefetches.append("language_results")
        rows = Candidate.objects.filter(pk__in=candidate_ids).prefetch_related(*prefetches).in_bulk()
        enrolments: dict[int, list[Enrolment]] = {}
        if TRAINING.applies(p):
            passed = (
                Enrolment.objects.filter(placement__candidate__in=candidate_ids, result=Enrolment.Result.PASSED)
                .order_by()
                .annotate(candidate_id=F("placement__candidate_id"))
            )
            for enrolment in passed:
                enrolments.setdefault(enrolment.candidate_id, []).append(enrolment)
        found = []
        for pk in candidate_ids:
            if pk not in rows:
                continue
            candidate = rows[pk]
            candidate.requirement_facts = Facts(
                candidate=candidate,
                documents=list(candidate.documents.all()),
                language_results=list(candidate.language_results.all()) if LANGUAGE.applies(p) else [],
                enrolments=enrolments.get(pk, []),
            )
            candidate.passport_expires_on = PASSPORT.latest_expiry(candidate.requirement_facts.documents)
            found.append(candidate)
        return found

    def facts(self, candidate: Candidate) -> Facts:
        """The rows loaded by `with_reasons`; for any other candidate, read now (a few queries)."""
        facts = getattr(candidate, "requirement_facts", None)
        if facts is None:
            facts = Facts(
                candidate=candidate,
                documents=list(candidate.documents.all()),
                language_results=list(candidate.language_results.all()),
                enrolments=list(Enrolment.objects.filter(placement__candidate=candidate)),
            )
        return facts

    def shortfalls(self, candidate: Candidate):
        facts = self.facts(candidate)
        return [s for r in self.requirements for s in r.check(self.basis, facts)]

    def reasons(self, candidate: Candidate) -> list[tuple[str, str]]:
        """(requirement, what is missing) for each requirement a candidate from `with_reasons` misses."""
        return [(s.requirement, s.short) for s in self.shortfalls(candidate)]

    def age_of(self, candidate: Candidate) -> int | None:
        return age_on(candidate.birth_date, self.departure) if candidate.birth_date else None

    def language_display(self, candidate: Candidate) -> str:
        test = self.programme.language_test
        if not test:
            return ""
        valid = LANGUAGE.valid(self.basis, self.facts(candidate).language_results)
        best = LANGUAGE.best(test, [r.score for r in valid])
        if best is None:
            return ""
        return f"{LanguageTest.short_name(test)} {LanguageTest.format_level(test, best)}".strip()


# --- the page ------------------------------------------------------------------------------------


class CappedPaginator(KnownCountPaginator):
    """Pages of a list counted up to a cap: "Page 2 of 40+" and links up to the cap when it is longer."""

    def __init__(self, per_page: int, *, count: int, capped: bool):
        super().__init__(per_page, count=count)
        self.capped = capped

    @property
    def pages_label(self) -> str:
        pages = number_format(self.num_pages, force_grouping=True)
        return f"{pages}+" if self.capped else pages


def count_label(count: int, capped: bool) -> str:
    """A list's length for its tab: "25", or "more than 1,000" when it was counted only up to the cap."""
    text = number_format(count, force_grouping=True)
    return _("more than %(count)s") % {"count": text} if capped else text


@dataclass
class ShortlistPage:
    criteria: Criteria
    shown: str  # "eligible" or "missing"
    page: Page
    counts: dict[str, int]  # each list's length, up to the cap
    rows: list[dict]
    capped: dict[str, bool] = field(default_factory=dict)  # whether a list is longer than the cap

    @property
    def count_labels(self) -> dict[str, str]:
        return {name: count_label(n, self.capped.get(name, False)) for name, n in self.counts.items()}


def _sql(queryset: QuerySet) -> tuple[str, tuple]:
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def _capped_lists(lists: dict[str, QuerySet], shown: str, number: int, cap: int) -> tuple[dict[str, int], list[int]]:
    """In one query: each list's length counted up to cap + 1 rows (each scan stops there), and the
    ids of page `number` of the list shown (past the end: the last page, in a second query).

    The eligible list is short by nature (who meets everything): it is read once, in order, up to
    the cap, and both its length and the page come from those ids. The missing list is long: its page
    walks the name index and stops after a page, its length is counted without an order."""
    other = next(name for name in lists if name != shown)
    count = "(SELECT COUNT(*) FROM ({}) AS capped)"
    rest, rest_params = _sql(lists[other].order_by().values("pk")[: cap + 1])
    start = (number - 1) * PER_PAGE
    if shown == "eligible":
        first, first_params = _sql(lists[shown].values("pk")[: cap + 1])
        parts, params = [f"ARRAY({first})", count.format(rest)], first_params + rest_params
    else:
        page, page_params = _sql(lists[shown].values("pk")[start : start + PER_PAGE])
        mine, mine_params = _sql(lists[shown].order_by().values("pk")[: cap + 1])
        parts = [f"ARRAY({page})", count.format(rest), count.format(mine)]
        params = page_params + rest_params + mine_params
    with connections[lists[shown].db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)  # noqa: S608 - SQL Django compiled, values are params
        ids, other_count, *shown_count = cursor.fetchone()
    counted = {shown: shown_count[0] if shown_count else len(ids), other: other_count}
    pages = max(1, -(-min(counted[shown], cap) // PER_PAGE))
    if number > pages:
        # A page past the end (a stale link) or past the cap: the last page counted.
        start = (pages - 1) * PER_PAGE
        if shown == "missing":
            ids = list(lists[shown].values_list("pk", flat=True)[start : start + PER_PAGE])
    if shown == "eligible":
        ids = ids[start : min(start + PER_PAGE, cap)]
    return counted, ids


def shortlist_page(
    *, user, programme: Programme, shown: str | None, page: str | None, count_cap: int | None = None
) -> ShortlistPage:
    """One page of the eligible or the missing list, each row with the candidate's age on departure,
    best language level and what they miss, and the length of both lists counted up to `count_cap`
    (COUNT_CAP): past it the tab says "more than 1,000" and the pages go as far as the cap."""
    cap = count_cap or COUNT_CAP
    criteria = Criteria.for_programme(programme)
    shown = shown if shown in LISTS else "eligible"
    lists = {"eligible": criteria.eligible(user), "missing": criteria.ineligible(user)}
    try:
        wanted = min(max(int(page or 1), 1), MAX_PAGE)
    except (TypeError, ValueError):
        wanted = 1
    counted, ids = _capped_lists(lists, shown, wanted, cap)
    paginators = {name: CappedPaginator(PER_PAGE, count=min(n, cap), capped=n > cap) for name, n in counted.items()}
    paginator = paginators[shown]
    # A page past the end (a stale link) or past the cap shows the last page counted.
    wanted = min(wanted, paginator.num_pages)
    rows = [
        {
            "candidate": c,
            "age": criteria.age_of(c),
            "language": criteria.language_display(c),
            "reasons": criteria.reasons(c),
        }
        for c in criteria.with_reasons(ids)
    ]
    return ShortlistPage(
        criteria=criteria,
        shown=shown,
        page=Page(ids, wanted, paginator),
        counts={name: p.count for name, p in paginators.items()},
        rows=rows,
        capped={name: p.capped for name, p in paginators.items()},
    )


def can_start_placements(user, programme: Programme) -> bool:
    """Whether the shortlist offers `user` to start placements in `programme`."""
    return user.has_perm("placements.add_placement") and programme.status != Programme.Status.CLOSED
