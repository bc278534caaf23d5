"""Django test clients signed in as a member of staff, for the tests of admin features of every app."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.test import Client

from portal.accounts.actions import SECOND_FACTOR_SESSION_KEY
from portal.accounts.tests.factories import add_totp


def sign_in_staff(client: Client, user) -> None:
    """Like ``client.force_login(user)``, for staff: with a second factor, and this session marked as having used it.

    Tests of admin features use this so that they pass whether or not ``ACCOUNTS_STAFF_REQUIRE_SECOND_FACTOR`` is on;
    the sign-in with the factor itself is tested in ``portal/accounts/tests/test_second_factor.py``.
    """
    if not Authenticator.objects.filter(user=user, type__in=["totp", "webauthn"]).exists():
        add_totp(user)
    client.force_login(user)
    session = client.session
    session[SECOND_FACTOR_SESSION_KEY] = str(user.pk)
    session.save()


def client_for(user) -> Client:
    """A new client signed in as ``user`` through ``sign_in_staff`` (the admin asks staff for a second factor)."""
    client = Client()
    sign_in_staff(client, user)
    return client
