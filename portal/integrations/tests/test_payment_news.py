"""An agency's systems hear of its cases' fees: a webhook when a fee is paid or refunded, and the payments on the API's
case sheet."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from portal.applications.actions import payment, submission
from portal.applications.tests.journey_data import citizen, complete_draft, open_form
from portal.integrations.actions import agency_api
from portal.integrations.models import AgencyWebhook, ApiScope, WebhookDelivery, WebhookEvent
from portal.payments import actions as payments
from portal.payments.models import Account, Moment, PaymentReference, PaymentSetting
from portal.payments.tests.factories import make_fee, make_payment_account

pytestmark = pytest.mark.django_db


def charged_case():
    definition = open_form(resolution_days=10)
    make_payment_account(definition.agency)
    make_fee(definition.service, amount=150_000, legal_basis="Ley Federal de Derechos, artículo 5")
    PaymentSetting.objects.create(service=definition.service, moment=Moment.BEFORE_SUBMISSION)
    AgencyWebhook.objects.create(
        agency=definition.agency,
        url="http://127.0.0.1:9/gancho",
        secret="whsec_x",
        events=[WebhookEvent.SUBMITTED, WebhookEvent.PAID, WebhookEvent.REFUNDED],
    )
    user = citizen()
    case = submission.do_submit(complete_draft(user, definition).pk, user, declaration=True)
    return case, PaymentReference.objects.get(subject=payment.payment_subject(case))


def pay_at_bank(reference):
    with transaction.atomic():
        payments.settle(
            payments.lock_reference(reference.pk),
            channel="bank",
            amount=reference.amount_centavos,
            when=timezone.now(),
            external_id="bank:F1",
            debit_account=Account.BANK,
            actor_role="bank",
        )


def test_the_agency_hears_of_a_case_only_once_its_fee_is_paid_and_again_when_refunded():
    case, reference = charged_case()
    assert not WebhookDelivery.objects.exists()
    pay_at_bank(reference)
    assert set(WebhookDelivery.objects.values_list("event", flat=True)) == {"application.submitted", "application.paid"}
    payments.do_request_refund(reference.pk, amount=50_000, reason="Se cobró de más.", actor=None)
    assert WebhookDelivery.objects.filter(event="application.refunded", application=case).count() == 1


def test_the_case_sheet_lists_its_payments(client):
    case, reference = charged_case()
    pay_at_bank(reference)
    _key, token = agency_api.do_create_api_key(case.agency, name="SIAC", scope=ApiScope.READ, actor=None)
    response = client.get(f"/api/agencias/v1/solicitudes/{case.folio}/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    [paid] = response.json()["pagos"]
    assert paid["linea_de_captura"] == reference.reference
    assert (paid["estado"], paid["monto_centavos"], paid["canal"]) == ("paid", 150_000, "bank")
    assert paid["fundamento"] == "Ley Federal de Derechos, artículo 5"
