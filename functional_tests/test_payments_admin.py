"""«Cobros» in the Wagtail admin, in a real browser, signed in as an entity administrator with a second factor: the
list of charged services, a service's fee versions, a fee completed with the form's answer that chooses it and its
quantity question, a mistake in the payment setting explained and corrected, an exemption added, and a wrong CLABE
explained — on a desktop with JavaScript and without it (the admin's own sidebar is not made for a phone without
JavaScript: see test_appointments_calendars_admin.py), each page through axe-core and the Nu HTML Checker."""

from __future__ import annotations

import pytest

from portal.accounts.tests.factories import add_totp, make_account
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from portal.payments.models import AgencyPaymentAccount, Exemption, PaymentSetting
from portal.payments.tests.factories import make_passport_with_form

from .checks import visit
from .person import check_page, main_text, messages_settled, press, sign_in


@pytest.fixture(autouse=True)
def _accounts_as_in_production(settings):
    settings.ACCOUNTS_STAFF_REQUIRE_SECOND_FACTOR = True


@pytest.fixture
def passport(transactional_db):
    sre = make_agency("SRE", name="Secretaría de Relaciones Exteriores")
    service = make_passport_with_form(sre)
    user = make_account(email="admin@sre.gob.mx", first_name="Admin")
    do_grant_role(user, sre, Role.ENTITY_ADMIN)
    return service, add_totp(user)


def saved(page, button: str, *, javascript: bool, status: int = 200) -> None:
    result = press(page, button)
    if javascript:
        messages_settled(page)
    check_page(page, result, status=status)


@pytest.mark.parametrize("javascript", [True, False], ids=["desktop-js", "desktop-no-js"])
def test_an_administrator_completes_a_fee_sets_when_it_is_paid_and_adds_an_exemption(new_page, passport, javascript):
    service, secret = passport
    page = new_page(java_script_enabled=javascript)
    sign_in(page, "admin@sre.gob.mx", second_factor=secret)

    check_page(page, visit(page, "/admin/cobros/"))
    assert "Pasaporte de 6 años: $2,000.00" in main_text(page)
    check_page(page, visit(page, f"/admin/cobros/tramites/{service.pk}/"))
    assert "$1,800.00" in main_text(page)  # the 2019 version, kept as history

    # The 6-year passport: chosen by «Vigencia» = 6 años, multiplied by the copies.
    fee = service.payable_fees.filter(key="pasaporte-de-6-anos").latest("valid_from")
    check_page(page, visit(page, f"/admin/cobros/tramites/{service.pk}/derechos/{fee.pk}/"))
    page.get_by_label("Respuesta del formulario que elige este derecho").select_option(label="6 años")
    page.get_by_label("Pregunta de cantidad").select_option(label="Copias certificadas")
    page.get_by_label("Fundamento").fill("Ley Federal de Derechos, artículo 20, fracción II")
    saved(page, "Guardar", javascript=javascript)
    assert "Derecho guardado." in page.content()
    fee.refresh_from_db()
    assert fee.option == {"question": "vigencia", "value": "6"} and fee.quantity_question == "copias"

    # A reference valid longer than twice the days to pay is explained, then corrected.
    check_page(page, visit(page, f"/admin/cobros/tramites/{service.pk}/cobro/"))
    page.get_by_label("Días hábiles para pagar").fill("3")
    page.get_by_label("Vigencia de la línea de captura en días").fill("10")
    saved(page, "Guardar", javascript=javascript, status=400)
    assert "no puede durar más del doble del plazo para pagar (6 días)" in main_text(page)
    page.get_by_label("Vigencia de la línea de captura en días").fill("6")
    saved(page, "Guardar", javascript=javascript)
    assert PaymentSetting.objects.get(service=service).reference_valid_days == 6

    # An exemption for people with a disability, from the form's yes/no question.
    check_page(page, visit(page, f"/admin/cobros/tramites/{service.pk}/exenciones/nueva/"))
    page.get_by_label("Nombre").fill("Personas con discapacidad")
    page.get_by_label("Fundamento").fill("LFD, artículo 20, fracción V")
    page.get_by_label("Porcentaje de descuento").fill("100")
    page.get_by_label("Respuesta que da derecho a la exención").select_option(label="Sí")
    page.get_by_role("radio", name="Respuesta del formulario").check()
    saved(page, "Guardar", javascript=javascript)
    assert Exemption.objects.get(service=service, name="Personas con discapacidad").parameters == {
        "question": "discapacidad",
        "value": True,
    }
    assert "Cambios registrados" in main_text(page) and "Personas con discapacidad" in main_text(page)

    # The payment account: a CLABE with a wrong check digit is explained.
    account = AgencyPaymentAccount.objects.get(agency=service.agency)
    check_page(page, visit(page, f"/admin/cobros/instituciones/{service.agency_id}/cuenta/"))
    page.get_by_label("Banco de la cuenta concentradora").fill("Banco del Bienestar")
    page.get_by_label("CLABE de la cuenta concentradora").fill("032180000118359710")
    saved(page, "Guardar", javascript=javascript, status=400)
    assert "su dígito verificador no corresponde" in main_text(page)
    page.get_by_label("CLABE de la cuenta concentradora").fill("032180000118359719")
    saved(page, "Guardar", javascript=javascript)
    account.refresh_from_db()
    assert account.clabe == "032180000118359719"
