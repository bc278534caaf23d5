"""The back office in a real browser: a case worker's queue, a case, a prevención, the citizen's answer and the
resolution with its confirmation page. Every page (errors included) goes through axe-core and the Nu HTML Checker;
the case worker's whole journey also runs without JavaScript on a 375-px phone, where no page may be wider than the
screen."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page

from portal.applications.models import ApplicationStatus
from portal.applications.tests.backoffice_world import build_world
from portal.applications.tests.factories import submitted_application
from portal.core import business_days

from .checks import visit
from .person import approve_case, check_page, open_phone, press, sign_in

S = ApplicationStatus


@pytest.fixture
def world(transactional_db):
    world = build_world()
    # An overdue case and one due soon, so that the queue shows its deadline tags.
    today = business_days.today()
    submitted_application(world.service, submitted_on=today - dt.timedelta(days=40))
    soon = submitted_application(world.service, submitted_on=today)
    soon.due_date = business_days.add_business_days(today, 1)
    soon.save(update_fields=["due_date"])
    return world


def case_worker_journey(page: Page, world) -> None:
    sign_in(page, world.worker.email)
    result = visit(page, "/oficina/")
    check_page(page, result)
    assert page.url.endswith("/oficina/casos-a/solicitudes/")
    main = page.locator("main").inner_text()
    assert "Vencida hace" in main and "Vence en 1 día hábil" in main
    assert world.other_case.folio not in main

    check_page(page, visit(page, "/oficina/casos-a/solicitudes/?plazo=ayer"), status=400)
    page.get_by_label("Plazo legal").select_option("vencidas")
    check_page(page, press(page, "Filtrar"))

    folio = world.case.folio
    check_page(page, visit(page, f"/oficina/casos-a/solicitudes/{folio}/"))
    check_page(page, press(page, "Guardar la nota"), status=400)
    page.get_by_label("Nota interna").fill("Revisar el comprobante.")
    check_page(page, press(page, "Guardar la nota"))
    check_page(page, press(page, "Tomar para revisión"))
    assert "En revisión" in page.locator("main").inner_text()

    page.get_by_role("link", name="Solicitar información").click()
    page.wait_for_load_state()
    check_page(page, visit(page, page.url))
    check_page(page, press(page, "Enviar la petición"), status=400)
    page.get_by_label("¿Qué información o documentos faltan?").fill("Falta el comprobante de domicilio.")
    check_page(page, press(page, "Enviar la petición"))
    assert "Información solicitada" in page.locator("main").inner_text()


def test_a_case_worker_works_a_case_and_the_citizen_answers(page, new_page, world):
    case_worker_journey(page, world)

    citizen = new_page()
    sign_in(citizen, world.citizen.email)
    result = visit(citizen, f"/mi-expediente/solicitudes/{world.case.folio}/responder/")
    check_page(citizen, result)
    check_page(citizen, press(citizen, "Enviar mi respuesta"), status=400)
    citizen.get_by_label("Su respuesta").fill("Lo adjunto en la ventanilla mañana.")
    result = press(citizen, "Enviar mi respuesta")
    assert result.status == 200 and citizen.url.endswith(f"/mi-expediente/solicitudes/{world.case.folio}/")
    check_page(citizen, visit(citizen, f"/mi-expediente/solicitudes/{world.case.folio}/responder/"), status=404)

    check_page(page, visit(page, f"/oficina/casos-a/solicitudes/{world.case.folio}/"))
    assert "Lo adjunto en la ventanilla mañana." in page.locator("main").inner_text()
    page.get_by_role("link", name="Resolver").click()
    page.wait_for_load_state()
    check_page(page, visit(page, page.url))
    page.get_by_label("No procedente: rechazar la solicitud").check()
    check_page(page, press(page, "Continuar"), status=400)
    page.get_by_label("Motivos y fundamentos").fill("No presentó el comprobante de domicilio.")
    check_page(page, press(page, "Continuar"))
    assert page.get_by_role("heading", level=1).inner_text() == "Confirme la resolución"
    check_page(page, press(page, "Confirmar y emitir la resolución"))
    main = page.locator("main").inner_text()
    assert "Resuelta: no procedente" in main and "Descargar la resolución (PDF)" in main


def test_the_case_worker_journey_on_a_phone_without_javascript(new_page, world):
    # Every page of the journey on a 375-px screen: check_page fails if anything is wider than the screen.
    case_worker_journey(open_phone(new_page, javascript=False), world)
    world.case.refresh_from_db()
    assert world.case.status == S.INFORMATION_REQUESTED


def test_resolving_on_a_phone_without_javascript(new_page, world):
    page = open_phone(new_page, javascript=False)
    sign_in(page, world.worker.email)
    approve_case(page, "casos-a", world.case.folio)
    world.case.refresh_from_db()
    assert world.case.status == S.APPROVED


def test_a_citizen_gets_the_403_page_and_a_stranger_a_404(page, world):
    sign_in(page, world.citizen.email)
    check_page(page, visit(page, "/oficina/"), status=403)
    other = world.other_worker
    page.context.clear_cookies()
    sign_in(page, other.email)
    check_page(page, visit(page, f"/oficina/casos-a/solicitudes/{world.case.folio}/"), status=404)


def test_a_form_whose_act_a_colleague_closed_meanwhile_says_why_on_a_phone_without_javascript(new_page, world):
    # Gloria opens «Resolver»; before she acts, Carlos asks the applicant for information. When Gloria comes back to
    # the form, the page says why she can no longer resolve (409) instead of offering a form that would fail.
    page = open_phone(new_page, javascript=False)
    sign_in(page, world.worker.email)
    case_url = f"/oficina/casos-a/solicitudes/{world.case.folio}/"
    check_page(page, visit(page, case_url))
    page.get_by_role("link", name="Resolver").click()
    page.wait_for_load_state()
    resolve_url = page.url
    assert page.get_by_role("heading", level=1).is_visible()

    colleague = open_phone(new_page, javascript=False)
    sign_in(colleague, world.colleague.email)
    check_page(colleague, visit(colleague, case_url))
    check_page(colleague, press(colleague, "Tomar para revisión"))
    colleague.get_by_role("link", name="Solicitar información").click()
    colleague.wait_for_load_state()
    colleague.get_by_label("¿Qué información o documentos faltan?").fill("Falta el acta de nacimiento.")
    check_page(colleague, press(colleague, "Enviar la petición"))

    check_page(page, visit(page, resolve_url), status=409)
    main = page.locator("main").inner_text()
    assert "Información solicitada" in main and "solo puede desecharse cuando ese plazo haya vencido" in main
    assert page.get_by_role("button", name="Continuar").count() == 0
