"""Charged services: the case waits «pendiente de pago» and moves on by itself, through the status machine, when the
fee arrives by any channel; unpaid, it lapses and money that still arrives is held to be given back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from portal.applications.actions import casework, payment, submission
from portal.applications.models import ApplicationEvent, ApplicationStatus, EventKind
from portal.applications.tests.factories import submitted_application
from portal.notifications.models import Notification
from portal.payments import actions as payments
from portal.payments.models import (
    Account,
    ExceptionKind,
    Exemption,
    ExemptionRule,
    Moment,
    PaymentReference,
    PaymentSetting,
    ReconciliationException,
    ReferenceStatus,
)
from portal.payments.tests.factories import make_fee, make_payment_account

from .backoffice_world import staff
from .journey_data import citizen, complete_draft, open_form

S = ApplicationStatus
pytestmark = pytest.mark.django_db


def charged_form(moment: str = Moment.BEFORE_SUBMISSION, amount: int = 150_000):
    definition = open_form(resolution_days=10)
    make_payment_account(definition.agency)
    make_fee(definition.service, amount=amount)
    PaymentSetting.objects.create(service=definition.service, moment=moment, pay_within_days=5)
    return definition


def pay_at_bank(reference: PaymentReference, *, amount: int | None = None, when=None, folio: str = "B1"):
    with transaction.atomic():
        locked = payments.lock_reference(reference.pk)
        return payments.settle(
            locked,
            channel="bank",
            amount=reference.amount_centavos if amount is None else amount,
            when=when or timezone.now(),
            external_id=f"bank:{folio}",
            debit_account=Account.BANK,
            actor_role="bank",
        )


def test_a_fee_before_submission_holds_the_case_until_it_is_paid_then_the_agency_receives_it(
    django_capture_on_commit_callbacks,
):
    definition = charged_form()
    user = citizen()
    draft = complete_draft(user, definition)
    with django_capture_on_commit_callbacks(execute=True):
        case = submission.do_submit(draft.pk, user, declaration=True)
    case.refresh_from_db()
    assert case.status == S.PENDING_PAYMENT and case.folio and case.due_date is None and case.pay_by
    reference = PaymentReference.objects.get(subject=payment.payment_subject(case))
    assert reference.amount_centavos == 150_000 and reference.subject_label == case.folio
    assert reference.payable_until == case.pay_by
    assert case.acknowledgment_document is None
    notices = set(Notification.objects.values_list("event", flat=True))
    assert "payment.reference_issued" in notices and "application.submitted" not in notices
    assert not ApplicationEvent.objects.filter(application=case, kind=EventKind.PAID).exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert pay_at_bank(reference).outcome == "paid"
    case.refresh_from_db()
    assert case.status == S.SUBMITTED
    assert case.due_date is not None and case.pay_by is None
    kinds = list(ApplicationEvent.objects.filter(application=case).values_list("kind", flat=True))
    assert kinds[-3:] == [EventKind.SUBMITTED, EventKind.PAYMENT_REQUESTED, EventKind.PAID]
    assert Notification.objects.filter(event="application.submitted").exists()
    assert Notification.objects.filter(event="payment.received").exists()
    reference.refresh_from_db()
    assert reference.status == ReferenceStatus.PAID and reference.receipt_document is not None


def test_submitting_twice_while_pending_payment_issues_one_reference():
    definition = charged_form()
    user = citizen()
    draft = complete_draft(user, definition)
    first = submission.do_submit(draft.pk, user, declaration=True)
    second = submission.do_submit(draft.pk, user, declaration=True)
    assert first.folio == second.folio
    assert PaymentReference.objects.filter(subject=payment.payment_subject(first)).count() == 1


def test_an_exempt_applicant_is_received_at_once_and_the_timeline_names_the_exemption():
    definition = charged_form()
    Exemption.objects.create(
        service=definition.service,
        name="Personas con discapacidad",
        legal_basis="Ley Federal de Derechos, artículo 22",
        rule=ExemptionRule.ANSWER_EQUALS,
        parameters={"question": "vive-en-mexico", "value": True},
        percent=100,
    )
    user = citizen()
    case = submission.do_submit(complete_draft(user, definition).pk, user, declaration=True)
    assert case.status == S.SUBMITTED
    event = ApplicationEvent.objects.get(application=case, kind=EventKind.SUBMITTED)
    assert event.data["exemption"] == "Personas con discapacidad" and event.data["discount"] == 150_000
    assert not PaymentReference.objects.exists()


def test_a_fee_after_approval_issues_the_resolution_only_once_paid(django_capture_on_commit_callbacks):
    definition = charged_form(Moment.AFTER_APPROVAL, amount=80_000)
    case = submitted_application(definition.service, status="in_review")
    worker = staff("dictamina@example.mx", case.agency, "case_worker")
    casework.do_resolve(case, worker, True, "Cumple los requisitos.")
    case.refresh_from_db()
    assert case.status == S.PENDING_PAYMENT and case.resolved_at and case.resolution_document is None
    reference = PaymentReference.objects.get(subject=payment.payment_subject(case))
    with django_capture_on_commit_callbacks(execute=True):
        pay_at_bank(reference)
    case.refresh_from_db()
    assert case.status == S.APPROVED and case.resolution_document is not None
    assert case.resolution_document.decision == "approved"


@pytest.mark.parametrize("moment", [Moment.BEFORE_SUBMISSION, Moment.AFTER_APPROVAL])
def test_staff_cannot_resolve_or_question_a_case_waiting_for_its_fee(moment):
    definition = charged_form(moment)
    if moment == Moment.BEFORE_SUBMISSION:
        user = citizen()
        case = submission.do_submit(complete_draft(user, definition).pk, user, declaration=True)
    else:
        case = submitted_application(definition.service, status="in_review")
        casework.do_resolve(case, staff("dictamina@example.mx", case.agency, "case_worker"), True, "Cumple.")
    case.refresh_from_db()
    assert case.status == S.PENDING_PAYMENT
    worker = staff("otra@example.mx", case.agency, "case_worker")
    acts = casework.acts_on_case(worker, case)
    assert not acts.has_decisions and not (acts.can_approve or acts.can_reject or acts.can_request_information)
    for act in (
        lambda: casework.do_resolve(case, worker, True, "Aprobada a mano."),
        lambda: casework.do_resolve(case, worker, False, "Rechazada a mano."),
        lambda: casework.do_request_information(case, worker, "Falta algo."),
    ):
        with pytest.raises(casework.CaseworkRefused, match="espera el pago de derechos"):
            act()
    case.refresh_from_db()
    assert case.status == S.PENDING_PAYMENT and case.resolution_document is None


def test_an_unpaid_case_lapses_and_a_late_payment_is_held_to_be_given_back():
    definition = charged_form()
    user = citizen()
    case = submission.do_submit(complete_draft(user, definition).pk, user, declaration=True)
    case.refresh_from_db()
    later = timezone.now() + dt.timedelta(days=30)
    assert payment.do_lapse_unpaid(now=later) == 1
    case.refresh_from_db()
    assert case.status == S.PAYMENT_LAPSED
    reference = PaymentReference.objects.get(subject=payment.payment_subject(case))
    assert reference.status == ReferenceStatus.CANCELLED
    assert pay_at_bank(reference, when=later).outcome == ExceptionKind.DUPLICATE_PAYMENT
    assert ReconciliationException.objects.filter(reference=reference).exists()
    case.refresh_from_db()
    assert case.status == S.PAYMENT_LAPSED
