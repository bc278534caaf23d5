"""Citizen accounts in a real browser: sign-up by e-mail and by phone with one-time codes, sign-in, the authenticator
app and a security key (a virtual WebAuthn authenticator in Chromium), password reset, «Mi expediente», the data
download and closing the account. Every page, including the ones with errors, goes through axe-core and the Nu HTML
Checker; the phone sign-up runs without JavaScript."""

from __future__ import annotations

import importlib
import json
import re

import pytest
from django.core import mail

from portal.accounts.tests.factories import add_totp, make_account, recovery_codes
from portal.notifications.models import NotificationTemplate
from portal.notifications.sms_backends import MemoryBackend
from testing.totp import fresh_totp_code

from .checks import Visit, visit
from .data import ensure_cms_baseline
from .person import check_page, press, sign_in

PASSWORD = "una frase larga y difícil"
CODE = re.compile(r"\b(\d{6})\b")
_seed = importlib.import_module("portal.notifications.migrations.0002_seed_default_templates")


@pytest.fixture(autouse=True)
def _accounts_as_in_production(settings):
    settings.ACCOUNTS_STAFF_REQUIRE_SECOND_FACTOR = True


@pytest.fixture
def sms(transactional_db):
    """The SMS gateway's outbox, with the message templates a flushed database has lost put back."""
    for template in _seed.TEMPLATES:
        NotificationTemplate.objects.get_or_create(
            event=template["event"],
            channel=template["channel"],
            language="es",
            defaults={"subject": template["subject"], "body": template["body"], "html_body": template["html_body"]},
        )
    MemoryBackend.outbox.clear()
    yield MemoryBackend.outbox
    MemoryBackend.outbox.clear()


@pytest.fixture
def citizen(transactional_db):
    return make_account(email="lucia@example.mx", password=PASSWORD, first_name="Lucía")


def mailed_code() -> str:
    return CODE.search(mail.outbox[-1].body).group(1)


def test_sign_up_by_email_then_mi_expediente_the_download_and_closing_the_account(page, transactional_db):
    check_page(page, visit(page, "/cuenta/registro/"))

    result = press(page, "Crear la cuenta")
    check_page(page, result, status=400)
    page.locator(".govuk-error-summary").get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_email"

    page.get_by_label("Correo electrónico", exact=True).fill("maria@example.mx")
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    page.get_by_label("Repita la contraseña").fill(PASSWORD)
    page.get_by_label("Nombre o nombres").fill("María")
    result = press(page, "Crear la cuenta")
    check_page(page, result)
    assert page.get_by_role("heading", level=1).inner_text() == "Verifique su correo electrónico"

    page.get_by_label("Código que le enviamos por correo").fill("000000" if mailed_code() != "000000" else "111111")
    check_page(page, press(page, "Continuar"), status=400)
    page.get_by_label("Código que le enviamos por correo").fill(mailed_code())
    result = press(page, "Continuar")
    check_page(page, result)
    assert page.url.endswith("/mi-expediente/")
    main = page.locator("main").inner_text()
    assert (
        "maria@example.mx" in main
        and "Sin CURP vinculada." in main
        and "Aún no ha iniciado ni enviado solicitudes" in main
    )

    for path in [
        "/mi-expediente/seguridad/",
        "/mi-expediente/mis-datos/",
        "/mi-expediente/nombre/",
        "/cuenta/celular/",
    ]:
        check_page(page, visit(page, path))
    check_page(page, visit(page, "/cuenta/correo/"))

    visit(page, "/mi-expediente/mis-datos/")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Descargar mis datos").click()
    download = download_info.value
    assert download.suggested_filename.startswith("mis-datos-ventanilla-")
    with open(download.path(), encoding="utf-8") as exported:
        data = json.load(exported)
    assert data["cuenta"]["correos"][0]["correo"] == "maria@example.mx"
    assert data["historial_de_inicios_de_sesion"][0]["evento"] == "Inicio de sesión"

    check_page(page, visit(page, "/mi-expediente/eliminar-cuenta/"))
    page.get_by_label("Escriba su contraseña para confirmar").fill(PASSWORD)
    check_page(page, press(page, "Eliminar mi cuenta"), status=400)
    page.get_by_label("Entiendo que mi cuenta y mis datos se eliminarán").check()
    page.get_by_label("Escriba su contraseña para confirmar").fill(PASSWORD)
    result = press(page, "Eliminar mi cuenta")
    check_page(page, result)
    assert page.get_by_role("heading", level=1).inner_text() == "Eliminamos su cuenta"
    assert "/cuenta/entrar/" in visit(page, "/mi-expediente/").response.url


