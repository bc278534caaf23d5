"""The sandbox provider's own HTTP service, run as a real process (``payments_sandbox``): its API, hosted page, control
API and state file, spoken to over HTTP as the portal and a person's browser would."""

from __future__ import annotations

import time

import pytest
import requests

BODY = {
    "amount": 152_050,
    "currency": "MXN",
    "reference": "0123456789012345678901234",
    "description": "Expedición de pasaporte ordinario",
    "metadata": {"payment": "abc"},
}
CARD = {"numero": "4242 4242 4242 4242", "vencimiento": "12/39", "cvc": "123", "nombre": "Ana Pérez"}


def _create(sandbox, catcher, key="k-1", **changes):
    body = {
        **BODY,
        "return_url": "http://127.0.0.1:9/pagos/regreso/x/",
        "notification_url": f"{catcher.url}/pagos/notificaciones/sandbox/",
        "expires_at": int(time.time()) + 5400,
        **changes,
    }
    return sandbox.request("POST", "/v1/payments", body, headers={"Idempotency-Key": key})


def test_the_api_refuses_a_request_without_the_api_key(payments_sandbox):
    status, answer = payments_sandbox.request("GET", "/v1/payments/pay_00", auth=False)
    assert status == 401
    assert answer["error"]["code"] == "unauthorized"
    status, _ = payments_sandbox.request(
        "GET", "/v1/payments/pay_00", headers={"Authorization": "Bearer otra"}, auth=False
    )
    assert status == 401


def test_creating_answers_201_then_the_same_payment_for_the_same_key_and_409_for_another_body(
    payments_sandbox, notification_catcher
):
    status, created = _create(payments_sandbox, notification_catcher)
    assert status == 201
    assert created["id"].startswith("pay_")
    assert created["status"] == "created"
    assert created["amount"] == 152_050
    assert created["next_url"] == f"{payments_sandbox.base_url}/pagar/{created['id']}"

    status, again = _create(payments_sandbox, notification_catcher, expires_at=created["expires_at"])
    assert (status, again["id"]) == (200, created["id"])

    status, conflict = _create(payments_sandbox, notification_catcher, expires_at=created["expires_at"], amount=1)
    assert status == 409
    assert conflict["error"]["code"] == "idempotency_conflict"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"amount": 0}, "invalid_amount"),
        ({"amount": "100"}, "invalid_amount"),
        ({"currency": "USD"}, "invalid_currency"),
        ({"reference": ""}, "invalid_reference"),
        ({"return_url": "javascript:alert(1)"}, "invalid_return_url"),
        ({"notification_url": None}, "invalid_notification_url"),
        ({"expires_at": 1}, "invalid_expires_at"),
        ({"metadata": {"n": 1}}, "invalid_metadata"),
    ],
)
def test_a_bad_field_is_refused_with_400_naming_it(payments_sandbox, notification_catcher, changes, code):
    status, answer = _create(payments_sandbox, notification_catcher, **changes)
    assert status == 400
    assert answer["error"]["code"] == code


def test_creating_without_an_idempotency_key_or_with_broken_json_is_refused(payments_sandbox):
    status, answer = payments_sandbox.request("POST", "/v1/payments", BODY)
    assert (status, answer["error"]["code"]) == (400, "invalid_idempotency_key")
    response = requests.post(
        f"{payments_sandbox.base_url}/v1/payments",
        data=b"{not json",
        headers={"Authorization": f"Bearer {payments_sandbox.api_key}", "Idempotency-Key": "x"},
        timeout=5,
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"


def test_the_hosted_page_is_labelled_a_sandbox_shows_the_payment_and_documents_the_test_cards(
    payments_sandbox, notification_catcher
):
    _, created = _create(payments_sandbox, notification_catcher)
    page = requests.get(created["next_url"], timeout=5)
    assert page.status_code == 200
    assert '<html lang="es">' in page.text
    assert "Pasarela de pruebas: no se cobra dinero real" in page.text
    assert page.text.count("<h1>") == 1
    for text in ("$1,520.50 MXN", "Expedición de pasaporte ordinario", BODY["reference"], "Cancelar y volver"):
        assert text in page.text
    for card in ("4242 4242 4242 4242", "4000 0000 0000 0002", "4000 0000 0000 9995", "4000 0000 0000 0119"):
        assert card in page.text
    for label in ('for="numero"', 'for="vencimiento"', 'for="cvc"', 'for="nombre"'):
        assert label in page.text
    _, fetched = payments_sandbox.request("GET", f"/v1/payments/{created['id']}")
    assert fetched["status"] == "started"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"numero": ""}, "Escriba el número de la tarjeta"),
        ({"numero": "4242"}, "debe tener 16 dígitos"),
        ({"numero": "5555 5555 5555 4444"}, "solo acepta las tarjetas de prueba"),
        ({"vencimiento": "13/30"}, "como mes/año"),
        ({"vencimiento": "01/20"}, "La tarjeta está vencida"),
        ({"cvc": "12"}, "código de seguridad de 3 o 4 dígitos"),
        ({"nombre": " "}, "Escriba el nombre"),
    ],
)
def test_a_card_form_with_a_mistake_answers_400_with_the_message_and_decides_nothing(
    payments_sandbox, notification_catcher, changes, message
):
    _, created = _create(payments_sandbox, notification_catcher)
    response = requests.post(created["next_url"], data={**CARD, **changes}, allow_redirects=False, timeout=5)
    assert response.status_code == 400
    assert message in response.text
    assert 'class="summary"' in response.text
    assert "<title>Error: " in response.text
    assert 'name="numero" value=""' in response.text  # a card number is never sent back into the page
    _, fetched = payments_sandbox.request("GET", f"/v1/payments/{created['id']}")
    assert fetched["status"] in ("created", "started")


