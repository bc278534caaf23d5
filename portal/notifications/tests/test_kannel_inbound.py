"""SMS people send, through a real Kannel: the fake operator delivers them, smsbox calls the portal (the live
server), and the reply goes out through the outbox, the worker and Kannel to the operator."""

from __future__ import annotations

import importlib
import itertools

import pytest

from portal.notifications import inbound
from portal.notifications.models import InboundOutcome, InboundSms, NotificationTemplate
from portal.notifications.sms import to_gsm7
from testing.servers import run_worker, wait_until

_numbers = itertools.count(5533330000)
_reply_seed = importlib.import_module("portal.notifications.migrations.0005_seed_sms_reply_template")
pytestmark = pytest.mark.django_db(transaction=True)


def new_number() -> str:
    """Each test its own number: the gateway runs for the whole session."""
    return f"+52{next(_numbers)}"


@pytest.fixture
def reply_template(transactional_db):
    for template in _reply_seed.TEMPLATES:
        NotificationTemplate.objects.get_or_create(
            event=template["event"], channel=template["channel"], language="es", defaults={"body": template["body"]}
        )


def text_the_portal(gateway, number: str, text: str, **options) -> None:
    """The person sends ``text``; returns once the portal has answered Kannel's request."""
    before = len(gateway.relay.statuses)
    gateway.send_from_phone(number, text, **options)
    wait_until(lambda: len(gateway.relay.statuses) > before, 15, what="Kannel to call the portal")
    assert gateway.relay.statuses[-1] == 200


def test_ayuda_from_a_phone_gets_the_help_back_at_the_phone(kannel_inbound, reply_template, database_queue):
    number = new_number()
    text_the_portal(kannel_inbound, number, "  Ayúda ")
    assert not kannel_inbound.texts_to(number)  # Kannel sent nothing of its own (max-messages = 0)
    run_worker()
    wait_until(lambda: kannel_inbound.texts_to(number), what="the reply at the fake SMSC")
    assert kannel_inbound.texts_to(number) == [to_gsm7(inbound.help_reply())]
    assert [message.coding for message in kannel_inbound.messages_to(number)] == ["text"]  # GSM-7, one part
    record = InboundSms.objects.get(sender=number)
    assert (record.command, record.outcome, record.smsc_id) == ("AYUDA", InboundOutcome.HELP, "phones")
    assert len(record.message_id) >= 32  # Kannel's own id (%I)


def test_a_ucs2_message_from_a_phone_is_understood(kannel_inbound, reply_template, database_queue):
    number = new_number()
    text_the_portal(kannel_inbound, number, "¿Ayúda?", ucs2=True)
    assert InboundSms.objects.get(sender=number).command == "AYUDA"


def test_a_number_over_the_limit_gets_one_notice_then_nothing(kannel_inbound, reply_template, database_queue, settings):
    settings.SMS_INBOUND_RATE_LIMIT = 2
    number = new_number()
    for _ in range(4):
        text_the_portal(kannel_inbound, number, "hola")
    run_worker()
    wait_until(lambda: len(kannel_inbound.texts_to(number)) >= 3, what="the replies at the fake SMSC")
    help_text = to_gsm7(inbound.help_reply())
    assert kannel_inbound.texts_to(number) == [help_text, help_text, to_gsm7(inbound.rate_limited_reply())]
    assert InboundSms.objects.filter(sender=number, outcome=InboundOutcome.SILENCED).count() == 1
