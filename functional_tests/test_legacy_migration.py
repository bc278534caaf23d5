"""An entity's old website after its migration, in a real browser: its old addresses answered on its old host name
(a 301 to the new page, the 410 page with the archived copy, which passes axe and the Nu checker on a desktop and on
a 375-px phone without JavaScript), and «Migración de sitios» as a portal administrator sees it.

The old host name (www.profeco.gob.mx) never leaves the machine: this test's Chromium resolves it to the live server
(``--host-resolver-rules``), as DNS pointing the old name at the portal does after go-live.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from portal.accounts.tests.factories import add_totp, make_account
from portal.agencies.actions import do_grant_portal_admin
from portal.agencies.tests.factories import make_agency
from portal.sites.legacy import demo

from .checks import (
    CHROMIUM,
    PAGES_WITHOUT_JAVASCRIPT,
    Findings,
    assert_accessible,
    assert_fits,
    assert_valid_html,
    load_problems,
    visit,
)
from .conftest import CHROMIUM_ARGS, DESKTOP
from .person import PHONE, main_text, sign_in
from .snapshots import build_once

OLD_HOST = "www.profeco.gob.mx"


@dataclass
class QuietSeed:
    details: dict = field(default_factory=dict)

    def say(self, message: str) -> None:
        """The seed's summary is not this test's business."""


@pytest.fixture(autouse=True)
def _accounts_as_in_production(settings):
    settings.ACCOUNTS_STAFF_REQUIRE_SECOND_FACTOR = True


@pytest.fixture
def migrated_profeco(transactional_db, live_server, settings):
    """PROFECO with its sample old site migrated as the demo seed does; the portal's address is the live server's.

    Migrated by the first test and copied back for the others (``snapshots.build_once``): the import fetches every
    page of the sample site, the slow one included, and checks and publishes what it made, 10–30 s on PostgreSQL on
    the 2-core machine. The live server, and so its address, is the same for the whole session."""
    settings.PORTAL_BASE_URL = live_server.url
    build_once("legacy_profeco", _migrate_profeco)


def _migrate_profeco() -> None:
    make_agency("PROFECO", name="Procuraduría Federal del Consumidor")
    demo.load_demo_catalogue(QuietSeed())


@pytest.fixture
def old_host_page(browser, live_server, front_end_built) -> Iterator[Callable[..., Page]]:
    """Pages of a Chromium that resolves the old host name to the live server (its own launch: the rule is an
    argument of the browser, and the live server's port is known only now)."""
    port = urlsplit(live_server.url).port
    chromium = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            f"--host-resolver-rules=MAP {OLD_HOST}:80 127.0.0.1:{port}",
        ],
    )

    def open_page(*, phone: bool = False, javascript: bool = True) -> Page:
        options: dict = {"locale": "es-MX", "viewport": PHONE if phone else DESKTOP, "java_script_enabled": javascript}
        if phone:
            options.update(has_touch=True, is_mobile=True)
        context = chromium.new_context(**options)
        context.set_default_timeout(10_000)
        page = context.new_page()
        if not javascript:
            PAGES_WITHOUT_JAVASCRIPT.add(page)
        return page

    yield open_page
    chromium.close()


def on_plain_http(problems: list[str]) -> list[str]:
    """Chromium says that it ignores the Cross-Origin-Opener-Policy header of a page served over plain HTTP on a
    name other than localhost; the old host names are served over HTTPS in production, where it applies."""
    return [problem for problem in problems if "Cross-Origin-Opener-Policy header has been ignored" not in problem]


def test_an_old_address_is_a_permanent_redirect_to_the_new_page(old_host_page, migrated_profeco, live_server) -> None:
    page = old_host_page()
    response = page.goto(f"http://{OLD_HOST}/contacto.html")
    assert response is not None and response.status == 200
    assert response.request.redirected_from is not None
    assert response.request.redirected_from.response().status == 301
    assert page.url == f"{live_server.url}/profeco/contacto/"
    assert "atencion@profeco.example" in main_text(page)


def test_the_archived_page_is_gone_accessible_valid_and_fits_a_phone(
    old_host_page, migrated_profeco, live_server
) -> None:
    path = f"http://{OLD_HOST}/servicios/malformado.html"
    page = old_host_page()
    result = visit(page, path)
    findings = Findings(f"{path} (archived)")
    findings.add("loading", on_plain_http(load_problems(page, result, status=410)))
    text = main_text(page)
    findings.add("content", [] if "Se suspenden los plazos" in text and "Copia archivada" in text else [text[:300]])
    findings.check("axe-core", lambda: assert_accessible(page))
    findings.check("Nu HTML Checker", lambda: assert_valid_html(result.html, name=path))
    phone = old_host_page(phone=True, javascript=False)
    on_phone = visit(phone, path)
    findings.add("loading on a phone without JavaScript", on_plain_http(load_problems(phone, on_phone, status=410)))
    findings.check("fits 375 px without JavaScript", lambda: assert_fits(phone))
    findings.check("axe-core on a phone without JavaScript", lambda: assert_accessible(phone))
    findings.verify()

    # The suggested page («Presentar una queja») is still a draft in the demo, so the page offers the entity's site.
    assert page.get_by_role("link", name="la página nueva de este tema").count() == 0
    page.get_by_role("link", name="Ir al sitio de Procuraduría Federal del Consumidor en el portal").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/profeco/"


def test_a_portal_admin_follows_the_migration_in_the_dashboard(new_page, migrated_profeco, live_server) -> None:
    admin = make_account(email="admin@portal.gob.mx", first_name="Administradora")
    do_grant_portal_admin(admin)
    page = new_page()
    sign_in(page, "admin@portal.gob.mx", second_factor=add_totp(admin))
    visit(page, "/admin/")
    page.get_by_role("link", name="Migración de sitios").first.click()
    page.wait_for_load_state()
    assert "0 de 1 migrados" in page.locator("#progreso").inner_text()
    page.get_by_role("link", name="Procuraduría Federal del Consumidor").click()
    page.wait_for_load_state()
    content = page.content()
    assert "/tramites/antiguo.php?id=7" in content and "/servicios/quejas.html" in content
    page.get_by_label("Estado").select_option("archive")
    page.get_by_role("button", name="Filtrar").click()
    page.wait_for_load_state()
    assert "/servicios/malformado.html" in page.content() and "/servicios/quejas.html" not in page.content()
