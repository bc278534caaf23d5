"""The admin API's «publish» action, at Wagtail's own path: it builds Wagtail's publish action itself, without
``Page.publish``, so a page of an entity's site with problems is refused here first (``publication``).

Included in ``config/urls.py`` before Wagtail's admin; unnamed, like ``services.admin_urls``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import JsonResponse
from django.urls import path, resolve
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.models import Page
from wagtail.utils.urlpatterns import decorate_urlpatterns

from .publication import PublicationChecksMixin, PublicationRefused, revision_problems

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


urlpatterns = [path("api/main/pages/<int:pk>/action/publish/", publish_through_admin_api)]
urlpatterns = decorate_urlpatterns(urlpatterns, require_admin_access)
urlpatterns = decorate_urlpatterns(urlpatterns, never_cache)
