"""The site-wide search page, ``/busqueda/?q=``. Thin: the form reads the parameters, ``queries.search`` answers."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from portal.core.cache import public_page
from portal.core.requests import SEARCH_RESULTS_HEADER

from . import queries
from .actions import SEARCH_PAGES_TAG
from .forms import SearchForm
from .parser import MAX_QUERY_CHARS
from .text import MAX_WORD_LENGTH

# Where the error summary sends the reader for each parameter; a wrong page number is fixed by searching again.
ERROR_ANCHORS = {
    "tipo": "filtro-tipo",
    "orden": "filtro-orden",
    "institucion": "filtro-institucion",
    "tema": "filtro-tema",
    "pagina": "busqueda-texto",
}

FILTER_PARAMS = ("tipo", "orden", "institucion", "tema")


@public_page(tags=(SEARCH_PAGES_TAG,))
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    valid = form.is_valid()
    query_text = form.cleaned_data.get("q", "")
    context = {
        "form": form,
        "selected": {name: request.GET.get(name, "") for name in FILTER_PARAMS},
        "max_query_chars": MAX_QUERY_CHARS,
        "max_word_length": MAX_WORD_LENGTH,
        "clear_filters_querystring": urlencode({"q": query_text}),
    }
    if not valid:
        errors = [
            (ERROR_ANCHORS.get(name, "busqueda-texto"), message)
            for name, messages in form.errors.items()
            for message in messages
        ]
        context.update({"results": None, "query_text": query_text, "errors": errors})
        return render(request, "search/results.html", context, status=400)

    results = queries.search(query_text, form.to_filters(), form.page_number)
    # Links rebuild the query from what was understood: a 10,000-character query does not become 10,000-character
    # pagination links.
    kept = {name: request.GET[name] for name in FILTER_PARAMS if request.GET.get(name)}
    current = {"q": results.query.text, **kept}
    context.update(
        {
            "results": results,
            "query_text": results.query.text,
            "page": Paginator(range(results.total), results.page_size).get_page(results.page),
            "querystring": urlencode(current),
            "suggestion_querystring": urlencode({**current, "q": results.suggestion.text})
            if results.suggestion
            else "",
            "clear_filters_querystring": urlencode({"q": results.query.text}),
            "filters_active": bool(kept),
        }
    )
    response = render(request, "search/results.html", context)
    if form.page_number == 1:
        response[SEARCH_RESULTS_HEADER] = str(results.total)  # counted by the page analytics (docs/insights.md)
    return response
