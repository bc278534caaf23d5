"""A paid fee's receipt is issued once, kept byte for byte, verifiable at /verificar/, and e-mailed to the payer."""

from __future__ import annotations

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
