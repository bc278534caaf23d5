"""The finance back office in a real browser, on a 375-px phone with and without JavaScript: a finance person signs in
with her second factor, imports the sample bank statement (first without choosing a file), reads the differences it
found, gives back a payment of the wrong amount with a note, and closes the day. Every page goes through axe-core,
the Nu HTML Checker and the phone-width check."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from portal.accounts.tests.factories import DEFAULT_PASSWORD, add_totp, make_account
from portal.agencies import actions as agencies_actions
from portal.agencies.models import Role
from portal.payments.models import DailyClose, ExceptionStatus, PaymentReference, ReconciliationException
from portal.payments.tests.factories import make_payable_service, make_payment_account
from portal.payments.tests.finance_world import World, mx

from .checks import visit
from .person import check_page, follow, main_text, open_phone, press, sign_in

SAMPLE = Path(__file__).resolve().parent.parent / "portal" / "payments" / "samples" / "estado-banco.csv"
#: The references the sample statement pays (docs/payments-reconciliation.md, «Archivos de ejemplo»).
SAMPLE_REFERENCES = {
    "90000000000012530696": dt.date(2026, 12, 5),
    "90000000000022530620": dt.date(2026, 12, 5),
    "90000000000032530641": dt.date(2026, 12, 5),
    "90000000000042523678": dt.date(2026, 11, 28),
}


@pytest.fixture
def finance(transactional_db):
    account = make_payment_account(code="900")
    service, fee = make_payable_service(account.agency, amount=150_000)
    person = make_account(email="fernanda@example.gob.mx", first_name="Fernanda", last_name="Ruiz")
    agencies_actions.do_grant_role(person, account.agency, Role.FINANCE)
    world = World(agency=account.agency, service=service, fee=fee, finance=person)
    for text, expires_on in SAMPLE_REFERENCES.items():
        reference = world.issue(on=mx(2026, 11, 20, 9))
        PaymentReference.objects.filter(pk=reference.pk).update(reference=text, expires_on=expires_on)
    return {"agency": account.agency, "person": person, "secret": add_totp(person)}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_finance_imports_the_bank_statement_resolves_a_difference_and_closes_the_day(new_page, finance, javascript):
    page = open_phone(new_page, javascript=javascript)
    sign_in(page, finance["person"].email, DEFAULT_PASSWORD, second_factor=finance["secret"])

    check_page(page, visit(page, "/oficina/pagos/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Resumen de cobros"
    assert "0 diferencias pendientes" in main_text(page)

    check_page(page, follow(page, page.get_by_role("link", name="Importar un estado de cuenta")))
    check_page(page, press(page, "Importar"), status=400)
    assert "Elija el archivo que va a importar." in main_text(page)
    page.get_by_label("Estado de cuenta del banco").check()
    page.get_by_label("Archivo CSV").set_input_files(str(SAMPLE))
    check_page(page, press(page, "Importar"))
    assert "Se importaron 6 movimientos: 2 conciliados y 4 con diferencia." in main_text(page)

    check_page(page, follow(page, page.get_by_role("link", name="4 diferencias pendientes")))
    text = main_text(page)
    for kind in ("Monto distinto del adeudado", "Pago duplicado", "Referencia desconocida", "Pagada después de vencer"):
        assert kind in text
    check_page(page, follow(page, page.get_by_role("link", name="Monto distinto del adeudado")))
    assert "$1,400.00" in main_text(page)
    page.get_by_label("Devolver por transferencia").check()
    check_page(page, press(page, "Resolver la diferencia"), status=400)
    assert "Escriba una nota" in main_text(page)
    page.get_by_label("Devolver por transferencia").check()
    page.get_by_label("Nota").fill("Se devolvió a la cuenta de origen: la persona pagó 100 pesos menos.")
    check_page(page, press(page, "Resolver la diferencia"))
    assert "Diferencia resuelta." in main_text(page)
    assert "Devuelto por transferencia (1400.00 pesos)" in main_text(page)

    # The service navigation folds into «Menú» on a phone with JavaScript: the person goes by the address.
    check_page(page, visit(page, f"/oficina/pagos/{finance['agency'].slug}/cierres/"))
    page.get_by_label("Día a cerrar").fill("2026-12-01")
    check_page(page, press(page, "Cerrar el día"))
    assert "Día 2026-12-01 cerrado." in main_text(page)
    assert "Cerrado el" in main_text(page) and "3 diferencias pendientes" in main_text(page)

    assert DailyClose.objects.filter(agency=finance["agency"], day=dt.date(2026, 12, 1)).count() == 1
    assert ReconciliationException.objects.filter(status=ExceptionStatus.RESOLVED).count() == 1
