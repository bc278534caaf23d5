"""What the portal adds to django-oauth-toolkit's clients and tokens: the agency behind each client, the citizen's
remembered consent, and the identifier each agency knows a citizen by.

The OAuth client itself stays DOT's ``oauth2_provider.Application`` (its secret hashed, its redirect URIs, its
tokens); ``AgencyClient`` ties it to an ``agencies.Agency`` and keeps what the citizen is told about it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AgencyClient(models.Model):
    """A system of an agency that signs citizens in with the portal. One per DOT application.

    ``allowed_scopes`` (space-separated) bounds what the system may ask for; a request for more is refused
    (``invalid_scope``). An inactive client is treated as unknown: its sign-ins are refused, its tokens stop working.
    """

    application = models.OneToOneField(
        "oauth2_provider.Application", on_delete=models.CASCADE, related_name="agency_client"
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("institución"), on_delete=models.PROTECT, related_name="oidc_clients"
    )
    description = models.TextField(
        _("para qué sirve"),
        blank=True,
        help_text=_("Se muestra a la ciudadanía en la pantalla de autorización. Una o dos frases."),
    )
    allowed_scopes = models.CharField(_("datos que puede pedir"), max_length=200, default="openid")
    is_active = models.BooleanField(_("activo"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("alta"), default=timezone.now)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        verbose_name = _("sistema conectado")
        verbose_name_plural = _("sistemas conectados")
        ordering = ["agency__name", "application__name"]

    def __str__(self) -> str:
        return self.application.name or self.application.client_id

    @property
    def scopes(self) -> list[str]:
        return self.allowed_scopes.split()


class Consent(models.Model):
    """A citizen let a system receive the data of ``scopes`` (space-separated, sorted). While it lasts, a sign-in
    asking for the same scopes or fewer does not ask again; asking for more shows the consent screen."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_consents")
    application = models.ForeignKey(
        "oauth2_provider.Application", on_delete=models.CASCADE, related_name="portal_consents"
    )
    scopes = models.CharField(_("datos autorizados"), max_length=200)
    granted_at = models.DateTimeField(_("autorizado"), default=timezone.now)
    last_used_at = models.DateTimeField(_("último uso"), default=timezone.now)

    class Meta:
        verbose_name = _("autorización de un sistema")
        verbose_name_plural = _("autorizaciones de sistemas")
        constraints = [models.UniqueConstraint(fields=["user", "application"], name="oidc_consent_user_client")]

    def __str__(self) -> str:
        return f"consentimiento {self.pk} de {self.user_id}"

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()


class ConsentEvent(models.Model):
    """The record of consents given and withdrawn (who, when, which system, which data), kept with the account."""

    class Kind(models.TextChoices):
        GRANTED = "granted", _("Autorizó")
        REVOKED = "revoked", _("Retiró la autorización")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_consent_events")
    # The system may be deleted later; its name and agency are copied so the record still reads.
    application = models.ForeignKey(
        "oauth2_provider.Application", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    client_name = models.CharField(max_length=255)
    agency_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    scopes = models.CharField(max_length=200)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["user", "-occurred_at"], name="oidc_consent_event_user_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.user_id} {self.occurred_at:%Y-%m-%d %H:%M}"


class PairwiseSubject(models.Model):
    """The ``sub`` an agency's systems receive for a citizen: random, fixed for that pair, different per agency.

    Not the account's id (which would let every agency correlate one person across agencies, and leak how many
    accounts exist) and not derived from a secret (rotating it would change every ``sub``). All the systems of one
    agency share it, so an agency can join what its own systems know; two agencies can only match people by data
    the citizen agreed to give both (the CURP scope).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_subjects")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="oidc_subject_user_agency")]

    def __str__(self) -> str:
        return self.subject


class RedeemedCode(models.Model):
    """An authorization code that was exchanged, and the tokens it gave, so that a second use revokes them.

    RFC 6749 §4.1.2 and §10.5: a code used twice is refused (DOT deletes it when it is exchanged), and the tokens
    already issued from it SHOULD be revoked, since one of the two users is not the system it was issued to. DOT keeps
    no link from a code to its tokens; this row is that link. The code itself is not kept, only its SHA-256.
    ``token_family`` is DOT's identifier shared by the refresh token issued with the code and every refresh token
    rotated from it (``RefreshToken.revoke_family``), so the revocation reaches the tokens refreshed since.
    """

    code_digest = models.CharField(max_length=64, db_index=True)
    application = models.ForeignKey("oauth2_provider.Application", on_delete=models.CASCADE, related_name="+")
    # The access token's id, not a foreign key: DOT's token models are swappable, and a deleted token is simply gone.
    access_token_pk = models.BigIntegerField(null=True, blank=True)
    token_family = models.UUIDField(null=True, blank=True)
    redeemed_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"código canjeado {self.pk}"
