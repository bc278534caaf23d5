"""Two of Wagtail's admin paths, answered here first.

The admin API's «publish» action builds Wagtail's publish action itself, without ``Page.publish``, so a page of an
entity's site with problems is refused here first (``publication``). The workflow's «Aprobar» checks the task's
actions before calling it, so the person who made the change would only hear Wagtail's «no tiene permiso»: here they
read why, in Spanish (``review``), and the task refuses it again itself.

Included in ``config/urls.py`` before Wagtail's admin; unnamed, like ``services.admin_urls``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import JsonResponse
from django.urls import path, resolve
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.models import Page, TaskState
from wagtail.utils.urlpatterns import decorate_urlpatterns

from .models import EntityReviewTask
from .publication import PublicationChecksMixin, PublicationRefused, revision_problems
from .review import OwnChangeRefused, is_last_editor

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


def publish_through_admin_api(request: HttpRequest, pk: int) -> HttpResponse:
    page = Page.objects.filter(pk=pk).first()
    specific = page.specific if page is not None else None
    # Only someone who may publish the page hears about its problems; anyone else gets Wagtail's own answer.
    if isinstance(specific, PublicationChecksMixin) and specific.permissions_for_user(request.user).can_publish():
        revision = specific.get_latest_revision()
        if revision is not None and (problems := revision_problems(revision)):
            refusal = PublicationRefused(specific.pk, str(specific.title), problems)
            return JsonResponse(
                {"message": refusal.summary, "problems": [str(problem) for problem in problems]}, status=400
            )
    wagtail_view = resolve(f"/api/main/pages/{pk}/action/publish/", urlconf="wagtail.admin.urls")
    response: HttpResponse = wagtail_view.func(request, *wagtail_view.args, **wagtail_view.kwargs)
    return response


def approve_in_workflow(request: HttpRequest, page_id: int, task_state_id: int) -> HttpResponse:
    page = Page.objects.filter(pk=page_id).first()
    task_state = TaskState.objects.filter(pk=task_state_id).select_related("task").first()
    task = task_state.task.specific if task_state is not None else None
    if (
        page is not None
        and isinstance(task, EntityReviewTask)
        and (request.user.is_superuser or task._user_in_groups(request.user))
        and is_last_editor(page, request.user)
    ):
        # PublicationRefusedMiddleware says it on the page's editor (or the modal follows there).
        raise OwnChangeRefused(page.pk, str(page.get_latest_revision_as_object().title))
    args = f"{page_id}/approve/{task_state_id}/"
    wagtail_view = resolve(f"/pages/workflow/action/{args}", urlconf="wagtail.admin.urls")
    response: HttpResponse = wagtail_view.func(request, *wagtail_view.args, **wagtail_view.kwargs)
    return response


urlpatterns = [
    path("api/main/pages/<int:pk>/action/publish/", publish_through_admin_api),
    path("pages/workflow/action/<int:page_id>/approve/<int:task_state_id>/", approve_in_workflow),
]
urlpatterns = decorate_urlpatterns(urlpatterns, require_admin_access)
urlpatterns = decorate_urlpatterns(urlpatterns, never_cache)
