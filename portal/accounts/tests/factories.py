"""Builders for accounts in tests and demos: what sign-up and verification would have left behind.

The sign-up flows themselves are tested through the real HTTP client; these give other tests (and the demo seed) an
account that is already verified, with the same rows those flows write.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.utils import generate_unique_username
from django.contrib.auth import get_user_model

from portal.accounts import actions

DEFAULT_PASSWORD = "una frase larga y difícil"  # noqa: S105 (for test and demo accounts only)


def make_account(
    *,
    email: str | None = None,
    phone: str | None = None,
    password: str = DEFAULT_PASSWORD,
    verified: bool = True,
    first_name: str = "",
    last_name: str = "",
    **user_fields,
):
    """An account with an e-mail, a Mexican number (E.164) or both, verified unless ``verified=False``."""
    if not email and not phone:
        raise ValueError("an account needs an e-mail or a phone number")
    username = generate_unique_username([first_name, email, "usuario"])
    user = get_user_model().objects.create_user(
        username=username,
        email=email or "",
        password=password,
        first_name=first_name,
        last_name=last_name,
        **user_fields,
    )
    actions.do_ensure_profile(user)
    if email and verified:
        actions.do_add_verified_email(user, email)
    elif email:
        EmailAddress.objects.create(user=user, email=email.lower(), verified=False, primary=True)
    if phone:
        actions.do_set_phone(user, phone, verified=verified)
    return user


def add_totp(user, secret: str | None = None) -> str:
    """Give ``user`` an authenticator app (and recovery codes, as activating one through the pages does)."""
    secret = secret or generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def recovery_codes(user) -> list[str]:
    instance = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return RecoveryCodes(instance).get_unused_codes()
