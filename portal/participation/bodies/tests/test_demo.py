"""The demo loader makes a dozen bodies of every kind, with members, sessions, minutes and agreements in every status,
through the actions, once."""

from __future__ import annotations

import pytest

from portal.participation.bodies import demo
from portal.participation.bodies.models import (
    AgreementStatus,
    Body,
    BodyAgreement,
    BodyEvent,
    BodyKind,
    BodySessionDocument,
)

from .factories import make_entity

pytestmark = pytest.mark.django_db


class QuietSeed:
    with_accounts = False

    def say(self, message: str) -> None:
        pass

    def progress(self, label: str):
        return lambda items: items


def test_the_demo_makes_bodies_of_every_kind_with_agreements_in_every_status_once():
    for acronym in ("SSA", "SEP", "IMSS", "BIENESTAR", "CFE", "PROFECO", "GOBCOL"):
        make_entity(acronym)
    demo.load_demo(QuietSeed())
    counts = (Body.objects.count(), BodyAgreement.objects.count(), BodyEvent.objects.count())
    demo.load_demo(QuietSeed())
    assert (Body.objects.count(), BodyAgreement.objects.count(), BodyEvent.objects.count()) == counts
    assert Body.objects.count() == 12
    assert set(Body.objects.values_list("kind", flat=True)) == set(BodyKind.values)
    assert set(BodyAgreement.objects.values_list("status", flat=True)) == set(AgreementStatus.values)
    assert BodySessionDocument.objects.filter(kind="minutes").exists()
    assert Body.objects.filter(is_active=False).count() == 1
    assert Body.objects.values("agency").distinct().count() >= 4
    assert all(body.sessions.count() >= 2 for body in Body.objects.all())
