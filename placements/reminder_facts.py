# ruff: noqa: S608 - SQL assembled from this module's constants (table, column and stage names); no input reaches it.
"""The reminder facts' one home (issue 14): what they hold, the triggers that keep them, the recount.

`PlacementReminder` holds, per placement, the two reminders about documents that do not depend on
the day: `documents_due`, how many document types' newest expiry falls before the planned
departure of the placement's cohort (a cohort not yet departed, a placement before departure), and
`passport_due`, whether the newest passport expires before the planned return plus the programme's
months (or none is on file) for a placement heading abroad. The home dashboard's reminders count
sums them over partial indexes: its cost follows the number of reminders, not of placements.

Why the rule is written twice, and how the two are held together: the reminder LIST
(placements.reminders `_documents`, `_passports`) stays ORM querysets, the source of the names and
dates people read; the facts need the rule as SQL over a set of placement ids, run inside trigger
functions, which the ORM cannot write (a compiled queryset frozen into a function would still be a
second copy, only harder to read). So `facts_sql` below is the same rule in SQL, each clause
mirroring the queryset's, and tests/placements/test_reminder_facts.py proves that they agree: after
random sequences of changes (hypothesis) the facts equal, placement by placement, what the two
querysets return, and equal a recount (`differences`). A change to either rule fails that test
until the other follows (and needs a migration calling `install` again).

How the triggers work: one statement-level AFTER trigger per operation on each table the rule reads
(placements, cohorts, documents, programmes) collects from its transition tables (NEW TABLE / OLD
TABLE) the placements whose facts may have changed (an update counts only when a column the rule
reads changed), locks their fact rows in id order (a concurrent transaction touching the same
placements waits, then recomputes from a snapshot that sees the other's rows: no lost update, and
two bulk statements lock in the same order), and recomputes them with one INSERT … ON CONFLICT DO
UPDATE from the tables as they now are. Every placement has a row (zeros when nothing is due), so
there is always a row to lock; a placement's delete trigger removes its row. Only TRUNCATE and
`session_replication_role = replica` (seed_bench, which then calls `rebuild_all`) pass them by.
"""

from contextlib import contextmanager

from django.db import connection

from core.choices import DocumentType
from core.summaries import sql_list

from .models import PlacementReminder
from .reminders import BEFORE_DEPARTURE, HEADING_ABROAD

PREFIX = "rantau_reminder"  # every function and trigger this module installs starts with it

FACTS = PlacementReminder._meta.db_table
PLACEMENT = "placements_placement"
COHORT = "placements_cohort"
DOCUMENT = "candidates_document"
PROGRAMME = "programmes_programme"
COLUMNS = ("placement_id", "municipality_id", "documents_due", "passport_due")


def facts_sql(where: str = "true") -> str:
    """Every placement's facts (one row each) for the placements `p` matching `where`.

    documents_due mirrors reminders._documents: per document type of the candidate, the newest
    expiry (MAX ignores documents without one) before the cohort's planned departure.
    passport_due mirrors reminders._passports: (return due of the cohort, else the placement's
    planned return) + the programme's months > the newest passport's expiry (none: 0001-01-01).
    """
    return f"""
        SELECT p.id AS placement_id, p.municipality_id,
            CASE WHEN p.stage IN {sql_list(BEFORE_DEPARTURE)} AND c.id IS NOT NULL AND c.actual_departure IS NULL
                THEN (SELECT count(*) FROM (
                        SELECT 1 FROM {DOCUMENT} d WHERE d.candidate_id = p.candidate_id
                        GROUP BY d.doc_type HAVING max(d.expires_on) < c.planned_departure) due)::int
                ELSE 0 END AS documents_due,
            CASE WHEN p.stage IN {sql_list(HEADING_ABROAD)}
                THEN coalesce(
                    (coalesce(c.return_due_on, p.planned_return_on)
                        + make_interval(months => g.passport_months_beyond_return::int))::date
                    > coalesce(
                        (SELECT max(d.expires_on) FROM {DOCUMENT} d
                         WHERE d.candidate_id = p.candidate_id AND d.doc_type = '{DocumentType.PASSPORT.value}'),
                        '0001-01-01'::date),
                    false)
                ELSE false END AS passport_due
        FROM {PLACEMENT} p
        LEFT JOIN {COHORT} c ON c.id = p.cohort_id
        LEFT JOIN {PROGRAMME} g ON g.id = p.programme_id
        WHERE {where}"""


def rebuild_all(cursor) -> None:
    """Recompute every placement's facts from the rows, set-based (seed_bench after its load with the
    triggers off, `install`, repairs)."""
    columns = ", ".join(COLUMNS)
    with _without_jit(cursor):
        cursor.execute(f"TRUNCATE {FACTS}")
        cursor.execute(f"INSERT INTO {FACTS} ({columns}) SELECT {columns} FROM ({facts_sql()}) f")


@contextmanager
def _without_jit(cursor):
    """JIT compiling the rule's subqueries costs more than running them (2 s of 3 at 100,000
    candidates): off for the statements inside, then back to what the session had."""
    cursor.execute("SELECT current_setting('jit'), set_config('jit', 'off', false)")
    (jit, _off) = cursor.fetchone()
    try:
        yield
    finally:
        cursor.execute("SELECT set_config('jit', %s, false)", [jit])


# --- the triggers ---------------------------------------------------------------------------------

