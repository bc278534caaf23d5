"""Kill the app and the worker mid-payment, start them again, and count every centavo (docs/payments.md, «Crashes and
restarts»).

The portal runs as production runs it: ``tools/serve.sh`` (granian) and ``manage.py db_worker`` as processes of
their own on the test's database, the sandbox provider as a third, notifying the web app directly. A person pays a
case's fee through HTTP as a browser does (the reference's page, «Pagar en línea», the sandbox's card form). A
process is stopped at a named point of the payments' code (``portal/payments/pauses.py``, inert outside the test
settings) and SIGKILLed there, with its whole process group; then it is started again. Afterwards each reference
is paid exactly once, its case moved on once, its receipt and receipt e-mail exist once, and the provider's money,
the ledger and the paid references agree to the centavo.
"""

from __future__ import annotations

import contextlib
import importlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from functional_tests.data import ensure_cms_baseline
from portal.applications.actions import payment as case_payment
from portal.applications.actions import submission
from portal.applications.models import Application, ApplicationEvent, ApplicationStatus, EventKind
from portal.applications.tests.journey_data import citizen, complete_draft
from portal.applications.tests.test_payment_flow import charged_form
from portal.documents.models import IssuedDocument
from portal.notifications.actions import do_requeue_stale
from portal.notifications.models import Notification
from portal.notifications.models import Status as NotificationStatus
from portal.notifications.seeding import seed_templates
from portal.payments.actions import RECEIPT_KIND, do_sweep
from portal.payments.models import (
    Account,
    LedgerLine,
    LedgerTransaction,
    Payment,
    PaymentEvent,
    PaymentEventKind,
    PaymentReference,
    PaymentStatus,
    ProviderNotification,
    ReferenceStatus,
)
from testing.crash import APPROVED_CARD, Browser, PortalProcesses, SilentMailServer, shared_database
from testing.payments import SandboxProcess
from testing.servers import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]  # 20–35 s each: run first

SEEDED_TEMPLATES = [
    importlib.import_module("portal.notifications.migrations.0002_seed_default_templates"),
    importlib.import_module("portal.payments.migrations.0002_seed_notification_templates"),
]

AMOUNT = 150_000
#: Retries the web app outlives: a try a second for 90 s (a busy machine takes long to start Django), so a restarted
#: web app gets the next one within a second.
SANDBOX_RETRIES = ",".join(["1"] * 90)


@dataclass
class World:
    processes: PortalProcesses
    sandbox: SandboxProcess
    case: Application
    reference: PaymentReference
    browser: Browser

    def reference_now(self) -> PaymentReference:
        return PaymentReference.objects.get(pk=self.reference.pk)

    def settled(self) -> bool:
        """Paid, its case moved on, and its receipt issued with its e-mail sent (the worker's tasks are done)."""
        reference = self.reference_now()
        if reference.status != ReferenceStatus.PAID or reference.receipt_document_id is None:
            return False
        mail = Notification.objects.filter(event="payment.received").first()
        return mail is not None and mail.status in (NotificationStatus.SENT, NotificationStatus.DELIVERED)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    """A case waiting for its fee, its payer signed in, and the portal's processes on the test's database."""
    ensure_cms_baseline()
    for seeded in SEEDED_TEMPLATES:  # a flush by an earlier transactional test may have taken them
        seed_templates(apps, seeded.TEMPLATES)
    definition = charged_form(amount=AMOUNT)
    user = citizen()
    case = submission.do_submit(complete_draft(user, definition).pk, user, declaration=True)
    reference = PaymentReference.objects.get(subject=case_payment.payment_subject(case))
    client = Client()
    client.force_login(user)  # a session row the web process reads: the person signed in earlier
    cookie = (settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)

    with shared_database(connection, tmp_path / "portal.sqlite3") as database:
        sandbox = SandboxProcess(tmp_path / "sandbox.json", retry_delays=SANDBOX_RETRIES)
        sandbox.start()
        processes = PortalProcesses(tmp_path, database, sandbox)
        try:
            yield World(processes, sandbox, case, reference, Browser(processes.url, cookie))
        finally:
            processes.stop()
            sandbox.stop()


