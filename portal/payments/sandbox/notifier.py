"""Signed notifications to the portal, at least once, in a background thread, as the chosen scenario says.

Each attempt is signed afresh (``Sandbox-Signature: t=<now>,v1=…``), so a retry a minute later is still inside the
portal's replay window. A delivery that gets no 2xx answer is retried after each of ``retry_delays`` (by default 2, 4,
8, 16 and 30 s: six tries over a minute) and then given up. What was sent, and what the portal answered, is kept for
``GET /_control/notifications``.
"""

from __future__ import annotations

import heapq
import itertools
import json
import logging
import secrets
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from portal.payments.signatures import signature_header

from .state import JSON, Store

logger = logging.getLogger("portal.payments.sandbox")

SIGNATURE_HEADER = "Sandbox-Signature"
DEFAULT_RETRY_DELAYS = (2.0, 4.0, 8.0, 16.0, 30.0)
#: «late» without its own delay_seconds waits this long before the first try.
DEFAULT_LATE_SECONDS = 10.0


@dataclass
class Delivery:
    event_id: str
    event_type: str
    payment: str
    url: str
    body: bytes
    copy: str = "original"  # "duplicate" or "stale" for what a scenario adds
    attempts: list[JSON] = field(default_factory=list)
    delivered: bool = False
    finished: bool = False
    follow_ups: list[Delivery] = field(default_factory=list)

    def report(self) -> JSON:
        return {
            "event_id": self.event_id,
            "type": self.event_type,
            "payment": self.payment,
            "url": self.url,
            "copy": self.copy,
            "delivered": self.delivered,
            "finished": self.finished,
            "attempts": list(self.attempts),
            "event": json.loads(self.body),
        }


class Notifier:
    def __init__(
        self,
        store: Store,
        secret: str,
        *,
        retry_delays: tuple[float, ...] = DEFAULT_RETRY_DELAYS,
        timeout: float = 5.0,
    ) -> None:
        self.store = store
        self.secret = secret
        self.retry_delays = retry_delays
        self.timeout = timeout
        self.sent: list[Delivery] = []
        self._queue: list[tuple[float, int, Delivery]] = []
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="sandbox-notifier", daemon=True)
        store.emit = self.publish

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify_all()

    # --- what a scenario sends -----------------------------------------------------------------------------------

    @staticmethod
    def event(event_type: str, data: JSON, created: int) -> bytes:
        envelope = {"id": f"evt_{secrets.token_hex(12)}", "type": event_type, "created": created, "data": data}
        return json.dumps(envelope, separators=(",", ":")).encode()

    def publish(self, event_type: str, payment: JSON, data: JSON) -> None:
        """Announce one event of ``payment`` as its scenario says (called by the store for every change)."""
        scenario = self.store.scenario_for(payment["id"])
        mode = scenario["notifications"]
        if mode == "none":
            return
        body = self.event(event_type, data, self.store.now())
        delivery = self._delivery(event_type, payment, body)
        delay = float(scenario["delay_seconds"])
        if mode == "late" and not delay:
            delay = DEFAULT_LATE_SECONDS
        if mode == "duplicate":
            delivery.follow_ups.append(self._delivery(event_type, payment, body, copy="duplicate"))
        elif mode == "out_of_order" and event_type.startswith("payment."):
            # What the portal would have heard earlier, arriving after the outcome: the payment as it was when the
            # person opened the page (or created, if they never did).
            stale_data = {
                **data,
                "status": "started" if payment.get("started") else "created",
                "fee": 0,
                "failure_code": "",
                "updated": payment.get("started") or payment["created"],
            }
            stale = self.event("payment.started", stale_data, stale_data["updated"])
            delivery.follow_ups.append(self._delivery("payment.started", payment, stale, copy="stale"))
        self._schedule(delivery, delay)

    @staticmethod
    def _delivery(event_type: str, payment: JSON, body: bytes, copy: str = "original") -> Delivery:
        event_id = str(json.loads(body)["id"])
        return Delivery(event_id, event_type, payment["id"], payment["notification_url"], body, copy)

    # --- the delivery thread -------------------------------------------------------------------------------------

    def _schedule(self, delivery: Delivery, delay: float) -> None:
        with self._wake:
            heapq.heappush(self._queue, (time.monotonic() + delay, next(self._order), delivery))
            self._wake.notify_all()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._stopping and (not self._queue or self._queue[0][0] > time.monotonic()):
                    self._wake.wait(timeout=(self._queue[0][0] - time.monotonic()) if self._queue else None)
                if self._stopping:
                    return
                _, _, delivery = heapq.heappop(self._queue)
            # Each attempt in its own thread: a portal that takes its time answering holds up no other delivery.
            threading.Thread(target=self._attempt, args=(delivery,), daemon=True).start()

    def _attempt(self, delivery: Delivery) -> None:
        timestamp = self.store.now()
        request = urllib.request.Request(  # noqa: S310 (the portal's notification address, http(s) checked on create)
            delivery.url,
            data=delivery.body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "User-Agent": "ventanilla-sandbox/1",
                SIGNATURE_HEADER: signature_header(self.secret, timestamp, delivery.body),
            },
        )
        attempt: dict[str, Any] = {"at": timestamp}
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (as above)
                attempt["status"] = response.status
        except urllib.error.HTTPError as error:
            attempt["status"] = error.code
        except OSError as error:
            attempt["error"] = type(error).__name__
        with self._wake:
            delivery.attempts.append(attempt)
            if len(delivery.attempts) == 1:
                self.sent.append(delivery)
            delivery.delivered = 200 <= attempt.get("status", 0) < 300
            retries_left = len(delivery.attempts) <= len(self.retry_delays)
            delivery.finished = delivery.delivered or not retries_left
        if not delivery.finished:
            logger.info("notification %s not delivered (%s); retrying", delivery.event_id, attempt)
            self._schedule(delivery, self.retry_delays[len(delivery.attempts) - 1])
            return
        for follow_up in delivery.follow_ups:
            self._schedule(follow_up, 0)

    def report(self) -> list[JSON]:
        with self._wake:
            return [delivery.report() for delivery in self.sent]
