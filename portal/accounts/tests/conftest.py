"""Fixtures for the accounts tests: the SMS outbox, signed-up accounts, and the steps of the real flows."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator

import pytest
from django.core import mail

from portal.accounts.tests.factories import make_account
from portal.notifications.models import NotificationTemplate
from portal.notifications.sms_backends import MemoryBackend
from testing.totp import fresh_totp_code, totp_code  # noqa: F401 (tests here import them from this conftest)

PASSWORD = "una frase larga y difícil"
CODE_IN_TEXT = re.compile(r"\b(\d{6})\b")
_seed = importlib.import_module("portal.notifications.migrations.0002_seed_default_templates")


@pytest.fixture(autouse=True)
def _staff_need_a_second_factor(settings):
    """On, as in production (the test settings turn it off for other apps' tests that use ``force_login``)."""
    settings.ACCOUNTS_STAFF_REQUIRE_SECOND_FACTOR = True


@pytest.fixture
def sms_outbox(db) -> Iterator[list]:
    """What the SMS gateway would have received. The seeded message templates are made sure of (a transactional
    test elsewhere may have flushed them)."""
    for template in _seed.TEMPLATES:
        NotificationTemplate.objects.get_or_create(
            event=template["event"],
            channel=template["channel"],
            language="es",
            defaults={"subject": template["subject"], "body": template["body"], "html_body": template["html_body"]},
        )
    MemoryBackend.outbox.clear()
    yield MemoryBackend.outbox
    MemoryBackend.outbox.clear()


@pytest.fixture
def send_now(django_capture_on_commit_callbacks) -> Callable:
    """Run a request with the notification tasks it enqueues executed, as the worker would after the commit."""

    def run(call: Callable, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def code_in(text: str) -> str:
    found = CODE_IN_TEXT.search(text)
    assert found, f"no 6-digit code in {text!r}"
    return found.group(1)


def last_mail_code() -> str:
    assert mail.outbox, "no e-mail was sent"
    return code_in(str(mail.outbox[-1].body))


def last_sms_code(outbox: list, number: str) -> str:
    texts = [message.text for message in outbox if message.to == number]
    assert texts, f"no SMS to {number}"
    return code_in(texts[-1])


def sign_in(client, login: str, password: str = PASSWORD, **extra):
    return client.post("/cuenta/entrar/", {"login": login, "password": password}, **extra)


@pytest.fixture
def citizen(db):
    """A citizen who signed up with an e-mail and verified it."""
    return make_account(email="lucia@example.mx", password=PASSWORD, first_name="Lucía")


@pytest.fixture
def phone_citizen(db):
    """A citizen who signed up with a mobile number only and verified it."""
    return make_account(phone="+525512345678", password=PASSWORD)
