"""Webhooks: news of an agency's applications pushed to the agency's own system, signed, retried until delivered.

1. ``do_enqueue_webhooks(application, event)`` is called inside the transaction that makes the news (the submission):
   one ``WebhookDelivery`` row per active webhook of the agency that wants the event, and its send task, in that same
   transaction (the outbox). A rolled-back submission sends nothing; a retried one sends once (unique row).
2. ``do_deliver_webhook`` (the task) claims the row by pushing ``next_attempt_at`` a lease ahead, POSTs outside any
   transaction (short timeout, no redirects followed, at most 500 characters of the answer kept), then records the
   outcome: ``delivered`` on 2xx; otherwise due again after an exponential, jittered delay
   (``APPLICATIONS_WEBHOOK_RETRY_DELAYS``), or ``failed`` when no attempt is left.
3. ``do_requeue_due_deliveries`` (every minute, from ``run_scheduler``) enqueues due rows that have no task waiting:
   retries on task backends that cannot defer, and rows whose worker died mid-send (lease over).

The receiver's side of the signature is ``portal.integrations.signatures.verify_signature``.
"""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import json
import logging
import secrets
import socket
import ssl
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.agencies.models import Agency
from portal.applications.models import Application
from portal.core.outbox import enqueue_for_row, task_pending
from portal.notifications.actions import retry_delay

from ..models import AgencyWebhook, DeliveryStatus, WebhookDelivery, WebhookEvent
from ..signatures import SIGNATURE_HEADER, signature_header, verify_signature
from ..tasks import deliver_webhook

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

__all__ = [
    "do_create_webhook",
    "do_deliver_webhook",
    "do_enqueue_webhooks",
    "do_requeue_due_deliveries",
    "do_retry_delivery",
    "do_rotate_webhook_secret",
    "do_update_webhook",
    "verify_signature",
]

logger = logging.getLogger(__name__)

USER_AGENT = "Ventanilla-Webhooks/1"
RESPONSE_KEPT = 500
# How long the old secret keeps signing (as a second signature) after a rotation.
ROTATION_OVERLAP = dt.timedelta(hours=24)
REQUEUE_BATCH = 500


def max_attempts() -> int:
    return len(settings.APPLICATIONS_WEBHOOK_RETRY_DELAYS) + 1


def _lease() -> dt.timedelta:
    """How long a claimed delivery is left alone: longer than any send can take (connect + read timeouts)."""
    return dt.timedelta(seconds=2 * settings.APPLICATIONS_WEBHOOK_TIMEOUT + 60)


# --- Webhooks: set up by the agency's administrators ------------------------------------------------------------------


def generate_webhook_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def _is_local_host(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        return not ipaddress.ip_address(host.strip("[]")).is_global
    except ValueError:
        return False


def check_webhook_url(url: str) -> str:
    """The address, if the portal may send deliveries to it; ``ValidationError`` in Spanish otherwise.

    https only, except http:// to this machine or a private network while ``APPLICATIONS_WEBHOOK_ALLOW_LOCAL`` is on
    (development and tests). Host names are resolved again at every delivery, so a name that later points to a
    private address is refused then as well.
    """
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            _("Escriba una dirección completa, por ejemplo https://sistema.institucion.gob.mx/ventanilla/avisos."),
            code="invalid",
        ) from None
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    allow_local = settings.APPLICATIONS_WEBHOOK_ALLOW_LOCAL
    if parts.username or parts.password:
        raise ValidationError(
            _("La dirección no puede llevar usuario ni contraseña; la firma de cada aviso ya lo autentica."),
            code="credentials",
        )
    if parts.fragment:
        raise ValidationError(_("Quite la parte después de «#»: no se envía al servidor."), code="fragment")
    if _is_local_host(host) and not allow_local:
        raise ValidationError(
            _("La dirección debe ser pública: no se envían avisos a redes privadas ni a este servidor."),
            code="private",
        )
    if parts.scheme != "https" and not (allow_local and _is_local_host(host)):
        raise ValidationError(
            _("La dirección debe empezar con https://: los avisos solo se envían cifrados."), code="scheme"
        )
    return url


def check_webhook_events(events: list[str]) -> list[str]:
    known = set(WebhookEvent.values)
    chosen = [event for event in WebhookEvent.values if event in set(events)]
    if not chosen or set(events) - known:
        raise ValidationError(_("Elija al menos uno de los eventos de la lista."), code="events")
    return chosen


