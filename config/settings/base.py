"""Settings shared by every environment.

Everything an operator may change comes from the environment; the defaults give the embedded development portal
(SQLite under ``var/``, local-memory cache) so that ``make run`` needs nothing else.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from portal.accounts.oidc import keys as _oidc_keys

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VENTANILLA_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean from the environment; anything but an explicit yes is no."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "si", "sí"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-development-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Ventanilla
    "portal.core",
    "portal.geo",
    "portal.agencies",
    "portal.services",
    "portal.search",
    "portal.api",
    "portal.notifications",
    "portal.registry",
    "portal.documents",
    "portal.accounts",
    "portal.accounts.oidc",
    "portal.online_forms",
    "portal.applications",
    "portal.integrations",
    "portal.participation",
    "portal.reports",
    "portal.appointments",
    "portal.payments",
    "portal.insights",
    "portal.helpdesk",
    "portal.sites",
    "portal.sites.legacy",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # Accounts: sign-up, sign-in, e-mail and phone verification, second factors (docs/accounts.md)
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # OpenID Connect provider for agency systems (docs/oidc.md)
    "oauth2_provider",
    # Background work and operations
    "django_tasks",
    "django_tasks_db",
    "django_prometheus",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "portal.core.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    # Page analytics without tracking (docs/insights.md): inside ConditionalGet, so a page revalidated with a 304 still
    # counts; outside every view, so pages served from the page cache count too. Off the request path: it only buffers.
    "portal.insights.middleware.PageVisitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Requests to an entity's old host name (www.imss.gob.mx) are answered from its map of old addresses, before
    # CommonMiddleware checks ALLOWED_HOSTS: the legacy sites' host names are the allowed ones for them.
    "portal.sites.legacy.middleware.LegacySiteMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads a body (CSRF reads request.POST): an oversized one gets 413 unread (portal/core/body_limits.py).
    "portal.core.body_limits.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A page of an entity's site refused publication inside an admin view: a message, not an error page.
    "portal.sites.publication_messages.PublicationRefusedMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.accounts.middleware.SessionRevocationMiddleware",
    "portal.accounts.middleware.StaffSecondFactorMiddleware",
    "portal.accounts.middleware.FormErrorStatusMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # An entity's site on its own host name (colima.gob.mx): the portal's other addresses go to the portal's host.
    "portal.sites.hosts.EntityHostMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Old addresses of renamed and merged entities' sites: 301 to where their pages are now (agencies/middleware.py).
    "portal.agencies.middleware.FormerAddressMiddleware",
    # After the redirects: a gone page's 404 becomes its 410 (portal/sites/retired_views.py).
    "portal.sites.retired_views.GonePageMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.core.context_processors.portal",
            ],
        },
    },
]

# --- Database: one DATABASE_URL; the embedded default is SQLite under var/ ---------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ventanilla.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the task worker writes; IMMEDIATE avoids "database is locked" upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis shared by every process when REDIS_URL is set; otherwise a table in the database -------------
# Counters must be shared by every process (the portal's rate limits and allauth's sign-in throttles live in the
# default cache), so without Redis the default cache is a database table (portal/core/cache_backends.py, created by
# `manage.py createcachetable` in `make migrate`). The rendered public pages ("pages") may stay in each process's
# memory: a cached page then costs no query, and a stale copy lives no longer than a CDN keeps it anyway.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    _redis_cache: dict[str, Any] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "ventanilla"),
        "TIMEOUT": 600,
    }
    CACHES: dict[str, dict[str, Any]] = {"default": _redis_cache, "pages": dict(_redis_cache)}
else:
    CACHES = {
        "default": {
            "BACKEND": "portal.core.cache_backends.SharedDatabaseCache",
            "LOCATION": "portal_cache",
            "TIMEOUT": 600,
            # Culling (a third of the rows, by key) starts past this many; counters must not be culled in normal use.
            "OPTIONS": {"MAX_ENTRIES": 50000},
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ventanilla-pages",
            "TIMEOUT": 600,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }

# --- Background work: tasks are rows written in the caller's transaction (an outbox) -------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "search", "notifications", "webhooks", "participation"],
    }
}

# --- Notifications: e-mail over SMTP, SMS through a gateway (docs/notifications.md) ---------------------------------
# Without EMAIL_HOST (the embedded default) messages are written as files under var/mail/ instead of being sent.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Ventanilla <no-responder@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", VAR_DIR / "mail"))
# Without SMS_GATEWAY_URL, SMS are written as files under var/sms/.
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_USER = os.environ.get("SMS_GATEWAY_USER", "")
SMS_GATEWAY_PASSWORD = os.environ.get("SMS_GATEWAY_PASSWORD", "")
SMS_GATEWAY_TIMEOUT = int(os.environ.get("SMS_GATEWAY_TIMEOUT", "15"))
SMS_SENDER = os.environ.get("SMS_SENDER", "")
SMS_BACKEND = os.environ.get(
    "SMS_BACKEND",
    "portal.notifications.sms_backends.KannelBackend"
    if SMS_GATEWAY_URL
    else "portal.notifications.sms_backends.FileBackend",
)
SMS_FILE_PATH = Path(os.environ.get("SMS_FILE_PATH", VAR_DIR / "sms"))
SMS_DLR_BASE_URL = os.environ.get("SMS_DLR_BASE_URL", PORTAL_BASE_URL).rstrip("/")
SMS_DLR_SECRET = os.environ.get("SMS_DLR_SECRET", "")
# Inbound SMS (docs/sms.md): Kannel's sms-service calls /notificaciones/sms/entrante/ with this shared secret. Empty:
# the endpoint refuses everything. Commands per number and hour, and days before a received message's number is blanked.
SMS_INBOUND_TOKEN = os.environ.get("SMS_INBOUND_TOKEN", "")
SMS_INBOUND_RATE_LIMIT = int(os.environ.get("SMS_INBOUND_RATE_LIMIT", "10"))
SMS_INBOUND_RATE_WINDOW = int(os.environ.get("SMS_INBOUND_RATE_WINDOW", "3600"))
SMS_INBOUND_RETENTION_DAYS = int(os.environ.get("SMS_INBOUND_RETENTION_DAYS", "30"))
NOTIFICATIONS_RETRY_DELAYS = [int(s) for s in env_list("NOTIFICATIONS_RETRY_DELAYS", "30,120,600,3600,10800,21600")]
NOTIFICATIONS_SENDING_TIMEOUT = int(os.environ.get("NOTIFICATIONS_SENDING_TIMEOUT", "300"))
NOTIFICATIONS_REQUEUE_GRACE = int(os.environ.get("NOTIFICATIONS_REQUEUE_GRACE", "120"))
NOTIFICATIONS_RETENTION_DAYS = int(os.environ.get("NOTIFICATIONS_RETENTION_DAYS", "90"))

# --- Agency systems: webhooks for online applications (docs/applications.md, "Agency systems") ---------------------
# Seconds to wait after each failed delivery (±20 % jitter); after the last one the delivery is marked failed.
APPLICATIONS_WEBHOOK_RETRY_DELAYS = [
    int(s) for s in env_list("APPLICATIONS_WEBHOOK_RETRY_DELAYS", "60,300,1800,7200,43200")
]
APPLICATIONS_WEBHOOK_TIMEOUT = int(os.environ.get("APPLICATIONS_WEBHOOK_TIMEOUT", "5"))
# http:// and addresses of private networks (127.0.0.1, 10.0.0.0/8...) as webhook targets: development and tests only;
# production.py turns it off (https to public addresses only).
APPLICATIONS_WEBHOOK_ALLOW_LOCAL = env_bool("APPLICATIONS_WEBHOOK_ALLOW_LOCAL", True)

# --- Rate limits, counted per client in the shared cache (docs/registry.md) -----------------------------------------
# Proxies (addresses or networks) whose X-Forwarded-For is believed; without any, the client is REMOTE_ADDR.
PORTAL_TRUSTED_PROXIES = env_list("PORTAL_TRUSTED_PROXIES")
REGISTRY_LOOKUP_RATE_LIMIT = int(os.environ.get("REGISTRY_LOOKUP_RATE_LIMIT", "20"))
REGISTRY_LOOKUP_RATE_WINDOW = int(os.environ.get("REGISTRY_LOOKUP_RATE_WINDOW", "600"))
DOCUMENTS_VERIFY_RATE_LIMIT = int(os.environ.get("DOCUMENTS_VERIFY_RATE_LIMIT", "60"))
DOCUMENTS_VERIFY_RATE_WINDOW = int(os.environ.get("DOCUMENTS_VERIFY_RATE_WINDOW", "600"))
# The public lookup of a línea de captura (/pagos/consultar/, docs/payments-citizen.md): typed lookups per client.
PAYMENTS_LOOKUP_RATE_LIMIT = int(os.environ.get("PAYMENTS_LOOKUP_RATE_LIMIT", "30"))
PAYMENTS_LOOKUP_RATE_WINDOW = int(os.environ.get("PAYMENTS_LOOKUP_RATE_WINDOW", "600"))
# The help desk (docs/helpdesk.md): questions a connection may send, status lookups, and how long closed tickets keep
# the person's data.
HELPDESK_RATE_LIMIT = int(os.environ.get("HELPDESK_RATE_LIMIT", "5"))
HELPDESK_RATE_WINDOW = int(os.environ.get("HELPDESK_RATE_WINDOW", "3600"))
HELPDESK_LOOKUP_RATE_LIMIT = int(os.environ.get("HELPDESK_LOOKUP_RATE_LIMIT", "10"))
HELPDESK_LOOKUP_RATE_WINDOW = int(os.environ.get("HELPDESK_LOOKUP_RATE_WINDOW", "600"))
HELPDESK_AUTO_CLOSE_DAYS = int(os.environ.get("HELPDESK_AUTO_CLOSE_DAYS", "14"))
HELPDESK_RETENTION_DAYS = int(os.environ.get("HELPDESK_RETENTION_DAYS", "365"))

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "portal.accounts.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "portal.accounts.passwords.ContextWordsValidator"},
]

# --- Accounts: allauth with e-mail or mobile number, one-time codes, second factors (docs/accounts.md) -------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:home"
ACCOUNT_ADAPTER = "portal.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "portal.accounts.forms.LoginForm",
    "signup": "portal.accounts.forms.SignupForm",
    "reset_password": "portal.accounts.forms.ResetPasswordForm",
}
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
# The sign-up form makes the e-mail optional when a number is given (one of the two is required).
ACCOUNT_SIGNUP_FIELDS = ["email*", "phone", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_MAX_EMAIL_ADDRESSES = 2
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
# One lifetime for every one-time code (e-mail, SMS, password reset), in seconds; the SMS says it in minutes.
ACCOUNTS_CODE_TIMEOUT = int(os.environ.get("ACCOUNTS_CODE_TIMEOUT", "600"))
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_TIMEOUT = ACCOUNTS_CODE_TIMEOUT
ACCOUNT_PHONE_VERIFICATION_TIMEOUT = ACCOUNTS_CODE_TIMEOUT
ACCOUNT_PASSWORD_RESET_BY_CODE_TIMEOUT = ACCOUNTS_CODE_TIMEOUT
ALLAUTH_USER_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Ventanilla: "
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
# Failed sign-ins: per client address and per account (e-mail or number), counted in the shared cache.
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("ACCOUNTS_LOGIN_FAILED_RATE", "30/10m/ip,5/5m/key"),
    "verify_phone": "1/30s/key,3/m/ip,30/h/ip",
}
MFA_ADAPTER = "portal.accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Ventanilla"
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
# Everyone who works in the back office signs in with a second factor before reaching /admin/.
ACCOUNTS_STAFF_REQUIRE_SECOND_FACTOR = env_bool("ACCOUNTS_STAFF_REQUIRE_SECOND_FACTOR", True)
ACCOUNTS_SIGN_IN_RETENTION_DAYS = int(os.environ.get("ACCOUNTS_SIGN_IN_RETENTION_DAYS", "180"))
ACCOUNTS_ABANDONED_SIGNUP_DAYS = int(os.environ.get("ACCOUNTS_ABANDONED_SIGNUP_DAYS", "7"))

# --- OpenID Connect provider for agency systems (docs/oidc.md) -----------------------------------------------------
# ID tokens are signed (RS256) with OIDC_RSA_PRIVATE_KEY (the PEM) or OIDC_RSA_PRIVATE_KEY_FILE; production refuses to
# start without one. The embedded portal generates a key once under VENTANILLA_VAR_DIR, never in the repository.
OIDC_RSA_PRIVATE_KEY = _oidc_keys.key_from_environment() or _oidc_keys.development_signing_key(VAR_DIR)
# DOT's client model is swappable; named here so migrations that point at it resolve (the default model is kept).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": OIDC_RSA_PRIVATE_KEY,
    "OIDC_RSA_PRIVATE_KEYS_INACTIVE": _oidc_keys.inactive_keys_from_environment(),
    # Empty: the issuer is the address the request came to (the site's root); set it when several hosts serve the portal.
    "OIDC_ISS_ENDPOINT": os.environ.get("OIDC_ISSUER", "").rstrip("/"),
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OIDC_SUBJECT_TYPES_SUPPORTED": ["pairwise"],
    "OAUTH2_SERVER_CLASS": "portal.accounts.oidc.server.PortalOIDCServer",
    "OAUTH2_VALIDATOR_CLASS": "portal.accounts.oidc.validators.PortalOIDCValidator",
    "SCOPES_BACKEND_CLASS": "portal.accounts.oidc.scopes.ClientScopes",
    "SCOPES": {"openid": "openid", "profile": "profile", "email": "email", "phone": "phone", "curp": "curp"},
    "DEFAULT_SCOPES": ["openid"],
    # Authorization code with PKCE, S256 only, for every client (confidential ones too).
    "PKCE_REQUIRED": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "REQUEST_APPROVAL_PROMPT": "force",  # remembered consent is the portal's own (oidc.models.Consent)
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ACCESS_TOKEN_EXPIRE_SECONDS": int(os.environ.get("OIDC_ACCESS_TOKEN_SECONDS", "900")),
    "ID_TOKEN_EXPIRE_SECONDS": int(os.environ.get("OIDC_ID_TOKEN_SECONDS", "900")),
    "REFRESH_TOKEN_EXPIRE_SECONDS": int(os.environ.get("OIDC_REFRESH_TOKEN_SECONDS", "28800")),
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "OIDC_JWKS_MAX_AGE_SECONDS": 3600,
}

# --- Language and time ----------------------------------------------------------------------------------------------
LANGUAGE_CODE = "es"
# Dates are written with the formats of each language (config/formats/): templates use DATE_FORMAT, DATETIME_FORMAT.
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGES = [("es", _("Español")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("es", "Español"), ("en", "English")]

# --- Static and uploaded files ---------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "portal" / "static_build"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Public uploads (the entities' images and documents) are served by the web server in front in production; Django serves them
# only in development (DEBUG) and for the browser tests' live server.
SERVE_MEDIA = False
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600
FILE_UPLOAD_PERMISSIONS = 0o640
# Files sent with applications: never under STATIC_ROOT or MEDIA_ROOT, served only after an access check
# (portal/applications/uploads.py). PRIVATE_STORAGE_BACKEND + PRIVATE_STORAGE_OPTIONS (JSON) swap in another backend,
# e.g. django-storages' S3 with a private bucket (docs/applications.md).
PRIVATE_STORAGE_ROOT = Path(os.environ.get("PRIVATE_STORAGE_ROOT", VAR_DIR / "private"))
STORAGES["private"] = {
    "BACKEND": os.environ.get("PRIVATE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
    "OPTIONS": json.loads(os.environ["PRIVATE_STORAGE_OPTIONS"])
    if os.environ.get("PRIVATE_STORAGE_OPTIONS")
    else {"location": PRIVATE_STORAGE_ROOT, "base_url": None},
}
# Limits per file and per application; Django writes any upload over FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB, the
# default) to a temporary file, so a 10 MB file is never held whole in memory by the upload handlers.
APPLICATIONS_MAX_FILE_BYTES = int(os.environ.get("APPLICATIONS_MAX_FILE_BYTES", 10 * 1024 * 1024))
APPLICATIONS_MAX_TOTAL_BYTES = int(os.environ.get("APPLICATIONS_MAX_TOTAL_BYTES", 30 * 1024 * 1024))
APPLICATIONS_MAX_IMAGE_PIXELS = int(os.environ.get("APPLICATIONS_MAX_IMAGE_PIXELS", 40_000_000))

# Confidential reports of corruption (portal.reports, docs/reports.md). Argon2id cost of a receipt check and of
# unlocking an investigator's key (libsodium's opslimit and memlimit in bytes; `make bench` measures one check).
REPORTS_ARGON2 = {
    "opslimit": int(os.environ.get("REPORTS_ARGON2_OPSLIMIT", 3)),
    "memlimit": int(os.environ.get("REPORTS_ARGON2_MEMLIMIT", 256 * 1024 * 1024)),
}
# Who receives a report no entity's own internal control body can (a conflict of interest without an alternative
# body, a body with no investigator): an entity's acronym.
REPORTS_FALLBACK_AGENCY = os.environ.get("REPORTS_FALLBACK_AGENCY", "SABG")
# Days a closed report is kept before it and its files are deleted, unless the body sets its own.
REPORTS_RETENTION_DAYS = int(os.environ.get("REPORTS_RETENTION_DAYS", 90))
# Paths whose log records lose their request and path (portal/core/logfilters.py): a reporter leaves no trace.
PORTAL_PRIVATE_PATHS = ("/participa/denuncia/", "/en/participa/denuncia/")
# Floods of reports (portal/reports/flood.py): the proof of work's size, the time lock without JavaScript, and the
# portal-wide limits per minute (the same for everyone: no reporter is told apart).
REPORTS_POW_MAX_NUMBER = int(os.environ.get("REPORTS_POW_MAX_NUMBER", 50_000))
REPORTS_NO_JS_MIN_SECONDS = int(os.environ.get("REPORTS_NO_JS_MIN_SECONDS", 20))
REPORTS_POW_PER_MINUTE = int(os.environ.get("REPORTS_POW_PER_MINUTE", 120))
REPORTS_NO_JS_PER_MINUTE = int(os.environ.get("REPORTS_NO_JS_PER_MINUTE", 20))
# Appointments at attention centres (portal.appointments, docs/appointments.md): the rules against bots and the resale
# of appointments, the waiting list's hold on an offered place, and how long a past appointment keeps who it was for.
APPOINTMENTS_MAX_ACTIVE_PER_CURP = int(os.environ.get("APPOINTMENTS_MAX_ACTIVE_PER_CURP", 3))
APPOINTMENTS_NO_SHOW_LIMIT = int(os.environ.get("APPOINTMENTS_NO_SHOW_LIMIT", 2))
APPOINTMENTS_NO_SHOW_WINDOW_DAYS = int(os.environ.get("APPOINTMENTS_NO_SHOW_WINDOW_DAYS", 90))
APPOINTMENTS_NO_SHOW_COOLDOWN_DAYS = int(os.environ.get("APPOINTMENTS_NO_SHOW_COOLDOWN_DAYS", 30))
APPOINTMENTS_NO_SHOW_GRACE_MINUTES = int(os.environ.get("APPOINTMENTS_NO_SHOW_GRACE_MINUTES", 60))
APPOINTMENTS_OFFER_HOURS = int(os.environ.get("APPOINTMENTS_OFFER_HOURS", 12))
APPOINTMENTS_RETENTION_DAYS = int(os.environ.get("APPOINTMENTS_RETENTION_DAYS", 180))
# Payments (portal.payments, docs/payments.md). Online card payments go through the agency's provider; the sandbox is a
# separate process on 127.0.0.1 (python -m portal.payments.sandbox) that moves no real money. Secrets come from the
# environment; the defaults are the sandbox's own, which only the sandbox accepts. A notification may be signed with
# any of a provider's WEBHOOK_SECRETS (the newest first), so a secret can be rotated without losing deliveries.
PAYMENTS_SANDBOX_URL = os.environ.get("PAYMENTS_SANDBOX_URL", "http://127.0.0.1:8010").rstrip("/")
PAYMENTS_NOTIFICATION_BASE_URL = os.environ.get("PAYMENTS_NOTIFICATION_BASE_URL", PORTAL_BASE_URL).rstrip("/")
PAYMENTS_PROVIDERS: dict[str, dict[str, Any]] = {
    "sandbox": {
        "CLASS": "portal.payments.providers.sandbox.SandboxProvider",
        "BASE_URL": PAYMENTS_SANDBOX_URL,
        "API_KEY": os.environ.get("PAYMENTS_SANDBOX_API_KEY", "sandbox-api-key"),
        "WEBHOOK_SECRETS": env_list("PAYMENTS_SANDBOX_WEBHOOK_SECRETS", "sandbox-webhook-secret"),
    },
    "stripe": {
        "CLASS": "portal.payments.providers.stripe.StripeProvider",
        "API_BASE": os.environ.get("STRIPE_API_BASE", "https://api.stripe.com").rstrip("/"),
        "SECRET_KEY": os.environ.get("STRIPE_SECRET_KEY", ""),
        "WEBHOOK_SECRETS": env_list("STRIPE_WEBHOOK_SECRETS", ""),
    },
}
# An online payment not finished within this many minutes expires (GOV.UK Pay's 90).
PAYMENTS_ONLINE_EXPIRY_MINUTES = int(os.environ.get("PAYMENTS_ONLINE_EXPIRY_MINUTES", 90))
# How long an Idempotency-Key binds: the same key and body within it is the same payment.
PAYMENTS_IDEMPOTENCY_HOURS = int(os.environ.get("PAYMENTS_IDEMPOTENCY_HOURS", 24))
# A paid reference still without its receipt this many seconds after it was paid gets its receipt's task again from
# the sweep (payments.sweep): a worker killed while it held the task leaves the task «running» forever.
PAYMENTS_RECEIPT_GRACE_SECONDS = int(os.environ.get("PAYMENTS_RECEIPT_GRACE_SECONDS", 600))

# Page analytics without tracking (portal.insights, docs/insights.md): INSIGHTS_ANALYTICS=off records nothing. Raw
# page events are kept INSIGHTS_RAW_EVENT_DAYS days, then only the daily figures remain. A process writes its buffered
# events every INSIGHTS_FLUSH_SECONDS or INSIGHTS_FLUSH_BATCH events; past INSIGHTS_BUFFER_MAX waiting events (the
# database down), new ones are dropped and counted, never waited for.
INSIGHTS_ANALYTICS = os.environ.get("INSIGHTS_ANALYTICS", "on").strip().lower() not in ("off", "0", "false", "no")
INSIGHTS_RAW_EVENT_DAYS = int(os.environ.get("INSIGHTS_RAW_EVENT_DAYS", 30))
INSIGHTS_FLUSH_SECONDS = float(os.environ.get("INSIGHTS_FLUSH_SECONDS", 2))
INSIGHTS_FLUSH_BATCH = int(os.environ.get("INSIGHTS_FLUSH_BATCH", 500))
INSIGHTS_BUFFER_MAX = int(os.environ.get("INSIGHTS_BUFFER_MAX", 20000))
# A search «led nowhere» when its visitor saw no other page in the next INSIGHTS_SEARCH_FOLLOW_MINUTES; the search
# worklists show a search's text only once INSIGHTS_SEARCH_MIN_VISITORS different visitor-days made it (a text one
# person typed may name them; docs/insights.md, «Búsquedas»).
INSIGHTS_SEARCH_FOLLOW_MINUTES = int(os.environ.get("INSIGHTS_SEARCH_FOLLOW_MINUTES", 30))
INSIGHTS_SEARCH_MIN_VISITORS = int(os.environ.get("INSIGHTS_SEARCH_MIN_VISITORS", 3))
# Publishing (or sending for approval) a service sheet whose text scores below this on the Szigriszt-Pazos/INFLESZ
# scale (55: «normal») asks the editor for a reason (portal/services/readability.py, docs/editing.md).
SERVICES_READABILITY_MIN = float(os.environ.get("SERVICES_READABILITY_MIN", 55))
# The background thread that writes the buffer; tests turn it off and call portal.insights.recording.flush().
INSIGHTS_BACKGROUND_FLUSH = True
# Page feedback and the satisfaction survey (docs/insights.md, «Comentarios y satisfacción»): each address may send
# INSIGHTS_FEEDBACK_RATE_LIMIT answers and comments per INSIGHTS_FEEDBACK_RATE_WINDOW seconds.
INSIGHTS_FEEDBACK_RATE_LIMIT = int(os.environ.get("INSIGHTS_FEEDBACK_RATE_LIMIT", "20"))
INSIGHTS_FEEDBACK_RATE_WINDOW = int(os.environ.get("INSIGHTS_FEEDBACK_RATE_WINDOW", "600"))
# Request bodies (portal/core/body_limits.py): a body over its limit gets 413 before anything reads it. Bodies that are
# not multipart/form-data: DATA_UPLOAD_MAX_MEMORY_SIZE (Django's, 2.5 MB). Forms with files: REQUEST_MAX_UPLOAD_BYTES,
# an application's whole allowance of files plus one file over the per-file limit (which the form explains itself).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440))
REQUEST_MAX_UPLOAD_BYTES = int(
    os.environ.get("REQUEST_MAX_UPLOAD_BYTES", APPLICATIONS_MAX_TOTAL_BYTES + APPLICATIONS_MAX_FILE_BYTES)
)
# Served through config.asgi (tools/serve.sh), a body must arrive within REQUEST_BODY_TIMEOUT_SECONDS plus its size at
# REQUEST_BODY_MIN_RATE bytes a second, with no pause over REQUEST_BODY_IDLE_SECONDS; otherwise 408 (core/asgi_guard.py).
REQUEST_BODY_TIMEOUT_SECONDS = float(os.environ.get("REQUEST_BODY_TIMEOUT_SECONDS", "10"))
REQUEST_BODY_MIN_RATE = int(os.environ.get("REQUEST_BODY_MIN_RATE", "32000"))
REQUEST_BODY_IDLE_SECONDS = float(os.environ.get("REQUEST_BODY_IDLE_SECONDS", "20"))

# --- Wagtail --------------------------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Ventanilla"
# Addresses people type and read aloud: «/imss/prensa/vacunacion-de-invierno/», without accents to percent-encode.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "csv", "txt"]
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_MODERATION_ENABLED = True
# Staff sign in through the portal's sign-in, which asks for their second factor (docs/accounts.md).
WAGTAILADMIN_LOGIN_URL = "account_login"
# No Gravatar: it would send a hash of every staff e-mail to a foreign service, and the admin's CSP forbids it.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Security -------------------------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Anonymous pages: how long browsers and shared caches (CDN) may keep them.
PORTAL_PAGE_CACHE_SECONDS = int(os.environ.get("PORTAL_PAGE_CACHE_SECONDS", "300"))
PORTAL_BROWSER_CACHE_SECONDS = int(os.environ.get("PORTAL_BROWSER_CACHE_SECONDS", "60"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {"format": "%(asctime)s level=%(levelname)s logger=%(name)s %(message)s"},
    },
    "filters": {"private_requests": {"()": "portal.core.logfilters.RedactPrivateRequests"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "structured", "filters": ["private_requests"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Django's request loggers carry the request (address, browser): redacted on the private paths before any
        # handler, including Django's own mail_admins, sees the record.
        "django.request": {"filters": ["private_requests"]},
        "django.security": {"filters": ["private_requests"]},
        "django_tasks": {"level": os.environ.get("TASKS_LOG_LEVEL", "INFO")},
        # WeasyPrint and fontTools log every rendering step at INFO: eight lines per certificate.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
