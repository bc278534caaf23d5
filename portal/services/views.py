"""Public pages of the catalogue: the list with its filters, the service sheet and its printable version."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import http_date

from portal.core.cache import public_page

from . import queries
from .forms import CatalogueFilterForm
from .homoclave import normalize_homoclave, parse_homoclave

PAGE_SIZE = 20


@public_page
def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "services/catalogue.html", {"form": form, "page": None}, status=400)
    filters = form.to_filters() if form.is_bound else queries.CatalogueFilters()
    paginator = Paginator(queries.catalogue(filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "services/catalogue.html",
        {"form": form, "page": page, "filters": filters, "querystring": query.urlencode()},
    )


def _not_found(request: HttpRequest, homoclave: str) -> HttpResponse:
    """A 404 that helps: says whether the key is malformed, and offers the agency's services if the prefix is known."""
    problem = ""
    suggestions = []
    try:
        parsed = parse_homoclave(homoclave)
    except ValidationError as error:
        problem = error.messages[0]
    else:
        suggestions = queries.services_with_acronym(parsed.acronym)
    context = {"homoclave": homoclave, "problem": problem, "suggestions": suggestions}
    return render(request, "services/not_found.html", context, status=404)


def _sheet(request: HttpRequest, homoclave: str, template: str, route: str) -> HttpResponse:
    canonical = normalize_homoclave(homoclave)
    if canonical != homoclave and canonical:
        return redirect(route, homoclave=canonical, permanent=True)
    service = queries.get_live_service(canonical)
    if service is None:
        return _not_found(request, homoclave)
    context = queries.service_sheet_context(service)
    context["page"] = service
    context["self"] = service
    context["similar"] = queries.similar_services(service)
    response = render(request, template, context)
    if service.last_published_at:
        response.headers["Last-Modified"] = http_date(service.last_published_at.timestamp())
    return response


@public_page
def detail(request: HttpRequest, homoclave: str) -> HttpResponse:
    return _sheet(request, homoclave, "services/service_detail.html", "services:detail")


@public_page
def printable(request: HttpRequest, homoclave: str) -> HttpResponse:
    return _sheet(request, homoclave, "services/service_print.html", "services:print")
