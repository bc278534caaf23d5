"""A small world for the payer's pages: an entity that collects (bank and CLABE), a service with a fee, a citizen
with a reference issued to her, and helpers to settle, expire and pay it as the channels would."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from portal.accounts.tests.factories import make_account
from portal.agencies.models import Role, StaffRole
from portal.payments import actions, ledger, queries
from portal.payments.models import Account, Payment, PaymentChannel, PaymentReference
from portal.payments.tests.factories import make_payable_service, make_payment_account


@dataclass
class World:
    service: Any
    fee: Any
    account: Any
    citizen: Any
    reference: PaymentReference


def issue(service, payer, *, answers=None, now: dt.datetime | None = None, subject: str | None = None, label="FOLIO-1"):
    moment = now or timezone.now()
    quote = queries.quote_for(service.pk, answers or {}, on=ledger.local_day(moment))
    return actions.do_issue_reference(
        quote=quote,
        agency_id=service.agency_id,
        subject=subject or f"application:{uuid.uuid4()}",
        subject_label=label,
        payer=payer,
        payer_name="Ana Pagadora Ruiz",
        payer_curp="PARA800101MDFXXX09",
        actor=payer,
        actor_role="payer",
        now=moment,
    )


def build_world(*, accepts_online: bool = True) -> World:
    service, fee = make_payable_service(amount=150_000)
    account = make_payment_account(service.agency)
    account.bank_name = "Banco del Bienestar"
    account.clabe = "002180700123456789"
    account.accepts_online = accepts_online
    account.save()
    citizen = make_account(email="ana@example.mx", first_name="Ana")
    return World(service, fee, account, citizen, issue(service, citizen))


def settle_by_bank(reference: PaymentReference, *, external_id: str = "BANCO-1") -> PaymentReference:
    with transaction.atomic():
        locked = actions.lock_reference(reference.pk)
        actions.settle(
            locked,
            channel=PaymentChannel.BANK,
            amount=locked.amount_centavos,
            when=timezone.now(),
            external_id=external_id,
            debit_account=Account.BANK,
            actor_role="bank",
        )
    reference.refresh_from_db()
    return reference


def expired_reference(service, payer) -> PaymentReference:
    """A reference issued a month ago: past its day (the sweeper has not run yet)."""
    return issue(service, payer, now=timezone.now() - dt.timedelta(days=30))


def make_staff(agency, role: str = Role.CASE_WORKER, *, email: str = "staff@example.gob.mx", **fields):
    user = make_account(email=email, **fields)
    StaffRole.objects.create(user=user, agency=agency, role=role)
    return user


def make_payment(reference: PaymentReference, *, status: str, key: str | None = None, **fields) -> Payment:
    """An online payment row as the provider left it (no provider is called: the return page only reads it)."""
    now = timezone.now()
    return Payment.objects.create(
        reference=reference,
        provider="sandbox",
        idempotency_key=key or uuid.uuid4().hex,
        request_digest="0" * 64,
        amount_centavos=reference.amount_centavos,
        status=status,
        created_at=now,
        expires_at=now + dt.timedelta(minutes=90),
        **fields,
    )
