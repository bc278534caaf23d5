from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portal.participation.consultations import actions
from portal.participation.consultations.models import (
    CommentSupport,
    ConsultationEvent,
    ConsultationStatus,
)
from portal.participation.consultations.queries import today

from .factories import (
    close,
    make_citizen,
    make_consultation,
    make_entity,
    make_participation_staff,
    make_verified_citizen,
)

pytestmark = pytest.mark.django_db

# Other apps' models, by label (their modules are theirs to import).
IssuedDocument = apps.get_model("documents", "IssuedDocument")
Notification = apps.get_model("notifications", "Notification")


@pytest.fixture
def agency():
    return make_entity("SEMARNAT")


@pytest.fixture
def staff(agency):
    return make_participation_staff(agency)


def test_status_follows_the_dates_and_the_published_flag(agency, staff):
    draft = make_consultation(agency, staff, state="draft")
    scheduled = make_consultation(agency, staff, state="scheduled")
    open_one = make_consultation(agency, staff, state="open")
    closed = make_consultation(agency, staff, state="closed")
    day = today()
    assert draft.status_on(day) == ConsultationStatus.DRAFT
    assert scheduled.status_on(day) == ConsultationStatus.SCHEDULED
    assert open_one.status_on(day) == ConsultationStatus.OPEN
    assert open_one.status_on(open_one.closes_on) == ConsultationStatus.OPEN
    assert open_one.status_on(open_one.closes_on + dt.timedelta(days=1)) == ConsultationStatus.CLOSED
    assert closed.status_on(day) == ConsultationStatus.CLOSED


def test_publishing_needs_dates_closing_after_opening_and_a_section(agency, staff):
    consultation = actions.do_create_consultation(agency, staff, title="Sin fechas")
    with pytest.raises(ValidationError, match="fechas de apertura y de cierre"):
        actions.do_publish_consultation(consultation, staff)
    day = today()
    consultation = actions.do_update_draft(
        consultation, title="Sin fechas", summary="", kind="other", opens_on=day, closes_on=day + dt.timedelta(days=9)
    )
    with pytest.raises(actions.ConsultationRefused, match="al menos una sección"):
        actions.do_publish_consultation(consultation, staff)
    with pytest.raises(ValidationError, match="posterior a la de apertura"):
        actions.do_update_draft(consultation, title="X", summary="", kind="other", opens_on=day, closes_on=day)
    actions.do_add_section(consultation, "Artículo 1", "Texto.")
    published = actions.do_publish_consultation(consultation, staff)
    assert published.is_published
    assert published.events.filter(kind="published", from_value="draft", to_value="open").exists()


def test_a_published_consultation_keeps_its_text(agency, staff):
    consultation = make_consultation(agency, staff)
    with pytest.raises(actions.ConsultationRefused, match="ya se publicó"):
        actions.do_add_section(consultation, "Artículo 9", "Otro texto.")


def test_a_comment_on_a_passage_that_is_in_the_section(agency, staff):
    consultation = make_consultation(agency, staff)
    section = consultation.sections.get(order=1)
    comment = actions.do_comment(
        consultation,
        make_citizen(),
        "Incluyan también las partículas gruesas.",
        section=section,
        passage="  límites de emisión\n de partículas finas ",
        on_behalf_of="Red por el Aire Limpio",
    )
    assert comment.passage == "límites de emisión de partículas finas"
    assert comment.on_behalf_of == "Red por el Aire Limpio"


def test_a_passage_that_is_not_in_the_section_is_refused(agency, staff):
    consultation = make_consultation(agency, staff)
    section = consultation.sections.get(order=1)
    with pytest.raises(ValidationError, match="tal como aparece"):
        actions.do_comment(consultation, make_citizen(), "Texto", section=section, passage="algo que no está")
    other = consultation.sections.get(order=2)
    with pytest.raises(ValidationError, match="tal como aparece"):
        actions.do_comment(consultation, make_citizen(), "Texto", section=section, passage=other.draft_text)