@transaction.atomic
def do_create_webhook(
    agency: Agency, url: str, events: list[str], *, actor: User | AnonymousUser | None
) -> tuple[AgencyWebhook, str]:
    """Create a webhook; returns it and its secret, which is shown to the person this once."""
    secret = generate_webhook_secret()
    webhook = AgencyWebhook.objects.create(
        agency=agency,
        url=check_webhook_url(url),
        events=check_webhook_events(events),
        secret=secret,
        created_by=actor if isinstance(actor, User) else None,  # an account, not AnonymousUser
    )
    logger.info("webhook=%s agency=%s created_by=%s", webhook.pk, agency.pk, getattr(actor, "pk", None))
    return webhook, secret


@transaction.atomic
def do_update_webhook(
    webhook: AgencyWebhook, *, url: str, events: list[str], is_active: bool, actor: User | AnonymousUser | None
) -> AgencyWebhook:
    webhook.url = check_webhook_url(url)
    webhook.events = check_webhook_events(events)
    webhook.is_active = is_active
    webhook.save(update_fields=["url", "events", "is_active", "updated_at"])
    logger.info("webhook=%s updated_by=%s active=%s", webhook.pk, getattr(actor, "pk", None), is_active)
    return webhook


@transaction.atomic
def do_rotate_webhook_secret(
    webhook: AgencyWebhook, *, actor: User | AnonymousUser | None, now: dt.datetime | None = None
) -> str:
    """Give the webhook a new secret; the old one keeps signing alongside it for ``ROTATION_OVERLAP``."""
    now = now or timezone.now()
    webhook = AgencyWebhook.objects.select_for_update().get(pk=webhook.pk)
    secret = generate_webhook_secret()
    webhook.previous_secret = webhook.secret
    webhook.previous_secret_expires_at = now + ROTATION_OVERLAP
    webhook.secret = secret
    webhook.secret_rotated_at = now
    webhook.save(
        update_fields=["secret", "previous_secret", "previous_secret_expires_at", "secret_rotated_at", "updated_at"]
    )
    logger.info("webhook=%s secret_rotated_by=%s", webhook.pk, getattr(actor, "pk", None))
    return secret


def signing_secrets(webhook: AgencyWebhook, now: dt.datetime) -> list[str]:
    secrets_in_use = [webhook.secret]
    if webhook.previous_secret and webhook.previous_secret_expires_at and webhook.previous_secret_expires_at > now:
        secrets_in_use.append(webhook.previous_secret)
    return secrets_in_use


# --- Queueing ---------------------------------------------------------------------------------------------------------


def _enqueue(delivery: WebhookDelivery, *, run_after: dt.datetime | None = None) -> None:
    """Enqueue the send task in the caller's transaction (``core.outbox``); ``do_requeue_due_deliveries`` enqueues
    what a backend could not defer, or what a dead process left without a task."""
    task_id = enqueue_for_row(deliver_webhook, delivery.pk, run_after=run_after)
    if task_id is not None:
        delivery.task_id = task_id
        WebhookDelivery.objects.filter(pk=delivery.pk).update(task_id=task_id)


def application_api_url(application: Application) -> str:
    path = reverse("agency_api:application_detail", kwargs={"folio": application.folio})
    return f"{settings.PORTAL_BASE_URL}{path}"


def build_payload(delivery: WebhookDelivery, application: Application) -> dict[str, Any]:
    """A thin notice: what happened and where to fetch it. The case itself (answers, files) is read through the API
    with a key, so that a leaked webhook address or a receiver's log does not expose a person's data."""
    service = application.service
    return {
        "evento": delivery.event,
        "entrega": str(delivery.public_id),
        "creada_en": delivery.created_at.astimezone(dt.UTC).isoformat(),
        "solicitud": {
            "folio": application.folio,
            "estado": application.status,
            "servicio": {"homoclave": service.homoclave, "nombre": service.title},
            "enviada_en": application.submitted_at.astimezone(dt.UTC).isoformat() if application.submitted_at else None,
            "fecha_limite": application.due_date.isoformat() if application.due_date else None,
            "url_api": application_api_url(application),
        },
    }


def do_enqueue_webhooks(application: Application, event: str) -> list[WebhookDelivery]:
    """Queue ``event`` for every active webhook of the application's agency that asked for it.

    Call inside the transaction that makes the change (e.g. the submission, after the application has its folio).
    Calling it again for the same application and event queues nothing more.
    """
    event = WebhookEvent(event)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("do_enqueue_webhooks must run inside the transaction that makes the change")
    queued = []
    for webhook in AgencyWebhook.objects.filter(agency_id=application.agency_id, is_active=True).order_by("pk"):
        if event not in webhook.events:
            continue
        delivery = WebhookDelivery(webhook=webhook, event=event, application=application, payload={})
        delivery.payload = build_payload(delivery, application)
        try:
            with transaction.atomic():
                delivery.save(force_insert=True)
        except IntegrityError:
            continue  # Already queued for this webhook (a retried submission, or a concurrent call that won).
        _enqueue(delivery)
        queued.append(delivery)
        logger.info("webhook_delivery=%s webhook=%s event=%s queued", delivery.pk, webhook.pk, event)
    return queued


