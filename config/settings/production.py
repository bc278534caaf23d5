"""Production: refuses to start with an insecure secret or with DEBUG on."""

from django.core.exceptions import ImproperlyConfigured

from portal.accounts.oidc.keys import check_signing_key, key_from_environment

from .base import *  # noqa: F403
from .base import DEBUG, SECRET_KEY, env_bool

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")
if not SECRET_KEY or SECRET_KEY.startswith("insecure") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY must be set to a long random value in production.")
# The embedded portal's generated key is for development only: production signs ID tokens with a key it is given.
if not key_from_environment():
    raise ImproperlyConfigured("OIDC_RSA_PRIVATE_KEY (or OIDC_RSA_PRIVATE_KEY_FILE) must be set in production.")
try:
    check_signing_key(key_from_environment())
except ValueError as error:
    raise ImproperlyConfigured(f"OIDC_RSA_PRIVATE_KEY: {error}") from None

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Webhooks of agency systems: https to public addresses only (no http://, no private networks: no SSRF).
APPLICATIONS_WEBHOOK_ALLOW_LOCAL = False
