"""A charged procedure from the form to the agency: a person on a phone applies, is told what she owes and until when,
pays by card on the provider's page (the sandbox, a real process), comes back, downloads the receipt, and finds her
case received by the agency: no proof of payment to upload, no second visit. With JavaScript and without; every page
through axe-core, the Nu checker and the 375-px width check."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from portal.accounts.models import CurpConfirmationMethod
from portal.accounts.tests.factories import make_account
from portal.agencies.tests.factories import make_agency
from portal.applications.models import Application, ApplicationStatus
from portal.applications.tests.factories import published_form
from portal.applications.tests.journey_data import schema_without_files
from portal.payments.models import Exemption, ExemptionRule, Moment, PaymentSetting
from portal.payments.tests.factories import make_fee, make_payment_account
from portal.services.tests.factories import make_service
from testing.servers import wait_until

from .checks import visit
from .person import check_page, follow, main_text, open_phone, press, sign_in

pytestmark = pytest.mark.browser

EMAIL = "rosa@example.mx"
OLDER_CURP = "HEGG560427MVZRRL04"  # born in 1956: the older adults' discount applies


@pytest.fixture
def charged(transactional_db, settings, live_server, payments_sandbox):
    settings.PAYMENTS_NOTIFICATION_BASE_URL = live_server.url
    settings.PORTAL_BASE_URL = live_server.url
    if connection.vendor == "sqlite":
        # The live server's in-memory SQLite refuses two writers at once (a file database waits, as production's
        # does): the return page alone learns the outcome here; on PostgreSQL (CI) the notification races it.
        payments_sandbox.scenario("none")
    agency = make_agency("PASA", name="Secretaría de Pasaportes de Prueba")
    make_payment_account(agency)
    service = make_service(agency, title="Renovación de pasaporte", homoclave="PASA-02-002", resolution_days=5)
    published_form(service, schema_without_files())
    make_fee(service, amount=244_000, concept="Pasaporte ordinario, 6 años")
    PaymentSetting.objects.create(service=service, moment=Moment.BEFORE_SUBMISSION)
    Exemption.objects.create(
        service=service,
        name="Personas de 60 años o más",
        legal_basis="Ley Federal de Derechos, artículo 20",
        rule=ExemptionRule.AGE_AT_LEAST,
        parameters={"years": 60},
        percent=50,
    )
    user = make_account(email=EMAIL, first_name="Rosa")
    profile = user.account_profile
    profile.curp = OLDER_CURP
    profile.curp_confirmed_at = timezone.now()
    profile.curp_confirmation_method = CurpConfirmationMethod.IN_PERSON
    profile.save()
    return service


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "sin-js"])
def test_a_person_applies_pays_by_card_and_the_agency_receives_the_case(new_page, charged, javascript):
    page = open_phone(new_page, javascript=javascript)
    sign_in(page, EMAIL)
    check_page(page, visit(page, f"/tramites/{charged.homoclave}/solicitar/"))
    check_page(page, press(page, "Comenzar ahora"))
    page.get_by_label("Nombre completo").fill("Rosa Hernández García")
    check_page(page, press(page, "Guardar y continuar"))
    page.get_by_label("Sí").check()
    check_page(page, press(page, "Guardar y continuar"))
    page.get_by_role("checkbox").check()
    result = press(page, "Aceptar y enviar")
    check_page(page, result)

    # The case has its folio and says what is owed, with the discount the law grants her.
    text = main_text(page)
    assert "Solicitud registrada: falta el pago" in text, text
    assert "Pague $1,220.00 para continuar." in text
    assert "Personas de 60 años o más" in text
    case = Application.objects.get(applicant__email=EMAIL)
    assert case.status == ApplicationStatus.PENDING_PAYMENT and case.folio in text

    check_page(page, follow(page, page.get_by_role("link", name="Ver cómo pagar: en línea, en el banco o en tiendas")))
    assert "$1,220.00" in main_text(page)
    press(page, "Pagar en línea con tarjeta")
    assert "Pasarela de pruebas" in page.locator("body").inner_text()
    page.get_by_label("Número de la tarjeta").fill("4242 4242 4242 4242")
    page.get_by_label("Fecha de vencimiento").fill("12/39")
    page.get_by_label("Código de seguridad (CVC)").fill("123")
    page.get_by_label("Nombre como aparece en la tarjeta").fill("Rosa Hernández")
    result = press(page, "Pagar $1,220.00 MXN")
    check_page(page, result)
    assert page.get_by_role("heading", level=1).inner_text() == "Pago recibido", main_text(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar el recibo de pago (PDF)").click()
    assert download.value.suggested_filename.startswith("recibo-")

    check_page(page, visit(page, f"/mi-expediente/solicitudes/{case.folio}/"))
    wait_until(
        lambda: Application.objects.get(pk=case.pk).status == ApplicationStatus.SUBMITTED,
        10,
        what="the case to be received",
    )
    check_page(page, visit(page, f"/mi-expediente/solicitudes/{case.folio}/"))
    text = main_text(page)
    assert "Recibida" in text and "Pago recibido" in text and "Fecha límite para resolver" in text, text
