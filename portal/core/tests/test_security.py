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
    for name in ("SECRET_KEY", "DEBUG"):
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


def test_production_starts_with_a_real_secret_and_secure_cookies(monkeypatch):
    settings = _load_production(monkeypatch, SECRET_KEY=os.urandom(40).hex())
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SECURE_HSTS_SECONDS >= 31536000
