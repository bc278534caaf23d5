"""CITA and CANCELAR by SMS: the next appointments of the verified phone's account, and cancelling one of them; a
code that is someone else's is answered like one that does not exist."""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
import zoneinfo

import pytest
import time_machine

from portal.appointments import actions, queue
from portal.appointments.models import AppointmentStatus
from portal.notifications import actions as notifications
from portal.notifications.models import Notification, NotificationTemplate
from portal.notifications.sms import sms_info
from testing.servers import run_worker, wait_until

from .factories import make_citizen, make_offering, next_slot

pytestmark = pytest.mark.django_db
CDMX = zoneinfo.ZoneInfo("America/Mexico_City")
MONDAY = dt.datetime(2027, 3, 1, 8, 0, tzinfo=CDMX)
PHONE = "+525533330000"
_ids = itertools.count(1)
_reply_seed = importlib.import_module("portal.notifications.migrations.0005_seed_sms_reply_template")


@pytest.fixture(autouse=True)
def reply_template():
    for template in _reply_seed.TEMPLATES:
        NotificationTemplate.objects.get_or_create(
            event=template["event"], channel=template["channel"], language="es", defaults={"body": template["body"]}
        )


@pytest.fixture
def booked():
    with time_machine.travel(MONDAY, tick=False):
        offering = make_offering()
        owner = make_citizen(phone=PHONE)
        appointment = actions.do_book(next_slot(offering), actions.person_for(owner))
        yield appointment


def texted(sender: str, text: str) -> str:
    received = notifications.do_receive_sms(f"citas-{next(_ids)}", sender, text)
    assert received.record.reply is not None
    return received.record.reply.body


def test_cita_lists_the_next_appointments_of_the_verified_phone_in_one_sms(booked):
    reply = texted(PHONE, "Cita")
    assert booked.code in reply and "lun 01/03 10:00" in reply and booked.offering.schedule.office.name in reply
    assert sms_info(reply).segments == 1


def test_cita_from_an_unverified_number_says_how_to_verify_it(booked):
    reply = texted("+525599990000", "CITA")
    assert booked.code not in reply and "verifique este celular" in reply


def test_cancelar_cancels_the_owners_appointment_and_the_reply_is_the_only_sms(booked):
    reply = texted(PHONE, f"cancelar {booked.code.lower()}")
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.CANCELLED
    assert "quedo cancelada" in reply
    assert booked.events.last().channel == "sms"
    notices = Notification.objects.filter(event="appointment.cancelled")
    assert [n.channel for n in notices] == ["email"]


def test_cancelar_someone_elses_code_is_answered_like_an_unknown_one(booked):
    stranger = make_citizen(phone="+525544440000")
    assert stranger
    other = texted("+525544440000", f"CANCELAR {booked.code}")
    unknown = texted("+525544440000", "CANCELAR ZZZZZZZZ")
    assert other == unknown
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.BOOKED


def test_turno_tells_the_tickets_place_to_anyone_with_its_code():
    with time_machine.travel(MONDAY + dt.timedelta(hours=1), tick=False):
        offering = make_offering()
        first = queue.do_walk_in(offering.schedule, offering)
        second = queue.do_walk_in(offering.schedule, offering)
        reply = texted("+525599990001", f"turno {second.code.lower()}")
        assert second.number in reply and "1 persona antes que usted" in reply
        assert sms_info(reply).segments == 1
        assert first.code not in reply
        assert "no encontramos ese turno" in texted("+525599990001", "TURNO ZZZZZZZZ")


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "search", "notifications"]}
    }


@pytest.mark.django_db(transaction=True)
def test_cancelar_through_kannel_cancels_and_the_reply_reaches_the_phone(kannel_inbound, database_queue):
    from functional_tests.data import ensure_cms_baseline  # test helpers, imported only by the test that needs them

    ensure_cms_baseline()
    for template in _reply_seed.TEMPLATES:
        NotificationTemplate.objects.get_or_create(
            event=template["event"], channel=template["channel"], language="es", defaults={"body": template["body"]}
        )
    owner = make_citizen(phone="+525533331111")
    appointment = actions.do_book(next_slot(make_offering()), actions.person_for(owner))
    before = len(kannel_inbound.relay.statuses)
    kannel_inbound.send_from_phone("+525533331111", f"Cancelar {appointment.code}")
    wait_until(lambda: len(kannel_inbound.relay.statuses) > before, 15, what="Kannel to call the portal")
    run_worker()
    wait_until(lambda: kannel_inbound.texts_to("+525533331111"), what="the reply at the SMSC")
    replies = kannel_inbound.texts_to("+525533331111")
    assert any(appointment.code in text and "quedo cancelada" in text for text in replies)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
