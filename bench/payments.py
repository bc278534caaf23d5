"""Benchmark of online payments end to end (called by bench/run.py on PostgreSQL; asserts nothing on time, only on
counts).

15. Payments per second through the sandbox provider: the sandbox runs as its own process
    (``python -m portal.payments.sandbox``), the portal as granian with the production settings receives its signed
    notifications at /pagos/notificaciones/sandbox/. BENCH_PAYERS threads (default 8), each with its own database
    connection, pay BENCH_PAYMENTS references (default 200): the portal creates the payment at the provider
    (``actions.do_start_payment``), the provider is told to complete it (its control API stands in for the person on
    its page), the provider notifies the portal, and the portal settles the reference and books it. The time is from
    the first creation to the last reference settled; then the ledger is counted: every reference paid exactly once
    and every transaction summing to zero.

Traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import server

PAYERS = int(os.environ.get("BENCH_PAYERS", "8"))
PAYMENTS = int(os.environ.get("BENCH_PAYMENTS", "200"))
PORT = 8093
SANDBOX_PORT = 8092
API_KEY = "bench-sandbox-key"
SECRET = "bench-sandbox-webhook-secret"  # noqa: S105 (a bench-only secret of a local sandbox)

SCRIPT = """
import json, threading, time, urllib.request, uuid
from concurrent.futures import ThreadPoolExecutor
from django.db import connections
from django.db.models import Sum
from portal.payments import actions, fees, ledger
from portal.payments.models import LedgerLine, LedgerTransaction, PaymentReference
from portal.payments.tests.factories import make_payable_service

PAYERS, PAYMENTS, SANDBOX, API_KEY = %(payers)d, %(payments)d, %(sandbox)r, %(api_key)r
service, _fee = make_payable_service(amount=179_500)
quote = fees.quote(service.pk, {}, on=ledger.local_day())
ids = [
    actions.do_issue_reference(quote=quote, agency_id=service.agency_id, subject=f"bench:{uuid.uuid4()}").pk
    for _ in range(PAYMENTS)
]

def complete(provider_id):
    request = urllib.request.Request(
        f"{SANDBOX}/_control/payments/{provider_id}/complete", data=json.dumps({"outcome": "success"}).encode(),
        headers={"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}, method="POST")
    urllib.request.urlopen(request, timeout=30).read()

def pay(reference_id):
    try:
        payment = actions.do_start_payment(reference_id, idempotency_key=uuid.uuid4().hex)
        complete(payment.provider_payment_id)
    finally:
        connections.close_all()

started = time.perf_counter()
with ThreadPoolExecutor(PAYERS) as pool:
    list(pool.map(pay, ids))
created = time.perf_counter() - started
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    paid = PaymentReference.objects.filter(pk__in=ids, status="paid").count()
    if paid == PAYMENTS:
        break
    time.sleep(0.05)
elapsed = time.perf_counter() - started
payments_booked = LedgerTransaction.objects.filter(reference_id__in=ids, kind="payment").count()
unbalanced = sum(
    1 for entry in LedgerTransaction.objects.filter(reference_id__in=ids)
    if sum(entry.lines.values_list("amount_centavos", flat=True)) != 0
)
receivable = LedgerLine.objects.filter(transaction__reference_id__in=ids, account="receivable").aggregate(
    total=Sum("amount_centavos"))["total"]
print(json.dumps({"paid": paid, "elapsed": elapsed, "created": created, "booked": payments_booked,
                  "unbalanced": unbalanced, "receivable": receivable}))
"""


def payments_per_second(env: dict, root: Path, wait_for: Callable[..., None]) -> None:
    print(f"\n15. Online payments end to end through the sandbox ({PAYMENTS} payments, {PAYERS} payers at once)")
    sandbox = subprocess.Popen(
        [
            str(root / ".venv" / "bin" / "python"),
            "-m",
            "portal.payments.sandbox",
            "--port",
            str(SANDBOX_PORT),
            "--api-key",
            API_KEY,
            "--webhook-secret",
            SECRET,
        ],
        cwd=root,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    sandbox_url = f"http://127.0.0.1:{SANDBOX_PORT}"
    pay_env = {
        **env,
        "PAYMENTS_SANDBOX_URL": sandbox_url,
        "PAYMENTS_SANDBOX_API_KEY": API_KEY,
        "PAYMENTS_SANDBOX_WEBHOOK_SECRETS": SECRET,
        "PAYMENTS_NOTIFICATION_BASE_URL": f"http://127.0.0.1:{PORT}",
    }
    try:
        wait_for(f"{sandbox_url}/healthz")
        with server.granian(pay_env, root, PORT) as base:
            wait_for(f"{base}/healthz")
            code = SCRIPT % {"payers": PAYERS, "payments": PAYMENTS, "sandbox": sandbox_url, "api_key": API_KEY}
            result = run_with_env(root, code, pay_env)
    finally:
        sandbox.terminate()
        sandbox.wait(10)
    figures = json.loads(result.splitlines()[-1])
    rate = figures["paid"] / figures["elapsed"] if figures["elapsed"] else 0
    print(
        f"   {figures['paid']}/{PAYMENTS} settled in {figures['elapsed']:.2f} s: {rate:.1f} payments/s end to end "
        f"(creating them at the provider alone: {PAYMENTS / figures['created']:.1f}/s)"
    )
    exact = figures["booked"] == PAYMENTS and figures["unbalanced"] == 0 and figures["receivable"] == 0
    print(
        f"   ledger: {figures['booked']} payments booked, {figures['unbalanced']} unbalanced transactions, receivable "
        f"left {figures['receivable']} centavos — {'exact' if exact else 'NOT EXACT'}"
    )


def run_with_env(root: Path, code: str, env: dict) -> str:
    """Like run.py's ``django_script``, with the sandbox's settings in the environment before Django reads it."""
    wrapped = "import django; django.setup()\n" + code
    python = str(root / ".venv" / "bin" / "python")
    result = subprocess.run([python, "-c", wrapped], cwd=root, env=env, text=True, capture_output=True)
    if result.returncode != 0:
        raise SystemExit(f"the payments bench failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result.stdout.strip()


if __name__ == "__main__":
    sys.exit("run through bench/run.py (make bench)")
