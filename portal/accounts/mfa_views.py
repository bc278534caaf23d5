"""allauth's pages for adding a second factor, ending where the person was going.

A member of staff without a second factor who opens the back office is sent to set one up
(``middleware.StaffSecondFactorMiddleware``), which remembers the address in the session. allauth ends the set-up on
the recovery codes page; with an address remembered, these views send the person on to it instead, and say where the
recovery codes are (they can be seen and downloaded at any time from the second-factor page).
"""

from __future__ import annotations

from allauth.mfa.totp import views as totp_views
from allauth.mfa.webauthn import views as webauthn_views
from django.contrib import messages
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

SESSION_KEY = "accounts_second_factor_next"


def remember_destination(request: HttpRequest) -> None:
    """Keep the address being opened (a GET on this site) to go back to once a second factor is set up."""
    if request.method in ("GET", "HEAD"):
        request.session[SESSION_KEY] = request.get_full_path()


def pop_destination(request: HttpRequest) -> str:
    destination = request.session.pop(SESSION_KEY, "")
    if destination and url_has_allowed_host_and_scheme(
        destination, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return destination
    return ""


class _OnToTheDestination:
    request: HttpRequest
    did_generate_recovery_codes: bool

    def get_success_url(self) -> str:
        destination = pop_destination(self.request)
        if not destination:
            return super().get_success_url()  # type: ignore[misc]
        if self.did_generate_recovery_codes:
            messages.info(
                self.request,
                _(
                    "Le dimos códigos de recuperación para entrar si pierde su teléfono o su llave. Véalos y "
                    "guárdelos en un lugar seguro desde «Seguridad y sesiones», en «Verificación en dos pasos»."
                ),
            )
        return destination


class ActivateTOTPView(_OnToTheDestination, totp_views.ActivateTOTPView):
    pass


class AddWebAuthnView(_OnToTheDestination, webauthn_views.AddWebAuthnView):
    pass


activate_totp = ActivateTOTPView.as_view()
add_webauthn = AddWebAuthnView.as_view()
