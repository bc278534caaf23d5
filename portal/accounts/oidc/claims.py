"""What a system learns about a citizen: the claims of the scopes granted, and nothing else.

The same function builds the ID token, the userinfo answer and the consent screen's list, so what a citizen is shown
is exactly what is sent.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import AssuranceLevel
from portal.accounts.phone import format_mexican_phone
from portal.accounts.queries import assurance_level, profile_of

from .models import PairwiseSubject
from .scopes import SCOPES

# Authentication Context Class Reference values (docs/oidc.md): the portal's assurance levels as URNs.
ACR_BASIC = "urn:ventanilla:acr:basica"
ACR_VERIFIED = "urn:ventanilla:acr:verificada"
ACR_NONE = "urn:ventanilla:acr:sin-verificar"
ACR_VALUES = {AssuranceLevel.NONE: ACR_NONE, AssuranceLevel.BASIC: ACR_BASIC, AssuranceLevel.VERIFIED: ACR_VERIFIED}
ACR_VALUES_SUPPORTED = [ACR_BASIC, ACR_VERIFIED, ACR_NONE]


def acr_for(user) -> str:
    return ACR_VALUES[assurance_level(user)]


def subject_for(user, agency) -> str:
    """The pairwise ``sub`` of ``user`` for ``agency``'s systems, created on first use (``PairwiseSubject``)."""
    found = PairwiseSubject.objects.filter(user_id=user.pk, agency_id=agency.pk).values_list("subject", flat=True)
    subject = found.first()
    if subject is not None:
        return subject
    try:
        with transaction.atomic():
            return PairwiseSubject.objects.create(user=user, agency=agency, subject=secrets.token_hex(16)).subject
    except IntegrityError:
        # Two sign-ins of the same person at once: the other request created it.
        return PairwiseSubject.objects.get(user_id=user.pk, agency_id=agency.pk).subject


def _email(user) -> tuple[str, bool] | None:
    address = EmailAddress.objects.filter(user_id=user.pk).order_by("-primary", "-verified", "email").first()
    if address is not None:
        return address.email, address.verified
    return None


def claims_for(user, agency, scopes) -> dict[str, Any]:
    """The claims released to ``agency``'s system for the granted ``scopes``. Empty values are left out (OIDC:
    a claim without a value is omitted, not sent empty); the CURP only once confirmed."""
    granted = set(scopes)
    claims: dict[str, Any] = {}
    if "openid" in granted:
        claims["sub"] = subject_for(user, agency)
        claims["acr"] = acr_for(user)
    if "profile" in granted:
        if user.first_name:
            claims["given_name"] = user.first_name
        if user.last_name:
            claims["family_name"] = user.last_name
    if "email" in granted:
        email = _email(user)
        if email is not None:
            claims["email"], claims["email_verified"] = email
    profile = profile_of(user) if granted & {"phone", "curp"} else None
    if "phone" in granted and profile is not None and profile.phone:
        claims["phone_number"] = profile.phone
        claims["phone_number_verified"] = profile.phone_verified
    if "curp" in granted and profile is not None and profile.curp and profile.curp_confirmed_at is not None:
        claims["curp"] = profile.curp
    return claims


@dataclass
class SharedItem:
    """One line of the consent screen: what kind of data, and the value that would be sent (or why none)."""

    scope: str
    label: Promise
    value: str
    sent: bool = True


def consent_preview(user, scopes) -> list[SharedItem]:
    """The consent screen's list, from the same data ``claims_for`` reads, one line per scope asked for."""
    granted = set(scopes)
    items: list[SharedItem] = []
    profile = profile_of(user)
    level = assurance_level(user)
    for name, scope in SCOPES.items():
        if name not in granted:
            continue
        if name == "openid":
            value = _("un número que solo esta institución conoce; nivel de confianza: %(level)s") % {
                "level": level.label
            }
            items.append(SharedItem(name, scope.label, value))
        elif name == "profile":
            full = f"{user.first_name} {user.last_name}".strip()
            items.append(SharedItem(name, scope.label, full or str(_("no ha registrado su nombre")), bool(full)))
        elif name == "email":
            email = _email(user)
            if email is None:
                items.append(SharedItem(name, scope.label, str(_("no tiene correo registrado")), False))
            else:
                status = _("verificado") if email[1] else _("sin verificar")
                items.append(SharedItem(name, scope.label, f"{email[0]} ({status})"))
        elif name == "phone":
            if profile is None or not profile.phone:
                items.append(SharedItem(name, scope.label, str(_("no tiene celular registrado")), False))
            else:
                status = _("verificado") if profile.phone_verified else _("sin verificar")
                items.append(SharedItem(name, scope.label, f"{format_mexican_phone(profile.phone)} ({status})"))
        elif name == "curp":
            if profile is not None and profile.curp and profile.curp_confirmed_at is not None:
                items.append(SharedItem(name, scope.label, profile.curp))
            else:
                items.append(
                    SharedItem(name, scope.label, str(_("no tiene una CURP confirmada; no se compartirá")), False)
                )
    return items
