"""SMS through a real Kannel (bearerbox + smsbox) to its fake SMSC, with real delivery reports."""

from __future__ import annotations

import datetime as dt
import itertools
import subprocess

import pytest
import time_machine
from django.utils import timezone

from portal.notifications import actions, channels
from portal.notifications.models import NotificationTemplate, Status
from testing import servers
from testing.servers import run_worker, wait_until

_numbers = itertools.count(5512340000)


def new_number() -> str:
    """Each test its own number: the gateway runs for the whole session."""
    return f"+52{next(_numbers)}"


def verification(number: str, key: str, code: str = "482913"):
    return actions.do_notify(
        "account.verification_code", "sms", number, {"code": code, "minutes_valid": 10, "name": "Begoña"}, key
    )


@pytest.mark.django_db
def test_a_queued_sms_reaches_the_operator_with_its_text_and_number(
    default_templates, database_queue, kannel_settings, delivery_report_catcher, client
):
    number = new_number()
    NotificationTemplate.objects.filter(event="account.verification_code", channel="sms").update(
        body="Señor(a) {{ name }}: su código es {{ code }} €"
    )
    notification = verification(number, "verification:kannel-1")
    run_worker()
    notification.refresh_from_db()
    assert notification.status == Status.SENT  # the gateway has it; its delivery report will say more

    wait_until(lambda: kannel_settings.texts_to(number), what="the SMS at the fake SMSC")
    assert kannel_settings.texts_to(number) == ["Señor(a) Begoña: su código es 482913 €"]
    assert kannel_settings.messages_to(number)[0].sender == "50505"

    wait_until(lambda: len(delivery_report_catcher.paths) >= 2, what="Kannel's delivery reports")
    for path in delivery_report_catcher.paths:
        assert client.get(path).status_code == 200
    notification.refresh_from_db()
    assert notification.status == Status.DELIVERED
    assert notification.provider_message_id


@pytest.mark.django_db
def test_a_gsm_text_with_spanish_letters_goes_as_gsm7(default_templates, database_queue, kannel_settings):
    number = new_number()
    verification(number, "verification:kannel-2", code="777111")
    run_worker()
    wait_until(lambda: kannel_settings.texts_to(number), what="the SMS at the fake SMSC")
    received = kannel_settings.messages_to(number)
    assert [message.coding for message in received] == ["text"]
    assert kannel_settings.texts_to(number) == [
        "Ventanilla: su codigo de verificacion es 777111. Vence en 10 min. No lo comparta con nadie."
    ]


@pytest.mark.django_db
def test_while_the_gateway_is_down_the_sms_waits_and_goes_once_when_it_is_back(
    default_templates, database_queue, kannel_settings
):
    number = new_number()
    kannel_settings.stop_smsbox()
    notification = verification(number, "verification:kannel-3")
    run_worker()
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.QUEUED, 1)
    assert notification.last_error.startswith("pasarela inaccesible")
    assert number.lstrip("+") not in notification.last_error

    kannel_settings.start_smsbox()
    with time_machine.travel(notification.next_attempt_at + dt.timedelta(seconds=1)):
        run_worker()
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    wait_until(lambda: kannel_settings.texts_to(number), what="the SMS at the fake SMSC")

    with time_machine.travel(timezone.now() + dt.timedelta(hours=2)):
        actions.do_requeue_stale()
        run_worker()
    assert len(kannel_settings.texts_to(number)) == 1


@pytest.mark.django_db
def test_an_sms_the_gateway_took_before_the_worker_died_is_not_sent_again(
    default_templates, database_queue, kannel_settings, delivery_report_catcher, client, settings
):
    number = new_number()
    notification = verification(number, "verification:kannel-4")
    claimed = actions._claim(notification.pk, timezone.now())
    # The worker hands the SMS to the gateway and is killed before it can record the answer.
    channels.send(claimed, delivery_report_url=actions.delivery_report_url(claimed))
    wait_until(lambda: len(delivery_report_catcher.paths) >= 2, what="Kannel's delivery reports")
    for path in delivery_report_catcher.paths:
        client.get(path)
    notification.refresh_from_db()
    assert notification.status == Status.DELIVERED

    later = timezone.now() + dt.timedelta(seconds=settings.NOTIFICATIONS_SENDING_TIMEOUT + 60)
    with time_machine.travel(later):
        assert actions.do_requeue_stale() == 0
        run_worker()
    assert len(kannel_settings.texts_to(number)) == 1


def _no_installing(*args, **kwargs):
    raise AssertionError(f"the test harness ran a program to install Kannel: {args}")


def test_without_kannel_a_test_is_skipped_locally_and_nothing_is_installed(monkeypatch):
    monkeypatch.setattr(servers, "_kannel_programs", lambda: None)
    monkeypatch.setattr(subprocess, "run", _no_installing)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"apt-get install kannel kannel-extras"):
        servers.require_kannel()


def test_without_kannel_a_test_fails_in_ci(monkeypatch):
    monkeypatch.setattr(servers, "_kannel_programs", lambda: None)
    monkeypatch.setattr(subprocess, "run", _no_installing)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        servers.require_kannel()
