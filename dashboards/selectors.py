"""Dashboard reads: a fixed number of aggregate queries, whatever the number of programmes."""

from dataclasses import dataclass

from placements.models import PlacementStage
from placements.selectors import stage_counts_by_programme
from programmes.models import Programme
from programmes.selectors import programme_list


@dataclass
class ProgrammeRow:
    programme: Programme
    stage_counts: list[tuple[str, str, int]]  # (stage value, label, count), pipeline order
    ended_early: int
    total: int


def home_programmes(*, user) -> list[ProgrammeRow]:
    """The programmes in the user's scope with their placement counts per stage (2 queries)."""
    programmes = list(programme_list(user=user).exclude(status=Programme.Status.CLOSED))
    counts = stage_counts_by_programme(user=user, programme_ids=[p.pk for p in programmes])
    rows = []
    for programme in programmes:
        by_stage = counts.get(programme.pk, {})
        stage_counts = [(s.value, s.label, by_stage.get(s.value, 0)) for s in PlacementStage.pipeline()]
        ended = sum(by_stage.get(s.value, 0) for s in PlacementStage.early_ends())
        rows.append(ProgrammeRow(programme, stage_counts, ended, sum(by_stage.values())))
    return rows
