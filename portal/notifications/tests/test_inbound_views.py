"""The inbound SMS endpoint as Kannel calls it: the secret, what it accepts, duplicates, the rate limit, the record."""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
import urllib.parse

import pytest
from django.utils import timezone

from portal.accounts.tests.factories import make_account
from portal.notifications import actions, inbound
from portal.notifications.models import InboundOutcome, InboundSms, Notification, NotificationTemplate
from portal.notifications.sms import to_gsm7

URL = "/notificaciones/sms/entrante/"
TOKEN = "secreto-de-prueba-0123456789"
_ids = itertools.count(1)
_reply_seed = importlib.import_module("portal.notifications.migrations.0005_seed_sms_reply_template")


@pytest.fixture
def reply_template(db, settings):
    settings.SMS_INBOUND_TOKEN = TOKEN
    for template in _reply_seed.TEMPLATES:
        NotificationTemplate.objects.get_or_create(
            event=template["event"], channel=template["channel"], language="es", defaults={"body": template["body"]}
        )


def kannel_query(text: bytes | str, *, sender="+525511110000", message_id=None, charset="UTF-8", token=TOKEN) -> str:
    """The query string smsbox builds from get-url: each %-escape URL-encoded, the text as bytes."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    fields = {
        "clave": token,
        "de": sender,
        "id": message_id or f"0d6a5c3e-0000-4000-8000-{next(_ids):012d}",
        "smsc": "phones",
        "charset": charset,
    }
    query = urllib.parse.urlencode(fields)
    return f"{URL}?{query}&texto={urllib.parse.quote_from_bytes(raw)}"


def replies_to(number: str) -> list[str]:
    return list(Notification.objects.filter(event="sms.reply", recipient=number).values_list("body", flat=True))


def test_help_answers_ayuda_and_records_no_text(client, reply_template, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(kannel_query("Ayuda por favor"))
    assert response.status_code == 200
    assert response.content == b""  # Kannel sends nothing back itself: the reply goes through the outbox
    assert replies_to("+525511110000") == [to_gsm7(inbound.help_reply())]
    record = InboundSms.objects.get()
    assert (record.sender, record.command, record.outcome) == ("+525511110000", "AYUDA", InboundOutcome.HELP)
    assert record.reply is not None and record.reply.event == "sms.reply"
    assert [message.to for message in sms_outbox] == ["+525511110000"]  # sent (in-process tasks in tests)


@pytest.mark.parametrize("text", ["", "   ", "hola", "quiero una cita por favor?", "💬", "12345"])
def test_anything_that_is_not_a_command_gets_the_help_never_an_error(client, reply_template, text):
    response = client.get(kannel_query(text, sender="+525511110001"))
    assert response.status_code == 200
    assert replies_to("+525511110001") == [to_gsm7(inbound.help_reply())]
    assert InboundSms.objects.get().command in ("", "AYUDA")


def test_a_ucs2_message_is_decoded_with_the_charset_kannel_names(client, reply_template):
    client.get(kannel_query("¿AYÚDA?".encode("utf-16-be"), sender="+525511110002", charset="UTF-16BE"))
    assert InboundSms.objects.get().command == "AYUDA"


def test_the_same_message_delivered_twice_is_answered_once(
    client, reply_template, sms_outbox, django_capture_on_commit_callbacks
):
    query = kannel_query("AYUDA", sender="+525511110003", message_id="dup-1")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(query).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(query).status_code == 200
    assert InboundSms.objects.count() == 1
    assert len(replies_to("+525511110003")) == 1
    assert len(sms_outbox) == 1


def test_a_wrong_or_missing_secret_is_refused_and_nothing_is_recorded(client, reply_template):
    assert client.get(kannel_query("AYUDA", token="otra-clave")).status_code == 403
    assert client.get(kannel_query("AYUDA", token="")).status_code == 403
    assert client.post(kannel_query("AYUDA", token="x")).status_code == 403
    assert not InboundSms.objects.exists()


def test_without_a_configured_secret_everything_is_refused(client, reply_template, settings):
    settings.SMS_INBOUND_TOKEN = ""
    assert client.get(kannel_query("AYUDA", token="")).status_code == 403


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (f"{URL}?clave={TOKEN}&de=%2B525511110000&id=abc", "Faltan parámetros de Kannel: texto"),
        (f"{URL}?clave={TOKEN}&texto=AYUDA", "Faltan parámetros de Kannel: de, id"),
        (f"{URL}?clave={TOKEN}&de=%2B525511110000&texto=AYUDA&id=a%20b", "identificador del mensaje"),
        (f"{URL}?clave={TOKEN}&de=&texto=AYUDA&id=abc", "remitente"),
        (f"{URL}?clave={TOKEN}&de=1&texto=AYUDA&id=abc&charset=EBCDIC", "Juego de caracteres"),
        (f"{URL}?clave={TOKEN}&de=1&texto=%FF%FE&id=abc&charset=UTF-8", "no está en el juego de caracteres"),
        (f"{URL}?clave={TOKEN}&de=1&texto={'A' * 7000}&id=abc", "más largo"),
    ],
)
def test_a_request_kannel_would_not_send_is_a_clear_400(client, reply_template, query, message):
    response = client.get(query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not InboundSms.objects.exists()


def test_a_post_with_form_fields_is_accepted_like_a_get(client, reply_template):
    body = urllib.parse.urlencode({"clave": TOKEN, "de": "+525511110004", "texto": "ayuda", "id": "post-1"})
    response = client.post(URL, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert InboundSms.objects.get().command == "AYUDA"


def test_operator_spellings_of_a_mexican_number_reach_the_account_form(client, reply_template):
    client.get(kannel_query("AYUDA", sender="5215511110005"))
    assert InboundSms.objects.get().sender == "+525511110005"
    assert replies_to("+525511110005")


def test_a_sender_that_cannot_be_answered_is_recorded_without_a_reply(client, reply_template):
    assert client.get(kannel_query("AYUDA", sender="BANCO")).status_code == 200
    record = InboundSms.objects.get()
    assert (record.outcome, record.reply, record.sender) == (InboundOutcome.UNANSWERABLE, None, "")


def test_over_the_limit_one_short_notice_then_silence(client, reply_template, settings):
    settings.SMS_INBOUND_RATE_LIMIT = 3
    number = "+525511110006"
    for _ in range(6):
        assert client.get(kannel_query("AYUDA", sender=number)).status_code == 200
    outcomes = list(InboundSms.objects.order_by("pk").values_list("outcome", flat=True))
    assert outcomes == [InboundOutcome.HELP] * 3 + [InboundOutcome.RATE_LIMITED] + [InboundOutcome.SILENCED] * 2
    replies = replies_to(number)
    assert len(replies) == 4
    assert to_gsm7(inbound.rate_limited_reply()) in replies
    # Another number is not affected.
    client.get(kannel_query("AYUDA", sender="+525511110007"))
    assert InboundSms.objects.filter(sender="+525511110007").get().outcome == InboundOutcome.HELP


def _whose(sender, arguments, account):
    return f"cuenta {account.pk}" if account is not None else "sin cuenta"


def _broken(sender, arguments, account):
    Notification.objects.create(event="x", channel="sms", recipient="+525500000000", idempotency_key="half-written")
    raise RuntimeError("a bug")


@pytest.fixture
def test_commands():
    inbound.register_command(("QUIEN",), _whose, help_text="QUIEN")
    inbound.register_command(("ROTO",), _broken, help_text="ROTO")
    yield
    inbound.unregister_command("QUIEN")
    inbound.unregister_command("ROTO")


def test_a_handler_gets_the_account_only_for_a_verified_phone(client, reply_template, test_commands):
    verified = make_account(phone="+525511110008")
    make_account(phone="+525511110009", verified=False)
    client.get(kannel_query("quién", sender="+52 1 55 1111 0008"))
    client.get(kannel_query("QUIEN", sender="+525511110009"))
    assert replies_to("+525511110008") == [f"cuenta {verified.pk}"]
    assert replies_to("+525511110009") == ["sin cuenta"]
    assert InboundSms.objects.filter(command="QUIEN", outcome=InboundOutcome.ANSWERED).count() == 2


def test_a_failing_handler_is_answered_with_an_apology_and_leaves_nothing_behind(
    client, reply_template, test_commands, caplog
):
    assert client.get(kannel_query("roto 2026-ABCD", sender="+525511110010")).status_code == 200
    assert replies_to("+525511110010") == [to_gsm7(inbound.failure_reply())]
    assert InboundSms.objects.get().outcome == InboundOutcome.FAILED
    assert not Notification.objects.filter(idempotency_key="half-written").exists()
    assert "+525511110010" not in caplog.text and "2026-ABCD" not in caplog.text


def test_received_numbers_are_blanked_after_the_retention_period(client, reply_template, settings):
    client.get(kannel_query("AYUDA", sender="+525511110011"))
    record = InboundSms.objects.get()
    assert actions.do_redact_inbound_expired() == 0
    later = timezone.now() + dt.timedelta(days=settings.SMS_INBOUND_RETENTION_DAYS + 1)
    assert actions.do_redact_inbound_expired(now=later) == 1
    record.refresh_from_db()
    assert (record.sender, record.command, record.redacted_at) == ("", "AYUDA", later)
