# ruff: noqa: S608 - SQL assembled from this module's constants (table, column and stage names); no input reaches it.
"""The summary tables' one home: what each counts, the triggers that keep them, the recount.

Every summary row is a sum of *contributions* (core.summaries): each placement contributes +1 to its
profile rows (sex, education, kecamatan, months, days to departure, Ready day) and to its birth
count; each enrolment to its provider count; each candidate to its municipality count. The SELECTs
that list contributions are written once, below, over a relation name:

- the recount (`rebuild_all`, and the tests' `recount`) runs them over the tables themselves;
- the triggers run them over PostgreSQL's transition tables: +1 for the rows a statement wrote
  (NEW TABLE), -1 for the rows it replaced or removed (OLD TABLE), summed per key, so a statement
  moving 10,000 placements changes each summary row once, in key order (no deadlock between two
  bulk moves), in the same transaction as the rows. Bulk updates, imports, the admin, erasure and
  deletions all go through the same statement-level triggers; only TRUNCATE (tests' flush, which
  truncates the summaries too) and `session_replication_role = replica` (seed_bench, which then
  calls `rebuild_all`) pass them by.

What changes a placement's contributions, and so which tables carry triggers:
placements (its own columns), candidates (sex, education, kecamatan, birth date, erased band),
stage events (the Ready day), enrolments and training batches (provider counts), and candidates'
municipality (candidate counts).

A change here means a new migration that calls `install` again (it replaces functions and triggers).
"""

from django.conf import settings

from core import summaries as core_summaries
from core.summaries import Summary, sql_list
from placements.models import PlacementStage

from .models import BirthCount, CandidateCount, EnrolmentCount, ProfileCount

PREFIX = "rantau_summary"  # every function and trigger this module installs starts with it

PIPELINE = [s.value for s in PlacementStage.pipeline()]


def stages_from(stage: str) -> list[str]:
    """The pipeline stages at or after `stage`: "reached `stage`" means being in one of them."""
    return PIPELINE[PIPELINE.index(stage) :]


DEPARTED_STAGES = stages_from(PlacementStage.DEPARTED)
READY_STAGES = stages_from(PlacementStage.READY)


PLACEMENT = "placements_placement"
CANDIDATE = "candidates_candidate"
EVENT = "placements_placementstageevent"
ENROLMENT = "placements_enrolment"
BATCH = "placements_trainingbatch"


def _ready_day(placement_alias: str, events: str = EVENT) -> str:
    """The local day of the placement's latest move to Ready (NULL if none) in `events`."""
    return (
        f"(SELECT (max(e.moved_at) AT TIME ZONE '{settings.TIME_ZONE}')::date FROM {events} e "
        f"WHERE e.placement_id = {placement_alias}.id AND e.to_stage = 'ready')"
    )


def placement_rows(placements: str, candidates: str = CANDIDATE, ready_day: str | None = None) -> str:
    """One row per placement of `placements` with the candidate's attributes from `candidates`."""
    ready = ready_day or _ready_day("p")
    return f"""
        SELECT p.id, p.programme_id, p.municipality_id, p.occupation_id, p.stage, p.registered_on,
               p.departed_on, c.sex, c.education, c.kecamatan_code, c.birth_date, c.erased_age_band,
               p.stage IN {sql_list(DEPARTED_STAGES)} AS reached_departure,
               CASE WHEN p.stage IN {sql_list(READY_STAGES)} THEN {ready} END AS ready_day
        FROM {placements} p JOIN {candidates} c ON c.id = p.candidate_id"""


# --- contributions: (key columns..., n[, departed]) of a relation of placement rows, times `sign` ---


def profile_contributions(rows: str, sign: int, *, only: str | None = None) -> str:
    """Each placement's profile rows; `only` keeps one dimension."""
    only_clause = f" AND d.dimension = '{only}'" if only else ""
    return f"""
        SELECT r.programme_id, r.municipality_id, d.dimension, d.value, {sign} AS n,
               CASE WHEN r.reached_departure THEN {sign} ELSE 0 END AS departed
        FROM ({rows}) r CROSS JOIN LATERAL (VALUES
            ('sex', r.sex),
            ('edu', r.education),
            ('kec', r.kecamatan_code),
            ('reg', to_char(r.registered_on, 'YYYY-MM-01')),
            ('dep', to_char(r.departed_on, 'YYYY-MM-01')),
            ('days', CASE WHEN r.reached_departure THEN (r.departed_on - r.registered_on)::text END),
            ('nodt', CASE WHEN r.reached_departure AND r.departed_on IS NULL THEN '' END),
            ('ready', to_char(r.ready_day, 'YYYY-MM-DD'))
        ) AS d(dimension, value)
        WHERE d.value IS NOT NULL{only_clause}"""


def birth_contributions(rows: str, sign: int) -> str:
    return f"""
        SELECT programme_id, municipality_id, birth_date, erased_age_band, {sign} AS n,
               CASE WHEN reached_departure THEN {sign} ELSE 0 END AS departed
        FROM ({rows}) r"""


def enrolment_contributions(sign: int, enrolments: str = ENROLMENT, batches: str = BATCH, placements: str = PLACEMENT):
    return f"""
        SELECT b.programme_id, p.municipality_id, b.provider_id, e.result, {sign} AS n
        FROM {enrolments} e JOIN {batches} b ON b.id = e.batch_id JOIN {placements} p ON p.id = e.placement_id"""


def candidate_contributions(candidates: str, sign: int) -> str:
    return f"SELECT municipality_id, {sign} AS n FROM {candidates} c"


