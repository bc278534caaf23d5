"""Writes of the notifications app: queue a message, send it, take delivery reports, recover from crashes.

The outbox works like this (docs/notifications.md has the whole story):

1. ``do_notify`` renders the message and writes a ``Notification`` row *and* the task that sends it in the caller's
   transaction: if the caller rolls back nothing is queued, if it commits nothing is lost.
2. ``do_send_notification`` (the task) claims the row (``queued`` → ``sending``, under a row lock), talks to the
   provider outside any transaction, then records the attempt and the new state: ``delivered`` (SMTP accepted it),
   ``sent`` (the SMS gateway accepted it; its delivery report will say ``delivered`` or ``failed``), back to
   ``queued`` with a later ``next_attempt_at`` (a temporary failure, retried with exponential backoff and jitter), or
   ``failed`` (a permanent failure, or no attempts left).
3. ``do_requeue_stale`` (every minute, from ``run_scheduler``) puts back rows left in ``sending`` by a worker that
   died mid-send, and re-enqueues ``queued`` rows whose task has gone.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.utils import make_msgid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from portal.accounts.phone import normalise_mexican_phone
from portal.core.outbox import enqueue_for_row, task_pending
from portal.core.ratelimit import hit
from portal.notifications.access import delivery_report_token

from . import channels, inbound, queries
from .events import EVENTS, Channel
from .models import FINISHED_STATUSES, InboundOutcome, InboundSms, Notification, NotificationAttempt, Outcome, Status
from .rendering import TemplateProblem, check_context_values, render, render_subject, render_text
from .sms import to_gsm7
from .tasks import send_notification

logger = logging.getLogger(__name__)

RETRY_JITTER = 0.2
_PHONE = re.compile(r"^\+?[1-9]\d{7,14}$")
_PHONE_PUNCTUATION = re.compile(r"[\s\-().]")
_random = random.SystemRandom()


class InvalidRecipient(ValueError):
    pass


class InvalidNotification(ValueError):
    """The calling code asked for something the registry does not allow (a programming error, not bad input)."""


# --- Pure rules --------------------------------------------------------------------------------------------------------


def retry_delay(failed_attempts: int, delays: Sequence[float], rng: random.Random = _random) -> float | None:
    """Seconds to wait after the ``failed_attempts``-th failure, or None when no attempt is left.

    Each delay is spread ±20 % so that messages that failed together (the server was down) do not all come back in
    the same second.
    """
    if failed_attempts < 1 or failed_attempts > len(delays):
        return None
    return delays[failed_attempts - 1] * rng.uniform(1 - RETRY_JITTER, 1 + RETRY_JITTER)


def max_attempts() -> int:
    return len(settings.NOTIFICATIONS_RETRY_DELAYS) + 1


def normalise_recipient(channel: str, recipient: str) -> str:
    value = (recipient or "").strip()
    if channel == Channel.EMAIL:
        try:
            validate_email(value)
        except ValidationError:
            raise InvalidRecipient("not an e-mail address") from None
        local, _at, domain = value.rpartition("@")
        return f"{local}@{domain.lower()}"
    if channel == Channel.SMS:
        value = _PHONE_PUNCTUATION.sub("", value)
        if not _PHONE.match(value):
            raise InvalidRecipient("not a phone number (E.164, e.g. +525512345678)")
        return value
    raise InvalidNotification(f"unknown channel {channel!r}")


def check_context(event: str, context: Mapping[str, Any]) -> None:
    """The context must carry the event's required variables, nothing undeclared, and plain values only."""
    spec = EVENTS.get(event)
    if spec is None:
        raise InvalidNotification(f"unknown event {event!r}")
    missing = spec.required_variables - set(context)
    extra = set(context) - spec.variables
    if missing or extra:
        raise InvalidNotification(f"event {event!r}: missing {sorted(missing)}, undeclared {sorted(extra)}")
    try:
        check_context_values(context)
    except TypeError as error:
        raise InvalidNotification(str(error)) from error


def delivery_report_url(notification: Notification) -> str:
    if notification.channel != Channel.SMS:
        return ""
    path = reverse("notifications:sms_delivery_report", args=[notification.pk, delivery_report_token(notification.pk)])
    # Kannel fills in %d (the report type) and %F (the SMSC's id for the message, the same in every report).
    return f"{settings.SMS_DLR_BASE_URL.rstrip('/')}{path}?estado=%d&ref=%F"


