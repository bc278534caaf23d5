"""Fixtures for journeys in a real browser: Debian's Chromium driven by Playwright against Django's live server.

One browser per test session (starting Chromium costs ~0.5 s); a new browser context, with its own cookies, storage
and cache, for every test, so tests cannot leak state into one another. Every test here is marked ``browser``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .checks import CHROMIUM, PAGES_WITHOUT_JAVASCRIPT, missing_tool, shared_validator
from .data import DemoCatalogue, build_demo_catalogue, build_demo_sites, ensure_cms_baseline
from .snapshots import build_once, remember_baseline

HERE = Path(__file__).resolve().parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    browser = pytest.mark.browser
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(browser)


@pytest.fixture(scope="session", autouse=True)
def _html_validator() -> Iterator[None]:
    """Start the Nu HTML Checker in the background now, so the JVM warms up while the database is being set up."""
    validator = shared_validator()
    validator.start()
    yield
    validator.stop()


@pytest.fixture(autouse=True)
def _cms_baseline(request: pytest.FixtureRequest) -> None:
    """Give every live-server test Wagtail's root page, default site, root collection and locale.

    Migrations create them, but the flush after each transactional test deletes them, and without them the CMS
    (the admin, page URLs) fails. Other rows created by data migrations are not put back: build what a test needs.
    """
    if "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        if ensure_cms_baseline():
            remember_baseline()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        missing_tool(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium); browser tests need it")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread, and Django refuses ORM calls from a thread
    # with a running loop. The tests are synchronous code that merely shares the thread, so the check does not apply.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def front_end_built() -> None:
    """Fail early, once, when the compiled CSS and JavaScript are missing: every page would fail to load them."""
    from django.conf import settings

    missing = [str(folder) for folder in settings.STATICFILES_DIRS if not any(Path(folder).glob("*/*"))]
    if missing:
        pytest.fail(f"The front end is not built ({', '.join(missing)} is empty): run `make assets`", pytrace=False)


@pytest.fixture
def new_page(browser, live_server, front_end_built) -> Iterator[Callable[..., object]]:
    """Open a page in a fresh browser context; keyword arguments go to ``browser.new_context``."""
    contexts = []

    def open_page(**options):
        options = {"base_url": live_server.url, "locale": "es-MX", "viewport": DESKTOP, **options}
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        context.set_default_navigation_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        if options.get("java_script_enabled") is False:
            PAGES_WITHOUT_JAVASCRIPT.add(page)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop-sized page with JavaScript on."""
    return new_page()


@pytest.fixture
def page_no_js(new_page):
    """A desktop-sized page with JavaScript off: every core journey must work without it.

    ``assert_accessible`` works here too: it audits the page from an isolated world (``checks._run_axe_without_page_scripts``).
    """
    return new_page(java_script_enabled=False)


@pytest.fixture
def demo(db) -> DemoCatalogue:
    """The demo catalogue: built once, then copied back for each test (see ``snapshots``). Treat it as read-only."""
    return build_once("demo", build_demo_catalogue)


@pytest.fixture
def demo_sites(db) -> DemoCatalogue:
    """The demo catalogue with pages, news and an image on the entities' sites (``data.build_demo_sites``)."""
    return build_once("demo_sites", build_demo_sites)


@pytest.fixture
def demo_two_pages(db) -> DemoCatalogue:
    """The demo catalogue with enough services for a second catalogue page."""
    return build_once("demo_two_pages", lambda: build_demo_catalogue(second_page=True))
