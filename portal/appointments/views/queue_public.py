"""The queue's public pages under ``/citas/``: the kiosk, the waiting-room display and the ticket a person follows on
their phone (docs/appointments.md, «En la oficina»). No sign-in: they show numbers, services and counters, never a name.

Without JavaScript the display and the ticket refresh themselves (``<meta http-equiv="refresh">`` inside
``<noscript>``, so that with JavaScript nothing reloads); with it, ``frontend/js/portal.mjs`` polls the small JSON
endpoints and keeps polling after a network drop, backing off.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from portal.core import ratelimit
from portal.documents.qr import qr_data_uri

from .. import queue, queue_access
from ..models import Priority, Schedule, Ticket, TicketStatus
from .office import CheckInForm

DISPLAY_REFRESH_SECONDS = 15
TICKET_REFRESH_SECONDS = 30
KIOSK_SCOPE = "appointments-kiosk"


def _no_store(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, no_store=True)
    return response


def _limited(request: HttpRequest) -> HttpResponse | None:
    """Tickets and SMS are free for a person and cost the office: a client (the kiosk's own address, which serves
    a whole waiting room, or a script) gets ``APPOINTMENTS_KIOSK_LIMIT`` posts per window."""
    limit = ratelimit.setting("APPOINTMENTS_KIOSK_LIMIT", 60)()
    window = ratelimit.setting("APPOINTMENTS_KIOSK_WINDOW_SECONDS", 10 * 60)()
    result = ratelimit.check_rate_limit(request, KIOSK_SCOPE, limit, window)
    if result.allowed:
        return None
    return ratelimit.too_many_requests(request, result, "appointments/queue/too_many.html")


class KioskWalkInForm(forms.Form):
    tramite = forms.ChoiceField(
        label=gettext_lazy("¿A qué trámite viene?"),
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Elija el trámite al que viene.")},
    )
    prioridad = forms.ChoiceField(
        label=gettext_lazy("¿Tiene derecho a atención prioritaria?"),
        choices=Priority.choices,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, schedule: Schedule, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tramite"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(o.pk), o.service.title) for o in queue.offerings_of(schedule)]
        field.error_messages["invalid_choice"] = _("Elija un trámite de la lista.")
        priority = self.fields["prioridad"]
        assert isinstance(priority, forms.ChoiceField)
        priority.error_messages["invalid_choice"] = _("Elija una opción de la lista.")


class PhoneForm(forms.Form):
    celular = forms.CharField(
        label=gettext_lazy("Número de celular"),
        help_text=gettext_lazy("10 dígitos. Le enviaremos un solo SMS; el número se borra al terminar su turno."),
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "spellcheck": "false"}),
        error_messages={"required": gettext_lazy("Escriba su número de celular.")},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def kiosk(request: HttpRequest, office: int) -> HttpResponse:
    """The self-service kiosk: check in with the appointment's code, or take a ticket without one."""
    schedule = queue_access.public_schedule(office)
    check_in_form = CheckInForm(prefix="llegada")
    walk_in_form = KioskWalkInForm(schedule, prefix="sin-cita")
    status = 200
    if request.method == "POST":
        limited = _limited(request)
        if limited is not None:
            return limited
        ticket: Ticket | None = None
        action = request.POST.get("accion")
        if action == "llegada":
            check_in_form = CheckInForm(request.POST, prefix="llegada")
            if check_in_form.is_valid():
                try:
                    ticket = queue.do_check_in(check_in_form.cleaned_data["codigo"], schedule)
                except queue.QueueError as error:
                    check_in_form.add_error("codigo", error.message)
        elif action == "sin-cita":
            walk_in_form = KioskWalkInForm(schedule, request.POST, prefix="sin-cita")
            if walk_in_form.is_valid():
                offering = queue.offerings_of(schedule).get(pk=int(walk_in_form.cleaned_data["tramite"]))
                ticket = queue.do_walk_in(schedule, offering, walk_in_form.cleaned_data["prioridad"] or "")
        else:
            check_in_form = CheckInForm(prefix="llegada", data={})
            check_in_form.is_valid()
            check_in_form.errors.clear()
            check_in_form.add_error(None, _("Use uno de los dos botones del formulario."))
        if ticket is not None:
            return redirect("appointments_queue:kiosk_ticket", office=schedule.office_id, code=ticket.code)
        status = 400
    return _no_store(
        render(
            request,
            "appointments/queue/kiosk.html",
            {
                "schedule": schedule,
                "office": schedule.office,
                "check_in_form": check_in_form,
                "walk_in_form": walk_in_form,
                "form": walk_in_form if walk_in_form.errors else check_in_form,
            },
            status=status,
        )
    )


