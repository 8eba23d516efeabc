"""The measured cause and the next step of each target `make bench` misses, keyed by the start of the
target's name in the report (scripts/bench/run.py reads it). Written from a run's figures and its
slowest SQL (var/bench/); `scripts/bench/run.py --report-again` writes the report anew with them."""

CAUSES: dict[str, str] = {}
