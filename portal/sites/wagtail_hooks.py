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
from wagtail.log_actions import LogFormatter

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
    from wagtail.models import ModelLogEntry, Page


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
    workflow = page.get_workflow()
    if workflow is None or not EntityReviewTask.objects.filter(workflow_tasks__workflow=workflow).exists():
        return None
    if not is_last_editor(page, request.user):
        return None
    _keep_new_page_a_draft(page)
    tell_refusal(request, OwnChangeRefused(page.pk, str(page.title)))
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))


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
