"""Read each request body in full, with a deadline, before Django sees the request (the ASGI entry, config/asgi.py).

Why: granian has no timeout for reading a request body (only for headers), and under WSGI a view reads the body from
the thread that runs it. One client trickling a body a byte a second therefore held one of the two server threads
for as long as it liked, and health probes waited behind it. Served through ASGI, the body is read here, in the event
loop, where a slow client costs a coroutine and its buffer, not a thread; Django runs the request only once the whole
body is in. A body that does not arrive in time gets 408 and the connection is closed.

The deadline: ``REQUEST_BODY_TIMEOUT_SECONDS`` (10 s) plus the time the body takes at ``REQUEST_BODY_MIN_RATE`` bytes
a second (32 kB/s, a poor mobile connection), and never more than ``REQUEST_BODY_IDLE_SECONDS`` (20 s) without a
byte. A 1,000-byte form gets about 10 s; a 40 MB upload about 21 minutes, as long as it keeps moving.

Size: a body declared over its limit (``portal.core.body_limits``) is not read at all; Django's middleware answers it
413 from the declared ``Content-Length``. A body without a length (chunked) that grows past the limit stops being
read, and Django gets the request with the size read so far as its ``Content-Length``, so it is answered the same way.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CHUNK = 64 * 1024
DEFAULT_TIMEOUT_SECONDS = 10.0
DEFAULT_MIN_RATE = 32_000
DEFAULT_IDLE_SECONDS = 20.0


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return ""


def body_limit_for(scope: Scope) -> int | None:
    if _header(scope, b"content-type").lower().startswith("multipart/form-data"):
        return int(getattr(settings, "REQUEST_MAX_UPLOAD_BYTES", 40 * 1024 * 1024))
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def declared_length(scope: Scope) -> int | None:
    value = _header(scope, b"content-length")
    try:
        return max(0, int(value)) if value else None
    except ValueError:
        return None


class BodyTimeout(Exception):  # noqa: N818 - named for what happened, like asyncio.TimeoutError
    pass


class RequestBodyGuard:
    def __init__(
        self,
        app: ASGIApp,
        *,
        timeout: float | None = None,
        min_rate: int | None = None,
        idle: float | None = None,
    ) -> None:
        self.app = app
        self.timeout = timeout
        self.min_rate = min_rate
        self.idle = idle

    def _settings(self) -> tuple[float, int, float]:
        timeout = self.timeout or float(getattr(settings, "REQUEST_BODY_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))
        min_rate = self.min_rate or int(getattr(settings, "REQUEST_BODY_MIN_RATE", DEFAULT_MIN_RATE))
        idle = self.idle or float(getattr(settings, "REQUEST_BODY_IDLE_SECONDS", DEFAULT_IDLE_SECONDS))
        return timeout, min_rate, idle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit_for(scope)
        declared = declared_length(scope)
        if limit is not None and declared is not None and declared > limit:
            # Not read: Django's RequestBodyLimitMiddleware answers 413 from the declared length.
            await self.app(scope, _replay(None, receive), send)
            return
        try:
            body, size = await self._read(receive, declared, limit)
        except BodyTimeout:
            await _send_timeout(send)
            return
        except _Disconnected:
            return
        if body is None:  # a body without a declared length, past the limit: stop reading, report what came
            scope = dict(scope)
            headers = [(key, value) for key, value in scope["headers"] if key.lower() != b"content-length"]
            scope["headers"] = [*headers, (b"content-length", str(size).encode("ascii"))]
        try:
            await self.app(scope, _replay(body, receive), send)
        finally:
            if body is not None:
                body.close()

    async def _read(self, receive: Receive, declared: int | None, limit: int | None):
        timeout, min_rate, idle = self._settings()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout + (declared or 0) / max(1, min_rate)
        body = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE, mode="w+b")  # noqa: SIM115
        size = 0
        try:
            while True:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise BodyTimeout
                try:
                    message = await asyncio.wait_for(receive(), timeout=min(remaining, idle))
                except TimeoutError as error:
                    raise BodyTimeout from error
                if message["type"] == "http.disconnect":
                    raise _Disconnected
                chunk = message.get("body", b"")
                if chunk:
                    size += len(chunk)
                    if limit is not None and size > limit:
                        body.close()
                        return None, size
                    body.write(chunk)
                    if declared is None:  # a chunked body: the deadline grows with what arrives
                        deadline += len(chunk) / max(1, min_rate)
                if not message.get("more_body", False):
                    break
        except BaseException:
            body.close()
            raise
        body.seek(0)
        return body, size


class _Disconnected(Exception):  # noqa: N818
    pass


def _replay(body, receive: Receive) -> Receive:
    """A ``receive`` that hands out the buffered body, then only passes on a disconnect (Django listens for one while
    it answers). What else still arrives is the rest of a body left unread, over its limit: it is dropped."""
    done = False

    async def replay() -> Message:
        nonlocal done
        if done:
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    return message
        chunk = body.read(CHUNK) if body is not None else b""
        more = bool(chunk) and body is not None and body.tell() < _size(body)
        if not more:
            done = True
        return {"type": "http.request", "body": chunk, "more_body": more}

    return replay


def _size(body) -> int:
    position = body.tell()
    body.seek(0, 2)
    end = body.tell()
    body.seek(position)
    return end


async def _send_timeout(send: Send) -> None:
    text = _(
        "La solicitud tardó demasiado en llegar completa y se canceló. Revise su conexión e inténtelo de nuevo."
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 408,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(text)).encode("ascii")),
                (b"connection", b"close"),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": text, "more_body": False})
