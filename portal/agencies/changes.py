"""What other apps do when government changes shape: an entity renamed, or absorbed by another.

The things that move belong to other apps: the entity's site pages (``sites``), its catalogue's service sheets
(``services``). As with ``workspace``, each such app registers its handlers in its ``AppConfig.ready()``, and
``actions.do_rename_agency`` / ``actions.do_merge_agency`` call every registered one inside their transaction, so this
app imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Agency, AgencyChange


@dataclass(frozen=True)
class ChangeHandlers:
    """``describe(absorbed, into)`` says, in Spanish, what a merger would move («34 páginas del sitio»), or ``""``;
    ``rename(agency, change)`` follows a rename (the agency already carries its new name, acronym and slug);
    ``merge(absorbed, into, change)`` moves what ``absorbed`` has in the app to ``into``."""

    describe: Callable[[Agency, Agency], str]
    rename: Callable[[Agency, AgencyChange], None]
    merge: Callable[[Agency, Agency, AgencyChange], None]


_handlers: dict[str, ChangeHandlers] = {}


def register_change_handlers(name: str, handlers: ChangeHandlers) -> None:
    _handlers[name] = handlers


def change_handlers() -> list[ChangeHandlers]:
    """Every app's handlers, in the order the apps registered."""
    return list(_handlers.values())
