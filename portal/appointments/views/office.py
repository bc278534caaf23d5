"""The clerks' pages of the queue at ``/oficina/citas/`` (docs/appointments.md, «En la oficina»).

Who: ``queue_access`` (office clerks of the office, the entity's administrators); the staff's second factor guards
``/oficina/`` (``core.middleware.STAFF_PREFIXES``). The views read the form, call one ``queue`` act and choose the
answer: success → redirect with a message; bad input → the page again with the error, 400; an act the ticket's state
no longer allows (another clerk was faster) → back to the desk with why, as an error message, 409 on the page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from portal.documents.qr import qr_data_uri

from .. import queries, queue, queue_access
from ..models import Counter, Priority, Schedule, Ticket, TicketStatus

SESSION_SERVES = "appointments_counter_serves"


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return _private(render(request, f"appointments/office/{template}", context, status=status))


def _offering_choices(schedule: Schedule) -> list[tuple[str, str]]:
    return [(str(o.pk), f"{o.letter} · {o.service.title}") for o in queue.offerings_of(schedule)]


class CheckInForm(forms.Form):
    codigo = forms.CharField(
        label=gettext_lazy("Código de la cita"),
        help_text=gettext_lazy("Las 8 letras y números del mensaje de confirmación, o lea su código QR."),
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": gettext_lazy("Escriba el código de la cita.")},
    )


class WalkInForm(forms.Form):
    tramite = forms.ChoiceField(
        label=gettext_lazy("Trámite"), error_messages={"required": gettext_lazy("Elija el trámite.")}
    )
    prioridad = forms.ChoiceField(
        label=gettext_lazy("Atención prioritaria"), choices=Priority.choices, required=False, widget=forms.RadioSelect
    )

    def __init__(self, schedule: Schedule, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tramite"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Elija un trámite")), *_offering_choices(schedule)]
        field.error_messages["invalid_choice"] = _("Elija un trámite de la lista.")
        priority = self.fields["prioridad"]
        assert isinstance(priority, forms.ChoiceField)
        priority.error_messages["invalid_choice"] = _("Elija un grupo de atención prioritaria de la lista.")


class ServesForm(forms.Form):
    tramites = forms.MultipleChoiceField(
        label=gettext_lazy("Trámites que atiende esta ventanilla"),
        help_text=gettext_lazy("«Llamar siguiente» llama solo turnos de estos trámites. Sin ninguno, de todos."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, schedule: Schedule, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tramites"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = _offering_choices(schedule)
        field.error_messages["invalid_choice"] = _("Elija trámites de la lista.")


class TransferForm(forms.Form):
    tramite = forms.ChoiceField(
        label=gettext_lazy("Transferir a otro trámite"),
        error_messages={"required": gettext_lazy("Elija el trámite al que se transfiere el turno.")},
    )

    def __init__(self, schedule: Schedule, ticket: Ticket, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tramite"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Elija un trámite"))] + [
            choice for choice in _offering_choices(schedule) if choice[0] != str(ticket.offering_id)
        ]
        field.error_messages["invalid_choice"] = _("Elija un trámite de la lista.")


# --- choosing the office and the counter ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def home(request: HttpRequest) -> HttpResponse:
    """The offices where this person works the queue; with one only, straight to it."""
    offices = list(queue_access.offices_of_clerk(request.user))
    if not offices:
        raise Http404
    if len(offices) == 1:
        return redirect("appointments_office:office", office=offices[0].pk)
    return _page(request, "home.html", {"offices": offices})


@login_required
@require_http_methods(["GET", "HEAD"])
def office(request: HttpRequest, office: int) -> HttpResponse:
    """The office's queue today: counts, the counters to work at, reception, and who waits."""
    schedule = queue_access.access_schedule(request.user, office)
    return _page(
        request,
        "office.html",
        {
            "schedule": schedule,
            "counters": queue.counters_of(schedule),
            "counts": queries.office_load(schedule, queue.local_day(schedule)),
            "waiting": queue.waiting(schedule),
            "is_manager": queue_access.check_is_manager(request.user, schedule),
        },
    )


