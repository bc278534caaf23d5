"""Public verification of issued documents: anyone holding a code can see whether the document is authentic."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.core.ratelimit import rate_limit, setting

from . import actions, queries
from .codes import format_code
from .forms import CodeForm, FileCheckForm

_limited = rate_limit(
    "documents-verify",
    limit=setting("DOCUMENTS_VERIFY_RATE_LIMIT", 60),
    window=setting("DOCUMENTS_VERIFY_RATE_WINDOW", 600),
    template="documents/rate_limited.html",
)


@never_cache
@require_http_methods(["GET", "HEAD"])
def start(request: HttpRequest) -> HttpResponse:
    """Where a person types the code printed on a document."""
    if "codigo" not in request.GET:
        return render(request, "documents/start.html", {"form": CodeForm()})
    form = CodeForm(request.GET)
    if form.is_valid():
        return redirect("documents:verify", format_code(form.cleaned_data["codigo"]))
    return render(request, "documents/start.html", {"form": form}, status=400)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@_limited
def verify(request: HttpRequest, code: str) -> HttpResponse:
    document = queries.get_document(code)
    if document is None:
        return render(request, "documents/not_found.html", {"code": code[:80], "form": CodeForm()}, status=404)
    form = FileCheckForm()
    matches = None
    status = 200
    if request.method == "POST":
        form = FileCheckForm(request.POST, request.FILES)
        if form.is_valid():
            matches = actions.check_file_matches(document, form.cleaned_data["archivo"].chunks())
        else:
            status = 400
    context = {"document": document, "form": form, "matches": matches}
    return render(request, "documents/verify.html", context, status=status)
