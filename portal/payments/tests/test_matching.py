"""Matching a bank statement's batch together gives exactly what matching it line by line through ``settle`` gives:
the same ledger, differences, events, references and lines, and a receipt for each settled reference. A batch that
meets a row written meanwhile is matched line by line instead, without losing or doubling anything."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult, get_date_max

from portal.payments import actions, codes, ledger, matching, reconciliation
from portal.payments.models import (
    ExceptionKind,
    LedgerTransaction,
    LineStatus,
    PaymentEvent,
    PaymentEventKind,
    PaymentReference,
    ReconciliationException,
    ReferenceStatus,
    StatementImport,
    StatementLine,
)

from .finance_world import assert_ledger_balanced, bank_file, build_world, card_payment, mx

pytestmark = pytest.mark.django_db

R = ReferenceStatus


def _mixed_statements(world):
    """Two bank statements with every outcome: exact, another amount, unknown (malformed, never issued, another
    entity's), twice in one file, paid after its day, paid after the sweep expired it, paid online first, cancelled,
    and the second file repeating lines of the first (already known) and paying a reference of it again."""
    exact, wrong, twice, online, cancelled, again, later = (world.issue() for _ in range(7))
    late = world.issue(on=mx(2026, 11, 1, 9))  # valid to 2026-11-06
    expired = world.issue(on=mx(2026, 11, 1, 9))
    actions.do_close_reference(expired.pk, to_status=R.EXPIRED, now=mx(2026, 11, 7, 1))
    actions.do_close_reference(cancelled.pk, to_status=R.CANCELLED, now=mx(2026, 12, 1, 10))
    card_payment(online)
    theirs = build_world().issue()
    never = codes.build_reference(world.agency.payment_account.code, "9999999999", exact.expires_on, 150_000)
    first = bank_file(
        {"referencia": exact.reference, "importe": 150_000, "canal": "spei"},
        {"referencia": wrong.reference, "importe": 140_000},
        {"referencia": twice.reference, "importe": 150_000},
        {"referencia": twice.reference, "importe": 150_000, "hora": "13:00:00", "canal": "tienda"},
        {"referencia": late.reference, "importe": 150_000, "fecha": "2026-11-07"},
        {"referencia": expired.reference, "importe": 150_000, "fecha": "2026-11-05"},
        {"referencia": online.reference, "importe": 150_000},
        {"referencia": cancelled.reference, "importe": 150_000},
        {"referencia": "ABC-123", "importe": 700},
        {"referencia": never, "importe": 150_000},
        {"referencia": theirs.reference, "importe": 150_000},
        {"referencia": again.reference, "importe": 150_000},
    )
    second = bank_file(
        {"referencia": exact.reference, "importe": 150_000, "canal": "spei"},  # F000001 again: already known
        {"referencia": wrong.reference, "importe": 140_000},  # F000002 again
        {"referencia": again.reference, "importe": 150_000, "folio_banco": "S000003"},  # paid a second time
        {"referencia": later.reference, "importe": 150_000, "folio_banco": "S000004"},
        {"referencia": "ABC-123", "importe": 700},  # F000005 again, an unknown one already held
    )
    second.name = "estado-semanal.csv"
    return [first, second]


def _snapshot(world) -> dict:
    """Everything matching writes, without the primary keys of the rows it creates."""
    line_key = {
        line.pk: (line.statement.filename, line.line_number)
        for line in StatementLine.objects.select_related("statement")
    }
    references = PaymentReference.objects.filter(agency=world.agency).order_by("pk")
    return {
        "references": [(r.pk, r.status, r.paid_at, r.paid_channel, r.paid_centavos) for r in references],
        "ledger": sorted(
            (
                t.external_id,
                t.kind,
                t.reference_id,
                t.memo,
                t.booked_on,
                t.created_at,
                sorted((line.account, line.amount_centavos) for line in t.lines.all()),
            )
            for t in LedgerTransaction.objects.prefetch_related("lines")
        ),
        "exceptions": sorted(
            (
                e.dedup_key,
                e.kind,
                e.status,
                e.reference_id,
                e.payment_id,
                line_key.get(e.line_id or 0),
                e.amount_centavos,
                e.detail,
            )
            for e in ReconciliationException.objects.all()
        ),
        "events": sorted(
            (
                e.reference_id,
                e.kind,
                e.payment_id or 0,
                e.from_status,
                e.to_status,
                e.actor_role,
                e.amount_centavos,
                e.reason,
                sorted(e.data.items()),
            )
            for e in PaymentEvent.objects.all()
        ),
        "lines": sorted(
            (line_key[line.pk], line.status, line.reference_id, line.external_id)
            for line in StatementLine.objects.all()
        ),
        "statements": sorted(
            (s.filename, s.line_count, s.matched_count, s.exception_count) for s in StatementImport.objects.all()
        ),
    }


def _match(world, files, *, together: bool, monkeypatch, capture) -> tuple[dict, int]:
    """Import the files matching one way, note what it wrote and the tasks it asked for, and undo it all."""
    monkeypatch.setattr(matching, "TOGETHER", together)
    with transaction.atomic():
        with capture() as callbacks:
            for data in files:
                data.seek(0)
                reconciliation.do_import_statement(world.agency, "bank", data, world.finance, now=mx(2026, 12, 3, 9))
        assert_ledger_balanced()
        snapshot = _snapshot(world)
        transaction.set_rollback(True)
    return snapshot, len(callbacks)


def test_a_batch_matched_together_writes_exactly_what_one_by_one_writes(
    world_with_statements, monkeypatch, django_capture_on_commit_callbacks
):
    world, files = world_with_statements
    one_by_one, one_by_one_tasks = _match(
        world, files, together=False, monkeypatch=monkeypatch, capture=django_capture_on_commit_callbacks
    )
    together, together_tasks = _match(
        world, files, together=True, monkeypatch=monkeypatch, capture=django_capture_on_commit_callbacks
    )
    assert together == one_by_one
    # Every outcome is there: not a comparison of two empty results.
    lines = {key: status for key, status, *_rest in together["lines"]}
    assert lines[("estado-banco.csv", 2)] == LineStatus.MATCHED
    assert lines[("estado-semanal.csv", 2)] == LineStatus.ALREADY_KNOWN
    kinds = [row[1] for row in together["exceptions"]]
    assert sorted(set(kinds)) == sorted(
        {
            ExceptionKind.WRONG_AMOUNT,
            ExceptionKind.DUPLICATE_PAYMENT,
            ExceptionKind.PAID_AFTER_EXPIRY,
            ExceptionKind.UNKNOWN_REFERENCE,
        }
    )
    assert kinds.count(ExceptionKind.DUPLICATE_PAYMENT) == 4  # in the file, online first, cancelled, across files
    assert kinds.count(ExceptionKind.PAID_AFTER_EXPIRY) == 2
    assert kinds.count(ExceptionKind.UNKNOWN_REFERENCE) == 3
    details = " ".join(row[7] for row in together["exceptions"])
    assert "otra institución" in details and "Ninguna línea de captura emitida" in details
    paid = [row for row in together["references"] if row[1] == R.PAID]
    assert len(paid) == 4 + 1  # exact, twice, again, later; and the one paid online before the import
    # One receipt asked for each reference the statements settled (the online one had its own).
    assert together_tasks == one_by_one_tasks == 4
    assert sum(1 for event in together["events"] if event[1] == PaymentEventKind.PAID) == 5


@pytest.fixture
def world_with_statements():
    world = build_world(amount=150_000)
    return world, _mixed_statements(world)


def test_matching_together_twice_adds_nothing(world_with_statements):
    world, files = world_with_statements
    statement = None
    for data in files:
        statement = reconciliation.do_import_statement(
            world.agency, "bank", data, world.finance, now=mx(2026, 12, 3, 9)
        )
    before = _snapshot(world)
    StatementLine.objects.update(status=reconciliation.PENDING, reference=None)  # as if it died before saving them
    for each in StatementImport.objects.all():
        reconciliation.do_match_statement(each.pk)
    after = _snapshot(world)
    assert after["ledger"] == before["ledger"] and after["exceptions"] == before["exceptions"]
    assert after["events"] == before["events"] and after["references"] == before["references"]
    assert {status for _key, status, *_rest in after["lines"]} == {LineStatus.ALREADY_KNOWN}
    assert statement is not None
    assert_ledger_balanced()


def test_a_batch_that_meets_a_difference_written_meanwhile_is_matched_one_by_one(monkeypatch):
    world = build_world(amount=150_000)
    reference = world.issue()
    # Another import of a statement with the same unknown movement wrote its difference after this batch looked.
    ReconciliationException.objects.create(
        agency=world.agency,
        kind=ExceptionKind.UNKNOWN_REFERENCE,
        dedup_key=f"unknown_reference:bank:{world.agency.pk}:F000002",
        amount_centavos=500,
        detail="escrita por otra importación",
    )
    seen = []
    real = matching._match_one_by_one
    monkeypatch.setattr(matching, "_match_one_by_one", lambda *args: seen.append(True) or real(*args))
    statement = reconciliation.do_import_statement(
        world.agency,
        "bank",
        bank_file(
            {"referencia": reference.reference, "importe": 150_000},
            {"referencia": "99999999999999999999", "importe": 500},
        ),
        world.finance,
    )
    assert seen == [True]  # the batch did go the slow way
    reference.refresh_from_db()
    assert reference.status == R.PAID
    assert PaymentEvent.objects.filter(reference=reference, kind=PaymentEventKind.PAID).count() == 1
    assert LedgerTransaction.objects.filter(external_id=f"payment:bank:{world.agency.pk}:F000001").count() == 1
    assert actions.ledger_exists(f"held:bank:{world.agency.pk}:F000002")
    assert ReconciliationException.objects.get().detail == "escrita por otra importación"
    assert list(statement.lines.values_list("status", flat=True)) == [LineStatus.MATCHED, LineStatus.EXCEPTION]
    assert ledger.balances(world.agency.pk)["refunds_payable"] == -500
    assert_ledger_balanced()


def test_with_the_database_task_backend_each_settled_reference_gets_its_receipt_task_in_the_batch(settings):
    settings.TASKS = {"default": {**settings.TASKS["default"], "BACKEND": "django_tasks_db.DatabaseBackend"}}
    world = build_world(amount=150_000)
    paid, short = world.issue(), world.issue()
    reconciliation.do_import_statement(
        world.agency,
        "bank",
        bank_file(
            {"referencia": paid.reference, "importe": 150_000},
            {"referencia": short.reference, "importe": 1},
            {"referencia": paid.reference, "importe": 150_000, "hora": "13:00:00"},
        ),
        world.finance,
    )
    # Written by the batch's transaction (an outbox): one task per settled reference, none for the differences.
    tasks = DBTaskResult.objects.filter(task_path=actions.issue_receipt.module_path)
    assert [task.args_kwargs for task in tasks] == [{"args": [paid.pk], "kwargs": {}}]
    assert tasks.get().status == "READY" and tasks.get().run_after == get_date_max()
