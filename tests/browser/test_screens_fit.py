"""Screens that fit a 1366 px office screen (issue 18): the header on one line for every role in both
languages, and the pipeline board without a page-wide scroll."""

import pytest

from tests.browser.conftest import login
from tests.factories import PlacementFactory, ruled_programme

# Not serialized: these run after test_language_and_login.py, whose flushes recreate the content types
# (tests/conftest.py replays the reference data after every flush).
pytestmark = pytest.mark.django_db(transaction=True)

WIDTH = 1366
MEASURE = """() => {
  const header = document.querySelector('header');
  const items = '.navbar-nav > .nav-item, [data-testid=language-switch], [data-testid=user-menu]';
  const tops = [...header.querySelectorAll(items)]
    .filter(e => e.offsetParent !== null)
    .map(e => { const r = e.getBoundingClientRect(); return r.top + r.height / 2; });
  // One line: every item's middle within a few pixels of the others'.
  return {scroll: document.documentElement.scrollWidth, header: header.getBoundingClientRect().height,
          spread: Math.round(Math.max(...tops) - Math.min(...tops)), items: tops.length};
}"""


def _set_language(page, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.base_url}])


@pytest.fixture
def every_role(serang_staff, serang_official, serang_admin, serang_dpo, national_viewer, superuser):
    return [serang_staff, serang_official, serang_admin, serang_dpo, national_viewer, superuser]


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_header_fits_1366_px_on_one_line_for_every_role(page, shot, every_role, language):
    _set_language(page, language)
    for user in every_role:
        login(page, user.username)
        # The national viewer reads counts only: its list page is the placements' counts.
        for path in ("/", "/candidates/" if user.municipality_id or user.is_superuser else "/placements/"):
            page.goto(page.base_url + path)
            assert page.locator("html").get_attribute("lang") == language
            size = page.evaluate(MEASURE)
            assert size["items"] >= 6, size
            assert size["scroll"] <= WIDTH, f"{user.username} {language} {path}: {size}"
            assert size["spread"] <= 8 and size["header"] < 64, f"{user.username} {language} {path}: {size}"
        shot(f"header-{user.username}-{language}")
        page.context.clear_cookies()
        _set_language(page, language)
    assert page.console_errors == []


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_pipeline_board_with_every_column_fits_1366_px(page, shot, serang_staff, language):
    programme = ruled_programme()
    stages = ["registered", "screened", "documents_verified", "in_training", "ready", "selected", "visa"]
    stages += ["departed", "abroad", "returned", "withdrawn"]
    for stage in stages:
        PlacementFactory.create_batch(2, programme=programme, stage=stage)
    _set_language(page, language)
    login(page, serang_staff.username)
    page.goto(f"{page.base_url}/placements/?programme={programme.pk}")
    columns = page.locator("[data-testid=pipeline-board] [data-column]")
    assert columns.count() == 11
    size = page.evaluate(MEASURE)
    assert size["scroll"] <= WIDTH, size
    board = page.evaluate(
        "() => { const b = document.querySelector('[data-testid=pipeline-board]');"
        " return {client: b.clientWidth, scroll: b.scrollWidth, right: b.getBoundingClientRect().right}; }"
    )
    assert board["scroll"] <= board["client"] and board["right"] <= WIDTH, board
    # The late columns are folded to their count, and unfold on a click.
    folded = page.locator("[data-column=abroad]")
    assert "2" in folded.locator(".stage-count").inner_text()
    assert not folded.locator("[data-card]").first.is_visible()
    shot(f"board-{language}")
    assert not page.locator("[data-testid=board-scroll-top]").is_visible()  # nothing to scroll
    for stage in ("abroad", "returned", "ended"):
        page.locator(f"[data-column={stage}] [data-fold-toggle]").click()
    assert folded.locator("[data-card]").first.is_visible()
    # Every column open: the board scrolls inside itself, with a scroll bar above it too.
    assert page.locator("[data-testid=board-scroll-top]").is_visible()
    page.locator("[data-testid=board-scroll-top]").evaluate(
        "el => { el.scrollLeft = 200; el.dispatchEvent(new Event('scroll')); }"
    )
    assert page.evaluate("() => document.querySelector('[data-testid=pipeline-board]').scrollLeft") > 0
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH
    shot(f"board-unfolded-{language}")
    assert page.console_errors == []
