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
    from wagtail.models import GroupApprovalTask, Page

    from .models import Agency

PageProvider = Callable[["Agency"], "Page"]
# ``provider(agency)`` → {role: the pages of that app where the role works}, for the roles that work on part of the
# entity's pages only (the focal points, «enlaces»); roles not named there get nothing from that app.
RolePagesProvider = Callable[["Agency"], dict[str, list["Page"]]]
# ``provider(name, existing)`` → the review task of an entity's workflow: ``existing`` (made before) turned into the
# kind of task the provider makes, or a new one called ``name``.
ReviewTaskProvider = Callable[[str, "GroupApprovalTask | None"], "GroupApprovalTask"]

_providers: dict[str, PageProvider] = {}
_role_page_providers: dict[str, RolePagesProvider] = {}
_review_task_providers: list[ReviewTaskProvider] = []


def register_workspace_page(name: str, provider: PageProvider) -> None:
    """``provider(agency)`` gets or creates the entity's page in the app called ``name`` (idempotent)."""
    _providers[name] = provider


def workspace_pages(agency: Agency) -> list[Page]:
    """The entity's pages in every app that contributes one, in the order the apps registered."""
    return [provider(agency) for provider in _providers.values()]


def register_role_pages(name: str, provider: RolePagesProvider) -> None:
    """``provider(agency)`` names the pages of the app ``name`` where each focal-point role works (idempotent)."""
    _role_page_providers[name] = provider


def role_pages(agency: Agency) -> dict[str, list[Page]]:
    """Every registered app's pages per role, merged."""
    merged: dict[str, list[Page]] = {}
    for provider in _role_page_providers.values():
        for role, pages in provider(agency).items():
            merged.setdefault(role, []).extend(pages)
    return merged


def register_review_task(provider: ReviewTaskProvider) -> None:
    """The app that defines the entities' review task (``sites``: the one that refuses self-approval)."""
    _review_task_providers[:] = [provider]


def review_task(name: str, existing: GroupApprovalTask | None) -> GroupApprovalTask | None:
    """The registered provider's task, or ``None`` when no app registered one (the caller makes a plain one)."""
    if not _review_task_providers:
        return existing
    return _review_task_providers[0](name, existing)
