"""oauthlib's OpenID Connect server with PKCE limited to S256.

oauthlib accepts ``plain`` (and defaults to it when ``code_challenge_method`` is missing); DOT's RFC 9700 gate
refuses ``plain`` only when the code is saved, after the citizen has consented. Taking ``plain`` out of the grants'
table makes the authorization request itself fail with ``invalid_request`` before any screen is shown.
"""

from __future__ import annotations

from oauthlib.oauth2.rfc6749.grant_types.authorization_code import code_challenge_method_s256
from oauthlib.openid import Server

S256_ONLY = {"S256": code_challenge_method_s256}


class PortalOIDCServer(Server):
    def __init__(self, request_validator, *args, **kwargs) -> None:
        super().__init__(request_validator, *args, **kwargs)
        for grant in (self.auth_grant, self.openid_connect_auth, self.openid_connect_hybrid):
            target = getattr(grant, "proxy_target", grant)
            target._code_challenge_methods = S256_ONLY
