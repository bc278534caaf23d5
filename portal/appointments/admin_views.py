"""«Agendas de citas» in the Wagtail admin: an entity's administrators and operations staff keep the calendars of
their offices (docs/appointments.md, «Agendas de las oficinas (administración)»).

Who: the holders of ``ENTITY_ADMIN`` or ``OPERATIONS`` in the office's entity (``agencies.access.offices_for``);
every URL names an office and goes through ``access_office`` first, so another entity's office is a 404 whatever the
URL. What: the schedule's settings, the weekly hours (several intervals a day), the office's own closed days, its
counters and the services of *its own entity's* catalogue offered there.

A change of calendar can take away slots people already booked (a closed day, shorter hours, a shorter horizon, a
service no longer booked there); ``slots.do_open_slots`` then cancels those appointments with a notice. So before
saving, every change is tried inside a savepoint that is rolled back, the appointments it would cancel are counted
with the same plan ``do_open_slots`` follows, and if there are any the page asks to confirm, saying how many. Once
saved, the slots are reopened in the same request (the signals' reopening after the commit then finds nothing to do),
so the page can say what happened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.log_actions import log

from portal.agencies import access as agency_access
from portal.agencies.models import Role

from . import queries
from .models import (
    Appointment,
    AppointmentStatus,
    Closure,
    Counter,
    Offering,
    OpeningHours,
    Schedule,
    Slot,
)
from .slots import do_open_slots, plan

if TYPE_CHECKING:
    from portal.agencies.models import Office

CALENDAR_ROLES = (Role.ENTITY_ADMIN, Role.OPERATIONS)
# The appointments ``do_open_slots`` cancels when their slot goes away (``actions.do_withdraw_slot``).
CANCELLABLE = (AppointmentStatus.BOOKED, AppointmentStatus.OFFERED)


def calendar_offices(user: Any) -> QuerySet[Office]:
    """The open offices whose calendar ``user`` keeps: every office of the entities where they are administrator or
    operations staff."""
    return agency_access.offices_for(user, CALENDAR_ROLES).order_by("agency__name", "name")


def access_calendar_office(user: Any, office_id: Any) -> Office:
    """The office if ``user`` keeps its calendar; 404 for another entity's office, a closed one or an unknown id."""
    return agency_access.access_office(user, office_id, CALENDAR_ROLES)


# --- What a change would do --------------------------------------------------------------------------------------------


def appointments_cancelled_by_calendar(schedule: Schedule, *, now: dt.datetime | None = None) -> int:
    """How many appointments ``do_open_slots`` would cancel if it ran now on ``schedule`` as the database holds it.

    The same rule as ``do_open_slots``: a future slot that is not in the plan from today to the horizon (plus one
    day) is withdrawn, and its booked or offered appointments cancelled.
    """
    now = now or timezone.now()
    today = timezone.localtime(now, schedule.zone).date()
    last = today + dt.timedelta(days=schedule.horizon_days + 1)
    total = 0
    for offering in schedule.offerings.all():
        wanted = plan(schedule, offering, today, last) if (schedule.is_active and offering.is_active) else {}
        starts = Appointment.objects.filter(
            slot__offering=offering, slot__starts_at__gte=now, slot__withdrawn=False, status__in=CANCELLABLE
        ).values_list("slot__starts_at", flat=True)
        total += sum(1 for starts_at in starts if starts_at not in wanted)
    return total


class _Undo(Exception):
    """Raised to roll a preview back."""


def preview_cancellations(schedule: Schedule, change: Callable[[], object]) -> int:
    """Make ``change`` inside a transaction (a savepoint if one is open), count what it would cancel, and roll it back
    (with the signals' reopening, which ``on_commit`` drops with it). A database refusal propagates, rolled back."""
    if schedule.pk is None:
        return 0
    count = 0
    try:
        with transaction.atomic():
            change()
            count = appointments_cancelled_by_calendar(Schedule.objects.get(pk=schedule.pk))
            raise _Undo
    except _Undo:
        pass
    return count


