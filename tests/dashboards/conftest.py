"""Fixtures of the dashboard tests: the hand-built data set lives in dataset.py, so that the browser
tests (tests/browser/) can use it too."""

from tests.dashboards.dataset import data  # noqa: F401 - a fixture
