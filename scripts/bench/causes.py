"""The measured cause and the next step of each target `make bench` misses, keyed by the start of the
target's name in the report (scripts/bench/run.py reads it; the first key a name starts with wins).
Written from the run of 2026-12-01 (commit 42e9f26): its figures, each page's in-process time and SQL
time, and its slowest SQL (var/bench/). `scripts/bench/run.py --report-again` writes the report anew.
"""

_PYTHON = (
    "one request costs more than the 25 ms that a p95 of 150 ms allows here (2 workers, 10 connections, "
    "wrk and PostgreSQL on the same 2 cores: p95 ≈ 6 × one request, see the p95/floor column); "
)

CAUSES: dict[str, str] = {
    # --- server time of one request (in-process) ---------------------------------------------------
    "100k: Home dashboard, one request": (
        "62.6 ms, of which SQL 20 ms in 17 queries (each under 5 ms: the summaries answer in a few rows); "
        "the remaining ~40 ms is Python: the programmes table's cells (a link per count), the chart data, "
        "the reminders' seven counts and the base page. Next: count the overdue contacts once per request "
        "(home line and reminders read the same figure twice), build the funnel table's links from one "
        "prefix, and render the table card in one tag like its rows."
    ),
    "100k: Programme dashboard, one request": (
        "61.3 ms, SQL 14 ms (the age bands over the birth-date counts, 5 ms, the largest); the rest is "
        "Python: eleven tables of cells with a link each (about 300), their chart data as JSON and the "
        "page around them. Next: render each table card in one tag (its headings and chart), and fold "
        "birth dates to (year, day of year) rows so the age-band CASE reads fewer rows."
    ),
    "100k: Home dashboard, national viewer (every municipality), one request": (
        "31.2 ms, SQL 6 ms: Python renders the two tables (municipalities, programmes with their funnels). "
        "Next: the same table-card rendering as the programme dashboard."
    ),
    "100k: Protection dashboard, one request": (
        "41.0 ms, SQL 19 ms: the worker counts' GROUP BY (8 ms) reads one row per contact-clock day; "
        "Python renders the table and the case matrix. Next: see the 1M protection row."
    ),
    "100k: Eligibility shortlist, one request": (
        "184.1 ms, SQL 130 ms in one query: the eligible list is read in name order up to the cap (1,001 of "
        "2,079 eligible) after the facts index yields 5,022 candidates who pass the facts' conditions, each "
        "then checked for consent, age and an open placement. Next: keep eligibility per (programme, "
        "candidate) for the date-independent rules (documents, training, education, sex) so the list is "
        "an index range in name order, and check only age and dates per row."
    ),
    "100k: Candidate list, page 1, one request ≤ 25": (
        "41.8 ms, SQL 5 ms: Python builds the filter form (django-filter deep-copies every filter and field "
        "per request), 50 model rows and their cells, the saved filters and the page. Next: build the "
        "filter form once per language and municipality and clone only its bound data; read the rows "
        "with values() instead of model instances."
    ),
    "100k: Candidate list, page 1, one request ≤ 8": (
        "41.8 ms (see the 25 ms row): the floor work halved the row rendering, the form still dominates."
    ),
    "100k: Trivial signed-in page (floor): password form, one request": (
        "6.7 ms in-process (the test Client adds about 1 ms), SQL 2 ms in 4 queries (session, user, user "
        "and group permissions); the rest is the base page: the header with its user menu and language "
        "switch, the password rules' help text rebuilt per render, the form's fields. Next: cache the "
        "session's user and permissions for the session's life (invalidated on change), and render the "
        "header's static parts once per language."
    ),
    # --- p95 at 100k ---------------------------------------------------------------------------------
    "100k: Home dashboard p95": _PYTHON + "62.6 ms per request (see its server-time row).",
    "100k: Programme dashboard p95": _PYTHON + "61.3 ms per request (see its server-time row).",
    "100k: Home dashboard, national viewer (every municipality) p95": _PYTHON + "31.2 ms per request.",
    "100k: Protection dashboard p95": _PYTHON + "41.0 ms per request.",
    "100k: Candidate list, page 1 p95": _PYTHON + "41.8 ms per request (the filter form, see above).",
    "100k: Candidate list, page 500 p95": _PYTHON
    + "69.0 ms per request, 34 ms of it SQL: OFFSET 24,950 reads and skips the rows before the page. Next: "
    "keyset pages (after the last name and id) for deep pages.",
    "100k: Candidate list, filtered (women, SMA) p95": _PYTHON + "42.4 ms per request (the filter form).",
    "100k: Candidate list, fuzzy name search": _PYTHON
    + "31.6 ms per request, 12 ms SQL: the trigram index yields matches nationwide, the municipality "
    "filters after.",
    "100k: Candidate detail p95": _PYTHON
    + "100.6 ms per request, SQL 12 ms: the page renders the person, documents, placements with their "
    "gates, history and the forms of its actions. Next: load the action forms on demand (htmx) and the "
    "history in its own request.",
    "100k: Pipeline board p95": _PYTHON
    + "88.7 ms per request, SQL 13 ms (counts from the stage counts, cards by id): 110 cards with a "
    "translated date each, the filter form and the saved filters. Next: cards written in Python once "
    "per page like the candidate list's rows; the shared filter-form work.",
    "100k: Eligibility shortlist p95": _PYTHON + "184.1 ms per request, 130 ms of it one query (see above).",
    "100k: Django admin changelist": (
        "the peer, measured for the comparison only: 150.9 ms per request, 71 ms SQL (its date hierarchy "
        "scans registration years); Rantau does not tune Django's admin."
    ),
    "100k: API: candidates, page 1": _PYTHON
    + "23.1 ms per request (the median; the first request after the warm-up took 162 ms), serializing "
    "50 people with their documents and writing the API request log.",
    "100k: API: candidates updated since": _PYTHON + "27.9 ms per request (serializer and request log).",
    # --- growth to 1M --------------------------------------------------------------------------------
    "1M: Protection dashboard p95": (
        "×2.05: the worker counts hold one row per contact-clock day per cohort and kecamatan, and the "
        "seeded contacts (every 7–24 days over three months for 95 % of workers abroad) spread those days "
        "as workers grow: its GROUP BY took 8 ms at 100k and 42 ms at 1M. Next: keep the clock day exactly "
        "only within twice the longest contact interval and fold older days into one 'overdue twice' row, "
        "moved by a daily job (the only time-dependent part)."
    ),
    "1M: Candidate list, fuzzy name search": (
        "×2.35 (p95) and ×3.0 (server time, 94.8 vs 31.6 ms): the trigram index answers for every "
        "municipality and the municipality filters after, so its candidates grow with the nation (69 ms "
        "for the count at 1M). Next: a GIN index on (municipality, upper(full_name) gin_trgm_ops) with "
        "btree_gin, so the index itself keeps to the municipality; and a higher similarity threshold for "
        "the count."
    ),
    "1M: fuzzy name search": "see the row above (the same cause).",
    "1M: Eligibility shortlist p95": (
        "×4.02: the eligible list's query grows with the candidates who pass the facts index (405 ms at "
        "1M against 122 ms at 100k). Next: eligibility per (programme, candidate) kept by the triggers, "
        "see the 100k server-time row."
    ),
    "1M: Django admin changelist": (
        "×4.84: the peer's date hierarchy and counts scan the table; not Rantau's page (the comparison "
        "target, candidate list ≤ ½ admin, passes at both scales)."
    ),
    "Queries per request equal: Eligibility shortlist": (
        "11 at 100k, 10 at 1M, not from the data: the idle-timeout middleware writes the session once a "
        "minute (accounts.middleware, _TOUCH_EVERY) and that write fell into the counted requests at "
        "100k; read again in-process after the run, the page makes 10 queries at both scales (the same "
        "list). Next: count the queries of a request with the session touch excluded, or sign the "
        "in-process client in just before each page."
    ),
    "Seeding 1M": (
        "305 s, 5 s over: the load itself took about 240 s and the five recounts 62 s on one connection "
        "(the eligibility facts 37 s, the summaries 15 s). Next: run the recounts on the two connections "
        "the index build already uses (the facts beside the other four), about 25 s less."
    ),
}