# --- Queueing ----------------------------------------------------------------------------------------------------------


def _enqueue(notification: Notification, *, run_after: dt.datetime | None = None) -> None:
    """Enqueue the send task in the transaction that wrote the notification's new state (``core.outbox``); if the
    process dies before another backend's task is enqueued, ``do_requeue_stale`` finds the queued row without one."""
    task_id = enqueue_for_row(send_notification, notification.pk, run_after=run_after)
    if task_id is not None:
        notification.task_id = task_id
        Notification.objects.filter(pk=notification.pk).update(task_id=task_id)


def _message_id() -> str:
    domain = urlsplit(settings.PORTAL_BASE_URL).hostname or "ventanilla.localhost"
    return make_msgid(domain=domain)


@transaction.atomic
def do_notify(
    event: str,
    channel: str,
    recipient: str,
    context: Mapping[str, Any],
    idempotency_key: str,
    *,
    language: str = "es",
) -> Notification:
    """Queue ``event``'s message to ``recipient`` over ``channel``, once per ``idempotency_key``.

    Call it inside the transaction that makes the change the message announces. The key names the cause, e.g.
    ``f"application:{application.pk}"`` or ``f"verification:{code.pk}"``: calling again with the same event, channel
    and key returns the first notification and sends nothing more. The message is rendered now, so later edits to the
    template do not change a message already queued. A missing template or one that fails with this data gives a
    ``failed`` notification that staff see in the admin, not an exception in the citizen's request.
    """
    channel = Channel(channel)
    check_context(event, context)
    address = normalise_recipient(channel, recipient)
    if not idempotency_key or len(idempotency_key) > 200:
        raise InvalidNotification("idempotency_key must be 1 to 200 characters")
    existing = Notification.objects.filter(event=event, channel=channel, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing

    notification = Notification(
        event=event, channel=channel, recipient=address, language=language, idempotency_key=idempotency_key
    )
    template = queries.template_for(event, channel, language)
    if template is None:
        notification.status = Status.FAILED
        notification.last_error = "sin plantilla para este evento y canal"
    else:
        try:
            notification.body = render_text(template.body, context, language=language)
            if channel == Channel.EMAIL:
                notification.subject = render_subject(template.subject, context, language=language)
                if template.html_body.strip():
                    notification.html_body = render(template.html_body, context, html=True, language=language).strip()
        except TemplateProblem:
            notification.status = Status.FAILED
            notification.last_error = "la plantilla no se pudo generar con estos datos"
    if channel == Channel.EMAIL:
        notification.provider_message_id = _message_id()
    try:
        with transaction.atomic():
            notification.save(force_insert=True)
    except IntegrityError:
        # The same cause, queued by a concurrent transaction that committed first.
        return Notification.objects.get(event=event, channel=channel, idempotency_key=idempotency_key)
    if notification.status == Status.QUEUED:
        _enqueue(notification)
    else:
        logger.warning(
            "notification=%s event=%s status=failed reason=%s", notification.pk, event, notification.last_error
        )
    return notification


# --- Sending -----------------------------------------------------------------------------------------------------------


def _locked(notification_id: int, *, skip_locked: bool = False) -> Notification | None:
    """The row under a lock until the end of the transaction.

    On PostgreSQL, ``SELECT ... FOR UPDATE`` (with ``SKIP LOCKED`` when another worker holding it means there is
    nothing to do). SQLite has no row locks; its transactions start ``IMMEDIATE`` (settings), which takes the
    database's write lock at ``BEGIN`` and serialises the same sections.
    """
    rows = Notification.objects.filter(pk=notification_id)
    if connection.features.has_select_for_update:
        rows = rows.select_for_update(skip_locked=skip_locked and connection.features.has_select_for_update_skip_locked)
    return rows.first()


def _claim(notification_id: int, now: dt.datetime) -> Notification | None:
    with transaction.atomic():
        notification = _locked(notification_id, skip_locked=True)
        if notification is None or notification.status != Status.QUEUED or notification.next_attempt_at > now:
            # Gone, held by another worker, already handled, or a duplicate task that came before a retry is due.
            return None
        notification.status = Status.SENDING
        notification.attempts += 1
        notification.sending_started_at = now
        notification.save(update_fields=["status", "attempts", "sending_started_at"])
        return notification


def do_send_notification(notification_id: int) -> str | None:
    """Send one queued notification; a no-op for anything not queued and due. Returns the resulting status.

    The provider is called outside any transaction (a slow SMTP server must not hold a lock or the SQLite write lock).
    If the process dies during the call, the row stays ``sending`` and ``do_requeue_stale`` puts it back.
    """
    started = timezone.now()
    notification = _claim(notification_id, started)
    if notification is None:
        return None
    accepted: channels.Accepted | None = None
    error: channels.DeliveryError | None = None
    try:
        accepted = channels.send(notification, delivery_report_url=delivery_report_url(notification))
    except channels.DeliveryError as failure:
        error = failure
    except Exception as failure:
        # A bug or an unexpected library error: retried like a temporary failure, logged without the message.
        logger.exception("notification=%s adapter_error=%s", notification_id, type(failure).__name__)
        error = channels.DeliveryError(type(failure).__name__)
    finished = timezone.now()

    with transaction.atomic():
        notification = _locked(notification_id)
        if notification is None:
            return None
        attempt = NotificationAttempt(notification=notification, number=notification.attempts, started_at=started)
        in_flight = notification.status in (Status.QUEUED, Status.SENDING)
        if accepted is not None:
            attempt.outcome = Outcome.ACCEPTED
            notification.sent_at = notification.sent_at or finished
            notification.last_error = ""
            if accepted.provider_message_id and not notification.provider_message_id:
                notification.provider_message_id = accepted.provider_message_id
            if in_flight:
                # A delivery report may already have moved it on (to sent, delivered or failed): keep that.
                notification.status = Status.DELIVERED if accepted.final else Status.SENT
                if accepted.final:
                    notification.delivered_at = finished
        else:
            assert error is not None
            attempt.error = error.code
            notification.last_error = error.code
            delay = None if error.permanent else retry_delay(notification.attempts, settings.NOTIFICATIONS_RETRY_DELAYS)
            attempt.outcome = Outcome.PERMANENT_FAILURE if error.permanent else Outcome.TEMPORARY_FAILURE
            if in_flight:
                if delay is None:
                    notification.status = Status.FAILED
                else:
                    notification.status = Status.QUEUED
                    notification.next_attempt_at = finished + dt.timedelta(seconds=delay)
                    _enqueue(notification, run_after=notification.next_attempt_at)
        attempt.finished_at = finished
        attempt.save()
        notification.save()
    logger.info(
        "notification=%s event=%s channel=%s attempt=%s status=%s error=%s",
        notification.pk,
        notification.event,
        notification.channel,
        notification.attempts,
        notification.status,
        notification.last_error or "-",
    )
    return notification.status


# --- Delivery reports --------------------------------------------------------------------------------------------------

KANNEL_DELIVERED = 1
KANNEL_UNDELIVERED = 2
KANNEL_QUEUED_ON_SMSC = 4
KANNEL_ACCEPTED_BY_SMSC = 8
KANNEL_REJECTED_BY_SMSC = 16
DELIVERY_REPORT_TYPES = (
    KANNEL_DELIVERED,
    KANNEL_UNDELIVERED,
    KANNEL_QUEUED_ON_SMSC,
    KANNEL_ACCEPTED_BY_SMSC,
    KANNEL_REJECTED_BY_SMSC,
)


def do_record_delivery_report(notification: Notification, report_type: int, provider_ref: str = "") -> Notification:
    """Apply a Kannel delivery report. Reports may come late, twice or out of order; the state only moves forward.

    An SMSC acceptance (8) of a message still marked ``sending`` or ``queued`` also tells that the gateway has it,
    which is what keeps a message whose worker died after the gateway accepted it from being sent again.
    """
    now = timezone.now()
    with transaction.atomic():
        row = _locked(notification.pk)
        if row is None:
            raise Http404
        if provider_ref and not row.provider_message_id:
            row.provider_message_id = provider_ref[:255]
        if report_type == KANNEL_DELIVERED:
            row.status = Status.DELIVERED
            row.delivered_at = row.delivered_at or now
            row.last_error = ""
        elif report_type in (KANNEL_UNDELIVERED, KANNEL_REJECTED_BY_SMSC):
            if row.status != Status.DELIVERED:
                row.status = Status.FAILED
                row.last_error = f"informe de entrega {report_type}"
        elif row.status in (Status.QUEUED, Status.SENDING):
            row.status = Status.SENT
            row.sent_at = row.sent_at or now
        row.save()
    logger.info("notification=%s delivery_report=%s status=%s", row.pk, report_type, row.status)
    return row


# --- Recovery and retention --------------------------------------------------------------------------------------------


def do_requeue_stale(now: dt.datetime | None = None) -> int:
    """Put back what a crash left behind; returns how many notifications were re-enqueued or given up.

    - ``sending`` for longer than ``NOTIFICATIONS_SENDING_TIMEOUT``: the worker died during the send. The attempt is
      recorded as interrupted and the message is queued again (or failed if it had no attempts left). An SMS whose
      gateway accepted it before the crash has had its delivery report by then and is no longer ``sending``.
    - ``queued`` and due for longer than ``NOTIFICATIONS_REQUEUE_GRACE`` without a task waiting to run: its task row
      was deleted, ran and died, or (non-database backends) was never written. Enqueued again; a duplicate task is
      harmless because the task only sends a row it can claim.
    """
    now = now or timezone.now()
    stale_before = now - dt.timedelta(seconds=settings.NOTIFICATIONS_SENDING_TIMEOUT)
    due_before = now - dt.timedelta(seconds=settings.NOTIFICATIONS_REQUEUE_GRACE)
    handled = 0
    stale = Notification.objects.filter(status=Status.SENDING, sending_started_at__lt=stale_before)
    for notification_id in list(stale.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            notification = _locked(notification_id, skip_locked=True)
            if notification is None or notification.status != Status.SENDING:
                continue
            if notification.sending_started_at and notification.sending_started_at >= stale_before:
                continue
            NotificationAttempt.objects.create(
                notification=notification,
                number=notification.attempts,
                started_at=notification.sending_started_at or now,
                finished_at=now,
                outcome=Outcome.INTERRUPTED,
                error="envío interrumpido",
            )
            notification.last_error = "envío interrumpido"
            if notification.attempts >= max_attempts():
                notification.status = Status.FAILED
            else:
                notification.status = Status.QUEUED
                notification.next_attempt_at = now
                _enqueue(notification)
            notification.save()
            handled += 1
            logger.warning("notification=%s requeued=stale_sending status=%s", notification.pk, notification.status)
    orphans = Notification.objects.filter(status=Status.QUEUED, next_attempt_at__lt=due_before)
    for notification_id in list(orphans.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            notification = _locked(notification_id, skip_locked=True)
            if (
                notification is None
                or notification.status != Status.QUEUED
                or task_pending(send_notification, notification.task_id)
            ):
                continue
            _enqueue(notification)
            handled += 1
            logger.warning("notification=%s requeued=missing_task", notification.pk)
    return handled


def do_redact_expired(now: dt.datetime | None = None) -> int:
    """Blank the address and text of finished notifications older than ``NOTIFICATIONS_RETENTION_DAYS``.

    What stays (event, channel, states, dates, attempts) is enough for statistics and to answer "was it sent?".
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.NOTIFICATIONS_RETENTION_DAYS)
    return Notification.objects.filter(
        status__in=FINISHED_STATUSES, created_at__lt=cutoff, redacted_at__isnull=True
    ).update(recipient="", subject="", body="", html_body="", redacted_at=now)


# --- Inbound SMS -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedSms:
    """What ``do_receive_sms`` did with a message: its record and whether this call was the first to see it."""

    record: InboundSms
    duplicate: bool


def normalise_sender(raw: str) -> str | None:
    """The sender as E.164 (``+525512345678``), or None when it is not a number a reply could go to.

    Mexican numbers as operators write them (``5215512345678``, ``+52 1 55…``, ten digits) become the form accounts
    store, so that a verified phone matches; other international numbers keep their digits behind a ``+``.
    """
    value = (raw or "").strip()
    if not value or len(value) > 32:
        return None
    try:
        return normalise_mexican_phone(value)
    except ValidationError:
        pass
    value = _PHONE_PUNCTUATION.sub("", value)
    if not _PHONE.match(value):
        return None
    return value if value.startswith("+") else f"+{value}"


def _answer(sender: str, text: str) -> tuple[str, InboundOutcome, str]:
    """The command word to record, the outcome and the reply text for ``text`` from ``sender``."""
    word, arguments = inbound.parse(text)
    command = inbound.command_for(word)
    if command is None:
        return (inbound.HELP if word in inbound.HELP_WORDS else ""), InboundOutcome.HELP, inbound.help_reply()
    # Imported here: accounts.actions imports this module (do_notify) while accounts.queries is still loading.
    from portal.accounts.queries import account_by_verified_contact

    account = account_by_verified_contact("phone", sender)
    try:
        # A savepoint: a handler that fails leaves nothing half-written.
        with transaction.atomic():
            reply = command.handler(sender, arguments, account)
    except Exception as error:
        # Logged without the sender or the text: they are personal data.
        logger.exception("inbound_sms command=%s handler_error=%s", command.name, type(error).__name__)
        return command.name, InboundOutcome.FAILED, inbound.failure_reply()
    if not reply or not reply.strip():
        return command.name, InboundOutcome.HELP, inbound.help_reply()
    return command.name, InboundOutcome.ANSWERED, reply


@transaction.atomic
def do_receive_sms(message_id: str, raw_sender: str, text: str, smsc_id: str = "") -> ReceivedSms:
    """Record an SMS a person sent, run its command and queue the reply through the outbox, once per message id.

    Kannel may deliver the same message twice (it retries a request whose answer it did not get): the row, unique by
    ``message_id``, is written first, so the second delivery (even a concurrent one, which waits on the first's
    insert) finds it and answers nothing. The reply is an ordinary ``sms.reply`` notification keyed by the message id,
    recorded, retried and delivered like every SMS. Per number, ``SMS_INBOUND_RATE_LIMIT`` messages a window are
    answered; the next one gets a short notice and the rest nothing, so that a loop with an auto-responder cannot run
    down the SMS budget.
    """
    existing = InboundSms.objects.filter(message_id=message_id).first()
    if existing is not None:
        return ReceivedSms(existing, duplicate=True)
    sender = normalise_sender(raw_sender)
    record = InboundSms(message_id=message_id, sender=sender or "", smsc_id=smsc_id[:32])
    try:
        with transaction.atomic():
            record.outcome = InboundOutcome.UNANSWERABLE
            record.save(force_insert=True)
    except IntegrityError:
        return ReceivedSms(InboundSms.objects.get(message_id=message_id), duplicate=True)
    if sender is None:
        logger.info("inbound_sms=%s outcome=unanswerable", record.pk)
        return ReceivedSms(record, duplicate=False)

    limit = hit("sms-inbound", sender, settings.SMS_INBOUND_RATE_LIMIT, settings.SMS_INBOUND_RATE_WINDOW, store=cache)
    if not limit.allowed:
        if limit.count == limit.limit + 1:
            record.outcome, reply = InboundOutcome.RATE_LIMITED, inbound.rate_limited_reply()
        else:
            record.outcome, reply = InboundOutcome.SILENCED, ""
    else:
        record.command, record.outcome, reply = _answer(sender, text)
    if reply:
        record.reply = do_notify("sms.reply", Channel.SMS, sender, {"text": to_gsm7(reply)}, f"sms-in:{message_id}")
    record.save(update_fields=["command", "outcome", "reply"])
    logger.info("inbound_sms=%s command=%s outcome=%s", record.pk, record.command or "-", record.outcome)
    return ReceivedSms(record, duplicate=False)


def do_redact_inbound_expired(now: dt.datetime | None = None) -> int:
    """Blank the sender of received SMS older than ``SMS_INBOUND_RETENTION_DAYS``; the command and dates stay."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.SMS_INBOUND_RETENTION_DAYS)
    return InboundSms.objects.filter(received_at__lt=cutoff, redacted_at__isnull=True).update(
        sender="", smsc_id="", redacted_at=now
    )
