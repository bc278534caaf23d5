"""Small bookkeeping models of the portal itself."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
