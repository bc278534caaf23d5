"""The payer's pages under /pagos/: «Mis pagos», the public lookup, a reference's page in each state, the re-issue,
the hoja de ayuda and the receipt (tagged PDFs read back from their bytes), the return from the provider, and who
may see what."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pytest
import zxingcpp
from django.test import Client
from PIL import Image
from pypdf import PdfReader

from portal.accounts.tests.factories import make_account
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from portal.payments import actions, codes, ledger
from portal.payments.models import (
    Exemption,
    ExemptionRule,
    PaymentEvent,
    PaymentReference,
    PaymentStatus,
    ReferenceStatus,
)
from portal.payments.tests.citizen_world import (
    build_world,
    expired_reference,
    issue,
    make_payment,
    make_staff,
    settle_by_bank,
)
from portal.payments.tests.factories import make_fee, make_payable_service
from testing.tools import missing_tool

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def ana(world) -> Client:
    client = Client()
    client.force_login(world.citizen)
    return client


def page(reference: PaymentReference, suffix: str = "") -> str:
    return f"/pagos/{reference.public_id}/{suffix}"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def pdf_text(data: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        missing_tool("pdftotext is not installed (apt-get install poppler-utils)")
    path = tmp_path / "documento.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout  # noqa: S603, S607


def barcodes_in(data: bytes, tmp_path) -> dict[str, str]:
    """Every barcode a scanner finds on the printed page (rasterised at 200 dpi, as a counter's scanner sees paper)."""
    if shutil.which("pdftoppm") is None:
        missing_tool("pdftoppm is not installed (apt-get install poppler-utils)")
    path = tmp_path / "hoja.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(path), str(tmp_path / "pagina")], check=True)  # noqa: S603, S607
    found = {}
    for image in sorted(tmp_path.glob("pagina*.png")):
        for barcode in zxingcpp.read_barcodes(Image.open(image).convert("L")):
            found[barcode.format.name] = barcode.text
    return found


def assert_tagged_pdf(data, title):
    reader = PdfReader(io.BytesIO(data))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "es-MX"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title.startswith(title)
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert "pdfuaid" in xmp


# --- «Mis pagos» and «Mi expediente» ---------------------------------------------------------------------------------


def test_mis_pagos_lists_the_persons_references_with_status_amount_and_due_date(world, ana):
    paid = settle_by_bank(issue(world.service, world.citizen, label="FOLIO-2"))
    someone = make_account(email="otra@example.mx")
    others = issue(world.service, someone, label="FOLIO-AJENO")
    response = ana.get("/pagos/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Mis pagos" in text and "Pendientes de pago" in text
    assert world.reference.grouped_reference in text and paid.grouped_reference in text
    assert "$1,500.00" in text and "Expedición del documento" in text and "Folio FOLIO-1" in text
    assert "Pendiente de pago" in text and "Pagada" in text
    assert text.index(world.reference.grouped_reference) < text.index("Pagados, vencidos y cancelados")
    assert text.index("Pagados, vencidos y cancelados") < text.index(paid.grouped_reference)
    assert others.grouped_reference not in text and "FOLIO-AJENO" not in text
    assert f'datetime="{world.reference.expires_on:%Y-%m-%d}"' in text


def test_mis_pagos_asks_to_sign_in(client):
    response = client.get("/pagos/")
    assert response.status_code == 302 and "/cuenta/entrar/" in response["Location"]


def test_a_pending_reference_waits_for_the_person_in_mi_expediente(world, ana):
    text = text_of(ana.get("/mi-expediente/"))
    assert "Requiere su atención" in text and "Pagos pendientes" in text
    assert world.reference.grouped_reference in text
    assert 'href="/pagos/"' in text


def test_mi_expediente_says_nothing_of_payments_to_someone_who_never_owed_one(db):
    client = Client()
    client.force_login(make_account(email="nadie@example.mx"))
    assert ">Pagos<" not in client.get("/mi-expediente/").content.decode()


# --- the public lookup -----------------------------------------------------------------------------------------------


def test_the_lookup_form_is_public(client, db):
    response = client.get("/pagos/consultar/")
    assert response.status_code == 200 and "Consultar una línea de captura" in text_of(response)


@pytest.mark.parametrize("spacing", ["grouped", "dashes", "plain"])
def test_anyone_sees_status_concept_amount_entity_and_expiry_but_no_personal_data(client, world, spacing):
    reference = world.reference
    typed = {
        "grouped": reference.grouped_reference,
        "dashes": reference.grouped_reference.replace(" ", "-"),
        "plain": f"  {reference.reference} ",
    }[spacing]
    response = client.get("/pagos/consultar/", {"linea": typed})
    assert response.status_code == 200
    text = text_of(response)
    for expected in ("Pendiente de pago", "Expedición del documento", "$1,500.00", world.service.agency.name):
        assert expected in text
    assert f'datetime="{reference.expires_on:%Y-%m-%d}"' in text
    for private in ("Ana Pagadora", "PARA800101", "FOLIO-1", str(reference.public_id)):
        assert private not in text


def test_the_lookup_links_the_payer_to_her_reference(ana, world):
    response = ana.get("/pagos/consultar/", {"linea": world.reference.reference})
    assert page(world.reference) in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Escriba la línea de captura que quiere consultar."),
        ("1234 5678 ABCD", "La línea de captura lleva solo números"),
        ("1234 5678 9012", "La línea de captura tiene 20 dígitos."),
        ("wrong-digit", "Revise la línea de captura: uno de los dígitos no corresponde."),
    ],
)
def test_a_mistyped_reference_is_named_with_a_400(client, world, typed, message):
    if typed == "wrong-digit":
        text = world.reference.reference
        typed = text[:5] + str((int(text[5]) + 1) % 10) + text[6:]
    response = client.get("/pagos/consultar/", {"linea": typed})
    assert response.status_code == 400
    text = text_of(response)
    assert message in text and "govuk-error-summary" in text and 'href="#id_linea"' in text
    assert "<title>Error:" in text


