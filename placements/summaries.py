# ruff: noqa: S608 - SQL assembled from this module's constants (table and column names); no input reaches it.
"""Placements counted per programme, municipality, occupation and stage by the database
(core.summaries): each placement contributes one to its StageCount row. The dashboards' funnels and
the board's column counts read it; dashboards.summaries keeps the counts that need the candidate.
"""

from core import summaries as core_summaries
from core.summaries import Summary

from .models import StageCount

PREFIX = "rantau_stages"
PLACEMENT = "placements_placement"


def contributions(placements: str, sign: int) -> str:
    return f"SELECT programme_id, municipality_id, occupation_id, stage, {sign} AS n FROM {placements} p"


STAGES = Summary(
    StageCount,
    ("programme_id", "municipality_id", "occupation_id", "stage"),
    ("n",),
    "stagecount_key",
    lambda: contributions(PLACEMENT, 1),
)


def _placement_statements(new: str, old: str) -> list[str]:
    return [STAGES.apply([contributions(new, 1), contributions(old, -1)])]


WATCHED = {PLACEMENT: _placement_statements}


def install(cursor) -> None:
    core_summaries.install(cursor, PREFIX, WATCHED, [STAGES])


def uninstall(cursor) -> None:
    core_summaries.uninstall(cursor, PREFIX, WATCHED)


def rebuild_all(cursor) -> None:
    """Recount from the rows (seed_bench after its load)."""
    STAGES.rebuild(cursor)


def differences() -> dict[str, list[tuple]]:
    return core_summaries.differences([STAGES])
