import importlib
import os
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured


@pytest.mark.django_db
def test_public_pages_have_a_strict_content_security_policy(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_error_pages_carry_the_security_headers_too(client):
    response = client.get("/no-existe-esta-pagina/")
    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def _load_production(monkeypatch, **env):
    for name in ("SECRET_KEY", "DEBUG", "OIDC_RSA_PRIVATE_KEY", "OIDC_RSA_PRIVATE_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("config.settings.production", None)
    sys.modules.pop("config.settings.base", None)
    try:
        return importlib.import_module("config.settings.production")
    finally:
        sys.modules.pop("config.settings.production", None)
        sys.modules.pop("config.settings.base", None)


def test_production_refuses_the_development_secret(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        _load_production(monkeypatch)


def test_production_refuses_debug(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        _load_production(monkeypatch, SECRET_KEY=os.urandom(40).hex(), DEBUG="true")


def _rsa_key(bits: int = 2048) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def test_production_refuses_to_start_without_an_id_token_signing_key(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="OIDC_RSA_PRIVATE_KEY"):
        _load_production(monkeypatch, SECRET_KEY=os.urandom(40).hex())


def test_production_refuses_a_weak_id_token_signing_key(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="OIDC_RSA_PRIVATE_KEY"):
        _load_production(monkeypatch, SECRET_KEY=os.urandom(40).hex(), OIDC_RSA_PRIVATE_KEY=_rsa_key(1024))


def test_production_starts_with_a_real_secret_and_secure_cookies(monkeypatch):
    settings = _load_production(monkeypatch, SECRET_KEY=os.urandom(40).hex(), OIDC_RSA_PRIVATE_KEY=_rsa_key())
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SECURE_HSTS_SECONDS >= 31536000
