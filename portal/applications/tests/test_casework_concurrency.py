"""Two case workers resolving the same case at the same moment: one wins, the other is told the case changed.

Needs real row locks, so it runs on PostgreSQL only (SQLite has no SELECT ... FOR UPDATE; it serialises writers with
a database lock instead).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from portal.applications.actions import casework
from portal.applications.models import ApplicationStatus, EventKind
from portal.documents.models import IssuedDocument

from .backoffice_world import build_world

S = ApplicationStatus

pytestmark = [
    pytest.mark.transactional,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.mark.django_db(transaction=True)
def test_two_case_workers_resolving_at_once_one_wins_the_other_gets_the_stale_message():
    world = build_world()
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def resolve(name: str, user, approved: bool) -> None:
        try:
            start.wait(timeout=10)
            casework.do_resolve(world.case, user, approved, f"Decisión de {name}", expected_status=S.SUBMITTED)
            outcomes[name] = "resolved"
        except Exception as error:  # noqa: BLE001 — the test reports whatever happened in the thread
            outcomes[name] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=resolve, args=("diana", world.worker, True)),
        threading.Thread(target=resolve, args=("carlos", world.colleague, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    results = sorted(outcomes.values(), key=str)
    assert len(results) == 2
    winners = [name for name, outcome in outcomes.items() if outcome == "resolved"]
    losers = [outcome for outcome in outcomes.values() if outcome != "resolved"]
    assert len(winners) == 1, outcomes
    assert isinstance(losers[0], casework.StaleCase), outcomes
    world.case.refresh_from_db()
    assert world.case.status == (S.APPROVED if winners == ["diana"] else S.REJECTED)
    assert world.case.events.filter(kind=EventKind.RESOLVED).count() == 1
    assert IssuedDocument.objects.filter(subject=world.case.folio).count() == 1
