"""Eligibility facts per candidate kept by the database (issue 14): placements.models.CandidateFacts.

The triggers of migration 0011 recount the facts of the candidates each statement touches, with the
database function placements_facts_refresh (one candidate at a time, by index). This module holds the
same rules set-based, for every candidate at once (`RECOUNT_SQL`): `rebuild_all` fills the table
after a load that ran without triggers (seed_bench's COPY), and `mismatches` compares the table with
the recount, so the tests prove that no way of changing the rows leaves the facts behind.

The facts: the latest passport expiry (any passport, verified or not, with an expiry date); the
attended hours of passed enrolments over every placement of the person; and per document type the
latest day a verified document of that type is valid ("YYYY-MM-DD", or "infinity" for one that
never expires). The rules reading them are in placements.requirements.
"""

from collections.abc import Iterable

from core.choices import DocumentType

from .models import CandidateFacts, Enrolment

TABLE = CandidateFacts._meta.db_table
COLUMNS = "candidate_id, municipality_id, passport_expires_on, training_hours, documents"

# Every candidate's facts from the rows, grouping each table once (hash joins: seconds at a million
# candidates). `{only}` narrows each part to some candidates (empty for all of them).
RECOUNT_SQL = """
SELECT c.id AS candidate_id,
       c.municipality_id,
       passport.expires_on AS passport_expires_on,
       coalesce(training.hours, 0) AS training_hours,
       coalesce(docs.documents, '{{}}'::jsonb) AS documents
  FROM candidates_candidate c
  LEFT JOIN (SELECT candidate_id, max(expires_on) AS expires_on
               FROM candidates_document
              WHERE doc_type = %(passport)s {only_document}
              GROUP BY candidate_id) passport ON passport.candidate_id = c.id
  LEFT JOIN (SELECT p.candidate_id, sum(e.attended_hours) AS hours
               FROM placements_enrolment e
               JOIN placements_placement p ON p.id = e.placement_id
              WHERE e.result = %(passed)s {only_placement}
              GROUP BY p.candidate_id) training ON training.candidate_id = c.id
  LEFT JOIN (SELECT candidate_id, jsonb_object_agg(doc_type, valid_until) AS documents
               FROM (SELECT candidate_id, doc_type,
                            CASE WHEN bool_or(expires_on IS NULL) THEN 'infinity'
                                 ELSE to_char(max(expires_on), 'YYYY-MM-DD') END AS valid_until
                       FROM candidates_document
                      WHERE verified_at IS NOT NULL {only_document}
                      GROUP BY candidate_id, doc_type) valid
              GROUP BY candidate_id) docs ON docs.candidate_id = c.id
 {only_candidate}
"""


def _recount(candidate_ids: Iterable[int] | None) -> tuple[str, dict]:
    params: dict = {"passport": DocumentType.PASSPORT.value, "passed": Enrolment.Result.PASSED.value}
    if candidate_ids is None:
        only = dict(only_document="", only_placement="", only_candidate="")
    else:
        params["ids"] = sorted(set(candidate_ids))
        only = dict(
            only_document="AND candidate_id = ANY (%(ids)s)",
            only_placement="AND p.candidate_id = ANY (%(ids)s)",
            only_candidate="WHERE c.id = ANY (%(ids)s)",
        )
    return RECOUNT_SQL.format(**only), params


def rebuild_all(cursor) -> None:
    """Recompute every candidate's eligibility facts from the rows (seed_bench calls it after its COPY
    load, which runs without triggers): one TRUNCATE and one INSERT … SELECT."""
    sql, params = _recount(None)
    # TRUNCATE refuses a table with deferred foreign-key checks still pending in the transaction
    # (rows written earlier in it): run them now, and defer again afterwards.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(f"TRUNCATE {TABLE}")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    cursor.execute(f"INSERT INTO {TABLE} ({COLUMNS}) {sql}", params)
    cursor.execute(f"ANALYZE {TABLE}")


def refresh(cursor, candidate_ids: Iterable[int] | None = None) -> None:
    """Recount some candidates' facts (all of them when None) the way the triggers do."""
    if candidate_ids is None:
        cursor.execute("SELECT placements_facts_refresh(ARRAY(SELECT id FROM candidates_candidate))")
    else:
        cursor.execute("SELECT placements_facts_refresh(%s::bigint[])", [sorted(set(candidate_ids))])


def recount(cursor, candidate_ids: Iterable[int] | None = None) -> dict[int, tuple]:
    """The facts the rows give, set-based, by candidate: (municipality, passport, hours, documents)."""
    sql, params = _recount(candidate_ids)
    cursor.execute(sql, params)
    return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}


def mismatches(cursor, candidate_ids: Iterable[int] | None = None) -> list[tuple]:
    """Candidates whose stored facts differ from a recount of their rows (or that have no row, or a
    row without a candidate): (candidate, stored, recounted). Empty when the triggers kept up."""
    sql, params = _recount(candidate_ids)
    stored_only = "" if candidate_ids is None else "WHERE f.candidate_id = ANY (%(ids)s)"
    cursor.execute(
        f"""
        WITH recounted AS ({sql}),
             stored AS (SELECT {COLUMNS} FROM {TABLE} f {stored_only})
        SELECT coalesce(s.candidate_id, r.candidate_id),
               CASE WHEN s.candidate_id IS NOT NULL
                    THEN row(s.municipality_id, s.passport_expires_on, s.training_hours, s.documents)::text END,
               CASE WHEN r.candidate_id IS NOT NULL
                    THEN row(r.municipality_id, r.passport_expires_on, r.training_hours, r.documents)::text END
          FROM stored s FULL JOIN recounted r ON r.candidate_id = s.candidate_id
         WHERE (s.municipality_id, s.passport_expires_on, s.training_hours, s.documents)
               IS DISTINCT FROM (r.municipality_id, r.passport_expires_on, r.training_hours, r.documents)
            OR s.candidate_id IS NULL OR r.candidate_id IS NULL
         ORDER BY 1
        """,  # noqa: S608 - the table and columns are ours, every value is a parameter
        params,
    )
    return cursor.fetchall()
