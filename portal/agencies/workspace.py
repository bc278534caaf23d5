"""The pages an entity's staff work on in the CMS, contributed by the apps that own them.

An entity's CMS workspace is its groups (editors, approvers), its document collection, its review workflow, and the
pages those groups are granted permissions on. The pages belong to other apps: the catalogue's page of the entity
(``services``), later its own website (``sites``). Each such app registers, in its ``AppConfig.ready()``, a function
that gets or creates the entity's page; ``actions.do_set_up_agency_workspace`` asks every registered one, so this app
imports none of them (as ``portal.core`` does with its registries).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wagtail.models import Page

    from .models import Agency

PageProvider = Callable[["Agency"], "Page"]

_providers: dict[str, PageProvider] = {}


def register_workspace_page(name: str, provider: PageProvider) -> None:
    """``provider(agency)`` gets or creates the entity's page in the app called ``name`` (idempotent)."""
    _providers[name] = provider


def workspace_pages(agency: Agency) -> list[Page]:
    """The entity's pages in every app that contributes one, in the order the apps registered."""
    return [provider(agency) for provider in _providers.values()]