def test_a_well_formed_reference_the_portal_never_issued_is_a_404(client, db):
    text = codes.build_reference("999", "0000000001", dt.date(2026, 12, 31), 150_000)
    response = client.get("/pagos/consultar/", {"linea": text})
    assert response.status_code == 404
    assert "No encontramos esa línea de captura" in text_of(response) and codes.grouped(text) in text_of(response)


def test_the_lookup_is_rate_limited_per_client(client, world, settings):
    settings.PAYMENTS_LOOKUP_RATE_LIMIT = 3
    for _ in range(3):
        assert client.get("/pagos/consultar/", {"linea": world.reference.reference}).status_code == 200
    limited = client.get("/pagos/consultar/", {"linea": world.reference.reference})
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert "Demasiadas consultas" in text_of(limited)
    # The empty form costs nothing: a person can still read how to type one.
    assert client.get("/pagos/consultar/").status_code == 200


# --- a reference's page ----------------------------------------------------------------------------------------------


def test_a_payable_reference_shows_its_breakdown_and_how_to_pay(ana, world):
    response = ana.get(page(world.reference))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    text = text_of(response)
    for expected in (
        world.reference.grouped_reference,
        "$1,500.00",
        "Ley Federal de Derechos, artículo 20",
        world.service.title,
        world.service.agency.name,
        "Folio",
        "FOLIO-1",
        "Pagar en línea con tarjeta",
        "Descargar la hoja de ayuda (PDF)",
        "002180700123456789",
        "Banco del Bienestar",
        "Línea de captura emitida",
    ):
        assert expected in text, expected
    assert f'action="{page(world.reference, "pagar/")}"' in text
    assert f'href="{page(world.reference, "hoja-de-ayuda.pdf")}"' in text


def test_each_showing_of_the_page_draws_a_fresh_idempotency_key(ana, world):
    keys = [
        re.search(r'name="clave" value="([0-9a-f]{32})"', ana.get(page(world.reference)).content.decode()).group(1)
        for _ in range(2)
    ]
    assert keys[0] != keys[1]
    actions.check_idempotency_key(keys[0])


