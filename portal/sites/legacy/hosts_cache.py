"""The table of old host names that the middleware reads on every request: cached per process and shared.

Forgotten whenever a legacy site is saved or deleted (``LegacySite.save``); other processes see the change within
``LOCAL_TTL`` seconds.
"""

from __future__ import annotations

from django.core.cache import cache

HOSTS_CACHE_KEY = "legacy_sites:hosts:v1"
HOSTS_TTL = 300  # seconds in the shared cache
LOCAL_TTL = 30.0  # seconds in each process, so that most requests cost no cache round trip at all
local: dict[str, tuple[float, dict[str, int]]] = {}


def forget_hosts() -> None:
    local.clear()
    cache.delete(HOSTS_CACHE_KEY)
