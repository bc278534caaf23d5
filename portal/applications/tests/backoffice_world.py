"""Two entities with their staff, a citizen and one case in each: the cast of the back office's tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from portal.accounts.tests.factories import make_account
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Agency, Role
from portal.agencies.tests.factories import make_agency
from portal.applications.models import Application
from portal.applications.tests.factories import submitted_application
from portal.services.models import ServicePage
from portal.services.tests.factories import make_service


@dataclass
class World:
    agency: Agency
    other_agency: Agency
    service: ServicePage
    other_service: ServicePage
    worker: Any
    colleague: Any
    admin: Any
    editor: Any
    other_worker: Any
    citizen: Any
    case: Application
    other_case: Application


def staff(email: str, agency: Agency, *roles: str, first_name: str = ""):
    user = make_account(email=email, first_name=first_name)
    for role in roles:
        do_grant_role(user, agency, role)
    return user


def build_world(*, submitted_on: dt.date | None = None, resolution_days: int = 10) -> World:
    agency = make_agency("CASOA", name="Secretaría de Casos A", slug="casos-a")
    other_agency = make_agency("CASOB", name="Secretaría de Casos B", slug="casos-b")
    service = make_service(agency, title="Permiso de prueba", resolution_days=resolution_days)
    other_service = make_service(other_agency, title="Licencia de la otra", resolution_days=resolution_days)
    citizen = make_account(email="lucia@example.mx", phone="+525512345678", first_name="Lucía")
    return World(
        agency=agency,
        other_agency=other_agency,
        service=service,
        other_service=other_service,
        worker=staff("dictamina@casos-a.gob.mx", agency, Role.CASE_WORKER, first_name="Diana"),
        colleague=staff("colega@casos-a.gob.mx", agency, Role.CASE_WORKER, first_name="Carlos"),
        admin=staff("admin@casos-a.gob.mx", agency, Role.ENTITY_ADMIN, first_name="Alma"),
        editor=staff("editor@casos-a.gob.mx", agency, Role.EDITOR, first_name="Eva"),
        other_worker=staff("dictamina@casos-b.gob.mx", other_agency, Role.CASE_WORKER, first_name="Omar"),
        citizen=citizen,
        case=submitted_application(service, applicant=citizen, submitted_on=submitted_on),
        other_case=submitted_application(other_service, submitted_on=submitted_on),
    )
