"""The directory of government entities; each entity's own page is its site's home (``portal.sites``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render

from portal.core.cache import public_page

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
    """The directory's entry of an entity is its site's home (``/<slug>/``): one place, not two saying different
    things. The directory's address stays valid for the links and bookmarks that use it, also after a rename or a
    merger."""
    # An entity renamed or absorbed: its old directory address leads to the entity it is part of now.
    agency = queries.successor(slug)
    if agency is None:
        return render(request, "agencies/not_found.html", {"slug": slug}, status=404)
    return HttpResponsePermanentRedirect(agency.get_absolute_url())