def test_sign_up_by_phone_without_javascript(page_no_js, sms):
    page = page_no_js
    visit(page, "/cuenta/registro/")
    page.get_by_label("Número de celular").fill("55 1234 5678")
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    page.get_by_label("Repita la contraseña").fill(PASSWORD)
    result = press(page, "Crear la cuenta")
    check_page(page, result)
    assert "+52 55 1234 5678" in page.locator("main").inner_text()
    code = CODE.search(sms[-1].text).group(1)
    page.get_by_label("Código que le enviamos por SMS").fill(code)
    result = press(page, "Continuar")
    check_page(page, result)
    assert page.url.endswith("/mi-expediente/")
    assert "+52 55 1234 5678" in page.locator("main").inner_text()


def test_sign_in_failure_then_turning_on_the_authenticator_app(page, citizen):
    check_page(page, visit(page, "/cuenta/entrar/"))
    result = sign_in(page, "lucia@example.mx", "no es la contraseña")
    check_page(page, result, status=400)
    assert (
        "El correo electrónico o la contraseña no son correctos." in page.locator(".govuk-error-summary").inner_text()
    )
    result = sign_in(page, "lucia@example.mx")
    check_page(page, result)

    check_page(page, visit(page, "/cuenta/dos-pasos/"))
    with page.expect_navigation():
        page.get_by_role("button", name="Activar con una aplicación").click()
    assert "/cuenta/confirmar-identidad/" in page.url
    check_page(page, Visit(path=page.url, response=page.request.get(page.url)))  # the page as the server sent it
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    result = press(page, "Continuar")
    check_page(page, result)
    assert page.get_by_role("img", name=re.compile("Código QR")).evaluate("image => image.naturalWidth") > 0
    page.get_by_text("No puedo escanear el código").click()
    secret = page.locator("#clave-totp").inner_text().strip()
    page.get_by_label("Código de la aplicación").fill("12345")
    check_page(page, press(page, "Activar"), status=400)
    page.get_by_label("Código de la aplicación").fill(fresh_totp_code(secret))
    result = press(page, "Activar")
    check_page(page, result)
    assert page.get_by_role("heading", level=1).inner_text() == "Códigos de recuperación"
    check_page(page, visit(page, "/cuenta/dos-pasos/"))

    visit(page, "/mi-expediente/")
    press(page, "Cerrar sesión")
    result = sign_in(page, "lucia@example.mx")
    check_page(page, result)
    assert page.get_by_role("heading", level=1).inner_text() == "Verificación en dos pasos"
    page.get_by_label("Código de verificación").fill(fresh_totp_code(secret))
    press(page, "Continuar")
    assert page.url.endswith("/mi-expediente/")


def test_a_security_key_is_added_and_then_asked_for_at_sign_in(page, citizen):
    client = page.context.new_cdp_session(page)
    client.send("WebAuthn.enable")
    client.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    sign_in(page, "lucia@example.mx")
    visit(page, "/cuenta/dos-pasos/llaves/agregar/")
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    result = press(page, "Continuar")
    check_page(page, result)
    page.get_by_label("Nombre de la llave").fill("Llave del trabajo")
    result = press(page, "Agregar la llave")
    check_page(page, result)
    assert page.get_by_role("heading", level=1).inner_text() == "Códigos de recuperación"
    check_page(page, visit(page, "/cuenta/dos-pasos/llaves/"))
    assert "Llave del trabajo" in page.locator("table").inner_text()

    visit(page, "/mi-expediente/")
    press(page, "Cerrar sesión")
    result = sign_in(page, "lucia@example.mx")
    check_page(page, result)
    press(page, "Usar mi llave de seguridad")
    assert page.url.endswith("/mi-expediente/")


