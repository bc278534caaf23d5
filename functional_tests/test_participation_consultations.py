"""Public consultations in a real browser: a verified citizen finds an open consultation, comments on a passage of a
section (choosing it by selecting the text with JavaScript, by pasting it without) and supports another person's
comment; the entity's participation staff give a closed consultation's comment its treatment, write a section's
final text and publish the response, and the public then sees the treatment and the changes. Every page goes
through axe-core, the Nu HTML Checker and the phone-width check, on a 375-px phone, with and without JavaScript."""

from __future__ import annotations

import pytest

from portal.accounts.tests.factories import add_totp
from portal.participation.consultations import actions
from portal.participation.consultations.models import Comment, CommentSupport
from portal.participation.consultations.tests.factories import (
    close,
    make_citizen,
    make_consultation,
    make_entity,
    make_participation_staff,
    make_verified_citizen,
)

from .checks import visit
from .person import check_page, main_text, open_phone, press, sign_in


@pytest.fixture
def people(transactional_db):
    agency = make_entity("SEMARNAT", "Secretaría de Medio Ambiente y Recursos Naturales")
    staff = make_participation_staff(agency, "tomas@semarnat.gob.mx")
    consultation = make_consultation(agency, staff, title="Norma de calidad del aire")
    other = actions.do_comment(
        consultation,
        make_citizen(first_name="Leonor"),
        "Que se mida también en escuelas.",
        section=consultation.sections.get(order=1),
    )
    return {"staff": staff, "consultation": consultation, "other": other, "citizen": make_verified_citizen()}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_citizen_comments_on_a_passage_and_supports_another_comment(new_page, people, javascript):
    consultation, other = people["consultation"], people["other"]
    citizen = open_phone(new_page, javascript=javascript)
    sign_in(citizen, people["citizen"].email)
    check_page(citizen, visit(citizen, "/participa/consultas/"))
    assert "Norma de calidad del aire" in main_text(citizen)
    check_page(citizen, visit(citizen, "/participa/consultas/reglas/"))
    check_page(citizen, visit(citizen, f"/participa/consultas/{consultation.slug}/"))
    assert "1 comentario" in main_text(citizen)
    url = f"/participa/consultas/{consultation.slug}/1/"
    check_page(citizen, visit(citizen, url))
    assert "Leonor" not in main_text(citizen)

    # A passage that is not in the section is refused, and what was typed stays.
    citizen.get_by_label("Fragmento que comenta (opcional)").fill("algo que no dice")
    citizen.get_by_label("Su comentario").fill("Incluyan las partículas gruesas.")
    check_page(citizen, press(citizen, "Publicar el comentario"), status=400)
    assert "debe copiarse tal como aparece" in main_text(citizen)
    assert citizen.get_by_label("Su comentario").input_value() == "Incluyan las partículas gruesas."

    if javascript:
        citizen.locator("#texto-seccion").select_text()
        citizen.get_by_role("button", name="Usar el texto seleccionado como fragmento").click()
        passage = consultation.sections.get(order=1).draft_text
        assert citizen.get_by_label("Fragmento que comenta (opcional)").input_value() == passage
    else:
        assert citizen.get_by_role("button", name="Usar el texto seleccionado como fragmento").count() == 0
        passage = "límites de emisión"
        citizen.get_by_label("Fragmento que comenta (opcional)").fill(passage)
    check_page(citizen, press(citizen, "Publicar el comentario"))
    mine = Comment.objects.exclude(pk=other.pk).get()
    assert mine.passage == passage
    assert "Se publicó su comentario." in main_text(citizen) and f"«{passage}»" in main_text(citizen)

    check_page(citizen, press(citizen, f"Apoyar el comentario {other.pk}"))
    assert "se sumó su apoyo" in main_text(citizen) and "Usted apoya este comentario." in main_text(citizen)
    assert CommentSupport.objects.filter(comment=other, user=people["citizen"]).exists()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_staff_answer_a_closed_consultation_and_the_public_sees_the_treatment_and_the_diff(
    new_page, people, javascript
):
    consultation, other = people["consultation"], people["other"]
    close(consultation)
    secret = add_totp(people["staff"])
    staff = open_phone(new_page, javascript=javascript)
    sign_in(staff, "tomas@semarnat.gob.mx", second_factor=secret)
    check_page(staff, visit(staff, "/participa/gestion/consultas/"))
    check_page(staff, visit(staff, f"/participa/gestion/consultas/{consultation.slug}/"))
    assert "Falta 1 comentario por tratar." in main_text(staff)

    staff.get_by_label("Respuesta de la institución").fill("Gracias por participar.")
    check_page(staff, press(staff, "Publicar la respuesta"), status=409)
    assert "Faltan 1 comentarios por tratar" in main_text(staff)

    comment = staff.locator(f"#comentario-{other.pk}")
    comment.get_by_label("Tratamiento").select_option(label="Aceptado en parte")
    comment.get_by_label("Motivo").fill("Se agregan las escuelas a la vigilancia.")
    check_page(staff, press(staff, "Guardar el tratamiento", within=comment))
    section = staff.locator("#seccion-1")
    section.get_by_label("Texto final").fill(
        "Esta norma establece los límites de emisión de partículas finas en zonas urbanas y escuelas."
    )
    check_page(staff, press(staff, "Guardar el texto final", within=section))
    staff.get_by_label("Respuesta de la institución").fill("Gracias por participar.")
    check_page(staff, press(staff, "Publicar la respuesta"))
    assert "Se publicó la respuesta" in main_text(staff)

    public = open_phone(new_page, javascript=javascript)
    check_page(public, visit(public, f"/participa/consultas/{consultation.slug}/"))
    assert "Gracias por participar." in main_text(public)
    check_page(public, visit(public, f"/participa/consultas/{consultation.slug}/1/"))
    text = main_text(public)
    assert "Aceptado en parte" in text and "Se agregan las escuelas a la vigilancia." in text
    assert (public.locator("#cambios ins").first.text_content() or "").startswith("[texto agregado:")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_staff_draft_a_consultation_section_by_section_and_publish_it(new_page, transactional_db, javascript):
    agency = make_entity("SEMARNAT", "Secretaría de Medio Ambiente y Recursos Naturales")
    person = make_participation_staff(agency, "tomas@semarnat.gob.mx")
    staff = open_phone(new_page, javascript=javascript)
    sign_in(staff, "tomas@semarnat.gob.mx", second_factor=add_totp(person))
    check_page(staff, visit(staff, "/participa/gestion/consultas/nueva/"))
    staff.get_by_label("Resumen (opcional)").fill("Límites de ruido en zonas habitacionales.")
    check_page(staff, press(staff, "Crear el borrador"), status=400)
    assert "Escriba el título de la consulta." in main_text(staff)
    assert staff.get_by_label("Resumen (opcional)").input_value() == "Límites de ruido en zonas habitacionales."
    staff.get_by_label("Título").fill("Norma de ruido urbano")
    staff.get_by_label("Abre el").fill("2020-01-01")
    staff.get_by_label("Cierra el").fill("2099-12-31")
    check_page(staff, press(staff, "Crear el borrador"))
    check_page(staff, press(staff, "Publicar la consulta"), status=409)
    assert "Agregue al menos una sección antes de publicar." in main_text(staff)
    for heading, text in (("Artículo 1. Objeto", "Límites de ruido."), ("Artículo 2. Horario", "De noche, 55 dB.")):
        staff.get_by_label("Encabezado de la sección").fill(heading)
        staff.get_by_label("Texto de la sección").fill(text)
        check_page(staff, press(staff, "Agregar sección"))
    staff.get_by_label("Pregunta", exact=True).fill("¿Qué ruido le molesta más?")
    check_page(staff, press(staff, "Agregar pregunta"))
    check_page(staff, press(staff, "Publicar la consulta"))
    assert "Se publicó la consulta." in main_text(staff)
    public = open_phone(new_page, javascript=javascript)
    check_page(public, visit(public, "/participa/consultas/norma-de-ruido-urbano/"))
    assert "2. Artículo 2. Horario" in main_text(public)
    check_page(public, visit(public, "/participa/consultas/norma-de-ruido-urbano/preguntas/1/"))
    assert "¿Qué ruido le molesta más?" in main_text(public)
