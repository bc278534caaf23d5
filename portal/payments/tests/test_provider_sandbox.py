"""``SandboxProvider`` against the sandbox running as its own process: what the portal's actions will rely on."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.payments import signatures
from portal.payments.providers import get_provider
from portal.payments.providers.base import InvalidNotification, PaymentRefused, ProviderError
from portal.payments.providers.sandbox import SandboxProvider

CARD = {"vencimiento": "12/39", "cvc": "123", "nombre": "Ana Pérez"}
RETURN_URL = "http://127.0.0.1:9/pagos/regreso/abc/"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _create(provider, catcher, key="key-1", amount=150_000, **changes):
    arguments = {
        "amount_centavos": amount,
        "reference": "0123456789012345678901234",
        "description": "Expedición del documento",
        "return_url": RETURN_URL,
        "notification_url": f"{catcher.url}/pagos/notificaciones/sandbox/",
        "idempotency_key": key,
        "expires_at": (_now() + dt.timedelta(minutes=90)).replace(microsecond=0),
        "metadata": {"payment": "abc"},
        **changes,
    }
    return provider.create_payment(**arguments), arguments


def _pay(next_url: str, number: str) -> requests.Response:
    return requests.post(next_url, data={**CARD, "numero": number}, allow_redirects=False, timeout=5)


def _parse(provider, caught, now=None):
    return provider.parse_notification(caught.headers, caught.body, now=now or _now())


def test_the_adapter_is_built_from_settings_pointed_at_the_sandbox(payments_sandbox):
    provider = get_provider("sandbox")
    assert isinstance(provider, SandboxProvider)
    assert provider.base_url == payments_sandbox.base_url


def test_creation_is_idempotent_and_another_body_under_the_same_key_is_refused(payments_sandbox, notification_catcher):
    provider = get_provider("sandbox")
    created, arguments = _create(provider, notification_catcher)
    assert created.provider_payment_id.startswith("pay_")
    assert created.next_url == f"{payments_sandbox.base_url}/pagar/{created.provider_payment_id}"
    again = provider.create_payment(**arguments)
    assert again == created
    with pytest.raises(PaymentRefused, match="409"):
        provider.create_payment(**{**arguments, "amount_centavos": 1})
    state = provider.fetch_payment(created.provider_payment_id)
    assert (state.status, state.amount_centavos, state.fee_centavos) == ("created", 150_000, 0)


def test_errors_are_sorted_into_retry_later_or_refused(payments_sandbox, notification_catcher):
    wrong_key = SandboxProvider(base_url=payments_sandbox.base_url, api_key="otra", webhook_secrets=["x"])
    with pytest.raises(ProviderError) as raised:
        wrong_key.fetch_payment("pay_00")
    assert not isinstance(raised.value, PaymentRefused)  # credentials: an operator fixes them, then it works
    provider = get_provider("sandbox")
    with pytest.raises(PaymentRefused):
        provider.fetch_payment("pay_0000")  # unknown payment
    with pytest.raises(PaymentRefused):
        _create(provider, notification_catcher, amount=0)
    nobody = SandboxProvider(base_url="http://127.0.0.1:9", api_key="k", webhook_secrets=["x"])
    with pytest.raises(ProviderError):
        nobody.fetch_payment("pay_00")


@pytest.mark.parametrize(
    ("number", "status", "failure_code", "event"),
    [
        ("4242 4242 4242 4242", "success", "", "payment.succeeded"),
        ("4000 0000 0000 0002", "failed", "card_declined", "payment.failed"),
        ("4000 0000 0000 9995", "failed", "insufficient_funds", "payment.failed"),
        ("4000 0000 0000 0119", "error", "processing_error", "payment.failed"),
    ],
)
def test_each_test_card_through_the_hosted_page_decides_notifies_and_returns_the_person(
    payments_sandbox, notification_catcher, number, status, failure_code, event
):
    provider = get_provider("sandbox")
    created, _ = _create(provider, notification_catcher)
    assert requests.get(created.next_url, timeout=5).status_code == 200
    response = _pay(created.next_url, number)
    assert response.status_code == 303
    assert response.headers["Location"] == RETURN_URL

    fee = (150_000 * 35 + 500) // 1000 + 300 if status == "success" else 0
    fetched = provider.fetch_payment(created.provider_payment_id)
    assert (fetched.status, fetched.failure_code, fetched.fee_centavos) == (status, failure_code, fee)

    [caught] = notification_catcher.wait_for(1)
    assert caught.path == "/pagos/notificaciones/sandbox/"
    notification = _parse(provider, caught)
    assert notification.kind == event
    assert notification.event_id.startswith("evt_")
    assert notification.state is not None
    assert notification.state.provider_payment_id == created.provider_payment_id
    assert (notification.state.status, notification.state.failure_code) == (status, failure_code)
    assert notification.state.fee_centavos == fee


def test_cancelling_is_notified_as_cancelled(payments_sandbox, notification_catcher):
    provider = get_provider("sandbox")
    created, _ = _create(provider, notification_catcher)
    requests.post(f"{created.next_url}/cancelar", allow_redirects=False, timeout=5)
    notification = _parse(provider, notification_catcher.wait_for(1)[0])
    assert (notification.kind, notification.state.status) == ("payment.cancelled", "cancelled")


def test_a_tampered_body_an_old_timestamp_or_another_secret_is_refused(payments_sandbox, notification_catcher):
    provider = get_provider("sandbox")
    created, _ = _create(provider, notification_catcher)
    payments_sandbox.complete(created.provider_payment_id)
    [caught] = notification_catcher.wait_for(1)
    assert _parse(provider, caught).state.status == "success"

    tampered = caught.body.replace(b'"success"', b'"failed"')
    with pytest.raises(InvalidNotification, match="does not match"):
        provider.parse_notification(caught.headers, tampered, now=_now())
    with pytest.raises(InvalidNotification, match="replay window"):
        _parse(provider, caught, now=_now() + dt.timedelta(minutes=6))
    stranger = SandboxProvider(base_url=payments_sandbox.base_url, api_key="k", webhook_secrets=["otro-secreto"])
    with pytest.raises(InvalidNotification):
        _parse(stranger, caught)
    with pytest.raises(InvalidNotification):
        provider.parse_notification({}, caught.body, now=_now())
    rotated = SandboxProvider(
        base_url=payments_sandbox.base_url, api_key="k", webhook_secrets=["nuevo", payments_sandbox.webhook_secret]
    )
    assert _parse(rotated, caught).event_id == json.loads(caught.body)["id"]  # the previous secret still verifies


def test_a_duplicate_scenario_sends_the_same_event_twice(payments_sandbox, notification_catcher):
    provider = get_provider("sandbox")
    payments_sandbox.scenario("duplicate")
    created, _ = _create(provider, notification_catcher)
    payments_sandbox.complete(created.provider_payment_id)
    caught = notification_catcher.wait_for(2)
    first, second = (_parse(provider, item) for item in caught)
    assert first.event_id == second.event_id
    assert first.state == second.state
    assert [item["copy"] for item in payments_sandbox.notifications()] == ["original", "duplicate"]


def test_an_out_of_order_scenario_sends_a_stale_started_event_after_the_outcome(payments_sandbox, notification_catcher):
    provider = get_provider("sandbox")
    created, _ = _create(provider, notification_catcher)
    payments_sandbox.scenario("out_of_order", payment=created.provider_payment_id)
    requests.get(created.next_url, timeout=5)
    _pay(created.next_url, "4000 0000 0000 0002")
    final, stale = (_parse(provider, item) for item in notification_catcher.wait_for(2))
    assert (final.kind, final.state.status) == ("payment.failed", "failed")
    assert (stale.kind, stale.state.status) == ("payment.started", "started")
    assert stale.event_id != final.event_id
    assert stale.state.occurred_at <= final.state.occurred_at


def test_a_none_scenario_sends_nothing_and_the_portal_learns_by_asking(payments_sandbox, notification_catcher):
    provider = get_provider("sandbox")
    payments_sandbox.scenario("none")
    created, _ = _create(provider, notification_catcher)
    _pay(created.next_url, "4242 4242 4242 4242")
    time.sleep(0.5)
    assert notification_catcher.caught == []
    assert payments_sandbox.notifications() == []
    assert provider.fetch_payment(created.provider_payment_id).status == "success"


def test_a_late_scenario_delays_the_notification(payments_sandbox, notification_catcher):
    provider = get_provider("sandbox")
    payments_sandbox.scenario("late", delay_seconds=1.5)
    created, _ = _create(provider, notification_catcher)
    payments_sandbox.complete(created.provider_payment_id)
    time.sleep(0.8)
    assert notification_catcher.caught == []
    assert _parse(provider, notification_catcher.wait_for(1)[0]).state.status == "success"


def test_refunds_full_and_partial_are_notified_and_more_than_what_is_left_is_refused(
    payments_sandbox, notification_catcher
):
    provider = get_provider("sandbox")
    created, _ = _create(provider, notification_catcher)
    payments_sandbox.complete(created.provider_payment_id)
    notification_catcher.wait_for(1)
    payment_id = created.provider_payment_id

    partial = provider.refund(provider_payment_id=payment_id, amount_centavos=50_000, idempotency_key="r-1")
    assert partial.provider_refund_id.startswith("re_")
    assert partial.status == "done"
    assert provider.refund(provider_payment_id=payment_id, amount_centavos=50_000, idempotency_key="r-1") == partial
    with pytest.raises(PaymentRefused, match="amount_too_large"):
        provider.refund(provider_payment_id=payment_id, amount_centavos=100_001, idempotency_key="r-2")
    rest = provider.refund(provider_payment_id=payment_id, amount_centavos=100_000, idempotency_key="r-3")
    assert rest.status == "done"
    with pytest.raises(PaymentRefused):
        provider.refund(provider_payment_id=payment_id, amount_centavos=1, idempotency_key="r-4")

    refunds = [_parse(provider, item) for item in notification_catcher.wait_for(3)[1:]]
    assert [(item.kind, item.refund_id, item.refund_status) for item in refunds] == [
        ("refund.succeeded", partial.provider_refund_id, "done"),
        ("refund.succeeded", rest.provider_refund_id, "done"),
    ]
    assert refunds[0].state.provider_payment_id == payment_id


def test_a_refund_the_scenario_fails_is_reported_failed(payments_sandbox, notification_catcher):
    provider = get_provider("sandbox")
    created, _ = _create(provider, notification_catcher)
    payments_sandbox.complete(created.provider_payment_id)
    payments_sandbox.scenario(refunds="fail", payment=created.provider_payment_id)
    refund = provider.refund(provider_payment_id=created.provider_payment_id, amount_centavos=10, idempotency_key="r")
    assert refund.status == "failed"
    notification = _parse(provider, notification_catcher.wait_for(2)[1])
    assert (notification.kind, notification.refund_status) == ("refund.failed", "failed")


def test_a_payment_survives_a_restart_of_the_sandbox(payments_sandbox, notification_catcher):
    provider = get_provider("sandbox")
    created, arguments = _create(provider, notification_catcher)
    payments_sandbox.restart()
    assert provider.fetch_payment(created.provider_payment_id).status == "created"
    assert provider.create_payment(**arguments) == created
    assert _pay(created.next_url, "4242 4242 4242 4242").status_code == 303


@settings(max_examples=300, deadline=None)
@given(header=st.text(), body=st.binary(max_size=64))
def test_any_signature_header_is_verified_or_refused_never_another_error(header, body):
    with contextlib.suppress(InvalidNotification):
        signatures.verify(header, body, ["secreto"], now=_now())


@settings(max_examples=200, deadline=None)
@given(
    parts=st.lists(
        st.tuples(st.sampled_from(["t", "v1", "v0", "", "x"]), st.text(alphabet="0123456789abcdef²=, ", max_size=20)),
        max_size=5,
    )
)
def test_header_shaped_text_is_verified_or_refused_never_another_error(parts):
    header = ",".join(f"{name}={value}" for name, value in parts)
    with contextlib.suppress(InvalidNotification):
        signatures.verify(header, b"{}", ["secreto"], now=_now())


@settings(max_examples=100, deadline=None)
@given(body=st.binary(max_size=200))
def test_a_rightly_signed_body_of_any_bytes_is_parsed_or_refused_never_another_error(body):
    provider = SandboxProvider(base_url="http://127.0.0.1:9", api_key="k", webhook_secrets=["secreto"])
    now = _now()
    header = signatures.signature_header("secreto", int(now.timestamp()), body)
    with contextlib.suppress(InvalidNotification):
        provider.parse_notification({"sandbox-signature": header}, body, now=now)
