"""The agency API through the real HTTP stack: keys, what a key reaches, the cursor-paged list, a case, status changes."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from portal.agencies.tests.factories import make_agency
from portal.applications.actions import casework
from portal.applications.models import (
    ActorRole,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Attachment,
    InformationRequest,
)
from portal.applications.tests.factories import published_form, simple_schema, submitted_application
from portal.integrations import queries
from portal.integrations.actions import agency_api as actions
from portal.integrations.models import AgencyApiKey, ApiIdempotencyRecord, ApiScope
from portal.services.tests.factories import make_service

pytestmark = pytest.mark.django_db
S = ApplicationStatus
BASE = "/api/agencias/v1"


class World:
    def __init__(self) -> None:
        self.agency = make_agency("AGUA")
        self.other_agency = make_agency("LUZ")
        self.service = make_service(self.agency, homoclave="AGUA-01-001", resolution_days=10)
        self.second_service = make_service(self.agency, homoclave="AGUA-01-002")
        self.other_service = make_service(self.other_agency, homoclave="LUZ-01-001")
        published_form(self.service, simple_schema())
        self.read_key, self.read_token = actions.do_create_api_key(
            self.agency, name="Consulta", scope=ApiScope.READ, actor=None
        )
        self.write_key, self.write_token = actions.do_create_api_key(
            self.agency, name="SIAC", scope=ApiScope.WRITE, actor=None
        )
        self.other_key, self.other_token = actions.do_create_api_key(
            self.other_agency, name="Otro", scope=ApiScope.WRITE, actor=None
        )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once per module (publishing services through Wagtail is slow), rolled back when the module ends; each
    test runs in a savepoint inside it, so what a test changes is undone before the next one."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield World()
        finally:
            transaction.set_rollback(True)


def case(service, minutes_ago: int, **fields) -> Application:
    """A case submitted ``minutes_ago`` (past the list's settle window)."""
    application = submitted_application(service, **fields)
    moment = timezone.now() - dt.timedelta(minutes=minutes_ago)
    Application.objects.filter(pk=application.pk).update(submitted_at=moment)
    application.refresh_from_db()
    return application


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --- Authentication ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Basic dXNlcjpwYXNz",
        "Bearer vt_nohay123_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "Bearer vt_ABCDEFGH_AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "Bearer no-es-una-clave",
    ],
)
def test_requests_without_a_valid_key_get_401_in_spanish(client, world, header):
    headers = {"Authorization": header} if header else {}
    response = client.get(f"{BASE}/solicitudes/", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"] == "no_autenticado"
    assert "clave de API" in response.json()["mensaje"]


def test_a_key_with_the_right_prefix_and_a_wrong_secret_is_refused(client, world):
    prefix = world.read_key.prefix
    forged = f"vt_{prefix}_{'x' * 43}"
    assert client.get(f"{BASE}/solicitudes/", headers=auth(forged)).status_code == 401


def test_a_revoked_key_is_refused_from_the_next_request(client, world):
    assert client.get(f"{BASE}/solicitudes/", headers=auth(world.read_token)).status_code == 200
    actions.do_revoke_api_key(world.read_key, actor=None)
    assert client.get(f"{BASE}/solicitudes/", headers=auth(world.read_token)).status_code == 401


def test_a_key_of_an_agency_that_is_no_longer_active_is_refused(client, world):
    type(world.agency).objects.filter(pk=world.agency.pk).update(is_active=False)
    assert client.get(f"{BASE}/solicitudes/", headers=auth(world.read_token)).status_code == 401


def test_the_secret_is_stored_only_as_a_digest_and_last_use_is_recorded(client, world):
    key = AgencyApiKey.objects.get(pk=world.read_key.pk)
    secret = world.read_token.split("_", 2)[2]
    assert secret not in key.secret_digest and len(key.secret_digest) == 64
    assert key.last_used_at is None
    client.get(f"{BASE}/solicitudes/", headers=auth(world.read_token))
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_answers_are_never_cached_by_browsers_or_proxies(client, world):
    response = client.get(f"{BASE}/solicitudes/", headers=auth(world.read_token))
    assert "no-store" in response.headers["Cache-Control"]
    assert "private" in response.headers["Cache-Control"]


def test_the_openapi_document_is_public_and_declares_the_bearer_key(client):
    response = client.get(f"{BASE}/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert {"type": "http", "scheme": "bearer"}.items() <= document["components"]["securitySchemes"][
        "ApiKeyAuth"
    ].items()
    assert "/api/agencias/v1/solicitudes/{folio}/estado/" in document["paths"]


def test_an_unknown_address_is_a_json_404(client, world):
    response = client.get(f"{BASE}/no-existe/", headers=auth(world.read_token))
    assert response.status_code == 404
    assert response.json()["error"] == "no_encontrado"


# --- The list -----------------------------------------------------------------------------------------------------


def test_the_list_shows_only_the_keys_agency_cases_oldest_first_and_never_drafts(client, world):
    newest = case(world.service, 5)
    oldest = case(world.service, 50)
    middle = case(world.second_service, 20)
    case(world.other_service, 30)
    published = world.service.form_definition.live_version
    Application.objects.create(service=world.service, agency=world.agency, form_version=published)  # a draft

    response = client.get(f"{BASE}/solicitudes/", headers=auth(world.read_token))

    assert response.status_code == 200
    body = response.json()
    assert [row["folio"] for row in body["resultados"]] == [oldest.folio, middle.folio, newest.folio]
    assert body["hay_mas"] is False and body["siguiente"] is None
    first = body["resultados"][0]
    assert first["estado"] == "submitted" and first["estado_nombre"] == "Recibida"
    assert first["servicio"] == {"homoclave": "AGUA-01-001", "nombre": world.service.title}
    assert first["url_api"] == f"http://testserver{BASE}/solicitudes/{oldest.folio}/"


def test_the_list_filters_by_status_service_and_submission_time(client, world):
    old = case(world.service, 120)
    reviewed = case(world.service, 60, status=S.IN_REVIEW)
    other_service = case(world.second_service, 30)

    def folios(query: str) -> list[str]:
        response = client.get(f"{BASE}/solicitudes/?{query}", headers=auth(world.read_token))
        assert response.status_code == 200, response.content
        return [row["folio"] for row in response.json()["resultados"]]

    assert folios("estado=submitted") == [old.folio, other_service.folio]
    assert folios("estado=in_review") == [reviewed.folio]
    assert folios("servicio=agua 01 002") == [other_service.folio]
    since = (timezone.now() - dt.timedelta(minutes=90)).astimezone(dt.UTC).isoformat()
    assert folios(f"desde={since.replace('+', '%2B')}") == [reviewed.folio, other_service.folio]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("estado=draft", "estado"),
        ("estado=", "estado"),
        ("desde=ayer", "desde"),
        ("servicio=NO EXISTE!", "servicio"),
        ("cursor=%%%", "cursor"),
        ("cursor=bm90LWpzb24", "cursor"),
        ("limite=0", "limite"),
        ("limite=101", "limite"),
        ("pagina=2", "pagina"),
        ("estado=submitted&estado=in_review", "estado"),
    ],
)
def test_a_bad_parameter_is_a_400_that_names_it(client, world, query, parameter):
    response = client.get(f"{BASE}/solicitudes/?{query}", headers=auth(world.read_token))
    assert response.status_code == 400
    body = response.json()
    assert body["parametro"] == parameter
    assert body["mensaje"]


