"""Reads of placements, training and cohorts, scoped to the user's municipality."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext

from accounts.access import get_for_user, scope_queryset
from candidates.models import Document
from core.choices import DocumentType

from .gates import COHORT_STAGES, EARLY_ENDS, ENROLLABLE_STAGES, PIPELINE
from .models import (
    Cohort,
    Enrolment,
    Placement,
    PlacementStage,
    PlacementStageEvent,
    StageCount,
    TrainingBatch,
    TrainingProvider,
)

# Cards shown per board column; the column's link opens the filtered list for the rest.
BOARD_CARDS_PER_STAGE = 10
ENDED = "ended"


def placement_list(*, user) -> QuerySet[Placement]:
    qs = Placement.objects.select_related("candidate", "programme", "occupation", "municipality", "cohort")
    return scope_queryset(qs, user, "municipality")


@dataclass
class CountRow:
    municipality: str
    programme: str
    counts: list[int]  # one per column of placement_counts' stages
    total: int


@dataclass
class PlacementCounts:
    stages: list[tuple[str, str]]  # (stage or "ended", label)
    rows: list[CountRow]
    totals: list[int]
    total: int


def placement_counts(*, queryset: QuerySet[Placement]) -> PlacementCounts:
    """Counts of the filtered placements per municipality, programme and stage, in one query: what
    a user who reads counts only (the national viewer) sees where others see the list of people."""
    stages = [(s.value, str(s.label)) for s in PlacementStage.pipeline()] + [(ENDED, gettext("Ended early"))]
    column = {value: i for i, (value, _label) in enumerate(stages)}
    column.update(dict.fromkeys(EARLY_ENDS, column[ENDED]))
    grouped: dict[tuple[str, str], list[int]] = {}
    for municipality, programme, stage, n in (
        queryset.order_by()
        .values_list("municipality__name", "programme__name", "stage")
        .annotate(n=Count("*"))
        .order_by("municipality__name", "programme__name")
    ):
        counts = grouped.setdefault((municipality or "", programme), [0] * len(stages))
        counts[column[stage]] += n
    rows = [CountRow(m, p, counts, sum(counts)) for (m, p), counts in grouped.items()]
    totals = [sum(r.counts[i] for r in rows) for i in range(len(stages))]
    return PlacementCounts(stages=stages, rows=rows, totals=totals, total=sum(totals))


def get_placement_for_user(user, pk, *, write: bool = False) -> Placement:
    return get_for_user(
        Placement.objects.select_related("candidate", "programme", "programme__agreement", "occupation", "cohort"),
        user,
        pk,
        field="municipality",
        write_perm="placements.change_placement" if write else None,
    )


def with_gate_data(qs: QuerySet[Placement]) -> QuerySet[Placement]:
    """Everything placements.gates reads, in a constant number of queries for any number of rows:
    the candidate's documents, language results and the enrolments of all their placements (training
    passed in an earlier season counts), and the programme's agreement (no departure unsigned)."""
    return qs.select_related("candidate", "programme__agreement", "cohort", "occupation").prefetch_related(
        "candidate__documents",
        "candidate__language_results",
        "enrolments",
        Prefetch("candidate__placements", queryset=Placement.objects.only("pk", "candidate_id")),
        "candidate__placements__enrolments",
    )


def get_placement_with_gate_data(user, pk, *, write: bool = False) -> Placement:
    return get_for_user(
        with_gate_data(Placement.objects.select_related("programme__agreement", "municipality")),
        user,
        pk,
        field="municipality",
        write_perm="placements.change_placement" if write else None,
    )


def placement_history(*, placement: Placement) -> QuerySet[PlacementStageEvent]:
    return placement.stage_events.select_related("moved_by").order_by("moved_at", "pk")


def stage_counts_by_programme(*, user, programme_ids=None) -> dict[int, dict[str, int]]:
    """{programme_id: {stage: count}} for the user's placements, in one aggregate query."""
    qs = scope_queryset(Placement.objects.all(), user, "municipality")
    if programme_ids is not None:
        qs = qs.filter(programme_id__in=programme_ids)
    counts: dict[int, dict[str, int]] = {}
    for row in qs.values("programme_id", "stage").annotate(n=Count("*")).order_by():
        counts.setdefault(row["programme_id"], {})[row["stage"]] = row["n"]
    return counts


# --- the pipeline board ------------------------------------------------------------------------


# Columns the board folds even when they hold placements (see BoardColumn.folded).
BOARD_FOLDED_STAGES = ("abroad", "returned", ENDED)


@dataclass
class BoardColumn:
    stage: str  # a stage value, or "ended" for every early end
    label: str
    count: int
    cards: list[Placement] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.cards)

    @property
    def folded(self) -> bool:
        """Drawn narrow, as its count: an empty column, or one of the stages after departure (their
        work is on the protection pages), so that the board fits a 1366 px screen."""
        return not self.count or self.stage in BOARD_FOLDED_STAGES


