"""The measured cause and the next step of each target `make bench` misses, keyed by the start of the
target's name in the report (scripts/bench/run.py reads it; the first key a name starts with wins).
Written from the run of 2026-12-01 (commit d284f17, nothing else running): its figures, each page's
in-process time and SQL time, and its slowest SQL (var/bench/). `scripts/bench/run.py
--report-again` writes the report anew with them; a new run needs them read again.
"""

_PYTHON = (
    "one request costs more than the ~25 ms that a p95 of 150 ms allows here (2 gunicorn workers, 10 "
    "connections, wrk and PostgreSQL on the same 2 cores: p95 ≈ 5–6 × one request); "
)

CAUSES: dict[str, str] = {
    # --- server time of one request (in-process) ---------------------------------------------------
    "100k: Home dashboard, one request": (
        "66.9 ms, of which SQL 19 ms in 17 queries (none over 4 ms: the summaries answer in a few rows); "
        "~48 ms is Python: the programmes table (a link per count), its chart data, the seven reminder "
        "counts and the base page. Next: count the overdue contacts once per request (the home line and "
        "the reminders read the same figure), write the table card (headings, chart) in one tag as its "
        "rows already are, and link cells from one prefix."
    ),
    "100k: Programme dashboard, one request": (
        "57.6 ms, SQL 16 ms (the age bands over the birth-date counts, 5 ms, the largest); ~42 ms is "
        "Python: eleven tables with about 300 linked cells, their chart data as JSON and the page. Next: "
        "the table card in one tag, chart data built with the rows."
    ),
    "100k: Home dashboard, national viewer (every municipality), one request": (
        "28.7 ms, SQL 5 ms (21.8 ms in the run before, a PASS: the margin is within run-to-run noise); "
        "Python renders the municipalities table and the programmes with their funnels. Next: the table "
        "card in one tag, as for the programme dashboard."
    ),
    "100k: Protection dashboard, one request": (
        "36.0 ms, SQL 12 ms: the worker counts' GROUP BY (8 ms) reads one row per contact-clock day, "
        "cohort and kecamatan. Next: see the 1M protection row (fold old clock days)."
    ),
    "100k: Eligibility shortlist, one request": (
        "174.4 ms, SQL 117 ms, 108 ms of it one query: the eligible list is read in name order up to the cap "
        "after the facts index yields the candidates who pass the facts' conditions (about 5,000 in Serang), "
        "each then checked for consent, age and an open placement. Next: eligibility per (programme, "
        "candidate) kept by the triggers for the date-independent rules (documents' types, training, "
        "education, sex), so the list is an index range in name order, with only age and dates checked "
        "per row."
    ),
    "100k: Candidate list, page 1, one request ≤ 25": (
        "24.5 ms, SQL 4 ms: Python builds the filter form (django-filter deep-copies every filter and form "
        "field per request), 50 model rows and their cells, the saved filters and the page. Next: the "
        "filter form built once per language and municipality and bound per request; the rows read with "
        "values() instead of model instances."
    ),
    "100k: Candidate list, page 1, one request ≤ 8": (
        "24.5 ms (it meets the 25 ms target): the floor work halved the rows' rendering; the filter form "
        "(django-filter deep-copies every filter and field per request) now dominates. Next: the form built once "
        "per language and municipality and bound per request; the rows read with values()."
    ),
    "100k: Trivial signed-in page (floor): password form, one request": (
        "7.4 ms in-process (the test Client adds about 1 ms), SQL 1 ms in 4 queries (session, user, the "
        "user's and the groups' permissions); the rest is the base page: the header with its user menu "
        "and language switch, the password rules' help text rebuilt per render, the form's fields. Next: "
        "keep the user's permissions with the session (invalidated when roles change) and render the "
        "header's fixed parts once per language."
    ),
    # --- p95 at 100k ---------------------------------------------------------------------------------
    "100k: Home dashboard p95": _PYTHON + "66.9 ms per request (see its server-time row).",
    "100k: Programme dashboard p95": _PYTHON + "57.6 ms per request (see its server-time row).",
    "100k: Protection dashboard p95": _PYTHON + "36.0 ms per request (see its server-time row).",
    "100k: Candidate list, page 1 p95": _PYTHON
    + "24.5 ms per request: just within the budget, no room for the load's queueing (the filter form, "
    "see above).",
    "100k: Candidate list, fuzzy name search": _PYTHON
    + "29.0 ms per request (113.6 ms p95 in the run before, a PASS): the trigram count (6 ms) and the "
    "filter form; see the 1M row for the search's growth.",
    "100k: Candidate list, page 500 p95": _PYTHON
    + "62.4 ms per request, 31 ms of it SQL: OFFSET 24,950 reads and skips every row before the page. "
    "Next: keyset pages (after the last name and id) for deep pages.",
    "100k: Candidate list, filtered (women, SMA) p95": _PYTHON + "31.6 ms per request (the filter form).",
    "100k: Candidate detail p95": _PYTHON
    + "95.7 ms per request, SQL 13 ms: the person, documents, placements with their gates, history and "
    "the forms of every action on one page. Next: the action forms on demand (htmx) and the history in "
    "its own request.",
    "100k: Pipeline board p95": _PYTHON
    + "77.9 ms per request, SQL 9 ms (counts from the stage counts, cards by id): 110 cards with a "
    "translated date each, the filter form and the saved filters. Next: the cards written in Python "
    "once per page as the candidate list's rows are; the shared filter-form work.",
    "100k: Eligibility shortlist p95": _PYTHON + "174.4 ms per request, 108 ms of it one query (see above).",
    "100k: Django admin changelist": (
        "the peer, measured for the comparison only: 135.4 ms per request, 81 ms SQL (its date hierarchy "
        "scans the registration years); Rantau does not tune Django's admin."
    ),
    "100k: API: candidates updated since": _PYTHON
    + "29.6 ms per request: serializing 50 people with their documents and writing the API request log.",
    # --- growth to 1M --------------------------------------------------------------------------------
    "1M: Candidate list, fuzzy name search": (
        "×3.12 (p95) and ×3.16 (server time, 91.7 vs 29.0 ms): the trigram index answers for every "
        "municipality and the municipality filters after, so its candidates grow with the nation (the "
        "count took 70 ms at 1M, 6 ms at 100k). Next: a GIN index on (municipality, upper(full_name) "
        "gin_trgm_ops) with btree_gin, so the index itself keeps to the municipality."
    ),
    "1M: fuzzy name search": "the same cause as the row above.",
    "1M: Eligibility shortlist p95": (
        "×5.71: the eligible list's query grows with the candidates who pass the facts index (330 ms at "
        "1M against 108 ms at 100k). Next: eligibility per (programme, candidate), see the 100k "
        "server-time row."
    ),
    "1M: Django admin changelist": (
        "×6.66: the peer's date hierarchy and counts scan the table; not Rantau's page (the comparison "
        "target, candidate list ≤ ½ admin, passes at both scales: ×0.37 and ×0.06)."
    ),
    "Queries per request equal: Eligibility shortlist": (
        "11 at 100k, 10 at 1M, not from the data: the idle-timeout middleware writes the session once a "
        "minute (accounts.middleware, _TOUCH_EVERY) and that write fell into the counted requests at "
        "100k; read again in-process after the first run, the page made 10 queries at both scales (the "
        "same list). Next: count a request's queries without the session touch (or sign the in-process "
        "client in just before each page)."
    ),
}
