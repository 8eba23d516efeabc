"""The benchmark's report (scripts/bench/run.py): issue 14's targets judged from a run's figures,
every miss with room for its cause. No server, no load: the figures are given."""

import importlib.util
from argparse import Namespace
from pathlib import Path

import pytest

RUN_PY = Path(__file__).resolve().parents[2] / "scripts" / "bench" / "run.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", RUN_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


KEYS = ["floor", "home", "programme", "home_national", "protection", "candidates", "candidates_search"]
KEYS += ["shortlist", "admin"]


def scale(p95: dict, one_request: dict, queries: int = 8, seed_output: str = "") -> dict:
    pages = [
        {
            "key": key,
            "label": key,
            "user": "staff",
            "path": f"/{key}/",
            "status": 200,
            "inprocess_status": 200,
            "p95_ms": p95.get(key, 100.0),
            "inprocess_ms": one_request.get(key, 5.0),
            "sql_ms": 1.0,
            "queries": queries,
            "errors": 0,
        }
        for key in KEYS
    ]
    seeding = {"seeded_now": bool(seed_output), "seconds": 250.0, "output": seed_output}
    return {"pages": pages, "seeding": seeding, "database": {"seed_record": None}}


SETTINGS = ["server_version", "shared_buffers", "work_mem", "effective_cache_size", "jit"]
SEEDED = (
    "seed_bench: seeded 1000000 candidates in 280.4 s (summaries 12.0 s, eligibility facts 8.5 s, "
    "worker counts 1.5 s) on 2026-12-01"
)


def test_the_targets_of_issue_14_pass_and_miss_on_the_figures(bench):
    small = scale({"admin": 300.0, "candidates": 100.0}, {"home": 30.0, "floor": 1.5, "candidates": 7.0})
    large = scale(
        {"admin": 300.0, "candidates": 160.0, "home": 250.0},
        {"candidates_search": 11.0},
        seed_output=SEEDED,
    )
    verdicts = bench.evaluate({100_000: small, 1_000_000: large}, {})
    results = {target: (figure, result) for target, figure, result in verdicts}
    assert results["100k: home, one request ≤ 25 ms server time"][1] == "MISS"
    assert results["100k: programme, one request ≤ 25 ms server time"][1] == "PASS"
    assert results["100k: floor, one request ≤ 2 ms server time"][1] == "PASS"
    assert results["100k: candidates, one request ≤ 8 ms server time"][1] == "PASS"
    assert results["100k: candidate list p95 ≤ ½ admin changelist p95"][1] == "PASS"
    # 160 > 300 / 2 at 1M.
    assert results["1M: candidate list p95 ≤ ½ admin changelist p95"][1] == "MISS"
    assert results["1M: home p95 ≤ 2 × 100k"] == ("250.0 ms vs 100.0 ms (×2.50)", "MISS")
    assert results["1M: programme p95 ≤ 2 × 100k"][1] == "PASS"
    # The search's server time: 11 ms at 1M against 5 ms at 100k.
    search = results["1M: fuzzy name search in the municipality, one request's server time ≤ 2 × 100k"]
    assert search == ("11.0 ms vs 5.0 ms (×2.20)", "MISS")
    seeding = results["Seeding 1M (migrate excluded, summaries included) < 300 s"]
    assert seeding == ("280 s (this run; summaries 12.0 s, eligibility facts 8.5 s, worker counts 1.5 s)", "PASS")
    assert results["Queries per request equal: home"] == ("8 / 8", "PASS")


def test_queries_per_request_must_not_grow_with_the_data(bench):
    results = bench.evaluate({100_000: scale({}, {}), 1_000_000: scale({}, {}, queries=9)}, {})
    assert ("Queries per request equal: home", "8 / 9", "MISS") in results


def test_a_named_cause_is_written_after_its_miss(bench, monkeypatch):
    monkeypatch.setitem(bench.CAUSES, "100k: home", "the reminders scan the working set; next: facts.")
    assert bench.cause_of("100k: home p95 ≤ 150 ms") == "the reminders scan the working set; next: facts."
    assert bench.cause_of("1M: home p95 ≤ 2 × 100k").startswith("not named yet")


def test_every_miss_points_to_its_cause_below_the_table(bench, tmp_path):
    small = scale({"home": 400.0}, {})
    large = scale({"home": 400.0}, {}, seed_output=SEEDED)
    for result in (small, large):
        result["database"].update(
            name="db",
            size="1 MB",
            rows={"candidates_candidate": 10},
            settings=dict.fromkeys(SETTINGS, "?"),
        )
    scales = {100_000: small, 1_000_000: large}
    verdicts = bench.evaluate(scales, {})
    info = dict(date="today", commit="abc", cores=2, cpu="cpu", memory="1 GiB", wrk="wrk", load_before="1.0")
    args = Namespace(workers=2, threads=2, connections=10, duration=3, warmup=1)
    out = tmp_path / "report.md"
    bench.write_report(out, info, args, scales, {"measured": False, "why": "skipped"}, verdicts, 60.0)
    text = out.read_text()
    assert "| 100k: home p95 ≤ 150 ms | 400.0 ms | MISS | see below |" in text
    assert "| 100k: floor p95 ≤ 150 ms | 100.0 ms | PASS |  |" in text
    causes = text.split("## Causes of the misses", 1)[1]
    assert "- **100k: home p95 ≤ 150 ms**: not named yet (no entry in scripts/bench/causes.py)." in causes
    assert "floor p95" not in causes
    # The seeding of this run, with the summaries seed_bench built.
    assert "seeded in this run in 280 s (seed_bench's load, migrate excluded; of which, built by seed_bench: " in text
