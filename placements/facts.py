"""Eligibility facts per candidate kept by the database (issue 14): being written."""


def rebuild_all(cursor) -> None:
    """Recompute every candidate's eligibility facts from the rows (seed_bench calls it after its COPY load)."""
