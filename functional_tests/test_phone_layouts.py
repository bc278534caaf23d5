"""Pages with tables, on a 375-px phone, full of data: nothing may make the page scroll sideways.

The citizen's applications and sessions, the back office queue and the non-working days each show a table on a wide
screen and stacked cards on a phone (``app-table-stack`` in ``frontend/scss/_components.scss``). Each page is filled
with what makes a table wide: long service and agency names, several drafts, cases, sessions and colleagues.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page

from portal.accounts.devices import Browser, Platform
from portal.accounts.models import ActiveSession, SignInEvent
from portal.accounts.tests.factories import DEFAULT_PASSWORD
from portal.agencies.tests.factories import make_agency
from portal.applications.actions import drafts
from portal.applications.tests.backoffice_world import build_world
from portal.applications.tests.factories import published_form, submitted_application
from portal.applications.tests.journey_data import PASSWORD, citizen, schema_without_files
from portal.core import business_days
from portal.core.models import NonWorkingDay
from portal.online_forms.models import FormDefinition
from portal.services.tests.factories import make_service

from .checks import assert_accessible, assert_fits, assert_loads_cleanly, assert_references_exist, visit
from .person import sign_in

PHONE = {"width": 375, "height": 667}
LONG_SERVICE = (
    "Autorización para la importación temporal de vehículos de procedencia extranjera destinados a actividades de "
    "investigación científica y tecnológica"
)
LONG_AGENCY = "Secretaría de Medio Ambiente, Recursos Naturales y Desarrollo Territorial Sustentable de Michoacán"


@pytest.fixture
def phone(new_page) -> Page:
    return new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)


def check_on_the_phone(page: Page, path: str) -> None:
    result = visit(page, path)
    assert_loads_cleanly(page, result)
    assert_fits(page)
    assert_references_exist(page)
    assert_accessible(page)


def test_a_citizens_applications_and_sessions_fit_a_phone(phone: Page, transactional_db) -> None:
    person = citizen()
    agency = make_agency("SEMARNATMICH", name=LONG_AGENCY)
    definitions = []
    for n in range(3):
        service = make_service(agency, title=f"{LONG_SERVICE} ({n + 1})")
        published_form(service, schema_without_files())
        definitions.append(FormDefinition.objects.get(service=service))
    for definition in definitions[:2]:
        drafts.do_start_draft(person, definition)
    for definition in definitions:
        submitted_application(definition.service, applicant=person)
    for n, (browser, platform) in enumerate([(Browser.OTHER, Platform.OTHER)] * 3):
        ActiveSession.objects.create(
            user=person,
            token_digest=f"{n:064x}",
            network="2001:db8:85a3:8d3:1319:8a2e:370:7348/64",
            browser=browser,
            platform=platform,
        )
        SignInEvent.objects.create(
            user=person, kind=SignInEvent.Kind.WRONG_SECOND_FACTOR, network="2001:db8:85a3:8d3::/64", browser=browser
        )

    sign_in(phone, person.email, PASSWORD)
    check_on_the_phone(phone, "/mi-expediente/solicitudes/")
    main = phone.locator("main")
    continuar = main.get_by_role("link", name="Continuar").first
    box = continuar.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"], f"«Continuar» is off the screen: {box}"
    assert main.get_by_text("Recibida").first.is_visible()

    check_on_the_phone(phone, "/mi-expediente/seguridad/")
    close = main.get_by_role("button", name="Cerrar").first
    box = close.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"], f"«Cerrar» is off the screen: {box}"


def test_the_back_office_queue_fits_a_phone(phone: Page, transactional_db) -> None:
    world = build_world()
    world.colleague.first_name = "María de los Ángeles Guadalupe"
    world.colleague.last_name = "Hernández de la Fuente Villaseñor"
    world.colleague.save(update_fields=["first_name", "last_name"])
    long_service = make_service(world.agency, title=LONG_SERVICE)
    for days_ago in (0, 3, 40):
        submitted_application(
            long_service,
            submitted_on=business_days.today() - dt.timedelta(days=days_ago),
            assigned_to=world.colleague,
        )

    sign_in(phone, world.worker.email, DEFAULT_PASSWORD)
    check_on_the_phone(phone, f"/oficina/{world.agency.slug}/solicitudes/")
    assert phone.locator("main").get_by_text("María de los Ángeles Guadalupe").first.is_visible()


def test_the_non_working_days_fit_a_phone(phone: Page, transactional_db) -> None:
    year = business_days.today().year
    for month, day in ((3, 31), (4, 1), (11, 2)):
        NonWorkingDay.objects.create(
            date=dt.date(year, month, day),
            description="Suspensión de labores por la conmemoración del aniversario de la Revolución Mexicana",
            source="Acuerdo por el que se dan a conocer los días inhábiles, DOF 2026-01-15, segunda sección",
        )
    check_on_the_phone(phone, "/dias-inhabiles/")
