"""The citizen's side: the authorization (consent) screen, discovery at the site's root, withdrawing a consent.

The token, userinfo, JWKS and revocation endpoints are DOT's own views (``urls.py``); the rules they apply come
from ``validators.PortalOIDCValidator`` and ``server.PortalOIDCServer``.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.views import AuthorizationView, ConnectDiscoveryInfoView
from oauth2_provider.views.mixins import OAuthLibMixin
from oauthlib.common import add_params_to_uri
from oauthlib.oauth2.rfc6749 import errors as oauth_errors

from portal.core.middleware import PUBLIC_CSP

from . import actions, claims, queries
from .scopes import SCOPES

UNKNOWN_CLIENT_ERRORS = (oauth_errors.InvalidClientIdError, oauth_errors.MissingClientIdError)
# Marks an authorization request that the portal's sign-in sends back to (see ``ConsentView.handle_no_permission``).
AFTER_SIGN_IN = "tras_entrar"
REDIRECT_URI_ERRORS = (
    oauth_errors.MismatchingRedirectURIError,
    oauth_errors.InvalidRedirectURIError,
    oauth_errors.MissingRedirectURIError,
)


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


def error_page(request: HttpRequest, error: Exception | None = None, status: int = 400) -> HttpResponse:
    """A request the portal will not act on and must not send back (unknown system, unregistered address)."""
    if isinstance(error, UNKNOWN_CLIENT_ERRORS):
        reason = _(
            "El sistema que lo envió aquí no está registrado en Ventanilla o ya no está activo. No compartimos "
            "ningún dato."
        )
    elif isinstance(error, REDIRECT_URI_ERRORS):
        reason = _(
            "La dirección a la que el sistema pidió regresarle no es una de las que su institución registró. Por "
            "seguridad no le enviamos ahí y no compartimos ningún dato."
        )
    else:
        reason = _("La solicitud de inicio de sesión no es válida o está incompleta. No compartimos ningún dato.")
    return _private(render(request, "oidc/error.html", {"reason": reason}, status=status))


class ConsentView(AuthorizationView):
    """DOT's authorization endpoint with the portal's consent screen and remembered consents.

    - Requests the portal must not act on (unknown client, unregistered redirect URI) get a Spanish page, 400, and
      never a redirect; they are answered before asking anyone to sign in.
    - Other invalid requests (no PKCE, ``plain``, unknown scope) go back to the system with the error, per RFC 6749.
    - A consent already given for these scopes (or more) skips the screen; ``prompt=consent`` shows it anyway, and
      ``prompt=none`` without one answers ``consent_required``.
    """

    template_name = "oidc/consent.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated and request.method in ("GET", "HEAD"):
            try:
                self.validate_authorization_request(request)
            except OAuthToolkitError as error:
                self.oauth2_data: dict = {}
                return self.error_response(error, application=None)
        return _private(super().dispatch(request, *args, **kwargs))

    def error_response(self, error, application, **kwargs):
        redirect, response = OAuthLibMixin.error_response(self, error, **kwargs)
        if redirect and response["error"].redirect_uri:
            return self.redirect(response["url"], application)
        return error_page(self.request, response["error"])

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        prompt = set(request.GET.get("prompt", "").split())
        if prompt & {"login", "create"} or "resource" in request.GET:
            return super().get(request, *args, **kwargs)
        try:
            scopes, credentials = self.validate_authorization_request(request)
        except OAuthToolkitError as error:
            return self.error_response(error, application=None)
        registration = queries.registration_for_client_id(credentials["client_id"])
        if registration is None:
            return error_page(request, oauth_errors.InvalidClientIdError())
        application = registration.application
        if "consent" not in prompt and queries.consent_covers(request.user, application, scopes):
            try:
                uri, _headers, _body, _status = self.create_authorization_response(
                    request=request, scopes=" ".join(scopes), credentials=credentials, allow=True
                )
            except OAuthToolkitError as error:
                return self.error_response(error, application)
            actions.do_note_consent_used(request.user, application)
            if request.GET.get(AFTER_SIGN_IN) == "1":
                # The browser got here by a redirect from the sign-in form, and it applies that form's CSP
                # form-action ('self') to the rest of the chain: a redirect to the system would be blocked. A page
                # that moves on by itself (meta refresh, and a link) is a new navigation, not part of the chain.
                self.redirect(uri, application)  # the same scheme check as a redirect
                context = {"uri": uri, "application": application, "registration": registration}
                return render(request, "oidc/continue.html", context)
            return self.redirect(uri, application)
        if "none" in prompt:
            # OpenID Connect Core 3.1.2.6: no screen may be shown, and the citizen has not consented yet.
            parameters = [("error", "consent_required")]
            if credentials.get("state"):
                parameters.append(("state", credentials["state"]))
            return self.redirect(add_params_to_uri(credentials["redirect_uri"], parameters), application)
        return super().get(request, *args, **kwargs)

    def handle_no_permission(self):
        """Send the visitor to the portal's sign-in, and back here marked as coming from it (``AFTER_SIGN_IN``)."""
        prompt = set(self.request.GET.get("prompt", "").split())
        if prompt & {"none", "create"}:
            return super().handle_no_permission()
        query = self.request.GET.copy()
        if "login" in prompt:
            # Signing in now satisfies prompt=login; keeping it would ask again on the way back.
            remaining = " ".join(value for value in self.request.GET["prompt"].split() if value != "login")
            if remaining:
                query["prompt"] = remaining
            else:
                query.pop("prompt")
        query[AFTER_SIGN_IN] = "1"
        return redirect_to_login(f"{self.request.path}?{query.urlencode()}", self.get_login_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = kwargs.get("application")
        scopes = [name for name in SCOPES if name in set(kwargs.get("scopes") or [])]
        context["registration"] = getattr(application, "agency_client", None)
        context["shared"] = claims.consent_preview(self.request.user, scopes)
        context["redirect_host"] = urlsplit(kwargs.get("redirect_uri") or "").hostname or ""
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # The answer to «Permitir» / «No permitir» is a redirect to the system; a browser applies the page's
        # form-action to it, so the system's origin is allowed as a form target of this page only.
        target = urlsplit(self.oauth2_data.get("redirect_uri") or "")
        if target.scheme and target.netloc:
            response.headers["Content-Security-Policy"] = PUBLIC_CSP.replace(
                "form-action 'self'", f"form-action 'self' {target.scheme}://{target.netloc}"
            )
        return response

    def form_valid(self, form):
        if queries.registration_for_client_id(form.cleaned_data.get("client_id") or "") is None:
            return error_page(self.request, oauth_errors.InvalidClientIdError())
        return super().form_valid(form)

    def form_invalid(self, form):
        return error_page(self.request)

    def create_authorization_response(self, request, scopes, credentials, allow):
        result = super().create_authorization_response(request, scopes, credentials, allow)
        if allow and request.method == "POST":
            registration = queries.registration_for_client_id(credentials["client_id"])
            assert registration is not None  # The request was validated against this very registration.
            actions.do_record_consent(request.user, registration.application, (scopes or "").split())
        return result


class DiscoveryView(ConnectDiscoveryInfoView):
    """DOT's discovery document, completed with what this provider adds and restricts (docs/oidc.md)."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        data = json.loads(response.content)
        data.update(
            {
                "acr_values_supported": claims.ACR_VALUES_SUPPORTED,
                "claims_supported": sorted(
                    {"iss", "aud", "exp", "iat", "auth_time", "nonce", *data["claims_supported"]}
                ),
                "code_challenge_methods_supported": ["S256"],
                "grant_types_supported": ["authorization_code", "refresh_token"],
                "response_modes_supported": ["query"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "revocation_endpoint": self._get_endpoint_url(request, "revoke-token", required=True),
                "prompt_values_supported": ["none", "login", "consent"],
                "ui_locales_supported": ["es"],
                "claims_parameter_supported": False,
                "request_parameter_supported": False,
                # OpenID Connect Discovery 1.0 §3: true when absent, so it must be said.
                "request_uri_parameter_supported": False,
            }
        )
        data.pop("client_id_metadata_document_supported", None)
        result = JsonResponse(data)
        result["Access-Control-Allow-Origin"] = "*"
        patch_cache_control(result, public=True, max_age=3600)
        return result


@login_required
@require_POST
def revoke_consent(request: HttpRequest, consent_id: int) -> HttpResponse:
    consent = actions.do_revoke_consent(request.user, consent_id)
    messages.success(
        request,
        _("%(system)s ya no tiene acceso a sus datos. Si vuelve a usarlo, le pedirá su autorización de nuevo.")
        % {"system": consent.application.name},
    )
    return HttpResponseRedirect(reverse("accounts:home") + "#sistemas-conectados")
