"""The demo loader makes proposals in every state through the actions, once."""

from __future__ import annotations

import pytest

from portal.participation.proposals import demo, queries
from portal.participation.proposals.models import Proposal, ProposalStatus
from portal.participation.tests.test_demo import QuietSeed

from .factories import make_entity

pytestmark = pytest.mark.django_db
S = ProposalStatus


def test_the_demo_makes_proposals_in_every_state_once(settings):
    settings.DEBUG = True
    for acronym in ("IMSS", "SAT", "SEP"):
        make_entity(acronym)
    seed = QuietSeed()
    demo.load_demo(seed)
    demo.load_demo(seed)
    assert Proposal.objects.count() == demo.DEMO_PROPOSALS
    today = queries.today()
    states = {queries.effective_status(proposal, today) for proposal in Proposal.objects.all()}
    assert states == {
        S.PENDING,
        S.REFUSED,
        S.OPEN,
        S.EXPIRED,
        S.THRESHOLD,
        S.NOT_ACCEPTED,
        S.IN_PROGRESS,
        S.COMPLETED,
    }
    for proposal in Proposal.objects.exclude(status__in=(S.PENDING, S.REFUSED)):
        assert proposal.supports_count == proposal.supports.count()
    for proposal in Proposal.objects.filter(status=S.IN_PROGRESS):
        assert 2 <= proposal.updates.count() <= 4
    assert all(p.progress == 100 for p in Proposal.objects.filter(status=S.COMPLETED))