def test_comment_lengths_are_checked_in_spanish(agency, staff):
    consultation = make_consultation(agency, staff)
    section = consultation.sections.get(order=1)
    with pytest.raises(ValidationError, match="Escriba su comentario"):
        actions.do_comment(consultation, make_citizen(), "   ", section=section)
    with pytest.raises(ValidationError, match="hasta 3,000 caracteres"):
        actions.do_comment(consultation, make_citizen(), "a" * 3001, section=section)


def test_cannot_comment_before_opening_or_after_closing(agency, staff):
    for state, message in (("scheduled", "a partir del"), ("closed", "ya cerró")):
        consultation = make_consultation(agency, staff, state=state)
        with pytest.raises(actions.ConsultationRefused, match=message):
            actions.do_comment(consultation, make_citizen(), "Hola", section=consultation.sections.first())


def test_a_draft_takes_no_comments(agency, staff):
    consultation = make_consultation(agency, staff, state="draft")
    with pytest.raises(actions.ConsultationRefused):
        actions.do_comment(consultation, make_citizen(), "Hola", section=consultation.sections.first())


def test_replies_are_one_level_deep_and_inherit_the_section(agency, staff):
    consultation = make_consultation(agency, staff)
    section = consultation.sections.get(order=2)
    comment = actions.do_comment(consultation, make_citizen(), "Comentario", section=section)
    reply = actions.do_comment(consultation, make_citizen(), "Respuesta", parent=comment)
    assert reply.section == section and reply.parent == comment
    with pytest.raises(actions.ConsultationRefused, match="no a una respuesta"):
        actions.do_comment(consultation, make_citizen(), "Otra", parent=reply)


def test_an_answer_to_a_question(agency, staff):
    consultation = make_consultation(agency, staff)
    question = consultation.questions.get()
    answer = actions.do_comment(consultation, make_citizen(), "Las ladrilleras.", question=question)
    assert answer.question == question and answer.section is None
    with pytest.raises(actions.ConsultationRefused, match="Comente una sección"):
        actions.do_comment(consultation, make_citizen(), "Nada")


def test_a_verified_account_supports_a_comment_once(agency, staff):
    consultation = make_consultation(agency, staff)
    comment = actions.do_comment(consultation, make_citizen(), "Comentario", section=consultation.sections.first())
    supporter = make_verified_citizen()
    assert actions.do_support_comment(comment, supporter).supports_count == 1
    with pytest.raises(actions.ConsultationRefused, match="ya apoya"):
        actions.do_support_comment(comment, supporter)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommentSupport.objects.create(comment=comment, user=supporter)
    comment.refresh_from_db()
    assert comment.supports_count == 1


def test_an_unverified_account_cannot_support(agency, staff):
    consultation = make_consultation(agency, staff)
    comment = actions.do_comment(consultation, make_citizen(), "Comentario", section=consultation.sections.first())
    with pytest.raises(actions.ConsultationRefused, match="verificada") as refused:
        actions.do_support_comment(comment, make_citizen())
    assert refused.value.code == "not_verified"


def test_no_supports_after_closing(agency, staff):
    consultation = make_consultation(agency, staff)
    comment = actions.do_comment(consultation, make_citizen(), "Comentario", section=consultation.sections.first())
    close(consultation)
    comment.consultation.refresh_from_db()
    with pytest.raises(actions.ConsultationRefused, match="ya cerró"):
        actions.do_support_comment(comment, make_verified_citizen())


