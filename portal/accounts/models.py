"""Accounts: what the portal adds to Django's user (phone, CURP link), the sessions it can end, the sign-in record.

The user model stays Django's ``auth.User`` (other apps point at it); e-mail addresses and their verification are
allauth's ``EmailAddress``; second factors are allauth's ``Authenticator``. This app owns the rest.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .devices import Browser, Platform


class AssuranceLevel(models.TextChoices):
    """How sure the portal is of who holds an account (docs/accounts.md).

    - ``none``: nothing verified yet (an account half-way through sign-up).
    - ``basic`` («básica»): the holder proved control of an e-mail address or a mobile number.
    - ``verified`` («verificada»): besides that, a CURP confirmed either in person by an office clerk who checked an
      identity document, or online by matching the registry's data while the account has a second factor;
      procedures that hand out personal documents ask for this level (``queries.assurance_level``).
    """

    NONE = "none", _("Sin verificar")
    BASIC = "basic", _("Básica")
    VERIFIED = "verified", _("Verificada")


class CurpConfirmationMethod(models.TextChoices):
    """How a linked CURP was confirmed to belong to the account's holder (docs/accounts.md, «Vincular la CURP»)."""

    REGISTRY_MATCH = "registry_match", _("En línea, con los datos del registro")
    IN_PERSON = "in_person", _("En persona, en una oficina de atención")


class Profile(models.Model):
    """The portal's own data about an account: one row per user, created on first need.

    ``phone`` is E.164 (``+525512345678``) or empty. A number may sit unverified on several accounts (someone may
    type another person's number and never confirm it), but only one account can hold it verified: whoever proves
    control of it first gets it, and it is taken off the others (``actions.do_mark_phone_verified``).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="account_profile"
    )
    phone = models.CharField(_("número de celular"), max_length=16, blank=True, default="", db_index=True)
    phone_verified = models.BooleanField(_("celular verificado"), default=False)
    phone_changed_at = models.DateTimeField(_("celular registrado"), null=True, blank=True)
    curp = models.CharField(_("CURP vinculada"), max_length=18, blank=True, default="")
    curp_confirmed_at = models.DateTimeField(_("CURP confirmada"), null=True, blank=True)
    curp_confirmation_method = models.CharField(
        _("cómo se confirmó la CURP"), max_length=16, choices=CurpConfirmationMethod.choices, blank=True, default=""
    )
    # Who confirmed it at a counter, and where: set only for ``in_person``. Kept if the clerk's account or the office
    # goes (SET_NULL): the confirmation stays valid, the history (``CurpLinkEvent``) still says what happened.
    curp_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmada por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    curp_confirmed_office = models.ForeignKey(
        "agencies.Office",
        verbose_name=_("oficina donde se confirmó"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("cuenta cerrada"), null=True, blank=True)

    class Meta:
        verbose_name = _("perfil de cuenta")
        verbose_name_plural = _("perfiles de cuenta")
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=Q(phone_verified=True), name="accounts_profile_verified_phone_unique"
            ),
            models.CheckConstraint(
                condition=Q(phone_verified=False) | ~Q(phone=""), name="accounts_profile_verified_phone_not_empty"
            ),
            # A person has one CURP and one account that speaks for it: a confirmed CURP belongs to one account only.
            models.UniqueConstraint(
                fields=["curp"],
                condition=Q(curp_confirmed_at__isnull=False) & ~Q(curp=""),
                name="accounts_profile_confirmed_curp_unique",
            ),
            models.CheckConstraint(
                condition=Q(curp_confirmed_at__isnull=True) | ~Q(curp=""), name="accounts_profile_confirmed_curp_set"
            ),
        ]

    def __str__(self) -> str:
        return f"perfil {self.user_id}"

    @property
    def assurance_level(self) -> AssuranceLevel:
        """«básica» or «verificada» (``queries.assurance_level`` has the rule; it also reads e-mails and factors)."""
        # Not at the top: queries imports this module's models.
        from .queries import assurance_level

        return assurance_level(self.user)


class CurpLinkEvent(models.Model):
    """One step in the history of an account's CURP: linked, unlinked, or an attempt that was refused.

    The holder sees it on the CURP page and in the data download; it is the audit of who confirmed what, when and
    how. ``actor`` is whoever acted: the holder online, or the clerk at a counter (with the ``office``). ``curp`` is
    what was typed, kept for refused attempts too: repeated refusals on different CURPs are what probing looks like.
    Deleted with the rest of the account's data when it is closed.
    """

    class Kind(models.TextChoices):
        LINKED = "linked", _("CURP vinculada")
        UNLINKED = "unlinked", _("CURP desvinculada")
        REFUSED = "refused", _("Intento rechazado")

    class Reason(models.TextChoices):
        NONE = "", _("—")
        NOT_FOUND = "not_found", _("La CURP no está en el registro")
        MISMATCH = "mismatch", _("Los datos no coinciden con el registro")
        INACTIVE = "inactive", _("La CURP está dada de baja")
        TAKEN = "taken", _("La CURP está vinculada a otra cuenta")
        MOVED = "moved", _("Confirmada en persona para otra cuenta")
        BY_HOLDER = "by_holder", _("A petición de quien tiene la cuenta")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="curp_link_events")
    occurred_at = models.DateTimeField(_("fecha"), default=timezone.now)
    kind = models.CharField(_("evento"), max_length=12, choices=Kind.choices)
    reason = models.CharField(_("motivo"), max_length=12, choices=Reason.choices, blank=True, default="")
    method = models.CharField(
        _("método"), max_length=16, choices=CurpConfirmationMethod.choices, blank=True, default=""
    )
    curp = models.CharField(_("CURP"), max_length=18, blank=True, default="")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("quién"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    office = models.ForeignKey(
        "agencies.Office", verbose_name=_("oficina"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("evento de la CURP")
        verbose_name_plural = _("eventos de la CURP")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["user", "kind", "-occurred_at"], name="accounts_curpevent_user_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.user_id} {self.occurred_at:%Y-%m-%d %H:%M}"


class ActiveSession(models.Model):
    """A signed-in browser. A session whose row is gone is signed out on its next request.

    The row is found by a random identifier kept inside the session's data (``session_token``), stored here only as a
    digest: Django changes the session *key* when the password changes or on login, the data travels with it. This
    works the same with any session engine (database, cache, signed cookies), because ending a session means deleting
    this row, not reaching into the session store.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="active_sessions")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("inicio"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("última actividad"), default=timezone.now)
    network = models.CharField(_("red"), max_length=49, blank=True)
    browser = models.CharField(_("navegador"), max_length=16, choices=Browser.choices, default=Browser.OTHER)
    platform = models.CharField(_("sistema"), max_length=16, choices=Platform.choices, default=Platform.OTHER)

    class Meta:
        verbose_name = _("sesión activa")
        verbose_name_plural = _("sesiones activas")
        indexes = [models.Index(fields=["user", "-last_seen_at"], name="accounts_session_user_seen_idx")]

    def __str__(self) -> str:
        return f"sesión {self.pk} de {self.user_id}"


