"""ARCO rights across apps: every app that keeps data about a person says how to export it and how to erase it.

An app declares its part in a ``personal_data.py`` module of its own, which ``autodiscover`` imports from every
installed app the first time the registry is read (so neither core nor accounts imports a domain app), or in its
``AppConfig.ready()``::

    from portal.accounts.personal_data import declare_kept, register_eraser, register_exporter

    register_exporter("solicitudes", export_for_account, models=["applications.Application", ...])
    register_eraser("solicitudes", erase_for_account, models=["applications.Application"])
    declare_kept("applications.ApplicationEvent", "the case's history, kept with the case by law")

- An **exporter** takes the user and returns plain JSON values (dicts, lists, strings, numbers, booleans, ``None``;
  dates as ISO strings). ``queries.export_personal_data`` puts each under its name in the download.
- An **eraser** takes the user and removes or anonymises what its app holds, keeping only what a law obliges the app
  to keep (say so with ``declare_kept`` and in the app's docs). Erasers run inside the transaction that closes the
  account, before the account itself is anonymised (so the person's e-mail addresses and number are still there to
  find what was sent to them); one that raises aborts the whole closure, so the person is never left half-deleted.
- ``models`` names (``app_label.ModelName``) the models each one covers. ``tests/test_personal_data_coverage.py``
  walks every installed model that holds personal data and fails when one has no exporter, or is neither erased nor
  declared kept, unless its short allow-list says why it needs none.

Names are section names in the download, so they are Spanish and stable.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from allauth.account.models import EmailAddress
from django.utils.module_loading import autodiscover_modules

from .queries import phone_of, profile_of

Exporter = Callable[[Any], Any]
Eraser = Callable[[Any], None]

# What the accounts app exports itself (``queries.export_personal_data``) and erases itself (``do_close_account``).
ACCOUNTS_MODELS = (
    "auth.User",
    "accounts.Profile",
    "accounts.CurpLinkEvent",
    "accounts.ActiveSession",
    "accounts.SignInEvent",
    "account.EmailAddress",
    "mfa.Authenticator",
)

_exporters: dict[str, Exporter] = {}
_erasers: dict[str, Eraser] = {}
_exported_models: dict[str, set[str]] = {}
_erased_models: dict[str, set[str]] = {}
_kept: dict[str, str] = {}
_discovered = False
_discovery_lock = threading.Lock()


def autodiscover() -> None:
    """Import ``personal_data`` from every installed app, once; each module registers its own part."""
    global _discovered
    if _discovered:
        return
    with _discovery_lock:
        if not _discovered:
            autodiscover_modules("personal_data")
            _discovered = True


def register_exporter(name: str, exporter: Exporter, *, models: Iterable[str] = ()) -> None:
    """Add ``exporter`` under ``name``; registering the same function twice is harmless, another one is an error."""
    existing = _exporters.get(name)
    if existing is not None and existing is not exporter:
        raise ValueError(f"an exporter named {name!r} is already registered")
    _exporters[name] = exporter
    _exported_models.setdefault(name, set()).update(models)


def register_eraser(name: str, eraser: Eraser, *, models: Iterable[str] = ()) -> None:
    existing = _erasers.get(name)
    if existing is not None and existing is not eraser:
        raise ValueError(f"an eraser named {name!r} is already registered")
    _erasers[name] = eraser
    _erased_models.setdefault(name, set()).update(models)


def declare_kept(model: str, reason: str) -> None:
    """Say that rows of ``model`` about a person stay when their account is closed, and why (a law, an audit)."""
    _kept[model] = reason


def unregister(name: str) -> None:
    """Remove both functions registered under ``name`` (for tests that register their own)."""
    _exporters.pop(name, None)
    _erasers.pop(name, None)
    _exported_models.pop(name, None)
    _erased_models.pop(name, None)


def exporters() -> dict[str, Exporter]:
    autodiscover()
    return dict(sorted(_exporters.items()))


def erasers() -> dict[str, Eraser]:
    autodiscover()
    return dict(sorted(_erasers.items()))


def exported_models() -> set[str]:
    autodiscover()
    return set(ACCOUNTS_MODELS).union(*_exported_models.values())


def erased_models() -> set[str]:
    autodiscover()
    return set(ACCOUNTS_MODELS).union(*_erased_models.values())


def kept_models() -> dict[str, str]:
    autodiscover()
    return dict(_kept)


# --- Helpers for exporters and erasers of other apps ----------------------------------------------------------------


def contact_points(user) -> set[str]:
    """Every e-mail address (lower-case) and the number the account has, verified or not: what messages were sent to."""

    points = {
        address.lower() for address in EmailAddress.objects.filter(user_id=user.pk).values_list("email", flat=True)
    }
    if user.email:
        points.add(user.email.lower())
    phone = phone_of(user)
    if phone is not None:
        points.add(phone[0])
    return {point for point in points if point}


def confirmed_curp(user) -> str:
    """The account's CURP when it is confirmed as the person's; "" otherwise (a typed CURP may be anyone's)."""
    profile = profile_of(user)
    if profile is not None and profile.curp and profile.curp_confirmed_at is not None:
        return profile.curp
    return ""
