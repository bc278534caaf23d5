"""Charging, paying, refunding: the one place every channel (web, counter, provider notifications, bank statements,
the agency API, jobs) goes through (docs/payments.md).

The rules that keep money from being charged twice or lost:

- A reference is settled once. Every payment that arrives is applied under the reference's row lock (always taken
  before any of its payments' rows); the first that matches settles it, a later one is a duplicate that goes to the
  exceptions queue and, when it came by card, is given back automatically.
- Creating an online payment is idempotent by its Idempotency-Key (same key and request within
  ``PAYMENTS_IDEMPOTENCY_HOURS`` → the same payment; same key, other request → ``IdempotencyConflict``, a 409), and a
  reference has at most one unfinished online payment: a second tab resumes the first instead of paying again.
- The provider is called outside any row lock, with the payment's own id as the provider's idempotency key, so a
  retry after a crash finds the payment the provider already made.
- Notifications are verified, recorded once per event id, and may arrive twice, late or before the person returns:
  each only moves a payment forward (``_FORWARD``), so the outcome does not depend on their order.
- Every movement of money is a balanced ledger transaction named by its cause (``ledger.post``).
"""

from __future__ import annotations

# The package's parts, re-exported: other modules call ``actions.do_start_payment`` whichever part it lives in.
from ..providers import UnknownProvider
from ..providers.base import InvalidNotification, ProviderError
from .base import (
    RECEIPT_KIND,
    IdempotencyConflict,
    PaymentError,
    account_of,
    event_row,
    lock_reference,
    record_event,
    reference_closed,
    reference_paid,
    reference_refunded,
    reference_url,
)
from .online import (
    PAID_FIELDS,
    Settlement,
    SettlementPlan,
    _apply_state,
    check_idempotency_key,
    do_receive_notification,
    do_refresh_payment,
    do_start_payment,
    do_sweep,
    exception_row,
    keep_exception,
    ledger_exists,
    plan_settlement,
    raise_exception,
    settle,
)
from .references import (
    do_close_reference,
    do_issue_reference,
    do_reissue_reference,
    do_sync_fees,
    fee_key,
    on_service_published,
    pay_by_date,
)
from .refunds import do_issue_receipt, do_request_refund, issue_receipt, return_duplicate_payment

__all__ = [
    "PAID_FIELDS",
    "RECEIPT_KIND",
    "IdempotencyConflict",
    "InvalidNotification",
    "PaymentError",
    "ProviderError",
    "Settlement",
    "SettlementPlan",
    "UnknownProvider",
    "_apply_state",
    "account_of",
    "check_idempotency_key",
    "do_close_reference",
    "do_issue_receipt",
    "do_issue_reference",
    "do_receive_notification",
    "do_refresh_payment",
    "do_reissue_reference",
    "do_request_refund",
    "do_start_payment",
    "do_sweep",
    "do_sync_fees",
    "event_row",
    "exception_row",
    "fee_key",
    "issue_receipt",
    "keep_exception",
    "ledger_exists",
    "lock_reference",
    "on_service_published",
    "plan_settlement",
    "pay_by_date",
    "raise_exception",
    "record_event",
    "reference_closed",
    "reference_paid",
    "reference_refunded",
    "reference_url",
    "return_duplicate_payment",
    "settle",
]
