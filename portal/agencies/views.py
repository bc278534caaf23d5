"""The directory of government entities and each entity's page with its offices and services."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal.core.cache import public_page
from portal.services import queries as service_queries

from . import queries
from .forms import DirectoryFilterForm


@public_page
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "agencies/directory.html", {"form": form, "agencies": []}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    agencies = queries.agency_directory(level=data.get("orden") or "", sector=data.get("sector"))
    return render(request, "agencies/directory.html", {"form": form, "agencies": agencies})


@public_page
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    agency = queries.get_agency(slug)
    if agency is None:
        return render(request, "agencies/not_found.html", {"slug": slug}, status=404)
    services = service_queries.catalogue(service_queries.CatalogueFilters(agency=agency))
    page = Paginator(services, 20).get_page(request.GET.get("pagina"))
    context = {
        "agency": agency,
        "offices": queries.agency_offices(agency),
        "page": page,
        "sector_members": agency.sector_members.filter(is_active=True).order_by("name"),
    }
    return render(request, "agencies/detail.html", context)
