"""The demo loader makes tickets for the demo entities in every status through the actions, once."""

from __future__ import annotations

import pytest

from portal.accounts.tests.factories import make_account
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.helpdesk import demo
from portal.helpdesk.models import Ticket, TicketStatus
from portal.participation.tests.test_demo import QuietSeed

from .factories import make_entity_with_service

pytestmark = pytest.mark.django_db


def test_the_demo_makes_tickets_in_every_status_once(settings):
    settings.DEBUG = True
    sre, passport = make_entity_with_service("SRE")
    worker = make_account(email="tramitador.sre@ventanilla.example")
    worker.username = "tramitador.sre"
    worker.save(update_fields=["username"])
    do_grant_role(worker, sre, Role.CASE_WORKER)
    demo.load_demo(QuietSeed())
    demo.load_demo(QuietSeed())
    tickets = Ticket.objects.all()
    assert tickets.count() == len(demo.PLAN) + 1
    assert set(tickets.filter(agency=sre).values_list("status", flat=True)) == set(TicketStatus.values)
    assert tickets.filter(agency=sre, service=passport).exists() and tickets.filter(agency__isnull=True).count() == 1
    assert tickets.filter(first_answered_at__isnull=False).count() == 3
