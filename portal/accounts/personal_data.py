"""ARCO rights across apps: every app that keeps data about a person says how to export it and how to erase it.

An app registers its functions once, in its ``AppConfig.ready()``::

    from portal.accounts.personal_data import register_eraser, register_exporter

    register_exporter("solicitudes", applications.queries.export_for_account)
    register_eraser("solicitudes", applications.actions.do_erase_for_account)

- An **exporter** takes the user and returns plain JSON values (dicts, lists, strings, numbers, booleans, ``None``;
  dates as ISO strings). ``queries.export_personal_data`` puts each under its name in the download.
- An **eraser** takes the user and removes or anonymises what its app holds, keeping only what a law obliges the app
  to keep (say so in the app's docs). Erasers run inside the transaction that closes the account, before the account
  itself is anonymised; one that raises aborts the whole closure, so the person is never left half-deleted.

Names are section names in the download, so they are Spanish and stable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Exporter = Callable[[Any], Any]
Eraser = Callable[[Any], None]

_exporters: dict[str, Exporter] = {}
_erasers: dict[str, Eraser] = {}


def register_exporter(name: str, exporter: Exporter) -> None:
    """Add ``exporter`` under ``name``; registering the same function twice is harmless, another one is an error."""
    existing = _exporters.get(name)
    if existing is not None and existing is not exporter:
        raise ValueError(f"an exporter named {name!r} is already registered")
    _exporters[name] = exporter


def register_eraser(name: str, eraser: Eraser) -> None:
    existing = _erasers.get(name)
    if existing is not None and existing is not eraser:
        raise ValueError(f"an eraser named {name!r} is already registered")
    _erasers[name] = eraser


def unregister(name: str) -> None:
    """Remove both functions registered under ``name`` (for tests that register their own)."""
    _exporters.pop(name, None)
    _erasers.pop(name, None)


def exporters() -> dict[str, Exporter]:
    return dict(sorted(_exporters.items()))


def erasers() -> dict[str, Eraser]:
    return dict(sorted(_erasers.items()))
