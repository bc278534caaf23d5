"""Named points in the payments' code where a crash test can stop a process and kill it (docs/payments.md, «Crashes
and restarts»).

``pause_here("point")`` does nothing unless ``settings.PAYMENTS_TEST_PAUSES`` names the point. Only the test settings
(``config/settings/test.py``) set it, from the environment of a process a crash test starts
(``testing/crash.py``); production and development settings never define it, so there the call is one ``getattr``.
When it is named, the process writes ``<point>`` into ``PAYMENTS_TEST_PAUSE_DIR`` (the test waits for that file) and
sleeps long enough for the test to SIGKILL it there: a crash at that exact line, without relying on timing luck.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.conf import settings

#: Longer than any test waits: the process is killed during the pause, never woken by it.
PAUSE_SECONDS = 120


def pause_here(point: str) -> None:
    if point not in getattr(settings, "PAYMENTS_TEST_PAUSES", ()):
        return
    directory = Path(settings.PAYMENTS_TEST_PAUSE_DIR)
    (directory / f"{point}.{os.getpid()}").write_text(point, encoding="utf-8")
    time.sleep(PAUSE_SECONDS)
