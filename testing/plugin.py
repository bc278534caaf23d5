"""The fixtures of ``testing.servers``, for any app's tests (registered in the root ``conftest.py``).

- ``smtp_server`` / ``smtp_settings``: a real SMTP server, and Django's SMTP backend pointed at it.
- ``kannel_gateway`` (per session) / ``kannel_settings``: Debian's Kannel with a fake operator, and ``KannelBackend``
  pointed at it. Skipped without Kannel, a failure under ``CI=true``.
- ``delivery_report_catcher``: where Kannel sends its delivery reports.
- ``kannel_inbound``: the gateway with its sms-service pointed at the live server, so that an SMS sent from a phone
  (``kannel_inbound.send_from_phone``) reaches the portal; the test becomes a live-server (transactional) one.
- ``payments_sandbox``: the sandbox payment provider as a real process (``python -m portal.payments.sandbox``) on a free
  port, with ``settings.PAYMENTS_PROVIDERS["sandbox"]`` pointed at it; ``notification_catcher`` records what a provider
  posts (and can forward it to the live server). ``fake_stripe``: the local fake of Stripe's API, likewise.
- ``steady_rate_window`` (every test): the portal's rate limits read a fixed time, 100 s into a 600 s window, so a test that counts
  requests never sees a window boundary pass between two of them (the live server runs in the same process).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from testing.fake_stripe import FakeStripe
from testing.payments import NotificationCatcher, SandboxProcess
from testing.servers import KANNEL_USER, DeliveryReportCatcher, KannelGateway, SmtpServer, require_kannel


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_settings(settings, smtp_server: SmtpServer) -> SmtpServer:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return smtp_server


@pytest.fixture(scope="session")
def kannel_gateway(tmp_path_factory) -> Iterator[KannelGateway]:
    programs = require_kannel()
    gateway = KannelGateway(tmp_path_factory.mktemp("kannel"), programs)
    try:
        gateway.start()
        yield gateway
    finally:
        with contextlib.suppress(Exception):
            gateway.stop()


@pytest.fixture
def kannel_settings(settings, kannel_gateway: KannelGateway) -> KannelGateway:
    if not kannel_gateway.smsbox_running:
        kannel_gateway.start_smsbox()  # a test that took the gateway down and failed before restarting it
    settings.SMS_BACKEND = "portal.notifications.sms_backends.KannelBackend"
    settings.SMS_GATEWAY_URL = kannel_gateway.sendsms_url
    settings.SMS_GATEWAY_USER = KANNEL_USER
    settings.SMS_GATEWAY_PASSWORD = kannel_gateway.password
    settings.SMS_GATEWAY_TIMEOUT = 5
    settings.SMS_SENDER = "50505"
    return kannel_gateway


@pytest.fixture
def kannel_inbound(settings, kannel_settings: KannelGateway, live_server) -> Iterator[KannelGateway]:
    settings.SMS_INBOUND_TOKEN = kannel_settings.inbound_token
    kannel_settings.relay.target = live_server.url
    yield kannel_settings
    kannel_settings.relay.target = None


@pytest.fixture
def delivery_report_catcher(settings) -> Iterator[DeliveryReportCatcher]:
    catcher = DeliveryReportCatcher()
    settings.SMS_DLR_BASE_URL = catcher.url
    yield catcher
    catcher.stop()


@pytest.fixture
def notification_catcher() -> Iterator[NotificationCatcher]:
    catcher = NotificationCatcher()
    yield catcher
    catcher.stop()


@pytest.fixture
def payments_sandbox(settings, tmp_path) -> Iterator[SandboxProcess]:
    """A fresh sandbox per test (scenarios and payments never leak between tests), keeping its state in a file so a
    test can restart it."""
    sandbox = SandboxProcess(tmp_path / "sandbox-state.json")
    sandbox.start()
    settings.PAYMENTS_PROVIDERS = {**settings.PAYMENTS_PROVIDERS, "sandbox": sandbox.settings}
    try:
        yield sandbox
    finally:
        sandbox.stop()


@pytest.fixture
def fake_stripe(settings) -> Iterator[FakeStripe]:
    fake = FakeStripe()
    settings.PAYMENTS_PROVIDERS = {**settings.PAYMENTS_PROVIDERS, "stripe": fake.settings}
    yield fake
    fake.stop()


STEADY_NOW = 1_800_000_100.0  # 100 s after a multiple of 600, 300 and 60 s


@pytest.fixture(autouse=True)
def steady_rate_window(monkeypatch) -> float:
    from portal.core import ratelimit  # not at the top: this plugin loads before Django is configured

    monkeypatch.setattr(ratelimit, "clock", lambda: STEADY_NOW)
    return STEADY_NOW
