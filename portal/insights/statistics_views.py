"""``/estadisticas/``: the portal's headline figures, each linked to the open data it can be checked against."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from portal.core.cache import public_page

from . import statistics


@require_http_methods(["GET", "HEAD"])
@public_page
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "insights/statistics.html", {"figures": statistics.headline()})