# --- reception: check-in and walk-in tickets --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reception(request: HttpRequest, office: int) -> HttpResponse:
    """Check in an appointment by its code or QR, or give a ticket to someone without one."""
    schedule = queue_access.access_schedule(request.user, office)
    check_in_form = CheckInForm(prefix="llegada")
    walk_in_form = WalkInForm(schedule, prefix="sin-cita")
    status = 200
    if request.method == "POST":
        action = request.POST.get("accion")
        ticket: Ticket | None = None
        if action == "llegada":
            check_in_form = CheckInForm(request.POST, prefix="llegada")
            if check_in_form.is_valid():
                try:
                    ticket = queue.do_check_in(check_in_form.cleaned_data["codigo"], schedule, request.user)
                except queue.QueueError as error:
                    check_in_form.add_error("codigo", error.message)
        elif action == "sin-cita":
            walk_in_form = WalkInForm(schedule, request.POST, prefix="sin-cita")
            if walk_in_form.is_valid():
                offering = queue.offerings_of(schedule).get(pk=int(walk_in_form.cleaned_data["tramite"]))
                try:
                    ticket = queue.do_walk_in(
                        schedule, offering, walk_in_form.cleaned_data["prioridad"] or "", actor=request.user
                    )
                except queue.QueueError as error:
                    walk_in_form.add_error("prioridad", error.message)
        else:
            check_in_form = CheckInForm(prefix="llegada", data={})
            check_in_form.is_valid()
            check_in_form.errors.clear()
            check_in_form.add_error(None, _("Use uno de los dos botones del formulario."))
        if ticket is not None:
            messages.success(request, _("Turno %(number)s registrado.") % {"number": ticket.number})
            return redirect("appointments_office:ticket", office=schedule.office_id, ticket=ticket.pk)
        status = 400
    return _page(
        request,
        "reception.html",
        {"schedule": schedule, "check_in_form": check_in_form, "walk_in_form": walk_in_form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def ticket(request: HttpRequest, office: int, ticket: int) -> HttpResponse:
    """The ticket to hand over, printable: number, service, and where to follow it."""
    schedule = queue_access.access_schedule(request.user, office)
    found = queue_access.access_ticket(schedule, ticket)
    return _page(
        request,
        "ticket.html",
        {
            "schedule": schedule,
            "ticket": found,
            "follow_url": queue.ticket_url(found),
            "qr": qr_data_uri(queue.ticket_url(found)),
            "ahead": queue.people_ahead(found),
            "joined": timezone.localtime(found.joined_at, schedule.zone),
        },
    )


# --- the counter ----------------------------------------------------------------------------------------------------


def _serves(request: HttpRequest, counter: Counter) -> list[int]:
    chosen = request.session.get(SESSION_SERVES, {}).get(str(counter.pk), [])
    return [int(pk) for pk in chosen if str(pk).isdigit()]


def _desk_url(schedule: Schedule, counter: Counter) -> str:
    return reverse("appointments_office:desk", kwargs={"office": schedule.office_id, "counter": counter.pk})


def _desk_page(
    request: HttpRequest,
    schedule: Schedule,
    counter: Counter,
    *,
    serves_form: ServesForm | None = None,
    transfer_form: TransferForm | None = None,
    status: int = 200,
) -> HttpResponse:
    serves = _serves(request, counter)
    current = queue.current_at(counter)
    if serves_form is None:
        serves_form = ServesForm(schedule, initial={"tramites": [str(pk) for pk in serves]})
    if current is not None and transfer_form is None:
        transfer_form = TransferForm(schedule, current)
    return _page(
        request,
        "desk.html",
        {
            "schedule": schedule,
            "counter": counter,
            "current": current,
            "busy": current is not None and current.status in (TicketStatus.CALLED, TicketStatus.SERVING),
            "serves_form": serves_form,
            "transfer_form": transfer_form,
            "serves": [o for o in queue.offerings_of(schedule) if o.pk in serves],
            "waiting": queue.waiting(schedule, offering_ids=serves or None),
            "paused": queue.paused(schedule),
            "form": transfer_form if transfer_form is not None and transfer_form.errors else serves_form,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def desk(request: HttpRequest, office: int, counter: int) -> HttpResponse:
    """A clerk's counter: the ticket at hand and its acts, «Llamar siguiente», and who waits for these services."""
    schedule = queue_access.access_schedule(request.user, office)
    at_counter = queue_access.access_counter(schedule, counter)
    if request.method == "POST":
        form = ServesForm(schedule, request.POST)
        if not form.is_valid():
            return _desk_page(request, schedule, at_counter, serves_form=form, status=400)
        chosen = request.session.get(SESSION_SERVES, {})
        chosen[str(at_counter.pk)] = [int(pk) for pk in form.cleaned_data["tramites"]]
        request.session[SESSION_SERVES] = chosen
        messages.success(request, _("Se guardaron los trámites de esta ventanilla."))
        return redirect(_desk_url(schedule, at_counter))
    return _desk_page(request, schedule, at_counter)


@login_required
@require_POST
def call_next(request: HttpRequest, office: int, counter: int) -> HttpResponse:
    schedule = queue_access.access_schedule(request.user, office)
    at_counter = queue_access.access_counter(schedule, counter)
    serves = _serves(request, at_counter)
    offerings = [o for o in queue.offerings_of(schedule) if o.pk in serves] or None
    try:
        called = queue.do_call_next(request.user, at_counter, offerings)
    except queue.QueueError as error:
        messages.error(request, error.message)
        return redirect(_desk_url(schedule, at_counter))
    if called is None:
        messages.info(request, _("No hay turnos en espera de los trámites de esta ventanilla."))
    else:
        messages.success(
            request,
            _("Llamó al turno %(number)s a %(counter)s.") % {"number": called.number, "counter": at_counter.name},
        )
    return redirect(_desk_url(schedule, at_counter))


ACTS = {
    "llamar": gettext_lazy("Llamó al turno %(number)s."),
    "volver-a-llamar": gettext_lazy("Volvió a llamar al turno %(number)s."),
    "atender": gettext_lazy("Atiende el turno %(number)s."),
    "pausar": gettext_lazy("El turno %(number)s quedó en pausa."),
    "reanudar": gettext_lazy("Retomó el turno %(number)s."),
    "no-se-presento": gettext_lazy("El turno %(number)s quedó como «no se presentó»."),
    "terminar": gettext_lazy("Terminó el turno %(number)s."),
    "transferir": gettext_lazy("El turno se transfirió: ahora es el %(number)s. Dígaselo a la persona."),
}


@login_required
@require_POST
def act(request: HttpRequest, office: int, counter: int, ticket: int, act: str) -> HttpResponse:
    """One act on a ticket from the counter's page."""
    if act not in ACTS:
        raise Http404
    schedule = queue_access.access_schedule(request.user, office)
    at_counter = queue_access.access_counter(schedule, counter)
    found = queue_access.access_ticket(schedule, ticket)
    user = request.user
    try:
        if act == "llamar":
            done = queue.do_call(found, user, at_counter)
        elif act == "volver-a-llamar":
            done = queue.do_recall(found, user)
        elif act == "atender":
            done = queue.do_start(found, user)
        elif act == "pausar":
            done = queue.do_hold(found, user)
        elif act == "reanudar":
            done = queue.do_resume(found, user, at_counter)
        elif act == "no-se-presento":
            done = queue.do_no_show(found, user)
        elif act == "terminar":
            done = queue.do_finish(found, user)
        else:
            form = TransferForm(schedule, found, request.POST)
            if not form.is_valid():
                return _desk_page(request, schedule, at_counter, transfer_form=form, status=400)
            offering = queue.offerings_of(schedule).get(pk=int(form.cleaned_data["tramite"]))
            done = queue.do_transfer(found, offering, user)
    except queue.QueueError as error:
        messages.error(request, error.message)
        return redirect(_desk_url(schedule, at_counter))
    messages.success(request, str(ACTS[act]) % {"number": done.number})
    return redirect(_desk_url(schedule, at_counter))


# --- the manager ---------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def summary(request: HttpRequest, office: int) -> HttpResponse:
    """Today's counts and each service's median wait and service time, today and over 30 days."""
    schedule = queue_access.access_manager(request.user, office)
    return _page(
        request,
        "summary.html",
        {
            "schedule": schedule,
            "counts": queries.office_load(schedule, queue.local_day(schedule)),
            "times": queue.office_times(schedule),
            "days": queue.STATS_DAYS,
        },
    )
