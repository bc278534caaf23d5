"""What the reporter's pages leave behind: headers on every answer, no cookie but ``denuncia``, and neither the text,
nor the address, nor the browser of a reporter anywhere in the database, the logs, the file store or the cache."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from portal.applications.uploads import private_storage
from portal.core import ratelimit
from portal.reports import actions
from portal.reports.access import REPORTER_COOKIE
from portal.reports.models import Report
from portal.reports.tests.factories import (
    ask_reporter,
    file_report,
    jpeg_with_exif,
    make_entity,
    make_investigator,
    png,
    report_answers,
)

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.77"
BROWSER = "NavegadorUnico/9.9 (denuncia-prueba-7731)"
SECRET_TEXT = "Texto-irrepetible-QX7731 sobre el soborno del almacén"
SECRET_REPLY = "Respuesta-irrepetible-ZK4410"
SECRET_NAME = "Nombre-irrepetible-WV2209"


@pytest.fixture
def salud():
    agency = make_entity("SALUD", "Secretaría de Salud")
    make_investigator(agency)
    return agency


def answers(agency, **overrides):
    fields = {"que_paso": "Pidió dinero.", "persona": None, "cargo": None, "cuando": None, "donde": None}
    return report_answers(agency, **{**fields, "quitar_metadatos": None, **overrides})


def _forbidden_directives(csp: str) -> list[str]:
    return [word for word in ("'unsafe-inline'", "'unsafe-eval'", "http:", "https:", "*") if word in csp.split()]


def assert_private(response) -> None:
    assert response["Cache-Control"] == "no-store", response.status_code
    assert response["Referrer-Policy"] == "no-referrer"
    csp = response["Content-Security-Policy"]
    for directive in ("default-src 'none'", "script-src 'self'", "form-action 'self'", "frame-ancestors 'none'"):
        assert directive in csp, (directive, csp)
    assert not _forbidden_directives(csp)


@pytest.mark.parametrize(
    "path",
    [
        "/participa/denuncia/",
        "/participa/denuncia/nueva/",
        "/participa/denuncia/seguimiento/",
        "/participa/denuncia/seguimiento/?motivo=caducada",
        "/participa/denuncia/mi-denuncia/",
        "/participa/denuncia/mi-denuncia/archivos/00000000-0000-0000-0000-000000000000/",
        "/en/participa/denuncia/",
        "/participa/denuncia/no-existe/",
    ],
)
def test_every_reporter_page_is_private_and_sets_no_cookie(client, salud, path):
    response = client.get(path)
    assert response.status_code in (200, 302, 404)
    assert_private(response)
    assert not response.cookies


def test_refusals_and_errors_are_private_too(client, salud, settings):
    assert_private(client.post("/participa/denuncia/nueva/", {}))
    assert_private(client.post("/participa/denuncia/seguimiento/", {"recibo": "12"}))
    assert_private(client.post("/participa/denuncia/nueva/", {}, headers={"Sec-Fetch-Site": "cross-site"}))
    assert_private(client.delete("/participa/denuncia/"))
    settings.REPORTS_RECEIPT_RATE_LIMIT = 0
    assert_private(client.post("/participa/denuncia/seguimiento/", {"recibo": "1" * 16}))
    filed = file_report(salud)
    client.post("/participa/denuncia/seguimiento/", {"recibo": filed.receipt})
    assert_private(client.get("/participa/denuncia/mi-denuncia/archivos/00000000-0000-0000-0000-000000000000/"))


def test_the_pages_have_no_inline_script_or_style_for_the_policy_to_block(client, salud):
    for path in ("/participa/denuncia/", "/participa/denuncia/nueva/", "/participa/denuncia/seguimiento/"):
        html = client.get(path).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert " style=" not in html and "<style" not in html, path


@pytest.mark.parametrize("fetch_site", ["cross-site", "same-site"])
def test_a_post_another_site_made_is_refused_with_a_spanish_message(client, salud, fetch_site):
    response = client.post("/participa/denuncia/nueva/", answers(salud), headers={"Sec-Fetch-Site": fetch_site})
    assert response.status_code == 403
    assert "El formulario se envió desde otro sitio." in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize("fetch_site", ["same-origin", "none", None])
def test_a_post_of_this_site_or_of_an_old_browser_is_taken(client, salud, fetch_site):
    headers = {"Sec-Fetch-Site": fetch_site} if fetch_site else {}
    response = client.post("/participa/denuncia/nueva/", answers(salud), headers=headers)
    assert response.status_code == 200 and Report.objects.count() == 1


def test_a_whole_filing_and_follow_up_sets_no_cookie_but_denuncia_and_needs_no_csrf_cookie(salud):
    client = Client(enforce_csrf_checks=True, headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"})
    set_cookies: list[str] = []

    def record(response):
        set_cookies.extend(response.cookies.keys())
        return response

    record(client.get("/participa/denuncia/"))
    record(client.get("/participa/denuncia/nueva/"))
    filed = record(client.post("/participa/denuncia/nueva/", {**answers(salud), "archivos": [png()]}))
    assert filed.status_code == 200
    receipt = filed.context["receipt"]
    record(client.post("/participa/denuncia/recibo/", {"recibo": receipt}))
    record(client.post("/participa/denuncia/constancia/"))
    record(client.post("/participa/denuncia/salir/"))
    record(client.post("/participa/denuncia/seguimiento/", {"recibo": receipt}))
    record(client.get("/participa/denuncia/mi-denuncia/"))
    record(client.post("/participa/denuncia/mi-denuncia/responder/", {"mensaje": "Más datos."}))
    record(client.get("/participa/denuncia/mi-denuncia/?enviado=1"))
    assert set(set_cookies) == {REPORTER_COOKIE}
    assert "sessionid" not in client.cookies and "csrftoken" not in client.cookies


def _database_rows() -> list[tuple[str, object]]:
    values: list[tuple[str, object]] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names of our own
            values.extend((table, value) for row in cursor.fetchall() for value in row if value is not None)
    return values


def _as_bytes(value: object) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode()


def _cache_keys() -> list[str]:
    """Every key in the shared cache, whichever backend the run uses (local memory, or Redis with REDIS_URL)."""
    store = cache._cache  # type: ignore[attr-defined]
    if hasattr(store, "get_client"):
        return [key.decode() for key in store.get_client(None).scan_iter()]
    return [str(key) for key in store]


def test_the_reporters_text_address_and_browser_are_nowhere_in_the_database_logs_files_or_cache(salud, caplog):
    caplog.set_level(logging.DEBUG)
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=BROWSER, HTTP_X_FORWARDED_FOR=ADDRESS)
    response = client.post(
        "/participa/denuncia/nueva/",
        {
            **answers(salud, que_paso=SECRET_TEXT, identificacion="identificada", nombre=SECRET_NAME),
            "archivos": [jpeg_with_exif("prueba-irrepetible.jpg")],
        },
    )
    assert response.status_code == 200
    receipt = response.context["receipt"]
    filed = actions.Filed(report=Report.objects.get(), receipt=receipt, report_key=b"")
    client.post("/participa/denuncia/seguimiento/", {"recibo": "0" * 16})
    client.post("/participa/denuncia/seguimiento/", {"recibo": receipt})
    opened = actions.check_receipt(receipt)
    ask_reporter(actions.Filed(filed.report, receipt, opened.report_key), "¿Algo más?")
    client.post("/participa/denuncia/mi-denuncia/responder/", {"mensaje": SECRET_REPLY, "archivos": [png()]})
    client.post("/participa/denuncia/constancia/")

    secrets = [
        SECRET_TEXT,
        SECRET_REPLY,
        SECRET_NAME,
        "prueba-irrepetible",
        ADDRESS,
        BROWSER,
        "NavegadorUnico",
        receipt,
    ]
    secrets.append(ratelimit._client_key(ADDRESS))
    rows = _database_rows()
    assert any(filed.report.folio.encode() in _as_bytes(value) for _table, value in rows)  # the scan reads rows
    found = [(table, secret) for table, value in rows for secret in secrets if secret.encode() in _as_bytes(value)]
    assert not found, found

    stored = {record.storage_name for record in filed.report.files.all()}
    assert len(stored) == 2
    for path in Path(private_storage().path("reports")).rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not [secret for secret in secrets if secret.encode() in data], path

    logged = caplog.text + "".join(str(record.args) for record in caplog.records)
    # The scan reads what was logged: Django's «Bad Request» of the wrong receipt, without its path (core.logfilters).
    assert "on a private path /participa/denuncia/ status=400" in logged
    assert "seguimiento" not in logged
    assert not [secret for secret in secrets if secret in logged], logged

    cache_keys = " ".join(_cache_keys())
    assert not [secret for secret in secrets if secret in cache_keys]
