"""«Consulta tu CURP»: look a record up by CURP or by personal data, and get its certificate.

Lookups are POSTs with CSRF, answered directly (no redirect): a CURP or a name in a URL would end up in server and
proxy logs, in the browser's history and in the Referer of the next request. Responses that show personal data are
``no-store``. Every lookup and every certificate counts against the client's allowance in one rate-limit scope, so
the certificate endpoint cannot serve as an unmetered lookup.
"""

from __future__ import annotations

import base64

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from portal.core.ratelimit import rate_limit, setting

from . import actions, certificate, queries
from .forms import CertificateForm, CurpForm, PersonalDataForm

BY_CURP = "curp"
BY_DATA = "datos"

_limited = rate_limit(
    "registry-lookup",
    limit=setting("REGISTRY_LOOKUP_RATE_LIMIT", 20),
    window=setting("REGISTRY_LOOKUP_RATE_WINDOW", 600),
    template="registry/rate_limited.html",
    methods=("POST",),
)


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


def _consult_page(request: HttpRequest, curp_form: CurpForm, data_form: PersonalDataForm, *, active: str, status: int):
    context = {"curp_form": curp_form, "data_form": data_form, "active": active, "services": queries.curp_services()}
    return _private(render(request, "registry/consult.html", context, status=status))


def _not_found(request: HttpRequest, *, by: str, ambiguous: bool = False) -> HttpResponse:
    context = {"by": by, "ambiguous": ambiguous, "services": queries.curp_services()}
    return _private(render(request, "registry/not_found.html", context, status=404))


def _result(request: HttpRequest, person) -> HttpResponse:
    return _private(render(request, "registry/result.html", {"person": person}))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@_limited
def consult(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _consult_page(request, CurpForm(prefix=BY_CURP), PersonalDataForm(prefix=BY_DATA), active="", status=200)
    mode = request.POST.get("modo")
    if mode == BY_CURP:
        form = CurpForm(request.POST, prefix=BY_CURP)
        if not form.is_valid():
            return _consult_page(request, form, PersonalDataForm(prefix=BY_DATA), active=BY_CURP, status=400)
        person = queries.find_by_curp(form.cleaned_data["curp"])
        return _result(request, person) if person else _not_found(request, by=BY_CURP)
    if mode == BY_DATA:
        data_form = PersonalDataForm(request.POST, prefix=BY_DATA)
        if not data_form.is_valid():
            return _consult_page(request, CurpForm(prefix=BY_CURP), data_form, active=BY_DATA, status=400)
        data = data_form.cleaned_data
        found = queries.find_by_personal_data(
            data["nombre"],
            data["primer_apellido"],
            data["segundo_apellido"],
            data["fecha"],
            data["sexo"],
            data["entidad"],
        )
        if found.person is None:
            return _not_found(request, by=BY_DATA, ambiguous=found.ambiguous)
        return _result(request, found.person)
    # A post that came from no form of ours: show both forms again.
    return _consult_page(request, CurpForm(prefix=BY_CURP), PersonalDataForm(prefix=BY_DATA), active="", status=400)


@never_cache
@require_POST
@_limited
def issue_certificate(request: HttpRequest) -> HttpResponse:
    """Issue the certificate of the record on the result page, as a PDF download or as an accessible HTML page."""
    form = CertificateForm(request.POST)
    if not form.is_valid():
        return _consult_page(request, CurpForm(prefix=BY_CURP), PersonalDataForm(prefix=BY_DATA), active="", status=400)
    person = queries.find_by_curp(form.cleaned_data["curp"])
    if person is None:
        return _not_found(request, by=BY_CURP)
    document, pdf = actions.do_issue_curp_certificate(person)
    if form.cleaned_data["formato"] == "pdf":
        response = HttpResponse(pdf, content_type="application/pdf")
        response.headers["Content-Disposition"] = 'attachment; filename="constancia-curp.pdf"'
        return _private(response)
    pdf_link = {
        "pdf_data_uri": "data:application/pdf;base64," + base64.b64encode(pdf).decode("ascii"),
        "pdf_kilobytes": max(1, round(len(pdf) / 1024)),
    }
    context = certificate.certificate_context(person, document) | pdf_link
    return _private(render(request, "registry/certificate.html", context))
