"""Registering people (homonymy) and changing their status."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from portal.documents.models import IssuedDocument
from portal.registry.actions import do_change_status, do_issue_curp_certificate, do_register_person
from portal.registry.curp import CurpConstructionError
from portal.registry.models import Person
from portal.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_homonyms_get_the_next_differentiator():
    first = make_person()
    second = make_person()
    assert first.curp == "HEGG560427MVZRRL04"
    assert second.curp[:17] == "HEGG560427MVZRRL1"


def test_homonyms_born_from_2000_get_letters_in_order():
    born = {"birth_date": datetime.date(2004, 5, 6)}
    curps = [make_person(**born).curp for _ in range(3)]
    assert [curp[16] for curp in curps] == ["A", "B", "C"]


def test_an_eleventh_homonym_before_2000_cannot_be_registered():
    for _ in range(10):
        make_person()
    with pytest.raises(CurpConstructionError):
        make_person()
    assert Person.objects.count() == 10


def test_registration_validates_the_record():
    with pytest.raises(ValidationError):
        make_person(nationality="mexicana")
    assert not Person.objects.exists()


def test_the_lookup_key_follows_changes_of_the_data():
    person = make_person()
    old_key = person.lookup_key
    person.second_surname = "GARZA"
    person.save(update_fields=["second_surname"])
    person.refresh_from_db()
    assert person.lookup_key != old_key
    assert person.lookup_key == person.compute_lookup_key()


def test_cancelling_a_curp_revokes_its_certificates():
    person = make_person()
    document, _pdf = do_issue_curp_certificate(person)
    do_change_status(person, "cancelled")
    person.refresh_from_db()
    document.refresh_from_db()
    assert person.status == "cancelled"
    assert document.revoked and document.revoked_at is not None


def test_an_unchanged_status_revokes_nothing():
    person = make_person()
    document, _pdf = do_issue_curp_certificate(person)
    do_change_status(person, "active")
    assert not IssuedDocument.objects.get(pk=document.pk).revoked


def test_an_unknown_status_is_refused():
    with pytest.raises(ValueError):
        do_change_status(make_person(), "gone")


def test_a_person_born_abroad_keeps_ne_and_their_nationality():
    person = do_register_person(
        given_names="JOHN MICHAEL",
        first_surname="SMITH",
        second_surname="",
        birth_date=datetime.date(1985, 2, 14),
        sex="H",
        birth_state="NE",
        nationality="USA",
        evidence_kind="migration_document",
    )
    assert person.curp.startswith("SIXJ850214HNEMXH0")
    assert person.born_abroad
    assert person.nationality_display == "USA"
