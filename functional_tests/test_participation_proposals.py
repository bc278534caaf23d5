"""Citizen proposals in a real browser: a citizen writes a proposal (a mistake first, told and kept); a verified
citizen supports a published one; the entity's «Enlace de participación» accepts it and posts a progress update; the
public page shows the progress as text and as a bar. Every page goes through axe-core, the Nu HTML Checker and the
phone-width check, on a 375-px phone, once with JavaScript and once without."""

from __future__ import annotations

import pytest

from portal.accounts.tests.factories import add_totp
from portal.participation.proposals import actions
from portal.participation.proposals.models import Proposal, ProposalStatus, ProposalSupport
from portal.participation.proposals.tests.factories import (
    make_citizen,
    make_entity,
    make_participation_staff,
    make_published,
    make_verified_citizen,
)

from .checks import visit
from .person import check_page, main_text, open_phone, press, sign_in


@pytest.fixture
def semovi(transactional_db):
    return make_entity("SEMOVI", "Secretaría de Movilidad")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_citizen_writes_a_proposal(new_page, semovi, javascript):
    make_citizen("leonor@example.com", first_name="Leonor")
    citizen = open_phone(new_page, javascript=javascript)
    sign_in(citizen, "leonor@example.com")
    check_page(citizen, visit(citizen, "/participa/propuestas/nueva/"))
    citizen.get_by_label("Institución a la que se dirige").select_option("SEMOVI")
    citizen.get_by_label("Título").fill("Ciclovía en la avenida Juárez")
    citizen.get_by_label("Su propuesta").fill("Propongo una ciclovía protegida en la avenida Juárez.")
    check_page(citizen, press(citizen, "Enviar la propuesta"), status=400)
    assert "Escriba un resumen de su propuesta." in main_text(citizen)
    assert citizen.get_by_label("Título").input_value() == "Ciclovía en la avenida Juárez"
    citizen.get_by_label("Resumen").fill("Una ciclovía protegida de punta a punta.")
    check_page(citizen, press(citizen, "Enviar la propuesta"))
    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.PENDING and proposal.agency == semovi
    text = main_text(citizen)
    assert "Mis propuestas" in text and proposal.code in text and "En revisión para publicarse" in text


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_verified_citizen_supports_a_proposal(new_page, semovi, javascript):
    proposal = make_published(semovi, threshold=3)
    make_citizen("beto@example.com")
    supporter = make_verified_citizen()
    url = f"/participa/propuestas/{proposal.code}/"

    basic = open_phone(new_page, javascript=javascript)
    sign_in(basic, "beto@example.com")
    check_page(basic, visit(basic, url))
    check_page(basic, press(basic, "Apoyar esta propuesta"), status=403)
    assert "su cuenta debe estar verificada" in main_text(basic)

    citizen = open_phone(new_page, javascript=javascript)
    sign_in(citizen, supporter.email)
    check_page(citizen, visit(citizen, "/participa/propuestas/"))
    assert "Ciclovía en la avenida Juárez" in main_text(citizen) and "Leonor" not in main_text(citizen)
    check_page(citizen, visit(citizen, url))
    assert "Faltan 3 apoyos, hasta el" in main_text(citizen)
    check_page(citizen, press(citizen, "Apoyar esta propuesta"))
    text = main_text(citizen)
    assert "se sumó su apoyo" in text and "1 apoyo de 3 necesarios" in text and "Faltan 2 apoyos" in text
    assert ProposalSupport.objects.filter(proposal=proposal).count() == 1
    check_page(citizen, press(citizen, "Retirar mi apoyo"))
    assert "Se retiró su apoyo" in main_text(citizen)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_staff_accept_a_proposal_and_post_progress_that_the_public_page_shows(new_page, semovi, javascript):
    staff = make_participation_staff(semovi, "tomas@semovi.gob.mx")
    secret = add_totp(staff)
    proposal = make_published(semovi, threshold=1)
    proposal = actions.do_support_proposal(proposal, make_verified_citizen())
    assert proposal.status == ProposalStatus.THRESHOLD

    page = open_phone(new_page, javascript=javascript)
    sign_in(page, "tomas@semovi.gob.mx", second_factor=secret)
    check_page(page, visit(page, "/participa/gestion/propuestas/"))
    assert "Ciclovía en la avenida Juárez" in main_text(page)
    check_page(page, visit(page, f"/participa/gestion/propuestas/{proposal.code}/"))
    page.get_by_label("Aceptar la propuesta").check()
    check_page(page, press(page, "Publicar la respuesta"), status=400)
    assert "Escriba la respuesta" in main_text(page)
    page.get_by_label("Aceptar la propuesta").check()
    page.get_by_label("Respuesta", exact=True).fill("La construiremos en 2027.")
    check_page(page, press(page, "Publicar la respuesta"))
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.ACCEPTED
    page.get_by_label("Etapa").fill("En licitación")
    page.get_by_label("Avance, en %").fill("45")
    page.get_by_label("Qué se hizo").fill("Se publicó la licitación de la obra.")
    check_page(page, press(page, "Publicar el avance"))
    assert "Se publicó el avance." in main_text(page)

    visitor = open_phone(new_page, javascript=javascript)
    check_page(visitor, visit(visitor, f"/participa/propuestas/{proposal.code}/"))
    text = main_text(visitor)
    assert "45 % de avance" in text and "En licitación" in text and "La construiremos en 2027." in text
    assert visitor.get_by_role("progressbar").get_attribute("value") == "45"
