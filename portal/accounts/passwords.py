"""Password rules after NIST SP 800-63B (docs/accounts.md, «Contraseñas»): long, not common, not about us.

Django's validators give the minimum length, the common-password list and the similarity to the person's own data.
These two add what NIST also asks for:

- ``MaximumLengthValidator``: at least 64 characters must be accepted (passphrases); we accept up to 128 and refuse
  more, only so that nobody posts a megabyte to be hashed.
- ``ContextWordsValidator``: no password that is just the service's name, the government's or the word "password"
  dressed up with digits and symbols (``Ventanilla2025!``, ``contraseña123``), which a common-password list in
  English does not know.

There are deliberately no composition rules (upper case, digits, symbols) and no expiry: NIST found they make
passwords weaker, not stronger.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DEFAULT_MAXIMUM = 128
CONTEXT_WORDS = frozenset(
    {
        "ventanilla",
        "ventanillaunica",
        "gobierno",
        "gobiernodemexico",
        "gobmx",
        "mexico",
        "contrasena",
        "password",
        "passw",
        "clave",
        "micontrasena",
        "miclave",
        "curp",
        "tramites",
    }
)
_NOT_LETTERS = re.compile(r"[^a-z]+")


def _letters(text: str) -> str:
    """Lower case, accents removed, everything but a–z dropped: ``Contraseña_2025!`` → ``contrasena``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_LETTERS.sub("", plain)


class MaximumLengthValidator:
    def __init__(self, max_length: int = DEFAULT_MAXIMUM) -> None:
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "La contraseña puede tener como máximo %(max_length)d carácter.",
                    "La contraseña puede tener como máximo %(max_length)d caracteres.",
                    self.max_length,
                ),
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self) -> str:
        return _("Puede usar hasta %(max_length)d caracteres, espacios incluidos.") % {"max_length": self.max_length}


class ContextWordsValidator:
    def __init__(self, words: frozenset[str] = CONTEXT_WORDS) -> None:
        self.words = words

    def validate(self, password: str, user=None) -> None:
        letters = _letters(password)
        if letters in self.words:
            raise ValidationError(
                _(
                    "La contraseña es demasiado fácil de adivinar: no use el nombre del portal ni la palabra "
                    "«contraseña», aunque les agregue números o símbolos."
                ),
                code="password_context_word",
            )

    def get_help_text(self) -> str:
        return _("No puede ser el nombre del portal ni la palabra «contraseña» con números.")
