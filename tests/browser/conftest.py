"""Real-browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

Each journey saves screenshots under var/screenshots/ for a person to look at.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PASSWORD = "correct-horse-battery"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed (apt-get install chromium); CI must run the browser tests.")
        pytest.skip("Chromium is not installed: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    # Playwright's sync API runs an event loop in this thread; the ORM calls a test makes between
    # browser steps are still plain synchronous code. Set for the whole of a browser test (fixture
    # setup and teardown too: the transactional flush runs after every function fixture is gone)
    # and only for it: the variable must not leak into other tests (check --deploy rejects it).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        return (yield)
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server, request):
    """A fresh browser context per test, in Indonesian like an office PC set to Bahasa Indonesia."""
    context = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("response", lambda r: r.status >= 400 and page.console_errors.append(f"{r.status} {r.url}"))
    yield page
    context.close()


class Shots:
    def __init__(self, page, name: str):
        self.page, self.name, self.n = page, name, 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def __call__(self, label: str) -> Path:
        self.n += 1
        path = SCREENSHOTS / f"{self.name}-{self.n:02d}-{label}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def shot(page, request):
    return Shots(page, request.node.name.replace("[", "-").replace("]", ""))


def login(page, username: str, password: str = PASSWORD):
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit].btn-primary")
    page.wait_for_load_state("domcontentloaded")


@pytest.fixture
def private_storage(settings, tmp_path):
    """Uploaded documents and import files land in a fresh folder, never in var/private."""
    root = tmp_path / "private"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}},
    }
    return root


def submit(page, target):
    """Click a submit button (a locator or selector) and wait for the page that answers the form."""
    locator = page.locator(target) if isinstance(target, str) else target
    with page.expect_navigation():
        locator.click()
