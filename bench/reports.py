"""Benchmarks of Denuncia, on PostgreSQL with the production settings (called by bench/run.py; asserts nothing on time).

10. The cost of one receipt check: Argon2id with the production parameters (``REPORTS_ARGON2``), for a receipt that
    opens a report and for one that opens nothing (the two must cost the same: the time says nothing about whether a
    report exists), and the parameters in force.
11. Reports filed per second with encryption on: each makes a report key and a receipt (one Argon2id), seals the
    answers and a 1 MB evidence file, and wraps the key for the body's three investigators and its recovery key; one
    filer, then two at once (libsodium releases Python's lock while it hashes).
"""

from __future__ import annotations

import json
import os

REPORTS = int(os.environ.get("BENCH_REPORTS", "12"))
CHECKS = int(os.environ.get("BENCH_RECEIPT_CHECKS", "7"))

SCRIPT = """
import io, json, os, statistics, threading, time
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from portal.reports import actions, crypto
from portal.reports.tests.factories import content_for, make_entity, make_investigator
agency = make_entity("BENCHR", "Institución de la prueba de denuncias")
for _ in range(3):
    make_investigator(agency)
body = actions.ensure_body_settings(agency)
body.recovery_public_key = crypto.new_recovery_key_pair()[0]
body.save()
image = Image.frombytes("RGB", (700, 500), os.urandom(700 * 500 * 3))  # noise: the PNG stays ~1 MB
out = io.BytesIO(); image.save(out, format="PNG"); photo = out.getvalue()
def evidence():
    return actions.prepare_evidence([SimpleUploadedFile("foto.png", photo, content_type="image/png")], strip_images=False)
def file_one():
    return actions.do_file_report(content_for(agency), evidence(), agency=agency)
filed = file_one()
def timed(function, count):
    samples = []
    for _ in range(count):
        start = time.perf_counter(); function(); samples.append(time.perf_counter() - start)
    return samples
right = timed(lambda: actions.check_receipt(filed.receipt), %(checks)d)
wrong = timed(lambda: actions.check_receipt("0000000000000001"), %(checks)d)
start = time.perf_counter()
for _ in range(%(reports)d):
    file_one()
one = %(reports)d / (time.perf_counter() - start)
def worker():
    from django.db import connection
    for _ in range(%(reports)d // 2):
        file_one()
    connection.close()
threads = [threading.Thread(target=worker) for _ in range(2)]
start = time.perf_counter()
for thread in threads: thread.start()
for thread in threads: thread.join()
two = (%(reports)d // 2 * 2) / (time.perf_counter() - start)
print(json.dumps({
    "argon2": settings.REPORTS_ARGON2, "photo_bytes": len(photo),
    "right": [statistics.median(right), max(right)], "wrong": [statistics.median(wrong), max(wrong)],
    "one": one, "two": two,
}))
"""


def receipts_and_filing(django_script) -> None:
    figures = json.loads(django_script(SCRIPT % {"reports": REPORTS, "checks": CHECKS}).splitlines()[-1])
    argon2 = figures["argon2"]
    right, wrong = figures["right"], figures["wrong"]
    print(
        f"\n10. Receipt check, Argon2id opslimit={argon2['opslimit']} memlimit={argon2['memlimit'] // (1024 * 1024)} MiB,"
        f" {CHECKS} checks each"
    )
    print(f"    receipt that opens a report: median {right[0]:.3f} s, max {right[1]:.3f} s")
    print(f"    receipt that opens nothing:  median {wrong[0]:.3f} s, max {wrong[1]:.3f} s")
    print(f"    ratio (nothing / a report): {wrong[0] / right[0]:.2f}")
    print(
        f"\n11. Reports filed with encryption on ({figures['photo_bytes'] // 1024} KB photo, 3 investigators + recovery"
        f" key): {figures['one']:.2f}/s with one filer, {figures['two']:.2f}/s with two"
    )