def test_hiding_a_comment_cites_a_rule_is_recorded_and_tells_the_author(agency, staff):
    consultation = make_consultation(agency, staff)
    author = make_citizen("autora@example.com")
    comment = actions.do_comment(consultation, author, "Insulto", section=consultation.sections.first())
    with pytest.raises(ValidationError, match="lista de reglas"):
        actions.do_hide_comment(comment, staff, "porque-si", role="participation_staff")
    hidden = actions.do_hide_comment(comment, staff, "offensive", role="participation_staff")
    assert hidden.is_hidden and hidden.hidden_rule == "offensive"
    event = ConsultationEvent.objects.get(kind="comment_hidden", comment=comment)
    assert event.actor == staff and event.from_value == "published" and event.to_value == "hidden"
    assert "insultos" in event.reason
    notice = Notification.objects.get(event="consultation.comment_hidden")
    assert notice.recipient == "autora@example.com"
    with pytest.raises(actions.ConsultationRefused, match="ya fue retirado"):
        actions.do_hide_comment(comment, staff, "offensive", role="participation_staff")


def test_treatments_only_after_closing_and_required_before_the_response(agency, staff):
    consultation = make_consultation(agency, staff)
    first = actions.do_comment(
        consultation, make_citizen("uno@example.com"), "Uno", section=consultation.sections.first()
    )
    second = actions.do_comment(
        consultation, make_citizen("dos@example.com"), "Dos", section=consultation.sections.first()
    )
    hidden = actions.do_comment(
        consultation, make_citizen("tres@example.com"), "Spam", section=consultation.sections.first()
    )
    actions.do_hide_comment(hidden, staff, "spam", role="participation_staff")
    with pytest.raises(actions.ConsultationRefused, match="aún no cierra"):
        actions.do_set_treatment(first, staff, "accepted", "Se incorpora.")
    close(consultation)
    first.consultation.refresh_from_db()
    with pytest.raises(ValidationError, match="Escriba el motivo"):
        actions.do_set_treatment(first, staff, "accepted", " ")
    with pytest.raises(ValidationError, match="Elija el tratamiento"):
        actions.do_set_treatment(first, staff, "", "Motivo")
    actions.do_set_treatment(first, staff, "accepted", "Se incorpora al artículo 1.")
    with pytest.raises(actions.ConsultationRefused, match="Faltan 1 comentarios"):
        actions.do_publish_response(consultation, staff, "Gracias por participar.")
    actions.do_set_treatment(second, staff, "rejected", "Fuera del alcance de la norma.")
    answered = actions.do_publish_response(consultation, staff, "Gracias por participar.")
    assert answered.status_on(today()) == ConsultationStatus.ANSWERED
    assert IssuedDocument.objects.filter(kind="consultation_response", subject=consultation.slug).exists()
    notices = Notification.objects.filter(event="consultation.answered")
    assert sorted(notices.values_list("recipient", flat=True)) == [
        "dos@example.com",
        "tres@example.com",
        "uno@example.com",
    ]
    # Sections without a final text keep their draft text as final.
    assert all(s.final_text == s.draft_text for s in consultation.sections.all())
    with pytest.raises(actions.ConsultationRefused, match="ya se publicó"):
        actions.do_publish_response(consultation, staff, "Otra vez.")


def test_final_text_is_recorded(agency, staff):
    consultation = close(make_consultation(agency, staff))
    section = consultation.sections.get(order=1)
    actions.do_set_final_text(section, staff, "Esta norma establece límites de emisión de partículas en zonas urbanas.")
    section.refresh_from_db()
    assert section.final_text.startswith("Esta norma establece límites")
    assert consultation.events.filter(kind="final_text", data__section=1).exists()


def test_addresses_avoid_the_pages_own_and_repeat_with_a_number(agency, staff):
    assert actions.do_create_consultation(agency, staff, title="Reglas").slug == "consulta-reglas"
    assert actions.do_create_consultation(agency, staff, title="Nueva").slug == "consulta-nueva"
    assert actions.do_create_consultation(agency, staff, title="Norma de ruido").slug == "norma-de-ruido"
    assert actions.do_create_consultation(agency, staff, title="Norma de ruido").slug == "norma-de-ruido-2"
