"""The demo loader makes petitions in every state through the actions, once."""

from __future__ import annotations

import io

import pytest
from django.core.management.base import OutputWrapper

from portal.demo.seed import Seed
from portal.participation import demo
from portal.participation.models import Petition, PetitionStatus

from .factories import make_entity

pytestmark = pytest.mark.django_db


def test_the_demo_makes_petitions_in_every_state_once(settings):
    settings.DEBUG = True
    settings.PARTICIPATION_DEMO_PETITIONS = 20
    for acronym in ("IMSS", "SAT", "SEP"):
        make_entity(acronym)
    seed = Seed(stdout=OutputWrapper(io.StringIO()), stderr=OutputWrapper(io.StringIO()), verbosity=0)
    demo.load_demo(seed)
    demo.load_demo(seed)
    statuses = set(Petition.objects.values_list("status", flat=True))
    assert Petition.objects.count() == 20
    assert statuses == {PetitionStatus.RECEIVED, PetitionStatus.ANSWERED, PetitionStatus.FORWARDED}
    assert all(petition.answer_document_id for petition in Petition.objects.filter(status=PetitionStatus.ANSWERED))
