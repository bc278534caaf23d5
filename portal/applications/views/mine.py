"""«Mis solicitudes» in Mi expediente: drafts to continue, cases with their timeline, answers, files, the acuse and
the resolution. Signed-in only, the person's own applications only (``access_own_application``), never cached.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods

from portal.core.folio import validate_folio

from .. import acknowledgment, resolution
from ..access import access_own_application
from ..queries import citizen as queries
from ..queries.citizen import answer_sections


def _private(response: HttpResponseBase) -> HttpResponseBase:
    patch_cache_control(response, private=True, no_store=True)
    return response


def _own_case(request: HttpRequest, folio: str):
    try:
        folio = validate_folio(folio)
    except ValidationError:
        raise Http404 from None
    return access_own_application(request.user, folio)


@login_required
@require_http_methods(["GET", "HEAD"])
def application_list(request: HttpRequest) -> HttpResponseBase:
    context = {"drafts": queries.drafts_of(request.user), "cases": queries.cases_of(request.user)}
    return _private(render(request, "applications/mine/list.html", context))


@login_required
@require_http_methods(["GET", "HEAD"])
def application_detail(request: HttpRequest, folio: str) -> HttpResponseBase:
    application = _own_case(request, folio)
    context = {
        "application": application,
        "service": application.service,
        "entries": queries.citizen_timeline(application),
        "sections": answer_sections(application),
        "information_request": queries.open_information_request(application),
        "has_resolution": application.resolution_document_id is not None,
        "payments": queries.case_payments(application),
        "just_submitted": request.GET.get("enviada") == "1",
    }
    return _private(render(request, "applications/mine/detail.html", context))


@login_required
@require_http_methods(["GET", "HEAD"])
def acknowledgment_page(request: HttpRequest, folio: str) -> HttpResponseBase:
    """The acuse as an accessible page (also the page shown right after submitting); works before the PDF exists."""
    application = _own_case(request, folio)
    if application.due_date is None:
        # Waiting for its fee: the agency has not received it yet, so there is no acuse (docs/payments.md).
        return HttpResponseRedirect(reverse("applications_mine:detail", args=[application.folio]))
    context = acknowledgment.acknowledgment_context(application, application.acknowledgment_document)
    context["just_submitted"] = request.GET.get("enviada") == "1"
    return _private(render(request, "applications/mine/acknowledgment.html", context))


@login_required
@require_http_methods(["GET", "HEAD"])
def acknowledgment_pdf(request: HttpRequest, folio: str) -> HttpResponseBase:
    application = _own_case(request, folio)
    return _private(acknowledgment.pdf_response(application))


@login_required
@require_http_methods(["GET", "HEAD"])
def resolution_pdf(request: HttpRequest, folio: str) -> HttpResponseBase:
    application = _own_case(request, folio)
    return _private(resolution.resolution_pdf_response(application))
