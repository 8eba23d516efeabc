"""The programme dashboard in a real browser: charts drawn under the strict CSP, a number followed to
its list, the page printed to A4."""

import re

import pytest

from tests.browser.conftest import login
from tests.dashboards.dataset import data  # noqa: F401 - the hand-built data set of tests/dashboards

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_official_sees_charts_follows_a_number_and_prints_on_a4(page, shot, serang_official, data):  # noqa: F811
    login(page, serang_official.username)
    page.goto(f"{page.base_url}/programmes/{data.programme.pk}/")
    page.wait_for_load_state("networkidle")
    drawn = page.evaluate("() => [...document.querySelectorAll('canvas[data-chart]')].map(c => !!Chart.getChart(c))")
    assert len(drawn) == 9 and all(drawn)
    # The axes count as the user's language writes numbers: 1.000 in Bahasa Indonesia (issue 18).
    locale = page.evaluate("() => Chart.getChart(document.querySelector('canvas[data-chart]')).options.locale")
    assert locale == "id"
    assert page.evaluate("() => new Intl.NumberFormat('id').format(1000)") == "1.000"
    shot("programme-dashboard")

    link = page.locator("[data-testid=table-funnel] a[data-count]").nth(4)  # reached Ready
    expected = link.get_attribute("data-count")
    link.click()
    page.wait_for_load_state("domcontentloaded")
    assert "reached=ready" in page.url
    assert page.locator("[data-testid=result-count]").first.inner_text() == expected == "5"
    shot("reached-ready-list")

    page.go_back()
    page.wait_for_load_state("networkidle")
    pdf = page.pdf(format="A4")
    assert re.search(rb"/MediaBox \[0 0 595\.\d+ 84[12]\.\d+\]", pdf), "not an A4 page"
    assert page.console_errors == []
