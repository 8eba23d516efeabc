# ruff: noqa: S608 - SQL assembled from the callers' constants (table, column and stage names); no input reaches it.
"""Counts kept by PostgreSQL in the same transaction as the rows they count: the machinery.

A summary table holds counters per key. Each app says, once, which *contributions* rows make to
it: a SELECT of (key columns…, counters…) over a relation name, for a sign. The same SELECT serves

- the recount (`Summary.recount`, `rebuild`, `differences`): over the tables themselves;
- the triggers (`trigger_sql`): over PostgreSQL's transition tables of one statement, +1 for the
  rows it wrote (NEW TABLE), -1 for the rows it replaced or removed (OLD TABLE), summed per key and
  applied in key order with one INSERT … ON CONFLICT DO UPDATE (a bulk change of 10,000 rows
  touches each summary row once; two bulk changes lock rows in the same order).

Statement-level AFTER triggers fire for the services, imports, QuerySet.update and bulk_create,
the admin and raw SQL alike; only TRUNCATE and `session_replication_role = replica` pass them by,
after which the owner recounts (`rebuild`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.db import connection, migrations


def sql_list(values) -> str:
    """('a', 'b') for `IN`: the callers' own constants (stage and status values), never input."""
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


@dataclass(frozen=True)
class Summary:
    """A summary table: its model, key columns, counters, the unique constraint the upsert names
    (None: the first key column is unique), and its contributions over the tables (sign +1)."""

    model: type
    keys: tuple[str, ...]
    counters: tuple[str, ...]
    constraint: str | None
    contributions: Callable[[], str]

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    def apply(self, contributions: list[str]) -> str:
        """One statement adding the summed contributions to the table, in key order."""
        key_list = ", ".join(self.keys)
        columns = ", ".join(self.keys + self.counters)
        sums = ", ".join(f"sum({c})" for c in self.counters)
        nonzero = " OR ".join(f"sum({c}) <> 0" for c in self.counters)
        conflict = f"ON CONSTRAINT {self.constraint}" if self.constraint else f"({self.keys[0]})"
        updates = ", ".join(f"{c} = {self.table}.{c} + EXCLUDED.{c}" for c in self.counters)
        union = " UNION ALL ".join(contributions)
        return (
            f"INSERT INTO {self.table} ({columns}) SELECT {key_list}, {sums} FROM ({union}) x "
            f"GROUP BY {key_list} HAVING {nonzero} ORDER BY {key_list} "
            f"ON CONFLICT {conflict} DO UPDATE SET {updates}"
        )

    def recount(self) -> str:
        """The rows the table must hold (non-zero), counted afresh from the tables: a SELECT."""
        key_list = ", ".join(self.keys)
        sums = ", ".join(f"sum({c}) AS {c}" for c in self.counters)
        nonzero = " OR ".join(f"sum({c}) <> 0" for c in self.counters)
        return f"SELECT {key_list}, {sums} FROM ({self.contributions()}) x GROUP BY {key_list} HAVING {nonzero}"

    def rebuild(self, cursor) -> None:
        columns = ", ".join(self.keys + self.counters)
        cursor.execute(f"TRUNCATE {self.table}")
        cursor.execute(f"INSERT INTO {self.table} ({columns}) SELECT {columns} FROM ({self.recount()}) r")

    def differences(self, cursor) -> list[tuple]:
        """Rows held but not recounted, and recounted but not held (empty when they agree)."""
        columns = ", ".join(self.keys + self.counters)
        held = f"SELECT {columns} FROM {self.table} WHERE " + " OR ".join(f"{c} <> 0" for c in self.counters)
        expected = f"SELECT {columns} FROM ({self.recount()}) r"
        cursor.execute(f"({held} EXCEPT ALL {expected}) UNION ALL ({expected} EXCEPT ALL {held})")
        return cursor.fetchall()


# A watched table: the statements its triggers run, given the relations of the statement's new and
# old rows (an empty relation of the table's shape stands in for the one an operation has not).
Statements = Callable[[str, str], list[str]]


def empty(table: str) -> str:
    return f"(SELECT * FROM {table} WHERE false)"


def trigger_sql(prefix: str, table: str, statements: Statements) -> list[str]:
    """CREATE OR REPLACE the insert, update and delete functions of `table` and their triggers."""
    out = []
    for op, new, old, referencing in (
        ("insert", "new_rows", empty(table), "NEW TABLE AS new_rows"),
        ("update", "new_rows", "old_rows", "NEW TABLE AS new_rows OLD TABLE AS old_rows"),
        ("delete", empty(table), "old_rows", "OLD TABLE AS old_rows"),
    ):
        name = f"{prefix}_{table}_{op}"
        body = ";\n".join(statements(new, old))
        out.append(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$\n"
            f"BEGIN\n{body};\nRETURN NULL;\nEND\n$body$"
        )
        out.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        out.append(
            f"CREATE TRIGGER {name} AFTER {op.upper()} ON {table} "
            f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )
    return out


def install(cursor, prefix: str, watched: dict[str, Statements], summaries: list[Summary]) -> None:
    """Create or replace every trigger, then recount (a migration calls it)."""
    for table, statements in watched.items():
        for statement in trigger_sql(prefix, table, statements):
            cursor.execute(statement)
    rebuild(cursor, summaries)


def uninstall(cursor, prefix: str, watched: dict[str, Statements]) -> None:
    for table in watched:
        for op in ("insert", "update", "delete"):
            name = f"{prefix}_{table}_{op}"
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")


def rebuild(cursor, summaries: list[Summary]) -> None:
    for summary in summaries:
        summary.rebuild(cursor)


def differences(summaries: list[Summary]) -> dict[str, list[tuple]]:
    """{table: rows that differ} between each summary and a recount (empty when all agree): the
    property tests' oracle, and a check an operator can run."""
    out = {}
    with connection.cursor() as cursor:
        for summary in summaries:
            rows = summary.differences(cursor)
            if rows:
                out[summary.table] = rows
    return out


def install_operation(module: str) -> migrations.RunPython:
    """A migration's step for a module keeping counts (its `install` forward, `uninstall` backward):
    the module's current triggers, replaced whole, then a recount."""

    def forward(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            import_module(module).install(cursor)

    def backward(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            import_module(module).uninstall(cursor)

    return migrations.RunPython(forward, backward)
