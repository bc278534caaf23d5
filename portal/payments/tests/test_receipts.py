"""A paid fee's receipt is issued once, kept byte for byte, verifiable at /verificar/, and e-mailed to the payer."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.utils import timezone

from portal.accounts.tests.factories import make_account
from portal.documents.actions import verification_url
from portal.notifications.models import Notification
from portal.payments import actions, fees, ledger, receipts
from portal.payments.models import Account

from .factories import make_payable_service

pytestmark = pytest.mark.django_db


def test_a_settled_reference_gets_one_verifiable_receipt_and_the_payer_an_email(
    client, django_capture_on_commit_callbacks
):
    payer = make_account(email="paga@example.mx", first_name="Paula")
    service, _fee = make_payable_service(amount=172_000)
    quote = fees.quote(service.pk, {}, on=ledger.local_day())
    reference = actions.do_issue_reference(
        quote=quote, agency_id=service.agency_id, subject=f"t:{uuid.uuid4()}", payer=payer, payer_name="Paula Ríos"
    )
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        actions.settle(
            actions.lock_reference(reference.pk),
            channel="transfer",
            amount=172_000,
            when=timezone.now(),
            external_id="spei:1",
            debit_account=Account.BANK,
        )
    reference.refresh_from_db()
    document = reference.receipt_document
    assert document is not None and document.kind == "payment_receipt" and document.subject == reference.reference
    assert actions.do_issue_receipt(reference.pk) == document  # issued once
    with receipts.open_receipt(reference) as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == document.digest
    page = client.get(urlsplit(verification_url(document)).path)
    assert page.status_code == 200
    assert "Recibo de pago de derechos" in page.content.decode() and reference.reference in page.content.decode()
    notice = Notification.objects.get(event="payment.received")
    assert notice.recipient == "paga@example.mx" and "$1,720.00" in notice.body


def test_the_sweep_enqueues_again_a_receipt_that_a_killed_worker_left_unissued(
    settings, django_capture_on_commit_callbacks
):
    # The receipt's task went with a worker killed while it held it (test_crash_recovery.py kills a real one): the
    # reference is paid and has no receipt. The sweep leaves it alone within the grace, then enqueues it once more.
    settings.PAYMENTS_RECEIPT_GRACE_SECONDS = 600
    payer = make_account(email="otra@example.mx", first_name="Olga")
    service, _fee = make_payable_service(amount=50_000)
    quote = fees.quote(service.pk, {}, on=ledger.local_day())
    reference = actions.do_issue_reference(
        quote=quote, agency_id=service.agency_id, subject=f"t:{uuid.uuid4()}", payer=payer, payer_name="Olga Ruiz"
    )
    paid_at = timezone.now()
    with django_capture_on_commit_callbacks(execute=False), transaction.atomic():  # the task never runs
        actions.settle(
            actions.lock_reference(reference.pk),
            channel="bank",
            amount=50_000,
            when=paid_at,
            external_id="bank:sweep",
            debit_account=Account.BANK,
        )
    reference.refresh_from_db()
    assert reference.is_paid and reference.receipt_document is None
    assert actions.do_sweep(now=paid_at + dt.timedelta(seconds=599))["receipts"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.do_sweep(now=paid_at + dt.timedelta(seconds=601))["receipts"] == 1
    reference.refresh_from_db()
    assert reference.receipt_document is not None
    assert Notification.objects.filter(event="payment.received").count() == 1
    # Past a week the sweep stops trying (the reference's page renders the receipt on demand).
    older = actions.do_issue_reference(quote=quote, agency_id=service.agency_id, subject=f"t:{uuid.uuid4()}")
    with django_capture_on_commit_callbacks(execute=False), transaction.atomic():
        actions.settle(
            actions.lock_reference(older.pk),
            channel="bank",
            amount=50_000,
            when=paid_at - dt.timedelta(days=8),
            external_id="bank:old",
            debit_account=Account.BANK,
        )
    assert actions.do_sweep(now=paid_at + dt.timedelta(seconds=700))["receipts"] == 0
