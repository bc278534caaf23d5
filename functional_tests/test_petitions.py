"""Petitions in a real browser: a citizen writes one and sees it with its clock, the entity's petition staff answer
it, and the citizen reads the answer. Every page (the refused forms included) goes through axe-core, the Nu HTML
Checker and the phone-width check, on a 375-px phone, once with JavaScript and once without."""

from __future__ import annotations

import pytest

from portal.participation.models import Petition, PetitionStatus
from portal.participation.tests.factories import make_citizen, make_entity, make_petitions_staff

from .checks import visit
from .person import check_page, main_text, open_phone, press, sign_in


@pytest.fixture
def people(transactional_db):
    imss = make_entity("IMSS", "Instituto Mexicano del Seguro Social")
    make_entity("SSA", "Secretaría de Salud")
    return {"citizen": make_citizen("ana@example.com"), "staff": make_petitions_staff(imss, "irene@imss.gob.mx")}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_citizen_petitions_staff_answer_and_the_citizen_reads_the_answer(new_page, people, javascript):
    citizen = open_phone(new_page, javascript=javascript)
    sign_in(citizen, people["citizen"].email)
    check_page(citizen, visit(citizen, "/participa/"))
    check_page(citizen, visit(citizen, "/participa/peticiones/nueva/"))
    citizen.get_by_label("Su petición").fill("Pido que surtan mi receta <completa>.")
    check_page(citizen, press(citizen, "Enviar la petición"), status=400)
    assert "Escriba el asunto de su petición." in main_text(citizen)
    assert citizen.get_by_label("Su petición").input_value() == "Pido que surtan mi receta <completa>."
    citizen.get_by_label("Institución a la que se dirige").select_option("IMSS")
    citizen.get_by_label("Asunto").fill("Medicinas sin surtir")
    check_page(citizen, press(citizen, "Enviar la petición"))
    petition = Petition.objects.get()
    assert citizen.url.endswith(f"/participa/peticiones/mias/{petition.folio}/")
    assert "Le deben responder a más tardar el" in main_text(citizen)
    check_page(citizen, visit(citizen, "/participa/peticiones/mias/"))
    assert petition.folio in main_text(citizen)

    staff = open_phone(new_page, javascript=javascript)
    sign_in(staff, people["staff"].email)
    check_page(staff, visit(staff, "/participa/gestion/"))
    assert petition.folio in main_text(staff)
    check_page(staff, visit(staff, f"/participa/gestion/{petition.folio}/"))
    check_page(staff, press(staff, "Emitir la respuesta"), status=400)
    staff.get_by_label("Respuesta", exact=True).fill("Su receta se surtirá el lunes en su clínica.")
    check_page(staff, press(staff, "Emitir la respuesta"))
    assert "Respondida" in main_text(staff)

    check_page(citizen, visit(citizen, f"/participa/peticiones/mias/{petition.folio}/"))
    text = main_text(citizen)
    assert "Su receta se surtirá el lunes en su clínica." in text and "Respondida en plazo" in text
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED
    check_page(citizen, visit(citizen, petition.answer_document.get_absolute_url()))
    check_page(citizen, visit(citizen, "/participa/peticiones/instituciones/IMSS/"))
