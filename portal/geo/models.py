"""Mexico's geography as INEGI and Correos de México publish it: states, municipalities, postal-code settlements."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.Model):
    """A federal entity. ``code`` is INEGI's two-digit key; ``renapo_code`` is the two letters used in the CURP."""

    code = models.CharField(_("clave INEGI"), max_length=2, unique=True)
    name = models.CharField(_("nombre"), max_length=80)
    renapo_code = models.CharField(_("clave RENAPO"), max_length=2, unique=True)
    timezone = models.CharField(_("zona horaria"), max_length=40, default="America/Mexico_City")

    class Meta:
        ordering = ["code"]
        verbose_name = _("entidad federativa")
        verbose_name_plural = _("entidades federativas")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A municipality (or Mexico City borough); ``inegi_code`` is the five-digit state+municipality key."""

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="municipalities")
    inegi_code = models.CharField(_("clave INEGI"), max_length=5, unique=True)
    name = models.CharField(_("nombre"), max_length=120)

    class Meta:
        ordering = ["inegi_code"]
        verbose_name = _("municipio")
        verbose_name_plural = _("municipios")

    def __str__(self) -> str:
        return f"{self.name}, {self.state.name}"


class Settlement(models.Model):
    """One row of Correos de México's postal-code catalogue (a colonia, pueblo, fraccionamiento...)."""

    postal_code = models.CharField(_("código postal"), max_length=5, db_index=True)
    name = models.CharField(_("asentamiento"), max_length=200)
    kind = models.CharField(_("tipo de asentamiento"), max_length=60, blank=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="settlements")
    city = models.CharField(_("ciudad"), max_length=120, blank=True)

    class Meta:
        ordering = ["postal_code", "name"]
        verbose_name = _("asentamiento")
        verbose_name_plural = _("asentamientos")
        constraints = [
            models.UniqueConstraint(fields=["postal_code", "name", "municipality"], name="geo_settlement_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.postal_code} {self.name}"