def test_cancelling_sends_the_person_back_and_a_decided_payment_cannot_be_paid(payments_sandbox, notification_catcher):
    _, created = _create(payments_sandbox, notification_catcher)
    response = requests.post(f"{created['next_url']}/cancelar", allow_redirects=False, timeout=5)
    assert response.status_code == 303
    assert response.headers["Location"] == "http://127.0.0.1:9/pagos/regreso/x/"
    again = requests.post(created["next_url"], data=CARD, allow_redirects=False, timeout=5)
    assert again.status_code == 409
    assert "Este pago ya terminó" in again.text
    page = requests.get(created["next_url"], timeout=5)
    assert "El pago se canceló." in page.text
    assert "Volver al portal" in page.text


def test_a_payment_past_its_time_shows_the_expiry_page_becomes_expired_and_is_announced(
    payments_sandbox, notification_catcher
):
    _, created = _create(payments_sandbox, notification_catcher, expires_at=int(time.time()) + 2)
    time.sleep(2.2)
    page = requests.get(created["next_url"], timeout=5)
    assert page.status_code == 410
    assert "El plazo para pagar terminó" in page.text
    _, fetched = payments_sandbox.request("GET", f"/v1/payments/{created['id']}")
    assert fetched["status"] == "expired"
    caught = notification_catcher.wait_for(1)
    assert [item.json()["type"] for item in caught] == ["payment.expired"]


def test_the_sweeper_expires_a_payment_nobody_looks_at(payments_sandbox, notification_catcher):
    _create(payments_sandbox, notification_catcher, expires_at=int(time.time()) + 1)
    caught = notification_catcher.wait_for(1, timeout=8)
    assert caught[0].json()["type"] == "payment.expired"


def test_the_control_api_expires_and_completes_and_needs_the_api_key(payments_sandbox, notification_catcher):
    _, first = _create(payments_sandbox, notification_catcher, key="a")
    _, second = _create(payments_sandbox, notification_catcher, key="b")
    assert payments_sandbox.request("POST", f"/_control/payments/{first['id']}/expire", auth=False)[0] == 401
    assert payments_sandbox.expire(first["id"])["status"] == "expired"
    completed = payments_sandbox.complete(second["id"], "success")
    assert (completed["status"], completed["fee"]) == ("success", (152_050 * 35 + 500) // 1000 + 300)
    status, answer = payments_sandbox.request(
        "POST", f"/_control/payments/{second['id']}/complete", {"outcome": "failed"}
    )
    assert (status, answer["error"]["code"]) == (409, "already_final")
    status, answer = payments_sandbox.request("POST", "/_control/scenario", {"notifications": "sometimes"})
    assert status == 400


def test_undelivered_notifications_are_retried_then_given_up(payments_sandbox, notification_catcher):
    notification_catcher.answer_with(500, 503)
    _, created = _create(payments_sandbox, notification_catcher, key="a")
    payments_sandbox.complete(created["id"])
    [delivery] = payments_sandbox.wait_for_notifications(1)
    assert [attempt.get("status") for attempt in delivery["attempts"]] == [500, 503, 200]
    assert delivery["delivered"] is True

    notification_catcher.answer_with(500, 500, 500, 500)
    _, other = _create(payments_sandbox, notification_catcher, key="b")
    payments_sandbox.complete(other["id"])
    deliveries = payments_sandbox.wait_for_notifications(2)
    assert len(deliveries[1]["attempts"]) == 4  # the first try and one per retry delay (0.2, 0.4, 0.8 s)
    assert deliveries[1]["delivered"] is False


def test_a_restart_with_the_state_file_keeps_payments_keys_and_scenarios(payments_sandbox, notification_catcher):
    _, created = _create(payments_sandbox, notification_catcher)
    payments_sandbox.scenario("none", payment=created["id"])
    payments_sandbox.restart()
    status, fetched = payments_sandbox.request("GET", f"/v1/payments/{created['id']}")
    assert (status, fetched["status"], fetched["amount"]) == (200, "created", 152_050)
    status, again = _create(payments_sandbox, notification_catcher, expires_at=created["expires_at"])
    assert (status, again["id"]) == (200, created["id"])
    payments_sandbox.complete(created["id"])
    time.sleep(0.5)
    assert notification_catcher.caught == []  # the scenario «none» survived the restart


def test_healthz_and_an_unknown_page(payments_sandbox):
    assert requests.get(f"{payments_sandbox.base_url}/healthz", timeout=5).json() == {"status": "ok"}
    missing = requests.get(f"{payments_sandbox.base_url}/pagar/pay_0000", timeout=5)
    assert missing.status_code == 404
    assert "No encontramos este pago" in missing.text
