"""The citizen's booking pages: finding the service, the office, the time; confirming under the account's CURP; the
confirmation with its code, QR and .ics; and every refusal as a clear 4xx that keeps what the person chose."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import icalendar
import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from portal.accounts.models import Profile
from portal.accounts.tests.factories import make_account
from portal.agencies.tests.factories import make_agency, make_municipality, make_office, make_state
from portal.appointments import actions, queries
from portal.appointments.models import Appointment, AppointmentStatus, Slot
from portal.geo.models import Municipality, Settlement
from portal.services.tests.factories import make_service

from .factories import make_citizen, make_offering, next_slot

CDMX = zoneinfo.ZoneInfo("America/Mexico_City")
MONDAY = dt.datetime(2027, 3, 1, 8, 0, tzinfo=CDMX)


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.django_db
def test_the_service_list_shows_bookable_services_and_filters_without_javascript(monday):
    licence = make_offering(service=None)
    licence.service.title = "Licencia de conducir"
    licence.service.save()
    other = make_offering()
    unbooked = make_service(make_agency())
    response = Client().get("/citas/", {"q": "LICÉNCIA"})
    assert response.status_code == 200
    page = text_of(response)
    assert "Licencia de conducir" in page
    assert other.service.title not in page and unbooked.title not in page
    assert Client().get("/citas/").content.decode().count(reverse("appointments:office", args=[other.service_id])) == 1


@pytest.mark.django_db
def test_the_sheet_link_enters_with_the_service_chosen_and_an_unknown_one_is_a_404(monday):
    offering = make_offering()
    response = Client().get("/citas/", {"tramite": str(offering.service_id)})
    assert response.status_code == 302
    assert response["Location"] == f"/citas/tramite/{offering.service_id}/"
    unknown = Client().get("/citas/", {"tramite": "nada"})
    assert unknown.status_code == 404
    assert "Ese trámite no da citas en ninguna oficina." in text_of(unknown)
    gone = Client().get("/citas/tramite/999999/")
    assert gone.status_code == 404 and "Ese trámite no da citas en ninguna oficina." in text_of(gone)


@pytest.mark.django_db
def test_offices_show_their_first_free_time_in_the_office_zone(monday):
    offering = make_offering()
    response = Client().get(f"/citas/tramite/{offering.service_id}/")
    assert response.status_code == 200
    page = text_of(response)
    # Slots open 9:00 local; with an hour's notice at 8:00, the first is Monday 9:00 in Mexico City.
    assert "Primer horario libre: <strong>lunes 1 de marzo, 09:00</strong>" in page
    assert offering.schedule.office.name in page


@pytest.mark.django_db
def test_a_postal_code_puts_the_offices_of_its_municipality_then_its_state_first(monday):
    agency = make_agency()
    colima = make_state()
    jalisco = make_state(code="14", name="Jalisco", renapo_code="JC")
    villa = make_municipality(inegi_code="06010", name="Villa de Álvarez")
    capital = make_municipality(inegi_code="06002", name="Colima")
    guadalajara = Municipality.objects.create(state=jalisco, inegi_code="14039", name="Guadalajara")
    assert villa.state == colima
    service = make_service(agency)
    far = make_offering(
        agency=agency, service=service, office=make_office(agency, "Oficina Guadalajara", municipality=guadalajara)
    )
    state = make_offering(
        agency=agency, service=service, office=make_office(agency, "Oficina Colima", municipality=capital)
    )
    near = make_offering(
        agency=agency, service=service, office=make_office(agency, "Oficina Villa", municipality=villa)
    )
    Settlement.objects.create(postal_code="28970", name="Centro", municipality=villa)
    assert far and state and near

    response = Client().get(f"/citas/tramite/{service.pk}/", {"cp": "28970"})
    assert response.status_code == 200
    page = text_of(response)
    assert page.index("Oficina Villa") < page.index("Oficina Colima") < page.index("Oficina Guadalajara")
    assert "En su municipio" in page and "En su estado" in page

    by_state = text_of(Client().get(f"/citas/tramite/{service.pk}/", {"estado": "14"}))
    assert "Oficina Guadalajara" in by_state and "Oficina Villa" not in by_state


@pytest.mark.django_db
def test_a_wrong_or_unknown_postal_code_is_a_400_with_its_message(monday):
    offering = make_offering()
    short = Client().get(f"/citas/tramite/{offering.service_id}/", {"cp": "123"})
    assert short.status_code == 400
    assert "Escriba los 5 dígitos del código postal, como 06700." in text_of(short)
    unknown = Client().get(f"/citas/tramite/{offering.service_id}/", {"cp": "99999"})
    assert unknown.status_code == 400
    assert "No encontramos el código postal 99999. Revíselo." in text_of(unknown)
    wrong_state = Client().get(f"/citas/tramite/{offering.service_id}/", {"estado": "99"})
    assert wrong_state.status_code == 400
    assert "Elija un estado de la lista." in text_of(wrong_state)


@pytest.mark.django_db
def test_times_are_radio_buttons_grouped_by_day_a_week_at_a_time(monday):
    offering = make_offering(duration=60, horizon_days=14)
    response = Client().get(f"/citas/oficina/{offering.pk}/")
    page = text_of(response)
    assert response.status_code == 200
    assert page.count("<fieldset") == 5  # Monday to Friday of this week
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">lunes 1 de marzo</legend>' in page
    assert 'type="radio"' in page and ">09:00<" in page and ">13:00<" in page
    assert "Semana siguiente" in page and "Semana anterior" not in page
    following = text_of(Client().get(f"/citas/oficina/{offering.pk}/", {"semana": "1"}))
    assert "lunes 8 de marzo" in following and "lunes 1 de marzo" not in following
    assert "Semana anterior" in following


@pytest.mark.django_db
def test_confirming_asks_to_sign_in_and_comes_back(monday):
    offering = make_offering()
    slot = next_slot(offering)
    response = Client().get("/citas/confirmar/", {"horario": slot.pk})
    assert response.status_code == 302
    assert response["Location"].startswith("/cuenta/entrar/?next=/citas/confirmar/%3Fhorario%3D")


@pytest.mark.django_db
def test_without_a_confirmed_curp_the_page_explains_and_links_to_linking_it(monday):
    offering = make_offering()
    slot = next_slot(offering)
    user = make_account(email="sin-curp@example.mx")
    client = signed_in(user)
    page = client.get("/citas/confirmar/", {"horario": slot.pk})
    assert page.status_code == 200
    assert "vincule primero su CURP" in text_of(page)
    assert reverse("accounts:link_curp") in text_of(page)
    refused = client.post("/citas/confirmar/", {"horario": slot.pk})
    assert refused.status_code == 403
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_booking_shows_the_code_the_qr_and_the_calendar_file(monday):
    offering = make_offering(capacity=2)
    slot = next_slot(offering)
    citizen = make_citizen(phone="+525512340001")
    client = signed_in(citizen)
    summary = client.get("/citas/confirmar/", {"horario": slot.pk})
    assert summary.status_code == 200 and "lunes 1 de marzo de 2027, 10:00" in text_of(
        summary
    )  # next_slot: two hours ahead
    response = client.post("/citas/confirmar/", {"horario": slot.pk})
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/citas/mias/{appointment.code}/?agendada=1"
    page = text_of(client.get(response["Location"]))
    assert "Cita agendada" in page and appointment.code in page
    assert '<svg class="app-qr"' in page and f'aria-label="Código QR de la cita {appointment.code}"' in page
    assert "por correo electrónico y por SMS" in page
    assert f"/citas/mias/{appointment.code}/cita.ics" in page

    ics = client.get(f"/citas/mias/{appointment.code}/cita.ics")
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(ics.content)
    event = calendar.walk("VEVENT")[0]
    assert event.decoded("dtstart") == dt.datetime(2027, 3, 1, 10, 0, tzinfo=CDMX)
    assert str(event.get("dtstart").params["TZID"]) == "America/Mexico_City"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Mexico_City"]
    assert offering.schedule.office.street in str(event["location"])
    assert appointment.code in str(event["description"])


@pytest.mark.django_db
def test_a_full_slot_is_a_409_that_keeps_the_office_and_offers_other_times(monday):
    offering = make_offering(capacity=1)
    slot = next_slot(offering)
    actions.do_book(slot, actions.Person(curp="OTRA850412HDFRRL01", name="Otra"))
    client = signed_in(make_citizen())
    before = client.get("/citas/confirmar/", {"horario": slot.pk})
    assert before.status_code == 409 and "Ese horario ya se ocupó o está por empezar. Elija otro." in text_of(before)
    response = client.post("/citas/confirmar/", {"horario": slot.pk})
    assert response.status_code == 409
    page = text_of(response)
    assert "Alguien acaba de tomar el último lugar de ese horario. Elija otro." in page
    assert offering.schedule.office.name in page and 'type="radio"' in page
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
def test_a_time_that_does_not_exist_is_a_400(monday):
    client = signed_in(make_citizen())
    for value in ("", "abc", "999999"):
        response = client.get("/citas/confirmar/", {"horario": value})
        assert response.status_code == 400
    assert "Ese horario ya no se puede agendar. Elija otro." in text_of(response)


@pytest.mark.django_db
def test_booking_is_rate_limited_per_account(monday, settings):
    settings.APPOINTMENTS_BOOK_RATE_LIMIT = 2
    offering = make_offering(capacity=1)
    slots = list(queries.free_slots(offering)[:3])
    client = signed_in(make_citizen())
    # Two tries (the second refused: one appointment per service), the third is over the limit whatever it asks.
    assert client.post("/citas/confirmar/", {"horario": slots[0].pk}).status_code == 302
    assert client.post("/citas/confirmar/", {"horario": slots[1].pk}).status_code == 409
    limited = client.post("/citas/confirmar/", {"horario": slots[2].pk})
    assert limited.status_code == 429 and "Retry-After" in limited
    assert Slot.objects.get(pk=slots[2].pk).booked == 0


@pytest.mark.django_db
def test_another_accounts_appointment_and_a_bad_token_are_404(monday):
    offering = make_offering()
    owner = make_citizen()
    appointment = actions.do_book(next_slot(offering), actions.person_for(owner))
    stranger = signed_in(make_citizen())
    assert stranger.get(f"/citas/mias/{appointment.code}/").status_code == 404
    assert stranger.post(f"/citas/mias/{appointment.code}/cancelar/").status_code == 404
    assert Client().get(f"/citas/{appointment.code}/no-es-el-token/").status_code == 404
    assert Client().post(f"/citas/{appointment.code}/no-es-el-token/cancelar/").status_code == 404
    assert Client().get(f"/citas/NOEXISTE/{actions.manage_token(appointment)}/").status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


@pytest.mark.django_db
def test_the_sheet_offers_booking_only_where_an_office_takes_appointments(monday):
    offering = make_offering()
    sheet = Client().get(offering.service.url)
    assert "Agendar cita" in text_of(sheet)
    assert f"/citas/tramite/{offering.service_id}/" in text_of(sheet)
    plain = make_service(make_agency())
    assert "Agendar cita" not in text_of(Client().get(plain.url))


@pytest.mark.django_db
def test_mi_expediente_lists_the_coming_appointments(monday):
    offering = make_offering()
    citizen = make_citizen()
    appointment = actions.do_book(next_slot(offering), actions.person_for(citizen))
    page = text_of(signed_in(citizen).get("/mi-expediente/"))
    assert appointment.code in page and "/citas/mias/" in page
    assert "01/03/2027 10:00" in page
    assert "Lugares ofrecidos de una lista de espera" not in page


@pytest.mark.django_db
def test_the_profile_without_curp_still_sees_the_service_list(monday):
    make_offering()
    user = make_account(email="solo@example.mx")
    Profile.objects.filter(user=user).update(curp="")
    assert signed_in(user).get("/citas/").status_code == 200
