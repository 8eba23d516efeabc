"""Summary tables kept by the database (issue 14): being written."""


def rebuild_all(cursor) -> None:
    """Recount every summary table from the rows (seed_bench calls it after its COPY load)."""
