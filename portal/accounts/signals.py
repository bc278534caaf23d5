"""Receivers: every way into an account goes through Django's ``login()``, and every failed password through
``authenticate()``, so listening there records sign-ins from any path (allauth, a test's ``force_login``, anything
added later). allauth's own signals add the second factor and password changes."""

from __future__ import annotations

from allauth.account.signals import password_changed, password_reset, password_set
from allauth.mfa.signals import authentication_failed, authenticator_added
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import actions


@receiver(user_logged_in, dispatch_uid="accounts_signed_in")
def on_signed_in(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    actions.do_start_session(request, user)
    actions.do_record_sign_in(request, user)


@receiver(user_logged_out, dispatch_uid="accounts_signed_out")
def on_signed_out(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        actions.do_forget_session(request)


@receiver(user_login_failed, dispatch_uid="accounts_sign_in_failed")
def on_sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    actions.do_record_failed_sign_in(request, credentials)


@receiver(authentication_failed, dispatch_uid="accounts_second_factor_failed")
def on_second_factor_failed(sender, request, user, **kwargs) -> None:
    actions.do_record_failed_second_factor(request, user)


@receiver(authenticator_added, dispatch_uid="accounts_second_factor_added")
def on_second_factor_added(sender, request, user, **kwargs) -> None:
    # Setting a factor up means typing a code it produced (or touching the key): this session has proved it.
    if request is not None and hasattr(request, "session"):
        actions.do_note_second_factor(request, user)


@receiver(password_changed, dispatch_uid="accounts_password_changed")
@receiver(password_set, dispatch_uid="accounts_password_set")
def on_password_changed(sender, request, user, **kwargs) -> None:
    # Django already refuses the other sessions (their auth hash no longer matches); drop them from the list too.
    if request is not None and hasattr(request, "session"):
        actions.do_end_other_sessions(request, user)


@receiver(password_reset, dispatch_uid="accounts_password_reset")
def on_password_reset(sender, request, user, **kwargs) -> None:
    # Whoever reset the password is not signed in yet: every session of the account was someone else's, or old.
    actions.do_end_all_sessions(user)
