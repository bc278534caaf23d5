"""DOT's request validator, told about agency clients: inactive ones are unknown, and claims come from ``claims``."""

from __future__ import annotations

from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.oauth2.rfc6749 import errors as oauth_errors

from . import actions, claims
from .scopes import CLAIM_SCOPE


class PortalOIDCValidator(OAuth2Validator):
    # Each claim is released only with its scope; a claim missing here would never be released.
    oidc_claim_scope = dict(CLAIM_SCOPE)

    def _load_application(self, client_id, request):
        """A client without an agency registration, or switched off, or of an agency no longer in force: unknown."""
        application = super()._load_application(client_id, request)
        if application is None:
            return None
        registration = getattr(application, "agency_client", None)
        if registration is None or not registration.is_active or not registration.agency.is_active:
            request.client = None
            return None
        return application

    def get_additional_claims(self, request):
        registration = request.client.agency_client
        return claims.claims_for(request.user, registration.agency, request.scopes)

    def get_discovery_claims(self, request):
        return list(CLAIM_SCOPE)

    def validate_bearer_token(self, token, scopes, request):
        """Tokens of a client that was switched off stop working at once, not when they expire."""
        if not super().validate_bearer_token(token, scopes, request):
            return False
        registration = getattr(request.client, "agency_client", None) if request.client is not None else None
        return registration is not None and registration.is_active and registration.agency.is_active

    # A code is exchanged once. DOT deletes it when it is, so a second use fails ``validate_code`` (invalid_grant); the
    # tokens the first use gave are revoked too (RFC 6749 §4.1.2): ``actions`` keeps the link DOT does not.
    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        if super().validate_code(client_id, code, client, request, *args, **kwargs):
            return True
        actions.do_revoke_tokens_of_reused_code(code, client)
        return False

    def save_bearer_token(self, token, request, *args, **kwargs):
        super().save_bearer_token(token, request, *args, **kwargs)
        if request.grant_type == "authorization_code" and token.get("access_token"):
            actions.do_record_redeemed_code(request.code, request.client, token["access_token"])

    def invalidate_authorization_code(self, client_id, code, request, *args, **kwargs):
        """Two exchanges of one code at the same moment both get past ``validate_code``; the one that finds the code
        already deleted is refused here, after its tokens were saved: both exchanges' tokens are revoked."""
        try:
            super().invalidate_authorization_code(client_id, code, request, *args, **kwargs)
        except oauth_errors.InvalidGrantError:
            actions.do_revoke_tokens_of_reused_code(code, request.client)
            raise

    # ``prompt=none``: oauthlib asks the validator, DOT leaves both unimplemented (a 500). The answer needs the signed-in
    # person, which oauthlib's request does not carry: ``views.ConsentView`` sends anonymous visitors back with
    # ``login_required`` (DOT) and citizens without a consent with ``consent_required`` before any screen is shown.
    def validate_silent_login(self, request) -> bool:
        return True

    def validate_silent_authorization(self, request) -> bool:
        return True
