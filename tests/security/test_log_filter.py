"""The logging safety net masks NIK- and passport-like numbers in whatever reaches a handler."""

import io
import logging

import pytest
from django.conf import settings

from accounts.log_filters import MaskPersonalDataFilter, mask_personal_data

NIK = "3673015506900003"
PASSPORT = "C7654321"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"nik={NIK}", "nik=[redacted]"),
        (f"Key (nik)=({NIK}) already exists.", "Key (nik)=([redacted]) already exists."),
        (f"passport {PASSPORT} expires", "passport [redacted] expires"),
        ("passport AB123456 expires", "passport [redacted] expires"),
        ("card 4111111111111111111", "card [redacted]"),
        # Not personal data: short numbers, ids, timings, words with digits, hashes.
        ("GET /candidates/12345/ 200 0.031", "GET /candidates/12345/ 200 0.031"),
        ("user 367301 deactivated", "user 367301 deactivated"),
        ("static/js/rantau.3f2a1b9c.js", "static/js/rantau.3f2a1b9c.js"),
        ("E-9 worker, EPS-TOPIK 120", "E-9 worker, EPS-TOPIK 120"),
    ],
)
def test_mask_personal_data(text, expected):
    assert mask_personal_data(text) == expected


@pytest.fixture
def captured():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskPersonalDataFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("tests.security.filter")
    logger.addHandler(handler)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)
    logger.propagate = True


def test_arguments_are_masked_after_formatting(captured):
    logger, stream = captured
    logger.warning("candidate %s with passport %s", NIK, PASSPORT)
    assert stream.getvalue() == "WARNING candidate [redacted] with passport [redacted]\n"


def test_a_traceback_that_quotes_a_value_is_masked(captured):
    logger, stream = captured
    try:
        raise ValueError(f"duplicate key value violates unique constraint: Key (nik)=({NIK}) already exists.")
    except ValueError:
        logger.exception("import failed")
    output = stream.getvalue()
    assert "import failed" in output
    assert "Traceback" in output
    assert NIK not in output
    assert "Key (nik)=([redacted])" in output


def test_the_filter_is_on_every_configured_handler():
    handlers = settings.LOGGING["handlers"]
    assert handlers, "LOGGING has no handlers"
    for name, config in handlers.items():
        assert "personal_data" in config.get("filters", []), f"handler {name} has no personal_data filter"
    root_handlers = logging.getLogger().handlers
    assert any(isinstance(f, MaskPersonalDataFilter) for h in root_handlers for f in h.filters)