def test_the_pay_form_may_be_sent_on_to_the_providers_hosted_page(ana, world, settings):
    # Chromium checks each redirect of a form's submission against the page's form-action: without the provider's
    # origin there, «Pagar en línea con tarjeta» would stop at the portal's own answer.
    sandbox = {**settings.PAYMENTS_PROVIDERS["sandbox"], "BASE_URL": "http://127.0.0.1:8123"}
    settings.PAYMENTS_PROVIDERS = {**settings.PAYMENTS_PROVIDERS, "sandbox": sandbox}
    policy = ana.get(page(world.reference))["Content-Security-Policy"]
    assert "form-action 'self' http://127.0.0.1:8123;" in policy and "frame-ancestors 'none'" in policy
    stripe = {**settings.PAYMENTS_PROVIDERS["stripe"], "API_BASE": "https://api.stripe.com"}
    settings.PAYMENTS_PROVIDERS = {**settings.PAYMENTS_PROVIDERS, "stripe": stripe}
    world.account.provider = "stripe"
    world.account.save()
    policy = ana.get(page(world.reference))["Content-Security-Policy"]
    assert "form-action 'self' https://checkout.stripe.com;" in policy


def test_an_entity_without_card_payments_offers_only_the_hoja(db):
    world = build_world(accepts_online=False)
    client = Client()
    client.force_login(world.citizen)
    response = client.get(page(world.reference))
    text = text_of(response)
    assert "Pagar en línea con tarjeta" not in text and "Descargar la hoja de ayuda (PDF)" in text
    assert "form-action 'self';" in response["Content-Security-Policy"]


def test_quantity_and_exemption_are_explained_with_their_legal_basis(db):
    service, _fee = make_payable_service(amount=20_000, quantity_question="copias")
    Exemption.objects.create(
        service=service,
        name="Personas adultas mayores",
        legal_basis="Ley de los Derechos de las Personas Adultas Mayores, artículo 5",
        rule=ExemptionRule.ANSWER_EQUALS,
        parameters={"question": "adulto_mayor", "value": "si"},
        percent=50,
    )
    citizen = make_account(email="beto@example.mx")
    reference = issue(service, citizen, answers={"copias": "3", "adulto_mayor": "si"})
    client = Client()
    client.force_login(citizen)
    text = text_of(client.get(page(reference)))
    assert "$200.00 × 3 = $600.00" in text
    assert "− $300.00" in text and "Personas adultas mayores" in text
    assert "Ley de los Derechos de las Personas Adultas Mayores, artículo 5" in text
    assert "$300.00" in text


def test_another_person_gets_a_404_and_a_signed_out_one_is_asked_to_sign_in(world, client):
    stranger = Client()
    stranger.force_login(make_account(email="extrana@example.mx"))
    for suffix in ("", "hoja-de-ayuda.pdf", "recibo.pdf"):
        assert stranger.get(page(world.reference, suffix)).status_code == 404
    assert stranger.post(page(world.reference, "reemitir/")).status_code == 404
    assert client.get(page(world.reference)).status_code == 302


def test_the_entitys_staff_can_see_the_reference_and_other_entities_staff_cannot(world):
    worker = Client()
    worker.force_login(make_staff(world.service.agency, Role.CASE_WORKER))
    assert worker.get(page(world.reference)).status_code == 200
    outsider = Client()
    outsider.force_login(make_staff(make_agency(), Role.FINANCE, email="finanzas@otra.gob.mx"))
    assert outsider.get(page(world.reference)).status_code == 404


def test_an_unknown_reference_is_a_404(ana):
    assert ana.get("/pagos/00000000-0000-0000-0000-000000000000/").status_code == 404


# --- expired: re-issue -----------------------------------------------------------------------------------------------


def test_an_expired_reference_is_reissued_with_the_fee_in_force_today(world, ana):
    old = expired_reference(world.service, world.citizen)
    make_fee(world.service, amount=170_000, valid_from=ledger.local_day() - dt.timedelta(days=1))
    text = text_of(ana.get(page(old)))
    assert "Vencida" in text and "el banco ya no la acepta" in text
    assert "Generar una nueva línea de captura" in text and "Pagar en línea con tarjeta" not in text
    assert ana.get(page(old, "hoja-de-ayuda.pdf")).status_code == 404

    response = ana.post(page(old, "reemitir/"), follow=True)
    new = PaymentReference.objects.get(replaces=old)
    assert response.redirect_chain[-1][0] == page(new)
    text = text_of(response)
    assert "Emitimos una nueva línea de captura con el monto vigente hoy: $1,700.00." in text
    assert new.amount_centavos == 170_000 and new.status == ReferenceStatus.PENDING
    assert "Línea de captura reemitida con el monto vigente" in text and old.grouped_reference in text
    old.refresh_from_db()
    assert old.status == ReferenceStatus.EXPIRED
    assert PaymentEvent.objects.filter(reference=new, kind="reissued", actor=world.citizen).exists()

    # The old page now points at its replacement; pressing again does not make a third one.
    assert page(new) in ana.get(page(old)).content.decode()
    assert ana.post(page(old, "reemitir/")).url == page(new)
    assert PaymentReference.objects.filter(replaces=old).count() == 1


