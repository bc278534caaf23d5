"""The outbox: queued in the caller's transaction, sent once, retried with backoff, recovered after a crash.

E-mail goes to a real SMTP server (aiosmtpd on 127.0.0.1) and tasks through django_tasks_db's table and its real
``db_worker``.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from hypothesis import given
from hypothesis import strategies as st

from portal.notifications import actions
from portal.notifications.models import Notification, NotificationAttempt, NotificationTemplate, Outcome, Status
from portal.notifications.tasks import send_notification
from testing.servers import run_worker

SUBMITTED = {
    "name": "José",
    "folio": "SAT-2025-000042",
    "service_name": "Inscripción al RFC",
    "agency_name": "Servicio de Administración Tributaria",
    "submitted_at": dt.datetime(2025, 5, 2, 17, 30, tzinfo=dt.UTC),
    "url": "https://ventanilla.example/mi-expediente/SAT-2025-000042/",
}
ADDRESS = "jose.nunez@example.org"


def notify(key: str = "application:42", **overrides) -> Notification:
    arguments: dict[str, Any] = {
        "event": "application.submitted",
        "channel": "email",
        "recipient": ADDRESS,
        "context": SUBMITTED,
        "idempotency_key": key,
    }
    arguments.update(overrides)
    return actions.do_notify(**arguments)


def task_rows():
    return DBTaskResult.objects.filter(task_path="portal.notifications.tasks.send_notification")


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_queues_nothing_and_a_committed_one_queues_its_task(
    default_templates, database_queue, smtp_settings
):
    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), transaction.atomic():
        notify()
        assert task_rows().count() == 1
        raise Abandoned
    assert Notification.objects.count() == 0
    assert task_rows().count() == 0

    with transaction.atomic():
        notification = notify()
    task = task_rows().get()
    assert task.args_kwargs == {"args": [notification.pk], "kwargs": {}}
    assert (task.queue_name, task.status) == ("notifications", "READY")
    assert notification.task_id == str(task.pk)
    assert smtp_settings.messages == []

    run_worker()

    notification.refresh_from_db()
    assert notification.status == Status.DELIVERED
    assert notification.attempts == 1
    assert [mail.rcpt_tos for mail in smtp_settings.messages] == [(ADDRESS,)]


@pytest.mark.django_db
def test_the_same_cause_twice_sends_one_message(default_templates, database_queue, smtp_settings):
    first = notify()
    second = notify(context={**SUBMITTED, "folio": "OTRO"})
    assert second.pk == first.pk
    assert task_rows().count() == 1
    run_worker()
    assert len(smtp_settings.messages) == 1
    assert "SAT-2025-000042" in smtp_settings.messages[0].subject
    other_cause = notify(key="application:43")
    assert other_cause.pk != first.pk


@pytest.mark.django_db
def test_a_delivered_message_is_never_sent_again(default_templates, database_queue, smtp_settings):
    notification = notify()
    run_worker()
    send_notification.enqueue(notification.pk)
    send_notification.enqueue(notification.pk)
    run_worker()
    actions.do_requeue_stale(timezone.now() + dt.timedelta(days=1))
    run_worker()
    notification.refresh_from_db()
    assert notification.status == Status.DELIVERED
    assert notification.attempts == 1
    assert len(smtp_settings.messages) == 1


@pytest.mark.django_db
def test_while_the_mail_server_is_down_the_message_waits_and_is_delivered_when_it_is_back(
    default_templates, database_queue, smtp_settings, settings
):
    settings.NOTIFICATIONS_RETRY_DELAYS = [30, 120, 600]
    smtp_settings.stop()
    start = timezone.now()
    notification = notify()

    run_worker()
    notification.refresh_from_db()
    assert notification.status == Status.QUEUED
    assert notification.attempts == 1
    assert notification.last_error == "ConnectionRefusedError"
    wait = (notification.next_attempt_at - start).total_seconds()
    assert 30 * 0.8 <= wait <= 30 * 1.2 + 5
    retry = task_rows().get(status="READY")
    assert retry.run_after == notification.next_attempt_at

    # Not due yet: the worker leaves it alone.
    run_worker()
    notification.refresh_from_db()
    assert notification.attempts == 1

    with time_machine.travel(notification.next_attempt_at + dt.timedelta(seconds=1)):
        run_worker()  # still down: second failure, the next wait is about 2 minutes
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.QUEUED, 2)
    second_wait = (notification.next_attempt_at - (retry.run_after + dt.timedelta(seconds=1))).total_seconds()
    assert 120 * 0.8 <= second_wait <= 120 * 1.2 + 5

    smtp_settings.start()
    with time_machine.travel(notification.next_attempt_at + dt.timedelta(seconds=1)):
        run_worker()
    notification.refresh_from_db()
    assert notification.status == Status.DELIVERED
    assert notification.last_error == ""
    assert len(smtp_settings.messages) == 1
    assert list(notification.attempt_history.values_list("outcome", flat=True)) == [
        Outcome.TEMPORARY_FAILURE,
        Outcome.TEMPORARY_FAILURE,
        Outcome.ACCEPTED,
    ]


@pytest.mark.django_db
def test_after_the_last_attempt_the_message_is_failed(default_templates, database_queue, smtp_settings, settings):
    settings.NOTIFICATIONS_RETRY_DELAYS = [1, 1]
    smtp_settings.stop()
    notification = notify()
    for _attempt in range(3):
        notification.refresh_from_db()
        with time_machine.travel(notification.next_attempt_at + dt.timedelta(seconds=1)):
            run_worker()
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.FAILED, 3)
    assert not task_rows().filter(status="READY").exists()


@pytest.mark.django_db
def test_a_refused_address_fails_at_once_and_the_error_does_not_name_it(
    default_templates, database_queue, smtp_settings
):
    smtp_settings.refused_recipients.add(ADDRESS)
    notification = notify()
    run_worker()
    notification.refresh_from_db()
    assert notification.status == Status.FAILED
    assert notification.last_error == "SMTP 550 destinatario rechazado"
    assert "example.org" not in NotificationAttempt.objects.get().error


@pytest.mark.django_db
def test_a_message_left_sending_by_a_killed_worker_is_sent_after_the_timeout(
    default_templates, database_queue, smtp_settings, settings
):
    notification = notify()
    task_rows().update(status="RUNNING")  # the worker took the task...
    claimed = actions._claim(notification.pk, timezone.now())  # ...marked the message sending, and was killed
    assert claimed.status == Status.SENDING

    assert actions.do_requeue_stale(timezone.now() + dt.timedelta(seconds=10)) == 0
    later = timezone.now() + dt.timedelta(seconds=settings.NOTIFICATIONS_SENDING_TIMEOUT + 1)
    with time_machine.travel(later):
        assert actions.do_requeue_stale() == 1
        notification.refresh_from_db()
        assert notification.status == Status.QUEUED
        assert notification.attempt_history.get().outcome == Outcome.INTERRUPTED
        run_worker()
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.DELIVERED, 2)
    assert len(smtp_settings.messages) == 1


@pytest.mark.django_db
def test_a_queued_message_whose_task_vanished_is_enqueued_again(
    default_templates, database_queue, smtp_settings, settings
):
    notification = notify()
    later = timezone.now() + dt.timedelta(seconds=settings.NOTIFICATIONS_REQUEUE_GRACE + 1)
    with time_machine.travel(later):
        assert actions.do_requeue_stale() == 0  # its task is waiting: nothing to do
        task_rows().delete()
        assert actions.do_requeue_stale() == 1
        assert task_rows().count() == 1
        run_worker()
    notification.refresh_from_db()
    assert notification.status == Status.DELIVERED
    assert len(smtp_settings.messages) == 1


@pytest.mark.django_db
def test_without_a_template_the_message_is_failed_for_staff_to_see_and_the_caller_goes_on(database_queue):
    NotificationTemplate.objects.filter(event="application.submitted").delete()
    notification = notify()
    assert notification.status == Status.FAILED
    assert notification.last_error == "sin plantilla para este evento y canal"
    assert task_rows().count() == 0


@pytest.mark.django_db
def test_the_caller_passes_exactly_the_declared_variables_and_a_real_address(default_templates):
    with pytest.raises(actions.InvalidNotification, match="missing"):
        notify(context={"folio": "X"})
    with pytest.raises(actions.InvalidNotification, match="undeclared"):
        notify(context={**SUBMITTED, "curp": "XEXX010101HNEXXXA4"})
    with pytest.raises(actions.InvalidNotification, match="plain values"):
        notify(context={**SUBMITTED, "name": object()})
    with pytest.raises(actions.InvalidNotification, match="unknown event"):
        notify(event="application.vanished")
    with pytest.raises(actions.InvalidRecipient):
        notify(recipient="no es correo")
    with pytest.raises(actions.InvalidRecipient):
        notify(channel="sms", recipient="55 1234")
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_with_the_in_process_backend_the_sms_is_sent_when_the_transaction_commits(
    default_templates, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = actions.do_notify(
            "account.verification_code",
            "sms",
            "+52 (55) 1234-5678",
            {"code": "123456", "minutes_valid": 10},
            "verification:1",
        )
        assert sms_outbox == []
    notification.refresh_from_db()
    assert notification.recipient == "+525512345678"
    assert notification.status == Status.DELIVERED
    assert [message.to for message in sms_outbox] == ["+525512345678"]
    assert "123456" in sms_outbox[0].text


@pytest.mark.django_db
def test_finished_messages_lose_address_and_text_after_the_retention_period(default_templates, sms_outbox, settings):
    notification = actions.do_notify(
        "account.verification_code", "sms", "+525512345678", {"code": "1", "minutes_valid": 5}, "verification:2"
    )
    actions.do_send_notification(notification.pk)
    assert actions.do_redact_expired(timezone.now()) == 0
    later = timezone.now() + dt.timedelta(days=settings.NOTIFICATIONS_RETENTION_DAYS + 1)
    assert actions.do_redact_expired(later) == 1
    notification.refresh_from_db()
    assert (notification.recipient, notification.body, notification.status) == ("", "", Status.DELIVERED)


@given(st.integers(min_value=1, max_value=6), st.integers())
def test_each_retry_waits_its_delay_give_or_take_a_fifth(failures, seed):
    delays = [30, 120, 600, 3600, 10800, 21600]
    delay = actions.retry_delay(failures, delays, random.Random(seed))
    assert delays[failures - 1] * 0.8 <= delay <= delays[failures - 1] * 1.2


@given(st.integers(min_value=7, max_value=1000))
def test_no_retry_after_the_last_delay(failures):
    assert actions.retry_delay(failures, [30, 120, 600, 3600, 10800, 21600]) is None
    assert actions.retry_delay(0, [30]) is None
