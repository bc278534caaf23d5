"""Charged services: the case waits «pendiente de pago» and moves on by itself when the fee is paid (docs/payments.md,
«Cuándo se paga»).

- **Before submission**: sending the form gives the case its folio and a línea de captura; the agency receives it
  (its legal deadline starts, its webhooks fire, the acuse is issued) on the day the payment arrives. Unpaid after
  ``pay_within_days`` business days, it is cancelled for lack of payment.
- **After approval**: the case worker's approval is recorded (the agency answered in time) and the fee is asked;
  the resolution document is issued when it is paid. Unpaid, the approval lapses the same way.

A fully exempt person (the law's discount is 100%) pays nothing and the case goes on at once; the exemption and its
legal basis are recorded on the timeline.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from portal.core.business_days import add_business_days
from portal.core.templatetags.portal import pesos
from portal.payments import actions as payments
from portal.payments import queries as payment_queries

from ..models import ActorRole, Application, ApplicationStatus, EventKind
from ..notices import do_notify_applicant
from .transitions import do_record_event, do_transition, lock_application

logger = logging.getLogger(__name__)
S = ApplicationStatus
SUBJECT_PREFIX = "application:"
BEFORE_SUBMISSION = "before_submission"
AFTER_APPROVAL = "after_approval"


def payment_subject(application: Application) -> str:
    return application.payment_subject


def application_of_subject(subject: str) -> Application | None:
    if not subject.startswith(SUBJECT_PREFIX):
        return None
    try:
        public_id = uuid.UUID(subject.removeprefix(SUBJECT_PREFIX))
    except ValueError:
        return None
    return Application.objects.filter(public_id=public_id).first()


def fee_due(application: Application, moment: str, today: dt.date) -> payment_queries.Quote | None:
    """What the applicant owes at ``moment`` (``None`` when the service charges nothing then)."""
    if payment_queries.payment_moment(application.service_id) != moment:
        return None
    try:
        return payment_queries.quote_for(
            application.service_id, application.answers or {}, curp=application.applicant_curp, on=today
        )
    except payment_queries.NoFee:
        return None


def exemption_data(quote: payment_queries.Quote) -> dict[str, Any]:
    return {
        "exemption": quote.exemption.name if quote.exemption else "",
        "exemption_basis": quote.exemption.legal_basis if quote.exemption else "",
        "gross": quote.gross_centavos,
        "discount": quote.discount_centavos,
    }


def request_payment(
    locked: Application,
    quote: payment_queries.Quote,
    *,
    today: dt.date,
    actor: Any,
    actor_role: str,
    kind: str,
    reason: str = "",
    data: dict[str, Any] | None = None,
    update_fields: tuple[str, ...] = (),
) -> Any:
    """Move the locked case to «pendiente de pago», issue its línea de captura and tell the applicant."""
    pay_by = payments.pay_by_date(locked.service_id, today)
    reference = payments.do_issue_reference(
        quote=quote,
        agency_id=locked.agency_id,
        subject=payment_subject(locked),
        subject_label=locked.folio or "",
        payer=locked.applicant,
        payer_name=locked.applicant_name,
        payer_curp=locked.applicant_curp,
        pay_by=pay_by,
        actor=actor,
        actor_role="payer" if actor_role == ActorRole.APPLICANT else "system",
    )
    locked.pay_by = pay_by
    do_transition(
        locked,
        S.PENDING_PAYMENT,
        actor=actor,
        actor_role=actor_role,
        kind=kind,
        reason=reason,
        data={**(data or {}), "reference": reference.reference, "amount": reference.amount_centavos},
        update_fields=("pay_by", *update_fields),
    )
    do_record_event(
        locked,
        EventKind.PAYMENT_REQUESTED,
        actor_role=ActorRole.SYSTEM,
        data={
            "reference": reference.reference,
            "reference_id": str(reference.public_id),
            "amount": reference.amount_centavos,
            "pay_by": pay_by.isoformat(),
            **exemption_data(quote),
        },
    )
    do_notify_applicant(
        locked,
        "payment.reference_issued",
        {
            "name": (locked.applicant.first_name if locked.applicant else "") or locked.applicant_name.split(" ")[0],
            "concept": reference.concept,
            "amount": pesos(reference.amount_centavos),
            "reference": reference.grouped_reference,
            "expires_on": reference.expires_on,
            "url": payments.reference_url(reference),
        },
        f"application:{locked.pk}:payment:{reference.pk}",
    )
    return reference


def on_reference_paid(sender: Any, reference: Any, **kwargs: Any) -> None:
    """The fee of a case arrived (in the payment's own transaction): the case moves on through the status machine."""
    application = application_of_subject(reference.subject)
    if application is None:
        return
    locked = lock_application(application.pk)
    data = {
        "reference": reference.reference,
        "amount": reference.paid_centavos,
        "channel": reference.paid_channel,
    }
    if locked.status != S.PENDING_PAYMENT:
        do_record_event(locked, EventKind.PAID, actor_role=ActorRole.SYSTEM, data=data)
        return
    if locked.resolved_at is not None:
        _approve_after_payment(locked, data)
    else:
        _receive_after_payment(locked, data, reference.paid_at or timezone.now())


def _receive_after_payment(locked: Application, data: dict[str, Any], paid_at: dt.datetime) -> None:
    from .submission import after_received, local_today  # here: submission imports this module

    today = local_today(paid_at)
    locked.due_date = add_business_days(today, locked.service.resolution_days)
    locked.pay_by = None
    do_transition(
        locked,
        S.SUBMITTED,
        actor_role=ActorRole.SYSTEM,
        kind=EventKind.PAID,
        data={**data, "due_date": locked.due_date.isoformat()},
        update_fields=("due_date", "pay_by"),
    )
    after_received(locked)


def _approve_after_payment(locked: Application, data: dict[str, Any]) -> None:
    from .casework import finish_approval  # here: casework imports this module

    locked.pay_by = None
    finish_approval(locked, data)


def on_reference_refunded(sender: Any, reference: Any, refund: Any, **kwargs: Any) -> None:
    application = application_of_subject(reference.subject)
    if application is None:
        return
    do_record_event(
        application,
        EventKind.REFUNDED,
        actor_role=ActorRole.CASE_WORKER,
        reason=refund.reason,
        data={"reference": reference.reference, "amount": refund.amount_centavos},
    )


def do_lapse_unpaid(*, now: dt.datetime | None = None) -> int:
    """Cancel cases whose fee was not paid by ``pay_by`` (not while someone is paying online); their reference is
    cancelled, so money that still arrives is held and given back (docs/payments.md)."""
    from .submission import local_today  # here: submission imports this module

    moment = now or timezone.now()
    today = local_today(moment)
    lapsed = 0
    due = Application.objects.filter(status=S.PENDING_PAYMENT, pay_by__lt=today).values_list("pk", flat=True)
    for application_id in list(due[:500]):
        with transaction.atomic():
            locked = lock_application(application_id)
            if locked.status != S.PENDING_PAYMENT or locked.pay_by is None or locked.pay_by >= today:
                continue
            subject = payment_subject(locked)
            if payment_queries.has_unfinished_payment(subject, now=moment):
                continue
            if payment_queries.is_subject_paid(subject):
                continue  # the payment's own transaction moves it; never lapse a paid case
            reference = payment_queries.current_reference(subject)
            if reference is not None and reference.status == "pending":
                payments.do_close_reference(
                    reference.pk, to_status="cancelled", reason="plazo de pago vencido", now=moment
                )
            do_transition(
                locked,
                S.PAYMENT_LAPSED,
                actor_role=ActorRole.SYSTEM,
                kind=EventKind.PAYMENT_LAPSED,
                data={"pay_by": locked.pay_by.isoformat()},
            )
            lapsed += 1
    if lapsed:
        logger.info("event=applications_payment_lapsed count=%s", lapsed)
    return lapsed
