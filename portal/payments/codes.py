"""The línea de captura: a 20-digit payment reference that a bank clerk, a store till or a person can type.

Layout (docs/payments.md, «La línea de captura»)::

    AAA SSSSSSSSSS DDDD I CC
    │   │          │    │ └─ two check digits, ISO 7064 MOD 97-10 over the 18 digits before them
    │   │          │    └─── the condensed amount: one digit computed from the amount in centavos
    │   │          └──────── the condensed expiry date: days from 2020-01-01 (until 2047)
    │   └─────────────────── a random serial, unique per agency
    └─────────────────────── the agency's payment code

MOD 97-10 (the IBAN's check) catches every single wrong digit and every swap of two adjacent digits, so a reference
typed wrong is refused before anything is looked up. The condensed amount is the check Mexican banks run on
«referencias con importe condensado»: paying another amount against a reference fails it nine times in ten, and the
portal compares the amount with the stored one anyway. The condensed date lets a bank refuse an expired reference
without asking the portal.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from stdnum.iso7064 import mod_97_10

from portal.core.templatetags.portal import in_fours

LENGTH = 20
EPOCH = dt.date(2020, 1, 1)
LAST_DAY = EPOCH + dt.timedelta(days=9999)
_AMOUNT_WEIGHTS = (7, 3, 1)
_SEPARATORS = re.compile(r"[\s\-.]+")


class InvalidReference(ValueError):
    """The text is not a well-formed línea de captura. ``code``: ``length``, ``digits``, ``check``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Reference:
    agency_code: str
    serial: str
    expires_on: dt.date
    amount_digit: int
    text: str

    def matches_amount(self, amount_centavos: int) -> bool:
        return self.amount_digit == condensed_amount(amount_centavos)

    def expired_on(self, day: dt.date) -> bool:
        """Whether a payment made on ``day`` is late (the reference is payable through its expiry date)."""
        return day > self.expires_on


def condensed_amount(amount_centavos: int) -> int:
    """One digit of the amount: its digits from the right weighted 7, 3, 1, 7, 3, 1…, summed, modulo 10."""
    if amount_centavos < 0:
        raise ValueError("amount must not be negative")
    digits = str(amount_centavos)[::-1]
    return sum(int(d) * _AMOUNT_WEIGHTS[i % 3] for i, d in enumerate(digits)) % 10


def condensed_date(day: dt.date) -> str:
    if not EPOCH <= day <= LAST_DAY:
        raise ValueError(f"{day} cannot be condensed into four digits")
    return f"{(day - EPOCH).days:04d}"


def new_serial() -> str:
    return f"{secrets.randbelow(10**10):010d}"


def build_reference(agency_code: str, serial: str, expires_on: dt.date, amount_centavos: int) -> str:
    if not (len(agency_code) == 3 and agency_code.isdigit()):
        raise ValueError("the agency's payment code is three digits")
    if not (len(serial) == 10 and serial.isdigit()):
        raise ValueError("the serial is ten digits")
    body = f"{agency_code}{serial}{condensed_date(expires_on)}{condensed_amount(amount_centavos)}"
    return body + mod_97_10.calc_check_digits(body)


def normalise(text: str) -> str:
    """What a person typed, without the spaces, dashes and dots that printed groups invite."""
    return _SEPARATORS.sub("", text or "")


def parse_reference(text: str) -> Reference:
    """Parse and check a typed reference; raise ``InvalidReference`` saying what is wrong."""
    value = normalise(text)
    if not value.isdigit():
        raise InvalidReference("digits")
    if len(value) != LENGTH:
        raise InvalidReference("length")
    if not mod_97_10.is_valid(value):
        raise InvalidReference("check")
    return Reference(
        agency_code=value[:3],
        serial=value[3:13],
        expires_on=EPOCH + dt.timedelta(days=int(value[13:17])),
        amount_digit=int(value[17]),
        text=value,
    )


def grouped(reference: str) -> str:
    """The reference in groups of four, as printed on the hoja de ayuda and read aloud at a counter."""
    return in_fours(reference)