def open_reference_page(world: World) -> requests.Response:
    page = world.browser.get(reverse("payments:reference", args=[world.reference.public_id]))
    assert page.status_code == 200, page.text[:500]
    return page


def press_pay(world: World) -> requests.Response:
    """«Pagar en línea con tarjeta» on the reference's page; the answer is the sandbox's payment page."""
    return world.browser.submit(open_reference_page(world), "/pagar/")


def pay_with_card(world: World, provider_page: requests.Response, *, come_back: bool = True) -> requests.Response:
    """The person types a test card on the sandbox's page; ``come_back=False`` closes the tab instead of returning."""
    assert provider_page.url.startswith(world.sandbox.base_url) and provider_page.status_code == 200
    answer = world.browser.submit(provider_page, "/pagar/pay_", APPROVED_CARD, follow=come_back)
    assert (answer.status_code == 200) if come_back else answer.is_redirect, answer.text[:300]
    return answer


def in_background(action) -> threading.Thread:
    """Run a request the web process will die in the middle of (its client then sees the connection drop)."""

    def run() -> None:
        with contextlib.suppress(requests.RequestException):  # the process was killed under the request, as meant
            action()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def sandbox_payments(world: World) -> list[dict]:
    """Every payment the provider made (its saved state), whether or not the portal knows it."""
    return list(world.sandbox.state_payments().values())


def assert_every_centavo(world: World) -> None:
    """The provider's captured money, the ledger and the paid references agree, and each thing happened once."""
    captured = [item for item in sandbox_payments(world) if item["status"] == "success"]
    captured_total = sum(item["amount"] - item["refunded"] for item in captured)
    provider_fees = sum(item["fee"] for item in captured)
    assert len(captured) == 1 and captured_total == AMOUNT

    for entry in LedgerTransaction.objects.all():
        assert sum(entry.lines.values_list("amount_centavos", flat=True)) == 0, entry.external_id
    totals = {
        row["account"]: row["total"]
        for row in LedgerLine.objects.values("account").annotate(total=Sum("amount_centavos"))
    }
    assert sum(totals.values()) == 0
    cash = totals.get(Account.PROVIDER_CLEARING, 0) + totals.get(Account.PROVIDER_FEES, 0)
    paid = PaymentReference.objects.filter(status=ReferenceStatus.PAID)
    paid_total = paid.aggregate(total=Sum("paid_centavos"))["total"]
    assert captured_total == cash == paid_total == AMOUNT
    assert totals.get(Account.PROVIDER_FEES, 0) == provider_fees
    assert totals.get(Account.RECEIVABLE, 0) == 0 and totals.get(Account.REFUNDS_PAYABLE, 0) == 0

    reference = world.reference_now()
    assert Payment.objects.filter(reference=reference, status=PaymentStatus.SUCCESS).count() == 1
    assert LedgerTransaction.objects.filter(reference=reference, kind="payment").count() == 1
    assert PaymentEvent.objects.filter(reference=reference, kind=PaymentEventKind.PAID).count() == 1
    case = Application.objects.get(pk=world.case.pk)
    assert case.status == ApplicationStatus.SUBMITTED
    assert ApplicationEvent.objects.filter(application=case, kind=EventKind.PAID).count() == 1
    receipts = IssuedDocument.objects.filter(kind=RECEIPT_KIND, subject=reference.reference)
    assert list(receipts.values_list("pk", flat=True)) == [reference.receipt_document_id]
    assert Notification.objects.filter(event="payment.received").count() == 1
    assert Notification.objects.filter(event="application.submitted").count() == 1


def test_killed_after_the_provider_made_the_payment_the_person_resumes_that_payment(world):
    processes = world.processes
    processes.start_worker()
    processes.start_web(pause_at=["provider_payment_created"])
    request = in_background(lambda: press_pay(world))
    processes.wait_paused("provider_payment_created")
    processes.kill_web()
    request.join(30)
    # The provider has a payment the portal never stored the id of; the person saw an error.
    payment = Payment.objects.get(reference=world.reference)
    assert payment.status == PaymentStatus.CREATED and not payment.provider_payment_id
    assert len(sandbox_payments(world)) == 1

    processes.start_web()
    # The person presses «Pagar» again (a new page, a new key): the portal resumes its payment, and the provider
    # answers its idempotency key (the payment's own id) with the payment it made before the crash.
    provider_page = press_pay(world)
    assert len(sandbox_payments(world)) == 1
    back = pay_with_card(world, provider_page)
    assert back.status_code == 200 and back.url.startswith(processes.url)
    wait_until(world.settled, 30, what="the payment to settle and its receipt to be sent")
    assert Payment.objects.filter(reference=world.reference).count() == 1
    assert_every_centavo(world)


