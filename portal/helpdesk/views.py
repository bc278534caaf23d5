"""The help desk's pages: «Ayuda y contacto» at /ayuda/, its status page, and the staff's triage at /oficina/ayuda/.

The views read the form, call one ``actions.do_*`` and choose the answer: success → redirect (POST/redirect/GET)
with a message; bad input → the same page with the error summary, 400; an act the ticket's state does not allow →
the page again with the message, 409. Every page is private (no shared cache): they show a person's question.
"""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.core.ratelimit import rate_limit, setting

from . import access, actions, queries
from .forms import AnswerForm, AskForm, LookupForm, QueueFilterForm, ReplyForm, RerouteForm, StatusForm
from .models import Ticket

_Response = TypeVar("_Response", bound=HttpResponseBase)
QUEUE_PAGE_SIZE = 50
SENT_KEY = "helpdesk_sent"

_ask_limited = rate_limit(
    "helpdesk-ask",
    limit=setting("HELPDESK_RATE_LIMIT", 5),
    window=setting("HELPDESK_RATE_WINDOW", 3600),
    template="helpdesk/rate_limited.html",
    methods=("POST",),
)
_lookup_limited = rate_limit(
    "helpdesk-lookup",
    limit=setting("HELPDESK_LOOKUP_RATE_LIMIT", 10),
    window=setting("HELPDESK_LOOKUP_RATE_WINDOW", 600),
    template="helpdesk/rate_limited.html",
    methods=("POST",),
)


def _private(response: _Response) -> _Response:
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- The person -----------------------------------------------------------------------------------------------------


def _ask_page(request: HttpRequest, form: AskForm, status: int = 200) -> HttpResponse:
    context = {"form": form, "retention_days": settings.HELPDESK_RETENTION_DAYS}
    return _private(render(request, "helpdesk/ask.html", context, status=status))


