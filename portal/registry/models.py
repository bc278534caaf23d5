"""The population registry: one record per person, keyed by the CURP, as RENAPO keeps it.

Names are stored as the birth registration writes them (capitals, with accents and Ñ). Lookups by personal data go
through ``lookup_key``, a digest of the data folded to what a person can be expected to type (no accents, no
punctuation, any case), so that one narrow index answers them; it is a fixed-width index entry, not a secret.
"""

from __future__ import annotations

import datetime
import hashlib
import unicodedata
from functools import lru_cache

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.geo.reference import STATES

from .curp import BORN_ABROAD

MEXICAN = "MEX"


class Sex(models.TextChoices):
    MALE = "H", _("Hombre")
    FEMALE = "M", _("Mujer")
    NON_BINARY = "X", _("No binario")


#: The 32 states by RENAPO's two letters (as the CURP writes them), and NE for people born abroad. A plain code
#: rather than a key to ``geo.State``: NE is no state, and a registry record must not depend on a catalogue row.
BIRTH_STATE_CHOICES = [(row.renapo_code, row.name) for row in STATES] + [(BORN_ABROAD, _("Nacido en el extranjero"))]


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("Activa")
    CANCELLED = "cancelled", _("Baja")
    DECEASED = "deceased", _("Baja por defunción")


class EvidenceKind(models.TextChoices):
    """The document that proves the data the CURP was built from (*documento probatorio*)."""

    BIRTH_CERTIFICATE = "birth_certificate", _("Acta de nacimiento")
    NATURALIZATION_LETTER = "naturalization_letter", _("Carta de naturalización")
    MIGRATION_DOCUMENT = "migration_document", _("Documento migratorio")
    NATIONALITY_CERTIFICATE = "nationality_certificate", _("Certificado de nacionalidad mexicana")


@lru_cache(maxsize=16384)
def fold_for_lookup(text: str) -> str:
    """Capitals A–Z and single spaces only: how a typed name is compared with the registered one."""
    decomposed = unicodedata.normalize("NFD", (text or "").upper())
    letters = "".join(
        char if ("A" <= char <= "Z") else " " for char in decomposed if unicodedata.category(char) != "Mn"
    )
    return " ".join(letters.split())


def personal_data_key(
    given_names: str, first_surname: str, second_surname: str, birth_date: datetime.date, sex: str, birth_state: str
) -> str:
    raw = "|".join(
        [
            fold_for_lookup(given_names),
            fold_for_lookup(first_surname),
            fold_for_lookup(second_surname),
            birth_date.isoformat(),
            sex.upper(),
            birth_state.upper(),
        ]
    )
    return hashlib.sha256(raw.encode()).hexdigest()


class Person(models.Model):
    """A person registered in the CURP registry."""

    curp = models.CharField(
        _("CURP"),
        max_length=18,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Z]{4}\d{6}[HMX][A-Z]{2}[A-Z]{3}[0-9A-Z]\d$", _("No es una CURP bien formada."))
        ],
    )
    given_names = models.CharField(_("nombre(s)"), max_length=120)
    first_surname = models.CharField(_("primer apellido"), max_length=120)
    second_surname = models.CharField(_("segundo apellido"), max_length=120, blank=True)
    birth_date = models.DateField(_("fecha de nacimiento"))
    sex = models.CharField(_("sexo"), max_length=1, choices=Sex.choices)
    birth_state = models.CharField(_("entidad de nacimiento"), max_length=2, choices=BIRTH_STATE_CHOICES)
    nationality = models.CharField(
        _("nacionalidad"),
        max_length=3,
        default=MEXICAN,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Usa la clave de país de tres letras (MEX, USA, GTM...)."))],
    )
    status = models.CharField(_("situación"), max_length=12, choices=PersonStatus.choices, default=PersonStatus.ACTIVE)

    # The proving document: for an acta, where and when it was registered and its book and number.
    evidence_kind = models.CharField(
        _("documento probatorio"), max_length=30, choices=EvidenceKind.choices, default=EvidenceKind.BIRTH_CERTIFICATE
    )
    registration_state = models.CharField(
        _("entidad de registro"), max_length=2, choices=BIRTH_STATE_CHOICES, blank=True
    )
    registration_municipality = models.CharField(_("municipio de registro"), max_length=120, blank=True)
    registration_year = models.PositiveSmallIntegerField(_("año de registro"), null=True, blank=True)
    registration_book = models.CharField(_("libro"), max_length=10, blank=True)
    registration_number = models.CharField(_("número de acta o documento"), max_length=20, blank=True)

    lookup_key = models.CharField(_("clave de búsqueda"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("alta"), auto_now_add=True)
    updated_at = models.DateTimeField(_("última actualización"), auto_now=True)

    class Meta:
        ordering = ["curp"]
        # A plain index (not db_index, which on PostgreSQL adds a second, LIKE-only index nobody uses for a digest).
        indexes = [models.Index(fields=["lookup_key"], name="registry_person_lookup_idx")]
        verbose_name = _("persona registrada")
        verbose_name_plural = _("personas registradas")

    def __str__(self) -> str:
        return self.curp

    def save(self, *args, **kwargs) -> None:
        self.lookup_key = self.compute_lookup_key()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "lookup_key", "updated_at"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.first_surname, self.second_surname) if part)

    @property
    def nationality_display(self) -> str:
        return str(_("Mexicana")) if self.nationality == MEXICAN else self.nationality

    @property
    def born_abroad(self) -> bool:
        return self.birth_state == BORN_ABROAD

    @property
    def is_active(self) -> bool:
        return self.status == PersonStatus.ACTIVE

    def compute_lookup_key(self) -> str:
        return personal_data_key(
            self.given_names, self.first_surname, self.second_surname, self.birth_date, self.sex, self.birth_state
        )
