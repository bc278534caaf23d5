"""The demo loader makes petitions in every state through the actions, once."""

from __future__ import annotations

import pytest

from portal.participation import demo, queries
from portal.participation.models import Moderation, Petition, PetitionStatus

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


def test_the_demo_publishes_public_petitions_with_supports_counted_exactly(settings):
    settings.DEBUG = True
    settings.PARTICIPATION_DEMO_PETITIONS = 28
    for acronym in ("IMSS", "SAT", "GOBCOL"):
        make_entity(acronym)
    demo.load_demo(QuietSeed())
    moderated = set(Petition.objects.filter(is_public=True).values_list("moderation", flat=True))
    assert moderated == {Moderation.PUBLISHED, Moderation.REJECTED, Moderation.DUPLICATE, Moderation.PENDING}
    published = list(Petition.objects.filter(moderation=Moderation.PUBLISHED))
    assert max(p.supports_count for p in published) == demo.DEMO_SUPPORTERS
    assert all(p.supports_count == queries.count_supports(p) for p in published)
