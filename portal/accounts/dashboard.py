"""«Mi expediente» across apps: each domain contributes its own sections of the citizen's home page.

The accounts app knows no other domain. An app that has something to show a person puts a ``dashboard.py`` module
in its package that registers a contributor; every installed app's ``dashboard`` module is imported once at start-up
(``AccountsConfig.ready`` calls ``autodiscover``)::

    from portal.accounts.dashboard import DashboardGroup, DashboardItem, DashboardSection, register

    def my_sections(user):
        return [DashboardSection("solicitudes", _("Solicitudes"), order=10, groups=[...])]

    register("solicitudes", my_sections)

A contributor takes the signed-in user and returns the sections it fills (possibly none). Sections with the same key
from several contributors are merged, in the order the contributors' names sort: the first one's title and order
stand, the groups of all of them follow one another. A domain that does not exist registers nothing, so the page
never claims "you have none" for something the portal cannot do yet.

Groups marked ``attention`` hold what waits for the person (a prevención to answer): the page lists them first, in
a banner at the top, as well as in their section.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import autodiscover_modules

MODULE_NAME = "dashboard"


@dataclass
class DashboardDetail:
    """A labelled value under an item: text, a date or a date and time (the page formats dates, in local time)."""

    label: Any
    value: Any

    @property
    def kind(self) -> str:
        if isinstance(self.value, dt.datetime):
            return "datetime"
        if isinstance(self.value, dt.date):
            return "date"
        return "text"


@dataclass
class DashboardLink:
    text: Any
    url: str
    # Words read by screen readers after ``text`` so that «Continuar» says what it continues.
    hidden_suffix: Any = ""
    download: bool = False


@dataclass
class DashboardItem:
    title: Any
    url: str = ""
    caption: Any = ""
    tag: Any = ""
    # A GOV.UK tag colour (``green``, ``yellow``, ``red``, ``blue``, ``light-blue``, ``grey``), or "" for the default.
    tag_colour: str = ""
    details: list[DashboardDetail] = field(default_factory=list)
    links: list[DashboardLink] = field(default_factory=list)


@dataclass
class DashboardGroup:
    heading: Any
    items: list[DashboardItem] = field(default_factory=list)
    intro: Any = ""
    attention: bool = False


@dataclass
class DashboardSection:
    key: str
    title: Any
    order: int = 100
    groups: list[DashboardGroup] = field(default_factory=list)
    # Said when no group has items; a section without it and without items is left out of the page.
    empty_text: Any = ""
    links: list[DashboardLink] = field(default_factory=list)

    @property
    def has_items(self) -> bool:
        return any(group.items for group in self.groups)


Contributor = Callable[[Any], Iterable[DashboardSection] | None]

_contributors: dict[str, Contributor] = {}


def register(name: str, contributor: Contributor) -> None:
    """Add ``contributor`` under ``name``; registering the same function twice is harmless, another one an error."""
    existing = _contributors.get(name)
    if existing is not None and existing is not contributor:
        raise ValueError(f"a dashboard contributor named {name!r} is already registered")
    _contributors[name] = contributor


def unregister(name: str) -> None:
    """Remove a contributor (for tests that register their own)."""
    _contributors.pop(name, None)


def contributors() -> dict[str, Contributor]:
    return dict(sorted(_contributors.items()))


def autodiscover() -> None:
    """Import the ``dashboard`` module of every installed app that has one (each registers its contributor)."""
    autodiscover_modules(MODULE_NAME)


def sections_for(user) -> list[DashboardSection]:
    """Every contributed section for ``user``, merged by key and sorted by order; empty ones left out unless they say
    plainly that there is nothing."""
    merged: dict[str, DashboardSection] = {}
    for contributor in contributors().values():
        for section in contributor(user) or ():
            existing = merged.get(section.key)
            if existing is None:
                merged[section.key] = DashboardSection(
                    section.key,
                    section.title,
                    order=section.order,
                    groups=list(section.groups),
                    empty_text=section.empty_text,
                    links=list(section.links),
                )
                continue
            existing.groups.extend(section.groups)
            existing.links.extend(section.links)
            existing.empty_text = existing.empty_text or section.empty_text
    sections = [section for section in merged.values() if section.has_items or section.empty_text]
    return sorted(sections, key=lambda section: (section.order, section.key))


def attention_items(sections: Iterable[DashboardSection]) -> list[DashboardItem]:
    """The items that wait for the person, from every section, for the banner at the top of the page."""
    return [item for section in sections for group in section.groups if group.attention for item in group.items]