def calendar_summary(schedule: Schedule, *, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Per offering: future slots, places and bookings, and the first free start (what staff check after a change)."""
    now = now or timezone.now()
    offerings = list(schedule.offerings.select_related("service").order_by("service__title"))
    first = queries.first_free([offering for offering in offerings if offering.is_active], now=now)
    rows = {
        row["offering_id"]: row
        for row in Slot.objects.filter(offering__schedule=schedule, starts_at__gte=now, withdrawn=False)
        .values("offering_id")
        .annotate(slots=Count("pk"), places=Sum("capacity"), booked=Sum("booked"))
    }
    free_now = dict(
        Slot.objects.filter(
            offering__schedule=schedule,
            starts_at__gte=now,
            withdrawn=False,
            released_at__lte=now,
            booked__lt=F("capacity"),
        )
        .values("offering_id")
        .annotate(n=Count("pk"))
        .values_list("offering_id", "n")
    )
    summary = []
    for offering in offerings:
        row: dict[str, Any] = dict(rows.get(offering.pk, {}))
        first_free = first.get(offering.pk)
        summary.append(
            {
                "offering": offering,
                "slots": row.get("slots") or 0,
                "places": row.get("places") or 0,
                "booked": row.get("booked") or 0,
                "free_now": free_now.get(offering.pk, 0),
                "first_free": timezone.localtime(first_free, schedule.zone) if first_free else None,
            }
        )
    return summary


# --- Forms -----------------------------------------------------------------------------------------------------------


class ScheduleForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Schedule
        fields = ("timezone", "horizon_days", "release_time", "min_notice_minutes", "is_active")
        widgets = {"release_time": forms.TimeInput(format="%H:%M", attrs={"inputmode": "numeric"})}
        error_messages = {
            "timezone": {"invalid_choice": _("Elija una de las zonas horarias de la lista.")},
            "horizon_days": {
                "required": _("Escriba cuántos días por adelantado se puede agendar."),
                "invalid": _("Escriba un número entero de días, por ejemplo 30."),
            },
            "release_time": {
                "required": _("Escriba la hora en que se abren las citas nuevas, por ejemplo 07:00."),
                "invalid": _("Escriba la hora como HH:MM, por ejemplo 07:00."),
            },
            "min_notice_minutes": {
                "required": _("Escriba la anticipación mínima en minutos, por ejemplo 60."),
                "invalid": _("Escriba un número entero de minutos, por ejemplo 60."),
            },
        }

    def clean_horizon_days(self) -> int:
        value: int = self.cleaned_data["horizon_days"]
        if not 1 <= value <= 180:
            raise ValidationError(_("El plazo para agendar va de 1 a 180 días."), code="horizon")
        return value

    def clean_min_notice_minutes(self) -> int:
        value: int = self.cleaned_data["min_notice_minutes"]
        if value > 7 * 24 * 60:
            raise ValidationError(_("La anticipación mínima no puede pasar de una semana (10080 minutos)."))
        return value


TIME_ERRORS = {
    "required": _("Escriba la hora como HH:MM, por ejemplo 09:00."),
    "invalid": _("Escriba la hora como HH:MM, por ejemplo 09:00."),
}


class HoursForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = OpeningHours
        fields = ("weekday", "opens", "closes")
        widgets = {
            "opens": forms.TimeInput(format="%H:%M", attrs={"inputmode": "numeric"}),
            "closes": forms.TimeInput(format="%H:%M", attrs={"inputmode": "numeric"}),
        }
        error_messages = {
            "weekday": {"required": _("Elija el día."), "invalid_choice": _("Elija un día de la lista.")},
            "opens": TIME_ERRORS,
            "closes": TIME_ERRORS,
        }

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        opens, closes = cleaned.get("opens"), cleaned.get("closes")
        if opens is not None and closes is not None and opens >= closes:
            self.add_error("closes", _("La hora de cierre debe ser posterior a la de apertura."))
        return cleaned


class HoursFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        intervals: dict[int, list[tuple[dt.time, dt.time]]] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not all(data.get(key) is not None for key in ("opens", "closes")):
                continue
            intervals.setdefault(data["weekday"], []).append((data["opens"], data["closes"]))
        for weekday, day in intervals.items():
            day.sort()
            for (_opens, closes), (next_opens, _closes) in zip(day, day[1:], strict=False):
                if next_opens < closes:
                    raise ValidationError(
                        _("Los horarios del %(day)s se enciman; cada intervalo debe empezar después del anterior.")
                        % {"day": OpeningHours(weekday=weekday).get_weekday_display()}
                    )


HoursFormSetClass = forms.inlineformset_factory(
    Schedule, OpeningHours, form=HoursForm, formset=HoursFormSet, extra=2, can_delete=True
)


class ClosureForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Closure
        fields = ("day", "reason")
        widgets = {"day": forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric", "autocomplete": "off"})}
        help_texts = {"day": _("DD/MM/AAAA; por ejemplo, 24/12/2027.")}
        error_messages = {
            "day": {
                "required": _("Escriba el día que la oficina no abrirá."),
                "invalid": _("Escriba el día como DD/MM/AAAA; por ejemplo, 24/12/2027."),
            },
            "reason": {"required": _("Escriba el motivo; se les dice a las personas que tenían cita.")},
        }

    def __init__(self, *args: Any, schedule: Schedule, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.schedule = schedule
        self.fields["day"].input_formats = ["%d/%m/%Y", "%Y-%m-%d"]  # type: ignore[attr-defined]

    def clean_day(self) -> dt.date:
        day: dt.date = self.cleaned_data["day"]
        schedule = self.instance.schedule
        if day < timezone.localtime(timezone.now(), schedule.zone).date():
            raise ValidationError(_("Ese día ya pasó; escriba un día de hoy en adelante."))
        if schedule.pk and Closure.objects.filter(schedule=schedule, day=day).exists():
            raise ValidationError(_("Ese día ya está registrado como día sin servicio."))
        return day

    def validate_unique(self) -> None:
        # ``clean_day`` said it in Spanish; the schedule is not a field of the form.
        pass


class CounterForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Counter
        fields = ("name", "is_active")
        error_messages = {"name": {"required": _("Escriba el nombre de la ventanilla, por ejemplo «Ventanilla 1».")}}


class CounterFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        names: set[str] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("name"):
                continue
            name = data["name"].strip().casefold()
            if name in names:
                raise ValidationError(_("Hay dos ventanillas con el nombre «%(name)s».") % {"name": data["name"]})
            names.add(name)

    def validate_unique(self) -> None:
        # ``clean`` says it in Spanish.
        pass


CounterFormSetClass = forms.inlineformset_factory(
    Schedule, Counter, form=CounterForm, formset=CounterFormSet, extra=2, can_delete=True
)


class OfferingForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Offering
        fields = ("service", "duration_minutes", "capacity", "walk_in_share", "scarce", "letter", "is_active")
        error_messages = {
            "service": {
                "required": _("Elija el trámite."),
                "invalid_choice": _("Elija un trámite presencial de su institución."),
            },
            "duration_minutes": {
                "required": _("Escriba cuántos minutos toma la atención."),
                "invalid": _("Escriba un número entero de minutos."),
            },
            "capacity": {
                "required": _("Escriba cuántas personas se atienden en cada horario."),
                "invalid": _("Escriba un número entero de personas."),
            },
            "walk_in_share": {"invalid": _("Escriba un porcentaje entero de 0 a 100.")},
            "letter": {"required": _("Escriba una letra para los turnos, por ejemplo P.")},
        }

    def __init__(self, *args: Any, services: QuerySet[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["walk_in_share"].required = False
        if services is not None:
            self.fields["service"].queryset = services  # type: ignore[attr-defined]

    def clean_duration_minutes(self) -> int:
        value: int = self.cleaned_data["duration_minutes"]
        if not 5 <= value <= 480:
            raise ValidationError(_("La duración va de 5 a 480 minutos."))
        return value

    def clean_capacity(self) -> int:
        value: int = self.cleaned_data["capacity"]
        if not 1 <= value <= 100:
            raise ValidationError(_("Se atienden de 1 a 100 personas por horario."))
        return value

    def clean_walk_in_share(self) -> int:
        value: int | None = self.cleaned_data.get("walk_in_share")
        if value is None:
            return 0
        if value > 100:
            raise ValidationError(_("Escriba un porcentaje entero de 0 a 100."))
        return value

    def clean_letter(self) -> str:
        value: str = self.cleaned_data["letter"].strip().upper()
        if len(value) != 1 or not ("A" <= value <= "Z"):
            raise ValidationError(_("Escriba una sola letra de la A a la Z, por ejemplo P."))
        return value


class OfferingFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    """Only services of the office's own entity that are done in person; a service offered once per office."""

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        self.office = office
        super().__init__(*args, **kwargs)

    @cached_property
    def services(self) -> QuerySet[Any]:
        service_model: Any = Offering._meta.get_field("service").related_model
        current = self.instance.offerings.values("service_id") if self.instance.pk else []
        services: QuerySet[Any] = (
            service_model._default_manager.filter(agency_id=self.office.agency_id, in_person=True)
            | service_model._default_manager.filter(pk__in=current)
        ).order_by("title")
        return services

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "services": self.services}

    def clean(self) -> None:
        super().clean()
        seen: set[int] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("service") is None:
                continue
            if data["service"].pk in seen:
                raise ValidationError(
                    _("El trámite «%(service)s» aparece dos veces; cada trámite se ofrece una vez por oficina.")
                    % {"service": data["service"].title}
                )
            seen.add(data["service"].pk)

    def validate_unique(self) -> None:
        # ``clean`` says it in Spanish.
        pass


