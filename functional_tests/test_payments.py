"""The payer's pages in a real browser (docs/payments-citizen.md): on a 375-px phone, with JavaScript and without,
every page through axe-core, the Nu HTML Checker and the phone-width check.

Ana owes a fee: «Mi expediente» tells her, «Mis pagos» lists it, its page explains the amount and offers the card
payment and the hoja de ayuda (which downloads). An older reference of hers expired: she generates a new one. A paid
one offers its receipt. Anyone can look a línea de captura up, and a typo is named. The return from the provider is
checked for each outcome. Paying online through the sandbox provider's page closes the file; it needs the providers'
``payments_sandbox`` fixture: a declined card first, then one that pays.
"""

from __future__ import annotations

import pytest

from portal.payments.models import PaymentReference, PaymentStatus
from portal.payments.tests.citizen_world import (
    build_world,
    expired_reference,
    issue,
    make_payment,
    settle_by_bank,
)

from .checks import visit
from .person import check_page, fill_card, follow, main_text, open_phone, press, sign_in


@pytest.fixture
def ana_owes(transactional_db):
    world = build_world()
    world.expired = expired_reference(world.service, world.citizen)
    world.paid = settle_by_bank(issue(world.service, world.citizen, label="FOLIO-PAGADO"))
    return world


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_person_reads_what_she_owes_and_how_to_pay_it(new_page, ana_owes, javascript, tmp_path):
    world = ana_owes
    person = open_phone(new_page, javascript=javascript)
    sign_in(person, world.citizen.email)

    check_page(person, visit(person, "/mi-expediente/"))
    banner = person.get_by_role("region", name="Requiere su atención")
    assert world.reference.grouped_reference in banner.inner_text()
    check_page(person, follow(person, person.get_by_role("link", name="Mis pagos", exact=True)))
    text = main_text(person)
    assert "Pendientes de pago" in text and world.reference.grouped_reference in text
    assert "Vencida" in text and "Pagada" in text

    # The pending one: its amount, the law, the card payment and the hoja de ayuda.
    check_page(
        person,
        follow(
            person,
            person.get_by_role("link", name=f"Ver cómo pagar la línea de captura {world.reference.grouped_reference}"),
        ),
    )
    text = main_text(person)
    assert "$1,500.00" in text and "Ley Federal de Derechos, artículo 20" in text and "002180700123456789" in text
    assert person.get_by_role("button", name="Pagar en línea con tarjeta").is_visible()
    with person.expect_download() as download:
        person.get_by_role("link", name="Descargar la hoja de ayuda (PDF)").click()
    assert download.value.suggested_filename == f"hoja-de-ayuda-{world.reference.reference}.pdf"
    with open(download.value.path(), "rb") as handle:
        assert handle.read(8).startswith(b"%PDF-1.7")

    # The expired one: a new línea de captura with today's amount.
    check_page(person, visit(person, f"/pagos/{world.expired.public_id}/"))
    assert "el banco ya no la acepta" in main_text(person)
    check_page(person, press(person, "Generar una nueva línea de captura"))
    new = PaymentReference.objects.get(replaces=world.expired)
    assert person.url.endswith(f"/pagos/{new.public_id}/")
    assert "Emitimos una nueva línea de captura con el monto vigente hoy: $1,500.00." in main_text(person)

    # The paid one: when, how, and the receipt.
    check_page(person, visit(person, f"/pagos/{world.paid.public_id}/"))
    text = main_text(person)
    assert "Pagado" in text and "En ventanilla bancaria" in text
    assert person.get_by_role("link", name="Descargar el recibo de pago (PDF)").is_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_anyone_looks_up_a_reference_and_a_typo_is_named(new_page, ana_owes, javascript):
    reference = ana_owes.reference
    person = open_phone(new_page, javascript=javascript)
    check_page(person, visit(person, "/pagos/consultar/"))
    wrong = reference.reference[:7] + str((int(reference.reference[7]) + 1) % 10) + reference.reference[8:]
    person.get_by_label("Línea de captura").fill(wrong)
    check_page(person, press(person, "Consultar"), status=400)
    summary = person.locator(".govuk-error-summary")
    assert "Revise la línea de captura: uno de los dígitos no corresponde." in summary.inner_text()
    if javascript:
        summary.get_by_role("link").first.click()
        assert person.evaluate("document.activeElement.id") == "id_linea"
    person.get_by_label("Línea de captura").fill(reference.grouped_reference)
    check_page(person, press(person, "Consultar"))
    text = main_text(person)
    assert "Pendiente de pago" in text and "$1,500.00" in text and "Ana" not in text


