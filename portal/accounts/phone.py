"""Mexican mobile numbers: whatever a person types, stored and compared as E.164 (``+52`` and ten digits).

Since August 2019 every Mexican number has ten digits and is dialled the same way from any phone: the old prefixes
(``044`` and ``045`` for mobiles, ``01`` for long distance, and the ``1`` after ``+52`` for mobiles) are gone, but
people still type them, so they are accepted and dropped. National numbers start with 2–9 (area codes); nothing
else is a Mexican number. Only ASCII digits count: ``int()`` would also take Arabic-Indic or full-width digits, which
are not what anyone dialled.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

COUNTRY_CODE = "52"
E164_MEXICO = re.compile(r"^\+52[2-9]\d{9}$")
# What people put between digits: spaces (including non-breaking), dashes, dots, slashes and brackets.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015.()/\[\]]")
_DIGITS = re.compile(r"^[0-9]+$")
MAX_INPUT_LENGTH = 40

MESSAGE_INVALID = _("Escriba un número de celular de México de 10 dígitos, por ejemplo 55 1234 5678.")
MESSAGE_FOREIGN = _("Solo aceptamos números de celular de México (+52). Escriba los 10 dígitos de su número.")
MESSAGE_REQUIRED = _("Escriba su número de celular.")


def normalise_mexican_phone(value: str) -> str:
    """The E.164 form (``+525512345678``) of a Mexican number as a person may type it; ``ValidationError`` if none.

    Idempotent: a normalised number normalises to itself.
    """
    text = (value or "").strip()
    if not text:
        raise ValidationError(MESSAGE_REQUIRED, code="required")
    if len(text) > MAX_INPUT_LENGTH:
        raise ValidationError(MESSAGE_INVALID, code="invalid_phone")
    international = text.startswith("+")
    digits = _SEPARATORS.sub("", text[1:] if international else text)
    if not _DIGITS.match(digits):
        raise ValidationError(MESSAGE_INVALID, code="invalid_phone")
    if not international and digits.startswith("00"):
        # 00 is the international access code: what follows is a country code.
        international, digits = True, digits[2:]
    if international:
        if not digits.startswith(COUNTRY_CODE):
            raise ValidationError(MESSAGE_FOREIGN, code="foreign_phone")
        digits = digits[len(COUNTRY_CODE) :]
        if len(digits) == 11 and digits.startswith("1"):
            digits = digits[1:]  # +52 1 55…: the mobile prefix dropped in 2019
    elif len(digits) == 12 and digits.startswith(COUNTRY_CODE):
        digits = digits[len(COUNTRY_CODE) :]  # 52 55 1234 5678 without the plus
    elif len(digits) == 13 and digits.startswith(COUNTRY_CODE + "1"):
        digits = digits[len(COUNTRY_CODE) + 1 :]
    elif len(digits) == 13 and digits[:3] in ("044", "045"):
        digits = digits[3:]  # the old mobile prefixes
    elif len(digits) == 12 and digits.startswith("01"):
        digits = digits[2:]  # the old long-distance prefix
    if len(digits) != 10 or digits[0] in "01":
        raise ValidationError(MESSAGE_INVALID, code="invalid_phone")
    return f"+{COUNTRY_CODE}{digits}"


# Area codes of two digits (Mexico City, Guadalajara, Monterrey); every other one has three (IFT's national plan).
TWO_DIGIT_AREA_CODES = ("55", "56", "33", "81")


def format_mexican_phone(e164: str) -> str:
    """How a stored number is shown, grouped as people say it: ``+52 55 1234 5678``, ``+52 312 123 4567``.
    Anything else is shown as it is."""
    if not E164_MEXICO.match(e164 or ""):
        return e164 or ""
    national = e164[3:]
    if national[:2] in TWO_DIGIT_AREA_CODES:
        return f"+52 {national[:2]} {national[2:6]} {national[6:]}"
    return f"+52 {national[:3]} {national[3:6]} {national[6:]}"


class MexicanPhoneField(forms.CharField):
    """A form field that accepts a Mexican number in any usual writing and cleans it to E.164."""

    default_error_messages = {"required": MESSAGE_REQUIRED}

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label", _("Número de celular"))
        kwargs.setdefault("max_length", MAX_INPUT_LENGTH)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        return normalise_mexican_phone(value)
