"""Screens that fit a 1366 px office screen (issue 18): the header on one line for every role in both
languages, and the pipeline board without a page-wide scroll."""

import pytest

from tests.browser.conftest import login
from tests.factories import PlacementFactory, ruled_programme

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTH = 1366
MEASURE = """() => {
  const header = document.querySelector('header');
  const tops = [...header.querySelectorAll('.navbar-nav > .nav-item, [data-testid=language-switch], [data-testid=user-menu]')]
    .filter(e => e.offsetParent !== null).map(e => Math.round(e.getBoundingClientRect().top));
  return {scroll: document.documentElement.scrollWidth, header: header.getBoundingClientRect().height,
          lines: new Set(tops).size, items: tops.length};
}"""


def _set_language(page, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.base_url}])


@pytest.fixture
def every_role(serang_staff, serang_official, serang_admin, national_viewer, superuser):
    return [serang_staff, serang_official, serang_admin, national_viewer, superuser]


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_header_fits_1366_px_on_one_line_for_every_role(page, shot, every_role, language):
    _set_language(page, language)
    for user in every_role:
        login(page, user.username)
        for path in ("/", "/candidates/"):
            page.goto(page.base_url + path)
            assert page.locator("html").get_attribute("lang") == language
            size = page.evaluate(MEASURE)
            assert size["items"] >= 6, size
            assert size["scroll"] <= WIDTH, f"{user.username} {language} {path}: {size}"
            assert size["lines"] == 1 and size["header"] < 64, f"{user.username} {language} {path}: {size}"
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
    folded.locator("[data-fold-toggle]").click()
    assert folded.locator("[data-card]").first.is_visible()
    # Unfolded, the board scrolls inside itself, with a scroll bar on top too.
    assert page.locator("[data-testid=board-scroll-top]").is_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH
    shot(f"board-unfolded-{language}")
    assert page.console_errors == []
