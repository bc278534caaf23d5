"""Supports given at the same moment: every one is counted, the same account once, and the threshold they reach
together moves the proposal to «threshold», is recorded and told to the author exactly once.

Needs real row locks, so it runs on PostgreSQL only (SQLite serialises writers with a database lock instead).
"""

from __future__ import annotations

import pytest
from django.db import connection

from portal.notifications.models import Notification
from portal.participation.proposals import actions
from portal.participation.proposals.models import ProposalEventKind, ProposalStatus, ProposalSupport
from portal.participation.tests.test_support_concurrency import _at_once

from .factories import make_citizen, make_entity, make_published, make_verified_citizen

pytestmark = [
    pytest.mark.transactional,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.mark.django_db(transaction=True)
def test_supports_at_the_same_moment_are_all_counted_and_reach_the_threshold_once():
    author = make_citizen("leonor@example.com", first_name="Leonor")
    proposal = make_published(make_entity("SEMOVI"), author=author, threshold=4)
    supporters = [make_verified_citizen() for _ in range(6)]
    calls = [(actions.do_support_proposal, (proposal, user)) for user in supporters]
    calls.append((actions.do_support_proposal, (proposal, supporters[0])))
    outcomes = _at_once(calls)

    refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], actions.ProposalRefused), outcomes
    proposal.refresh_from_db()
    assert proposal.supports_count == 6 == ProposalSupport.objects.filter(proposal=proposal).count()
    assert proposal.status == ProposalStatus.THRESHOLD
    assert proposal.events.filter(kind=ProposalEventKind.THRESHOLD).count() == 1
    assert Notification.objects.filter(event="proposal.threshold").count() == 1
