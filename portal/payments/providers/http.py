"""What the HTTP adapters share: one call with the house timeouts, and a provider's answer sorted into «retry later»
(``ProviderError``) or «this request will never work» (``PaymentRefused``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import requests

from .base import PaymentRefused, ProviderError

#: Seconds to connect, and to wait for the answer: a provider that hangs must not hold a portal worker for long.
TIMEOUT = (3.0, 10.0)
#: Answers that say «not now» rather than «never»: timeouts, rate limits, conflicts of a request still in progress.
RETRYABLE = frozenset({408, 409, 423, 425, 429})


def call(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str],
    timeout: tuple[float, float] = TIMEOUT,
    refused_statuses: frozenset[int] = frozenset(),
    **options: Any,
) -> dict[str, Any]:
    """Make one request and return its JSON object.

    A connection failure, a timeout, a 5xx, a rate limit or an answer that is not JSON raise ``ProviderError``:
    nothing is known to have happened, and the same request (same Idempotency-Key) may be sent again. Other 4xx, and
    the statuses in ``refused_statuses``, raise ``PaymentRefused``. 401 and 403 are a ``ProviderError``: the
    portal's credentials are wrong, which an operator fixes; the payment itself may still go through then.
    """
    try:
        response = requests.request(method, url, headers=dict(headers), timeout=timeout, **options)
    except requests.RequestException as error:
        raise ProviderError(f"{method} {url}: {type(error).__name__}") from error
    status = response.status_code
    try:
        payload = response.json()
    except ValueError:
        payload = None
    if 200 <= status < 300:
        if not isinstance(payload, dict):
            raise ProviderError(f"{method} {url}: {status} without a JSON object")
        return payload
    detail = _error_text(payload) or response.reason or ""
    if status in refused_statuses or (400 <= status < 500 and status not in RETRYABLE | {401, 403}):
        raise PaymentRefused(f"{method} {url}: {status} {detail}".strip())
    raise ProviderError(f"{method} {url}: {status} {detail}".strip())


def _error_text(payload: object) -> str:
    if isinstance(payload, dict) and isinstance(payload.get("error"), dict):
        error = payload["error"]
        return " ".join(str(error[name]) for name in ("code", "type", "message") if error.get(name))
    return ""


def header(headers: Mapping[str, str], name: str) -> str:
    """A header's value whatever the case of its name (Django's ``request.headers`` or a plain dict)."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return ""


def from_unix(value: object) -> dt.datetime | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return dt.datetime.fromtimestamp(value, tz=dt.UTC)
    return None


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of an address, as a Content-Security-Policy source names it."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
