"""The registry's pages: anyone reads the registry, a body, a session and its documents; staff of the entity keep
its bodies (other entities' staff get 404); bad input answers 400 with the Spanish message and the typed text kept;
the open data escapes formulas; the public pages cost a bounded number of queries."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.test import Client

from portal.accounts.tests.factories import make_account
from portal.agencies.actions import do_grant_portal_admin
from portal.agencies.models import Role
from portal.participation.bodies import actions, queries
from portal.participation.bodies.models import Body, BodyAgreement, BodyEvent, BodySession
from testing.clients import client_for

from .factories import (
    make_body,
    make_body_staff,
    make_entity,
    make_member,
    make_session,
    pdf_upload,
    png_upload,
    stored_pdf,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ssa():
    return make_entity("SSA", "Secretaría de Salud")


@pytest.fixture
def body(ssa):
    return make_body(ssa)


# --- Public ---------------------------------------------------------------------------------------------------------


def test_the_registry_filters_by_entity_kind_and_scope_and_counts_with_a_comma(ssa):
    sep = make_entity("SEP", "Secretaría de Educación Pública")
    make_body(ssa, name="Consejo de Salud")
    make_body(sep, name="Observatorio Escolar", kind="observatory", scope="state")
    make_body(sep, name="Comité Extinto", kind="committee", is_active=False)
    page = Client().get("/participa/mecanismos/").content.decode()
    assert "3 mecanismos" in page
    assert page.index("Observatorio Escolar") < page.index("Comité Extinto")  # in office first
    page = Client().get("/participa/mecanismos/?institucion=SEP&tipo=observatory").content.decode()
    assert "1 mecanismo" in page and "Observatorio Escolar" in page and "Consejo de Salud" not in page
    page = Client().get("/participa/mecanismos/?ambito=state").content.decode()
    assert "Observatorio Escolar" in page and "Comité Extinto" not in page
    response = Client().get("/participa/mecanismos/?tipo=nada")
    assert response.status_code == 400 and "Elija un tipo de la lista." in response.content.decode()


def test_the_registry_writes_thousands_as_mexico_does(ssa, monkeypatch):
    bodies = [Body(agency=ssa, slug=f"m-{n}", name=f"M {n}", kind="other", scope="national") for n in range(1001)]
    Body.objects.bulk_create(bodies)
    assert "1,001 mecanismos" in Client().get("/participa/mecanismos/").content.decode()


def test_a_body_page_shows_members_in_office_by_role_past_ones_apart_sessions_and_agreements(body):
    make_member(body, "Zoe Councillor")
    make_member(body, "Ana Presidenta", role="presidency")
    make_member(body, "Pedro Anterior", term_start=dt.date(2020, 1, 1), term_end=dt.date(2022, 12, 31))
    first = make_session(body, dt.date(2026, 1, 10))
    second = make_session(body, dt.date(2026, 2, 10))
    agreement = actions.do_add_agreement(first, None, code="CC-2026-01", text="Revisar la NOM.", responsible="DGE")
    actions.do_update_agreement(
        agreement, None, status="in_progress", note="Mesa instalada.", date=dt.date(2026, 1, 20)
    )
    page = Client().get(f"/participa/mecanismos/{body.slug}/").content.decode()
    assert page.index("Ana Presidenta") < page.index("Zoe Councillor")
    details = page.index("<details")
    assert page.index("Pedro Anterior") > details and page.index("Zoe Councillor") < details
    assert page.index(f"sesiones/{second.number}/") < page.index(f"sesiones/{first.number}/")
    assert "CC-2026-01" in page and "En proceso" in page and "Mesa instalada." in page
    assert "Ley General de Salud" in page and "Convocatoria pública anual" in page


def test_a_session_page_shows_its_agenda_documents_and_agreements_and_the_pdf_is_public(body):
    session = make_session(body, agenda="1. Lista de asistencia\n2. Informe anual")
    document = stored_pdf(session, "Acta de la primera sesión")
    actions.do_add_agreement(session, None, code="CC-1", text="Aprobar el informe.", responsible="Presidencia")
    page = Client().get(f"/participa/mecanismos/{body.slug}/sesiones/1/").content.decode()
    assert "Informe anual" in page and "Acta de la primera sesión" in page and "CC-1" in page
    response = Client().get(f"/participa/mecanismos/documentos/{document.public_id}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(
    "path",
    [
        "/participa/mecanismos/no-existe/",
        "/participa/mecanismos/no-existe/sesiones/1/",
        "/participa/mecanismos/documentos/nada/",
        "/participa/mecanismos/documentos/6f1c2d1e-0000-4000-8000-000000000000/",
    ],
)
def test_what_does_not_exist_answers_404(path):
    assert Client().get(path).status_code == 404


def test_a_missing_session_of_a_body_answers_404(body):
    assert Client().get(f"/participa/mecanismos/{body.slug}/sesiones/9/").status_code == 404


def test_the_registry_and_a_body_page_cost_few_queries_however_many_rows(
    ssa, body, client, django_assert_max_num_queries
):
    for n in range(30):
        make_body(ssa, name=f"Consejo {n}")
    for n in range(25):
        make_member(body, f"Integrante {n}", term_end=dt.date(2025, 6, 1) if n % 3 == 0 else None)
    for n in range(12):
        session = make_session(body, dt.date(2026, 1, 1) + dt.timedelta(days=n))
        agreement = actions.do_add_agreement(session, None, code=f"A-{n}", text="Algo.", responsible="Alguien")
        actions.do_update_agreement(agreement, None, status="in_progress", note="Avance.")
    with django_assert_max_num_queries(12):
        assert client.get("/participa/mecanismos/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/participa/mecanismos/{body.slug}/").status_code == 200


# --- Open data ------------------------------------------------------------------------------------------------------


def test_the_open_data_counts_members_sessions_and_agreements(body):
    make_member(body)
    make_member(body, "Ya no está", term_start=dt.date(2020, 1, 1), term_end=dt.date(2021, 1, 1))
    held = make_session(body, dt.date(2026, 2, 1))
    make_session(body, dt.date(2026, 3, 1), status="cancelled")
    done = actions.do_add_agreement(held, None, code="A-1", text="Uno.", responsible="X")
    actions.do_add_agreement(held, None, code="A-2", text="Dos.", responsible="X")
    actions.do_update_agreement(done, None, status="done", note="Listo.", date=dt.date(2026, 2, 5))
    data = json.loads(Client().get("/participa/mecanismos/datos.json").content)["mecanismos"]
    assert data == [
        {
            "institucion": "Secretaría de Salud",
            "siglas": "SSA",
            "nombre": "Consejo Consultivo de Salud",
            "tipo": "Consejo consultivo",
            "ambito": "Nacional",
            "fundamento_juridico": body.legal_basis,
            "en_funciones": True,
            "integrantes_en_funciones": 1,
            "sesiones_celebradas": 1,
            "ultima_sesion": "2026-02-01",
            "acuerdos_pendientes": 1,
            "acuerdos_cumplidos": 1,
            "url": data[0]["url"],
        }
    ]
    assert data[0]["url"].endswith(f"/participa/mecanismos/{body.slug}/")
    agreements = json.loads(Client().get("/participa/mecanismos/acuerdos.json").content)["acuerdos"]
    assert [(a["clave"], a["estado"], a["ultimo_seguimiento"]) for a in agreements] == [
        ("A-1", "Cumplido", "2026-02-05"),
        ("A-2", "Pendiente", None),
    ]


def test_the_csv_files_never_let_a_cell_run_as_a_formula(ssa):
    body = make_body(ssa, name='=HYPERLINK("http://x")')
    session = make_session(body)
    actions.do_add_agreement(session, None, code="A-1", text="@SUM(1)", responsible="+Cmd")
    text = b"".join(Client().get("/participa/mecanismos/datos.csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["institucion", "siglas", "nombre"]
    assert rows[1][2] == '\'=HYPERLINK("http://x")'
    text = b"".join(Client().get("/participa/mecanismos/acuerdos.csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][1] == '\'=HYPERLINK("http://x")' and rows[1][5] == "'@SUM(1)" and rows[1][6] == "'+Cmd"


# --- Staff: access --------------------------------------------------------------------------------------------------


def test_someone_without_the_role_gets_403_and_another_entitys_staff_get_404_everywhere(body):
    session = make_session(body)
    agreement = actions.do_add_agreement(session, None, code="A-1", text="Uno.", responsible="X")
    member = make_member(body)
    assert client_for(make_account(email="nadie@example.com")).get("/participa/gestion/mecanismos/").status_code == 403
    other = client_for(make_body_staff(make_entity("SEP")))
    base = f"/participa/gestion/mecanismos/{body.slug}"
    for path in (f"{base}/", f"{base}/editar/", f"{base}/sesiones/1/"):
        assert other.get(path).status_code == 404, path
    for path in (
        f"{base}/editar/",
        f"{base}/integrantes/",
        f"{base}/integrantes/{member.pk}/terminar/",
        f"{base}/sesiones/",
        f"{base}/sesiones/1/estado/",
        f"{base}/sesiones/1/documentos/",
        f"{base}/sesiones/1/acuerdos/",
        f"{base}/sesiones/1/acuerdos/{agreement.pk}/seguimiento/",
    ):
        assert other.post(path, {}).status_code == 404, path
    assert BodyEvent.objects.filter(body=body).count() == 4  # created, session, agreement, member: none by them
    assert other.get(f"/participa/mecanismos/{body.slug}/").status_code == 200  # the public page stays public


def test_entity_admins_and_portal_admins_keep_bodies_too(body):
    admin = make_body_staff(body.agency, role=Role.ENTITY_ADMIN)
    assert client_for(admin).get(f"/participa/gestion/mecanismos/{body.slug}/").status_code == 200
    portal_admin = make_account(email="admin@example.com")
    do_grant_portal_admin(portal_admin)
    assert client_for(portal_admin).get(f"/participa/gestion/mecanismos/{body.slug}/").status_code == 200


# --- Staff: writing -------------------------------------------------------------------------------------------------


def test_staff_register_a_body_and_bad_input_keeps_what_they_typed(ssa):
    client = client_for(make_body_staff(ssa))
    assert client.get("/participa/gestion/mecanismos/nuevo/").status_code == 200
    form = {
        "institucion": "SSA",
        "nombre": "Observatorio Ciudadano de Medicamentos",
        "tipo": "observatory",
        "ambito": "national",
        "objeto": "Vigilar el abasto de medicamentos.",
        "fundamento": "",
        "fundamento_url": "ftp://dof.gob.mx/x",
        "como_participar": "Inscripción abierta en línea.",
        "correo": "",
    }
    response = client.post("/participa/gestion/mecanismos/nuevo/", form)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Escriba el fundamento jurídico" in page and "https://" in page
    assert "Observatorio Ciudadano de Medicamentos" in page and "Vigilar el abasto de medicamentos." in page
    form |= {"fundamento": "Acuerdo de creación, DOF 2024.", "fundamento_url": "https://dof.gob.mx/x"}
    response = client.post("/participa/gestion/mecanismos/nuevo/", form)
    body = Body.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/gestion/mecanismos/{body.slug}/")
    assert body.agency == ssa and body.kind == "observatory"


def test_staff_cannot_register_a_body_for_another_entity(ssa):
    make_entity("SEP")
    client = client_for(make_body_staff(ssa))
    response = client.post("/participa/gestion/mecanismos/nuevo/", {"institucion": "SEP", "nombre": "X"})
    assert response.status_code == 400 and "Elija una institución de la lista." in response.content.decode()
    assert not Body.objects.exists()


def test_a_member_with_a_term_in_the_wrong_order_is_refused_with_400_and_kept(body):
    client = client_for(make_body_staff(body.agency))
    response = client.post(
        f"/participa/gestion/mecanismos/{body.slug}/integrantes/",
        {
            "integrante-nombre": "Luisa Fernanda Ríos",
            "integrante-cargo": "presidency",
            "integrante-sector": "civil_society",
            "integrante-inicio": "01/06/2026",
            "integrante-fin": "31/05/2026",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "no puede ser anterior a su inicio" in page and "Luisa Fernanda Ríos" in page
    response = client.post(
        f"/participa/gestion/mecanismos/{body.slug}/integrantes/",
        {
            "integrante-nombre": "Luisa Fernanda Ríos",
            "integrante-cargo": "presidency",
            "integrante-sector": "civil_society",
            "integrante-inicio": "01/06/2025",
            "integrante-fin": "mañana",
        },
    )
    assert response.status_code == 400 and "día/mes/año" in response.content.decode()


def test_staff_add_a_session_an_agreement_and_a_follow_up_and_the_public_page_shows_it(body):
    client = client_for(make_body_staff(body.agency))
    base = f"/participa/gestion/mecanismos/{body.slug}"
    response = client.post(
        f"{base}/sesiones/",
        {"sesion-tipo": "ordinary", "sesion-fecha": "10/03/2026", "sesion-lugar": "", "sesion-estado": "held"},
    )
    assert response.status_code == 400 and "Escriba el lugar de la sesión" in response.content.decode()
    response = client.post(
        f"{base}/sesiones/",
        {
            "sesion-tipo": "ordinary",
            "sesion-fecha": "10/03/2026",
            "sesion-lugar": "En línea",
            "sesion-orden": "1. Informe",
            "sesion-estado": "held",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith(f"{base}/sesiones/1/")
    response = client.post(f"{base}/sesiones/1/acuerdos/", {"acuerdo-clave": "CC 2026/03", "acuerdo-texto": ""})
    page = response.content.decode()
    assert response.status_code == 400 and "Escriba el texto del acuerdo." in page and "CC 2026/03" in page
    client.post(
        f"{base}/sesiones/1/acuerdos/",
        {"acuerdo-clave": "CC-2026-03", "acuerdo-texto": "Publicar el padrón.", "acuerdo-responsable": "DGIS"},
    )
    agreement = BodyAgreement.objects.get()
    prefix = f"seguimiento-{agreement.pk}"
    response = client.post(
        f"{base}/sesiones/1/acuerdos/{agreement.pk}/seguimiento/", {f"{prefix}-estado": "done", f"{prefix}-nota": ""}
    )
    assert response.status_code == 400 and "Escriba qué avance o cambio tuvo el acuerdo." in response.content.decode()
    response = client.post(
        f"{base}/sesiones/1/acuerdos/{agreement.pk}/seguimiento/",
        {f"{prefix}-estado": "done", f"{prefix}-nota": "Padrón publicado en datos abiertos."},
    )
    assert response.status_code == 302
    page = Client().get(f"/participa/mecanismos/{body.slug}/").content.decode()
    assert "CC-2026-03" in page and "Cumplido" in page and "Padrón publicado en datos abiertos." in page


def test_staff_publish_a_pdf_and_an_image_is_refused_with_400(body):
    session = make_session(body)
    client = client_for(make_body_staff(body.agency))
    url = f"/participa/gestion/mecanismos/{body.slug}/sesiones/{session.number}/documentos/"
    response = client.post(
        url, {"documento-tipo": "minutes", "documento-titulo": "Acta firmada", "documento-archivo": png_upload()}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "debe ser un PDF" in page and "Acta firmada" in page
    response = client.post(
        url, {"documento-tipo": "minutes", "documento-titulo": "Acta firmada", "documento-archivo": pdf_upload()}
    )
    assert response.status_code == 302
    assert BodySession.objects.get().documents.get().title == "Acta firmada"


def test_ending_a_term_twice_answers_409(body):
    member = make_member(body)
    client = client_for(make_body_staff(body.agency))
    url = f"/participa/gestion/mecanismos/{body.slug}/integrantes/{member.pk}/terminar/"
    assert client.post(url, {f"fin-{member.pk}-fin": "31/01/2026"}).status_code == 302
    response = client.post(url, {f"fin-{member.pk}-fin": "01/02/2026"})
    assert response.status_code == 409 and "ya terminó" in response.content.decode()


def test_staff_edit_a_body_out_of_office_and_the_history_says_from_and_to(body):
    staff = make_body_staff(body.agency)
    client = client_for(staff)
    url = f"/participa/gestion/mecanismos/{body.slug}/editar/"
    page = client.get(url).content.decode()
    assert "Consejo Consultivo de Salud" in page
    form = {
        "nombre": "Consejo Consultivo de Salud",
        "tipo": body.kind,
        "ambito": body.scope,
        "objeto": body.purpose,
        "fundamento": body.legal_basis,
        "fundamento_url": "",
        "como_participar": "x" * 2001,
        "correo": "",
    }
    response = client.post(url, form)
    assert response.status_code == 400 and "2,000" in response.content.decode()
    response = client.post(url, form | {"como_participar": "Ya no sesiona."})
    assert response.status_code == 302
    body.refresh_from_db()
    assert not body.is_active and body.how_to_take_part == "Ya no sesiona."
    event = body.events.get(kind="edited")
    assert (event.from_status, event.to_status, event.actor_id) == ("active", "inactive", staff.pk)
    assert (
        "how_to_take_part" in event.data["fields"]
        and "Sin funciones" in Client().get("/participa/mecanismos/").content.decode()
    )


def test_a_session_cannot_be_marked_held_before_its_date(body):
    session = make_session(body, actions.today() + dt.timedelta(days=5), status="scheduled")
    client = client_for(make_body_staff(body.agency))
    url = f"/participa/gestion/mecanismos/{body.slug}/sesiones/{session.number}/estado/"
    response = client.post(url, {"estado-estado": "held"})
    assert response.status_code == 400 and "antes de su fecha" in response.content.decode()
    assert client.post(url, {"estado-estado": "cancelled"}).status_code == 302
    session.refresh_from_db()
    assert session.status == "cancelled"


def test_a_body_record_counts_for_a_body_read_on_its_own(body):
    make_member(body)
    make_session(body, dt.date(2026, 1, 5))
    record = queries.body_record(Body.objects.get(pk=body.pk))
    assert (record["integrantes_en_funciones"], record["sesiones_celebradas"], record["ultima_sesion"]) == (
        1,
        1,
        "2026-01-05",
    )
