"""The citizen's pages of appointments under /citas/ (docs/appointments.md, «Citas: para la ciudadanía»).

Thin, as the house's views are: ``booking`` reads what the pages list, ``actions`` books, cancels, moves and accepts,
``access`` says whose appointment it is. Choosing a service, an office and a time needs no account; confirming does
(the appointment is booked under the account's confirmed CURP). Every appointment page exists twice: under
/citas/mias/ for the signed-in account, and under the link of the messages (/citas/<code>/<token>/), where the token
is the authority and no sign-in is asked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.core.ratelimit import hit, setting, too_many_requests
from portal.core.requests import AuthenticatedHttpRequest

from .. import access, actions, booking, files, queries
from ..forms_citizen import OfficeFilterForm, ServiceSearchForm, SlotForm
from ..models import Appointment, Offering

book_limit = setting("APPOINTMENTS_BOOK_RATE_LIMIT", 20)
book_window = setting("APPOINTMENTS_BOOK_RATE_WINDOW", 3600)


def _limited(request: HttpRequest, identity: str) -> HttpResponse | None:
    """A 429 page when this account (or this appointment's link) has tried too many bookings lately: a person books
    a few times a year; a bot hoarding scarce places tries all day."""
    result = hit("appointments-book", identity, book_limit(), book_window())
    if result.allowed:
        return None
    return too_many_requests(request, result, "appointments/limited.html")


def _week_param(request: HttpRequest) -> int | None:
    raw = request.GET.get("semana", "")
    return int(raw) if raw.isdigit() and len(raw) < 4 else None


def _unknown_service(request: HttpRequest) -> HttpResponse:
    context = {"form": ServiceSearchForm(), "services": booking.bookable_services(), "unknown_service": True}
    return render(request, "appointments/choose_service.html", context, status=404)


# --- 1. The service --------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def choose_service(request: HttpRequest) -> HttpResponse:
    """The services one can book, with a search box that filters the list (a GET form: no JavaScript needed)."""
    tramite = request.GET.get("tramite", "")
    if tramite:
        if tramite.isdigit() and booking.bookable_service(int(tramite)) is not None:
            return HttpResponseRedirect(reverse("appointments:office", args=[int(tramite)]))
        return _unknown_service(request)
    form = ServiceSearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "services": booking.bookable_services(search), "search": search}
    return render(request, "appointments/choose_service.html", context, status=status)


# --- 2. The office ---------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def choose_office(request: HttpRequest, service_id: int) -> HttpResponse:
    """The offices of the service, each with its first free time; narrowed by state, municipality or postal code."""
    service = booking.bookable_service(service_id)
    if service is None:
        # A sheet kept in the page cache may still show «Agendar cita» for a moment after its last office stops.
        return _unknown_service(request)
    states, municipalities = booking.areas_of_service(service_id)
    form = OfficeFilterForm(request.GET or None, states=states, municipalities=municipalities)
    status = 200
    choices: list[booking.OfficeChoice] = []
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        data = form.cleaned_data if form.is_bound else {}
        try:
            choices = booking.office_choices(
                service_id,
                state=data.get("estado", ""),
                municipality=data.get("municipio", ""),
                postal_code=data.get("cp", ""),
            )
        except booking.UnknownPostalCode:
            form.add_error("cp", _("No encontramos el código postal %(cp)s. Revíselo.") % {"cp": data.get("cp")})
            status = 400
    context = {
        "service": service,
        "form": form,
        "choices": choices,
        "filtered": form.is_bound and status == 200 and any(form.cleaned_data.values()),
        "by_postal_code": form.is_bound and status == 200 and bool(form.cleaned_data.get("cp")),
    }
    return render(request, "appointments/choose_office.html", context, status=status)


# --- 3. The day and time -----------------------------------------------------------------------------------------


def _time_page(
    request: HttpRequest,
    offering: Offering,
    *,
    form: SlotForm | None = None,
    week: int | None = None,
    status: int = 200,
    error: str = "",
    appointment: Appointment | None = None,
    links: dict[str, str] | None = None,
) -> HttpResponse:
    """The calendar of one office's service: a week of free times as radio buttons grouped by day. For a new booking
    it sends the choice to the confirmation (GET); for a move, it posts it to the appointment's «cambiar» page."""
    calendar = booking.week_of_free_times(offering, week, exclude=appointment.slot_id if appointment else None)
    context = {
        "offering": offering,
        "office": offering.schedule.office,
        "service": offering.service,
        "zone": offering.schedule.zone,
        "week": calendar,
        "form": form or SlotForm(offering=offering),
        "error": error,
        "appointment": appointment,
        "links": links or {},
        "base_url": links["reschedule"] if links else reverse("appointments:time", args=[offering.pk]),
        "waitlist_position": None,
    }
    if offering.scarce and not calendar.any_free and request.user.is_authenticated:
        entry = queries.waitlist_of(request.user).filter(offering=offering).first()
        context["waitlist_position"] = queries.waitlist_position(entry) if entry else None
    return render(request, "appointments/choose_time.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
def choose_time(request: HttpRequest, offering_id: int) -> HttpResponse:
    offering = booking.bookable_offering(offering_id)
    if offering is None:
        raise Http404
    return _time_page(request, offering, week=_week_param(request))


@login_required
@require_POST
def join_waitlist(request: AuthenticatedHttpRequest, offering_id: int) -> HttpResponse:
    """A scarce offering with no free time: the person waits in line for a freed place instead of refreshing."""
    offering = booking.bookable_offering(offering_id)
    if offering is None:
        raise Http404
    limited = _limited(request, f"user:{request.user.pk}")
    if limited is not None:
        return limited
    try:
        entry = actions.do_join_waitlist(offering.pk, request.user)
    except actions.BookingError as refused:
        return _time_page(request, offering, status=403 if refused.code == "no_curp" else 409, error=refused.message)
    messages.success(
        request,
        _("Está en la lista de espera. Su lugar: %(position)s. Le avisaremos cuando se libere un horario.")
        % {"position": queries.waitlist_position(entry)},
    )
    return HttpResponseRedirect(reverse("appointments:mine"))


# --- 4. Confirming -------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What the person is about to book, and the button that books it under their CURP."""
    form = SlotForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid() or form.slot is None:
        return render(request, "appointments/confirm.html", {"form": form}, status=400)
    slot = form.slot
    offering = slot.offering
    try:
        person = actions.person_for(request.user)
    except actions.BookingError as refused:
        context = {"form": form, "slot": slot, "offering": offering, "needs_curp": refused.message}
        return render(request, "appointments/confirm.html", context, status=403 if request.method == "POST" else 200)
    if request.method != "POST":
        if not booking.still_free(slot):
            error = _("Ese horario ya se ocupó o está por empezar. Elija otro.")
            return _time_page(request, offering, week=booking.week_of_slot(slot), status=409, error=error)
        return render(request, "appointments/confirm.html", {"form": form, "slot": slot, "offering": offering})
    limited = _limited(request, f"user:{request.user.pk}")
    if limited is not None:
        return limited
    try:
        appointment = actions.do_book(slot, person, actor=request.user)
    except actions.BookingError as refused:
        # The person keeps their service and office: the same calendar, at the week of the time they chose.
        return _time_page(request, offering, week=booking.week_of_slot(slot), status=409, error=refused.message)
    return HttpResponseRedirect(reverse("appointments:own", args=[appointment.code]) + "?agendada=1")


# --- 5 and 6. An appointment, as its account or its link sees it -----------------------------------------------------


def _own_links(appointment: Appointment) -> dict[str, str]:
    args = [appointment.code]
    return {
        "detail": reverse("appointments:own", args=args),
        "ics": reverse("appointments:own_ics", args=args),
        "cancel": reverse("appointments:own_cancel", args=args),
        "reschedule": reverse("appointments:own_reschedule", args=args),
        "accept": reverse("appointments:own_accept", args=args),
    }


def _link_links(appointment: Appointment) -> dict[str, str]:
    args = [appointment.code, actions.manage_token(appointment)]
    return {
        "detail": reverse("appointments:manage", args=args),
        "ics": reverse("appointments:manage_ics", args=args),
        "cancel": reverse("appointments:manage_cancel", args=args),
        "reschedule": reverse("appointments:manage_reschedule", args=args),
        "accept": reverse("appointments:manage_accept", args=args),
    }


def _own(request: HttpRequest, code: str) -> Appointment:
    try:
        return access.access_own(request.user, code)
    except PermissionDenied:
        # Another account's code and a code that does not exist answer alike.
        raise Http404 from None


def _by_link(code: str, token: str) -> Appointment:
    appointment = access.access_by_link(code, token)
    if appointment is None:
        raise Http404
    return appointment


def _detail(request: HttpRequest, appointment: Appointment, links: dict[str, str]) -> HttpResponse:
    now = timezone.now()
    office = appointment.offering.schedule.office
    context = {
        "appointment": appointment,
        "office": office,
        "zone": appointment.offering.schedule.zone,
        "service": appointment.offering.service,
        "links": links,
        "just_booked": request.GET.get("agendada") == "1" and appointment.status == "booked",
        "can_change": booking.can_change(appointment, now=now),
        "is_offer": booking.is_offer(appointment, now=now),
        "qr": files.qr_svg(appointment.code, label=_("Código QR de la cita %(code)s") % {"code": appointment.code}),
        "by_link": "manage" in ((request.resolver_match.url_name or "") if request.resolver_match else ""),
    }
    response = render(request, "appointments/appointment.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


def _ics(appointment: Appointment) -> HttpResponse:
    response = HttpResponse(files.ics_for(appointment), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cita-{appointment.code}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


def _cancel(request: HttpRequest, appointment: Appointment, links: dict[str, str], actor: Any) -> HttpResponse:
    """A confirmation step, then the cancellation; the place goes back (or to the first person waiting)."""
    offer = booking.is_offer(appointment)
    if not (booking.can_change(appointment) or offer):
        context = {"appointment": appointment, "links": links, "error": _("Esta cita ya no se puede cancelar.")}
        return render(request, "appointments/cancel.html", context, status=409)
    if request.method != "POST":
        return render(request, "appointments/cancel.html", {"appointment": appointment, "links": links, "offer": offer})
    try:
        actions.do_cancel(appointment, actor=actor, reason="offer_declined" if offer else "by_person")
    except actions.BookingError as refused:
        context = {"appointment": appointment, "links": links, "error": refused.message}
        return render(request, "appointments/cancel.html", context, status=409)
    messages.success(
        request,
        _("Rechazó el lugar ofrecido.") if offer else _("Canceló su cita %(code)s.") % {"code": appointment.code},
    )
    return HttpResponseRedirect(links["detail"])


def _reschedule(
    request: HttpRequest,
    appointment: Appointment,
    links_of: Callable[[Appointment], dict[str, str]],
    actor: Any,
    identity: str,
) -> HttpResponse:
    """Another time of the same service at the same office. The old appointment is kept unless the new one is
    booked (``do_book(replacing=...)`` does both or neither)."""
    offering = appointment.offering
    links = links_of(appointment)
    if not booking.can_change(appointment):
        context = {"appointment": appointment, "links": links, "error": _("Esta cita ya no se puede cambiar.")}
        return render(request, "appointments/cancel.html", context, status=409)
    if request.method != "POST":
        return _time_page(request, offering, week=_week_param(request), appointment=appointment, links=links)
    form = SlotForm(request.POST, offering=offering)
    if not form.is_valid() or form.slot is None:
        return _time_page(request, offering, form=form, status=400, appointment=appointment, links=links)
    limited = _limited(request, identity)
    if limited is not None:
        return limited
    try:
        moved = actions.do_book(form.slot, booking.person_of(appointment), actor=actor, replacing=appointment)
    except actions.BookingError as refused:
        week = booking.week_of_slot(form.slot)
        return _time_page(
            request, offering, week=week, status=409, error=refused.message, appointment=appointment, links=links
        )
    messages.success(
        request, _("Cambiamos su cita. Su nuevo código es %(code)s; el anterior ya no vale.") % {"code": moved.code}
    )
    return HttpResponseRedirect(links_of(moved)["detail"])


def _accept(request: HttpRequest, appointment: Appointment, links: dict[str, str], actor: Any) -> HttpResponse:
    try:
        actions.do_accept_offer(appointment, actor=actor)
    except actions.BookingError as refused:
        messages.error(request, refused.message)
        return HttpResponseRedirect(links["detail"])
    messages.success(request, _("Aceptó el lugar: su cita está agendada."))
    return HttpResponseRedirect(links["detail"])


# The account's pages.


@login_required
@require_http_methods(["GET", "HEAD"])
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """«Mis citas»: the coming appointments (and places offered), the waiting lists, and the past ones."""
    now = timezone.now()
    upcoming = list(queries.upcoming_of_user(request.user, now=now))
    waiting = [(entry, queries.waitlist_position(entry)) for entry in queries.waitlist_of(request.user)]
    context = {
        "upcoming": [(a, booking.is_offer(a, now=now)) for a in upcoming],
        "waiting": [(entry, position) for entry, position in waiting if entry.status == "waiting"],
        "past": booking.past_of_user(request.user, now=now),
    }
    response = render(request, "appointments/mine.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD"])
def own(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    appointment = _own(request, code)
    return _detail(request, appointment, _own_links(appointment))


@login_required
@require_http_methods(["GET", "HEAD"])
def own_ics(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _ics(_own(request, code))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def own_cancel(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    appointment = _own(request, code)
    return _cancel(request, appointment, _own_links(appointment), request.user)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def own_reschedule(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    appointment = _own(request, code)
    return _reschedule(request, appointment, _own_links, request.user, f"user:{request.user.pk}")


@login_required
@require_POST
def own_accept(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    appointment = _own(request, code)
    return _accept(request, appointment, _own_links(appointment), request.user)


@login_required
@require_POST
def leave_waitlist(request: AuthenticatedHttpRequest, entry_id: int) -> HttpResponse:
    entry = access.access_own_waitlist_entry(request.user, entry_id)
    actions.do_leave_waitlist(entry)
    messages.success(request, _("Salió de la lista de espera."))
    return HttpResponseRedirect(reverse("appointments:mine"))


# The pages of the link in the messages: the token is the authority.


@require_http_methods(["GET", "HEAD"])
def manage(request: HttpRequest, code: str, token: str) -> HttpResponse:
    """The appointment as the link in its messages shows it."""
    appointment = _by_link(code, token)
    return _detail(request, appointment, _link_links(appointment))


@require_http_methods(["GET", "HEAD"])
def manage_ics(request: HttpRequest, code: str, token: str) -> HttpResponse:
    return _ics(_by_link(code, token))


@require_http_methods(["GET", "HEAD", "POST"])
def manage_cancel(request: HttpRequest, code: str, token: str) -> HttpResponse:
    appointment = _by_link(code, token)
    return _cancel(request, appointment, _link_links(appointment), _actor(request))


@require_http_methods(["GET", "HEAD", "POST"])
def manage_reschedule(request: HttpRequest, code: str, token: str) -> HttpResponse:
    appointment = _by_link(code, token)
    return _reschedule(request, appointment, _link_links, _actor(request), f"link:{appointment.code}")


@require_POST
def manage_accept(request: HttpRequest, code: str, token: str) -> HttpResponse:
    appointment = _by_link(code, token)
    return _accept(request, appointment, _link_links(appointment), _actor(request))


def _actor(request: HttpRequest) -> Any:
    """Who to record: the signed-in account if there is one, else nobody (the link's holder is not identified)."""
    return request.user if request.user.is_authenticated else None