# --- Sending ----------------------------------------------------------------------------------------------------------


def payload_bytes(payload: dict[str, Any]) -> bytes:
    """The body exactly as sent and signed: compact, keys sorted, UTF-8."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


class DeliveryFailure(Exception):  # noqa: N818 - an outcome, not a programming error
    def __init__(self, error: str, *, status_code: int | None = None, response: str = "", permanent: bool = False):
        self.error = error
        self.status_code = status_code
        self.response = response
        self.permanent = permanent
        super().__init__(error)


@dataclass(frozen=True)
class DeliveryResponse:
    status_code: int
    body: str


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address we checked, not to whatever the name resolves to a moment later (DNS rebinding)."""

    def __init__(self, host: str, port: int | None, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int | None, address: str, timeout: float) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


def _resolve(host: str, port: int) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise DeliveryFailure(f"no se encontró el servidor ({error.__class__.__name__})") from None
    addresses = [str(info[4][0]) for info in infos]  # typeshed allows an int, for families other than IP ones
    if not settings.APPLICATIONS_WEBHOOK_ALLOW_LOCAL:
        for address in addresses:
            if not ipaddress.ip_address(address.split("%")[0]).is_global:
                raise DeliveryFailure("destino no permitido: dirección de una red privada", permanent=True)
    return addresses[0]


