"""The scopes a system may ask for, what each releases, and DOT's scopes backend bounded by each client's list."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from oauth2_provider.scopes import BaseScopes


@dataclass(frozen=True)
class Scope:
    name: str
    label: Promise
    claims: tuple[str, ...]


# In the order the consent screen lists them. ``openid`` is always asked for and always granted.
SCOPES: dict[str, Scope] = {
    scope.name: scope
    for scope in (
        Scope("openid", _("Un identificador de su cuenta y su nivel de confianza"), ("sub", "acr")),
        Scope("profile", _("Su nombre"), ("given_name", "family_name")),
        Scope("email", _("Su correo electrónico"), ("email", "email_verified")),
        Scope("phone", _("Su número de celular"), ("phone_number", "phone_number_verified")),
        Scope("curp", _("Su CURP confirmada"), ("curp",)),
    )
}
CLAIM_SCOPE: dict[str, str] = {claim: scope.name for scope in SCOPES.values() for claim in scope.claims}
REQUIRED_SCOPE = "openid"


def normalise(scopes) -> str:
    """Scopes as stored: known ones only, each once, in the order of ``SCOPES``."""
    wanted = set(scopes.split() if isinstance(scopes, str) else scopes)
    return " ".join(name for name in SCOPES if name in wanted)


class ClientScopes(BaseScopes):
    """Every scope exists; a client may ask only for those its agency registered it for."""

    def get_all_scopes(self) -> dict[str, str]:
        return {name: str(scope.label) for name, scope in SCOPES.items()}

    def get_available_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:
        if application is None:
            return list(SCOPES)
        registration = getattr(application, "agency_client", None)
        if registration is None:
            return []
        return [name for name in registration.scopes if name in SCOPES]

    def get_default_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:
        return [REQUIRED_SCOPE]
