"""Logging filters: keep what would identify a person out of records about the private parts of the portal.

Django attaches the request to the records of ``django.request`` and ``django.security`` (a 404, a 500, a refused CSRF
check), and a handler such as ``AdminEmailHandler`` prints the request's headers (address, browser) from it. For the
paths in ``PORTAL_PRIVATE_PATHS`` (the confidential reports: portal/reports) the filter removes the request from the
record and replaces the message's path with the prefix alone, so no handler can write either.
"""

from __future__ import annotations

import logging

from django.conf import settings


def _private_prefix(path: str) -> str | None:
    for prefix in getattr(settings, "PORTAL_PRIVATE_PATHS", ()):
        if path.startswith(prefix):
            return str(prefix)
    return None


class RedactPrivateRequests(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", "") or ""
        prefix = _private_prefix(path) if path else None
        if prefix is None:
            return True
        record.request = None
        record.msg = f"{record.levelname.lower()} on a private path {prefix}"
        record.args = ()
        if hasattr(record, "status_code"):
            record.msg += f" status={record.status_code}"
        record.exc_text = None
        return True