OfferingFormSetClass = forms.inlineformset_factory(
    Schedule, Offering, form=OfferingForm, formset=OfferingFormSet, extra=1, can_delete=False
)


# --- Views -----------------------------------------------------------------------------------------------------------


if TYPE_CHECKING:
    # What the mixin below is mixed into: Wagtail's admin views (Wagtail ships no types, so Any to mypy).
    from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin as _AdminView
else:
    _AdminView = object


class CalendarMixin(_AdminView):
    """Resolve the office (404 outside the user's entities) and its schedule (a new, unsaved one if none yet)."""

    office: Office
    schedule: Schedule
    header_icon = "date"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if "office_id" in kwargs:
            self.office = access_calendar_office(request.user, kwargs["office_id"])
            self.schedule = queries.schedule_of_office(self.office.pk) or Schedule(office=self.office)
        elif not calendar_offices(request.user).exists():
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[no-any-return]

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        items = [*self.breadcrumbs_items, {"url": reverse("appointments_calendars:index"), "label": _("Agendas")}]
        if hasattr(self, "office"):
            items.append(
                {"url": reverse("appointments_calendars:office", args=[self.office.pk]), "label": self.office.name}
            )
        return [*items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if hasattr(self, "office"):
            context.update(office=self.office, schedule=self.schedule)
        return context  # type: ignore[no-any-return]


class CalendarIndexView(CalendarMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "appointments/admin/index.html"
    page_title = _("Agendas de citas")

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        offices = list(calendar_offices(self.request.user).select_related("schedule"))
        rows = []
        for office in offices:
            schedule = getattr(office, "schedule", None)
            slots = (
                Slot.objects.filter(offering__schedule=schedule, starts_at__gte=now, withdrawn=False).count()
                if schedule
                else 0
            )
            rows.append({"office": office, "schedule": schedule, "slots": slots})
        context["rows"] = rows
        return context


class ChangeView(CalendarMixin, WagtailAdminTemplateMixin, TemplateView):
    """A page of the calendar that saves one form (or formset): validated, its cancellations previewed, confirmed if
    there are any, saved and the slots reopened in one transaction."""

    section: str = ""
    done_message = _("Cambios guardados.")

    def build(self, data: Any = None) -> Any:
        raise NotImplementedError

    def save(self, form: Any) -> str:
        """Save and return the closure reason given to people whose appointment is cancelled ("" for the default)."""
        form.save()
        return ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.build())
        context["section"] = self.section
        context["action_url"] = self.request.path
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.build(request.POST)
        if not form.is_valid():
            messages.error(request, _("No se guardó; corrija lo que se indica."))
            return self.render_to_response(self.get_context_data(form=form), status=400)

        def change() -> None:
            again = self.build(request.POST)
            again.is_valid()
            self.save(again)

        try:
            cancelling = preview_cancellations(self.schedule, change)
            if cancelling and request.POST.get("confirm") != str(cancelling):
                return self.render_to_response(self.get_context_data(form=form, cancelling=cancelling))
            with transaction.atomic():
                reason = self.save(form)
                schedule = Schedule.objects.get(office=self.office)
                result = do_open_slots(schedule, reason=reason)
                log(schedule, "wagtail.edit", user=request.user)
        except IntegrityError:
            # Someone saved the same day, counter or service a moment ago (the forms checked before that).
            messages.error(request, _("Otra persona cambió esta agenda al mismo tiempo; revise y vuelva a guardar."))
            return self.render_to_response(self.get_context_data(form=form), status=409)
        text = str(self.done_message)
        if result.cancelled:
            text += " " + ngettext(
                "Se canceló %(n)d cita y se avisó a la persona.",
                "Se cancelaron %(n)d citas y se avisó a cada persona.",
                result.cancelled,
            ) % {"n": result.cancelled}
        messages.success(request, text)
        return redirect("appointments_calendars:office", self.office.pk)


class ScheduleView(ChangeView):
    """The office's calendar at a glance (slots, bookings, first free time per service) and its settings."""

    template_name = "appointments/admin/schedule.html"
    page_title = _("Agenda de la oficina")
    section = "settings"

    def get_page_title(self) -> str:
        return str(self.office.name)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("appointments_calendars:index"), "label": _("Agendas")},
            {"url": "", "label": self.office.name},
        ]

    def build(self, data: Any = None) -> ScheduleForm:
        return ScheduleForm(data, instance=self.schedule)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.schedule.pk:
            context.update(
                summary=calendar_summary(self.schedule),
                hours=list(self.schedule.hours.all()),
                closures=list(self.schedule.closures.filter(day__gte=timezone.localdate())),
                counters=list(self.schedule.counters.all()),
            )
        return context