class SignInEvent(models.Model):
    """One sign-in or failed attempt, kept for the account's owner to review (``ACCOUNTS_SIGN_IN_RETENTION_DAYS``).

    Failures are recorded only when the e-mail or number typed belongs to an account; nothing is kept about
    attempts on addresses that have no account.
    """

    class Kind(models.TextChoices):
        SUCCESS = "success", _("Inicio de sesión")
        WRONG_PASSWORD = "wrong_password", _("Contraseña incorrecta")
        WRONG_SECOND_FACTOR = "wrong_second_factor", _("Código de verificación en dos pasos incorrecto")
        THROTTLED = "throttled", _("Intento bloqueado por demasiados fallos")
        SIGNED_OUT_EVERYWHERE = "signed_out_everywhere", _("Cierre de sesión en todos los dispositivos")

    class Method(models.TextChoices):
        PASSWORD = "password", _("Contraseña")
        PASSWORD_AND_SECOND_FACTOR = "password_mfa", _("Contraseña y verificación en dos pasos")
        CODE = "code", _("Código de un solo uso")
        PASSWORD_RESET = "password_reset", _("Restablecimiento de contraseña")
        OTHER = "other", _("Otro")
        NONE = "", _("—")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_in_events")
    occurred_at = models.DateTimeField(_("fecha"), default=timezone.now)
    kind = models.CharField(_("evento"), max_length=24, choices=Kind.choices)
    method = models.CharField(_("método"), max_length=16, choices=Method.choices, blank=True, default="")
    network = models.CharField(_("red"), max_length=49, blank=True)
    browser = models.CharField(_("navegador"), max_length=16, choices=Browser.choices, default=Browser.OTHER)
    platform = models.CharField(_("sistema"), max_length=16, choices=Platform.choices, default=Platform.OTHER)

    class Meta:
        verbose_name = _("evento de inicio de sesión")
        verbose_name_plural = _("eventos de inicio de sesión")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-occurred_at"], name="accounts_signin_user_when_idx"),
            models.Index(fields=["occurred_at"], name="accounts_signin_when_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.user_id} {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def is_failure(self) -> bool:
        return self.kind in (self.Kind.WRONG_PASSWORD, self.Kind.WRONG_SECOND_FACTOR, self.Kind.THROTTLED)
