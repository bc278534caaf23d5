"""Public petitions in a real browser: a verified citizen finds a published petition in the public list, supports
it and withdraws the support; an account that is not verified is told why it cannot; a moderator refuses a petition
without a reason (told to choose one), then publishes it, and its author sees it published. Every page (the refused
support included) goes through axe-core, the Nu HTML Checker and the phone-width check, on a 375-px phone, once
with JavaScript and once without."""

from __future__ import annotations

import pytest

from portal.accounts.tests.factories import add_totp
from portal.agencies.actions import do_grant_portal_admin
from portal.participation import actions, queries, supports
from portal.participation.models import Moderation, Petition, PetitionSupport
from portal.participation.tests.factories import make_citizen, make_entity, make_verified_citizen

from .checks import visit
from .person import check_page, follow, main_text, open_phone, press, sign_in


@pytest.fixture
def people(transactional_db):
    semovi = make_entity("SEMOVI", "Secretaría de Movilidad")
    moderator = make_citizen("marta@example.com", first_name="Marta")
    do_grant_portal_admin(moderator)
    author = make_citizen("leonor@example.com", first_name="Leonor")
    petition = actions.do_submit_petition(
        author, semovi, "Ciclovía en la avenida Juárez", "Pido una ciclovía protegida.", is_public=True
    )
    actions.do_publish_petition(petition, moderator)
    supporter = make_verified_citizen()
    return {
        "petition": petition,
        "supporter": supporter,
        "basic": make_citizen("beto@example.com"),
        "author": author,
        "moderator": moderator,
    }


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_verified_citizen_supports_a_public_petition_and_withdraws(new_page, people, javascript):
    petition = people["petition"]
    url = f"/participa/peticiones/{petition.folio}/"

    basic = open_phone(new_page, javascript=javascript)
    sign_in(basic, people["basic"].email)
    check_page(basic, visit(basic, url))
    check_page(basic, press(basic, "Apoyar esta petición"), status=403)
    assert "su cuenta debe estar verificada" in main_text(basic)

    citizen = open_phone(new_page, javascript=javascript)
    sign_in(citizen, people["supporter"].email)
    check_page(citizen, visit(citizen, "/participa/peticiones/"))
    assert "Ciclovía en la avenida Juárez" in main_text(citizen) and "Leonor" not in main_text(citizen)
    check_page(citizen, visit(citizen, "/participa/peticiones/reglas/"))
    check_page(citizen, visit(citizen, url))
    assert "0 apoyos" in main_text(citizen) and "Leonor" not in main_text(citizen)
    check_page(citizen, press(citizen, "Apoyar esta petición"))
    text = main_text(citizen)
    assert "se sumó su apoyo" in text and "1 apoyo" in text and "Siguiente umbral: 10,000 apoyos" in text
    assert PetitionSupport.objects.filter(petition=petition).count() == 1
    check_page(citizen, press(citizen, "Retirar mi apoyo"))
    assert "Se retiró su apoyo" in main_text(citizen)
    assert not PetitionSupport.objects.exists()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_moderator_publishes_a_public_petition_and_its_author_sees_it(new_page, people, javascript):
    secret = add_totp(people["moderator"])
    pending = actions.do_submit_petition(
        people["author"], people["petition"].agency, "Semáforos en Insurgentes", "Pido semáforos.", is_public=True
    )
    author = open_phone(new_page, javascript=javascript)
    sign_in(author, people["author"].email)
    check_page(author, visit(author, f"/participa/peticiones/mias/{pending.folio}/"))
    assert "En revisión para publicarse" in main_text(author)

    moderator = open_phone(new_page, javascript=javascript)
    sign_in(moderator, "marta@example.com", second_factor=secret)
    check_page(moderator, visit(moderator, "/participa/gestion/moderacion/"))
    assert pending.folio in main_text(moderator)
    check_page(moderator, visit(moderator, f"/participa/gestion/moderacion/{pending.folio}/"))
    check_page(moderator, press(moderator, "No publicar"), status=400)
    assert "Elija el motivo por el que no se publica." in main_text(moderator)
    check_page(moderator, press(moderator, "Publicar la petición"))
    assert Petition.objects.get(pk=pending.pk).moderation == Moderation.PUBLISHED

    check_page(author, visit(author, f"/participa/peticiones/mias/{pending.folio}/"))
    assert "Ver su página pública" in main_text(author)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_moderator_sees_a_surge_and_invalidates_it_after_a_preview(new_page, people, javascript):
    petition = people["petition"]
    limits = queries.support_limits()
    limits.surge_minimum = 3
    supports.do_set_support_limits(limits, None)
    for n in range(3):
        citizen = make_verified_citizen()
        actions.do_support_petition(petition, citizen, address=f"201.141.12.{n + 1}")
    actions.do_support_petition(petition, people["supporter"], address="8.8.8.8")
    secret = add_totp(people["moderator"])

    moderator = open_phone(new_page, javascript=javascript)
    sign_in(moderator, "marta@example.com", second_factor=secret)
    check_page(moderator, visit(moderator, "/participa/gestion/moderacion/"))
    check_page(moderator, follow(moderator, moderator.get_by_role("link", name="Oleadas de apoyos")))
    assert "201.141.12.0/24" in main_text(moderator)
    check_page(
        moderator,
        follow(
            moderator, moderator.get_by_role("link", name=f"Anular… los apoyos de 201.141.12.0/24 a {petition.folio}")
        ),
    )
    assert moderator.get_by_label("Red o dirección IP").input_value() == "201.141.12.0/24"
    check_page(moderator, press(moderator, "Ver cuántos apoyos se anulan"))
    assert "3 apoyos contados cumplen estas condiciones" in main_text(moderator)
    check_page(moderator, press(moderator, "Anular 3 apoyos"), status=400)
    assert "Escriba por qué se anulan estos apoyos" in main_text(moderator)
    moderator.get_by_label("Motivo (queda en el registro y en el historial de cada petición)").fill(
        "Oleada desde una sola red en minutos."
    )
    check_page(moderator, press(moderator, "Anular 3 apoyos"))
    assert "Se anularon 3 apoyos." in main_text(moderator) and "Oleada desde una sola red" in main_text(moderator)
    petition.refresh_from_db()
    assert petition.supports_count == 1
    check_page(moderator, visit(moderator, f"/participa/gestion/moderacion/apoyos/{petition.folio}/"))
    assert "Anulado por la moderación" in main_text(moderator)
    check_page(moderator, visit(moderator, "/participa/gestion/moderacion/anulaciones/"))
    assert "Todas las peticiones" not in main_text(moderator) and petition.folio in main_text(moderator)

    check_page(moderator, visit(moderator, "/participa/gestion/moderacion/controles/"))
    moderator.get_by_label("Redes bloqueadas (sus apoyos se descartan)").fill("201.141.12.0/24\nno es una red")
    check_page(moderator, press(moderator, "Guardar los controles"), status=400)
    assert "La línea 2 («no es una red»)" in main_text(moderator)
    moderator.get_by_label("Redes bloqueadas (sus apoyos se descartan)").fill("201.141.12.0/24")
    check_page(moderator, press(moderator, "Guardar los controles"))
    assert queries.support_limits().blocked_networks == "201.141.12.0/24"
