"""The homoclave: the key of a procedure in the national registry (``SIGLAS-NN-NNN`` plus an optional modality).

``IMSS-02-008``, ``SRE-02-001-A``. The first part is the acronym of the agency that owns the procedure, the first
number the kind of procedure, the second its sequence, and the trailing letter a modality of the same procedure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HOMOCLAVE_RE = re.compile(
    r"^(?P<acronym>[A-Z][A-Z0-9]{1,11})-(?P<kind>\d{2})-(?P<number>\d{3})(?:-(?P<modality>[A-Z]))?$"
)
# Dashes people paste from word processors, and spaces they type instead of dashes.
_DASHES = re.compile(r"[\s\-\u2010-\u2015\u2212_]+")


@dataclass(frozen=True)
class Homoclave:
    acronym: str
    kind: str
    number: str
    modality: str = ""

    def __str__(self) -> str:
        base = f"{self.acronym}-{self.kind}-{self.number}"
        return f"{base}-{self.modality}" if self.modality else base


def normalize_homoclave(value: str) -> str:
    """Upper-case, trim and turn any run of dashes, underscores or spaces into one hyphen."""
    return _DASHES.sub("-", value.strip().upper()).strip("-")


def parse_homoclave(value: str) -> Homoclave:
    """Parse a homoclave written by a person; raise ``ValidationError`` with a message that says what is wrong."""
    text = normalize_homoclave(value or "")
    if not text:
        raise ValidationError(_("Escriba la homoclave del trámite, por ejemplo IMSS-02-008."), code="empty")
    match = HOMOCLAVE_RE.match(text)
    if match:
        return Homoclave(
            acronym=match["acronym"], kind=match["kind"], number=match["number"], modality=match["modality"] or ""
        )
    parts = text.split("-")
    if len(parts) < 3 or len(parts) > 4:
        raise ValidationError(
            _("La homoclave tiene la forma SIGLAS-NN-NNN (y, si aplica, una letra de modalidad): IMSS-02-008."),
            code="shape",
        )
    acronym, kind, number, *rest = parts
    if not re.fullmatch(r"[A-Z][A-Z0-9]{1,11}", acronym):
        raise ValidationError(
            _("Las siglas de la homoclave llevan de 2 a 12 letras o dígitos y empiezan con letra."), code="acronym"
        )
    if not re.fullmatch(r"\d{2}", kind):
        raise ValidationError(_("Después de las siglas van exactamente 2 dígitos, por ejemplo 02."), code="kind")
    if not re.fullmatch(r"\d{3}", number):
        raise ValidationError(_("El número consecutivo tiene exactamente 3 dígitos, por ejemplo 008."), code="number")
    raise ValidationError(_("La modalidad es una sola letra mayúscula, por ejemplo A."), code="modality")


def validate_homoclave(value: str) -> None:
    """Model-field validator: the stored value must already be in canonical form."""
    parsed = parse_homoclave(value)
    if str(parsed) != value:
        raise ValidationError(_("Escriba la homoclave en mayúsculas y con guiones: %(value)s") % {"value": parsed})