def test_the_cursor_pages_are_stable_while_new_cases_arrive(client, world):
    first_batch = [case(world.service, 100 - minutes) for minutes in range(5)]
    seen: list[str] = []
    response = client.get(f"{BASE}/solicitudes/?limite=2", headers=auth(world.read_token)).json()
    seen += [row["folio"] for row in response["resultados"]]
    # New submissions arrive while the client is paging.
    arrivals = [case(world.service, 30), case(world.service, 20)]
    while response["hay_mas"]:
        assert response["siguiente"].startswith(f"http://testserver{BASE}/solicitudes/?")
        response = client.get(response["siguiente"], headers=auth(world.read_token)).json()
        seen += [row["folio"] for row in response["resultados"]]
    assert seen == [application.folio for application in first_batch + arrivals]

    # The last cursor, kept, brings only what comes later.
    cursor = response["cursor_siguiente"]
    again = client.get(f"{BASE}/solicitudes/?cursor={cursor}", headers=auth(world.read_token)).json()
    assert again["resultados"] == [] and again["cursor_siguiente"] == cursor
    later = case(world.service, 1)
    again = client.get(f"{BASE}/solicitudes/?cursor={cursor}", headers=auth(world.read_token)).json()
    assert [row["folio"] for row in again["resultados"]] == [later.folio]


