"""The sandbox provider's hosted payment page is a page a person uses: on a phone, without JavaScript, with a mistake
and its correction, through axe-core and the Nu checker, back to the portal. (The portal's own «Pagar en línea» and
return pages are the payments journey's; this one starts from a payment the adapter created.)"""

from __future__ import annotations

import datetime as dt

from portal.payments.providers import get_provider

from .checks import visit
from .person import check_page, fill_card, open_phone, press


def _payment(live_server, catcher, key: str = "k-1") -> str:
    created = get_provider("sandbox").create_payment(
        amount_centavos=152_050,
        reference="0123456789012345678901234",
        description="Expedición de pasaporte ordinario por seis años, para mayores de edad",
        return_url=f"{live_server.url}/",
        notification_url=f"{catcher.url}/pagos/notificaciones/sandbox/",
        idempotency_key=key,
        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=90),
        metadata={},
    )
    return created.next_url


def test_a_person_pays_on_the_sandbox_page_on_a_phone_without_javascript(
    new_page, live_server, payments_sandbox, notification_catcher
):
    next_url = _payment(live_server, notification_catcher)
    page = open_phone(new_page, javascript=False)

    result = visit(page, next_url)
    check_page(page, result)
    assert "Pasarela de pruebas: no se cobra dinero real" in page.locator("header").inner_text()
    assert "4000 0000 0000 0002" in page.locator("table").inner_text()

    result = press(page, "Pagar $1,520.50 MXN")
    check_page(page, result, status=400)
    page.get_by_role("link", name="Escriba el número de la tarjeta").click()
    assert page.evaluate("document.activeElement.id") == "numero"

    fill_card(page, "Ana Pérez")
    result = press(page, "Pagar $1,520.50 MXN")
    assert page.url == f"{live_server.url}/"
    assert get_provider("sandbox").fetch_payment(next_url.rsplit("/", 1)[1]).status == "success"
    assert notification_catcher.wait_for(1)[0].json()["type"] == "payment.succeeded"


def test_a_person_cancels_and_later_finds_the_payment_finished_or_expired(
    new_page, live_server, payments_sandbox, notification_catcher
):
    next_url = _payment(live_server, notification_catcher)
    page = new_page()
    check_page(page, visit(page, next_url))
    press(page, "Cancelar y volver")
    assert page.url == f"{live_server.url}/"

    result = visit(page, next_url)
    check_page(page, result)
    assert page.get_by_role("heading", level=1).inner_text() == "Este pago ya terminó"

    expired_url = _payment(live_server, notification_catcher, key="k-2")
    payments_sandbox.expire(expired_url.rsplit("/", 1)[1])
    phone = open_phone(new_page, javascript=False)
    result = visit(phone, expired_url)
    check_page(phone, result, status=410)
    assert phone.get_by_role("heading", level=1).inner_text() == "El plazo para pagar terminó"
