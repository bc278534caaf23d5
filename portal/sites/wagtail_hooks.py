"""The entities' sites in the admin: a page with problems is not published, and its editors see why before trying.

The refusal itself is ``publication``'s (its docstring says where and why); these hooks give it to the edit view,
which publishes without ``Page.publish``, and show the problems on the edit view before anyone presses «Publicar».
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter
from wagtail.models import Page

from . import access, admin_views, queries
from .actions import (
    RETIRED_LOG_ACTION,
    RETIREMENT_UNDONE_LOG_ACTION,
    URGENT_LOG_ACTION,
    URGENT_REVIEWED_LOG_ACTION,
)
from .models import EntityReviewTask
from .publication import (
    REFUSED_LOG_ACTION,
    PublicationChecksMixin,
    PublicationRefused,
    refused_log_message,
    revision_problems,
)
from .publication_messages import tell_problems, tell_refusal
from .review import OwnChangeRefused, is_last_editor

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse
    from wagtail.log_actions import LogActionRegistry
    from wagtail.models import ModelLogEntry


@hooks.register("before_publish_page")
def refuse_publishing_a_page_with_problems(request: HttpRequest, page: Page) -> HttpResponse | None:
    """The edit and create views have just saved the revision (the draft is kept); this stops its publication."""
    if not isinstance(page, PublicationChecksMixin):
        return None
    revision = page.get_latest_revision()
    if revision is None or not (problems := revision_problems(revision)):
        return None
    _keep_new_page_a_draft(page)
    tell_refusal(request, PublicationRefused(page.pk, str(page.title), problems))
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))


def _keep_new_page_a_draft(page: Page) -> None:
    if page.live and page.first_published_at is None:
        # Wagtail's create view adds a page to be published as live before this hook; never published, it is a draft.
        page.live = False
        page.has_unpublished_changes = True
        page.save(update_fields=["live", "has_unpublished_changes"])


@hooks.register("before_publish_page")
def refuse_publishing_ones_own_change(request: HttpRequest, page: Page) -> HttpResponse | None:
    """«Publicar» on a page under an entity's review (its site or its catalogue) by the person who made the change:
    it goes to review by someone else instead (review.py). The view has saved the revision, so nothing is lost; the
    portal's administrators who must publish at once use «Publicación urgente», with a reason."""
    if not _under_entity_review(page) or not is_last_editor(page, request.user):
        return None
    _keep_new_page_a_draft(page)
    tell_refusal(request, OwnChangeRefused(page.pk, str(page.title)))
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))


def _under_entity_review(page: Page) -> bool:
    workflow = page.get_workflow()
    return workflow is not None and EntityReviewTask.objects.filter(workflow_tasks__workflow=workflow).exists()


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_ones_own_changes(
    request: HttpRequest, action_type: str, objects: list[Any], action: Any
) -> HttpResponse | None:
    """The explorer's bulk «Publicar» follows the same four-eyes rule as the editor's: if the person publishing made
    the last change of any chosen page (or, with «incluir subpáginas», of a draft below one), nothing is published
    and the message names those pages."""
    if action_type != "publish" or not objects or not isinstance(objects[0], Page):
        return None
    pages = list(objects)
    form = getattr(action, "cleaned_form", None)
    if form is not None and form.cleaned_data.get("include_descendants"):
        for page in objects:
            pages.extend(page.get_descendants().not_live().specific(defer=True))
    own = [page for page in pages if _under_entity_review(page) and is_last_editor(page, request.user)]
    if not own:
        return None
    for page in own:
        tell_refusal(request, OwnChangeRefused(page.pk, str(page.title)))
    return redirect(getattr(action, "next_url", None) or reverse("wagtailadmin_home"))


@hooks.register("before_edit_page")
def show_the_problems_in_the_editor(request: HttpRequest, page: Page) -> None:
    """On opening the editor, the latest draft's problems as a warning: editors fix them before review, approvers see
    them before approving."""
    if request.method != "GET" or not isinstance(page, PublicationChecksMixin):
        return
    revision = page.get_latest_revision()
    if revision is not None and (problems := revision_problems(revision)):
        tell_problems(request, problems)


