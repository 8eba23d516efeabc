"""Rows loaded with PostgreSQL COPY: one table's text buffer, and a writer that sends buffers on a
second thread while the caller generates the next chunk (seed_bench)."""

import io
import queue
import threading
import time
from datetime import date

from django.core.management.base import CommandError
from django.db import models


class Table:
    """One table loaded with COPY: the columns seed_bench writes, plus any column added to the model
    later, filled with its default so that a new field does not break the benchmark."""

    def __init__(self, model: type[models.Model], column_names: str):
        columns = column_names.split()
        fields = {f.column: f for f in model._meta.concrete_fields}
        unknown = [c for c in columns if c not in fields]
        if unknown:
            raise CommandError(f"seed_bench writes {model._meta.label}.{unknown}, which the model no longer has.")
        self.model = model
        self.name = model._meta.db_table
        extra_columns, extra_values = [], []
        for column, field in fields.items():
            if column in columns:
                continue
            if field.has_default():
                value = field.get_default()
            elif field.null:
                value = None
            elif field.blank and isinstance(field, models.CharField | models.TextField):
                value = ""
            else:
                raise CommandError(f"seed_bench does not know how to fill {model._meta.label}.{field.name}.")
            extra_columns.append(column)
            extra_values.append(copy_text(value))
        self.columns = [*columns, *extra_columns]
        self.suffix = "".join("\t" + v for v in extra_values) + "\n"
        self.lines: list[str] = []
        self.rows = 0

    def add(self, *values: str) -> None:
        """Append a row; values are already in COPY text form (see copy_text)."""
        self.lines.append("\t".join(values))

    def take(self) -> tuple[str, io.StringIO] | None:
        if not self.lines:
            return None
        # The suffix (the defaults' columns and the newline) ends every row.
        buffer = io.StringIO(self.suffix.join(self.lines) + self.suffix)
        self.rows += len(self.lines)
        self.lines = []
        columns = ", ".join(f'"{c}"' for c in self.columns)
        return f'COPY "{self.name}" ({columns}) FROM STDIN', buffer


def copy_text(value) -> str:
    """A Python value in PostgreSQL's COPY text format."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list | tuple):
        return "{" + ",".join(f'"{v}"' for v in value) + "}"
    text = value.isoformat() if isinstance(value, date) else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class CopyWriter:
    """Sends COPY buffers on a second thread while the main thread generates the next chunk.

    psycopg2 releases the GIL while it waits on the server, so generation (Python, one core) and
    loading (PostgreSQL, the other core) overlap.
    """

    def __init__(self, raw_connection):
        self.raw = raw_connection
        self.jobs: queue.Queue = queue.Queue(maxsize=8)
        self.error: BaseException | None = None
        self.busy_seconds = 0.0
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while True:
            job = self.jobs.get()
            if job is None:
                return
            if self.error is not None:
                continue
            sql, buffer = job
            started = time.monotonic()
            try:
                with self.raw.cursor() as cursor:
                    cursor.copy_expert(sql, buffer, size=1 << 20)
            except BaseException as exc:  # re-raised on the main thread
                self.error = exc
            self.busy_seconds += time.monotonic() - started

    def send(self, table: Table) -> None:
        job = table.take()
        if job is not None:
            self._check()
            self.jobs.put(job)

    def close(self) -> None:
        self.jobs.put(None)
        self.thread.join()
        self._check()

    def _check(self):
        if self.error is not None:
            raise self.error
