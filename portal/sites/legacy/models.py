"""Legacy websites of the entities, the map from their old addresses to the new pages, and each import's report.

``UrlMapping`` is the heart: one row per old address (path and query), keyed so that a second import updates the
page it made instead of making another, and so that the middleware can answer an old link with one indexed lookup.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from .hosts_cache import forget_hosts


class SiteRule(models.TextChoices):
    NONE = "none", _("Ninguna: las direcciones sin destino responden «no encontrada»")
    HOME = "home", _("Redirigir todo lo que no tenga destino a la página de inicio de la institución")


class LegacySite(models.Model):
    """An entity's old website: the host names it answered on and what to do with an address nobody mapped."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("institución"), on_delete=models.CASCADE, related_name="legacy_sites"
    )
    hosts = models.JSONField(
        _("nombres de dominio anteriores"),
        default=list,
        help_text=_("Por ejemplo: www.profeco.gob.mx, profeco.gob.mx"),
    )
    base_url = models.URLField(_("dirección base"), help_text=_("Por ejemplo: https://www.profeco.gob.mx/"))
    site_rule = models.CharField(_("regla general"), max_length=10, choices=SiteRule.choices, default=SiteRule.NONE)
    marked_done = models.BooleanField(
        _("migración terminada"), default=False, help_text=_("Marcado por una persona aunque queden direcciones.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sitio anterior")
        verbose_name_plural = _("sitios anteriores")
        ordering = ["agency__name", "pk"]

    def __str__(self) -> str:
        return self.base_url

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        forget_hosts()  # the middleware answers the new host names (hosts_cache says how soon in each process)
        transaction.on_commit(forget_hosts)  # and not a table read before the commit

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        result = super().delete(*args, **kwargs)
        forget_hosts()
        transaction.on_commit(forget_hosts)
        return result


class MappingStatus(models.TextChoices):
    REDIRECT = "redirect", _("Redirigida")
    ARCHIVE = "archive", _("Archivada")
    UNRESOLVED = "unresolved", _("Sin destino")


class UrlMapping(models.Model):
    """Where an old address of a legacy site leads now, and how much people still use it."""

    site = models.ForeignKey(LegacySite, on_delete=models.CASCADE, related_name="mappings")
    old_path = models.CharField(_("dirección anterior"), max_length=1000)
    status = models.CharField(
        _("estado"), max_length=12, choices=MappingStatus.choices, default=MappingStatus.UNRESOLVED
    )
    target_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("página de destino"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_path = models.CharField(_("dirección de destino"), max_length=1000, blank=True)
    title = models.CharField(_("título"), max_length=500, blank=True)
    archived_html = models.TextField(_("copia archivada"), blank=True)
    archived_text = models.TextField(_("texto archivado"), blank=True)
    suggested_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("destino sugerido"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    suggestion_score = models.FloatField(_("similitud"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    visits = models.PositiveIntegerField(_("visitas en el registro de accesos"), default=0)
    not_found_hits = models.PositiveIntegerField(_("visitas sin destino desde la migración"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dirección anterior")
        verbose_name_plural = _("direcciones anteriores")
        constraints = [models.UniqueConstraint(fields=["site", "old_path"], name="legacy_mapping_unique_path")]
        ordering = ["-visits", "old_path"]

    def __str__(self) -> str:
        return self.old_path


class ImportRun(models.Model):
    site = models.ForeignKey(LegacySite, on_delete=models.CASCADE, related_name="runs")
    source = models.CharField(_("origen"), max_length=1000)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    found = models.PositiveIntegerField(_("encontradas"), default=0)
    imported = models.PositiveIntegerField(_("importadas"), default=0)
    updated = models.PositiveIntegerField(_("actualizadas"), default=0)
    skipped = models.PositiveIntegerField(_("omitidas"), default=0)

    class Meta:
        verbose_name = _("importación")
        verbose_name_plural = _("importaciones")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source} ({self.started_at:%Y-%m-%d %H:%M})"


class Outcome(models.TextChoices):
    IMPORTED = "imported", _("Importada")
    UPDATED = "updated", _("Actualizada")
    SKIPPED = "skipped", _("Omitida")
    FAILED = "failed", _("Con error")


class ImportReportRow(models.Model):
    """One old address in one run: what happened to it and what an editor must fix before publishing."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="rows")
    url = models.CharField(_("dirección"), max_length=1000)
    outcome = models.CharField(_("resultado"), max_length=10, choices=Outcome.choices)
    reason = models.CharField(_("motivo"), max_length=500, blank=True)
    page = models.ForeignKey("wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    broken_links = models.JSONField(_("enlaces rotos"), default=list, blank=True)
    images_without_alt = models.PositiveIntegerField(_("imágenes sin texto alternativo"), default=0)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.url}: {self.outcome}"
