"""The finance pages under /oficina/pagos/: who may open them, importing, the differences, refunds and closes over
real HTTP, with Spanish messages and 4xx for bad input."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from portal.accounts.tests.factories import make_account
from portal.agencies.models import Role, StaffRole
from portal.payments.models import (
    DailyClose,
    ExceptionStatus,
    ReconciliationException,
    ReferenceStatus,
    Refund,
    StatementImport,
)
from testing.clients import client_for

from .finance_world import bank_file, build_world, make_finance_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world(amount=150_000)


@pytest.fixture
def client(world):
    return client_for(world.finance)


def _url(world, rest=""):
    return f"/oficina/pagos/{world.agency.slug}/{rest}"


def test_someone_without_a_finance_role_gets_403_and_another_entity_404(world):
    clerk = make_account(email="sin-rol@example.org")
    assert client_for(clerk).get("/oficina/pagos/").status_code == 403
    assert client_for(clerk).get(_url(world)).status_code == 403
    other = build_world()
    assert client_for(other.finance).get(_url(world)).status_code == 404
    assert client_for(other.finance).get(_url(world, "diferencias/")).status_code == 404
    assert Client().get(_url(world)).status_code == 302  # to sign in


def test_one_entity_goes_straight_to_its_dashboard_several_are_listed(world, client):
    response = client.get("/oficina/pagos/")
    assert response.status_code == 302 and response["Location"] == _url(world)
    other = build_world()
    StaffRole.objects.create(user=world.finance, agency=other.agency, role=Role.FINANCE)
    page = client.get("/oficina/pagos/")
    assert page.status_code == 200 and other.agency.name in page.content.decode()


def test_importing_a_bank_statement_shows_the_counts_on_the_dashboard(world, client):
    reference = world.issue()
    data = bank_file({"referencia": reference.reference, "importe": 150_000}, {"referencia": "1", "importe": 5})
    response = client.post(_url(world, "importar/"), {"origen": "bank", "archivo": data}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Se importaron 2 movimientos: 1 conciliados y 1 con diferencia." in text
    assert "estado-banco.csv" in text and "1 diferencia pendiente" in text
    reference.refresh_from_db()
    assert reference.status == ReferenceStatus.PAID


def test_a_bad_file_is_refused_with_each_line_and_a_second_import_is_refused(world, client):
    bad = io.BytesIO(b"fecha,hora,referencia,importe,canal,folio_banco\n2026-12-02,10:00:00,1,10,tienda,A\n")
    bad.name = "malo.csv"
    response = client.post(_url(world, "importar/"), {"origen": "bank", "archivo": bad})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Línea 2: el importe «10» no es un monto en pesos" in text and "govuk-error-summary" in text
    good = bank_file({"referencia": "1", "importe": 5})
    assert client.post(_url(world, "importar/"), {"origen": "bank", "archivo": good}).status_code == 302
    good.seek(0)
    again = client.post(_url(world, "importar/"), {"origen": "bank", "archivo": good})
    assert again.status_code == 400 and "ya se importó" in again.content.decode()
    assert StatementImport.objects.count() == 1
    missing = client.post(_url(world, "importar/"), {"origen": "nada"})
    assert missing.status_code == 400 and "Elija el archivo" in missing.content.decode()


def test_the_differences_are_listed_filtered_and_resolved_with_a_note(world, client):
    reference = world.issue()
    client.post(
        _url(world, "importar/"),
        {"origen": "bank", "archivo": bank_file({"referencia": reference.reference, "importe": 1_000})},
    )
    exception = ReconciliationException.objects.get()
    listing = client.get(_url(world, "diferencias/"))
    assert listing.status_code == 200 and "Monto distinto del adeudado" in listing.content.decode()
    assert client.get(_url(world, "diferencias/?tipo=otro")).status_code == 400
    filtered = client.get(_url(world, "diferencias/?tipo=unknown_reference")).content.decode()
    assert "No hay diferencias con estos filtros." in filtered
    detail_url = _url(world, f"diferencias/{exception.pk}/")
    page = client.get(detail_url).content.decode()
    assert "Aplicar al adeudo" in page and "Devolver por transferencia" in page
    no_note = client.post(detail_url, {"accion": "devolver", "nota": ""})
    assert no_note.status_code == 400 and "Escriba una nota" in no_note.content.decode()
    done = client.post(detail_url, {"accion": "devolver", "nota": "Devuelto"}, follow=True)
    assert done.status_code == 200 and "Diferencia resuelta." in done.content.decode()
    exception.refresh_from_db()
    assert exception.status == ExceptionStatus.RESOLVED
    assert client.post(detail_url, {"accion": "devolver", "nota": "otra vez"}).status_code == 409
    other = build_world()
    assert client_for(other.finance).get(detail_url.replace(world.agency.slug, other.agency.slug)).status_code == 404


def test_a_paid_reference_is_found_by_its_number_and_refunded_in_part_then_too_much_is_refused(world, client):
    reference = world.issue()
    client.post(
        _url(world, "importar/"),
        {"origen": "bank", "archivo": bank_file({"referencia": reference.reference, "importe": 150_000})},
    )
    found = client.get(_url(world, "reembolsos/"), {"q": reference.grouped_reference})
    assert found.status_code == 200 and "Reembolsar" in found.content.decode()
    post = {"linea": str(reference.public_id), "monto": "500.00", "motivo": "Cobro de más"}
    assert client.post(_url(world, "reembolsos/"), post).status_code == 302
    reference.refresh_from_db()
    assert reference.status == ReferenceStatus.PARTIALLY_REFUNDED and reference.refunded_centavos == 50_000
    too_much = client.post(_url(world, "reembolsos/"), {**post, "monto": "1000.01"})
    assert too_much.status_code == 409 and "Solo quedan 100000 centavos" in too_much.content.decode()
    bad = client.post(_url(world, "reembolsos/"), {**post, "monto": "mil"})
    assert bad.status_code == 400 and "pesos con dos decimales" in bad.content.decode()
    assert Refund.objects.count() == 1


def test_an_unpaid_reference_cannot_be_refunded(world, client):
    reference = world.issue()
    page = client.get(_url(world, "reembolsos/"), {"q": reference.reference}).content.decode()
    assert "Solo se reembolsa una línea de captura pagada." in page
    refused = client.post(
        _url(world, "reembolsos/"), {"linea": str(reference.public_id), "monto": "1.00", "motivo": "x"}
    )
    assert refused.status_code == 409 and "Solo se reembolsa una línea de captura pagada." in refused.content.decode()


def test_closing_a_day_over_http_then_its_page_and_ledger_csv(world, client):
    reference = world.issue()
    client.post(
        _url(world, "importar/"),
        {"origen": "bank", "archivo": bank_file({"referencia": reference.reference, "importe": 150_000})},
    )
    response = client.post(_url(world, "cierres/"), {"dia": "2026-12-02"}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Día 2026-12-02 cerrado." in text and "$1,500.00" in text
    again = client.post(_url(world, "cierres/"), {"dia": "2026-12-02"})
    assert again.status_code == 409 and "ya está cerrado" in again.content.decode()
    today = client.post(_url(world, "cierres/"), {"dia": "2999-01-01"})
    assert today.status_code == 400 and "ya terminó" in today.content.decode()
    assert client.post(_url(world, "cierres/"), {"dia": "ayer"}).status_code == 400
    csv_response = client.get(_url(world, "cierres/2026-12-02/asientos.csv"))
    assert csv_response.status_code == 200
    body = b"".join(csv_response.streaming_content).decode()
    assert body.startswith("\ufefffecha_hora,asiento") and f"payment:bank:{world.agency.pk}:F000001" in body
    assert client.get(_url(world, "cierres/2026-99-02/")).status_code == 404
    assert DailyClose.objects.count() == 1


def test_a_second_finance_person_sees_the_same_entity(world):
    colleague = make_finance_person(world.agency)
    assert client_for(colleague).get(_url(world, "cierres/")).status_code == 200