@dataclass
class Board:
    columns: list[BoardColumn]

    @property
    def total(self) -> int:
        return sum(c.count for c in self.columns)


# The filters StageCount holds as keys: a board filtered by these alone reads its counts there.
SUMMARY_FILTERS = {"programme", "occupation", "municipality"}


def summary_stage_counts(*, user, filters: dict) -> dict[str, int] | None:
    """{stage: count} from the stage counts (placements.summaries) for the user's placements matching
    `filters` (a filter form's cleaned data), or None when a filter is not one of their keys."""
    active = {name: value for name, value in filters.items() if value not in (None, "", [])}
    if not active.keys() <= SUMMARY_FILTERS:
        return None
    rows = scope_queryset(StageCount.objects.filter(**active), user, "municipality")
    return {stage: n for stage, n in rows.values_list("stage").annotate(n=Sum("n")).order_by() if n}


def placement_board(
    *, queryset: QuerySet[Placement], per_stage: int = BOARD_CARDS_PER_STAGE, counts: dict[str, int] | None = None
) -> Board:
    """Counts per stage and the newest cards of each column, in two queries whatever the row count.

    1. counts: `counts` when the caller read them from the stage counts (summary_stage_counts), else
       one GROUP BY stage over the filtered placements;
    2. cards: one UNION ALL of a LIMITed query per column (each served by placement_board_idx),
       so the database never reads more than `per_stage` rows per column.
    """
    base = queryset.order_by()
    if counts is None:
        # COUNT(*) rather than COUNT(id): nothing to read but the stage, so PostgreSQL can answer
        # from placement_muni_stage_idx alone (index-only scan) instead of the table.
        counts = dict(base.values_list("stage").annotate(n=Count("*")))
    columns = [BoardColumn(s.value, str(s.label), counts.get(s.value, 0)) for s in PlacementStage.pipeline()]
    columns.append(BoardColumn(ENDED, gettext("Ended early"), sum(counts.get(s, 0) for s in EARLY_ENDS)))
    parts = []
    for column in columns:
        if not column.count:
            continue
        stages = EARLY_ENDS if column.stage == ENDED else [column.stage]
        parts.append(
            queryset.select_related("candidate", "occupation")
            .filter(stage__in=stages)
            .order_by("-stage_changed_at", "-pk")[:per_stage]
        )
    if parts:
        by_column: dict[str, list[Placement]] = {}
        for placement in parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]:
            key = ENDED if placement.stage in EARLY_ENDS else placement.stage
            by_column.setdefault(key, []).append(placement)
        for column in columns:
            column.cards = by_column.get(column.stage, [])
    return Board(columns)


# --- next season -------------------------------------------------------------------------------


def next_season_returnees(*, user, programme) -> QuerySet[Placement]:
    """Returnees of a seasonal programme who completed in good standing and were not invited yet."""
    invited = Placement.objects.filter(previous_placement__isnull=False).values("previous_placement_id")
    open_here = Placement.objects.open().filter(programme=programme).values("candidate_id")
    qs = (
        placement_list(user=user)
        .filter(
            programme=programme,
            stage=PlacementStage.RETURNED,
            return_outcome=Placement.ReturnOutcome.COMPLETED,
        )
        .exclude(pk__in=invited)
        .exclude(candidate_id__in=open_here)
        .filter(candidate__consent_given_on__isnull=False, candidate__consent_withdrawn_on__isnull=True)
        .order_by("candidate__full_name", "pk")
    )
    return qs


# --- training ----------------------------------------------------------------------------------


def provider_list(*, user) -> QuerySet[TrainingProvider]:
    return scope_queryset(TrainingProvider.objects.all(), user, "municipality", include_national=True)


def get_provider_for_user(user, pk, *, write: bool = False) -> TrainingProvider:
    return get_for_user(
        TrainingProvider.objects.all(),
        user,
        pk,
        field="municipality",
        include_national=True,
        write_perm="placements.change_trainingprovider" if write else None,
    )


def batch_list(*, user) -> QuerySet[TrainingBatch]:
    qs = TrainingBatch.objects.select_related("provider", "programme").annotate(
        enrolled=Count("enrolments", distinct=True)
    )
    return scope_queryset(qs, user, "municipality", include_national=True)


def open_batches(*, user, programme_id: int) -> QuerySet[TrainingBatch]:
    """Batches of a programme that may still take someone: not ended, with a seat left (counting
    every office's enrolments). What the enrol forms offer; the service checks it again."""
    return (
        TrainingBatch.objects.select_related("provider")
        .annotate(enrolled=Count("enrolments", distinct=True))
        .filter(programme_id=programme_id, ends_on__gte=timezone.localdate(), enrolled__lt=F("capacity"))
        .filter(pk__in=scope_queryset(TrainingBatch.objects.all(), user, "municipality", include_national=True))
        .order_by("starts_on", "name", "pk")
    )