def _ticket_or_404(code: str) -> Ticket:
    ticket = queue.ticket_by_code(code)
    if ticket is None:
        raise Http404
    return ticket


@require_http_methods(["GET", "HEAD"])
def kiosk_ticket(request: HttpRequest, office: int, code: str) -> HttpResponse:
    """The ticket just issued at the kiosk: its number, and the address to follow it on a phone."""
    schedule = queue_access.public_schedule(office)
    ticket = _ticket_or_404(code)
    if ticket.schedule_id != schedule.pk:
        raise Http404
    return _no_store(
        render(
            request,
            "appointments/queue/kiosk_ticket.html",
            {
                "schedule": schedule,
                "office": schedule.office,
                "ticket": ticket,
                "follow_url": queue.ticket_url(ticket),
                "qr": qr_data_uri(queue.ticket_url(ticket)),
                "ahead": queue.people_ahead(ticket),
            },
        )
    )


@require_http_methods(["GET", "HEAD"])
def display(request: HttpRequest, office: int) -> HttpResponse:
    """The waiting room's screen: the numbers called and their counters, the latest first."""
    schedule = queue_access.public_schedule(office)
    calls = queue.called_for_display(schedule)
    return _no_store(
        render(
            request,
            "appointments/queue/display.html",
            {
                "schedule": schedule,
                "office": schedule.office,
                "latest": calls[0] if calls else None,
                "calls": calls[1:],
                "state": queue.display_state(schedule),
                "refresh": DISPLAY_REFRESH_SECONDS,
            },
        )
    )


@require_http_methods(["GET", "HEAD"])
def display_state(request: HttpRequest, office: int) -> JsonResponse:
    """What the display's script polls: numbers and counters only."""
    schedule = queue_access.public_schedule(office)
    response = JsonResponse(queue.display_state(schedule))
    patch_cache_control(response, no_store=True)
    return response


@require_http_methods(["GET", "HEAD"])
def ticket(request: HttpRequest, code: str) -> HttpResponse:
    """A ticket as its holder follows it: position, called or not, which counter. ``?actualizar=no`` stops the
    refreshing (WCAG 2.2.1: a person may turn off a time limit)."""
    found = _ticket_or_404(code)
    refresh = request.GET.get("actualizar") != "no" and found.status in TicketStatus.open()
    return _no_store(
        render(
            request,
            "appointments/queue/ticket.html",
            {
                "ticket": found,
                "state": queue.ticket_state(found),
                "refresh": TICKET_REFRESH_SECONDS if refresh else 0,
                "office": found.schedule.office,
            },
        )
    )


@require_http_methods(["GET", "HEAD"])
def ticket_state(request: HttpRequest, code: str) -> JsonResponse:
    response = JsonResponse(queue.ticket_state(_ticket_or_404(code)))
    patch_cache_control(response, no_store=True)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def ticket_phone(request: HttpRequest, code: str) -> HttpResponse:
    """Leave a mobile for one SMS when the ticket is next."""
    found = _ticket_or_404(code)
    form = PhoneForm()
    status = 200
    if request.method == "POST":
        limited = _limited(request)
        if limited is not None:
            return limited
        form = PhoneForm(request.POST)
        if form.is_valid():
            try:
                queue.do_set_phone(found, form.cleaned_data["celular"])
            except queue.QueueError as error:
                form.add_error("celular", error.message)
            else:
                return redirect(f"{reverse('appointments_queue:ticket', args=[found.code])}?aviso=1")
        status = 400
    return _no_store(
        render(
            request,
            "appointments/queue/ticket_phone.html",
            {
                "ticket": found,
                "office": found.schedule.office,
                "form": form,
                "waiting": found.status == TicketStatus.WAITING,
            },
            status=status,
        )
    )
