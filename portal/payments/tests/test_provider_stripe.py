"""``StripeProvider`` against the local fake of Stripe's HTTP API (``testing/fake_stripe.py``, fixture
``fake_stripe``): the requests it makes in Stripe's shape, and the webhooks it reads."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from pathlib import Path

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.payments.providers import get_provider
from portal.payments.providers.base import InvalidNotification, PaymentRefused, ProviderError
from portal.payments.providers.stripe import StripeProvider
from portal.payments.signatures import sign

RETURN_URL = "http://127.0.0.1:9/pagos/regreso/abc/"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _create(provider, key="key-1", amount=150_000, **changes):
    arguments = {
        "amount_centavos": amount,
        "reference": "0123456789012345678901234",
        "description": "Expedición del documento",
        "return_url": RETURN_URL,
        "notification_url": "http://127.0.0.1:9/pagos/notificaciones/stripe/",
        "idempotency_key": key,
        "expires_at": (_now() + dt.timedelta(minutes=90)).replace(microsecond=0),
        "metadata": {"payment": "abc"},
        **changes,
    }
    return provider.create_payment(**arguments), arguments


def _pay(next_url: str, card: str) -> requests.Response:
    return requests.post(next_url, data={"cardNumber": card, "action": "pay"}, allow_redirects=False, timeout=5)


def _webhook(fake, provider, index=-1, now=None):
    record = fake.events[index]
    body = record["body"]
    return provider.parse_notification(fake.signed(body), body, now=now or _now())


@pytest.fixture
def stripe(fake_stripe, notification_catcher) -> StripeProvider:
    fake_stripe.webhook_url = f"{notification_catcher.url}/pagos/notificaciones/stripe/"
    provider = get_provider("stripe")
    assert isinstance(provider, StripeProvider)
    return provider


def test_a_checkout_session_is_created_in_stripes_shape_and_idempotently(fake_stripe, stripe):
    created, arguments = _create(stripe)
    assert created.provider_payment_id.startswith("cs_test_")
    assert created.next_url == f"{fake_stripe.url}/pay/{created.provider_payment_id}"
    session = fake_stripe.sessions[created.provider_payment_id]
    assert session["amount_total"] == 150_000
    assert session["currency"] == "mxn"
    assert session["client_reference_id"] == "0123456789012345678901234"
    assert session["success_url"] == session["cancel_url"] == RETURN_URL
    assert session["expires_at"] == int(arguments["expires_at"].timestamp())
    assert session["metadata"] == {"reference": "0123456789012345678901234", "payment": "abc"}
    assert session["_name"] == "Expedición del documento"

    assert stripe.create_payment(**arguments) == created
    assert len(fake_stripe.sessions) == 1
    with pytest.raises(PaymentRefused, match="idempotency_error"):
        stripe.create_payment(**{**arguments, "amount_centavos": 1})
    state = stripe.fetch_payment(created.provider_payment_id)
    assert (state.status, state.amount_centavos) == ("created", 150_000)


def test_errors_are_sorted_into_retry_later_or_refused(fake_stripe, stripe):
    with pytest.raises(PaymentRefused, match="resource_missing"):
        stripe.fetch_payment("cs_test_00")
    wrong = StripeProvider(api_base=fake_stripe.url, secret_key="sk_test_otra", webhook_secrets=["x"])
    with pytest.raises(ProviderError) as raised:
        wrong.fetch_payment("cs_test_00")
    assert not isinstance(raised.value, PaymentRefused)
    unconfigured = StripeProvider(api_base=fake_stripe.url, secret_key="", webhook_secrets=[])
    with pytest.raises(ProviderError, match="STRIPE_SECRET_KEY"):
        _create(unconfigured)
    with pytest.raises(PaymentRefused, match="expires_at"):
        _create(stripe, expires_at=_now() + dt.timedelta(minutes=5))


def test_paying_with_the_approving_card_is_a_success_with_stripes_fee_and_a_signed_webhook(
    fake_stripe, stripe, notification_catcher
):
    created, _ = _create(stripe)
    response = _pay(created.next_url, "4242 4242 4242 4242")
    assert (response.status_code, response.headers["Location"]) == (303, RETURN_URL)

    state = stripe.fetch_payment(created.provider_payment_id)
    assert (state.status, state.fee_centavos, state.failure_code) == ("success", (150_000 * 36 + 500) // 1000 + 300, "")
    [caught] = notification_catcher.wait_for(1)
    assert caught.path == "/pagos/notificaciones/stripe/"
    notification = stripe.parse_notification(caught.headers, caught.body, now=_now())
    assert notification.kind == "checkout.session.completed"
    assert (notification.state.provider_payment_id, notification.state.status) == (
        created.provider_payment_id,
        "success",
    )


@pytest.mark.parametrize(
    ("card", "failure_code"),
    [
        ("4000 0000 0000 0002", "generic_decline"),
        ("4000 0000 0000 9995", "insufficient_funds"),
        ("4000 0000 0000 0119", "processing_error"),
    ],
)
def test_a_declined_card_leaves_the_session_open_for_another_card(fake_stripe, stripe, card, failure_code):
    created, _ = _create(stripe)
    assert _pay(created.next_url, card).status_code == 400
    state = stripe.fetch_payment(created.provider_payment_id)
    assert (state.status, state.failure_code, state.fee_centavos) == ("started", failure_code, 0)
    assert fake_stripe.events == []
    assert _pay(created.next_url, "4242424242424242").status_code == 303
    assert stripe.fetch_payment(created.provider_payment_id).status == "success"


def test_an_expired_session_is_expired_by_fetch_and_by_webhook(fake_stripe, stripe):
    created, _ = _create(stripe)
    fake_stripe.expire(created.provider_payment_id)
    assert stripe.fetch_payment(created.provider_payment_id).status == "expired"
    notification = _webhook(fake_stripe, stripe)
    assert (notification.kind, notification.state.status) == ("checkout.session.expired", "expired")


def test_asynchronous_payment_events_map_to_success_and_failure(fake_stripe, stripe):
    created, _ = _create(stripe)
    session = {**fake_stripe._public(fake_stripe.sessions[created.provider_payment_id]), "status": "complete"}
    for kind, status in (
        ("checkout.session.completed", "started"),  # completed, unpaid: a voucher on its way
        ("checkout.session.async_payment_succeeded", "success"),
        ("checkout.session.async_payment_failed", "failed"),
    ):
        body = fake_stripe.event(kind, session)
        notification = stripe.parse_notification(fake_stripe.signed(body), body, now=_now())
        assert (notification.kind, notification.state.status) == (kind, status)


def test_a_webhook_tampered_old_or_signed_with_another_secret_is_refused(fake_stripe, stripe):
    created, _ = _create(stripe)
    fake_stripe.complete(created.provider_payment_id)
    body = fake_stripe.events[-1]["body"]
    assert stripe.parse_notification(fake_stripe.signed(body), body, now=_now()).state.status == "success"
    with pytest.raises(InvalidNotification, match="does not match"):
        stripe.parse_notification(fake_stripe.signed(body), body.replace(b"150000", b"1"), now=_now())
    old = int(_now().timestamp()) - 600
    with pytest.raises(InvalidNotification, match="replay window"):
        stripe.parse_notification(fake_stripe.signed(body, timestamp=old), body, now=_now())
    with pytest.raises(InvalidNotification):
        stripe.parse_notification(fake_stripe.signed(body, secret="whsec_otro"), body, now=_now())
    # Stripe's header may carry a v0 and several v1 (during a secret's rotation): any matching v1 verifies.
    header = fake_stripe.signed(body)["Stripe-Signature"]
    rotated = f"{header.split(',')[0]},v1={'0' * 64},{header.split(',')[1]},v0=abc"
    assert (
        stripe.parse_notification({"stripe-signature": rotated}, body, now=_now()).kind == "checkout.session.completed"
    )


def test_refunds_full_and_partial_through_the_payment_intent_and_over_refund_refused(fake_stripe, stripe):
    created, _ = _create(stripe)
    payment_id = created.provider_payment_id
    with pytest.raises(PaymentRefused, match="no payment to refund"):
        stripe.refund(provider_payment_id=payment_id, amount_centavos=1, idempotency_key="r-0")
    fake_stripe.complete(payment_id)

    partial = stripe.refund(provider_payment_id=payment_id, amount_centavos=50_000, idempotency_key="r-1")
    assert partial.provider_refund_id.startswith("re_")
    assert partial.status == "done"
    assert stripe.refund(provider_payment_id=payment_id, amount_centavos=50_000, idempotency_key="r-1") == partial
    with pytest.raises(PaymentRefused, match="greater than unrefunded amount"):
        stripe.refund(provider_payment_id=payment_id, amount_centavos=100_001, idempotency_key="r-2")
    rest = stripe.refund(provider_payment_id=payment_id, amount_centavos=100_000, idempotency_key="r-3")
    with pytest.raises(PaymentRefused, match="charge_already_refunded"):
        stripe.refund(provider_payment_id=payment_id, amount_centavos=1, idempotency_key="r-4")
    refund = fake_stripe.refunds[rest.provider_refund_id]
    assert refund["amount"] == 100_000
    assert refund["payment_intent"] == fake_stripe.sessions[payment_id]["payment_intent"]

    kinds = [record["event"]["type"] for record in fake_stripe.events]
    assert kinds == ["checkout.session.completed", *["refund.created", "charge.refunded"] * 2]
    created_event = _webhook(fake_stripe, stripe, index=-2)
    assert (created_event.kind, created_event.refund_id, created_event.refund_status) == (
        "refund.created",
        rest.provider_refund_id,
        "done",
    )
    charge_event = _webhook(fake_stripe, stripe, index=-1)
    assert (charge_event.kind, charge_event.refund_id) == ("charge.refunded", rest.provider_refund_id)


def test_a_failed_refund_event_is_read_as_failed(fake_stripe, stripe):
    body = fake_stripe.event("refund.updated", {"id": "re_1", "object": "refund", "status": "failed", "amount": 5})
    notification = stripe.parse_notification(fake_stripe.signed(body), body, now=_now())
    assert (notification.refund_id, notification.refund_status) == ("re_1", "failed")


def test_an_event_type_the_portal_does_not_use_is_verified_and_left_alone(fake_stripe, stripe):
    body = fake_stripe.event("customer.created", {"id": "cus_1", "object": "customer"})
    notification = stripe.parse_notification(fake_stripe.signed(body), body, now=_now())
    assert (notification.kind, notification.state, notification.refund_id) == ("customer.created", None, "")


@settings(max_examples=100, deadline=None)
@given(
    body=st.one_of(
        st.binary(max_size=200), st.dictionaries(st.text(max_size=8), st.none()).map(json.dumps).map(str.encode)
    )
)
def test_a_rightly_signed_body_of_anything_is_parsed_or_refused_never_another_error(body):
    provider = StripeProvider(api_base="http://127.0.0.1:9", secret_key="sk", webhook_secrets=["whsec"])
    now = _now()
    fake_headers = {"Stripe-Signature": f"t={int(now.timestamp())},v1=" + sign("whsec", int(now.timestamp()), body)}
    with contextlib.suppress(InvalidNotification):
        provider.parse_notification(fake_headers, body, now=now)


def test_the_fake_stripe_is_imported_by_no_production_module():
    root = Path(__file__).resolve().parents[3]
    importers = [
        str(path.relative_to(root))
        for path in root.glob("portal/**/*.py")
        if "tests" not in path.parts and re.search(r"^\s*(from|import) testing\b", path.read_text(), re.MULTILINE)
    ]
    assert importers == []
