"""allauth's hooks, filled in for Ventanilla: Mexican phone numbers, SMS through the notifications outbox, the
portal's idea of the client address, Spanish messages, and a sign-in throttle keyed by phone as well as e-mail."""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portal.core.ratelimit import client_ip

from . import actions, queries
from .phone import MexicanPhoneField, format_mexican_phone, normalise_mexican_phone

logger = logging.getLogger(__name__)

EMAIL_STAGE = "allauth.account.stages.EmailVerificationStage"


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("Esta cuenta está desactivada."),
        "email_password_mismatch": _("El correo electrónico o la contraseña no son correctos."),
        "phone_password_mismatch": _("El número de celular o la contraseña no son correctos."),
        "username_password_mismatch": _("Los datos de acceso no son correctos."),
        "invalid_login": _("Los datos de acceso no son correctos."),
        "email_taken": _("Ya hay una cuenta con este correo electrónico."),
        "phone_taken": _("Este número ya está registrado en otra cuenta."),
        "duplicate_email": _("Este correo ya está en su cuenta."),
        "enter_current_password": _("Escriba su contraseña actual."),
        "incorrect_code": _("El código no es correcto. Revise el último mensaje que le enviamos."),
        "incorrect_password": _("La contraseña no es correcta."),
        "invalid_or_expired_key": _("El enlace no es válido o ya venció."),
        "invalid_password_reset": _("El enlace para restablecer la contraseña no es válido o ya venció."),
        "max_email_addresses": _("No puede tener más de %d correos electrónicos."),
        "too_many_login_attempts": _(
            "Hubo demasiados intentos fallidos. Por seguridad, espere unos minutos antes de volver a intentarlo."
        ),
        "unknown_email": _("El correo electrónico no está registrado."),
        "unknown_phone": _("El número de celular no está registrado."),
        "unverified_primary_email": _("Primero verifique su correo electrónico principal."),
        "same_as_current": _("El nuevo dato debe ser distinto del actual."),
        "rate_limited": _("Hizo demasiadas solicitudes seguidas. Espere un momento y vuelva a intentarlo."),
        "cannot_remove_primary_email": _("No puede quitar su correo electrónico principal."),
    }

    # --- The client ----------------------------------------------------------------------------------------------

    def get_client_ip(self, request: HttpRequest) -> str:
        """The same client address as every other rate limit of the portal (``PORTAL_TRUSTED_PROXIES``)."""
        return client_ip(request) or super().get_client_ip(request)

    # --- Sign-up and sign-in -------------------------------------------------------------------------------------

    def get_login_stages(self) -> list[str]:
        stages = super().get_login_stages()
        return ["portal.accounts.stages.EmailVerificationStage" if stage == EMAIL_STAGE else stage for stage in stages]

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            actions.do_ensure_profile(user)
        return user

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth keys the per-account throttle by e-mail or username only; a phone sign-in would share one key.
        login = credentials.get("email") or credentials.get("phone") or credentials.get("username") or ""
        return f"{request.get_host()}:{str(login).lower()}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            actions.do_record_throttled_sign_in(request, credentials)
            raise

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Send, or log that the mail server refused: the person can ask for the code again; a 500 helps nobody."""
        try:
            super().send_mail(template_prefix, email, context)
        except (smtplib.SMTPException, OSError):
            logger.warning("account mail not sent template=%s", template_prefix, exc_info=True)

    # --- Phone numbers -------------------------------------------------------------------------------------------

    def phone_form_field(self, **kwargs: Any) -> MexicanPhoneField:
        kwargs.pop("label", None)
        return MexicanPhoneField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        return normalise_mexican_phone(phone)

    def set_phone(self, user, phone: str, verified: bool) -> None:
        actions.do_set_phone(user, phone, verified=verified)

    def get_phone(self, user) -> tuple[str, bool] | None:
        return queries.phone_of(user)

    def set_phone_verified(self, user, phone: str) -> None:
        try:
            actions.do_mark_phone_verified(user, phone)
        except ValidationError:
            # Another account confirmed the same number a moment earlier; this one stays unverified and its holder
            # gets «number taken» when they try again.
            logger.warning("phone verification lost a race account=%s", user.pk)

    def get_user_by_phone(self, phone: str):
        return queries.user_by_phone(phone)

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs: Any) -> None:
        actions.do_send_code_by_sms(phone, code)

    def send_unknown_account_sms(self, phone: str, **kwargs: Any) -> None:
        """Nothing is sent: the notifications app has no such message yet, and silence reveals nothing either."""

    def send_account_already_exists_sms(self, phone: str) -> None:
        """Nothing is sent (as above); the page the person sees is the same as for a new number."""


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "add_email_blocked": _(
            "No puede agregar un correo a una cuenta con verificación en dos pasos mientras no lo verifique."
        ),
        "cannot_delete_authenticator": _("No puede desactivar la verificación en dos pasos."),
        "cannot_generate_recovery_codes": _(
            "Primero active la verificación en dos pasos; después podrá generar códigos de recuperación."
        ),
        "incorrect_code": _("El código no es correcto. Use el que muestra ahora su aplicación."),
        "unverified_email": _("Antes de activar la verificación en dos pasos, verifique su correo electrónico."),
    }

    def get_totp_label(self, user) -> str:
        email = user.email
        if email:
            return email
        phone = queries.phone_of(user)
        return format_mexican_phone(phone[0]) if phone else str(user.pk)

    def _get_site_name(self) -> str:
        return settings.WAGTAIL_SITE_NAME

    def can_delete_authenticator(self, authenticator) -> bool:
        """Staff keep at least one second factor: removing the last one would lock them out of the admin anyway."""
        user = authenticator.user
        if not queries.is_staff_member(user) or not settings.ACCOUNTS_STAFF_REQUIRE_SECOND_FACTOR:
            return True
        others = Authenticator.objects.filter(user_id=user.pk, type__in=queries.SECOND_FACTOR_TYPES).exclude(
            pk=authenticator.pk
        )
        return authenticator.type == Authenticator.Type.RECOVERY_CODES or others.exists()
