"""«Mi expediente» in a real browser, as the citizen meets it after applying: her case and her draft, then the
prevención waiting for her answer (which she gives from there), then the resolution among her documents. On a 375-px
phone, with JavaScript and without; every page through axe-core and the Nu HTML Checker, and none may scroll
sideways. Also: a signed-in citizen who opens /admin/ gets a clear page instead of a redirect loop.

The agency's side (asking for the information, resolving) is done with the same actions the back office calls: its
pages have their own browser tests (test_backoffice.py); here only the citizen's pages are walked.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from portal.applications.actions import casework, drafts
from portal.applications.tests.backoffice_world import build_world
from portal.applications.tests.journey_data import open_form

from .checks import visit
from .person import check_page, follow, open_phone, press, sign_in


@pytest.fixture
def world(transactional_db):
    world = build_world()
    world.draft = drafts.do_start_draft(world.citizen, open_form(acronym="BORR"))
    return world


def section(page: Page, heading: str) -> str:
    """The visible text of the section under the level-2 heading ``heading``, up to the next one."""
    return page.evaluate(
        """(heading) => {
            const h2 = [...document.querySelectorAll("main h2")].find((el) => el.innerText.trim() === heading);
            if (!h2) return "";
            let text = "";
            for (let el = h2.nextElementSibling; el && el.tagName !== "H2"; el = el.nextElementSibling) {
                text += el.innerText + "\\n";
            }
            return text;
        }""",
        heading,
    )


def walk_mi_expediente(page: Page, world) -> None:
    folio = world.case.folio
    sign_in(page, world.citizen.email, check_form=True)
    check_page(page, visit(page, "/mi-expediente/"))
    solicitudes = section(page, "Solicitudes")
    assert "Sin terminar" in solicitudes and "Se borra el" in solicitudes and "Continuar" in solicitudes
    assert "Enviadas" in solicitudes and f"Folio {folio}" in solicitudes and "Recibida" in solicitudes
    assert "Acuse de recibo" in section(page, "Documentos")
    assert "Requiere su atención" not in page.locator("main").inner_text()
    assert page.get_by_role("heading", name="Pagos", exact=True).count() == 0
    # Appointments exist since issue 13: the section says plainly that there is none.
    assert "No tiene citas próximas." in section(page, "Citas")

    # The agency asks for a document: the prevención now comes first, and she answers it from here.
    casework.do_request_information(world.case, world.worker, "Falta el comprobante de domicilio.")
    check_page(page, visit(page, "/mi-expediente/"))
    banner = page.get_by_role("region", name="Requiere su atención")
    assert "Un trámite espera su respuesta." in banner.inner_text()
    solicitudes = section(page, "Solicitudes")
    assert solicitudes.index("Requieren su atención") < solicitudes.index("Enviadas")
    assert "Información solicitada" in solicitudes
    check_page(
        page, follow(page, banner.get_by_role("link", name=f"Responder a la prevención de la solicitud {folio}"))
    )
    assert "Falta el comprobante de domicilio." in page.locator("main").inner_text()
    page.get_by_label("Su respuesta").fill("Lo llevo a la oficina el lunes.")
    result = press(page, "Enviar mi respuesta")
    check_page(page, result)
    assert page.url.endswith(f"/mi-expediente/solicitudes/{folio}/")
    history = page.locator("ol.app-timeline").inner_text()
    assert "Falta el comprobante de domicilio." in history and "Lo llevo a la oficina el lunes." in history

    check_page(page, visit(page, "/mi-expediente/"))
    assert page.get_by_role("region", name="Requiere su atención").count() == 0
    assert "En revisión" in section(page, "Solicitudes")

    # The agency resolves: the resolution appears among her documents, with its download.
    casework.do_resolve(world.case, world.worker, True, "Cumple los requisitos.")
    check_page(page, visit(page, "/mi-expediente/"))
    assert "Resuelta: procedente" in section(page, "Solicitudes")
    documents = section(page, "Documentos")
    assert "Resolución: procedente" in documents and "Descargar la resolución (PDF)" in documents


def test_mi_expediente_after_applying_on_a_phone(new_page, world):
    walk_mi_expediente(open_phone(new_page, javascript=True), world)


def test_mi_expediente_after_applying_on_a_phone_without_javascript(new_page, world):
    walk_mi_expediente(open_phone(new_page, javascript=False), world)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_citizen_who_opens_the_admin_is_told_it_is_for_staff(new_page, world, javascript):
    page = open_phone(new_page, javascript=javascript)
    sign_in(page, world.citizen.email, check_form=True)
    result = visit(page, "/admin/")
    check_page(page, result, status=403)
    assert page.url.endswith("/admin/")  # no redirect, so no loop
    assert page.get_by_role("heading", level=1).inner_text() == "Esta área es para el personal de las instituciones"
    check_page(page, follow(page, page.get_by_role("link", name="Ir a Mi expediente")))
    assert page.get_by_role("heading", level=1).inner_text() == "Mi expediente"
