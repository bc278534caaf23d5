"""Assisted service: a clerk at an office fills in a citizen's online application for them, with their consent.

An ``AssistedSession`` is the consent, recorded: whose application (``citizen``), for which service, what exactly the
person agreed to (``consent_text``, the words the clerk read to them, kept as they were), when, by which clerk, at
which office. While it is open (and for ``ASSISTED_SESSION_MINUTES`` at most) the clerk's browser works that
citizen's draft of that service through the very pages citizens use, and nothing else of theirs. Ending it, or its
expiry, closes that door; the record stays with the case.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AssistedSession(models.Model):
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persona atendida"),
        on_delete=models.CASCADE,
        related_name="assisted_sessions",
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personal de ventanilla"),
        on_delete=models.PROTECT,
        related_name="assisted_sessions_served",
    )
    office = models.ForeignKey(
        "agencies.Office", verbose_name=_("oficina"), on_delete=models.PROTECT, related_name="assisted_sessions"
    )
    service = models.ForeignKey(
        "services.ServicePage", verbose_name=_("trámite"), on_delete=models.PROTECT, related_name="+"
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("solicitud"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assisted_sessions",
    )
    consent_text = models.TextField(_("a qué dio su consentimiento"))
    consented_at = models.DateTimeField(_("consentimiento otorgado"))
    expires_at = models.DateTimeField(_("vence"))
    ended_at = models.DateTimeField(_("terminó"), null=True, blank=True)

    class Meta:
        verbose_name = _("atención asistida")
        verbose_name_plural = _("atenciones asistidas")
        ordering = ("-consented_at",)
        indexes = [models.Index(fields=("clerk", "ended_at"), name="applications_assisted_clerk")]

    def __str__(self) -> str:
        return f"{self.clerk_id} → {self.citizen_id} ({self.consented_at:%Y-%m-%d %H:%M})"
