"""Importing statements and matching each line: every kind of difference, a file imported once, idempotent matching,
the provider's report, and a ledger that balances after all of it."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.payments import actions, ledger, reconciliation
from portal.payments.models import (
    Account,
    ExceptionKind,
    ExceptionStatus,
    LedgerTransaction,
    LineStatus,
    PaymentChannel,
    ReconciliationException,
    ReferenceStatus,
    StatementImport,
    StatementLine,
)
from portal.payments.reconciliation import ImportRefused

from .finance_world import assert_ledger_balanced, bank_file, build_world, card_payment, mx, provider_file

pytestmark = pytest.mark.django_db

R = ReferenceStatus


@pytest.fixture
def world():
    return build_world(amount=150_000)


def _import(world, data, source="bank"):
    return reconciliation.do_import_statement(world.agency, source, data, world.finance, now=mx(2026, 12, 3, 9))


def _exception(kind):
    return ReconciliationException.objects.get(kind=kind)


def test_a_bank_payment_of_the_right_amount_settles_its_reference(world):
    reference = world.issue()
    statement = _import(world, bank_file({"referencia": reference.reference, "importe": 150_000, "canal": "spei"}))
    reference.refresh_from_db()
    assert reference.status == R.PAID and reference.paid_channel == PaymentChannel.TRANSFER
    assert reference.paid_at == mx(2026, 12, 2, 12)
    assert (statement.line_count, statement.matched_count, statement.exception_count) == (1, 1, 0)
    assert statement.total_centavos == 150_000
    line = StatementLine.objects.get()
    assert (line.status, line.reference) == (LineStatus.MATCHED, reference)
    assert ledger.balances(world.agency.pk)[Account.BANK] == 150_000
    assert ledger.balances(world.agency.pk)[Account.RECEIVABLE] == 0
    assert_ledger_balanced()


def test_an_unknown_or_mistyped_reference_holds_the_money_as_an_exception(world):
    reference = world.issue()
    typo = reference.reference[:-3] + str((int(reference.reference[-3]) + 1) % 10) + reference.reference[-2:]
    _import(world, bank_file({"referencia": typo, "importe": 150_000}, {"referencia": "ABC", "importe": 100}))
    exceptions = ReconciliationException.objects.filter(kind=ExceptionKind.UNKNOWN_REFERENCE).order_by(
        "amount_centavos"
    )
    assert [e.amount_centavos for e in exceptions] == [100, 150_000]
    assert "dígitos verificadores" in exceptions[1].detail
    assert ledger.balances(world.agency.pk)[Account.REFUNDS_PAYABLE] == -150_100
    assert ledger.balances(world.agency.pk)[Account.BANK] == 150_100
    reference.refresh_from_db()
    assert reference.status == R.PENDING
    assert_ledger_balanced()


def test_another_entitys_reference_is_unknown_here(world):
    other = build_world()
    theirs = other.issue()
    _import(world, bank_file({"referencia": theirs.reference, "importe": 150_000}))
    assert "otra institución" in _exception(ExceptionKind.UNKNOWN_REFERENCE).detail
    theirs.refresh_from_db()
    assert theirs.status == R.PENDING


def test_two_entities_whose_banks_use_the_same_folio_each_settle_their_own(world):
    other = build_world()
    ours, theirs = world.issue(), other.issue()
    _import(world, bank_file({"referencia": ours.reference, "importe": 150_000}))
    # The other entity's bank numbers its movements from F000001 too: not the same movement.
    reconciliation.do_import_statement(
        other.agency, "bank", bank_file({"referencia": theirs.reference, "importe": 150_000}), other.finance,
        now=mx(2026, 12, 3, 9),
    )  # fmt: skip
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.status == R.PAID and theirs.status == R.PAID
    assert ledger.balances(other.agency.pk)[Account.BANK] == 150_000
    assert_ledger_balanced()


def test_a_wrong_amount_is_held_and_the_reference_stays_pending(world):
    reference = world.issue()
    _import(world, bank_file({"referencia": reference.reference, "importe": 140_000}))
    exception = _exception(ExceptionKind.WRONG_AMOUNT)
    assert (exception.reference, exception.amount_centavos) == (reference, 140_000)
    reference.refresh_from_db()
    assert reference.status == R.PENDING
    assert ledger.balances(world.agency.pk)[Account.REFUNDS_PAYABLE] == -140_000


def test_a_second_payment_of_a_paid_reference_is_a_duplicate(world):
    reference = world.issue()
    _import(
        world,
        bank_file(
            {"referencia": reference.reference, "importe": 150_000},
            {"referencia": reference.reference, "importe": 150_000, "hora": "13:00:00", "canal": "tienda"},
        ),
    )
    assert _exception(ExceptionKind.DUPLICATE_PAYMENT).line.line_number == 3
    assert StatementImport.objects.get().exception_count == 1
    assert ledger.balances(world.agency.pk)[Account.BANK] == 300_000


def test_a_payment_after_the_reference_expired_is_held(world):
    reference = world.issue(on=mx(2026, 11, 1, 9))  # valid five days
    assert reference.expires_on == dt.date(2026, 11, 6)
    _import(world, bank_file({"referencia": reference.reference, "importe": 150_000, "fecha": "2026-11-07"}))
    assert _exception(ExceptionKind.PAID_AFTER_EXPIRY).reference == reference


def test_the_same_file_is_imported_once(world):
    reference = world.issue()
    data = bank_file({"referencia": reference.reference, "importe": 150_000})
    _import(world, data)
    with pytest.raises(ImportRefused) as refused:
        _import(world, data)
    assert refused.value.code == "already_imported"
    assert "ya se importó" in refused.value.message
    assert StatementImport.objects.count() == 1


def test_a_movement_already_known_from_another_file_is_not_counted_twice(world):
    reference = world.issue()
    unknown = {"referencia": "99999999999999999999", "importe": 500, "folio_banco": "X1"}
    _import(world, bank_file({"referencia": reference.reference, "importe": 150_000}, unknown))
    # A weekly statement repeats the day's movements, with one more.
    second = world.issue()
    weekly = _import(
        world,
        bank_file(
            {"referencia": reference.reference, "importe": 150_000},
            unknown,
            {"referencia": second.reference, "importe": 150_000, "folio_banco": "W3"},
        ),
    )
    assert list(weekly.lines.values_list("status", flat=True)) == [
        LineStatus.ALREADY_KNOWN,
        LineStatus.ALREADY_KNOWN,
        LineStatus.MATCHED,
    ]
    assert ReconciliationException.objects.count() == 1
    assert ledger.balances(world.agency.pk)[Account.BANK] == 300_500
    assert_ledger_balanced()


def test_a_file_with_bad_lines_is_refused_whole_with_each_problem(world):
    reference = world.issue()
    data = bank_file(
        {"referencia": reference.reference, "importe": 150_000},
        {"referencia": reference.reference, "importe": "mil", "fecha": "2026-02-30"},
    )
    with pytest.raises(ImportRefused) as refused:
        _import(world, data)
    assert [problem.line_number for problem in refused.value.problems] == [3]
    assert "2026-02-30" in refused.value.problems[0].message
    assert StatementImport.objects.count() == 0 and StatementLine.objects.count() == 0
    reference.refresh_from_db()
    assert reference.status == R.PENDING


def test_a_file_listing_a_movement_twice_is_refused_whole_with_the_repeated_line(world):
    reference = world.issue()
    ledger_before = LedgerTransaction.objects.count()
    data = bank_file(
        {"referencia": reference.reference, "importe": 150_000, "folio_banco": "A2"},
        {"referencia": "ABC", "importe": 100},
        {"referencia": reference.reference, "importe": 150_000, "folio_banco": "A2", "hora": "12:01:00"},
    )
    with pytest.raises(ImportRefused) as refused:
        _import(world, data)
    assert refused.value.code == "bad_lines" and refused.value.problem_count == 1
    assert [str(problem) for problem in refused.value.problems] == ["Línea 4: el movimiento «A2» está repetido."]
    assert StatementImport.objects.count() == 0 and StatementLine.objects.count() == 0
    assert LedgerTransaction.objects.count() == ledger_before
    reference.refresh_from_db()
    assert reference.status == R.PENDING


def test_a_provider_report_listing_a_charge_twice_is_refused(world):
    payment = card_payment(world.issue())
    row = {"id_pago": payment.provider_payment_id, "importe": 150_000}
    with pytest.raises(ImportRefused) as refused:
        _import(world, provider_file(row, {"id_pago": "po_9", "importe": 100, "tipo": "liquidacion"}, row), "provider")
    assert [problem.line_number for problem in refused.value.problems] == [4]
    assert StatementImport.objects.count() == 0


def test_matching_again_after_a_crash_finishes_the_pending_lines_only(world):
    first, second = world.issue(), world.issue()
    statement = _import(
        world,
        bank_file({"referencia": first.reference, "importe": 150_000}, {"referencia": second.reference, "importe": 1}),
    )
    before = (LedgerTransaction.objects.count(), ReconciliationException.objects.count())
    # As if the process died after storing the lines: they are pending again, the money movements already written.
    StatementLine.objects.update(status=reconciliation.PENDING)
    again = reconciliation.do_match_statement(statement.pk)
    assert (LedgerTransaction.objects.count(), ReconciliationException.objects.count()) == before
    assert list(again.lines.values_list("status", flat=True)) == [LineStatus.ALREADY_KNOWN, LineStatus.ALREADY_KNOWN]
    reconciliation.do_match_statement(statement.pk)
    assert_ledger_balanced()


def test_the_provider_report_matches_charges_and_books_the_payout(world):
    reference = world.issue()
    payment = card_payment(reference, fee=4_500)
    statement = _import(
        world,
        provider_file(
            {
                "id_pago": payment.provider_payment_id,
                "referencia": reference.reference,
                "importe": 150_000,
                "comision": 4_500,
            },
            {"id_pago": "po_1", "importe": 145_500, "tipo": "liquidacion", "fecha": "2026-12-03 08:00:00"},
        ),
        source="provider",
    )
    assert (statement.matched_count, statement.exception_count) == (2, 0)
    balances = ledger.balances(world.agency.pk)
    assert balances[Account.PROVIDER_CLEARING] == 0
    assert balances[Account.BANK] == 145_500
    assert balances[Account.PROVIDER_FEES] == 4_500
    assert LedgerTransaction.objects.filter(external_id="payout:po_1").exists()
    assert_ledger_balanced()


def test_a_fee_other_than_notified_is_booked_as_reported_and_shown(world):
    reference = world.issue()
    payment = card_payment(reference, fee=4_500)
    _import(
        world,
        provider_file({"id_pago": payment.provider_payment_id, "importe": 150_000, "comision": 5_000}),
        source="provider",
    )
    exception = _exception(ExceptionKind.WRONG_AMOUNT)
    assert exception.amount_centavos == 500 and "comisión" in exception.detail
    assert ledger.balances(world.agency.pk)[Account.PROVIDER_FEES] == 5_000
    assert reconciliation.resolutions_for(exception) == [reconciliation.REVIEW]
    assert_ledger_balanced()


def test_a_charge_the_portal_does_not_have_and_a_payment_the_report_lacks_are_both_exceptions(world):
    listed, absent = world.issue(), world.issue()
    paid = card_payment(listed)
    missing = card_payment(absent, at=mx(2026, 12, 2, 18))
    card_payment(world.issue(), at=mx(2026, 12, 5, 10))  # another day: not this report's business
    statement = _import(
        world,
        provider_file(
            {"id_pago": paid.provider_payment_id, "importe": 150_000},
            {"id_pago": "pay_desconocido", "importe": 20_000, "referencia": "123"},
        ),
        source="provider",
    )
    unknown = _exception(ExceptionKind.UNKNOWN_REFERENCE)
    assert "pay_desconocido" in unknown.detail
    gone = _exception(ExceptionKind.MISSING_FROM_STATEMENT)
    assert gone.payment == missing
    assert (statement.matched_count, statement.exception_count) == (1, 2)


def test_a_charge_of_another_amount_than_the_payment_is_an_exception(world):
    reference = world.issue()
    payment = card_payment(reference)
    _import(world, provider_file({"id_pago": payment.provider_payment_id, "importe": 150_001}), source="provider")
    assert _exception(ExceptionKind.WRONG_AMOUNT).payment == payment


def test_a_settled_card_payment_then_the_bank_pays_again_is_a_duplicate(world):
    reference = world.issue()
    card_payment(reference)
    _import(world, bank_file({"referencia": reference.reference, "importe": 150_000}))
    exception = _exception(ExceptionKind.DUPLICATE_PAYMENT)
    assert exception.line is not None
    assert reconciliation.resolutions_for(exception) == [
        reconciliation.APPLY,
        reconciliation.RETURN,
        reconciliation.REVIEW,
    ]
    assert_ledger_balanced()


def test_everything_at_once_leaves_a_balanced_ledger_and_unchanged_counts_on_rematching(world):
    references = [world.issue() for _ in range(6)]
    card_payment(references[0], fee=4_000)
    statement = _import(
        world,
        bank_file(
            {"referencia": references[0].reference, "importe": 150_000},
            {"referencia": references[1].reference, "importe": 150_000},
            {"referencia": references[2].reference, "importe": 10_000},
            {"referencia": references[3].reference, "importe": 150_000, "fecha": "2026-12-30"},
            {"referencia": "12345678901234567890", "importe": 7_000},
        ),
    )
    counts = (statement.matched_count, statement.exception_count)
    assert counts == (1, 4)
    again = reconciliation.do_match_statement(statement.pk)
    assert (again.matched_count, again.exception_count) == counts
    total = sum(t.lines.count() for t in LedgerTransaction.objects.all())
    assert total > 0
    assert_ledger_balanced()
    assert actions.ledger_exists(f"payment:bank:{world.agency.pk}:F000002")
    assert ReconciliationException.objects.filter(status=ExceptionStatus.OPEN).count() == 4
