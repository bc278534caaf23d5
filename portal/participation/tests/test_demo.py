"""The demo loader makes petitions in every state through the actions, once."""

from __future__ import annotations

import pytest

from portal.participation import demo
from portal.participation.models import Petition, PetitionStatus

from .factories import make_entity

pytestmark = pytest.mark.django_db


class QuietSeed:
    """What a loader uses of ``seed_demo``'s seed (portal.demo is imported by no one, tests included)."""

    with_accounts = False

    def say(self, message: str) -> None:
        pass

    def progress(self, label: str):
        return lambda items: items


def test_the_demo_makes_petitions_in_every_state_once(settings):
    settings.DEBUG = True
    settings.PARTICIPATION_DEMO_PETITIONS = 20
    for acronym in ("IMSS", "SAT", "SEP"):
        make_entity(acronym)
    seed = QuietSeed()
    demo.load_demo(seed)
    demo.load_demo(seed)
    statuses = set(Petition.objects.values_list("status", flat=True))
    assert Petition.objects.count() == 20
    assert statuses == {PetitionStatus.RECEIVED, PetitionStatus.ANSWERED, PetitionStatus.FORWARDED}
    assert all(petition.answer_document_id for petition in Petition.objects.filter(status=PetitionStatus.ANSWERED))
