"""Supports given at the same moment: every one is counted, the same account is counted once, and the threshold
they cross together is recorded and told to the author exactly once.

Needs real row locks, so it runs on PostgreSQL only (SQLite serialises writers with a database lock instead).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from portal.agencies.actions import do_grant_portal_admin
from portal.notifications.models import Notification
from portal.participation import actions
from portal.participation.models import EventKind, PetitionSupport

from .factories import make_citizen, make_entity, make_public_petition, make_verified_citizen

pytestmark = [
    pytest.mark.transactional,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def _at_once(calls: list) -> list:
    """Run each ``(function, args)`` in its own thread, released together; what each returned or raised."""
    start = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index: int, function, args) -> None:
        try:
            start.wait(timeout=10)
            outcomes[index] = function(*args)
        except Exception as error:  # noqa: BLE001 — the test reports whatever happened in the thread
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, function, args)) for i, (function, args) in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_supports_at_the_same_moment_are_all_counted_and_cross_the_threshold_once():
    agency = make_entity("SEMOVI")
    actions.do_set_public_settings(agency, support_months=6, answer_threshold=4, hearing_threshold=100)
    moderator = make_citizen(first_name="Marta")
    do_grant_portal_admin(moderator)
    petition = actions.do_publish_petition(make_public_petition(make_citizen(first_name="Leonor"), agency), moderator)
    supporters = [make_verified_citizen() for _ in range(6)]
    twice = supporters[0]

    calls = [(actions.do_support_petition, (petition, user)) for user in supporters]
    calls.append((actions.do_support_petition, (petition, twice)))
    outcomes = _at_once(calls)

    refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], actions.PetitionRefused), outcomes
    petition.refresh_from_db()
    assert petition.supports_count == 6 == PetitionSupport.objects.filter(petition=petition).count()
    assert petition.events.filter(kind=EventKind.THRESHOLD).count() == 1
    assert Notification.objects.filter(event="petition.threshold").count() == 1