def test_killed_twice_while_taking_the_providers_notification_it_counts_once(world):
    processes = world.processes
    processes.start_worker()
    processes.start_web(pause_at=["notification_recorded"])
    provider_page = press_pay(world)
    pay_with_card(world, provider_page, come_back=False)  # the person closes the tab: only the notification tells
    # Killed while applying it: nothing of this delivery is committed.
    processes.wait_paused("notification_recorded")
    processes.kill_web()
    assert world.reference_now().status == ReferenceStatus.PENDING
    assert not ProviderNotification.objects.exists()
    # The sandbox retries every second; the portal, back, applies it and is killed before it answers.
    processes.start_web(pause_at=["notification_applied"])
    processes.wait_paused("notification_applied", timeout=90)
    processes.kill_web()
    assert world.reference_now().status == ReferenceStatus.PAID
    # The next retry is recognised as a repeat and changes nothing.
    processes.start_web()
    wait_until(world.settled, 60, what="the receipt of the payment the notification settled")
    delivery = world.sandbox.wait_for_notifications(1, timeout=60)[0]
    assert delivery["delivered"] and len(delivery["attempts"]) >= 3
    record = ProviderNotification.objects.get(kind="payment.succeeded")
    assert (record.outcome, record.deliveries) == ("applied", 2)
    assert_every_centavo(world)


def test_a_worker_killed_while_issuing_the_receipt_and_then_while_sending_its_email_sends_it_once(world, settings):
    processes = world.processes
    processes.start_worker(pause_at=["receipt_issued"])
    processes.start_web()
    pay_with_card(world, press_pay(world))
    processes.wait_paused("receipt_issued")
    processes.kill_worker()
    receipt_tasks = DBTaskResult.objects.filter(task_path__endswith=".issue_receipt")
    # The payment and the case committed with the request; the receipt and its e-mail rolled back with the worker.
    reference = world.reference_now()
    assert reference.status == ReferenceStatus.PAID and reference.receipt_document_id is None
    assert not Notification.objects.filter(event="payment.received").exists()
    assert list(receipt_tasks.values_list("status", flat=True)) == ["RUNNING"]  # and no worker will run it again

    # The next worker's mail server never answers: it will be killed in the middle of sending the e-mail.
    silent = SilentMailServer()
    try:
        processes.start_worker(**silent.environment)
        # The sweep (the job payments.sweep) enqueues the receipt again once its grace has passed. It runs here rather
        # than in a scheduler process of its own (one Django start-up less), writing the task row the worker takes.
        settings.TASKS = {"default": {**settings.TASKS["default"], "BACKEND": "django_tasks_db.DatabaseBackend"}}
        settings.PAYMENTS_RECEIPT_GRACE_SECONDS = 0
        assert do_sweep()["receipts"] == 1
        wait_until(
            lambda: Notification.objects.filter(event="payment.received", status=NotificationStatus.SENDING).exists(),
            60,
            what="the worker to issue the receipt and start sending its e-mail",
        )
        processes.kill_worker()
    finally:
        silent.close()
    assert world.reference_now().receipt_document_id is not None
    assert receipt_tasks.count() == 2

    # Back with a mail server that answers: the notifications' own sweep (notifications.requeue_stale) queues the
    # message left «sending» again once NOTIFICATIONS_SENDING_TIMEOUT has passed (here: at once).
    processes.start_worker()
    settings.NOTIFICATIONS_SENDING_TIMEOUT = 0
    assert do_requeue_stale() == 1
    wait_until(world.settled, 60, what="the receipt's e-mail to be sent")
    mail = Notification.objects.get(event="payment.received")
    sent = [path for path in processes.mail.iterdir() if mail.provider_message_id in path.read_text(errors="replace")]
    assert len(sent) == 1 and mail.attempts == 2  # one message left the portal, on the second attempt
    assert_every_centavo(world)