@require_http_methods(["GET", "HEAD", "POST"])
@_ask_limited
def ask(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        initial: dict[str, Any] = {}
        service = queries.service_by_homoclave(request.GET.get("tramite", ""))
        if service is not None:
            initial["tramite"] = f"{service.homoclave}"
        if request.user.is_authenticated:
            initial["correo"] = request.user.email
            initial["nombre"] = request.user.get_full_name()
        return _ask_page(request, AskForm(initial=initial))
    form = AskForm(request.POST)
    if not form.is_valid():
        return _ask_page(request, form, status=400)
    data = form.cleaned_data
    try:
        ticket = actions.do_open_ticket(
            question=data["pregunta"],
            email=data["correo"],
            name=data["nombre"],
            service=form.service,
            agency=data["institucion"],
            user=request.user,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _ask_page(request, form, status=400)
    access.grant_person(request, ticket)
    request.session[SENT_KEY] = ticket.folio
    return redirect("helpdesk:ticket", folio=ticket.folio)


@require_http_methods(["GET", "HEAD", "POST"])
@_lookup_limited
def lookup(request: HttpRequest) -> HttpResponse:
    template = "helpdesk/lookup.html"
    if request.method != "POST":
        form = LookupForm(initial={"folio": request.GET.get("folio", "")[:40]})
        return _private(render(request, template, {"form": form}))
    form = LookupForm(request.POST)
    if not form.is_valid():
        return _private(render(request, template, {"form": form}, status=400))
    ticket = queries.ticket_for_person(form.cleaned_data["folio"], form.cleaned_data["correo"])
    if ticket is None:
        # The same answer for an unknown folio and a wrong e-mail: the page tells nobody which folios exist.
        return _private(render(request, template, {"form": form, "not_found": True}, status=404))
    access.grant_person(request, ticket)
    return redirect("helpdesk:ticket", folio=ticket.folio)


def _person_page(
    request: HttpRequest, ticket: Ticket, form: ReplyForm | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "ticket": ticket,
        "responsible": actions.responsible_name(ticket),
        "topic": actions.topic_of(ticket),
        "conversation": queries.conversation(ticket),
        "form": form or ReplyForm(),
        "just_sent": request.session.pop(SENT_KEY, "") == ticket.folio,
    }
    return _private(render(request, "helpdesk/ticket.html", context, status=status))


@require_http_methods(["GET", "HEAD"])
def ticket(request: HttpRequest, folio: str) -> HttpResponse:
    return _person_page(request, access.access_person_ticket(request, folio))


@require_POST
def reply(request: HttpRequest, folio: str) -> HttpResponse:
    ticket = access.access_person_ticket(request, folio)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _person_page(request, ticket, form, status=400)
    try:
        actions.do_reply(ticket, form.cleaned_data["respuesta"])
    except actions.TicketRefused as error:
        form.add_error(None, error)
        return _person_page(request, ticket, form, status=409)
    messages.success(request, _("Enviamos su respuesta. Le avisaremos por correo cuando le contesten."))
    return redirect("helpdesk:ticket", folio=ticket.folio)


# --- Staff ----------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def office_queue(request: HttpRequest) -> HttpResponse:
    scope = access.access_queue(request.user)
    form = QueueFilterForm(request.GET or None)
    status = ""
    code = 200
    if form.is_bound:
        if form.is_valid():
            status = form.cleaned_data["estado"]
        else:
            code = 400
    tickets = queries.queue(scope, status)
    page = Paginator(tickets, QUEUE_PAGE_SIZE).get_page(request.GET.get("pagina"))
    figures = [(agency.name, queries.recent_counts(agency.pk)) for agency in scope.agencies]
    if scope.portal_team:
        figures.append((_("Todo el portal"), queries.recent_counts(None)))
    context = {
        "form": form,
        "page": page,
        "tickets": page.object_list,
        "status": status,
        "querystring": urlencode({"estado": status}) if status else "",
        "counts": queries.status_counts(queries.queue(scope)),
        "figures": figures,
        "scope": scope,
    }
    return _private(render(request, "helpdesk/office_queue.html", context, status=code))


def _office_page(
    request: HttpRequest,
    ticket: Ticket,
    *,
    answer_form: AnswerForm | None = None,
    status_form: StatusForm | None = None,
    reroute_form: RerouteForm | None = None,
    code: int = 200,
) -> HttpResponse:
    context = {
        "ticket": ticket,
        "responsible": actions.responsible_name(ticket),
        "topic": actions.topic_of(ticket),
        "history": queries.history(ticket),
        "answer_form": answer_form or AnswerForm(),
        "status_form": status_form or StatusForm(initial={"estado": ticket.status}),
        "reroute_form": reroute_form or RerouteForm(),
        "assigned_to_me": ticket.assigned_to_id == request.user.pk,
    }
    return _private(render(request, "helpdesk/office_ticket.html", context, status=code))


@login_required
@require_http_methods(["GET", "HEAD"])
def office_ticket(request: HttpRequest, folio: str) -> HttpResponse:
    return _office_page(request, access.access_ticket(request.user, folio))


@login_required
@require_POST
def office_answer(request: HttpRequest, folio: str) -> HttpResponse:
    ticket = access.access_ticket(request.user, folio)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _office_page(request, ticket, answer_form=form, code=400)
    try:
        actions.do_answer(ticket, request.user, form.cleaned_data["respuesta"], status=form.cleaned_data["queda"])
    except actions.TicketRefused as error:
        form.add_error(None, error)
        return _office_page(request, ticket, answer_form=form, code=409)
    messages.success(request, _("Se envió la respuesta por correo a la persona."))
    return redirect("helpdesk_office:ticket", folio=ticket.folio)


@login_required
@require_POST
def office_take(request: HttpRequest, folio: str) -> HttpResponse:
    ticket = access.access_ticket(request.user, folio)
    try:
        actions.do_assign_to_me(ticket, request.user)
    except actions.TicketRefused as error:
        messages.error(request, error.messages[0])
        return _office_page(request, ticket, code=409)
    messages.success(request, _("La pregunta %(folio)s quedó asignada a usted.") % {"folio": ticket.folio})
    return redirect("helpdesk_office:ticket", folio=ticket.folio)


@login_required
@require_POST
def office_status(request: HttpRequest, folio: str) -> HttpResponse:
    ticket = access.access_ticket(request.user, folio)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _office_page(request, ticket, status_form=form, code=400)
    try:
        changed = actions.do_change_status(ticket, request.user, form.cleaned_data["estado"])
    except actions.TicketRefused as error:
        form.add_error(None, error)
        return _office_page(request, ticket, status_form=form, code=409)
    messages.success(request, _("La pregunta quedó en estado «%(status)s».") % {"status": changed.get_status_display()})
    return redirect("helpdesk_office:ticket", folio=ticket.folio)


@login_required
@require_POST
def office_reroute(request: HttpRequest, folio: str) -> HttpResponse:
    ticket = access.access_ticket(request.user, folio)
    form = RerouteForm(request.POST)
    if not form.is_valid():
        return _office_page(request, ticket, reroute_form=form, code=400)
    try:
        moved = actions.do_reroute(ticket, request.user, form.target(), form.cleaned_data["motivo"])
    except actions.TicketRefused as error:
        form.add_error(None, error)
        return _office_page(request, ticket, reroute_form=form, code=409)
    messages.success(
        request,
        _("La pregunta %(folio)s se turnó a %(to)s.") % {"folio": moved.folio, "to": actions.responsible_name(moved)},
    )
    return redirect("helpdesk_office:queue")
