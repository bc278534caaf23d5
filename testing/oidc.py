"""Builders for tests of the provider and of systems that use it: a registered client, a PKCE pair."""

from __future__ import annotations

import base64
import hashlib
import secrets

from django.contrib.auth import get_user_model

from portal.accounts.oidc import actions
from portal.accounts.oidc.models import AgencyClient
from portal.agencies.actions import do_grant_portal_admin
from portal.agencies.tests.factories import make_agency

REDIRECT_URI = "https://sistema.example.gob.mx/oidc/regreso"


def make_portal_admin(email: str = "admin.portal@example.gob.mx"):
    user = get_user_model().objects.create_user(username=email, email=email, password=secrets.token_urlsafe(16))
    do_grant_portal_admin(user)
    return user


def make_client(
    agency=None,
    *,
    name: str = "Sistema de citas",
    scopes: tuple[str, ...] = ("profile", "email", "phone", "curp"),
    client_type: str = actions.CONFIDENTIAL,
    redirect_uris: tuple[str, ...] = (REDIRECT_URI,),
    actor=None,
) -> tuple[AgencyClient, str]:
    """A system registered through ``actions.do_register_client`` (as the admin does); returns it and its secret."""
    agency = agency or make_agency(workspace=False)
    actor = actor or get_user_model().objects.filter(is_superuser=True).first()
    if actor is None:
        actor = get_user_model().objects.create_superuser(
            username=f"root-{secrets.token_hex(4)}", email="", password=secrets.token_urlsafe(16)
        )
    return actions.do_register_client(
        actor,
        agency,
        name=name,
        description="Agende y consulte sus citas.",
        redirect_uris=list(redirect_uris),
        client_type=client_type,
        scopes=list(scopes),
    )


def pkce_pair() -> tuple[str, str]:
    """A code verifier and its S256 challenge (RFC 7636 4.1 and 4.2), computed here rather than by a library."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