class SectionView(ChangeView):
    """The sections other than the settings need the schedule saved first."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        office = access_calendar_office(request.user, kwargs["office_id"])
        if queries.schedule_of_office(office.pk) is None:
            messages.warning(request, _("Guarde primero la configuración de la agenda de esta oficina."))
            return redirect("appointments_calendars:office", office.pk)
        return super().dispatch(request, *args, **kwargs)


class HoursView(SectionView):
    template_name = "appointments/admin/formset.html"
    page_title = _("Horario semanal")
    section = "hours"
    done_message = _("Horario guardado.")

    def build(self, data: Any = None) -> Any:
        return HoursFormSetClass(data, instance=self.schedule, prefix="hours")


class CountersView(SectionView):
    template_name = "appointments/admin/formset.html"
    page_title = _("Ventanillas")
    section = "counters"
    done_message = _("Ventanillas guardadas.")

    def build(self, data: Any = None) -> Any:
        return CounterFormSetClass(data, instance=self.schedule, prefix="counters")


class OfferingsView(SectionView):
    template_name = "appointments/admin/formset.html"
    page_title = _("Trámites que se agendan")
    section = "offerings"
    done_message = _("Trámites guardados.")

    def build(self, data: Any = None) -> Any:
        return OfferingFormSetClass(data, instance=self.schedule, prefix="offerings", office=self.office)


class ClosureView(SectionView):
    """Add a day the office will not open; the people booked that day are told why (the reason typed here)."""

    template_name = "appointments/admin/closures.html"
    page_title = _("Días sin servicio")
    section = "closures"
    done_message = _("Día sin servicio registrado.")

    def build(self, data: Any = None) -> ClosureForm:
        return ClosureForm(data, schedule=self.schedule)

    def save(self, form: Any) -> str:
        closure = form.save()
        return str(closure.reason)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["closures"] = list(self.schedule.closures.filter(day__gte=timezone.localdate()))
        return context


class ClosureDeleteView(SectionView):
    """Take back a closed day: the day's slots reopen (the appointments cancelled by it stay cancelled)."""

    http_method_names = ["post"]
    done_message = _("Día sin servicio retirado; ese día se puede agendar otra vez.")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        closure = Closure.objects.filter(pk=kwargs["pk"], schedule=self.schedule).first()
        if closure is None:
            raise Http404
        with transaction.atomic():
            closure.delete()
            do_open_slots(self.schedule)
            log(self.schedule, "wagtail.edit", user=request.user)
        messages.success(request, str(self.done_message))
        return redirect("appointments_calendars:closures", self.office.pk)


class CalendarMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return calendar_offices(request.user).exists()


class CalendarViewSet(ViewSet):
    name = "agendas"
    url_prefix = "agendas"
    url_namespace = "appointments_calendars"
    icon = "date"
    menu_label = _("Agendas de citas")
    menu_item_class = CalendarMenuItem
    add_to_admin_menu = True
    menu_order = 245

    def get_urlpatterns(self) -> list[Any]:
        return [
            path("", CalendarIndexView.as_view(), name="index"),
            path("<int:office_id>/", ScheduleView.as_view(), name="office"),
            path("<int:office_id>/horario/", HoursView.as_view(), name="hours"),
            path("<int:office_id>/dias-sin-servicio/", ClosureView.as_view(), name="closures"),
            path(
                "<int:office_id>/dias-sin-servicio/<int:pk>/quitar/", ClosureDeleteView.as_view(), name="closure_delete"
            ),
            path("<int:office_id>/ventanillas/", CountersView.as_view(), name="counters"),
            path("<int:office_id>/tramites/", OfferingsView.as_view(), name="offerings"),
        ]

    @cached_property
    def menu_url(self) -> str:
        return reverse("appointments_calendars:index")
