"""The payments' part of ``manage.py seed_demo``: every demo entity that charges fees collects through the sandbox,
every published sheet's fees become payable fees, and the passport renewal (SRE-02-002, which has a demo online form)
is paid before submission, its fee chosen by the validity the person picks, with the 50 % the Ley Federal de Derechos
grants to people aged 60 or more; the certificate of Mexican nationality (SRE-03-001, also with a demo form) is paid
after approval: the fee is for issuing the certificate, so only a person whose application is approved pays it.

A demo loader (``portal/demo/loaders.py``): the demo app imports this module by name; nothing here imports it.
Idempotent: accounts, settings and exemptions are made once (what staff changed is kept); fee versions are written
only when a sheet's fees differ from those in force.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from portal.services.queries import live_services

from . import actions
from .fee_admin import clabe_check_digit
from .models import AgencyPaymentAccount, Exemption, ExemptionRule, Fee, Moment, PaymentSetting

DEMO_AFTER = ("agencies", "services", "online_forms")

#: The passport renewal's fees, by the answer of its form's «vigencia» question: each of the sheet's concepts that
#: starts with «Pasaporte ordinario, N años» is chosen by the answer N (the fee's key is derived from the concept by
#: ``actions.fee_key``, which shortens long concepts, so the concepts are matched here, not the keys).
PASSPORT = "SRE-02-002"
PASSPORT_VALIDITY = re.compile(r"^Pasaporte ordinario, (\d+) años")
#: Paid once the Secretaría approves: the fee is «Expedición del certificado de nacionalidad mexicana».
NATIONALITY_CERTIFICATE = "SRE-03-001"
OLDER_ADULTS = {
    "name": "Personas de 60 años o más",
    "legal_basis": "Ley Federal de Derechos, artículo 20, último párrafo",
    "rule": ExemptionRule.AGE_AT_LEAST,
    "parameters": {"years": 60},
    "percent": 50,
}


def load_demo(seed: Any) -> None:
    charging = [service for service in live_services().select_related("agency") if service.fee_list]
    agencies = {service.agency_id: service.agency for service in charging}
    with transaction.atomic():
        used = set(AgencyPaymentAccount.objects.values_list("code", flat=True))
        accounts = 0
        for agency in sorted(agencies.values(), key=lambda agency: agency.acronym):
            if AgencyPaymentAccount.objects.filter(agency=agency).exists():
                continue
            code = next(f"{number:03d}" for number in range(1, 1000) if f"{number:03d}" not in used)
            used.add(code)
            AgencyPaymentAccount.objects.create(
                agency=agency, code=code, provider="sandbox", bank_name="Banco de demostración", clabe=_clabe(code)
            )
            accounts += 1
        versions = sum(
            len(actions.do_sync_fees(service.pk, service.fee_list, service.legal_basis_text())) for service in charging
        )
        passport = next((service for service in charging if service.homoclave == PASSPORT), None)
        if passport is not None:
            _passport(passport)
        certificate = next((service for service in charging if service.homoclave == NATIONALITY_CERTIFICATE), None)
        if certificate is not None:
            PaymentSetting.objects.get_or_create(
                service=certificate, defaults={"moment": Moment.AFTER_APPROVAL, "pay_within_days": 15}
            )
    seed.say(
        _("Pagos de demostración: %(accounts)d cuentas de cobro nuevas, %(versions)d versiones de derechos.")
        % {"accounts": accounts, "versions": versions}
    )


def _clabe(code: str) -> str:
    """A valid CLABE for the demo (bank 999, which no bank has): never a real account."""
    first17 = f"999{code}{'0' * 11}"[:17]
    return f"{first17}{clabe_check_digit(first17)}"


def _passport(service: Any) -> None:
    PaymentSetting.objects.get_or_create(
        service=service, defaults={"moment": Moment.BEFORE_SUBMISSION, "pay_within_days": 10}
    )
    for position, fee in enumerate(service.fee_list):
        years = PASSPORT_VALIDITY.match(fee["concept"])
        if years is not None:
            Fee.objects.filter(service=service, key=actions.fee_key(fee["concept"], position), option={}).update(
                option={"question": "vigencia", "value": years.group(1)}
            )
    Exemption.objects.get_or_create(service=service, name=OLDER_ADULTS["name"], defaults=OLDER_ADULTS)