@pytest.mark.parametrize(
    ("status", "heading"),
    [
        (PaymentStatus.SUCCESS, "Pago recibido"),
        (PaymentStatus.FAILED, "No se hizo el pago"),
        (PaymentStatus.STARTED, "Su pago está en proceso"),
    ],
)
def test_the_return_from_the_payment_page(new_page, ana_owes, status, heading):
    world = ana_owes
    reference = world.paid if status == PaymentStatus.SUCCESS else world.reference
    payment = make_payment(reference, status=status)
    person = open_phone(new_page, javascript=False)
    sign_in(person, world.citizen.email)
    check_page(person, visit(person, f"/pagos/regreso/{payment.public_id}/"))
    assert person.get_by_role("heading", level=1).inner_text() == heading


def test_the_return_to_an_unknown_payment(new_page, transactional_db):
    person = open_phone(new_page, javascript=False)
    check_page(person, visit(person, "/pagos/regreso/00000000-0000-0000-0000-000000000000/"), status=404)
    assert person.get_by_role("heading", level=1).inner_text() == "No encontramos ese pago"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_declined_card_comes_back_to_try_again_and_another_card_pays(
    new_page, live_server, payments_sandbox, notification_catcher, ana_owes, settings, javascript
):
    """The sandbox provider as a real process and its hosted page: the first card is declined, the return page says
    no charge was made and leads back to the reference, where a new key is drawn and a good card pays. (The whole
    charged procedure, from the form to the case received, is test_pay_fees.py.)

    The sandbox's notifications are caught, not delivered: the return page must learn each outcome by asking the
    provider, as when a notification is late or lost (and on SQLite a notification written by another thread of the
    live server while the page reads would lock the in-memory tables)."""
    settings.PORTAL_BASE_URL = live_server.url
    settings.PAYMENTS_NOTIFICATION_BASE_URL = notification_catcher.url
    world = ana_owes
    person = open_phone(new_page, javascript=javascript)
    sign_in(person, world.citizen.email)
    check_page(person, visit(person, f"/pagos/{world.reference.public_id}/"))

    for card, heading in (("4000 0000 0000 0002", "No se hizo el pago"), ("4242 4242 4242 4242", "Pago recibido")):
        press(person, "Pagar en línea con tarjeta")
        assert "Pasarela de pruebas" in person.locator("body").inner_text()
        fill_card(person, "Ana Pagadora Ruiz", card)
        result = press(person, "Pagar $1,500.00 MXN")
        check_page(person, result)
        assert "/pagos/regreso/" in person.url
        assert person.get_by_role("heading", level=1).inner_text() == heading
        if heading == "No se hizo el pago":
            assert "No se le hizo ningún cargo." in main_text(person)
            check_page(person, follow(person, person.get_by_role("button", name="Intentar de nuevo")))

    assert "Su trámite continúa" in main_text(person)
    world.reference.refresh_from_db()
    assert world.reference.status == "paid" and world.reference.paid_channel == "online"
    with person.expect_download() as download:
        person.get_by_role("link", name="Descargar el recibo de pago (PDF)").click()
    assert download.value.suggested_filename == f"recibo-{world.reference.reference}.pdf"
    check_page(person, visit(person, f"/pagos/{world.reference.public_id}/"))
    history = main_text(person)
    assert "El banco rechazó el pago con tarjeta" in history and "El banco aprobó el pago con tarjeta" in history
