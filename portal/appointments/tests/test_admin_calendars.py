"""«Agendas de citas» in the Wagtail admin: who keeps which office's calendar, what each form refuses, and the warning
before a change cancels appointments people already booked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from portal.accounts.tests.factories import make_account
from portal.agencies import actions as agency_actions
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency, make_office
from portal.appointments import actions
from portal.appointments.admin_views import ClosureForm, appointments_cancelled_by_calendar
from portal.appointments.models import (
    Appointment,
    AppointmentStatus,
    Closure,
    Counter,
    Offering,
    OpeningHours,
    Schedule,
    Slot,
)
from portal.notifications.models import Notification
from portal.services.tests.factories import make_service
from testing.clients import client_for

from .factories import make_citizen, make_offering, next_slot

pytestmark = pytest.mark.django_db

BASE = "/admin/agendas/"


@pytest.fixture(autouse=True)
def _staff_need_a_second_factor(settings):
    settings.ACCOUNTS_STAFF_REQUIRE_SECOND_FACTOR = True


def staff(email: str, agency, role: str, office=None):
    user = make_account(email=email)
    agency_actions.do_grant_role(user, agency, role, office)
    return user


@pytest.fixture
def sre():
    return make_agency("SRE", name="Secretaría de Relaciones Exteriores")


@pytest.fixture
def imss():
    return make_agency("IMSS", name="Instituto Mexicano del Seguro Social")


@pytest.fixture
def passports(sre):
    """An SRE office offering passports (Monday to Friday 9 to 14 h, half-hour slots), its slots open."""
    return make_offering(agency=sre, office=make_office(sre, name="Oficina de Pasaportes Colima"), capacity=2)


@pytest.fixture
def sre_admin(sre):
    return staff("admin@sre.gob.mx", sre, Role.ENTITY_ADMIN)


@pytest.fixture
def imss_admin(imss):
    return staff("admin@imss.gob.mx", imss, Role.ENTITY_ADMIN)


def booked_day(offering: Offering) -> tuple[Appointment, dt.date]:
    """A citizen's appointment at the next slot at least two days ahead, and its local day."""
    slot = next_slot(offering, after=timezone.now() + dt.timedelta(days=2))
    appointment = actions.do_book(slot, actions.person_for(make_citizen(phone="+525512340001")))
    return appointment, timezone.localtime(slot.starts_at, offering.schedule.zone).date()


def test_an_entity_administrator_sees_their_offices_calendar_and_its_figures(passports, sre_admin):
    client = client_for(sre_admin)
    index = client.get(BASE)
    assert index.status_code == 200
    assert "Oficina de Pasaportes Colima" in index.content.decode()

    page = client.get(f"{BASE}{passports.schedule.office_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Primer horario libre" in html and passports.service.title in html
    future = Slot.objects.filter(offering=passports, starts_at__gte=timezone.now()).count()
    assert f"<td>{future}</td>" in html


def test_operations_staff_keep_the_calendars_too_but_clerks_and_citizens_do_not(passports, sre):
    operations = staff("operacion@sre.gob.mx", sre, Role.OPERATIONS)
    office_id = passports.schedule.office_id
    assert client_for(operations).get(f"{BASE}{office_id}/horario/").status_code == 200

    clerk = staff("ventanilla@sre.gob.mx", sre, Role.OFFICE_CLERK, passports.schedule.office)
    assert client_for(clerk).get(f"{BASE}{office_id}/").status_code in (302, 403, 404)
    assert client_for(clerk).get(BASE).status_code in (302, 403, 404)


@pytest.mark.parametrize("suffix", ["", "horario/", "dias-sin-servicio/", "ventanillas/", "tramites/"])
def test_another_entitys_office_is_not_found_for_reading_or_writing(passports, imss_admin, suffix):
    client = client_for(imss_admin)
    url = f"{BASE}{passports.schedule.office_id}/{suffix}"
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "x", "day": "01/01/2030", "horizon_days": "1"}).status_code == 404
    assert "Oficina de Pasaportes Colima" not in client.get(BASE).content.decode()


def test_another_entitys_closure_cannot_be_removed_through_ones_own_office(passports, sre, sre_admin):
    other_office = make_office(sre, name="Otra oficina")
    Schedule.objects.create(office=other_office)
    closure = Closure.objects.create(schedule=passports.schedule, day=dt.date(2030, 1, 2), reason="Inventario")
    client = client_for(sre_admin)
    assert client.post(f"{BASE}{other_office.pk}/dias-sin-servicio/{closure.pk}/quitar/").status_code == 404
    assert Closure.objects.filter(pk=closure.pk).exists()


