"""A service resolved at once («Inmediato», resolution time 0): the start page, the acuse and the sheet agree."""

from __future__ import annotations

import pytest
from django.utils import timezone

from portal.applications.actions import submission
from portal.core import business_days

from .journey_data import citizen, complete_draft, open_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate():
    return open_form(resolution_days=0, silence_rule="no_aplica")


def test_the_start_page_says_it_is_resolved_at_once_not_in_zero_days(client, immediate):
    body = client.get(f"/tramites/{immediate.service.homoclave}/solicitar/").content.decode()
    assert "0 días hábiles" not in body
    assert "Se resuelve de inmediato" in body
    sheet = client.get(f"/tramites/{immediate.service.homoclave}/").content.decode()
    assert "Inmediato" in sheet


def test_a_service_with_a_term_still_gives_it_in_business_days(client):
    definition = open_form(resolution_days=1)
    body = client.get(f"/tramites/{definition.service.homoclave}/solicitar/").content.decode()
    assert "hasta 1 día hábil para resolver" in body
    assert "Se resuelve de inmediato" not in body


def test_the_acuse_applies_the_same_rule_as_the_start_page(client, immediate):
    user = citizen()
    case = submission.do_submit(complete_draft(user, immediate).pk, user, declaration=True)
    received = timezone.localtime(case.submitted_at).date()
    assert case.due_date == business_days.add_business_days(received, 0)  # that day, or the next business day
    client.force_login(user)
    body = client.get(f"/mi-expediente/solicitudes/{case.folio}/acuse/").content.decode()
    assert "Se resuelve de inmediato" in body
    assert body.count("se resuelve de inmediato") + body.count("Se resuelve de inmediato") == 1
    assert case.due_date.isoformat() in body
