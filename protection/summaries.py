# ruff: noqa: S608 - SQL assembled from this module's constants (table, column and stage names); no input reaches it.
"""Workers abroad, counted by the database in step with the rows (core.summaries).

Each placement that left the country contributes one to its WorkerCount row: programme,
municipality, cohort, the candidate's kecamatan, stage and, while abroad, the day its contact clock
runs from (`with_contact_status`'s reference day: the last contact, else the departure, else the
day it entered its stage) and whether an unresolved wage or abuse case flags it. "Overdue" depends
on today and on the programme's contact interval, so it is not stored: readers compare the clock
day with today minus the interval (`protection.selectors`).

What changes a contribution, and so which tables carry triggers: placements, candidates (the
kecamatan), contacts (the last contact) and cases (the risk flag).
"""

from core import summaries as core_summaries
from core.summaries import Summary, sql_list

from .models import Case, WorkerCount
from .selectors import ABROAD, DEPARTED_EVER, RISK_CASE_TYPES

PREFIX = "rantau_workers"

PLACEMENT = "placements_placement"
CANDIDATE = "candidates_candidate"
CONTACT = "protection_contact"
CASE = "protection_case"
RESOLVED = [Case.Status.RESOLVED.value, Case.Status.CLOSED.value]


def contributions(
    placements: str, sign: int, *, candidates: str = CANDIDATE, contacts: str = CONTACT, cases: str = CASE
):
    """One row per placement of `placements` that left the country, times `sign`."""
    abroad = f"p.stage IN {sql_list(ABROAD)}"
    return f"""
        SELECT p.programme_id, p.municipality_id, p.cohort_id, c.kecamatan_code, p.stage,
               CASE WHEN {abroad} THEN coalesce(
                   (SELECT max(k.contacted_on) FROM {contacts} k WHERE k.placement_id = p.id),
                   p.departed_on,
                   (p.stage_changed_at AT TIME ZONE 'UTC')::date
               ) END AS contact_clock_from,
               ({abroad} AND EXISTS (
                   SELECT 1 FROM {cases} s WHERE s.placement_id = p.id
                   AND s.status NOT IN {sql_list(RESOLVED)} AND s.case_type IN {sql_list(RISK_CASE_TYPES)}
               )) AS risk_case,
               {sign} AS n
        FROM {placements} p JOIN {candidates} c ON c.id = p.candidate_id
        WHERE p.stage IN {sql_list(DEPARTED_EVER)}"""


WORKERS = Summary(
    WorkerCount,
    ("programme_id", "municipality_id", "cohort_id", "kecamatan_code", "stage", "contact_clock_from", "risk_case"),
    ("n",),
    "workercount_key",
    lambda: contributions(PLACEMENT, 1),
)


def _placements_of(new: str, old: str) -> str:
    """The placements the statement's new or old rows (contacts, cases) belong to."""
    return (
        f"(SELECT * FROM {PLACEMENT} WHERE id IN "
        f"(SELECT placement_id FROM {new} n1 UNION SELECT placement_id FROM {old} o1))"
    )


def _placement_statements(new: str, old: str) -> list[str]:
    return [WORKERS.apply([contributions(new, 1), contributions(old, -1)])]


def _candidate_statements(new: str, old: str) -> list[str]:
    mine = f"(SELECT * FROM {PLACEMENT} WHERE candidate_id IN (SELECT id FROM {new} n1 UNION SELECT id FROM {old} o1))"
    return [WORKERS.apply([contributions(mine, 1, candidates=new), contributions(mine, -1, candidates=old)])]


def _contact_statements(new: str, old: str) -> list[str]:
    """The placements whose contacts changed, before (the table without the new rows, with the old
    ones) and after (the table as it is)."""
    touched = _placements_of(new, old)
    before = f"(SELECT * FROM {CONTACT} WHERE id NOT IN (SELECT id FROM {new} n2) UNION ALL SELECT * FROM {old} o2)"
    return [WORKERS.apply([contributions(touched, 1), contributions(touched, -1, contacts=before)])]


def _case_statements(new: str, old: str) -> list[str]:
    touched = _placements_of(new, old)
    before = f"(SELECT * FROM {CASE} WHERE id NOT IN (SELECT id FROM {new} n2) UNION ALL SELECT * FROM {old} o2)"
    return [WORKERS.apply([contributions(touched, 1), contributions(touched, -1, cases=before)])]


WATCHED = {
    PLACEMENT: _placement_statements,
    CANDIDATE: _candidate_statements,
    CONTACT: _contact_statements,
    CASE: _case_statements,
}


def install(cursor) -> None:
    core_summaries.install(cursor, PREFIX, WATCHED, [WORKERS])


def uninstall(cursor) -> None:
    core_summaries.uninstall(cursor, PREFIX, WATCHED)


def rebuild_all(cursor) -> None:
    """Recount from the rows (seed_bench after its load)."""
    WORKERS.rebuild(cursor)


def differences() -> dict[str, list[tuple]]:
    return core_summaries.differences([WORKERS])
