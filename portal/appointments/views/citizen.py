"""The citizen's pages of appointments."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from .. import access


@require_http_methods(["GET", "HEAD"])
def manage(request: HttpRequest, code: str, token: str) -> HttpResponse:
    """The appointment as the link in its messages shows it."""
    appointment = access.access_by_link(code, token)
    if appointment is None:
        raise Http404
    return render(request, "appointments/manage.html", {"appointment": appointment})
