"""The pages: a citizen writes a proposal and finds it in «Mis propuestas»; moderators publish or refuse it; anyone
reads it; a verified account supports it; staff answer it and post progress; the open data. Another entity's staff
get 404; bad input gets a 4xx, a Spanish message and the typed text back; the lists cost a bounded number of queries."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

from portal.participation.proposals import actions
from portal.participation.proposals.models import Proposal, ProposalStatus, ProposalSupport
from testing.clients import client_for

from .factories import (
    make_accepted,
    make_at_threshold,
    make_citizen,
    make_entity,
    make_moderator,
    make_participation_staff,
    make_proposal,
    make_published,
    make_verified_citizen,
)

pytestmark = pytest.mark.django_db
S = ProposalStatus


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_citizen_writes_a_proposal_and_finds_it_in_her_list():
    semovi = make_entity("SEMOVI", "Secretaría de Movilidad")
    author = make_citizen()
    client = signed_in(author)
    assert client.get("/participa/propuestas/nueva/?institucion=SEMOVI").status_code == 200
    response = client.post(
        "/participa/propuestas/nueva/",
        {
            "institucion": "SEMOVI",
            "titulo": "Ciclovía en Juárez",
            "resumen": "Una ciclovía protegida.",
            "texto": "Propongo una ciclovía protegida.",
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == "/participa/propuestas/mias/"
    assert (proposal.agency, proposal.author, proposal.status) == (semovi, author, S.PENDING)
    mine = client.get("/participa/propuestas/mias/").content.decode()
    assert proposal.code in mine and "En revisión para publicarse" in mine
    # Not public until the moderators publish it.
    assert Client().get(f"/participa/propuestas/{proposal.code}/").status_code == 404


def test_the_form_asks_to_sign_in():
    response = Client().get("/participa/propuestas/nueva/")
    assert response.status_code == 302 and "/cuenta/" in response["Location"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("titulo", "", "Escriba el título de su propuesta."),
        ("titulo", "x" * 151, "El título puede tener hasta 150 caracteres; usted escribió 151."),
        ("resumen", "x" * 501, "El resumen puede tener hasta 500 caracteres; usted escribió 501."),
        ("texto", "x" * 6_001, "La propuesta puede tener hasta 6,000 caracteres; usted escribió 6,001."),
        ("institucion", "NOEXISTE", "Elija una institución de la lista."),
    ],
)
def test_bad_input_answers_400_in_spanish_and_keeps_the_text(field, value, message):
    make_entity("SEMOVI")
    data = {"institucion": "SEMOVI", "titulo": "Ciclovía", "resumen": "Resumen único 7Q", "texto": "Texto único 9Z"}
    data[field] = value
    response = signed_in(make_citizen()).post("/participa/propuestas/nueva/", data)
    page = response.content.decode()
    assert response.status_code == 400 and message in page
    assert ("Resumen único 7Q" in page or field == "resumen") and ("Texto único 9Z" in page or field == "texto")
    assert not Proposal.objects.exists()


def test_moderators_publish_or_refuse_and_nobody_else_can():
    semovi = make_entity("SEMOVI")
    first, second = make_proposal(make_citizen(), semovi), make_proposal(make_citizen(), semovi, title="Bancas")
    staff = client_for(make_participation_staff(semovi))
    assert staff.get("/participa/gestion/propuestas/moderacion/").status_code == 403
    assert staff.post(f"/participa/gestion/propuestas/moderacion/{first.code}/publicar/").status_code == 403
    moderator = client_for(make_moderator())
    queue = moderator.get("/participa/gestion/propuestas/moderacion/").content.decode()
    assert first.code in queue and second.code in queue
    assert moderator.get(f"/participa/gestion/propuestas/moderacion/{first.code}/").status_code == 200
    assert moderator.post(f"/participa/gestion/propuestas/moderacion/{first.code}/publicar/").status_code == 302
    again = moderator.post(f"/participa/gestion/propuestas/moderacion/{first.code}/publicar/")
    assert again.status_code == 409 and "Otra persona ya revisó esta propuesta." in again.content.decode()
    bad = moderator.post(f"/participa/gestion/propuestas/moderacion/{second.code}/rechazar/", {"motivo": "x"})
    assert bad.status_code == 400 and "Elija un motivo de la lista de reglas." in bad.content.decode()
    url = f"/participa/gestion/propuestas/moderacion/{second.code}/rechazar/"
    assert moderator.post(url, {"motivo": "unclear"}).status_code == 302
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == (S.OPEN, S.REFUSED)
    assert Client().get(f"/participa/propuestas/{first.code}/").status_code == 200
    assert Client().get(f"/participa/propuestas/{second.code}/").status_code == 404


def test_the_public_page_shows_the_supports_missing_and_the_deadline():
    proposal = make_published(make_entity("SEMOVI"), threshold=1_000)
    for _n in range(3):
        actions.do_support_proposal(proposal, make_verified_citizen())
    Proposal.objects.filter(pk=proposal.pk).update(supports_count=266)  # as if 266 people had supported it
    page = Client().get(f"/participa/propuestas/{proposal.code}/").content.decode()
    assert "266 apoyos de 1,000 necesarios" in page and "Faltan 734 apoyos, hasta el" in page
    assert "Leonor" not in page


def test_a_verified_citizen_supports_and_withdraws_and_others_are_told_why_not():
    proposal = make_published(make_entity("SEMOVI"), threshold=5)
    url = f"/participa/propuestas/{proposal.code}/"
    citizen = signed_in(make_verified_citizen())
    assert "Apoyar esta propuesta" in citizen.get(url).content.decode()
    assert citizen.post(f"{url}apoyar/").status_code == 302
    assert "Retirar mi apoyo" in citizen.get(url).content.decode()
    twice = citizen.post(f"{url}apoyar/")
    assert twice.status_code == 409 and "Usted ya apoya esta propuesta." in twice.content.decode()
    assert citizen.post(f"{url}retirar-apoyo/").status_code == 302
    assert not ProposalSupport.objects.exists()
    basic = signed_in(make_citizen()).post(f"{url}apoyar/")
    assert basic.status_code == 403 and "su cuenta debe estar verificada" in basic.content.decode()
    assert Client().post(f"{url}apoyar/").status_code == 302 and not ProposalSupport.objects.exists()


def test_comments_are_checked_and_kept_on_error():
    proposal = make_published(make_entity("SEMOVI"))
    client = signed_in(make_citizen(first_name="Rubén"))
    url = f"/participa/propuestas/{proposal.code}/comentar/"
    long = client.post(url, {"comentario": "Texto mío " + "x" * 2_000})
    page = long.content.decode()
    assert long.status_code == 400 and "El comentario puede tener hasta 2,000 caracteres" in page
    assert "Texto mío" in page
    assert client.post(url, {"comentario": "Me parece muy bien."}).status_code == 302
    assert "Me parece muy bien." in Client().get(f"/participa/propuestas/{proposal.code}/").content.decode()
    assert Client().post(url, {"comentario": "Anónimo"}).status_code == 302  # to sign in


def test_a_moderator_hides_a_comment():
    proposal = make_published(make_entity("SEMOVI"))
    comment = actions.do_comment_proposal(proposal, make_citizen(), "Llamen al 555 123 4567 de Juan.")
    moderator = client_for(make_moderator())
    url = f"/participa/gestion/propuestas/moderacion/{proposal.code}/comentarios/{comment.pk}/ocultar/"
    assert moderator.post(url, {"motivo": ""}).status_code == 400
    assert moderator.post(url, {"motivo": "personal_data"}).status_code == 302
    assert "555 123 4567" not in Client().get(f"/participa/propuestas/{proposal.code}/").content.decode()


def test_staff_see_proposals_at_threshold_first_and_answer_them():
    semovi = make_entity("SEMOVI")
    staff = make_participation_staff(semovi)
    make_published(semovi, title="Sin apoyos aún", threshold=50)
    due = make_at_threshold(semovi, title="Con apoyos")
    client = client_for(staff)
    queue = client.get("/participa/gestion/propuestas/").content.decode()
    assert queue.index("Con apoyos") < queue.index("Sin apoyos aún")
    url = f"/participa/gestion/propuestas/{due.code}/"
    assert "Publicar la respuesta" in client.get(url).content.decode()
    bad = client.post(f"{url}responder/", {"decision": "aceptar", "respuesta": ""})
    assert bad.status_code == 400 and "Escriba la respuesta" in bad.content.decode()
    no_choice = client.post(f"{url}responder/", {"respuesta": "Mi texto 4F"})
    assert no_choice.status_code == 400 and "Mi texto 4F" in no_choice.content.decode()
    assert client.post(f"{url}responder/", {"decision": "aceptar", "respuesta": "La haremos."}).status_code == 302
    due.refresh_from_db()
    assert due.status == S.ACCEPTED
    late = client.post(f"{url}responder/", {"decision": "aceptar", "respuesta": "Otra vez."})
    assert late.status_code == 409


def test_staff_post_progress_and_the_public_page_shows_it():
    semovi = make_entity("SEMOVI")
    staff = make_participation_staff(semovi)
    proposal = make_accepted(semovi, staff)
    client = client_for(staff)
    url = f"/participa/gestion/propuestas/{proposal.code}/"
    data = {"etapa": "Licitación", "avance": "45", "texto": "Se publicó la licitación.", "motivo": ""}
    assert client.post(f"{url}avance/", data).status_code == 302
    down = client.post(f"{url}avance/", data | {"avance": "30", "texto": "Texto propio 5K"})
    page = down.content.decode()
    assert down.status_code == 400 and "explique por qué" in page and "Texto propio 5K" in page
    bad = client.post(f"{url}avance/", data | {"avance": "ciento"})
    assert bad.status_code == 400 and "Escriba el avance como un número entero" in bad.content.decode()
    early = client.post(f"{url}completar/")
    assert early.status_code == 409 and "publique primero un avance del 100 %" in early.content.decode()
    public = Client().get(f"/participa/propuestas/{proposal.code}/").content.decode()
    assert "45 % de avance" in public and "Licitación" in public and "Se publicó la licitación." in public
    assert 'value="45"' in public
    listed = Client().get("/participa/propuestas/?estado=en_marcha").content.decode()
    assert proposal.title in listed


def test_another_entitys_staff_and_unknown_codes_get_404():
    semovi, imss = make_entity("SEMOVI"), make_entity("IMSS")
    proposal = make_at_threshold(semovi)
    other = client_for(make_participation_staff(imss))
    for suffix in ("", "responder/", "avance/", "completar/"):
        method = other.get if not suffix else other.post
        assert (
            method(f"/participa/gestion/propuestas/{proposal.code}{'/' + suffix if suffix else '/'}").status_code == 404
        )
    assert other.get("/participa/gestion/propuestas/2026-AAAA-AAAA-A/").status_code == 404
    assert Client().get("/participa/propuestas/no-es-un-folio/").status_code == 404
    assert signed_in(make_citizen()).get("/participa/gestion/propuestas/").status_code == 403
    superuser = make_citizen(first_name="Root")
    superuser.is_superuser = True
    superuser.save()
    assert client_for(superuser).get(f"/participa/gestion/propuestas/{proposal.code}/").status_code == 404


def test_entity_admins_set_the_settings_and_others_get_404():
    from portal.agencies.actions import do_grant_role
    from portal.agencies.models import Role

    semovi = make_entity("SEMOVI")
    admin = make_citizen(first_name="Elena")
    do_grant_role(admin, semovi, Role.ENTITY_ADMIN)
    client = client_for(admin)
    url = "/participa/gestion/propuestas/ajustes/SEMOVI/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"apoyos": "0", "dias": "90"})
    assert bad.status_code == 400 and "Escriba un número de apoyos mayor que cero." in bad.content.decode()
    assert client.post(url, {"apoyos": "500", "dias": "60"}).status_code == 302
    assert semovi.proposal_settings.support_threshold == 500
    assert client_for(make_participation_staff(semovi)).get(url).status_code == 404
    assert client.get("/participa/gestion/propuestas/ajustes/NOEXISTE/").status_code == 404


def test_the_list_filters_and_refuses_a_bad_filter():
    semovi, imss = make_entity("SEMOVI"), make_entity("IMSS")
    make_published(semovi, title="De movilidad")
    make_published(imss, title="De salud")
    page = Client().get("/participa/propuestas/?institucion=IMSS").content.decode()
    assert "De salud" in page and "De movilidad" not in page
    bad = Client().get("/participa/propuestas/?estado=todas-las-cosas")
    assert bad.status_code == 400 and "Elija un estado de la lista." in bad.content.decode()


def test_the_list_and_a_page_cost_a_bounded_number_of_queries(django_assert_max_num_queries):
    semovi = make_entity("SEMOVI")
    staff = make_participation_staff(semovi)
    for n in range(4):
        make_published(semovi, title=f"Propuesta {n}")
    proposal = make_accepted(semovi, staff)
    for n in range(3):
        actions.do_post_progress(proposal, staff, label=f"Etapa {n}", progress=10 * (n + 1), text="Avance.")
        actions.do_comment_proposal(proposal, make_citizen(), f"Comentario {n}")
    client = Client()
    client.get("/participa/propuestas/")  # warm the caches (session, site) as a second visitor would find them
    with django_assert_max_num_queries(12):
        assert client.get("/participa/propuestas/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(f"/participa/propuestas/{proposal.code}/").status_code == 200


def test_open_data_has_no_personal_data_and_csv_cells_never_run_as_formulas():
    semovi = make_entity("SEMOVI")
    author = make_citizen("leonor@example.com", first_name="Leonor")
    proposal = make_published(semovi, author=author, title='=HYPERLINK("http://x")')
    make_proposal(make_citizen(), semovi, title="Pendiente")
    response = Client().get("/participa/propuestas/datos.csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == [
        "code",
        "entity",
        "entity_name",
        "title",
        "summary",
        "status",
        "supports",
        "threshold",
        "deadline",
        "answer",
        "progress",
        "last_update",
    ]
    assert len(rows) == 2 and rows[1][0] == proposal.code and rows[1][3] == '\'=HYPERLINK("http://x")'
    assert "Leonor" not in body and "leonor@example.com" not in body and "Pendiente" not in body
    data = json.loads(Client().get("/participa/propuestas/datos.json").content)
    assert [record["code"] for record in data["proposals"]] == [proposal.code]
    assert data["proposals"][0]["title"] == '=HYPERLINK("http://x")' and data["proposals"][0]["status"] == "open"


def test_writing_many_proposals_in_a_row_is_stopped_with_a_429(settings):
    settings.PARTICIPATION_PROPOSAL_RATE_LIMIT = 2
    make_entity("SEMOVI")
    client = signed_in(make_citizen())
    data = {"institucion": "SEMOVI", "titulo": "Título", "resumen": "Resumen", "texto": "Texto"}
    codes = [client.post("/participa/propuestas/nueva/", data).status_code for _ in range(3)]
    assert codes == [302, 302, 429] and Proposal.objects.count() == 2


def test_a_moderator_finds_the_comments_moderation_from_the_public_page():
    proposal = make_published(make_entity("SEMOVI"))
    link = f"/participa/gestion/propuestas/moderacion/{proposal.code}/"
    assert link in signed_in(make_moderator()).get(f"/participa/propuestas/{proposal.code}/").content.decode()
    assert link not in signed_in(make_citizen()).get(f"/participa/propuestas/{proposal.code}/").content.decode()
