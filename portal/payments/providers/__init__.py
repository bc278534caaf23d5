"""The providers an agency can collect through, built from ``settings.PAYMENTS_PROVIDERS`` (docs/payments.md)."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from .base import PaymentProvider


class UnknownProvider(LookupError):
    pass


def get_provider(key: str) -> PaymentProvider:
    """An adapter for ``key`` configured from settings; each call builds a new one (adapters hold no state)."""
    config = settings.PAYMENTS_PROVIDERS.get(key)
    if not config:
        raise UnknownProvider(key)
    cls = import_string(config["CLASS"])
    provider: PaymentProvider = cls(**{name.lower(): value for name, value in config.items() if name != "CLASS"})
    return provider