@hooks.register("register_log_actions")
def register_refused_publication(actions: LogActionRegistry) -> None:
    @actions.register_action(REFUSED_LOG_ACTION)
    class RefusedPublication(LogFormatter):
        label = _("Publicación programada cancelada")

        def format_message(self, log_entry: ModelLogEntry) -> Any:
            return refused_log_message((log_entry.data or {}).get("problems", []))


# --- Urgent publication and retiring a page (admin_views) ------------------------------------------------------------


@hooks.register("register_admin_urls")
def editorial_admin_urls() -> list[Any]:
    return list(admin_views.urlpatterns)


class UrgentPublicationsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return access.check_can_publish_urgently(request.user)


@hooks.register("register_admin_menu_item")
def urgent_publications_menu_item() -> MenuItem:
    return UrgentPublicationsMenuItem(
        _("Publicaciones urgentes"), reverse("agency_sites_urgent_list"), icon_name="warning", order=260
    )


class UrgentPublicationMenuItem(ActionMenuItem):
    """«Publicación urgente» in the page editor's menu, for the unit: publish now, with a reason."""

    label = _("Publicación urgente")
    name = "action-urgent-publication"
    icon_name = "warning"
    order = 60

    def is_shown(self, context: dict[str, Any]) -> bool:
        page = context.get("page")
        return bool(
            context.get("view") == "edit"
            and page is not None
            and access.check_can_publish_urgently(context["request"].user)
        )

    def get_url(self, context: dict[str, Any]) -> str:
        return reverse("agency_sites_urgent", args=[context["page"].pk])


class RetirePageMenuItem(ActionMenuItem):
    """«Retirar página» in the page editor's menu: withdraw, move or remove a live page below an entity's home."""

    label = _("Retirar página")
    name = "action-retire"
    icon_name = "doc-empty-inverse"
    order = 70

    def is_shown(self, context: dict[str, Any]) -> bool:
        page = context.get("page")
        if context.get("view") != "edit" or page is None or not page.live:
            return False
        specific = page.specific
        return access.check_is_retirable(specific) and bool(
            self.get_user_page_permissions_tester(context).can_unpublish()
        )

    def get_url(self, context: dict[str, Any]) -> str:
        return reverse("agency_sites_retire", args=[context["page"].pk])


class UndoRetirementMenuItem(ActionMenuItem):
    """«Deshacer el retiro» in the page editor's menu, on a retired page, for whoever may publish it."""

    label = _("Deshacer el retiro")
    name = "action-undo-retirement"
    icon_name = "undo"
    order = 71

    def is_shown(self, context: dict[str, Any]) -> bool:
        page = context.get("page")
        if context.get("view") != "edit" or page is None or not queries.is_retired(page):
            return False
        return bool(self.get_user_page_permissions_tester(context).can_publish())

    def get_url(self, context: dict[str, Any]) -> str:
        return reverse("agency_sites_undo_retirement", args=[context["page"].pk])


@hooks.register("register_page_action_menu_item")
def undo_retirement_menu_item() -> ActionMenuItem:
    return UndoRetirementMenuItem()


@hooks.register("register_page_action_menu_item")
def urgent_publication_menu_item() -> ActionMenuItem:
    return UrgentPublicationMenuItem()


@hooks.register("register_page_action_menu_item")
def retire_page_menu_item() -> ActionMenuItem:
    return RetirePageMenuItem()


@hooks.register("register_log_actions")
def register_editorial_log_actions(registry: LogActionRegistry) -> None:
    def with_reason(action: str, title: str) -> None:
        class WithReason(LogFormatter):
            label = title

            def format_message(self, log_entry: ModelLogEntry) -> Any:
                return _("%(label)s: %(reason)s") % {"label": title, "reason": (log_entry.data or {}).get("reason", "")}

        registry.register_action(action)(WithReason)

    with_reason(URGENT_LOG_ACTION, _("Publicación urgente"))
    with_reason(URGENT_REVIEWED_LOG_ACTION, _("Publicación urgente revisada"))
    with_reason(RETIRED_LOG_ACTION, _("Página retirada"))
    with_reason(RETIREMENT_UNDONE_LOG_ACTION, _("Retiro deshecho"))
