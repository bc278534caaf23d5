"""Finance staff resolve the differences: apply held money to the debt, give it back, or mark it reviewed; each
recorded (who, when, note) and the ledger balanced after each."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.payments import actions, closing, ledger, reconciliation
from portal.payments.models import (
    Account,
    DailyClose,
    ExceptionKind,
    ExceptionStatus,
    PaymentEvent,
    PaymentEventKind,
    ReconciliationException,
    ReferenceStatus,
    Refund,
)
from portal.payments.reconciliation import APPLY, RETURN, REVIEW, ResolutionRefused

from .finance_world import assert_ledger_balanced, bank_file, build_world, mx

pytestmark = pytest.mark.django_db
R = ReferenceStatus


@pytest.fixture
def world():
    return build_world(amount=150_000)


def _held(world, **row):
    reconciliation.do_import_statement(world.agency, "bank", bank_file(row), world.finance, now=mx(2026, 12, 3, 9))
    return ReconciliationException.objects.get()


def _resolve(world, exception, resolution, note="Revisado con el banco", **kwargs):
    return reconciliation.do_resolve_exception(
        world.agency, exception.pk, resolution=resolution, note=note, actor=world.finance, **kwargs
    )


def test_a_late_payment_applied_restores_the_charge_and_settles_the_reference(world):
    reference = world.issue(on=mx(2026, 11, 1, 9))
    actions.do_close_reference(reference.pk, to_status=R.EXPIRED, now=mx(2026, 11, 7, 1))
    exception = _held(world, referencia=reference.reference, importe=150_000, fecha="2026-11-08")
    assert exception.kind == ExceptionKind.PAID_AFTER_EXPIRY
    _resolve(world, exception, APPLY, note="La persona pagó un día tarde; se acepta.")
    reference.refresh_from_db()
    exception.refresh_from_db()
    assert reference.status == R.PAID and reference.paid_centavos == 150_000
    assert exception.status == ExceptionStatus.RESOLVED and exception.resolved_by == world.finance
    assert "se acepta" in exception.resolution
    balances = ledger.balances(world.agency.pk)
    assert balances[Account.RECEIVABLE] == 0 and balances[Account.REFUNDS_PAYABLE] == 0
    assert balances[Account.REVENUE] == -150_000 and balances[Account.BANK] == 150_000
    paid = PaymentEvent.objects.get(reference=reference, kind=PaymentEventKind.PAID)
    assert (paid.actor, paid.actor_role, paid.reason) == (
        world.finance,
        "finance",
        "La persona pagó un día tarde; se acepta.",
    )
    assert_ledger_balanced()


def test_a_short_payment_accepted_forgives_the_difference_in_revenue(world):
    reference = world.issue()
    exception = _held(world, referencia=reference.reference, importe=149_000)
    _resolve(world, exception, APPLY)
    balances = ledger.balances(world.agency.pk)
    assert balances[Account.RECEIVABLE] == 0 and balances[Account.REVENUE] == -149_000
    assert_ledger_balanced()


def test_money_returned_by_transfer_leaves_the_bank_and_is_recorded_as_a_refund(world):
    reference = world.issue()
    exception = _held(world, referencia=reference.reference, importe=10_000)
    _resolve(world, exception, RETURN, note="Devuelto a la cuenta de origen")
    balances = ledger.balances(world.agency.pk)
    assert balances[Account.BANK] == 0 and balances[Account.REFUNDS_PAYABLE] == 0
    refund = Refund.objects.get()
    assert (refund.amount_centavos, refund.of_duplicate, refund.reason) == (
        10_000,
        True,
        "Devuelto a la cuenta de origen",
    )
    reference.refresh_from_db()
    assert reference.status == R.PENDING  # still owed
    assert_ledger_balanced()


def test_an_unknown_reference_is_applied_to_the_one_finance_staff_name(world):
    reference = world.issue()
    exception = _held(world, referencia="12345678901234567890", importe=150_000)
    with pytest.raises(ResolutionRefused) as refused:
        _resolve(world, exception, APPLY)
    assert refused.value.code == "no_reference"
    _resolve(world, exception, APPLY, reference_text=reference.grouped_reference)
    reference.refresh_from_db()
    assert reference.status == R.PAID
    exception.refresh_from_db()
    assert exception.line.reference == reference
    assert_ledger_balanced()


def test_a_duplicate_cannot_be_applied_to_the_paid_reference_and_a_resolution_happens_once(world):
    reference = world.issue()
    reconciliation.do_import_statement(
        world.agency,
        "bank",
        bank_file(
            {"referencia": reference.reference, "importe": 150_000},
            {"referencia": reference.reference, "importe": 150_000, "hora": "13:00:00"},
        ),
        world.finance,
    )
    exception = ReconciliationException.objects.get(kind=ExceptionKind.DUPLICATE_PAYMENT)
    with pytest.raises(ResolutionRefused) as refused:
        _resolve(world, exception, APPLY)
    assert refused.value.code == "already_paid"
    _resolve(world, exception, RETURN)
    with pytest.raises(ResolutionRefused) as again:
        _resolve(world, exception, RETURN)
    assert again.value.code == "resolved"
    assert Refund.objects.count() == 1
    assert_ledger_balanced()


def test_a_note_is_required_and_review_only_closes(world):
    reference = world.issue()
    exception = _held(world, referencia=reference.reference, importe=10_000)
    with pytest.raises(ResolutionRefused):
        _resolve(world, exception, REVIEW, note="  ")
    _resolve(world, exception, REVIEW, note="Se llamó a la persona")
    exception.refresh_from_db()
    assert exception.status == ExceptionStatus.RESOLVED
    assert ledger.balances(world.agency.pk)[Account.REFUNDS_PAYABLE] == -10_000  # still held: reviewed only


def test_a_day_is_closed_once_and_only_after_it_ends(world):
    reference = world.issue()
    reconciliation.do_import_statement(
        world.agency, "bank", bank_file({"referencia": reference.reference, "importe": 150_000}), world.finance
    )
    with pytest.raises(closing.CloseRefused) as early:
        closing.do_close_day(world.agency, dt.date(2026, 12, 2), world.finance, now=mx(2026, 12, 2, 23, 59))
    assert early.value.code == "not_over"
    close = closing.do_close_day(world.agency, dt.date(2026, 12, 2), world.finance, now=mx(2026, 12, 3, 0, 1))
    assert close.totals["channels"]["bank"] == {"count": 1, "centavos": 150_000}
    assert close.totals["accounts"][Account.BANK] == 150_000
    assert close.totals["accounts"][Account.RECEIVABLE] == -150_000
    with pytest.raises(closing.CloseRefused) as twice:
        closing.do_close_day(world.agency, dt.date(2026, 12, 2), world.finance, now=mx(2026, 12, 4))
    assert twice.value.code == "closed"
    assert DailyClose.objects.count() == 1


def test_the_days_ledger_downloads_as_csv_with_debits_and_credits(world):
    reference = world.issue(on=mx(2026, 12, 2, 8))
    rows = list(closing.ledger_rows(world.agency.pk, dt.date(2026, 12, 2)))
    assert rows[0][1:7] == (f"charge:{reference.reference}", "charge", reference.reference, "receivable", "1500.00", "")
    assert rows[1][4:7] == ("revenue", "", "1500.00")
