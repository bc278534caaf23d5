"""Fixtures for the notifications tests: templates, the database queue, the SMS outbox. The real SMTP server and Kannel
gateway are the fixtures of ``testing.plugin`` (registered by the root conftest)."""

from __future__ import annotations

import importlib

import pytest

from portal.notifications.models import NotificationTemplate
from portal.notifications.sms_backends import MemoryBackend

_seed = importlib.import_module("portal.notifications.migrations.0002_seed_default_templates")


@pytest.fixture
def default_templates(db) -> list[NotificationTemplate]:
    """The seeded Spanish templates (a transactional test before this one may have flushed them)."""
    for template in _seed.TEMPLATES:
        NotificationTemplate.objects.get_or_create(
            event=template["event"],
            channel=template["channel"],
            language="es",
            defaults={"subject": template["subject"], "body": template["body"], "html_body": template["html_body"]},
        )
    return list(NotificationTemplate.objects.all())


@pytest.fixture
def database_queue(settings):
    """Tasks written to django_tasks_db's table, as in production, instead of run in-process."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "search", "notifications"]}
    }


@pytest.fixture
def sms_outbox():
    MemoryBackend.outbox.clear()
    yield MemoryBackend.outbox
    MemoryBackend.outbox.clear()