def test_staff_reach_the_admin_through_the_portals_sign_in_and_their_second_factor(page, transactional_db):
    ensure_cms_baseline()
    staff = make_account(email="admin@example.gob.mx", password=PASSWORD, is_staff=True, is_superuser=True)
    secret = add_totp(staff)
    visit(page, "/admin/")
    assert "/cuenta/entrar/?next=" in page.url
    page.get_by_label("Correo electrónico o número de celular").fill(staff.email)
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    result = press(page, "Iniciar sesión")
    check_page(page, result)
    page.get_by_label("Código de verificación").fill(fresh_totp_code(secret))
    result = press(page, "Continuar")
    assert result.status == 200
    assert page.url.endswith("/admin/")


def test_password_reset_by_code(page, citizen):
    check_page(page, visit(page, "/cuenta/contrasena/restablecer/"))
    check_page(page, press(page, "Enviar el código"), status=400)
    page.get_by_label("Correo electrónico o número de celular").fill("lucia@example.mx")
    result = press(page, "Enviar el código")
    check_page(page, result)
    page.get_by_label("Código", exact=True).fill(mailed_code())
    result = press(page, "Continuar")
    check_page(page, result)
    page.get_by_label("Contraseña nueva", exact=True).fill("otra frase larga y segura")
    page.get_by_label("Repita la contraseña nueva").fill("otra frase larga y segura")
    result = press(page, "Guardar la contraseña")
    check_page(page, result)
    assert page.get_by_role("heading", level=1).inner_text() == "Su contraseña cambió"


def test_the_other_account_pages_are_accessible_and_valid(page, citizen):
    add_totp(citizen)
    codes = recovery_codes(citizen)
    sign_in(page, "lucia@example.mx")
    page.get_by_label("Código de verificación").fill(codes[0])
    press(page, "Continuar")
    check_page(page, visit(page, "/cuenta/confirmar-identidad/?next=/cuenta/dos-pasos/"))
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    press(page, "Continuar")
    for path in [
        "/cuenta/salir/",
        "/cuenta/contrasena/cambiar/",
        "/cuenta/dos-pasos/aplicacion/desactivar/",
        "/cuenta/dos-pasos/codigos-de-recuperacion/",
        "/cuenta/dos-pasos/codigos-de-recuperacion/generar/",
        "/cuenta/dos-pasos/llaves/",
        "/cuenta/dos-pasos/confirmar-identidad/",
    ]:
        check_page(page, visit(page, path))
    visit(page, "/cuenta/contrasena/cambiar/")
    page.get_by_label("Contraseña actual").fill("no es")
    check_page(page, press(page, "Cambiar la contraseña"), status=400)


def test_too_many_codes_get_a_429_page_in_the_sites_layout(page, sms):
    for _attempt in range(2):
        page.context.clear_cookies()
        visit(page, "/cuenta/registro/")
        page.get_by_label("Número de celular").fill("55 1234 5678")
        page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
        page.get_by_label("Repita la contraseña").fill(PASSWORD)
        result = press(page, "Crear la cuenta")
    check_page(page, result, status=429)


def test_staff_are_told_they_cannot_close_their_account_here(page, transactional_db):
    make_account(email="editor@example.gob.mx", password=PASSWORD, is_staff=True)
    sign_in(page, "editor@example.gob.mx")
    check_page(page, visit(page, "/mi-expediente/eliminar-cuenta/"), status=403)