def test_cases_submitted_at_the_same_instant_are_each_listed_once(client, world):
    moment = timezone.now() - dt.timedelta(hours=1)
    applications = [submitted_application(world.service) for _ in range(3)]
    Application.objects.filter(pk__in=[a.pk for a in applications]).update(submitted_at=moment)
    seen = []
    url = f"{BASE}/solicitudes/?limite=1"
    while url:
        body = client.get(url, headers=auth(world.read_token)).json()
        seen += [row["folio"] for row in body["resultados"]]
        url = body["siguiente"]
    assert seen == [a.folio for a in sorted(applications, key=lambda a: a.pk)]


def test_a_case_submitted_seconds_ago_is_listed_once_its_commit_has_settled(client, world):
    fresh = submitted_application(world.service)
    Application.objects.filter(pk=fresh.pk).update(submitted_at=timezone.now())
    body = client.get(f"{BASE}/solicitudes/", headers=auth(world.read_token)).json()
    assert body["resultados"] == []
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=queries.SETTLE_SECONDS + 1)):
        body = client.get(f"{BASE}/solicitudes/", headers=auth(world.read_token)).json()
    assert [row["folio"] for row in body["resultados"]] == [fresh.folio]


# --- One case ---------------------------------------------------------------------------------------------------


def test_another_agencys_folio_is_indistinguishable_from_one_that_does_not_exist(client, world):
    theirs = case(world.other_service, 10)
    foreign = client.get(f"{BASE}/solicitudes/{theirs.folio}/", headers=auth(world.read_token))
    missing = client.get(f"{BASE}/solicitudes/2026-0000-0000-0/", headers=auth(world.read_token))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
    post = client.post(
        f"{BASE}/solicitudes/{theirs.folio}/estado/",
        {"estado": "in_review"},
        content_type="application/json",
        headers=auth(world.write_token),
    )
    assert post.status_code == 404
    assert post.json() == missing.json()
    assert ApplicationEvent.objects.filter(application=theirs).count() == 1


def test_a_case_comes_with_answers_files_and_the_applicants_timeline(client, world):
    application = case(world.service, 10)
    attachment = Attachment.objects.create(
        application=application,
        question_id="identificacion",
        storage_name="solicitudes/prueba.pdf",
        original_name="ine.pdf",
        content_type="application/pdf",
        size=1234,
        sha256="ab" * 32,
    )
    ApplicationEvent.objects.create(
        application=application, kind="assigned", actor_role=ActorRole.CASE_WORKER, visible_to_applicant=False
    )

    # A folio typed loosely (lower case, spaces) is the same folio.
    loose = application.folio.lower().replace("-", " ")
    response = client.get(f"{BASE}/solicitudes/{loose}/", headers=auth(world.read_token))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["folio"] == application.folio
    assert body["fecha_limite"] == application.due_date.isoformat()
    assert body["solicitante"]["nombre"] == application.applicant_name
    answers = {row["id"]: row for row in body["respuestas"]}
    assert answers["nombre"]["valor"] == "María Guadalupe López Hernández"
    assert answers["nombre"]["pregunta"] == "Nombre completo"
    assert answers["vive-en-mexico"]["valor"] is True
    assert body["archivos"] == [
        {
            "id": str(attachment.public_id),
            "nombre": "ine.pdf",
            "tipo": "application/pdf",
            "tamano": 1234,
            "sha256": "ab" * 32,
            "pregunta": "identificacion",
            "subido_en": body["archivos"][0]["subido_en"],
            "url": f"http://testserver{BASE}/solicitudes/{application.folio}/archivos/{attachment.public_id}/",
        }
    ]
    assert [event["evento"] for event in body["eventos"]] == ["submitted"]
    assert body["eventos"][0]["rol_nombre"] == "Persona solicitante"


