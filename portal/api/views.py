"""The open-data page (/datos/) and its downloads (/datos/<conjunto>.<formato>)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse

from portal.core.cache import public_page

from . import exports, freshness
from .http import open_data_view, seed_etag, set_last_modified
from .records import Addresses

FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.csv_chunks),
    "json": ("application/json; charset=utf-8", exports.json_chunks),
}
LICENCE_URL = "https://datos.gob.mx/libreusomx"


@public_page
def index(request: HttpRequest) -> HttpResponse:
    context = {
        "datasets": exports.DATASETS.values(),
        "licence_url": LICENCE_URL,
        "api_docs_url": reverse("api:openapi-view"),
        "api_root_url": reverse("api:index"),
        "openapi_url": reverse("api:openapi-json"),
    }
    return render(request, "api/datos.html", context)


@open_data_view
def download(request: HttpRequest, dataset: str, fmt: str) -> StreamingHttpResponse:
    """Stream one dataset. Its validators come from the data, so a 304 is decided before any row is read."""
    content_type, chunks = FORMATS[fmt]
    definition = exports.DATASETS[dataset]
    seed, changed_at = freshness.dataset_state(dataset)
    addresses = Addresses(request)
    response = StreamingHttpResponse(chunks(definition, addresses), content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{dataset}.{fmt}"'
    response.headers["ETag"] = seed_etag(freshness.EXPORT_VERSION, dataset, fmt, request.build_absolute_uri("/"), *seed)
    set_last_modified(response, changed_at)
    return response
