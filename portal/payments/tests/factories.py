"""Builders of the payments' test data: an agency that collects, a service with a payable fee."""

from __future__ import annotations

import datetime as dt
import itertools

from portal.agencies.tests.factories import make_agency
from portal.payments.models import AgencyPaymentAccount, Fee, Moment, PaymentSetting
from portal.services.tests.factories import make_service

_codes = itertools.count(101)


def make_payment_account(agency=None, *, provider: str = "sandbox", **fields) -> AgencyPaymentAccount:
    agency = agency or make_agency()
    account, _ = AgencyPaymentAccount.objects.get_or_create(
        agency=agency, defaults={"code": f"{next(_codes) % 1000:03d}", "provider": provider, **fields}
    )
    return account


def make_fee(
    service,
    *,
    key: str = "derecho",
    amount: int = 150_000,
    valid_from: dt.date = dt.date(2020, 1, 1),
    concept: str = "Expedición del documento",
    legal_basis: str = "Ley Federal de Derechos, artículo 20",
    **fields,
) -> Fee:
    return Fee.objects.create(
        service=service,
        key=key,
        concept=concept,
        amount_centavos=amount,
        valid_from=valid_from,
        legal_basis=legal_basis,
        **fields,
    )


def make_payable_service(
    agency=None, *, amount: int = 150_000, moment: str = Moment.BEFORE_SUBMISSION, provider: str = "sandbox", **fee
):
    """A published service of an agency that collects, with one fee in force since 2020 and a payment setting."""
    account = make_payment_account(agency, provider=provider)
    service = make_service(account.agency)
    fee_row = make_fee(service, amount=amount, **fee)
    PaymentSetting.objects.create(service=service, moment=moment)
    return service, fee_row