def test_a_paid_reference_cannot_be_reissued(world, ana):
    settle_by_bank(world.reference)
    response = ana.post(page(world.reference, "reemitir/"))
    assert response.status_code == 400
    assert "Esta línea de captura ya no se puede reemitir." in text_of(response)


def test_reissue_takes_only_a_post(world, ana):
    assert ana.get(page(world.reference, "reemitir/")).status_code == 405


# --- paid: the receipt -----------------------------------------------------------------------------------------------


def test_a_paid_reference_shows_when_and_how_and_offers_the_receipt(world, ana, tmp_path):
    assert ana.get(page(world.reference, "recibo.pdf")).status_code == 404
    settle_by_bank(world.reference)
    text = text_of(ana.get(page(world.reference)))
    assert "Pagado" in text and "En ventanilla bancaria" in text and "Pago recibido" in text
    assert "Descargar el recibo de pago (PDF)" in text and "Pagar en línea con tarjeta" not in text
    assert ana.get(page(world.reference, "hoja-de-ayuda.pdf")).status_code == 404

    response = ana.get(page(world.reference, "recibo.pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    data = b"".join(response.streaming_content)
    assert_tagged_pdf(data, "Recibo de pago")
    text = pdf_text(data, tmp_path)
    assert world.reference.grouped_reference in text and "$1,500.00" in text


def test_the_history_names_no_member_of_staff(world, ana):
    settle_by_bank(world.reference)
    finance = make_staff(
        world.service.agency, Role.FINANCE, email="fulana@example.gob.mx", first_name="Fulana", last_name="Finanzas"
    )
    actions.do_request_refund(world.reference.pk, amount=50_000, reason="Se cobró una copia de más.", actor=finance)
    text = text_of(ana.get(page(world.reference)))
    assert "Reembolso hecho" in text and "Se cobró una copia de más." in text and "$500.00" in text
    assert "Fulana" not in text and "Finanzas" not in text and "fulana@" not in text


# --- the hoja de ayuda -----------------------------------------------------------------------------------------------


def test_the_hoja_de_ayuda_is_a_tagged_pdf_with_the_reference_amount_and_channels(world, ana, tmp_path):
    response = ana.get(page(world.reference, "hoja-de-ayuda.pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="hoja-de-ayuda-{world.reference.reference}.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert_tagged_pdf(response.content, "Hoja de ayuda para el pago")
    text = pdf_text(response.content, tmp_path)
    for expected in (
        world.reference.grouped_reference,
        "$1,500.00",
        "Ley Federal de Derechos, artículo 20",
        world.service.agency.name,
        "002180700123456789",
        "En ventanilla bancaria",
        "Por transferencia (SPEI)",
        "En tienda de conveniencia",
        "En línea con tarjeta",
    ):
        assert expected in text, expected


def test_the_hoja_barcode_reads_back_as_the_20_digits_and_the_qr_as_the_page(world, ana, settings, tmp_path):
    settings.PORTAL_BASE_URL = "https://ventanilla.example.mx"
    found = barcodes_in(ana.get(page(world.reference, "hoja-de-ayuda.pdf")).content, tmp_path)
    assert found.get("Code128") == world.reference.reference
    assert found.get("QRCode") == f"https://ventanilla.example.mx{page(world.reference)}"


def test_the_hoja_gives_the_images_alternative_texts(world, ana):
    from portal.payments import hoja

    html = hoja.render_to_string("payments/hoja_pdf.html", hoja.hoja_context(world.reference))
    assert f'alt="Código de barras de la línea de captura {world.reference.reference}"' in html
    assert 'alt="Código QR con la dirección de esta línea de captura en el portal"' in html


# --- paying online: the refusals and the return ----------------------------------------------------------------------


def test_paying_where_cards_are_not_taken_is_refused_with_a_way_to_the_bank(db):
    world = build_world(accepts_online=False)
    client = Client()
    client.force_login(world.citizen)
    response = client.post(page(world.reference, "pagar/"), {"clave": "a" * 32})
    assert response.status_code == 400
    text = text_of(response)
    assert "Esta institución no recibe pagos con tarjeta" in text and "Descargar la hoja de ayuda (PDF)" in text
    assert text.count("Esta institución no recibe pagos con tarjeta") == 1


def test_a_key_reused_for_another_reference_is_a_409(world, ana):
    make_payment(world.reference, status=PaymentStatus.STARTED, key="clave-de-otro-pago")
    other = issue(world.service, world.citizen, label="FOLIO-3")
    response = ana.post(page(other, "pagar/"), {"clave": "clave-de-otro-pago"})
    assert response.status_code == 409
    assert "Esta clave ya se usó para otro pago." in text_of(response)


def test_the_return_after_a_successful_payment_offers_the_receipt_and_says_the_case_goes_on(world, ana):
    settle_by_bank(world.reference)
    payment = make_payment(world.reference, status=PaymentStatus.SUCCESS)
    response = ana.get(f"/pagos/regreso/{payment.public_id}/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Pago recibido" in text and "$1,500.00" in text and world.reference.grouped_reference in text
    assert page(world.reference, "recibo.pdf") in text and "Su trámite continúa" in text


def test_the_return_after_a_payment_that_is_not_an_applications_says_nothing_of_a_case(db):
    service, _fee = make_payable_service()
    citizen = make_account(email="carla@example.mx")
    reference = settle_by_bank(issue(service, citizen, subject="document:constancia-1"))
    payment = make_payment(reference, status=PaymentStatus.SUCCESS)
    client = Client()
    client.force_login(citizen)
    text = text_of(client.get(f"/pagos/regreso/{payment.public_id}/"))
    assert "Pago recibido" in text and "Su trámite continúa" not in text


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (PaymentStatus.FAILED, "El banco rechazó el pago con tarjeta."),
        (PaymentStatus.CANCELLED, "Canceló el pago en la página del banco."),
        (PaymentStatus.EXPIRED, "El pago no se terminó a tiempo"),
    ],
)
def test_the_return_after_a_failed_payment_offers_to_try_again_or_pay_at_the_bank(world, ana, status, words):
    payment = make_payment(world.reference, status=status, provider_payment_id="" if status != "expired" else "x")
    if status == PaymentStatus.EXPIRED:
        payment.provider_payment_id = ""
        payment.save()
    response = ana.get(f"/pagos/regreso/{payment.public_id}/")
    assert response.status_code == 200
    text = text_of(response)
    assert "No se hizo el pago" in text and words in text and "No se le hizo ningún cargo." in text
    assert "Intentar de nuevo" in text and page(world.reference, "hoja-de-ayuda.pdf") in text


def test_the_return_while_the_bank_has_not_answered_asks_to_wait_and_refresh(world, ana):
    payment = make_payment(world.reference, status=PaymentStatus.STARTED)
    text = text_of(ana.get(f"/pagos/regreso/{payment.public_id}/"))
    assert "Su pago está en proceso" in text and "No vuelva a pagar" in text and "Actualizar" in text


def test_the_return_when_the_provider_cannot_be_asked_says_so(world, ana, settings):
    settings.PAYMENTS_PROVIDERS = {}
    payment = make_payment(world.reference, status=PaymentStatus.STARTED, provider_payment_id="pago-1")
    response = ana.get(f"/pagos/regreso/{payment.public_id}/")
    assert response.status_code == 200
    assert "No pudimos confirmar su pago con el banco en este momento." in text_of(response)


def test_the_return_to_an_unknown_payment_is_a_404_with_a_way_on(ana):
    response = ana.get("/pagos/regreso/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert "No encontramos ese pago" in text_of(response) and 'href="/pagos/"' in text_of(response)
