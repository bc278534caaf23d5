"""The ASGI guard in front of Django (config/asgi.py): whole bodies handed on, oversized ones cut short, slow ones 408.

ASGI-level checks with a stand-in application; the live server test is test_slow_clients.py.
"""

from __future__ import annotations

import asyncio

from portal.core.asgi_guard import RequestBodyGuard


def scope(headers: list[tuple[bytes, bytes]]) -> dict:
    return {"type": "http", "method": "POST", "path": "/api/v1/tramites/", "headers": headers}


def run(guard_kwargs: dict, request_scope: dict, messages: list[dict], *, pause: float = 0.0):
    """Drive the guard with ``messages`` from the client; returns what the app saw and what was sent back."""
    seen: dict = {"body": b"", "after": None, "scope": None}
    sent: list[dict] = []

    async def app(app_scope, receive, send):
        seen["scope"] = app_scope
        while True:
            message = await receive()
            seen["body"] += message.get("body", b"")
            if not message.get("more_body"):
                break
        seen["after"] = await receive()  # Django listens for a disconnect while it answers

    async def receive():
        if messages:
            if pause:
                await asyncio.sleep(pause)
            return messages.pop(0)
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    asyncio.run(RequestBodyGuard(app, **guard_kwargs)(request_scope, receive, send))
    return seen, sent


def test_the_whole_body_is_handed_on_in_order():
    parts = [b"a" * 70_000, b"b" * 70_000, b"c"]
    messages = [{"type": "http.request", "body": part, "more_body": i < 2} for i, part in enumerate(parts)]
    seen, sent = run({}, scope([(b"content-length", b"140001")]), messages)
    assert seen["body"] == b"".join(parts)
    assert seen["after"] == {"type": "http.disconnect"}
    assert sent == []


def test_a_chunked_body_past_the_limit_is_cut_short_and_its_size_declared(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    messages = [{"type": "http.request", "body": b"x" * 60_000, "more_body": True} for _ in range(5)]
    seen, _sent = run({}, scope([(b"content-type", b"application/json")]), messages)
    assert seen["body"] == b""
    assert (b"content-length", b"120000") in seen["scope"]["headers"]
    # The rest of the oversized body is dropped: the app hears only the disconnect.
    assert seen["after"] == {"type": "http.disconnect"}


def test_a_body_that_does_not_arrive_in_time_gets_408_and_never_reaches_the_app():
    messages = [{"type": "http.request", "body": b"g", "more_body": True} for _ in range(100)]
    seen, sent = run(
        {"timeout": 0.3, "min_rate": 10_000_000, "idle": 5},
        scope([(b"content-length", b"100")]),
        messages,
        pause=0.1,
    )
    assert seen["scope"] is None
    assert sent[0]["status"] == 408
    assert "tardó demasiado" in sent[1]["body"].decode()