# table: (the column of its rows that points at placements, the placement column it matches, the
# columns the rule reads: an update that changes none of them changes no fact)
WATCHED = {
    PLACEMENT: (
        "id",
        "id",
        ("stage", "cohort_id", "candidate_id", "programme_id", "planned_return_on", "municipality_id"),
    ),
    COHORT: ("id", "cohort_id", ("planned_departure", "actual_departure", "return_due_on")),
    DOCUMENT: ("candidate_id", "candidate_id", ("candidate_id", "doc_type", "expires_on")),
    PROGRAMME: ("id", "programme_id", ("passport_months_beyond_return",)),
}
# The placements a table's change can reach, narrower than all that point at its rows: a programme's
# months count only for its placements heading abroad (the others' passport_due is false whatever
# the months), which spares recomputing a whole programme when an administrator edits it.
REACHES = {PROGRAMME: f"p.stage IN {sql_list(HEADING_ABROAD)}"}


def _touched_keys(table: str, op: str) -> str:
    """The keys (in the table's pointing column) of the rows the statement changed in a way the
    rule reads, from the transition tables new_rows / old_rows."""
    key, _column, read = WATCHED[table]
    if op == "insert":
        return f"SELECT n.{key} FROM new_rows n"
    if op == "delete":
        return f"SELECT o.{key} FROM old_rows o"
    changed = (
        f"FROM new_rows n JOIN old_rows o ON o.id = n.id "
        f"WHERE ({', '.join('n.' + c for c in read)}) IS DISTINCT FROM ({', '.join('o.' + c for c in read)})"
    )
    return f"SELECT n.{key} {changed} UNION SELECT o.{key} {changed}"


def _touched_placements(table: str, op: str) -> str:
    """SELECT … INTO ids: the ids of the placements whose facts the statement may have changed."""
    _key, column, _read = WATCHED[table]
    keys = _touched_keys(table, op)
    if table == PLACEMENT:
        return f"SELECT array_agg(DISTINCT k.id ORDER BY k.id) INTO ids FROM ({keys}) k(id)"
    reaches = f" AND {REACHES[table]}" if table in REACHES else ""
    return (
        f"SELECT array_agg(p.id ORDER BY p.id) INTO ids FROM {PLACEMENT} p "
        f"WHERE p.{column} IN (SELECT k.key FROM ({keys}) k(key) WHERE k.key IS NOT NULL){reaches}"
    )


def recompute_sql(ids: str) -> list[str]:
    """Lock, recompute and store the facts of the placements whose ids are the array `ids`. The
    lock is its own statement, so the recompute's snapshot (a new one per statement in PL/pgSQL at
    READ COMMITTED) sees whatever a transaction it waited for committed."""
    columns = ", ".join(COLUMNS)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS[1:])
    held = ", ".join(f"{FACTS}.{c}" for c in COLUMNS[1:])
    fresh = ", ".join(f"EXCLUDED.{c}" for c in COLUMNS[1:])
    return [
        f"PERFORM 1 FROM {FACTS} WHERE placement_id = ANY({ids}) ORDER BY placement_id FOR UPDATE",
        f"INSERT INTO {FACTS} ({columns}) SELECT {columns} FROM ({facts_sql(f'p.id = ANY({ids})')}) f "
        f"ORDER BY placement_id ON CONFLICT (placement_id) DO UPDATE SET {updates} "
        f"WHERE ({held}) IS DISTINCT FROM ({fresh})",
    ]


def trigger_sql(table: str) -> list[str]:
    """CREATE OR REPLACE the three functions (insert, update, delete) of `table` and their triggers."""
    out = []
    for op, referencing in (
        ("insert", "NEW TABLE AS new_rows"),
        ("update", "NEW TABLE AS new_rows OLD TABLE AS old_rows"),
        ("delete", "OLD TABLE AS old_rows"),
    ):
        name = f"{PREFIX}_{table}_{op}"
        statements = [_touched_placements(table, op)]
        if table == PLACEMENT and op == "delete":
            # The deleted placements' rows go; nothing else changes.
            statements = [f"DELETE FROM {FACTS} f USING old_rows o WHERE f.placement_id = o.id"]
        else:
            statements.append("IF ids IS NULL THEN RETURN NULL; END IF")
            statements.extend(recompute_sql("ids"))
        body = ";\n".join(statements)
        out.append(
            # No JIT: compiling costs more than recomputing even a programme's placements.
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $body$\n"
            f"DECLARE ids bigint[];\nBEGIN\n{body};\nRETURN NULL;\nEND\n$body$"
        )
        out.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        out.append(
            f"CREATE TRIGGER {name} AFTER {op.upper()} ON {table} "
            f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )
    return out


def install(cursor) -> None:
    """Create or replace every trigger, then recount (a migration calls it)."""
    for table in WATCHED:
        for statement in trigger_sql(table):
            cursor.execute(statement)
    rebuild_all(cursor)


def uninstall(cursor) -> None:
    for table in WATCHED:
        for op in ("insert", "update", "delete"):
            name = f"{PREFIX}_{table}_{op}"
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")


def differences() -> list[tuple]:
    """The rows that differ between the facts and a recount (empty when they agree): the property
    test's oracle, and a check an operator can run."""
    columns = ", ".join(COLUMNS)
    held = f"SELECT {columns} FROM {FACTS}"
    expected = f"SELECT {columns} FROM ({facts_sql()}) f"
    with connection.cursor() as cursor, _without_jit(cursor):
        cursor.execute(f"({held} EXCEPT ALL {expected}) UNION ALL ({expected} EXCEPT ALL {held})")
        return cursor.fetchall()
