"""What a person owes for a service on a given day: the fee in force, its quantity, and the exemption the law grants.

Pure computation over ``Fee`` and ``Exemption`` rows and the facts given (the form's answers, the birth date in the
CURP): the same facts on the same day give the same quote, which is what lets a re-issued reference be explained
and a receipt years later name the article it was charged under (docs/payments.md, «Cuánto se paga»).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.mx import curp as stdnum_curp

from .models import Exemption, ExemptionRule, Fee

#: The most units one reference may charge (copies, years): a typo of 1000 copies is refused, not quoted.
MAX_QUANTITY = 99


class NoFee(LookupError):
    """The service has no fee in force that the answers select (no fee at all, or none chosen yet)."""


@dataclass(frozen=True)
class Quote:
    fee: Fee
    quantity: int
    unit_centavos: int
    gross_centavos: int
    exemption: Exemption | None
    discount_centavos: int
    amount_centavos: int
    inputs: dict[str, Any] = field(default_factory=dict)

    @property
    def is_exempt(self) -> bool:
        return self.amount_centavos == 0


def versions_in_force(service_id: int, on: dt.date, *, with_withdrawn: bool = False) -> list[Fee]:
    """Each fee key's version in force on ``on``: the latest ``valid_from`` not after it. A withdrawn version (the
    fee left the sheet) is left out unless ``with_withdrawn``: the sync needs it to know the fee already stopped."""
    chosen: dict[str, Fee] = {}
    for fee in Fee.objects.filter(service_id=service_id, valid_from__lte=on).order_by("key", "-valid_from"):
        chosen.setdefault(fee.key, fee)
    kept = (fee for fee in chosen.values() if with_withdrawn or not fee.withdrawn)
    return sorted(kept, key=lambda fee: (fee.sort_order, fee.key))


def _selects(fee: Fee, answers: Mapping[str, Any]) -> bool:
    option = fee.option or {}
    if not option:
        return True
    answer = answers.get(option.get("question", ""))
    wanted = option.get("value")
    if isinstance(answer, list):
        return wanted in answer
    return answer == wanted


def choose_fee(service_id: int, answers: Mapping[str, Any], on: dt.date) -> Fee:
    """The fee in force that the answers select. Fees with an option win over an unconditional one."""
    fees = versions_in_force(service_id, on)
    matching = [fee for fee in fees if _selects(fee, answers)]
    if not matching:
        raise NoFee(service_id)
    with_option = [fee for fee in matching if fee.option]
    return (with_option or matching)[0]


def quantity_for(fee: Fee, answers: Mapping[str, Any]) -> int:
    if not fee.quantity_question:
        return 1
    raw = answers.get(fee.quantity_question)
    try:
        quantity = int(str(raw).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(quantity, 1), MAX_QUANTITY)


def birth_date_from_curp(curp: str) -> dt.date | None:
    try:
        return stdnum_curp.get_birth_date(curp) if curp else None
    except StdnumError:
        return None


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _applies(exemption: Exemption, answers: Mapping[str, Any], birth: dt.date | None, on: dt.date) -> bool:
    parameters = exemption.parameters or {}
    if exemption.rule == ExemptionRule.AGE_AT_LEAST:
        years = parameters.get("years")
        return birth is not None and isinstance(years, int) and age_on(birth, on) >= years
    if exemption.rule == ExemptionRule.ANSWER_EQUALS:
        answer = answers.get(parameters.get("question", ""))
        wanted = parameters.get("value")
        return answer == wanted or (isinstance(answer, list) and wanted in answer)
    return False


def best_exemption(service_id: int, answers: Mapping[str, Any], birth: dt.date | None, on: dt.date) -> Exemption | None:
    """The largest discount the person qualifies for; exemptions never add up (one legal basis per charge)."""
    for exemption in Exemption.objects.filter(service_id=service_id, active=True).order_by("-percent", "pk"):
        if _applies(exemption, answers, birth, on):
            return exemption
    return None


def quote(
    service_id: int, answers: Mapping[str, Any], *, curp: str = "", birth: dt.date | None = None, on: dt.date
) -> Quote:
    """What is owed on ``on``; raise ``NoFee`` when the service charges nothing the answers select. The birth date
    is the CURP's unless given (a re-issue passes the one the first quote used)."""
    fee = choose_fee(service_id, answers, on)
    quantity = quantity_for(fee, answers)
    gross = fee.amount_centavos * quantity
    birth = birth or birth_date_from_curp(curp)
    exemption = best_exemption(service_id, answers, birth, on)
    # Rounded down: a discount never charges a centavo more than the law's percentage allows.
    discount = gross * exemption.percent // 100 if exemption else 0
    used_questions = {fee.quantity_question, (fee.option or {}).get("question", "")}
    for candidate in Exemption.objects.filter(service_id=service_id, active=True, rule=ExemptionRule.ANSWER_EQUALS):
        used_questions.add((candidate.parameters or {}).get("question", ""))
    inputs: dict[str, Any] = {
        "answers": {key: answers[key] for key in sorted(used_questions) if key and key in answers},
        "birth_date": birth.isoformat() if birth else "",
    }
    return Quote(
        fee=fee,
        quantity=quantity,
        unit_centavos=fee.amount_centavos,
        gross_centavos=gross,
        exemption=exemption,
        discount_centavos=discount,
        amount_centavos=gross - discount,
        inputs=inputs,
    )
