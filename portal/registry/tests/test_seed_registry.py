"""The demo registry command: realistic, unique, valid, repeatable."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from stdnum.mx import curp as stdnum_curp

from portal.registry.curp import curp_problems
from portal.registry.demo import FIXED_PEOPLE
from portal.registry.models import Person

pytestmark = pytest.mark.django_db

# As docs/registry.md lists them.
FIXED_CURPS = {
    "HEGG560427MVZRRL04",
    "CUPJ031102MDFRXSA6",
    "XUXO750819HOCXXS04",
    "SIXJ850214HNEMXH00",
    "PXDO480308MPLDMF04",
    "GELC690720HSRRPR05",
    "RIVA050630XNLSGRA5",
}


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_registry", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_seeding_creates_the_fixed_people_and_the_synthetic_ones_with_valid_unique_curps():
    seed("--count", "600", "--seed", "7")
    people = list(Person.objects.all())
    assert len(people) == 600 + len(FIXED_PEOPLE)
    curps = [person.curp for person in people]
    assert len(set(curps)) == len(curps)
    assert all(curp_problems(curp) == [] for curp in curps)
    assert all(stdnum_curp.is_valid(person.curp) for person in people if person.sex != "X")
    assert all(person.lookup_key == person.compute_lookup_key() for person in people)


def test_the_fixed_people_have_the_documented_curps():
    seed("--count", "0")
    curps = set(Person.objects.values_list("curp", flat=True))
    assert curps == FIXED_CURPS


def test_seeding_twice_tops_up_instead_of_duplicating():
    seed("--count", "200", "--seed", "1")
    assert "Personas creadas: 0" in seed("--count", "200", "--seed", "1")
    seed("--count", "300", "--seed", "2")
    assert Person.objects.count() == 300 + len(FIXED_PEOPLE)


def test_reset_with_the_same_seed_gives_the_same_people():
    seed("--count", "150", "--seed", "42")
    before = set(Person.objects.values_list("curp", "given_names", "first_surname"))
    seed("--count", "150", "--seed", "42", "--reset")
    assert set(Person.objects.values_list("curp", "given_names", "first_surname")) == before


def test_the_synthetic_registry_looks_like_mexico():
    seed("--count", "3000", "--seed", "3")
    people = Person.objects.all()
    assert people.filter(birth_state="NE").exists()
    assert people.filter(second_surname="").exists()
    assert people.filter(status="deceased").exists()
    assert people.filter(given_names__startswith="MARÍA ").exists()
    assert people.filter(given_names__startswith="JOSÉ ").exists()
    # The most populous state (Estado de México) has more people than the least (Colima).
    assert people.filter(birth_state="MC").count() > people.filter(birth_state="CM").count()
    years = [person.birth_date.year for person in people]
    assert min(years) >= 1930 and max(years) <= 2024


def test_homonyms_of_people_already_registered_get_the_next_differentiator():
    seed("--count", "100", "--seed", "5")
    # Topping up with the same seed draws the same 100 people again: each is a homonym of someone registered.
    seed("--count", "200", "--seed", "5")
    synthetic = Person.objects.exclude(curp__in=FIXED_CURPS)
    by_stem: dict[str, list[str]] = {}
    for curp in synthetic.values_list("curp", flat=True):
        by_stem.setdefault(curp[:16], []).append(curp[16])
    assert len(by_stem) == 100
    assert all(sorted(marks) in (["0", "1"], ["A", "B"]) for marks in by_stem.values())


def test_a_negative_count_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        seed("--count", "-1")
