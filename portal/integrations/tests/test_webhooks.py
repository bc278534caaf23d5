"""Webhooks to a real HTTP receiver on 127.0.0.1 that checks each signature: queued in the submission's transaction,
signed, retried with backoff while the receiver is down or failing, delivered once."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
import time
from dataclasses import dataclass, field

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from portal.agencies.tests.factories import make_agency
from portal.applications.actions.transitions import do_transition, lock_application
from portal.applications.models import ActorRole, Application, ApplicationStatus
from portal.applications.tests.factories import published_form
from portal.core.folio import new_folio
from portal.integrations.actions import webhooks
from portal.integrations.models import AgencyWebhook, DeliveryStatus, WebhookDelivery, WebhookEvent
from portal.integrations.signatures import (
    SignatureError,
    compute_signature,
    signature_header,
    verify_signature,
)
from portal.services.tests.factories import make_service

# --- The signature, as an agency's receiver checks it ---------------------------------------------------------------


def test_a_signed_body_verifies_and_returns_its_timestamp():
    header = signature_header(["whsec_a"], b'{"a":1}', timestamp=1_700_000_000)
    assert verify_signature("whsec_a", header, b'{"a":1}', now=1_700_000_100) == 1_700_000_000


@pytest.mark.parametrize(
    ("secret", "body", "now"),
    [
        ("whsec_a", b'{"a":2}', 1_700_000_000),  # tampered body
        ("whsec_b", b'{"a":1}', 1_700_000_000),  # another secret
        ("whsec_a", b'{"a":1}', 1_700_000_301),  # replayed after the tolerance
        ("whsec_a", b'{"a":1}', 1_699_999_699),  # from the future
    ],
)
def test_a_tampered_replayed_or_foreign_delivery_does_not_verify(secret, body, now):
    header = signature_header(["whsec_a"], b'{"a":1}', timestamp=1_700_000_000)
    with pytest.raises(SignatureError):
        verify_signature(secret, header, body, now=now)


@pytest.mark.parametrize("header", ["", "t=1", "v1=abc", "t=abc,v1=abc", "t=1,t=2,v1=abc", "garbage"])
def test_a_malformed_header_does_not_verify(header):
    with pytest.raises(SignatureError):
        verify_signature("whsec_a", header, b"{}", tolerance=None)


def test_during_a_rotation_either_secret_verifies():
    header = signature_header(["whsec_new", "whsec_old"], b"{}", timestamp=100)
    assert verify_signature("whsec_new", header, b"{}", now=100) == 100
    assert verify_signature("whsec_old", header, b"{}", now=100) == 100


@given(secret=st.text(min_size=1, max_size=60), body=st.binary(max_size=500), flip=st.integers(min_value=0))
def test_any_change_to_the_body_breaks_the_signature(secret, body, flip):
    header = signature_header([secret], body, timestamp=10)
    assert verify_signature(secret, header, body, now=10) == 10
    if body:
        index = flip % len(body)
        tampered = body[:index] + bytes([body[index] ^ 0x01]) + body[index + 1 :]
        with pytest.raises(SignatureError):
            verify_signature(secret, header, tampered, now=10)


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body():
    import hashlib
    import hmac

    expected = hmac.new(b"k", b"42.hola", hashlib.sha256).hexdigest()
    assert compute_signature("k", 42, "hola") == expected


# --- A real receiver ---------------------------------------------------------------------------------------------


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified: bool


@dataclass
class Receiver:
    """An HTTP server on 127.0.0.1 standing in for an agency's system. It checks every signature with the webhook's
    secret, answers ``status`` (with ``reply`` as body), and can go down and come back on the same port."""

    secret: str = ""
    status: int = 200
    reply: bytes = b"ok"
    delay: float = 0.0
    location: str = ""
    received: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._server: http.server.ThreadingHTTPServer | None = None
        self.port = 0
        self.lock = threading.Lock()

    def _handler(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's hook name)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                try:
                    verify_signature(receiver.secret, self.headers.get("Ventanilla-Signature", ""), body)
                    verified = True
                except SignatureError:
                    verified = False
                with receiver.lock:
                    receiver.received.append(Received(dict(self.headers.items()), body, verified))
                if receiver.delay:
                    time.sleep(receiver.delay)
                status = receiver.status if verified else 401
                self.send_response(status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(receiver.reply)))
                self.end_headers()
                self.wfile.write(receiver.reply)

            def log_message(self, format, *args) -> None:  # noqa: A002 (http.server's signature)
                return

        return Handler

    def start(self) -> None:
        http.server.ThreadingHTTPServer.allow_reuse_address = True
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self.port = self._server.server_port
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/ventanilla/avisos"


@pytest.fixture
def receiver():
    server = Receiver()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def agency_with_webhook(db, receiver):
    agency = make_agency("AVISO")
    service = make_service(agency, homoclave="AVISO-01-001")
    published_form(service)
    webhook, secret = webhooks.do_create_webhook(agency, receiver.url, [WebhookEvent.SUBMITTED], actor=None)
    receiver.secret = secret
    return agency, service, webhook


def submit(service, *, enqueue_twice: bool = False) -> Application:
    """What the journey's ``do_submit`` does, reduced to what webhooks need: the folio and the enqueue, in one
    transaction."""
    application = Application.objects.create(
        service=service, agency_id=service.agency_id, form_version=service.form_definition.live_version
    )
    with transaction.atomic():
        locked = lock_application(application.pk)
        locked.folio = new_folio(2026)
        locked.submitted_at = timezone.now()
        do_transition(
            locked, ApplicationStatus.SUBMITTED, actor_role=ActorRole.APPLICANT, update_fields=("folio", "submitted_at")
        )
        webhooks.do_enqueue_webhooks(locked, WebhookEvent.SUBMITTED)
        if enqueue_twice:
            webhooks.do_enqueue_webhooks(locked, WebhookEvent.SUBMITTED)
    return locked


def the_delivery() -> WebhookDelivery:
    return WebhookDelivery.objects.get()


# --- Queueing -----------------------------------------------------------------------------------------------------


def test_a_submission_queues_one_delivery_per_interested_webhook_and_delivers_it_signed(
    agency_with_webhook, receiver, django_capture_on_commit_callbacks
):
    agency, service, webhook = agency_with_webhook
    AgencyWebhook.objects.create(agency=agency, url=receiver.url, secret="whsec_x", is_active=False)
    other = make_agency("OTRA")
    AgencyWebhook.objects.create(agency=other, url=receiver.url, secret="whsec_y")

    with django_capture_on_commit_callbacks(execute=True):
        application = submit(service, enqueue_twice=True)

    delivery = the_delivery()
    assert delivery.webhook == webhook
    assert delivery.status == DeliveryStatus.DELIVERED
    assert (delivery.attempts, delivery.last_status_code, delivery.last_response) == (1, 200, "ok")
    assert len(receiver.received) == 1
    received = receiver.received[0]
    assert received.verified
    assert received.headers["Ventanilla-Event"] == "application.submitted"
    assert received.headers["Ventanilla-Delivery"] == str(delivery.public_id)
    assert received.headers["Content-Type"] == "application/json; charset=utf-8"
    body = json.loads(received.body)
    assert body["evento"] == "application.submitted"
    assert body["solicitud"]["folio"] == application.folio
    assert body["solicitud"]["url_api"].endswith(f"/api/agencias/v1/solicitudes/{application.folio}/")
    # A thin notice: no answers, no names.
    assert "respuestas" not in body["solicitud"] and "solicitante" not in body["solicitud"]


def test_a_citizens_submission_through_the_journey_is_pushed_to_the_agency(
    db, receiver, django_capture_on_commit_callbacks
):
    from portal.applications.actions.submission import do_submit
    from portal.applications.tests.journey_data import citizen, complete_draft, open_form

    definition = open_form(acronym="PUSH")
    _webhook, receiver.secret = webhooks.do_create_webhook(
        definition.agency, receiver.url, [WebhookEvent.SUBMITTED], actor=None
    )
    user = citizen()
    draft = complete_draft(user, definition)
    with django_capture_on_commit_callbacks(execute=True):
        case = do_submit(draft.pk, user, declaration=True)
        do_submit(draft.pk, user, declaration=True)  # a double click pushes nothing more

    delivery = the_delivery()
    assert delivery.application_id == case.pk and delivery.status == DeliveryStatus.DELIVERED
    assert len(receiver.received) == 1 and receiver.received[0].verified
    assert json.loads(receiver.received[0].body)["solicitud"]["folio"] == case.folio


def test_a_rolled_back_submission_queues_nothing(agency_with_webhook, receiver):
    _agency, service, _webhook = agency_with_webhook

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), transaction.atomic():
        submit(service)
        assert WebhookDelivery.objects.count() == 1
        raise Abandoned
    assert not WebhookDelivery.objects.exists()
    assert receiver.received == []


# --- Retries ------------------------------------------------------------------------------------------------------


def test_a_receiver_that_is_down_gets_the_delivery_once_when_it_is_back(
    agency_with_webhook, receiver, django_capture_on_commit_callbacks
):
    _agency, service, _webhook = agency_with_webhook
    submit(service)
    delivery = the_delivery()
    receiver.stop()

    assert webhooks.do_deliver_webhook(delivery.pk) == DeliveryStatus.PENDING
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert "no se pudo conectar" in delivery.last_error
    wait = (delivery.next_attempt_at - delivery.last_attempt_at).total_seconds()
    assert 48 <= wait <= 72  # one minute, ±20 % jitter

    receiver.start()  # back, on the same port
    assert webhooks.do_requeue_due_deliveries() == 0  # not due yet
    assert webhooks.do_deliver_webhook(delivery.pk) is None  # an early duplicate task does nothing
    assert receiver.received == []

    with time_machine.travel(delivery.next_attempt_at + dt.timedelta(seconds=1)):
        # The test settings' task backend cannot defer a task, so the retry is the sweep's: it enqueues the task,
        # which runs when the sweep's transaction commits.
        with django_capture_on_commit_callbacks(execute=True):
            assert webhooks.do_requeue_due_deliveries() == 1
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.DELIVERED
        assert webhooks.do_requeue_due_deliveries() == 0
        assert webhooks.do_deliver_webhook(delivery.pk) is None
    assert len(receiver.received) == 1
    assert receiver.received[0].verified
    assert delivery.attempts == 2


def test_a_server_error_is_retried_with_growing_delays_then_marked_failed(agency_with_webhook, receiver, settings):
    settings.APPLICATIONS_WEBHOOK_RETRY_DELAYS = [60, 300]
    _agency, service, _webhook = agency_with_webhook
    submit(service)
    delivery = the_delivery()
    receiver.status = 500
    receiver.reply = b"x" * 2000

    waits = []
    moment = timezone.now()
    for _ in range(3):
        with time_machine.travel(moment):
            webhooks.do_deliver_webhook(delivery.pk)
        delivery.refresh_from_db()
        waits.append((delivery.next_attempt_at - delivery.last_attempt_at).total_seconds())
        moment = delivery.next_attempt_at + dt.timedelta(seconds=1)

    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 3
    assert 48 <= waits[0] <= 72 and 240 <= waits[1] <= 360
    assert delivery.last_status_code == 500
    assert delivery.last_error == "respuesta HTTP 500"
    assert len(delivery.last_response) == 500
    assert len(receiver.received) == 3
    assert all(item.verified for item in receiver.received)


def test_a_redirect_is_not_followed(agency_with_webhook, receiver):
    _agency, service, _webhook = agency_with_webhook
    submit(service)
    receiver.status = 302
    receiver.location = "http://127.0.0.1:9/otro"
    webhooks.do_deliver_webhook(the_delivery().pk)
    delivery = the_delivery()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_status_code == 302
    assert len(receiver.received) == 1


def test_a_receiver_slower_than_the_timeout_is_a_failed_attempt(agency_with_webhook, receiver, settings):
    settings.APPLICATIONS_WEBHOOK_TIMEOUT = 1
    _agency, service, _webhook = agency_with_webhook
    submit(service)
    receiver.delay = 6
    started = time.monotonic()
    webhooks.do_deliver_webhook(the_delivery().pk)
    # Well under the receiver's 6 s: the 1-s timeout cut it short (with room for a loaded machine).
    assert time.monotonic() - started < 4.5
    delivery = the_delivery()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_error == "sin respuesta en 1 s"


def test_a_delivery_whose_worker_died_is_sent_again_after_its_lease(agency_with_webhook, receiver):
    _agency, service, _webhook = agency_with_webhook
    submit(service)
    delivery = the_delivery()
    claimed = webhooks._claim(delivery.pk, timezone.now())  # a worker took it and died before sending
    assert claimed is not None
    assert webhooks.do_deliver_webhook(delivery.pk) is None
    assert webhooks.do_requeue_due_deliveries() == 0
    with time_machine.travel(claimed.next_attempt_at + dt.timedelta(seconds=1)):
        assert webhooks.do_deliver_webhook(delivery.pk) == DeliveryStatus.DELIVERED
    assert len(receiver.received) == 1


def test_a_deactivated_webhook_stops_its_pending_deliveries(agency_with_webhook, receiver):
    _agency, service, webhook = agency_with_webhook
    submit(service)
    AgencyWebhook.objects.filter(pk=webhook.pk).update(is_active=False)
    assert webhooks.do_deliver_webhook(the_delivery().pk) == DeliveryStatus.FAILED
    assert the_delivery().last_error == "webhook desactivado"
    assert receiver.received == []


def test_an_administrator_can_send_a_failed_delivery_again_but_not_a_delivered_one(
    agency_with_webhook, receiver, settings, django_capture_on_commit_callbacks
):
    settings.APPLICATIONS_WEBHOOK_RETRY_DELAYS = []
    _agency, service, _webhook = agency_with_webhook
    submit(service)
    receiver.status = 503
    webhooks.do_deliver_webhook(the_delivery().pk)
    assert the_delivery().status == DeliveryStatus.FAILED

    receiver.status = 200
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.do_retry_delivery(the_delivery(), actor=None)
    delivery = the_delivery()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts == 2
    with pytest.raises(ValidationError):
        webhooks.do_retry_delivery(delivery, actor=None)
    assert len(receiver.received) == 2


def test_after_a_rotation_the_receiver_verifies_with_the_old_secret_for_a_day(agency_with_webhook, receiver):
    _agency, service, webhook = agency_with_webhook
    old_secret = receiver.secret
    new_secret = webhooks.do_rotate_webhook_secret(webhook, actor=None)
    assert new_secret != old_secret
    submit(service)
    webhooks.do_deliver_webhook(the_delivery().pk)
    assert receiver.received[-1].verified  # still checking with the old secret
    header = receiver.received[-1].headers["Ventanilla-Signature"]
    body = receiver.received[-1].body
    assert verify_signature(new_secret, header, body)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)):
        assert webhooks.signing_secrets(AgencyWebhook.objects.get(pk=webhook.pk), timezone.now()) == [new_secret]


# --- Addresses ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://sistema.example.gob.mx/avisos",
        "https://127.0.0.1/avisos",
        "https://10.1.2.3/avisos",
        "https://[::1]/avisos",
        "https://localhost/avisos",
        "https://usuario:clave@sistema.example.gob.mx/avisos",
        "https://sistema.example.gob.mx/avisos#parte",
        "ftp://sistema.example.gob.mx/avisos",
        "no es una dirección",
    ],
)
def test_production_refuses_plain_http_private_networks_and_credentials(settings, url):
    settings.APPLICATIONS_WEBHOOK_ALLOW_LOCAL = False
    with pytest.raises(ValidationError) as refused:
        webhooks.check_webhook_url(url)
    assert refused.value.messages[0]


def test_production_accepts_https_to_a_public_name_and_development_accepts_local_http(settings):
    settings.APPLICATIONS_WEBHOOK_ALLOW_LOCAL = False
    assert webhooks.check_webhook_url(" https://sistema.example.gob.mx/avisos?x=1 ") == (
        "https://sistema.example.gob.mx/avisos?x=1"
    )
    settings.APPLICATIONS_WEBHOOK_ALLOW_LOCAL = True
    assert webhooks.check_webhook_url("http://127.0.0.1:8080/avisos")
    with pytest.raises(ValidationError):
        webhooks.check_webhook_url("http://sistema.example.gob.mx/avisos")


def test_a_name_that_resolves_to_a_private_address_is_refused_when_sending(agency_with_webhook, receiver, settings):
    _agency, service, webhook = agency_with_webhook
    # Saved while local addresses were allowed; production settings then refuse to connect to it.
    AgencyWebhook.objects.filter(pk=webhook.pk).update(url=f"http://localhost:{receiver.port}/avisos")
    settings.APPLICATIONS_WEBHOOK_ALLOW_LOCAL = False
    submit(service)
    assert webhooks.do_deliver_webhook(the_delivery().pk) == DeliveryStatus.FAILED
    assert "red privada" in the_delivery().last_error
    assert receiver.received == []


def test_the_delivery_task_is_on_a_queue_that_workers_serve(settings):
    from portal.integrations.tasks import deliver_webhook

    assert deliver_webhook.queue_name == "webhooks"
    assert deliver_webhook.queue_name in settings.TASKS["default"]["QUEUES"]
