"""A bank statement imported while the provider's notification settles the same reference: one payment settles it,
the other is a duplicate held to give back, and every centavo is accounted for.

Needs real row locks, so it runs on PostgreSQL only (SQLite has no SELECT ... FOR UPDATE)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from portal.payments import reconciliation
from portal.payments.models import (
    ExceptionKind,
    PaymentEvent,
    PaymentEventKind,
    ReconciliationException,
    ReferenceStatus,
)

from .finance_world import assert_ledger_balanced, bank_file, build_world, card_payment, mx

pytestmark = [
    pytest.mark.transactional,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.mark.django_db(transaction=True)
def test_a_statement_racing_a_notification_settles_the_reference_once():
    world = build_world()
    references = [world.issue() for _ in range(5)]
    data = bank_file(*({"referencia": reference.reference, "importe": 150_000} for reference in references))
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(work) -> None:
        try:
            start.wait(timeout=10)
            work()
        except BaseException as error:  # noqa: BLE001 — reported by the test below
            errors.append(error)
        finally:
            connections.close_all()

    def notify() -> None:
        for reference in reversed(references):
            card_payment(reference, at=mx(2026, 12, 2, 11))

    def import_statement() -> None:
        reconciliation.do_import_statement(world.agency, "bank", data, world.finance)

    threads = [threading.Thread(target=run, args=(notify,)), threading.Thread(target=run, args=(import_statement,))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    for reference in references:
        reference.refresh_from_db()
        assert reference.status == ReferenceStatus.PAID
        assert PaymentEvent.objects.filter(reference=reference, kind=PaymentEventKind.PAID).count() == 1
        assert PaymentEvent.objects.filter(reference=reference, kind=PaymentEventKind.DUPLICATE).count() == 1
    assert ReconciliationException.objects.filter(kind=ExceptionKind.DUPLICATE_PAYMENT).count() == 5
    assert_ledger_balanced()