def get_batch_for_user(user, pk, *, write: bool = False) -> TrainingBatch:
    return get_for_user(
        TrainingBatch.objects.select_related("provider", "programme", "municipality"),
        user,
        pk,
        field="municipality",
        include_national=True,
        write_perm="placements.change_trainingbatch" if write else None,
    )


@dataclass(frozen=True)
class Seats:
    taken: int
    left: int


def batch_seats(*, batch: TrainingBatch) -> Seats:
    """Seats taken in the batch by every office (a national batch serves several) and seats left."""
    taken = batch.enrolments.count()
    return Seats(taken=taken, left=max(batch.capacity - taken, 0))


def batch_enrolments(*, batch: TrainingBatch, user) -> QuerySet[Enrolment]:
    """The batch's enrolments the user may see (a national batch serves several offices)."""
    qs = batch.enrolments.select_related("placement", "placement__candidate", "placement__occupation")
    return scope_queryset(qs, user, "placement__municipality").order_by("placement__candidate__full_name", "pk")


def get_enrolment_for_user(user, pk, *, write: bool = False) -> Enrolment:
    return get_for_user(
        Enrolment.objects.select_related("batch", "placement", "placement__candidate"),
        user,
        pk,
        field="placement__municipality",
        write_perm="placements.change_enrolment" if write else None,
    )


def enrollable_placements(*, batch: TrainingBatch, user, q: str = "", stage: str = "") -> QuerySet[Placement]:
    """Open placements of the batch's programme, not enrolled in it, that may still train."""
    qs = (
        placement_list(user=user)
        .filter(programme_id=batch.programme_id, stage__in=ENROLLABLE_STAGES)
        .exclude(enrolments__batch=batch)
        .order_by("candidate__full_name", "pk")
    )
    if stage in ENROLLABLE_STAGES:
        qs = qs.filter(stage=stage)
    if q:
        qs = qs.filter(candidate__full_name__icontains=q)
    return qs


# --- cohorts -----------------------------------------------------------------------------------


def cohort_list(*, user) -> QuerySet[Cohort]:
    return scope_queryset(Cohort.objects.select_related("programme"), user, "municipality")


def cohort_list_with_counts(*, user) -> QuerySet[Cohort]:
    """Cohorts with `members`: their placements that did not end early."""
    return (
        cohort_list(user=user)
        .annotate(members=Count("placements", filter=~Q(placements__stage__in=EARLY_ENDS)))
        .order_by("-planned_departure", "name", "pk")
    )


def get_cohort_for_user(user, pk, *, write: bool = False) -> Cohort:
    return get_for_user(
        Cohort.objects.select_related("programme", "municipality"),
        user,
        pk,
        field="municipality",
        write_perm="placements.change_cohort" if write else None,
    )


def cohort_members(*, cohort: Cohort, user) -> QuerySet[Placement]:
    return placement_list(user=user).filter(cohort=cohort).order_by("candidate__full_name", "pk")


def cohort_candidates(*, cohort: Cohort, user) -> QuerySet[Placement]:
    """Selected placements of the cohort's programme and office that could join it."""
    return (
        placement_list(user=user)
        .filter(programme_id=cohort.programme_id, municipality_id=cohort.municipality_id, stage__in=COHORT_STAGES)
        .filter(Q(cohort__isnull=True) | Q(cohort__actual_departure__isnull=True))
        .exclude(cohort=cohort)
        .order_by("candidate__full_name", "pk")
    )


def manifest_placements(*, cohort: Cohort, user) -> list[Placement]:
    """The cohort's travellers (not those who ended early), each with `passport` set to their newest passport."""
    passports = Prefetch(
        "candidate__documents",
        queryset=Document.objects.filter(doc_type=DocumentType.PASSPORT).order_by("-expires_on", "-pk"),
        to_attr="passports",
    )
    rows = list(cohort_members(cohort=cohort, user=user).exclude(stage__in=EARLY_ENDS).prefetch_related(passports))
    for placement in rows:
        placement.passport = placement.candidate.passports[0] if placement.candidate.passports else None
    return rows


def cohort_stage_counts(*, cohort: Cohort, user) -> dict[str, int]:
    qs = cohort_members(cohort=cohort, user=user).order_by()
    return dict(qs.values_list("stage").annotate(n=Count("*")))


def upcoming_departures(*, user, days: int = 60) -> QuerySet[Cohort]:
    today = timezone.localdate()
    return cohort_list(user=user).filter(
        actual_departure__isnull=True, planned_departure__range=(today, today + timedelta(days=days))
    )


def pipeline_index(stage: str) -> int:
    return PIPELINE.index(stage) if stage in PIPELINE else -1
