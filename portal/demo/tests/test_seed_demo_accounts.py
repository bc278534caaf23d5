"""``seed_demo --with-accounts``: the demo staff and citizens, and a second run that keeps them as they are.

The first seed is run once per module (``testing.db``), each test's changes rolled back: each test used to seed
first, about ten seconds on PostgreSQL on the 2-core machine.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from portal.accounts.models import AssuranceLevel, CurpConfirmationMethod
from portal.accounts.queries import assurance_level
from portal.agencies.models import StaffRole
from portal.registry.models import Person
from testing.db import built_for_the_module

from .seeding import make_services_dir, seed


@dataclass(frozen=True)
class Seeded:
    services_dir: Path
    output: str


@pytest.fixture(scope="module")
def _seeded_built(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Seeded]:
    services_dir = make_services_dir(tmp_path_factory.mktemp("seed"))
    with built_for_the_module(
        django_db_blocker, lambda: Seeded(services_dir, seed(services_dir, "--with-accounts"))
    ) as seeded:
        yield seeded


@pytest.fixture
def seeded(_seeded_built, db) -> Seeded:
    """The module's first seed, with the demo accounts: its data files and what it printed."""
    return _seeded_built


def test_a_demo_citizen_is_verified_to_try_the_forms_that_require_it(seeded):
    output = seeded.output
    seed(seeded.services_dir, "--with-accounts")  # a second run keeps her as she is

    verified = get_user_model().objects.get(username="verificada")
    assert assurance_level(verified) == AssuranceLevel.VERIFIED
    profile = verified.account_profile
    assert profile.curp == "HEGG560427MVZRRL04"
    assert profile.curp_confirmation_method == CurpConfirmationMethod.IN_PERSON
    assert Person.objects.filter(curp="HEGG560427MVZRRL04").count() == 1
    assert verified.check_password("Ventanilla-Demo-2026")
    assert "verificada@ventanilla.example" in output
    # The other demo citizen stays «básica», for the forms that ask no more.
    assert assurance_level(get_user_model().objects.get(username="ciudadana")) == AssuranceLevel.BASIC


def test_an_imss_editor_gets_the_imss_groups_only(seeded):
    editor = get_user_model().objects.get(username="editor.imss")
    assert editor.is_staff and not editor.is_superuser
    assert list(editor.groups.values_list("name", flat=True)) == ["IMSS · Editores"]
    assert StaffRole.objects.get(user=editor).agency.acronym == "IMSS"
    approver = get_user_model().objects.get(username="aprobador.imss")
    assert list(approver.groups.values_list("name", flat=True)) == ["IMSS · Aprobadores"]


def test_accounts_are_not_duplicated_and_keep_their_password(seeded):
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("otra-contraseña-larga")
    admin.save()

    seed(seeded.services_dir, "--with-accounts")

    assert get_user_model().objects.filter(username="admin").count() == 1
    admin.refresh_from_db()
    assert admin.check_password("otra-contraseña-larga")
