"""Reads of the accounts app: who holds a number, how sure we are of an account, its sessions and history, its data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from allauth.account.authentication import get_authentication_records
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from . import dashboard, personal_data
from .models import ActiveSession, AssuranceLevel, CurpConfirmationMethod, CurpLinkEvent, Profile, SignInEvent
from .phone import format_mexican_phone

SECOND_FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
SIGN_IN_HISTORY_LIMIT = 50


def profile_of(user) -> Profile | None:
    if user is None or not user.pk:
        return None
    return Profile.objects.filter(user_id=user.pk).first()


def phone_of(user) -> tuple[str, bool] | None:
    """The account's number and whether it is verified, as allauth's adapter wants it; None without a number."""
    profile = profile_of(user)
    if profile is None or not profile.phone:
        return None
    return profile.phone, profile.phone_verified


def user_by_phone(phone: str):
    """The account that holds ``phone`` verified, else one that registered it unverified within the code's lifetime.

    An unverified number is a claim that lapses when its code does (``ACCOUNTS_CODE_TIMEOUT``): someone who types
    another person's number cannot keep its owner from signing up with it or adding it to their own account.
    """
    if not phone:
        return None
    profiles = Profile.objects.filter(phone=phone, closed_at__isnull=True).select_related("user")
    verified = profiles.filter(phone_verified=True).first()
    if verified is not None:
        return verified.user
    fresh_since = timezone.now() - dt.timedelta(seconds=settings.ACCOUNTS_CODE_TIMEOUT)
    latest = profiles.filter(phone_changed_at__gte=fresh_since).order_by("-phone_changed_at", "-pk").first()
    return latest.user if latest is not None else None


def has_verified_contact(user) -> bool:
    """Whether the account has a verified e-mail address or mobile number (the «básica» level's first condition)."""
    if user is None or not user.pk:
        return False
    phone = phone_of(user)
    return bool(phone and phone[1]) or EmailAddress.objects.filter(user_id=user.pk, verified=True).exists()


def has_confirmed_curp(user) -> bool:
    profile = profile_of(user)
    return bool(profile and profile.curp and profile.curp_confirmed_at)


def has_second_factor(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTOR_TYPES).exists()


def assurance_level(user) -> AssuranceLevel:
    """«Básica» once an e-mail or a number is verified; «verificada» once the CURP is confirmed as well, either:

    - **in person**: a clerk at an attention centre checked an official identity document against the person in
      front of them and the registry agreed. That proves who the person is, by itself;
    - **online**, by the registry's data, *and only while the account has a second factor*. Knowing a CURP, names
      and a birth date proves little (they are on many papers and /curp/ shows them to anyone with the key); the
      second factor binds the account to a device its holder keeps, so that taking it over needs more than those
      data. Removing the last factor drops the account back to «básica».
    """
    profile = profile_of(user)
    phone_verified = bool(profile and profile.phone_verified)
    if not (phone_verified or EmailAddress.objects.filter(user_id=user.pk, verified=True).exists()):
        return AssuranceLevel.NONE
    if profile is None or profile.curp_confirmed_at is None or not profile.curp:
        return AssuranceLevel.BASIC
    if profile.curp_confirmation_method == CurpConfirmationMethod.IN_PERSON or has_second_factor(user):
        return AssuranceLevel.VERIFIED
    return AssuranceLevel.BASIC


def curp_link_history(user, limit: int | None = SIGN_IN_HISTORY_LIMIT) -> list[CurpLinkEvent]:
    events = (
        CurpLinkEvent.objects.filter(user_id=user.pk).select_related("office__agency").order_by("-occurred_at", "-pk")
    )
    return list(events if limit is None else events[:limit])


def counter_history(clerk, limit: int = 20) -> list[CurpLinkEvent]:
    """What a clerk did at counters lately (confirmed or refused), for their own review on the counter page."""
    return list(
        CurpLinkEvent.objects.filter(actor_id=clerk.pk, office__isnull=False)
        .exclude(kind=CurpLinkEvent.Kind.UNLINKED)
        .select_related("office__agency")
        .order_by("-occurred_at", "-pk")[:limit]
    )


def recent_curp_link_failures(user, since: dt.datetime) -> int:
    """Online attempts of the holder that the registry refused since ``since`` (a clerk's at a counter not counted)."""
    return CurpLinkEvent.objects.filter(
        user_id=user.pk, actor_id=user.pk, kind=CurpLinkEvent.Kind.REFUSED, occurred_at__gte=since
    ).count()


def account_by_verified_contact(kind: str, value: str):
    """The active account that holds this e-mail (any case) or number (E.164) *verified*; None otherwise.

    For a clerk at a counter, who types what the person in front of them says: an exact match only, never a
    partial one, and never an address or a number nobody proved they control.
    """
    if kind == "email":
        address = (
            EmailAddress.objects.filter(email__iexact=value, verified=True, user__is_active=True)
            .select_related("user")
            .first()
        )
        return address.user if address is not None else None
    if kind == "phone":
        profile = (
            Profile.objects.filter(phone=value, phone_verified=True, closed_at__isnull=True, user__is_active=True)
            .select_related("user")
            .first()
        )
        return profile.user if profile is not None else None
    raise ValueError(f"unknown contact kind {kind!r}")


def account_by_confirmed_curp(curp: str):
    """The active account whose CURP is confirmed as this one (one at most: a unique constraint); None otherwise."""
    if not curp:
        return None
    profile = (
        Profile.objects.filter(
            curp=curp.strip().upper(), curp_confirmed_at__isnull=False, closed_at__isnull=True, user__is_active=True
        )
        .select_related("user")
        .first()
    )
    return profile.user if profile is not None else None


def is_staff_member(user) -> bool:
    """Anyone who works in the back office: Django staff, superusers, Wagtail admin users and agency role holders.

    They must use a second factor (``middleware.StaffSecondFactorMiddleware``).
    """
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    # The related name comes from agencies.StaffRole; reading through it keeps this app free of agencies' models.
    roles = getattr(user, "staff_roles", None)
    if roles is not None and roles.exists():
        return True
    return user.has_perm("wagtailadmin.access_admin")


def session_used_second_factor(request: HttpRequest, user) -> bool:
    """Whether this session proved a second factor for ``user`` (at sign-in, on re-authentication, or by adding one)."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, user))


def sign_in_method(request: HttpRequest, user) -> str:
    """How the sign-in that is completing now was made, from allauth's record of this session's steps."""
    methods = {record.get("method") for record in get_authentication_records(request, user)}
    if "mfa" in methods:
        return SignInEvent.Method.PASSWORD_AND_SECOND_FACTOR
    if "password_reset" in methods:
        return SignInEvent.Method.PASSWORD_RESET
    if "code" in methods:
        return SignInEvent.Method.CODE
    if "password" in methods:
        return SignInEvent.Method.PASSWORD
    return SignInEvent.Method.OTHER


def active_sessions(user) -> QuerySet[ActiveSession]:
    return ActiveSession.objects.filter(user_id=user.pk).order_by("-last_seen_at", "-pk")


def sign_in_history(user, limit: int = SIGN_IN_HISTORY_LIMIT) -> list[SignInEvent]:
    return list(SignInEvent.objects.filter(user_id=user.pk).order_by("-occurred_at", "-pk")[:limit])


def recent_failures(user, since: dt.datetime) -> int:
    return SignInEvent.objects.filter(
        user_id=user.pk,
        occurred_at__gte=since,
        kind__in=[SignInEvent.Kind.WRONG_PASSWORD, SignInEvent.Kind.WRONG_SECOND_FACTOR, SignInEvent.Kind.THROTTLED],
    ).count()


@dataclass
class Contact:
    kind: str
    value: str
    verified: bool
    pending: bool = False


def contacts(user) -> list[Contact]:
    """The e-mail addresses and the number of an account, as the owner sees them (a change in progress flagged)."""
    rows: list[Contact] = []
    addresses = list(EmailAddress.objects.filter(user_id=user.pk).order_by("-primary", "email"))
    has_primary = any(address.primary for address in addresses)
    for address in addresses:
        pending = has_primary and not address.primary and not address.verified
        rows.append(Contact("email", address.email, address.verified, pending=pending))
    if not addresses and user.email:
        rows.append(Contact("email", user.email, False))
    phone = phone_of(user)
    if phone:
        rows.append(Contact("phone", format_mexican_phone(phone[0]), phone[1]))
    return rows


def dashboard_sections(user) -> list:
    """The sections other apps contribute to «Mi expediente» (``dashboard.register``), merged and in order."""
    return dashboard.sections_for(user)


# --- ARCO: access (the data download) ----------------------------------------------------------------------------


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _account_section(user) -> dict[str, Any]:
    profile = profile_of(user)
    return {
        "nombre": user.first_name,
        "apellidos": user.last_name,
        "fecha_de_alta": _iso(user.date_joined),
        "ultimo_inicio_de_sesion": _iso(user.last_login),
        "nivel_de_confianza": str(assurance_level(user).label),
        "correos": [
            {"correo": address.email, "verificado": address.verified, "principal": address.primary}
            for address in EmailAddress.objects.filter(user_id=user.pk).order_by("-primary", "email")
        ],
        "celular": (
            {
                "numero": profile.phone,
                "verificado": profile.phone_verified,
                "registrado": _iso(profile.phone_changed_at),
            }
            if profile is not None and profile.phone
            else None
        ),
        "curp": (
            {
                "curp": profile.curp,
                "confirmada": _iso(profile.curp_confirmed_at),
                "como_se_confirmo": str(profile.get_curp_confirmation_method_display()),
                "oficina": str(profile.curp_confirmed_office) if profile.curp_confirmed_office_id else None,
            }
            if profile is not None and profile.curp
            else None
        ),
        "historial_de_la_curp": [_curp_event_row(event) for event in curp_link_history(user, limit=None)],
        "verificacion_en_dos_pasos": [
            # The type and dates only: secrets, key material and recovery codes are not personal data to hand out,
            # they are credentials, and a downloaded file travels further than the account.
            {"tipo": str(authenticator.get_type_display()), "alta": _iso(authenticator.created_at)}
            for authenticator in Authenticator.objects.filter(user_id=user.pk).order_by("created_at")
        ],
    }


def _curp_event_row(event: CurpLinkEvent) -> dict[str, Any]:
    return {
        "fecha": _iso(event.occurred_at),
        "evento": str(event.get_kind_display()),
        "curp": event.curp,
        "motivo": str(event.get_reason_display()) if event.reason else None,
        "metodo": str(event.get_method_display()) if event.method else None,
        "oficina": str(event.office) if event.office_id else None,
        "en_persona": event.actor_id is not None and event.actor_id != event.user_id,
    }


def _session_row(session: ActiveSession) -> dict[str, Any]:
    return {
        "inicio": _iso(session.created_at),
        "ultima_actividad": _iso(session.last_seen_at),
        "red": session.network,
        "navegador": session.get_browser_display(),
        "sistema": session.get_platform_display(),
    }


def _event_row(event: SignInEvent) -> dict[str, Any]:
    return {
        "fecha": _iso(event.occurred_at),
        "evento": str(event.get_kind_display()),
        "metodo": str(event.get_method_display()) if event.method else None,
        "red": event.network,
        "navegador": event.get_browser_display(),
        "sistema": event.get_platform_display(),
    }


def export_personal_data(user) -> dict[str, Any]:
    """Everything the portal holds about ``user``, as JSON-ready values: this app's sections, then other apps'.

    Other apps add sections with ``personal_data.register_exporter``.
    """
    data: dict[str, Any] = {
        "generado": timezone.now().isoformat(),
        "cuenta": _account_section(user),
        "sesiones_activas": [_session_row(session) for session in active_sessions(user)],
        "historial_de_inicios_de_sesion": [
            _event_row(event) for event in SignInEvent.objects.filter(user_id=user.pk).order_by("-occurred_at", "-pk")
        ],
    }
    for name, exporter in personal_data.exporters().items():
        if name in data:
            raise ValueError(f"exporter {name!r} would overwrite a section of the accounts app")
        data[name] = exporter(user)
    return data
