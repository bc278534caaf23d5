"""Builders of help-desk test data: an entity with a service sheet, its help-desk staff, a ticket."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from portal.accounts.tests.factories import make_account
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from portal.helpdesk import actions
from portal.services.tests.factories import make_service

_sequence = itertools.count(1)
QUESTION = "No encuentro dónde subir mi acta de nacimiento para terminar el trámite."


def make_entity_with_service(acronym: str = "SRE", title: str = "Pasaporte ordinario mexicano") -> tuple[Any, Any]:
    """An entity (with its catalogue, which service sheets need) and one live service of it."""
    agency = make_agency(acronym, name=f"Institución {acronym}")
    return agency, make_service(agency, title=title)


def make_helpdesk_staff(agency: Any, role: str = Role.OPERATIONS, email: str = "") -> Any:
    n = next(_sequence)
    user = make_account(email=email or f"ayuda{n}@{agency.acronym.lower()}.gob.mx", first_name="Luisa")
    do_grant_role(user, agency, role)
    return user


def make_ticket(
    *,
    service: Any = None,
    agency: Any = None,
    email: str = "persona@example.com",
    question: str = QUESTION,
    now: dt.datetime | None = None,
) -> Any:
    return actions.do_open_ticket(question=question, email=email, name="Paula", service=service, agency=agency, now=now)
