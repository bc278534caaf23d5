"""The demo loader makes two open consultations and one answered, through the actions, once."""

from __future__ import annotations

import pytest

from portal.participation.consultations import demo
from portal.participation.consultations.models import Comment, Consultation
from portal.participation.consultations.queries import today

from .factories import make_entity

pytestmark = pytest.mark.django_db


class QuietSeed:
    with_accounts = False

    def say(self, message: str) -> None:
        pass

    def progress(self, label: str):
        return lambda items: items


def test_the_demo_makes_open_and_answered_consultations_once():
    for acronym in ("SSA", "SEP", "BIENESTAR"):
        make_entity(acronym)
    demo.load_demo(QuietSeed())
    demo.load_demo(QuietSeed())
    statuses = sorted(c.status_on(today()) for c in Consultation.objects.all())
    assert statuses == ["answered", "open", "open"]
    assert Comment.objects.count() >= 36
    answered = Consultation.objects.get(slug="demo-lineamientos-comedores-comunitarios")
    assert answered.response_document_id is not None
    assert not answered.comments.filter(treatment="").exists()
    assert answered.sections.get(order=3).final_text != answered.sections.get(order=3).draft_text
