"""Small bookkeeping models of the portal itself."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .business_days import mandatory_rest_days


class DataLoad(models.Model):
    """The version of a set of data files last loaded into this database (e.g. the demo seed).

    ``checksum`` covers the content of every file of the set and the loader's own version, so a loader can tell in
    one query that nothing changed since it last ran and skip the work.
    """

    name = models.CharField(_("conjunto de datos"), max_length=60, unique=True)
    checksum = models.CharField(_("suma de verificación"), max_length=64)
    details = models.JSONField(_("detalles"), default=dict, blank=True)
    loaded_at = models.DateTimeField(_("cargado"), auto_now=True)

    class Meta:
        verbose_name = _("carga de datos")
        verbose_name_plural = _("cargas de datos")

    def __str__(self) -> str:
        return f"{self.name} · {self.checksum[:12]}"


class NonWorkingDay(models.Model):
    """A day the authorities declared non-working in the Diario Oficial de la Federación (LFPA art. 28).

    Weekends and the rest days of the Ley Federal del Trabajo (art. 74) follow fixed rules and are computed in
    ``portal.core.business_days``; only the days that change from year to year are rows here. Saving or deleting one
    drops the cached calendar and the cached public pages (``portal.core.signals``).
    """

    date = models.DateField(
        _("fecha"),
        unique=True,
        error_messages={"unique": _("Ese día ya está registrado como inhábil.")},
    )
    description = models.CharField(
        _("descripción"), max_length=200, help_text=_("Por ejemplo: Jueves Santo, Día de Muertos.")
    )
    source = models.CharField(
        _("fuente"),
        max_length=200,
        help_text=_("Dónde se declaró inhábil, por ejemplo: DOF 2026-01-15."),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("día inhábil")
        verbose_name_plural = _("días inhábiles")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} · {self.description}"

    def clean(self) -> None:
        if self.date is not None:
            for rest_day in mandatory_rest_days(self.date.year):
                if rest_day.day == self.date:
                    raise ValidationError(
                        {
                            "date": _(
                                "Ese día ya es de descanso obligatorio por la Ley Federal del Trabajo (%(reason)s); "
                                "no hace falta registrarlo."
                            )
                            % {"reason": rest_day.reason}
                        }
                    )
