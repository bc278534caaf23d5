"""The sandbox's payments, refunds, idempotency keys and scenarios, in memory and (with ``--state``) in a JSON file.

Every change happens under one lock and is written to the file before the answer goes out, so a sandbox killed and
started again with the same file still knows every payment it created and every key it was given. Deliveries of
notifications in flight are not kept: a restart is a provider outage, and the portal learns by asking.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

JSON = dict[str, Any]

#: The sandbox's fee on a successful payment: 3.5 % plus 3 pesos, rounded half up to the centavo.
FEE_PERCENT_TENTHS = 35
FEE_FIXED_CENTAVOS = 300
#: Payments created without ``expires_at`` expire after this many seconds (GOV.UK Pay's 90 minutes).
DEFAULT_EXPIRY_SECONDS = 90 * 60
#: An Idempotency-Key binds for this long.
IDEMPOTENCY_SECONDS = 24 * 3600

FINAL = frozenset({"success", "failed", "cancelled", "expired", "error"})
NOTIFICATION_MODES = ("normal", "duplicate", "out_of_order", "none", "late")
REFUND_MODES = ("succeed", "fail")
OUTCOMES: dict[str, tuple[str, str]] = {
    # outcome: (status, failure_code)
    "success": ("success", ""),
    "failed": ("failed", "card_declined"),
    "card_declined": ("failed", "card_declined"),
    "insufficient_funds": ("failed", "insufficient_funds"),
    "processing_error": ("error", "processing_error"),
}
EVENT_OF_STATUS = {
    "success": "payment.succeeded",
    "failed": "payment.failed",
    "error": "payment.failed",
    "cancelled": "payment.cancelled",
    "expired": "payment.expired",
}
PUBLIC_FIELDS = (
    "id",
    "status",
    "amount",
    "currency",
    "reference",
    "description",
    "fee",
    "failure_code",
    "refunded",
    "metadata",
    "created",
    "updated",
    "expires_at",
    "next_url",
)


class ApiError(Exception):
    """A request the sandbox refuses: its HTTP status, a machine code and a Spanish message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def sandbox_fee(amount: int) -> int:
    return (amount * FEE_PERCENT_TENTHS + 500) // 1000 + FEE_FIXED_CENTAVOS


def public(payment: JSON) -> JSON:
    """The payment as the API shows it (no return or notification address, no history)."""
    return {name: payment.get(name) for name in PUBLIC_FIELDS}


def _fingerprint(body: JSON) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _is_url(value: object) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://")) and len(value) <= 2000


def validate_payment_body(body: object, now: int) -> JSON:
    """The body of POST /v1/payments, checked field by field (each refusal names its field)."""
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_body", "El cuerpo debe ser un objeto JSON.")
    amount = body.get("amount")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0 or amount > 10**12:
        raise ApiError(400, "invalid_amount", "amount debe ser un entero positivo de centavos.")
    if body.get("currency", "MXN") != "MXN":
        raise ApiError(400, "invalid_currency", "La pasarela de pruebas solo cobra en MXN.")
    reference = body.get("reference")
    if not isinstance(reference, str) or not reference.strip() or len(reference) > 64:
        raise ApiError(400, "invalid_reference", "reference es obligatoria (hasta 64 caracteres).")
    description = body.get("description", "")
    if not isinstance(description, str) or len(description) > 500:
        raise ApiError(400, "invalid_description", "description debe ser texto de hasta 500 caracteres.")
    for name in ("return_url", "notification_url"):
        if not _is_url(body.get(name)):
            raise ApiError(400, f"invalid_{name}", f"{name} debe ser una dirección http:// o https://.")
    expires_at = body.get("expires_at", now + DEFAULT_EXPIRY_SECONDS)
    if not isinstance(expires_at, int) or isinstance(expires_at, bool) or expires_at <= now:
        raise ApiError(400, "invalid_expires_at", "expires_at debe ser un instante Unix futuro.")
    metadata = body.get("metadata", {})
    if not isinstance(metadata, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in metadata.items()
    ):
        raise ApiError(400, "invalid_metadata", "metadata debe ser un objeto de textos.")
    return {
        "amount": amount,
        "currency": "MXN",
        "reference": reference,
        "description": description,
        "return_url": body["return_url"],
        "notification_url": body["notification_url"],
        "expires_at": expires_at,
        "metadata": metadata,
    }


