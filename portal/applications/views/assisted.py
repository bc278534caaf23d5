"""«Atención asistida» at /oficina/asistida/: a clerk finds the person, records their consent, and fills in their
online application through the citizens' own pages (docs/assisted-service.md).

The clerk's browser carries two things in its (second-factor) session: the person found (``asistida_persona``, with
the office) between the search and the consent, and the open session (``asistida``) while the application is filled.
The apply views ask ``assisted_session(request)`` and, with one, act for its person on its service's draft only.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.online_forms import queries as form_queries

from .. import acknowledgment
from ..actions import assisted
from ..assisted_forms import ConsentForm, FindPersonForm, ServiceSearchForm
from ..models import Application, AssistedSession

FOUND_KEY = "asistida_persona"
SESSION_KEY = "asistida"


def _private(response: HttpResponseBase) -> HttpResponseBase:
    patch_cache_control(response, private=True, no_store=True)
    return response


def _clerk(request: HttpRequest) -> None:
    if not assisted.check_is_clerk(request.user):
        raise Http404


def assisted_session(request: HttpRequest) -> AssistedSession | None:
    """The clerk's open assisted session in this browser, or None."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or SESSION_KEY not in request.session:
        return None
    session = assisted.active_session(user, request.session.get(SESSION_KEY))
    if session is None:
        request.session.pop(SESSION_KEY, None)
    return session


def _found(request: HttpRequest) -> tuple[Any, Any] | None:
    """The person the clerk found and the office, from the search step; None if there is none (or it went stale)."""
    data = request.session.get(FOUND_KEY) or {}
    try:
        office = assisted.check_clerk_office(request.user, int(data.get("office", 0)))
    except (assisted.AssistRefused, TypeError, ValueError):
        return None
    citizen = get_user_model().objects.filter(pk=int(data.get("citizen") or 0), is_active=True).first()
    return (citizen, office) if citizen is not None else None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def find_person(request: HttpRequest) -> HttpResponseBase:
    """Step 1: the office, and the person's account by a verified contact or a confirmed CURP."""
    _clerk(request)
    current = assisted_session(request)
    form = FindPersonForm(request.POST or None, clerk=request.user, office_id=request.GET.get("oficina"))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            kind, value = form.cleaned_data["lookup"]
            citizen = assisted.find_citizen(kind, value)
            if citizen is not None and citizen.pk != request.user.pk:
                request.session[FOUND_KEY] = {"citizen": citizen.pk, "office": form.cleaned_data["office"].pk}
                return HttpResponseRedirect(reverse("applications_assisted:service"))
            form.add_error(
                "lookup",
                _(
                    "No hay una cuenta con ese dato verificado. La persona puede crear su cuenta aquí mismo, con su "
                    "correo o celular, o usted puede confirmar su CURP en «Atención presencial»."
                ),
            )
        status = 400
    return _private(
        render(request, "applications/assisted/find.html", {"form": form, "current": current}, status=status)
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def choose_service(request: HttpRequest) -> HttpResponseBase:
    """Step 2: the person's drafts in progress, and a search among the services that take online applications."""
    _clerk(request)
    found = _found(request)
    if found is None:
        return HttpResponseRedirect(reverse("applications_assisted:find"))
    citizen, office = found
    search = ServiceSearchForm(request.GET or None)
    text = search.cleaned_data.get("q", "") if search.is_valid() else ""
    context = {
        "person": assisted.citizen_label(citizen),
        "office": office,
        "drafts": assisted.open_drafts(citizen),
        "search": search,
        "searched": bool(text),
        "services": form_queries.services_with_open_forms(text) if text else [],
    }
    return _private(render(request, "applications/assisted/service.html", context))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def consent(request: HttpRequest, service_id: int) -> HttpResponseBase:
    """Step 3: the consent text, read to the person; agreeing opens the session and the draft."""
    _clerk(request)
    found = _found(request)
    if found is None:
        return HttpResponseRedirect(reverse("applications_assisted:find"))
    citizen, office = found
    service = next(iter(form_queries.services_by_ids([service_id])), None)
    if service is None:
        raise Http404
    text = assisted.consent_text(office_name=office.name, service_title=service.title, agency_name=service.agency.name)
    form = ConsentForm(request.POST or None, initial={"consent_text": text})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                session = assisted.do_start_assisted(
                    request.user,
                    office_id=office.pk,
                    citizen=citizen,
                    service=service,
                    shown_consent=form.cleaned_data["consent_text"],
                )
            except assisted.AssistRefused as refused:
                form.add_error(None, refused.message)
                status = 409 if refused.code == "consent_changed" else 403
            else:
                request.session[SESSION_KEY] = session.pk
                request.session.pop(FOUND_KEY, None)
                assert session.application is not None
                return HttpResponseRedirect(
                    reverse("applications_apply:resume", args=[service.homoclave, session.application.public_id])
                )
        else:
            status = 400
    context = {
        "person": assisted.citizen_label(citizen),
        "office": office,
        "service": service,
        "consent_text": text,
        "form": form,
    }
    return _private(render(request, "applications/assisted/consent.html", context, status=status))


@login_required
@require_POST
def end(request: HttpRequest) -> HttpResponseBase:
    """«Terminar la atención»: the clerk's browser no longer reaches the person's application."""
    session = assisted_session(request)
    if session is not None:
        assisted.do_end_assisted(session)
    request.session.pop(SESSION_KEY, None)
    request.session.pop(FOUND_KEY, None)
    return HttpResponseRedirect(reverse("applications_assisted:find") + "?terminada=1")


def _sent_case(request: HttpRequest, folio: str) -> Application:
    application = assisted.submitted_by_clerk(request.user, folio)
    if application is None:
        raise Http404
    return application


@login_required
@require_http_methods(["GET", "HEAD"])
def sent(request: HttpRequest, folio: str) -> HttpResponseBase:
    """After sending: the folio, the acuse to print, and what the person should know."""
    _clerk(request)
    application = _sent_case(request, folio)
    context = {"application": application, "current": assisted_session(request)}
    return _private(render(request, "applications/assisted/sent.html", context))


@login_required
@require_http_methods(["GET", "HEAD"])
def acknowledgment_pdf(request: HttpRequest, folio: str) -> HttpResponseBase:
    """The acuse, to print at the counter and hand over."""
    _clerk(request)
    return _private(acknowledgment.pdf_response(_sent_case(request, folio), as_attachment=False))


def sent_url(application: Application) -> str:
    return reverse("applications_assisted:sent", args=[application.folio])


def assisted_context(session: AssistedSession | None) -> dict[str, Any]:
    if session is None:
        return {}
    return {"assisted": session, "assisted_person": assisted.citizen_label(session.citizen)}
