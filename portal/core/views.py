"""The front door, the plain informative pages, health and error pages."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import business_days, homepage
from .body_limits import body_too_large_response, max_data_bytes
from .cache import public_page


@public_page
def home(request: HttpRequest) -> HttpResponse:
    # What each domain shows on the front page comes from its ``homepage`` module (``portal.core.homepage``).
    return render(request, "core/home.html", homepage.context(request))


@public_page
def static_page(request: HttpRequest, template: str) -> HttpResponse:
    return render(request, template)


@public_page
def non_working_days(request: HttpRequest) -> HttpResponse:
    """This year's and next year's non-working days, for people counting a deadline themselves."""
    this_year = business_days.today().year
    context = {
        "years": [(year, business_days.days_off(year)) for year in (this_year, this_year + 1)],
    }
    return render(request, "core/non_working_days.html", context)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness for load balancers: 200 only when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any database failure means "not ready"
        return JsonResponse({"status": "error", "database": type(error).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):  # found only while parsing: body_limits refuses the rest unread
        return body_too_large_response(request, max_data_bytes(), sent=0)
    return render(request, "errors/400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