class Store:
    """The sandbox's whole state. ``emit(event_type, payment, data)`` is called (under the lock, after the change is
    saved) for every event a notification should announce; the notifier decides, by scenario, what it sends."""

    def __init__(self, base_url: str, path: Path | None = None, clock: Callable[[], float] = time.time) -> None:
        self.base_url = base_url.rstrip("/")
        self.path = path
        self.clock = clock
        self.lock = threading.RLock()
        self.payments: dict[str, JSON] = {}
        self.refunds: dict[str, JSON] = {}
        self.keys: dict[str, JSON] = {}  # "<scope>:<Idempotency-Key>" → {"fingerprint", "id", "at"}
        self.scenarios: dict[str, JSON] = {}  # payment id or "*" → {"notifications", "delay_seconds", "refunds"}
        self.emit: Callable[[str, JSON, JSON], None] = lambda event_type, payment, data: None
        if path is not None and path.exists():
            saved = json.loads(path.read_text(encoding="utf-8"))
            self.payments = saved.get("payments", {})
            self.refunds = saved.get("refunds", {})
            self.keys = saved.get("keys", {})
            self.scenarios = saved.get("scenarios", {})

    def now(self) -> int:
        return int(self.clock())

    def _save(self) -> None:
        if self.path is None:
            return
        state = {"payments": self.payments, "refunds": self.refunds, "keys": self.keys, "scenarios": self.scenarios}
        # Written beside the file and renamed over it: a sandbox killed mid-write leaves the old file whole.
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".sandbox-state-")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(state, stream)
        os.replace(temporary, self.path)

    # --- idempotency ---------------------------------------------------------------------------------------------

    def _remembered(self, scope: str, key: str, fingerprint: str) -> str | None:
        """The id a key already made with the same body; ``None`` for a new (or forgotten) key; 409 for another body."""
        if not key or len(key) > 255:
            raise ApiError(
                400, "invalid_idempotency_key", "Falta el encabezado Idempotency-Key (hasta 255 caracteres)."
            )
        entry = self.keys.get(f"{scope}:{key}")
        if entry is None or entry["at"] < self.now() - IDEMPOTENCY_SECONDS:
            return None
        if entry["fingerprint"] != fingerprint:
            raise ApiError(409, "idempotency_conflict", "Esta Idempotency-Key ya se usó con otro cuerpo.")
        return str(entry["id"])

    def _remember(self, scope: str, key: str, fingerprint: str, made: str) -> None:
        self.keys[f"{scope}:{key}"] = {"fingerprint": fingerprint, "id": made, "at": self.now()}

    # --- payments ------------------------------------------------------------------------------------------------

    def create(self, body: object, idempotency_key: str) -> tuple[JSON, bool]:
        """Create a payment, or give back the one the same key and body made (``created`` is then False)."""
        with self.lock:
            now = self.now()
            fingerprint = _fingerprint(body) if isinstance(body, dict) else ""
            existing = self._remembered("payments", idempotency_key, fingerprint)
            if existing is not None:
                return self.payments[existing], False
            fields = validate_payment_body(body, now)
            payment_id = f"pay_{secrets.token_hex(12)}"
            payment: JSON = {
                "id": payment_id,
                "status": "created",
                **fields,
                "fee": 0,
                "failure_code": "",
                "refunded": 0,
                "created": now,
                "updated": now,
                "started": None,
                "next_url": f"{self.base_url}/pagar/{payment_id}",
            }
            self.payments[payment_id] = payment
            self._remember("payments", idempotency_key, fingerprint, payment_id)
            self._save()
            return payment, True

    def get(self, payment_id: str) -> JSON:
        """The payment, expired first if its time is up (expiry happens on whichever of the API, the page or the
        sweeper looks first)."""
        with self.lock:
            payment = self.payments.get(payment_id)
            if payment is None:
                raise ApiError(404, "not_found", "No existe ese pago.")
            if payment["status"] not in FINAL and payment["expires_at"] <= self.now():
                self._finish(payment, "expired", "")
            return payment

    def start(self, payment_id: str) -> JSON:
        """The person opened the payment page."""
        with self.lock:
            payment = self.get(payment_id)
            if payment["status"] == "created":
                payment["status"] = "started"
                payment["started"] = payment["updated"] = self.now()
                self._save()
            return payment

    def finish(self, payment_id: str, outcome: str) -> JSON:
        """Decide a payment: an ``OUTCOMES`` key (a test card's verdict), ``cancelled`` or ``expired``. A payment
        already decided stays as it was (409)."""
        with self.lock:
            payment = self.get(payment_id)
            if payment["status"] in FINAL:
                raise ApiError(409, "already_final", f"El pago ya terminó ({payment['status']}).")
            if outcome in ("cancelled", "expired"):
                status, failure_code = outcome, ""
            elif outcome in OUTCOMES:
                status, failure_code = OUTCOMES[outcome]
            else:
                raise ApiError(400, "invalid_outcome", "outcome debe ser success o failed.")
            self._finish(payment, status, failure_code)
            return payment

    def _finish(self, payment: JSON, status: str, failure_code: str) -> None:
        payment["status"] = status
        payment["failure_code"] = failure_code
        payment["fee"] = sandbox_fee(payment["amount"]) if status == "success" else 0
        payment["updated"] = self.now()
        self._save()
        self.emit(EVENT_OF_STATUS[status], payment, public(payment))

    def expire_due(self) -> None:
        with self.lock:
            for payment_id, payment in list(self.payments.items()):
                if payment["status"] not in FINAL and payment["expires_at"] <= self.now():
                    self.get(payment_id)

    # --- refunds -------------------------------------------------------------------------------------------------

    def refund(self, payment_id: str, body: object, idempotency_key: str) -> tuple[JSON, bool]:
        with self.lock:
            payment = self.get(payment_id)
            fingerprint = _fingerprint({"payment": payment_id, "body": body})
            existing = self._remembered("refunds", idempotency_key, fingerprint)
            if existing is not None:
                return self.refunds[existing], False
            amount = body.get("amount") if isinstance(body, dict) else None
            if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
                raise ApiError(400, "invalid_amount", "amount debe ser un entero positivo de centavos.")
            if payment["status"] != "success":
                raise ApiError(400, "not_refundable", "Solo se devuelve un pago exitoso.")
            left = payment["amount"] - payment["refunded"]
            if amount > left:
                raise ApiError(400, "amount_too_large", f"Solo quedan {left} centavos por devolver de este pago.")
            fails = self.scenario_for(payment_id).get("refunds") == "fail"
            refund: JSON = {
                "id": f"re_{secrets.token_hex(12)}",
                "payment": payment_id,
                "status": "failed" if fails else "succeeded",
                "amount": amount,
                "created": self.now(),
            }
            if not fails:
                payment["refunded"] += amount
                payment["updated"] = self.now()
            self.refunds[refund["id"]] = refund
            self._remember("refunds", idempotency_key, fingerprint, refund["id"])
            self._save()
            event_type = "refund.failed" if fails else "refund.succeeded"
            self.emit(event_type, payment, {"refund": dict(refund), "payment": public(payment)})
            return refund, True

    # --- scenarios -----------------------------------------------------------------------------------------------

    def set_scenario(self, body: object) -> JSON:
        if not isinstance(body, dict):
            raise ApiError(400, "invalid_body", "El cuerpo debe ser un objeto JSON.")
        target = body.get("payment", "*")
        mode = body.get("notifications", "normal")
        delay = body.get("delay_seconds", 0)
        refunds = body.get("refunds", "succeed")
        if not isinstance(target, str) or (target != "*" and target not in self.payments):
            raise ApiError(400, "invalid_payment", "payment debe ser el id de un pago o «*».")
        if mode not in NOTIFICATION_MODES:
            raise ApiError(
                400, "invalid_notifications", f"notifications debe ser uno de {', '.join(NOTIFICATION_MODES)}."
            )
        if not isinstance(delay, int | float) or isinstance(delay, bool) or not 0 <= delay <= 3600:
            raise ApiError(400, "invalid_delay", "delay_seconds debe ser un número entre 0 y 3600.")
        if refunds not in REFUND_MODES:
            raise ApiError(400, "invalid_refunds", "refunds debe ser succeed o fail.")
        scenario = {"notifications": mode, "delay_seconds": delay, "refunds": refunds}
        with self.lock:
            self.scenarios[target] = scenario
            self._save()
        return {"payment": target, **scenario}

    def scenario_for(self, payment_id: str) -> JSON:
        with self.lock:
            default = {"notifications": "normal", "delay_seconds": 0, "refunds": "succeed"}
            return dict(self.scenarios.get(payment_id) or self.scenarios.get("*") or default)
