"""oauthlib's OpenID Connect server with PKCE limited to S256, and request objects refused.

oauthlib accepts ``plain`` (and defaults to it when ``code_challenge_method`` is missing); DOT's RFC 9700 gate
refuses ``plain`` only when the code is saved, after the citizen has consented. Taking ``plain`` out of the grants'
table makes the authorization request itself fail with ``invalid_request`` before any screen is shown.

oauthlib ignores the ``request`` and ``request_uri`` parameters (a signed or referenced request object), so a system
that sent them would be signed in with the plain parameters instead of the ones it meant. This provider supports
neither (discovery says so), and OpenID Connect Core 6.1 and 6.2 say how to refuse them: ``request_not_supported``
and ``request_uri_not_supported``, sent back to the system's redirect URI once that has been checked.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from oauthlib.oauth2.rfc6749.grant_types.authorization_code import code_challenge_method_s256
from oauthlib.openid import Server
from oauthlib.openid.connect.core.exceptions import RequestNotSupported, RequestURINotSupported

S256_ONLY = {"S256": code_challenge_method_s256}


def refuse_request_objects(request) -> dict:
    """A pre-authorization check: runs after the client and its redirect URI were validated, so errors go back."""
    names = {name for name, _value in [*request.uri_query_params, *(request.decoded_body or [])]}
    if "request" in names:
        raise RequestNotSupported(
            description=_("Este proveedor no acepta el parámetro request: envíe los parámetros en la dirección."),
            request=request,
        )
    if "request_uri" in names:
        raise RequestURINotSupported(
            description=_("Este proveedor no acepta el parámetro request_uri: envíe los parámetros en la dirección."),
            request=request,
        )
    return {}


class PortalOIDCServer(Server):
    def __init__(self, request_validator, *args, **kwargs) -> None:
        super().__init__(request_validator, *args, **kwargs)
        for grant in (self.auth_grant, self.openid_connect_auth, self.openid_connect_hybrid):
            target = getattr(grant, "proxy_target", grant)
            # types-oauthlib leaves out these attributes, which every grant sets in its __init__.
            target._code_challenge_methods = S256_ONLY  # type: ignore[union-attr]
            target.custom_validators.pre_auth.append(refuse_request_objects)  # type: ignore[union-attr]
