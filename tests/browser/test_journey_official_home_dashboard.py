"""An official starts from the home dashboard and follows a programme's funnel numbers to the lists
behind them; each list holds as many placements as the number said. (The programme dashboard's own
numbers are followed in test_dashboards.py.)"""

import pytest

from tests.browser.conftest import login
from tests.dashboards.dataset import data  # noqa: F401 - the hand-built data set of tests/dashboards

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_official_follows_home_dashboard_funnel_numbers_to_their_lists(page, shot, serang_official, data):  # noqa: F811
    login(page, serang_official.username)
    assert page.url.rstrip("/") == page.base_url
    row = page.locator("[data-testid=table-programmes] tbody tr", has_text="Programme P")
    assert row.count() == 1
    shot("home-dashboard")

    # Reached "departed": 6 departed, 7 abroad, 8 returned (see tests/dashboards/dataset.py); 10, who
    # absconded, is counted with the early ends.
    departed = row.locator(f"a[href*='programme={data.programme.pk}'][href*='reached=departed']")
    assert departed.get_attribute("data-count") == "3"
    departed.click()
    page.wait_for_url("**/placements/?*reached=departed*")
    assert page.locator("[data-testid=result-count]").first.inner_text() == "3"
    # A "reached" number opens the list of exactly those placements (not the board, whose columns
    # would put them off-screen).
    listed = page.locator("[data-testid=placement-table] tbody tr[data-placement]")
    shown = {int(pk) for pk in listed.evaluate_all("rows => rows.map(r => r.dataset.placement)")}
    assert shown == {data.placements[key].pk for key in (6, 7, 8)}
    shot("reached-departed")

    # Ended early: 9 withdrew, 10 absconded. The list shows exactly those rows.
    page.go_back()
    page.wait_for_url(page.base_url + "/")
    ended = row.locator("a[href*='stage=ended']")
    assert ended.get_attribute("data-count") == "2"
    ended.click()
    page.wait_for_url("**/placements/?*stage=ended*")
    assert page.locator("[data-testid=result-count]").first.inner_text() == "2"
    listed = page.locator("[data-testid=placement-table] tbody tr[data-placement]")
    shown = {int(pk) for pk in listed.evaluate_all("rows => rows.map(r => r.dataset.placement)")}
    assert shown == {data.placements[9].pk, data.placements[10].pk}
    shot("ended-list")
    assert page.console_errors == []
