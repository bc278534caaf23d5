"""Builders of the payments' test data: an agency that collects, a service with a payable fee."""

from __future__ import annotations

import copy
import datetime as dt
import itertools

from portal.agencies.tests.factories import make_agency
from portal.online_forms.tests.factories import published_form
from portal.payments.models import AgencyPaymentAccount, Exemption, ExemptionRule, Fee, Moment, PaymentSetting
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


#: A passport's online form with what fees and exemptions may refer to: a choice, a number, a yes/no (and a text,
#: which they may not).
PASSPORT_FORM = {
    "version": 1,
    "pages": [
        {
            "id": "datos",
            "title": "Datos del pasaporte",
            "questions": [
                {
                    "id": "vigencia",
                    "type": "single_choice",
                    "label": "Vigencia",
                    "choices": [{"value": "3", "label": "3 años"}, {"value": "6", "label": "6 años"}],
                },
                {"id": "copias", "type": "number", "label": "Copias certificadas"},
                {"id": "discapacidad", "type": "yes_no", "label": "¿Tiene una discapacidad?"},
                {"id": "nombre", "type": "text", "label": "Nombre"},
            ],
        }
    ],
}


def make_passport_with_form(agency):
    """A payable service of ``agency`` (paid before submission) with a published online form (``PASSPORT_FORM``),
    two fees (the 3-year one chosen by «vigencia» = 3; the 6-year one with an older version from 2019) and a 50 %
    exemption for people aged 60 or more."""
    service, _three = make_payable_service(
        agency,
        key="pasaporte-de-3-anos",
        concept="Pasaporte de 3 años",
        amount=150_000,
        option={"question": "vigencia", "value": "3"},
    )
    make_fee(
        service,
        key="pasaporte-de-6-anos",
        concept="Pasaporte de 6 años",
        amount=180_000,
        valid_from=dt.date(2019, 1, 1),
    )
    make_fee(service, key="pasaporte-de-6-anos", concept="Pasaporte de 6 años", amount=200_000)
    Exemption.objects.create(
        service=service,
        name="Personas de 60 años o más",
        legal_basis="LFD, artículo 20",
        rule=ExemptionRule.AGE_AT_LEAST,
        parameters={"years": 60},
        percent=50,
    )
    published_form(service, copy.deepcopy(PASSPORT_FORM))
    return service
