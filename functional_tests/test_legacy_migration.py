"""An entity's old website after its migration, in a real browser: its old addresses answered on its old host name
(a 301 to the new page, the 410 page with the archived copy, which passes axe and the Nu checker on a desktop and on
a 375-px phone without JavaScript), and «Migración de sitios» as a portal administrator sees it.

The old host name (www.profeco.gob.mx) never leaves the machine: the browser's requests to it are routed to the live
server with that Host header, as DNS pointing the old name at the portal would do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Page, Route

from portal.accounts.tests.factories import add_totp, make_account
from portal.agencies.actions import do_grant_portal_admin
from portal.agencies.tests.factories import make_agency
from portal.sites.legacy import demo

from .checks import Findings, assert_accessible, assert_fits, assert_valid_html, load_problems, visit
from .person import main_text, open_phone, sign_in

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
    """PROFECO with its sample old site migrated as the demo seed does; the portal's address is the live server's."""
    settings.PORTAL_BASE_URL = live_server.url
    make_agency("PROFECO", name="Procuraduría Federal del Consumidor")
    demo.load_demo_catalogue(QuietSeed())


def route_old_host(page: Page, live_server_url: str) -> None:
    def forward(route: Route) -> None:
        path = route.request.url.split(OLD_HOST, 1)[1] or "/"
        headers = {**route.request.headers, "host": OLD_HOST}
        response = route.fetch(url=f"{live_server_url}{path}", headers=headers, max_redirects=0)
        route.fulfill(response=response)

    page.route(f"http://{OLD_HOST}/**", forward)


def test_an_old_address_is_a_permanent_redirect_to_the_new_page(new_page, migrated_profeco, live_server) -> None:
    page = new_page()
    route_old_host(page, live_server.url)
    response = page.goto(f"http://{OLD_HOST}/contacto.html")
    assert response is not None and response.status == 200
    assert response.request.redirected_from is not None
    assert response.request.redirected_from.response().status == 301
    assert page.url == f"{live_server.url}/profeco/contacto/"
    assert "atencion@profeco.example" in main_text(page)


def test_the_archived_page_is_gone_accessible_valid_and_fits_a_phone(new_page, migrated_profeco, live_server) -> None:
    path = f"http://{OLD_HOST}/servicios/malformado.html"
    page = new_page()
    route_old_host(page, live_server.url)
    result = visit(page, path)
    findings = Findings(f"{path} (archived)")
    findings.add("loading", load_problems(page, result, status=410))
    text = main_text(page)
    findings.add("content", [] if "Se suspenden los plazos" in text and "Copia archivada" in text else [text[:300]])
    findings.check("axe-core", lambda: assert_accessible(page))
    findings.check("Nu HTML Checker", lambda: assert_valid_html(result.html, name=path))
    phone = open_phone(new_page, javascript=False)
    route_old_host(phone, live_server.url)
    on_phone = visit(phone, path)
    findings.add("loading on a phone without JavaScript", load_problems(phone, on_phone, status=410))
    findings.check("fits 375 px without JavaScript", lambda: assert_fits(phone))
    findings.check("axe-core on a phone without JavaScript", lambda: assert_accessible(phone))
    findings.verify()

    page.get_by_role("link", name="la página nueva de este tema").click()
    page.wait_for_load_state()
    assert page.url.startswith(f"{live_server.url}/profeco/")


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
