"""The registry's rules: terms end on or after they start; agreements' follow-up moves their status and is recorded;
sessions are numbered in order; documents are PDFs only; every change leaves a ``BodyEvent``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st

from portal.applications.actions.files import inspect_upload
from portal.participation.bodies import actions
from portal.participation.bodies.models import (
    AgreementStatus,
    BodyAgreementUpdate,
    BodyEvent,
    BodyEventKind,
    BodyMember,
    BodySessionDocument,
)

from .factories import (
    body_fields,
    make_body,
    make_body_staff,
    make_entity,
    make_member,
    make_session,
    png_upload,
    stored_pdf,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def body():
    return make_body(make_entity("SSA", "Secretaría de Salud"))


def test_a_body_gets_a_stable_address_from_its_name_and_a_created_event():
    agency = make_entity("SSA")
    staff = make_body_staff(agency)
    first = make_body(agency, staff)
    second = make_body(agency, staff)
    assert first.slug == "consejo-consultivo-de-salud"
    assert second.slug == "consejo-consultivo-de-salud-2"
    event = BodyEvent.objects.get(body=first)
    assert event.kind == BodyEventKind.CREATED and event.actor_role == "participation_staff"
    actions.do_update_body(first, staff, body_fields(name="Consejo Nacional de Salud"))
    first.refresh_from_db()
    assert first.slug == "consejo-consultivo-de-salud" and first.name == "Consejo Nacional de Salud"


def test_a_reserved_word_never_becomes_an_address():
    body = make_body(make_entity("SSA"), name="Datos")
    assert body.slug == "datos-mecanismo"


def test_a_body_with_bad_fields_is_refused_field_by_field_in_spanish():
    with pytest.raises(ValidationError) as caught:
        actions.do_create_body(
            None,
            make_entity("SSA"),
            body_fields(name="", legal_basis_url="javascript:alert(1)", purpose="x" * 2001, contact_email="no"),
        )
    errors = caught.value.message_dict
    assert errors["name"] == ["Escriba el nombre del mecanismo."]
    assert "https://" in errors["legal_basis_url"][0]
    assert "2,000" in errors["purpose"][0] and "2,001" in errors["purpose"][0]
    assert "correo" in errors["contact_email"][0]


def test_a_term_that_ends_before_it_starts_is_refused(body):
    with pytest.raises(ValidationError, match="no puede ser anterior a su inicio"):
        make_member(body, term_start=dt.date(2026, 5, 1), term_end=dt.date(2026, 4, 30))
    assert not BodyMember.objects.exists()
    member = make_member(body, term_start=dt.date(2026, 5, 1))
    with pytest.raises(ValidationError, match="no puede ser anterior"):
        actions.do_end_term(member, None, dt.date(2026, 4, 1))


def test_the_database_refuses_a_term_in_the_wrong_order_too(body):
    with pytest.raises(IntegrityError), transaction.atomic():
        BodyMember.objects.create(
            body=body,
            name="X",
            role="guest",
            sector="academia",
            term_start=dt.date(2026, 5, 2),
            term_end=dt.date(2026, 5, 1),
        )


def test_ending_a_term_is_recorded_and_cannot_happen_twice(body):
    member = make_member(body)
    actions.do_end_term(member, None, dt.date(2026, 1, 31))
    member.refresh_from_db()
    assert member.term_end == dt.date(2026, 1, 31)
    assert body.events.filter(kind=BodyEventKind.TERM_ENDED, data__name=member.name).exists()
    with pytest.raises(actions.BodyRefused, match="ya terminó"):
        actions.do_end_term(member, None, dt.date(2026, 2, 1))


def test_sessions_are_numbered_in_order_within_each_body(body):
    other = make_body(body.agency, name="Observatorio de Salud")
    assert [make_session(body).number, make_session(body).number, make_session(other).number] == [1, 2, 1]


def test_a_session_in_the_future_cannot_be_held(body):
    future = actions.today() + dt.timedelta(days=10)
    with pytest.raises(ValidationError, match="antes de su fecha"):
        make_session(body, future, status="held")
    session = make_session(body, future, status="scheduled")
    with pytest.raises(ValidationError):
        actions.do_set_session_status(session, None, "held")
    actions.do_set_session_status(session, None, "cancelled")
    event = body.events.get(kind=BodyEventKind.SESSION_STATUS)
    assert (event.from_status, event.to_status) == ("scheduled", "cancelled")


def test_an_agreements_follow_up_moves_its_status_and_records_from_and_to(body):
    staff = make_body_staff(body.agency)
    session = make_session(body)
    agreement = actions.do_add_agreement(
        session, staff, code="CC-2026-03", text="Publicar el diagnóstico.", responsible="Dirección de Salud"
    )
    assert agreement.status == AgreementStatus.PENDING
    actions.do_update_agreement(agreement, staff, status="in_progress", note="Borrador listo.", date=session.date)
    actions.do_update_agreement(agreement, staff, status="in_progress", note="En revisión.")
    actions.do_update_agreement(agreement, staff, status="done", note="Publicado.")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DONE
    steps = list(BodyAgreementUpdate.objects.filter(agreement=agreement).values_list("from_status", "status"))
    assert steps == [("pending", "in_progress"), ("in_progress", "in_progress"), ("in_progress", "done")]
    events = body.events.filter(kind=BodyEventKind.AGREEMENT_UPDATED).order_by("pk")
    assert [(e.from_status, e.to_status, e.actor_role) for e in events][-1] == (
        "in_progress",
        "done",
        "participation_staff",
    )
    with pytest.raises(actions.BodyRefused, match="no admite más seguimiento"):
        actions.do_update_agreement(agreement, staff, status="in_progress", note="Reabrir.")


def test_a_follow_up_cannot_be_dated_in_the_future_nor_before_the_session(body):
    session = make_session(body, dt.date(2026, 3, 10))
    agreement = actions.do_add_agreement(session, None, code="A-1", text="Algo.", responsible="Alguien")
    with pytest.raises(ValidationError, match="posterior a hoy"):
        actions.do_update_agreement(agreement, None, status="done", note="x", date=actions.today() + dt.timedelta(1))
    with pytest.raises(ValidationError, match="anterior a la sesión"):
        actions.do_update_agreement(agreement, None, status="done", note="x", date=dt.date(2026, 3, 9))
    assert not BodyAgreementUpdate.objects.exists()


def test_an_agreements_code_is_unique_within_the_body(body):
    first, second = make_session(body), make_session(body)
    actions.do_add_agreement(first, None, code="CC-2026-03", text="Uno.", responsible="Alguien")
    with pytest.raises(ValidationError) as caught:
        actions.do_add_agreement(second, None, code="cc-2026-03", text="Dos.", responsible="Alguien")
    assert "Ya hay un acuerdo" in caught.value.message_dict["code"][0]


@given(st.text(max_size=60))
def test_an_agreement_code_check_accepts_or_refuses_with_a_message_never_crashes(text):
    try:
        code = actions.check_agreement_code(text)
    except ValidationError as error:
        assert error.messages and all(message for message in error.messages)
    else:
        assert code == code.strip() and 0 < len(code) <= 40


def test_documents_are_pdfs_only_and_stored_privately(body, private_dir):
    session = make_session(body)
    with pytest.raises(ValidationError, match="debe ser un PDF"):
        actions.do_add_document(session, None, kind="minutes", title="Foto", clean=inspect_upload(png_upload()))
    assert not BodySessionDocument.objects.exists()
    document = stored_pdf(session)
    assert document.content_type == "application/pdf"
    assert (private_dir / document.storage_name).exists()
    assert body.events.filter(kind=BodyEventKind.DOCUMENT_ADDED).exists()


def test_a_document_over_10_mb_is_refused(body):
    clean = inspect_upload(png_upload())
    big = type(clean)(
        **{**clean.__dict__, "content_type": "application/pdf", "extension": "pdf", "size": 10 * 1024 * 1024 + 1}
    )
    with pytest.raises(ValidationError, match="10 MB"):
        actions.check_document_file(big)