def send_webhook(url: str, body: bytes, headers: dict[str, str], timeout: float) -> DeliveryResponse:
    """POST ``body``; return the status and the start of the answer. Redirects are answers, not followed."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    scheme = parts.scheme
    if scheme not in ("http", "https"):
        raise DeliveryFailure("dirección no válida", permanent=True)
    port = parts.port or (443 if scheme == "https" else 80)
    address = _resolve(host, port)
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    conn = connection_class(host, parts.port, address, timeout)
    try:
        conn.request("POST", target, body=body, headers=headers)
        response = conn.getresponse()
        excerpt = response.read(RESPONSE_KEPT).decode("utf-8", errors="replace")
        return DeliveryResponse(status_code=response.status, body=excerpt[:RESPONSE_KEPT])
    except TimeoutError:
        raise DeliveryFailure(f"sin respuesta en {timeout:g} s") from None
    except ssl.SSLError as error:
        raise DeliveryFailure(f"error de TLS ({error.reason or error.__class__.__name__})"[:200]) from None
    except (OSError, http.client.HTTPException) as error:
        raise DeliveryFailure(f"no se pudo conectar ({error.__class__.__name__})") from None
    finally:
        conn.close()


def _locked(delivery_id: int, *, skip_locked: bool = False) -> WebhookDelivery | None:
    rows = WebhookDelivery.objects.filter(pk=delivery_id).select_related("webhook", "application__service")
    if connection.features.has_select_for_update:
        skip = skip_locked and connection.features.has_select_for_update_skip_locked
        rows = rows.select_for_update(skip_locked=skip, of=("self",))
    return rows.first()


def _claim(delivery_id: int, now: dt.datetime) -> WebhookDelivery | None:
    with transaction.atomic():
        delivery = _locked(delivery_id, skip_locked=True)
        if delivery is None or delivery.status != DeliveryStatus.PENDING or delivery.next_attempt_at > now:
            # Gone, held by another worker, finished, or a duplicate task that came before the retry is due.
            return None
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.next_attempt_at = now + _lease()
        delivery.save(update_fields=["attempts", "last_attempt_at", "next_attempt_at"])
        return delivery


def _request_headers(delivery: WebhookDelivery, body: bytes, now: dt.datetime) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "Ventanilla-Event": delivery.event,
        "Ventanilla-Delivery": str(delivery.public_id),
        SIGNATURE_HEADER: signature_header(signing_secrets(delivery.webhook, now), body, int(now.timestamp())),
    }


def do_deliver_webhook(delivery_id: int) -> str | None:
    """Send one due delivery; a no-op for anything not pending and due. Returns the resulting status.

    The receiver is called outside any transaction, so a slow receiver holds no lock. If the process dies during the
    call, the row is due again when its lease ends and the sweep sends it again: a receiver may, rarely, get the same
    delivery twice, and tells by ``Ventanilla-Delivery``.
    """
    started = timezone.now()
    delivery = _claim(delivery_id, started)
    if delivery is None:
        return None
    claimed_attempt = delivery.attempts
    response: DeliveryResponse | None = None
    failure: DeliveryFailure | None = None
    if not delivery.webhook.is_active:
        failure = DeliveryFailure("webhook desactivado", permanent=True)
    else:
        body = payload_bytes(delivery.payload)
        try:
            response = send_webhook(
                delivery.webhook.url,
                body,
                _request_headers(delivery, body, started),
                settings.APPLICATIONS_WEBHOOK_TIMEOUT,
            )
        except DeliveryFailure as error:
            failure = error
        except Exception as error:
            logger.exception("webhook_delivery=%s sender_error=%s", delivery_id, type(error).__name__)
            failure = DeliveryFailure(type(error).__name__)
        if response is not None and not 200 <= response.status_code < 300:
            failure = DeliveryFailure(
                f"respuesta HTTP {response.status_code}", status_code=response.status_code, response=response.body
            )
    finished = timezone.now()

    with transaction.atomic():
        delivery = _locked(delivery_id)
        if delivery is None or delivery.status != DeliveryStatus.PENDING or delivery.attempts != claimed_attempt:
            return delivery.status if delivery is not None else None  # Someone retried it meanwhile: theirs now.
        if failure is None:
            assert response is not None
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = finished
            delivery.last_status_code = response.status_code
            delivery.last_response = response.body
            delivery.last_error = ""
        else:
            delivery.last_status_code = failure.status_code
            delivery.last_response = failure.response[:RESPONSE_KEPT]
            delivery.last_error = failure.error[:500]
            delay = (
                None
                if failure.permanent
                else retry_delay(delivery.attempts, settings.APPLICATIONS_WEBHOOK_RETRY_DELAYS)
            )
            if delay is None:
                delivery.status = DeliveryStatus.FAILED
            else:
                delivery.next_attempt_at = finished + dt.timedelta(seconds=delay)
                _enqueue(delivery, run_after=delivery.next_attempt_at)
        delivery.save(
            update_fields=[
                "status",
                "delivered_at",
                "last_status_code",
                "last_response",
                "last_error",
                "next_attempt_at",
            ]
        )
    logger.info(
        "webhook_delivery=%s webhook=%s attempt=%s status=%s http=%s error=%s",
        delivery.pk,
        delivery.webhook_id,
        delivery.attempts,
        delivery.status,
        delivery.last_status_code or "-",
        delivery.last_error or "-",
    )
    return delivery.status


# --- Recovery and manual retries --------------------------------------------------------------------------------------


def do_requeue_due_deliveries(now: dt.datetime | None = None) -> int:
    """Enqueue pending deliveries that are due and have no task waiting; returns how many.

    That is every retry when the task backend cannot defer work, and a delivery whose worker died while sending once
    its lease is over. A duplicate task is harmless: only the task that claims the row sends.
    """
    now = now or timezone.now()
    handled = 0
    due = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    for delivery_id in list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:REQUEUE_BATCH]):
        with transaction.atomic():
            delivery = _locked(delivery_id, skip_locked=True)
            if delivery is None or delivery.status != DeliveryStatus.PENDING or delivery.next_attempt_at > now:
                continue
            if task_pending(deliver_webhook, delivery.task_id):
                continue
            _enqueue(delivery)
            handled += 1
    if handled:
        logger.info("webhook_deliveries_requeued=%s", handled)
    return handled


@transaction.atomic
def do_retry_delivery(
    delivery: WebhookDelivery, *, actor: User | AnonymousUser | None, now: dt.datetime | None = None
) -> WebhookDelivery:
    """Send a failed (or waiting) delivery again now, at an administrator's request; a delivered one is left alone.

    A failed delivery gets one more attempt (and keeps its count, so the history stays true); if it fails again it
    is marked failed again.
    """
    now = now or timezone.now()
    row = _locked(delivery.pk)
    if row is None:
        raise Http404
    if row.status == DeliveryStatus.DELIVERED:
        raise ValidationError(_("Esta entrega ya se hizo; no se envía otra vez."), code="delivered")
    row.status = DeliveryStatus.PENDING
    row.next_attempt_at = now
    row.save(update_fields=["status", "next_attempt_at"])
    _enqueue(row)
    logger.info("webhook_delivery=%s retried_by=%s", row.pk, getattr(actor, "pk", None))
    return row
