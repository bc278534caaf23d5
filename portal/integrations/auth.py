"""``Authorization: Bearer vt_<prefix>_<secret>``: the agency API's only way in.

Why API keys and not OAuth2 client credentials: an agency's system needs one long-lived credential that its
administrators create, see (by prefix), and revoke in the portal's admin; a key does that with one header and no token
endpoint. The OpenID Connect provider (``portal.accounts.oidc``, django-oauth-toolkit) can issue client-credentials
tokens later; this class is the one place that would also accept them.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from .actions.agency_api import authenticate_api_key
from .models import AgencyApiKey


class AgencyApiRequest(HttpRequest):
    """The request of an endpoint behind ``ApiKeyAuth``: ninja sets ``auth`` to the key ``authenticate`` returned.

    For annotations only, like ``portal.core.requests.AuthenticatedHttpRequest`` (ninja is what makes it true).
    """

    auth: AgencyApiKey


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> AgencyApiKey | None:
        return authenticate_api_key(token)
