"""A charged procedure from the form to the agency: a person on a phone applies, is told what she owes and until when,
pays by card on the provider's page (the sandbox, a real process), comes back, downloads the receipt, and finds her
case received by the agency: no proof of payment to upload, no second visit. And a fee paid after approval: the case
worker approves, finds the case among those «Pendiente de pago», and the person pays and downloads the resolution.
With JavaScript and without; every page through axe-core, the Nu checker and the 375-px width check."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from portal.accounts.models import CurpConfirmationMethod
from portal.accounts.tests.factories import make_account
from portal.agencies.tests.factories import make_agency
from portal.applications.models import Application, ApplicationStatus
from portal.applications.tests.backoffice_world import build_world
from portal.applications.tests.factories import published_form
from portal.applications.tests.journey_data import schema_without_files
from portal.payments.models import Exemption, ExemptionRule, Moment, PaymentReference, PaymentSetting
from portal.payments.tests.factories import make_fee, make_payment_account
from portal.services.tests.factories import make_service
from testing.servers import wait_until

from .checks import visit
from .person import approve_case, check_page, fill_card, follow, main_text, open_phone, press, sign_in

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


def _case_page_once(page, case: Application, status: str) -> str:
    """The person's case page once the payment moved the case on (the notification may still be on its way): its
    text."""
    wait_until(lambda: Application.objects.get(pk=case.pk).status == status, 10, what=f"the case to become {status}")
    check_page(page, visit(page, f"/mi-expediente/solicitudes/{case.folio}/"))
    return main_text(page)


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
    fill_card(page, "Rosa Hernández")
    result = press(page, "Pagar $1,220.00 MXN")
    check_page(page, result)
    assert page.get_by_role("heading", level=1).inner_text() == "Pago recibido", main_text(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar el recibo de pago (PDF)").click()
    assert download.value.suggested_filename.startswith("recibo-")

    check_page(page, visit(page, f"/mi-expediente/solicitudes/{case.folio}/"))
    text = _case_page_once(page, case, ApplicationStatus.SUBMITTED)
    assert "Recibida" in text and "Pago recibido" in text and "Fecha límite para resolver" in text, text


@pytest.fixture
def approved_then_paid(transactional_db, settings, live_server, payments_sandbox):
    settings.PAYMENTS_NOTIFICATION_BASE_URL = live_server.url
    settings.PORTAL_BASE_URL = live_server.url
    if connection.vendor == "sqlite":
        payments_sandbox.scenario("none")  # as in ``charged``: one writer at a time on the in-memory SQLite
    world = build_world()
    make_payment_account(world.agency)
    make_fee(world.service, amount=172_000, concept="Expedición del certificado")
    PaymentSetting.objects.create(service=world.service, moment=Moment.AFTER_APPROVAL, pay_within_days=15)
    return world


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "sin-js"])
def test_a_fee_after_approval_is_paid_and_the_resolution_follows(new_page, approved_then_paid, javascript):
    world = approved_then_paid
    folio = world.case.folio
    worker = open_phone(new_page, javascript=javascript)
    sign_in(worker, world.worker.email)
    approve_case(worker, "casos-a", folio)
    text = main_text(worker)
    assert "Pendiente de pago" in text and "$1,720.00" in text, text
    assert "Aprobamos la solicitud y pedimos a la persona el pago de derechos." in text
    assert "Nada que hacer por ahora: la solicitud espera el pago de derechos, a más tardar el" in text

    # The queue shows the cases waiting for their fee, with the last day to pay.
    check_page(worker, visit(worker, "/oficina/casos-a/solicitudes/"))
    worker.get_by_label("Estado").select_option(label="Pendiente de pago")
    check_page(worker, press(worker, "Filtrar"))
    rows = worker.locator("main tbody tr")
    assert rows.count() == 1 and folio in rows.first.inner_text()
    case = Application.objects.get(pk=world.case.pk)
    assert case.status == ApplicationStatus.PENDING_PAYMENT and case.resolution_document is None
    assert "Pago hasta el" in rows.first.inner_text()

    person = open_phone(new_page, javascript=javascript)
    sign_in(person, world.citizen.email)
    check_page(person, visit(person, f"/mi-expediente/solicitudes/{folio}/"))
    text = main_text(person)
    assert "Falta el pago" in text and "Pague $1,720.00 para continuar." in text, text
    assert "Su solicitud es procedente. La resolución se emite en cuanto llegue su pago." in text
    check_page(
        person, follow(person, person.get_by_role("link", name="Ver cómo pagar: en línea, en el banco o en tiendas"))
    )
    press(person, "Pagar en línea con tarjeta")
    fill_card(person, "Lucía Pérez")
    check_page(person, press(person, "Pagar $1,720.00 MXN"))
    assert person.get_by_role("heading", level=1).inner_text() == "Pago recibido", main_text(person)

    text = _case_page_once(person, case, ApplicationStatus.APPROVED)
    assert "Resuelta: procedente" in text and "Pago recibido" in text and "Falta el pago" not in text, text
    paid = PaymentReference.objects.get(subject=case.payment_subject)
    assert f"línea de captura {paid.grouped_reference}" in text  # in groups of four, as on the hoja de ayuda
    with person.expect_download() as download:
        person.get_by_role("link", name="Descargar la resolución (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