def _rebuild_rows() -> str:
    """Every placement's row, with the Ready day from one pass over the Ready events (not one look-up each)."""
    ready = f"""(SELECT placement_id, (max(moved_at) AT TIME ZONE '{settings.TIME_ZONE}')::date AS day
                FROM {EVENT} WHERE to_stage = 'ready' GROUP BY placement_id)"""
    placements = (
        f"(SELECT p0.*, rd.day AS ready_day0 FROM {PLACEMENT} p0 LEFT JOIN {ready} rd ON rd.placement_id = p0.id)"
    )
    return placement_rows(placements, ready_day="p.ready_day0")


PROFILES = Summary(
    ProfileCount,
    ("programme_id", "municipality_id", "dimension", "value"),
    ("n", "departed"),
    "profilecount_key",
    lambda: profile_contributions(_rebuild_rows(), 1),
)
BIRTHS = Summary(
    BirthCount,
    ("programme_id", "municipality_id", "birth_date", "erased_age_band"),
    ("n", "departed"),
    "birthcount_key",
    lambda: birth_contributions(_rebuild_rows(), 1),
)
ENROLMENTS = Summary(
    EnrolmentCount,
    ("programme_id", "municipality_id", "provider_id", "result"),
    ("n",),
    "enrolmentcount_key",
    lambda: enrolment_contributions(1),
)
CANDIDATES = Summary(CandidateCount, ("municipality_id",), ("n",), None, lambda: candidate_contributions(CANDIDATE, 1))
SUMMARIES = [PROFILES, BIRTHS, ENROLMENTS, CANDIDATES]


def rebuild_all(cursor) -> None:
    """Recount every summary table from the rows (seed_bench after its load, `install`, repairs)."""
    core_summaries.rebuild(cursor, SUMMARIES)


# --- the triggers ---------------------------------------------------------------------------------


def _placement_statements(new: str, old: str) -> list[str]:
    new_rows, old_rows = placement_rows(new), placement_rows(old)
    return [
        PROFILES.apply([profile_contributions(new_rows, 1), profile_contributions(old_rows, -1)]),
        BIRTHS.apply([birth_contributions(new_rows, 1), birth_contributions(old_rows, -1)]),
        # A placement moved to another municipality takes its enrolments' counts along.
        ENROLMENTS.apply(
            [enrolment_contributions(1, placements=new), enrolment_contributions(-1, placements=old)],
        ),
    ]


def _candidate_statements(new: str, old: str) -> list[str]:
    # The candidate's placements as they are now, with the candidate's attributes before and after.
    mine = f"(SELECT * FROM {PLACEMENT} WHERE candidate_id IN (SELECT id FROM {new} n1 UNION SELECT id FROM {old} o1))"
    new_rows, old_rows = placement_rows(mine, new), placement_rows(mine, old)
    return [
        PROFILES.apply([profile_contributions(new_rows, 1), profile_contributions(old_rows, -1)]),
        BIRTHS.apply([birth_contributions(new_rows, 1), birth_contributions(old_rows, -1)]),
        CANDIDATES.apply([candidate_contributions(new, 1), candidate_contributions(old, -1)]),
    ]


def _event_statements(new: str, old: str) -> list[str]:
    """The Ready day of the placements whose Ready events changed: before (the table without the
    statement's new rows, with its old ones) and after (the table as it is)."""
    touched = (
        f"(SELECT * FROM {PLACEMENT} WHERE id IN "
        f"(SELECT placement_id FROM {new} n1 WHERE to_stage = 'ready' "
        f"UNION SELECT placement_id FROM {old} o1 WHERE to_stage = 'ready'))"
    )
    before = f"(SELECT * FROM {EVENT} WHERE id NOT IN (SELECT id FROM {new} n1) UNION ALL SELECT * FROM {old} o1)"
    after_rows = placement_rows(touched)
    before_rows = placement_rows(touched, ready_day=_ready_day("p", before))
    return [
        PROFILES.apply(
            [
                profile_contributions(after_rows, 1, only="ready"),
                profile_contributions(before_rows, -1, only="ready"),
            ],
        )
    ]


def _enrolment_statements(new: str, old: str) -> list[str]:
    return [ENROLMENTS.apply([enrolment_contributions(1, enrolments=new), enrolment_contributions(-1, enrolments=old)])]


def _batch_statements(new: str, old: str) -> list[str]:
    mine = f"(SELECT * FROM {ENROLMENT} WHERE batch_id IN (SELECT id FROM {new} n1 UNION SELECT id FROM {old} o1))"
    return [
        ENROLMENTS.apply(
            [
                enrolment_contributions(1, enrolments=mine, batches=new),
                enrolment_contributions(-1, enrolments=mine, batches=old),
            ],
        )
    ]


WATCHED = {
    PLACEMENT: _placement_statements,
    CANDIDATE: _candidate_statements,
    EVENT: _event_statements,
    ENROLMENT: _enrolment_statements,
    BATCH: _batch_statements,
}


def install(cursor) -> None:
    """Create or replace every trigger, then recount (a migration calls it)."""
    core_summaries.install(cursor, PREFIX, WATCHED, SUMMARIES)


def uninstall(cursor) -> None:
    core_summaries.uninstall(cursor, PREFIX, WATCHED)


def differences() -> dict[str, list[tuple]]:
    """{table: rows that differ} between each summary and a recount (empty when all agree)."""
    return core_summaries.differences(SUMMARIES)
