"""Stricter versions of a few Wagtail admin views, so that agency staff never see another agency's pages.

Wagtail's page chooser shows the whole page tree to anyone who may open it (it is meant for linking) and answers
"chosen" requests for any page id; its page-types report names the most recently edited page of each type, whoever
owns it; its workflow-cancellation confirmation names any page's workflow. The catalogue's rule is that an agency's
staff see only their agency's pages, so these views apply the explorer's visibility instead. ``admin_urls`` mounts
them ahead of Wagtail's admin URLs, at the same paths; the chooser's own listings are filtered by the
``construct_page_chooser_queryset`` hook in ``wagtail_hooks``. The same views guard an entity's site (``portal.sites``),
whose pages are a second tree of the same entity.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.admin.views import chooser
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.models import Page
from wagtail.permissions import page_permission_policy
from wagtail.query import PageQuerySet

from . import readability
from .models import ServicePage


def visible_pages(user) -> PageQuerySet:
    """Pages the user may see in the admin: those they hold any page permission on, and the ancestors of those,
    so that the tree can be walked down to them. Superusers see every page."""
    if not user.is_active:
        return Page.objects.none()
    if user.is_superuser:
        return Page.objects.all()
    permissions = page_permission_policy.get_cached_permissions_for_user(user)
    if not permissions:
        return Page.objects.none()
    query = Q()
    for permission in permissions:
        query |= Q(path__startswith=permission.page.path) | Page.objects.ancestor_of_q(permission.page)
    return Page.objects.filter(query)


_explore = page_viewset_registry.as_view("index", parent_page_id_kwarg="parent_page_id")
_explore_results = page_viewset_registry.as_view("index_results", parent_page_id_kwarg="parent_page_id")


def explore(request: HttpRequest, parent_page_id: int, results_only: bool = False) -> HttpResponse:
    """The explorer opens a page only for those who may see it. Wagtail opens any page below the common ancestor
    of a person's pages: for staff with pages in two trees (an entity's catalogue and its site), that is the root,
    and another entity's page would show its title, status and actions."""
    if not visible_pages(request.user).filter(pk=parent_page_id).exists():
        raise Http404
    view = _explore_results if results_only else _explore
    return view(request, parent_page_id=parent_page_id)


class BrowseView(chooser.BrowseView):
    """The chooser's tree browser, refusing to open a page the user may not see (its children are filtered by hook)."""

    def get(self, request: HttpRequest, parent_page_id: int | None = None) -> HttpResponse:
        if parent_page_id is not None and not visible_pages(request.user).filter(pk=parent_page_id).exists():
            raise Http404
        return super().get(request, parent_page_id)


class ChosenMultipleView(chooser.ChosenMultipleView):
    """Confirms a multiple choice, answering only for pages the user may see (and ignoring ids that are not ids)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        ids = [value for value in request.GET.getlist("id") if value.isdigit()]
        pages = visible_pages(request.user).filter(pk__in=ids).specific()
        result = [
            {
                "id": page.pk,
                "parentId": page.get_parent().pk,
                "adminTitle": page.get_admin_display_title(),
                "editUrl": reverse("wagtailadmin_pages:edit", args=(page.pk,)),
                "url": page.url,
            }
            for page in pages
        ]
        return render_modal_workflow(request, None, None, None, json_data={"step": "page_chosen", "result": result})


class SuperuserPageTypesUsageReportView(PageTypesUsageReportView):
    """Counts and last-edited pages across every agency: for superusers only (its menu item is hidden by hook)."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


_confirm_workflow_cancellation = page_viewset_registry.as_view("confirm_workflow_cancellation", page_id_kwarg="page_id")


def confirm_workflow_cancellation(request: HttpRequest, page_id: int) -> HttpResponse:
    """Wagtail's confirmation names the page's workflow and task without checking who asks; ask first."""
    permissions = get_object_or_404(Page, pk=page_id).permissions_for_user(request.user)
    if not (permissions.can_edit() or permissions.can_publish()):
        raise PermissionDenied
    return _confirm_workflow_cancellation(request, page_id=page_id)


class ReadabilityReportView(WagtailAdminTemplateMixin, TemplateView):
    """«Lenguaje claro»: every live sheet the user may see, hardest to read first, with its level and the fields it
    lacks; a worklist for editors, the whole portal for its administrators (docs/editing.md)."""

    template_name = "services/admin/readability_report.html"
    page_title = gettext_lazy("Lenguaje claro de las fichas")
    header_icon = "doc-full"
    paginate_by = 50

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        only_hard = self.request.GET.get("dificiles") == "1"
        sheets = (
            ServicePage.objects.live()
            .filter(pk__in=visible_pages(self.request.user).values("pk"))
            .select_related("agency")
            .order_by(F("readability_score").asc(nulls_last=True), "title")
        )
        if only_hard:
            sheets = sheets.filter(readability_score__lt=settings.SERVICES_READABILITY_MIN)
        page = Paginator(sheets, self.paginate_by).get_page(self.request.GET.get("p"))
        rows = readability.report_rows(page.object_list)
        context.update(
            {"rows": rows, "page": page, "only_hard": only_hard, "minimum": settings.SERVICES_READABILITY_MIN}
        )
        return context
