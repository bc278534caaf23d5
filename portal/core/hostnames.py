"""The portal's own host names, told apart from the others that may point at it (an entity's own name, a legacy
site's old one) without asking the database: a request on the portal's host, or on the loopback a health check and
the tests use, never needs the lookup of the others."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1", "testserver"})


def host_name(raw_host: str) -> str:
    """``Www.Gob.MX:443`` → ``www.gob.mx``; ``[::1]:8000`` → ``::1``."""
    host = raw_host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def is_portal_host(raw_host: str) -> bool:
    name = host_name(raw_host)
    return not name or name in LOOPBACK or name == (urlsplit(settings.PORTAL_BASE_URL).hostname or "").lower()
