"""The catalogue in the Wagtail admin: what agency staff may see, and the portal-wide classifications.

Service sheets are pages, so editing, review, revisions and scheduling come from Wagtail itself; page permissions
on each agency's catalogue page (``actions.do_set_up_agency_catalogue``, given to the entity's groups by
``agencies.actions.do_set_up_agency_workspace``) decide who sees what. These hooks close the places where Wagtail shows pages regardless of those permissions, and register topics and life events as
snippets that only portal administrators manage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem as WagtailMenuItem
from wagtail.admin.views.pages.bulk_actions.delete import DeleteBulkAction as PageDeleteBulkAction
from wagtail.admin.views.pages.bulk_actions.move import MoveBulkAction as PageMoveBulkAction
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction as PagePublishBulkAction
from wagtail.admin.views.pages.bulk_actions.unpublish import UnpublishBulkAction as PageUnpublishBulkAction
from wagtail.documents import get_document_model
from wagtail.documents.views.bulk_actions.add_tags import AddTagsBulkAction as DocumentAddTagsBulkAction
from wagtail.documents.views.bulk_actions.add_to_collection import (
    AddToCollectionBulkAction as DocumentAddToCollectionBulkAction,
)
from wagtail.documents.views.bulk_actions.delete import DeleteBulkAction as DocumentDeleteBulkAction
from wagtail.images import get_image_model
from wagtail.images.views.bulk_actions.add_tags import AddTagsBulkAction as ImageAddTagsBulkAction
from wagtail.images.views.bulk_actions.add_to_collection import (
    AddToCollectionBulkAction as ImageAddToCollectionBulkAction,
)
from wagtail.images.views.bulk_actions.delete import DeleteBulkAction as ImageDeleteBulkAction
from wagtail.permission_policies import BasePermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from portal.agencies.access import PORTAL_ADMINS_GROUP, check_is_portal_admin

from .admin_views import ReadabilityReportView, visible_pages
from .models import LifeEvent, ServicePage, Topic

if TYPE_CHECKING:
    # What the mixins below are mixed into: Wagtail's bulk actions (Wagtail ships no types, so Any to mypy).
    from django.http import HttpRequest
    from wagtail.admin.menu import MenuItem
    from wagtail.admin.views.bulk_action.base_bulk_action import BulkAction as _BulkAction
    from wagtail.models import Page
    from wagtail.query import PageQuerySet
else:
    _BulkAction = object


@hooks.register("construct_page_chooser_queryset")
def show_only_visible_pages_in_chooser(pages: PageQuerySet, request: HttpRequest) -> PageQuerySet:
    """The page chooser lists the pages the explorer would show the user, not the whole tree."""
    if request.user.is_superuser:
        return pages
    return pages.filter(pk__in=visible_pages(request.user).values("pk"))


@hooks.register("before_move_page")
def refuse_moves_the_user_may_not_make(request: HttpRequest, page: Page, destination: Page) -> None:
    """Wagtail's move confirmation shows both pages before any permission check (the move itself is checked later)."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


class OnlyVisibleItemsMixin(_BulkAction):
    """Bulk actions list the items a person may not act on by title; list only those they may see at all.

    Without this, ``/admin/bulk/wagtailcore/page/delete/?id=<any id>`` names another agency's pages and drafts.
    """

    def visible_ids(self, ids) -> set[int]:
        raise NotImplementedError

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        visible = self.visible_ids([obj.pk for obj in objects + extra["items_with_no_access"]])
        objects = [obj for obj in objects if obj.pk in visible]
        extra["items_with_no_access"] = [obj for obj in extra["items_with_no_access"] if obj.pk in visible]
        return objects, extra


class VisiblePagesMixin(OnlyVisibleItemsMixin):
    def visible_ids(self, ids) -> set[int]:
        return set(visible_pages(self.request.user).filter(pk__in=ids).values_list("pk", flat=True))


class VisibleDocumentsMixin(OnlyVisibleItemsMixin):
    model_getter = staticmethod(get_document_model)

    def visible_ids(self, ids) -> set[int]:
        items = policy_registry.get_by_type(self.model_getter()).instances_user_has_any_permission_for(
            self.request.user, ["add", "change", "delete", "choose"]
        )
        return set(items.filter(pk__in=ids).values_list("pk", flat=True))


class VisibleImagesMixin(VisibleDocumentsMixin):
    """Images live in the entity's collection beside its documents (its site's pages use them)."""

    model_getter = staticmethod(get_image_model)


# Registered after Wagtail's own (higher order), so these replace them in the bulk-action registry.
for _base, _mixin in [
    (PageDeleteBulkAction, VisiblePagesMixin),
    (PageMoveBulkAction, VisiblePagesMixin),
    (PagePublishBulkAction, VisiblePagesMixin),
    (PageUnpublishBulkAction, VisiblePagesMixin),
    (DocumentDeleteBulkAction, VisibleDocumentsMixin),
    (DocumentAddTagsBulkAction, VisibleDocumentsMixin),
    (DocumentAddToCollectionBulkAction, VisibleDocumentsMixin),
    (ImageDeleteBulkAction, VisibleImagesMixin),
    (ImageAddTagsBulkAction, VisibleImagesMixin),
    (ImageAddToCollectionBulkAction, VisibleImagesMixin),
]:
    hooks.register("register_bulk_action", type(_base.__name__, (_mixin, _base), {}), order=1000)


@hooks.register("construct_reports_menu")
def hide_cross_agency_reports(request: HttpRequest, menu_items: list[MenuItem]) -> None:
    """The page-types report counts and names pages of every agency; only superusers get it."""
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]


class PortalAdminPermissionPolicy(BasePermissionPolicy):
    """Everything for portal administrators (superusers and the «Administradores del portal» group), nothing else."""

    def user_has_permission(self, user, action) -> bool:
        return check_is_portal_admin(user)

    def user_has_any_permission(self, user, actions) -> bool:
        return check_is_portal_admin(user)

    def users_with_any_permission(self, actions):
        return (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | Q(groups__name=PORTAL_ADMINS_GROUP), is_active=True)
            .distinct()
        )


register_permission_policy(Topic, PortalAdminPermissionPolicy(Topic))
register_permission_policy(LifeEvent, PortalAdminPermissionPolicy(LifeEvent))


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name", "description"]
    search_backend_name = None
    copy_view_enabled = False


class LifeEventViewSet(SnippetViewSet):
    model = LifeEvent
    icon = "user"
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name", "description"]
    search_backend_name = None
    copy_view_enabled = False


class ClassificationViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Clasificación del catálogo")
    menu_icon = "list-ul"
    menu_order = 300
    items = (TopicViewSet, LifeEventViewSet)


register_snippet(ClassificationViewSetGroup)


@hooks.register("register_admin_urls")
def register_readability_report_url() -> list[Any]:
    return [path("lenguaje-claro/", ReadabilityReportView.as_view(), name="services_readability_report")]


class ReadabilityReportMenuItem(WagtailMenuItem):
    """Shown to whoever edits or reviews some sheets: the report lists only the sheets they may see."""

    def is_shown(self, request: HttpRequest) -> bool:
        return visible_pages(request.user).type(ServicePage).exists()


@hooks.register("register_reports_menu_item")
def register_readability_report_menu_item() -> WagtailMenuItem:
    return ReadabilityReportMenuItem(
        _("Lenguaje claro de las fichas"),
        reverse("services_readability_report"),
        name="lenguaje-claro",
        icon_name="doc-full",
        order=700,
    )
