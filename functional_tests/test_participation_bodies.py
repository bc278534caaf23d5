"""Participation bodies in a real browser: a person finds a council in the registry by its entity, opens it, opens a
session and downloads its minutes; the entity's «Enlace de participación ciudadana» adds a session, an agreement (a
blank one first: told what is missing) and its follow-up, and the public page shows them. Every page goes through
axe-core, the Nu HTML Checker and the phone-width check, on a 375-px phone, once with JavaScript and once without."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.accounts.tests.factories import add_totp
from portal.participation.bodies import actions
from portal.participation.bodies.models import BodyAgreement
from portal.participation.bodies.tests.factories import (
    make_body,
    make_body_staff,
    make_entity,
    make_member,
    make_session,
    stored_pdf,
)

from .checks import visit
from .person import check_page, follow, main_text, open_phone, press, sign_in


@pytest.fixture
def registry(transactional_db):
    ssa = make_entity("SSA", "Secretaría de Salud")
    sep = make_entity("SEP", "Secretaría de Educación Pública")
    council = make_body(ssa, name="Consejo Consultivo de Salud")
    make_body(sep, name="Observatorio Ciudadano Escolar", kind="observatory")
    make_member(council, "Ana Presidenta Ruiz", role="presidency")
    make_member(council, "Pedro Anterior Soto", term_start=dt.date(2020, 1, 1), term_end=dt.date(2022, 12, 31))
    session = make_session(council, dt.date(2026, 2, 12), agenda="1. Lista de asistencia\n2. Informe anual")
    stored_pdf(session, "Acta de la primera sesión ordinaria")
    agreement = actions.do_add_agreement(
        session, None, code="CC-2026-01", text="Publicar el informe anual.", responsible="Secretaría técnica"
    )
    actions.do_update_agreement(agreement, None, status="in_progress", note="Borrador en revisión.")
    staff = make_body_staff(ssa, "enlace@salud.gob.mx")
    return {"council": council, "staff": staff}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_person_finds_a_council_by_its_entity_and_opens_its_minutes(new_page, registry, javascript):
    person = open_phone(new_page, javascript=javascript)
    check_page(person, visit(person, "/participa/mecanismos/"))
    assert "2 mecanismos" in main_text(person)
    person.get_by_label("Institución").select_option(label="Secretaría de Salud (SSA)")
    check_page(person, press(person, "Filtrar"))
    text = main_text(person)
    assert "1 mecanismo" in text and "Observatorio Ciudadano Escolar" not in text
    check_page(person, follow(person, person.get_by_role("link", name="Consejo Consultivo de Salud")))
    text = main_text(person)
    assert "Ana Presidenta Ruiz" in text and "CC-2026-01" in text and "Borrador en revisión." in text
    check_page(person, follow(person, person.get_by_role("link", name="Sesión 1 (ordinaria)")))
    assert "Informe anual" in main_text(person)
    with person.expect_download() as download:
        person.get_by_role("link", name="Acta: Acta de la primera sesión ordinaria").click()
    path = download.value.path()
    assert path is not None and path.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_entitys_staff_add_a_session_with_an_agreement_and_its_follow_up(new_page, registry, javascript):
    council = registry["council"]
    secret = add_totp(registry["staff"])
    staff = open_phone(new_page, javascript=javascript)
    sign_in(staff, "enlace@salud.gob.mx", second_factor=secret)
    check_page(staff, visit(staff, "/participa/gestion/mecanismos/"))
    check_page(staff, follow(staff, staff.get_by_role("link", name="Consejo Consultivo de Salud")))
    staff.get_by_label("Tipo de sesión").select_option(label="Extraordinaria")
    staff.get_by_label("Fecha de la sesión").fill("05/03/2026")
    staff.get_by_label("Lugar").fill("Sala de juntas, Lieja 7, Ciudad de México")
    staff.get_by_label("Orden del día (opcional)").fill("1. Abasto de vacunas")
    staff.get_by_label("Estado", exact=True).select_option(label="Celebrada")
    check_page(staff, press(staff, "Registrar la sesión"))
    assert "Se registró la sesión 2." in main_text(staff)

    check_page(staff, press(staff, "Registrar el acuerdo"), status=400)
    assert "Escriba la clave del acuerdo" in main_text(staff)
    staff.get_by_label("Clave del acuerdo").fill("CC-2026-02")
    staff.get_by_label("Acuerdo", exact=True).fill("Informar cada mes el abasto de vacunas.")
    staff.get_by_label("Responsable").fill("Dirección General de Epidemiología")
    check_page(staff, press(staff, "Registrar el acuerdo"))
    assert "Se registró el acuerdo CC-2026-02." in main_text(staff)

    staff.get_by_label("Estado del acuerdo CC-2026-02").select_option(label="En proceso")
    staff.get_by_label("Nota de seguimiento del acuerdo CC-2026-02").fill("Primer informe entregado.")
    check_page(staff, press(staff, "Registrar el seguimiento del acuerdo CC-2026-02"))
    assert BodyAgreement.objects.get(code="CC-2026-02").status == "in_progress"

    check_page(staff, visit(staff, f"/participa/mecanismos/{council.slug}/"))
    text = main_text(staff)
    assert "CC-2026-02" in text and "En proceso" in text and "Primer informe entregado." in text
    assert "Sesión 2 (extraordinaria)" in text
