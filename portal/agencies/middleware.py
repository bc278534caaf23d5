"""Old addresses of entities' sites keep working after a rename or a merger (``queries.former_address``).

A prefix redirect looked up when the page is not found: ``/sedesol/…`` answers 301 to the same page under
``/bienestar/…`` for every page below the old home, without a row per page, and costs nothing on pages that exist.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.utils.translation import get_language_from_path

from . import queries


class FormerAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # 410: a withdrawn page's answer; the address of a merged entity's home may be one.
        if response.status_code not in (404, 410) or request.method not in ("GET", "HEAD"):
            return response
        path = request.path_info
        language = get_language_from_path(path)
        if language and path.startswith(f"/{language}/"):
            path = path[len(language) + 1 :]
        target = queries.former_address(path)
        if target is None:
            return response
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)