def test_saving_the_settings_creates_the_schedule_of_an_office_without_one(sre, sre_admin):
    office = make_office(sre, name="Oficina nueva")
    response = client_for(sre_admin).post(
        f"{BASE}{office.pk}/",
        {
            "timezone": "America/Cancun",
            "horizon_days": "21",
            "release_time": "08:30",
            "min_notice_minutes": "120",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    schedule = Schedule.objects.get(office=office)
    assert (schedule.timezone, schedule.horizon_days, schedule.release_time) == (
        "America/Cancun",
        21,
        dt.time(8, 30),
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("horizon_days", "0", "El plazo para agendar va de 1 a 180 días."),
        ("release_time", "7 de la mañana", "Escriba la hora como HH:MM"),
        ("timezone", "Europe/Madrid", "Elija una de las zonas horarias de la lista."),
    ],
)
def test_the_settings_explain_what_to_correct(passports, sre_admin, field, value, message):
    data = {
        "timezone": "America/Mexico_City",
        "horizon_days": "14",
        "release_time": "07:00",
        "min_notice_minutes": "60",
    }
    data[field] = value
    response = client_for(sre_admin).post(f"{BASE}{passports.schedule.office_id}/", data)
    assert response.status_code == 400
    assert message in response.content.decode()


def hours_form(
    rows: list[tuple[int, str, str]], existing: list[OpeningHours] | None = None, delete: bool = True
) -> dict:
    """The weekly hours' formset as the page posts it: the existing rows marked for deletion, then ``rows``."""
    existing = existing or []
    data = {
        "hours-TOTAL_FORMS": str(len(existing) + len(rows)),
        "hours-INITIAL_FORMS": str(len(existing)),
        "hours-MIN_NUM_FORMS": "0",
        "hours-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(existing):
        data.update(
            {
                f"hours-{i}-id": str(row.pk),
                f"hours-{i}-weekday": str(row.weekday),
                f"hours-{i}-opens": f"{row.opens:%H:%M}",
                f"hours-{i}-closes": f"{row.closes:%H:%M}",
            }
        )
        if delete:
            data[f"hours-{i}-DELETE"] = "on"
    for j, (weekday, opens, closes) in enumerate(rows, start=len(existing)):
        data.update({f"hours-{j}-weekday": str(weekday), f"hours-{j}-opens": opens, f"hours-{j}-closes": closes})
    return data


def test_weekly_hours_with_a_lunch_break_reopen_the_slots(sre, sre_admin, django_capture_on_commit_callbacks):
    offering = make_offering(agency=sre, hours=False, duration=60)
    assert not Slot.objects.filter(offering=offering).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(sre_admin).post(
            f"{BASE}{offering.schedule.office_id}/horario/",
            hours_form([(day, "09:00", "13:00") for day in range(5)] + [(day, "14:00", "16:00") for day in range(5)]),
        )
    assert response.status_code == 302
    assert offering.schedule.hours.count() == 10
    zone = offering.schedule.zone
    starts = {timezone.localtime(s.starts_at, zone).time() for s in Slot.objects.filter(offering=offering)}
    assert starts == {dt.time(9), dt.time(10), dt.time(11), dt.time(12), dt.time(14), dt.time(15)}


def test_overlapping_hours_or_closing_before_opening_are_refused_in_spanish(passports, sre_admin):
    client = client_for(sre_admin)
    url = f"{BASE}{passports.schedule.office_id}/horario/"
    overlap = client.post(url, hours_form([(5, "09:00", "13:00"), (5, "12:00", "14:00")]))
    assert overlap.status_code == 400
    assert "Los horarios del sábado se enciman" in overlap.content.decode()
    backwards = client.post(url, hours_form([(5, "13:00", "09:00")]))
    assert backwards.status_code == 400
    assert "La hora de cierre debe ser posterior a la de apertura." in backwards.content.decode()
    assert not passports.schedule.hours.filter(weekday=5).exists()


def test_a_closure_says_how_many_appointments_it_cancels_before_saving(passports, sre_admin):
    appointment, day = booked_day(passports)
    client = client_for(sre_admin)
    url = f"{BASE}{passports.schedule.office_id}/dias-sin-servicio/"
    form = {"day": f"{day:%d/%m/%Y}", "reason": "Fumigación del edificio"}

    warning = client.post(url, form)

    assert warning.status_code == 200
    html = warning.content.decode()
    assert "Este cambio cancelará 1 cita ya agendada." in html
    assert 'name="confirm" value="1"' in html
    assert not Closure.objects.exists()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED

    done = client.post(url, {**form, "confirm": "1"})

    assert done.status_code == 302
    assert Closure.objects.get().reason == "Fumigación del edificio"
    appointment.refresh_from_db()
    assert (appointment.status, appointment.cancel_reason) == (AppointmentStatus.CANCELLED, "office_closed")
    notice = Notification.objects.filter(event="appointment.cancelled_by_office", channel="email").get()
    assert "Fumigación del edificio" in notice.body
    page = client.get(done["Location"]).content.decode()
    assert "Se canceló 1 cita y se avisó a la persona." in page
    logged = ModelLogEntry.objects.get(object_id=str(passports.schedule.pk))
    assert (logged.action, logged.user) == ("wagtail.edit", sre_admin)


def test_a_confirmation_for_a_different_count_asks_again(passports, sre_admin):
    _appointment, day = booked_day(passports)
    url = f"{BASE}{passports.schedule.office_id}/dias-sin-servicio/"
    response = client_for(sre_admin).post(url, {"day": f"{day:%d/%m/%Y}", "reason": "Obra", "confirm": "3"})
    assert response.status_code == 200
    assert "Este cambio cancelará 1 cita" in response.content.decode()
    assert not Closure.objects.exists()


def test_a_closure_on_a_day_without_bookings_is_saved_at_once_and_can_be_taken_back(passports, sre_admin):
    client = client_for(sre_admin)
    url = f"{BASE}{passports.schedule.office_id}/dias-sin-servicio/"
    day = timezone.localdate() + dt.timedelta(days=7)
    assert client.post(url, {"day": f"{day:%d/%m/%Y}", "reason": "Inventario"}).status_code == 302
    closure = Closure.objects.get()
    assert (
        not Slot.objects.filter(
            offering=passports,
            starts_at__date__gte=day,
            starts_at__date__lt=day + dt.timedelta(days=1),
            withdrawn=False,
        )
        .exclude(starts_at__hour__lt=6)
        .exists()
    )
    assert client.post(f"{url}{closure.pk}/quitar/").status_code == 302
    assert not Closure.objects.exists()


@pytest.mark.parametrize(
    ("day", "message"),
    [("ayer", "Escriba el día como DD/MM/AAAA"), ("01/01/2020", "Ese día ya pasó"), ("", "Escriba el día")],
)
def test_a_closure_explains_what_to_correct(passports, sre_admin, day, message):
    url = f"{BASE}{passports.schedule.office_id}/dias-sin-servicio/"
    response = client_for(sre_admin).post(url, {"day": day, "reason": "Obra"})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_shorter_hours_or_an_inactive_schedule_warn_before_cancelling(passports, sre_admin):
    appointment, _day = booked_day(passports)
    client = client_for(sre_admin)
    office_id = passports.schedule.office_id
    local = timezone.localtime(appointment.slot.starts_at, passports.schedule.zone)
    existing = list(passports.schedule.hours.all())
    # The appointment's weekday now ends before its slot starts.
    rows = [(row.weekday, "09:00", "14:00" if row.weekday != local.weekday() else "09:30") for row in existing]
    if local.time() < dt.time(9, 30):
        rows = [(row.weekday, "09:00" if row.weekday != local.weekday() else "13:00", "14:00") for row in existing]
    response = client.post(f"{BASE}{office_id}/horario/", hours_form(rows, existing))
    assert "Este cambio cancelará 1 cita ya agendada." in response.content.decode()
    assert passports.schedule.hours.count() == 5

    settings_response = client.post(
        f"{BASE}{office_id}/",
        {"timezone": "America/Mexico_City", "horizon_days": "14", "release_time": "00:00", "min_notice_minutes": "60"},
    )
    assert "Este cambio cancelará 1 cita ya agendada." in settings_response.content.decode()
    assert Schedule.objects.get(pk=passports.schedule.pk).is_active
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


def test_the_count_follows_the_same_plan_as_the_slots(passports):
    _appointment, day = booked_day(passports)
    assert appointments_cancelled_by_calendar(passports.schedule) == 0
    Closure.objects.create(schedule=passports.schedule, day=day, reason="x")
    assert appointments_cancelled_by_calendar(passports.schedule) == 1


def offerings_form(schedule: Schedule, new: dict | None = None) -> dict:
    existing = list(schedule.offerings.all())
    data = {
        "offerings-TOTAL_FORMS": str(len(existing) + (1 if new else 0)),
        "offerings-INITIAL_FORMS": str(len(existing)),
        "offerings-MIN_NUM_FORMS": "0",
        "offerings-MAX_NUM_FORMS": "1000",
    }
    for i, offering in enumerate(existing):
        data.update(
            {
                f"offerings-{i}-id": str(offering.pk),
                f"offerings-{i}-service": str(offering.service_id),
                f"offerings-{i}-duration_minutes": str(offering.duration_minutes),
                f"offerings-{i}-capacity": str(offering.capacity),
                f"offerings-{i}-walk_in_share": "0",
                f"offerings-{i}-letter": offering.letter,
                f"offerings-{i}-is_active": "on",
            }
        )
    if new:
        data.update({f"offerings-{len(existing)}-{key}": value for key, value in new.items()})
    return data


def test_an_office_offers_only_its_own_entitys_services(passports, sre, imss, sre_admin):
    schedule = passports.schedule
    own = make_service(sre, title="Apostilla de documentos", offices=[schedule.office])
    foreign = make_service(imss, title="Alta en el seguro social")
    client = client_for(sre_admin)
    url = f"{BASE}{schedule.office_id}/tramites/"

    page = client.get(url).content.decode()
    assert "Apostilla de documentos" in page and "Alta en el seguro social" not in page

    refused = client.post(
        url,
        offerings_form(
            schedule, {"service": str(foreign.pk), "duration_minutes": "20", "capacity": "1", "letter": "S"}
        ),
    )
    assert refused.status_code == 400
    assert "Elija un trámite presencial de su institución." in refused.content.decode()

    saved = client.post(
        url,
        offerings_form(
            schedule,
            {"service": str(own.pk), "duration_minutes": "15", "capacity": "3", "letter": "a", "is_active": "on"},
        ),
    )
    assert saved.status_code == 302
    offering = Offering.objects.get(service=own)
    assert (offering.duration_minutes, offering.capacity, offering.letter) == (15, 3, "A")
    assert Slot.objects.filter(offering=offering).exists()  # reopened in the request, before the signals


def test_counters_are_added_renamed_and_removed(passports, sre_admin):
    schedule = passports.schedule
    Counter.objects.create(schedule=schedule, name="Ventanilla 1")
    counter = schedule.counters.get()
    data = {
        "counters-TOTAL_FORMS": "3",
        "counters-INITIAL_FORMS": "1",
        "counters-MIN_NUM_FORMS": "0",
        "counters-MAX_NUM_FORMS": "1000",
        "counters-0-id": str(counter.pk),
        "counters-0-name": "Módulo 1",
        "counters-0-is_active": "on",
        "counters-1-name": "Módulo 2",
        "counters-1-is_active": "on",
        "counters-2-name": "",
        "counters-2-is_active": "on",  # an untouched extra row, as the browser sends it
    }
    client = client_for(sre_admin)
    url = f"{BASE}{schedule.office_id}/ventanillas/"
    assert client.post(url, data).status_code == 302
    assert sorted(schedule.counters.values_list("name", flat=True)) == ["Módulo 1", "Módulo 2"]

    twice = {**data, "counters-INITIAL_FORMS": "2", "counters-1-id": str(schedule.counters.get(name="Módulo 2").pk)}
    twice["counters-1-name"] = "módulo 1"
    response = client.post(url, twice)
    assert response.status_code == 400
    assert "Hay dos ventanillas con el nombre" in response.content.decode()


def test_a_closure_saved_by_someone_else_meanwhile_is_a_conflict_not_an_error(passports, sre_admin, monkeypatch):
    day = timezone.localdate() + dt.timedelta(days=7)
    Closure.objects.create(schedule=passports.schedule, day=day, reason="Inventario")
    # The other save lands between this form's checks and its own: the check saw no closure that day.
    monkeypatch.setattr(ClosureForm, "clean_day", lambda form: form.cleaned_data["day"])
    url = f"{BASE}{passports.schedule.office_id}/dias-sin-servicio/"
    response = client_for(sre_admin).post(url, {"day": f"{day:%d/%m/%Y}", "reason": "Obra"})
    assert response.status_code == 409
    assert "Otra persona cambió esta agenda al mismo tiempo" in response.content.decode()
    assert Closure.objects.get().reason == "Inventario"