def test_a_file_of_another_case_is_not_reachable_through_this_folio(client, world):
    mine = case(world.service, 10)
    theirs = case(world.other_service, 10)
    attachment = Attachment.objects.create(
        application=theirs,
        question_id="identificacion",
        storage_name="solicitudes/ajeno.pdf",
        original_name="ajeno.pdf",
        content_type="application/pdf",
        size=10,
        sha256="cd" * 32,
    )
    for folio in (mine.folio, theirs.folio):
        url = f"{BASE}/solicitudes/{folio}/archivos/{attachment.public_id}/"
        assert client.get(url, headers=auth(world.read_token)).status_code == 404
    assert (
        client.get(f"{BASE}/solicitudes/{mine.folio}/archivos/no-es-uuid/", headers=auth(world.read_token)).status_code
        == 404
    )


# --- Status changes ---------------------------------------------------------------------------------------------


def post_status(client, token: str, folio: str, body: dict, **headers):
    return client.post(
        f"{BASE}/solicitudes/{folio}/estado/",
        body,
        content_type="application/json",
        headers={**auth(token), **headers},
    )


def test_a_read_only_key_cannot_change_a_status(client, world):
    application = case(world.service, 10)
    response = post_status(client, world.read_token, application.folio, {"estado": "in_review"})
    assert response.status_code == 403
    assert response.json()["error"] == "sin_permiso"
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_a_status_change_is_recorded_as_the_agencys_system_with_the_keys_prefix(client, world):
    application = case(world.service, 10)
    response = post_status(client, world.write_token, application.folio, {"estado": "in_review", "motivo": "Revisión"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["estado"] == "in_review"
    last = body["eventos"][-1]
    assert (last["de"], last["a"], last["rol"], last["rol_nombre"]) == (
        "submitted",
        "in_review",
        "agency_system",
        "Sistema de la institución",
    )
    event = ApplicationEvent.objects.filter(application=application).latest("pk")
    assert event.actor is None
    assert event.data == {"api_key": world.write_key.prefix}
    assert event.visible_to_applicant


def test_the_applicant_sees_the_agency_systems_change_in_their_timeline(client, world):
    application = case(world.service, 10)
    post_status(client, world.write_token, application.folio, {"estado": "in_review"})
    client.force_login(application.applicant)
    page = client.get(f"/mi-expediente/solicitudes/{application.folio}/")
    assert page.status_code == 200
    assert "Sistema de la institución" in page.content.decode()


def test_no_csrf_token_is_needed_with_a_key(world):
    from django.test import Client

    application = case(world.service, 10)
    response = post_status(
        Client(enforce_csrf_checks=True), world.write_token, application.folio, {"estado": "in_review"}
    )
    assert response.status_code == 200


def test_a_change_the_state_machine_refuses_is_a_409_in_spanish(client, world):
    application = case(world.service, 10)
    response = post_status(client, world.write_token, application.folio, {"estado": "in_review"})
    assert response.status_code == 200
    response = post_status(client, world.write_token, application.folio, {"estado": "in_review"})
    assert response.status_code == 409
    assert response.json()["error"] == "cambio_no_permitido"
    assert "En revisión" in response.json()["mensaje"]


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({"estado": "withdrawn"}, "estado"),
        ({"estado": "submitted"}, "estado"),
        ({"estado": "rejected"}, "motivo"),
        ({"estado": "rejected", "motivo": "   "}, "motivo"),
        ({"estado": "information_requested"}, "motivo"),
        ({"motivo": "sin estado"}, "estado"),
        ({"estado": "approved", "motivo": "x" * 10001}, "motivo"),
    ],
)
def test_a_bad_status_change_is_a_400_that_names_the_field(client, world, body, parameter):
    application = case(world.service, 10)
    response = post_status(client, world.write_token, application.folio, body)
    assert response.status_code == 400, response.content
    assert response.json()["parametro"] == parameter
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_a_body_that_is_not_json_is_a_400(client, world):
    application = case(world.service, 10)
    response = client.post(
        f"{BASE}/solicitudes/{application.folio}/estado/",
        "estado=in_review",
        content_type="application/json",
        headers=auth(world.write_token),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "parametro_invalido"


def test_asking_for_information_stops_the_clock_once_and_only_once(client, world):
    application = case(world.service, 10)
    response = post_status(
        client,
        world.write_token,
        application.folio,
        {"estado": "information_requested", "motivo": "Falta el comprobante de domicilio."},
    )
    assert response.status_code == 200, response.content
    application.refresh_from_db()
    assert application.status == S.INFORMATION_REQUESTED
    assert application.clock_stopped_on is not None
    request = InformationRequest.objects.get(application=application)
    assert request.message == "Falta el comprobante de domicilio."
    assert response.json()["plazo_suspendido_desde"] == application.clock_stopped_on.isoformat()

    casework.do_answer_information_request(application, application.applicant, "Adjunto el comprobante.")
    again = post_status(
        client, world.write_token, application.folio, {"estado": "information_requested", "motivo": "Otra vez"}
    )
    assert again.status_code == 409
    assert "una sola vez" in again.json()["mensaje"]


def test_a_case_waiting_for_the_applicants_answer_cannot_be_taken_for_review(client, world):
    # As in the back office: only the applicant's answer (or the term lapsing) moves the case on; taking it would
    # skip the answer and leave the clock stopped.
    application = case(world.service, 10)
    post_status(
        client, world.write_token, application.folio, {"estado": "information_requested", "motivo": "Falta el acta."}
    )
    response = post_status(client, world.write_token, application.folio, {"estado": "in_review"})
    assert response.status_code == 409
    application.refresh_from_db()
    assert application.status == S.INFORMATION_REQUESTED and application.clock_stopped_on is not None


def test_rejecting_through_the_api_resolves_the_case_like_the_back_office(client, world):
    application = case(world.service, 10)
    response = post_status(
        client, world.write_token, application.folio, {"estado": "rejected", "motivo": "No acredita residencia."}
    )
    assert response.status_code == 200, response.content
    application.refresh_from_db()
    assert application.status == S.REJECTED
    assert application.resolved_at is not None
    assert application.resolution_reason == "No acredita residencia."
    assert application.resolution_document is not None
    body = response.json()
    assert body["motivo_resolucion"] == "No acredita residencia."
    assert body["eventos"][-1]["evento"] == "resolved"
    again = post_status(client, world.write_token, application.folio, {"estado": "approved"})
    assert again.status_code == 409


def test_a_repeated_request_with_the_same_idempotency_key_changes_nothing_more(client, world):
    application = case(world.service, 10)
    body = {"estado": "in_review", "motivo": "Revisión"}
    first = post_status(client, world.write_token, application.folio, body, **{"Idempotency-Key": "cambio-1"})
    second = post_status(client, world.write_token, application.folio, body, **{"Idempotency-Key": "cambio-1"})
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert ApplicationEvent.objects.filter(application=application, to_status=S.IN_REVIEW).count() == 1
    assert ApiIdempotencyRecord.objects.count() == 1

    other = post_status(
        client, world.write_token, application.folio, {"estado": "approved"}, **{"Idempotency-Key": "cambio-1"}
    )
    assert other.status_code == 400
    assert other.json()["parametro"] == "Idempotency-Key"


def test_idempotency_keys_are_per_api_key_and_forgotten_after_a_day(world):
    ApiIdempotencyRecord.objects.create(
        api_key=world.write_key, key="k", request_digest="x", response_status=200, response_body={}
    )
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)):
        assert actions.do_purge_idempotency_records() == 1
    assert not ApiIdempotencyRecord.objects.exists()


def test_a_file_is_streamed_from_the_private_storage_with_the_download_headers(client, world):
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    application = case(world.service, 10)
    content = b"%PDF-1.4 prueba de archivo"
    name = storages["private"].save("solicitudes/api-prueba.pdf", ContentFile(content))
    attachment = Attachment.objects.create(
        application=application,
        question_id="identificacion",
        storage_name=name,
        original_name="ine.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256="ef" * 32,
    )
    try:
        response = client.get(
            f"{BASE}/solicitudes/{application.folio}/archivos/{attachment.public_id}/", headers=auth(world.read_token)
        )
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        assert client.get(f"{BASE}/solicitudes/{application.folio}/archivos/{attachment.public_id}/").status_code == 401
    finally:
        storages["private"].delete(name)
