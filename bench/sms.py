"""Benchmark of SMS commands, on PostgreSQL with the production settings (called by bench/run.py; asserts nothing on
time).

12. The round trip of an SMS command through Kannel: a phone (a one-shot ``fakesmsc`` on the gateway's «phones» fake
    SMSC) texts AYUDA to the short code; bearerbox hands it to smsbox, whose sms-service calls the portal (granian,
    production settings) at /notificaciones/sms/entrante/; the portal records it and queues the reply in the outbox;
    the task worker (``db_worker``, as production runs it) sends it to Kannel's sendsms; Kannel delivers it to the
    operator's fake SMSC. The time is from the moment the phone's process starts to the reply's arrival at the fake
    SMSC. Each message comes from its own number, so that the per-number rate limit does not answer them.

The gateway is the tests' ``testing.servers.KannelGateway`` (Debian's Kannel and kannel-extras). Traffic stays on
127.0.0.1.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import server

COMMANDS = int(os.environ.get("BENCH_SMS_COMMANDS", "30"))
PORT = 8094


def round_trip(env: dict, root: Path, wait_for: Callable[..., None]) -> None:
    sys.path.insert(0, str(root))
    from testing.servers import KANNEL_USER, SHORT_CODE, KannelGateway, _kannel_programs

    programs = _kannel_programs()
    print(f"\n12. SMS command round trip through Kannel ({COMMANDS} AYUDA from as many numbers, one at a time)")
    if programs is None:
        print("   skipped: Kannel is not installed (apt-get install kannel kannel-extras)")
        return
    with tempfile.TemporaryDirectory(prefix="ventanilla-bench-kannel-") as directory:
        gateway = KannelGateway(Path(directory), programs)
        sms_env = {
            **env,
            "SMS_GATEWAY_URL": gateway.sendsms_url,
            "SMS_GATEWAY_USER": KANNEL_USER,
            "SMS_GATEWAY_PASSWORD": gateway.password,
            "SMS_GATEWAY_TIMEOUT": "5",
            "SMS_SENDER": SHORT_CODE,
            "SMS_INBOUND_TOKEN": gateway.inbound_token,
            "SMS_DLR_BASE_URL": f"http://127.0.0.1:{PORT}",
            "TASKS_LOG_LEVEL": "WARNING",  # the worker logs every task at INFO
        }
        gateway.start()
        worker = subprocess.Popen(
            [
                str(root / ".venv" / "bin" / "python"),
                "manage.py",
                "db_worker",
                "--queue-name",
                "notifications",
                "--interval",
                "0.05",
                "--no-reload",
                "--no-startup-delay",
            ],
            cwd=root,
            env=sms_env,
            start_new_session=True,
        )
        try:
            with server.granian(sms_env, root, PORT) as base:
                wait_for(f"{base}/healthz")
                gateway.relay.target = base
                samples = []
                for index in range(COMMANDS):
                    number = f"+52559{index:07d}"
                    started = time.perf_counter()
                    gateway.send_from_phone(number, "Ayuda")
                    deadline = time.monotonic() + 30
                    while not gateway.texts_to(number):
                        if time.monotonic() > deadline:
                            raise SystemExit(f"no reply to {number} within 30 s (see {directory}/*.log)")
                        time.sleep(0.005)
                    samples.append(time.perf_counter() - started)
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=20)
            gateway.stop()
    samples.sort()
    p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
    errors = sum(1 for status in gateway.relay.statuses if status != 200)
    # Measured here (2 cores shared with other work, 30 commands): median 0.22 s, p95 0.45 s, max 2.6 s (the first,
    # with cold processes).
    print(
        f"   median {statistics.median(samples):.3f} s  p95 {p95:.3f} s  max {samples[-1]:.3f} s  "
        f"(portal answered Kannel non-200: {errors})"
    )
