"""``/prensa/``: the news of every entity in one place, filtered by entity, topic and dates."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal.core.cache import public_page

from . import queries
from .forms import PressFilterForm
from .page_cache import NEWS_TAG

NEWS_PER_PAGE = 20


@public_page(tags=(NEWS_TAG,))
def press_index(request: HttpRequest) -> HttpResponse:
    filters = request.GET.copy()
    filters.pop("pagina", None)
    form = PressFilterForm(filters or None)
    if form.is_bound and not form.is_valid():
        invalid: dict[str, Any] = {"form": form, "news_page": None, "querystring": ""}
        return render(request, "agency_sites/press_index.html", invalid, status=400)
    data = form.cleaned_data if form.is_bound else {}
    news = queries.press_news(
        agency=data.get("institucion"), topic=data.get("tema"), start=data.get("desde"), end=data.get("hasta")
    )
    context: dict[str, Any] = {
        "form": form,
        "news_page": Paginator(news, NEWS_PER_PAGE).get_page(request.GET.get("pagina")),
        "querystring": filters.urlencode(),
    }
    queries.with_publishers(context["news_page"].object_list)
    return render(request, "agency_sites/press_index.html", context)
