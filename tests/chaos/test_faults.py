"""Faults at the byte level, against a real loopback server, sync and async.

Each case states what the server does, how many requests it must receive (the server counts them),
which exception the caller gets (or that the call succeeds), and for streams how many events arrive
before the error. Every case also checks that nothing hangs (client timeout + a hard bound on the
test), that the connection pool is left idle, and that closing the client closes every socket the
server saw.
"""

from __future__ import annotations

import asyncio
import email.utils
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import pytest

from pyopenai import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    BadRequestError,
    InternalServerError,
    RateLimitError,
)
from pyopenai._exceptions import APIResponseJSONError

from .server import (
    Action,
    ChaosServer,
    body_then_reset,
    chunked,
    huge_json,
    json_body,
    raw,
    reset,
    sse,
    stall_after_headers,
    status,
)
from .support import abounded, assert_pool_idle, async_client, bounded, described, sync_client

MODEL = {"id": "gpt-chaos", "object": "model", "created": 0, "owned_by": "chaos"}
CHUNK = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "m",
         "choices": [{"index": 0, "delta": {"content": "x"}, "finish_reason": None}]}


def close_then_nothing(ex: Any) -> None:
    ex.close()


@dataclass
class Case:
    id: str
    actions: Callable[[], list[Action]]
    expect: type[BaseException] | None  # None: the call succeeds
    attempts: int
    call: str = "retrieve"  # "retrieve" | "stream" | "embeddings"
    match: str | None = None  # regex searched in str(error)
    options: dict[str, Any] = field(default_factory=dict[str, Any])
    waits: tuple[float, float] | None = None  # each recorded retry wait within this range
    events: int | None = None  # stream events delivered (before the error, if any)
    status: int | None = None  # status_code on the error


def http_date(seconds_from_now: float) -> str:
    return email.utils.formatdate(time.time() + seconds_from_now, usegmt=True)


CASES = [
    Case("5xx storm", lambda: [status(500), status(502), status(503)], InternalServerError, 3,
         match="503", waits=(0.375, 1.0), status=503),
    Case("5xx then success", lambda: [status(500), status(503), json_body(MODEL)], None, 3),
    Case("429 retry-after seconds", lambda: [status(429, {"retry-after": "1"}), json_body(MODEL)], None, 2,
         waits=(1.0, 1.0)),
    Case("429 retry-after-ms", lambda: [status(429, {"retry-after-ms": "5"}), json_body(MODEL)], None, 2,
         waits=(0.005, 0.005)),
    Case("429 retry-after HTTP-date", lambda: [status(429, {"retry-after": http_date(3)}), json_body(MODEL)], None, 2,
         waits=(1.0, 3.0)),
    Case("429 storm", lambda: [status(429, {"retry-after-ms": "5"})], RateLimitError, 3, status=429),
    Case("429 insufficient_quota", lambda: [status(429, {"retry-after-ms": "5", "x-should-retry": "true"},
                                                   error_code="insufficient_quota")],
         RateLimitError, 1, match="chaos 429", status=429),
    Case("reset before response", lambda: [reset()], APIConnectionError, 3, match="reset by peer"),
    Case("reset, then success", lambda: [reset(), json_body(MODEL)], None, 2),
    Case("closed before response", lambda: [close_then_nothing], APIConnectionError, 3, match="disconnected"),
    Case("reset during body", lambda: [body_then_reset()], APIConnectionError, 3, match="reset by peer"),
    Case("headers then stalled body", lambda: [stall_after_headers(30)], APITimeoutError, 2,
         options={"timeout": 0.25, "max_retries": 1}),
    Case("SSE cut mid-stream", lambda: [sse([CHUNK] * 3, done=False, finish=False)], APIConnectionError, 1,
         call="stream", match=r"^Connection error\. \| RemoteProtocolError", events=3),
    Case("SSE stalled (idle)", lambda: [sse([CHUNK] * 3, done=False, then_stall=30)], APITimeoutError, 1,
         call="stream", match=r"^Request timed out\. \| ReadTimeout", events=3, options={"timeout": 0.25}),
    Case("SSE 503 then stream", lambda: [status(503), sse([CHUNK] * 4)], None, 2, call="stream", events=4),
    # an APIResponseValidationError that is also a json.JSONDecodeError, as the official SDK raises
    Case("invalid JSON (200)", lambda: [raw(200, b'{"id": "gpt-', content_type="application/json")],
         APIResponseJSONError, 1, match=r"status 200.*could not decode", status=200),
    Case("HTML page (200)", lambda: [raw(200, b"<html><body>Welcome</body></html>", content_type="text/html")],
         APIResponseValidationError, 1, match="text/html", status=200),
    Case("HTML error page (502)", lambda: [raw(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>",
                                                content_type="text/html")],
         InternalServerError, 3, match="502.*Bad Gateway", status=502),
    Case("invalid JSON error (400)", lambda: [raw(400, b"{oops")], BadRequestError, 1, match=r"^Error code: 400 \| body: \{oops",
         status=400),
    Case("oversized header block", lambda: [raw(200, b"{}", {"x-huge": "h" * 200_000})], APIConnectionError, 3,
         match="RemoteProtocolError"),
    Case("huge JSON body (~14 MB)", lambda: [huge_json(200_000)], None, 1, call="embeddings"),
    Case("huge SSE event (16 MB line)", lambda: [chunked(
        [b'data: {"id":"c","object":"chat.completion.chunk","choices":[],"pad":"'] + [b"p" * 65536] * 256
        + [b'"}\n\n', b"data: [DONE]\n\n"])], None, 1, call="stream", events=1),
]

RESULTS: list[tuple[str, str, int, str, float]] = []  # for the report: fault, mode, attempts, outcome, seconds


def check_outcome(case: Case, server: ChaosServer, error: BaseException | None, result: Any, waits: list[float],
                  events: list[Any]) -> None:
    assert server.attempts == case.attempts, f"{case.id}: {server.attempts} attempts, expected {case.attempts}"
    if case.expect is None:
        assert error is None, f"{case.id}: unexpected {error!r}"
        if case.call == "retrieve":
            assert result.id == MODEL["id"]
        elif case.call == "embeddings":
            assert len(result.data) == 200_000 and result.data[-1].index == 199_999
    else:
        assert type(error) is case.expect, f"{case.id}: got {error!r}, expected {case.expect.__name__}"
        if case.match:
            text = described(cast(BaseException, error))
            assert re.search(case.match, text, re.S), f"{case.id}: {text!r} does not match {case.match!r}"
        if case.status is not None:
            assert getattr(error, "status_code", None) == case.status
    if case.events is not None:
        assert len(events) == case.events
    if case.waits is not None:
        assert len(waits) == case.attempts - 1
        low, high = case.waits
        assert all(low - 0.01 <= w <= high + 0.01 for w in waits), waits


def run_sync(case: Case, server: ChaosServer, events: list[Any]) -> Any:
    client = sync_client(server, **case.options)
    try:
        def call() -> Any:
            if case.call == "stream":
                for chunk in client.chat.completions.create(model="m", messages=[], stream=True):
                    events.append(chunk)
                return None
            if case.call == "embeddings":
                return client.embeddings.create(model="m", input="x")
            return client.models.retrieve("gpt-chaos")

        try:
            return bounded(call), None
        except Exception as err:
            return None, err
        finally:
            assert_pool_idle(client)
    finally:
        client.close()


async def async_call(client: Any, case: Case, events: list[Any]) -> Any:
    """The case's call on an async client (streamed events go to `events`)."""
    if case.call == "stream":
        async for chunk in await client.chat.completions.create(model="m", messages=[], stream=True):
            events.append(chunk)
        return None
    if case.call == "embeddings":
        return await client.embeddings.create(model="m", input="x")
    return await client.models.retrieve("gpt-chaos")


async def run_async(case: Case, server: ChaosServer, events: list[Any]) -> Any:
    client = async_client(server, **case.options)
    try:
        try:
            return await abounded(async_call(client, case, events)), None
        except Exception as err:
            return None, err
        finally:
            assert_pool_idle(client)
    finally:
        await client.close()


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fault(case: Case, mode: str, chaos: ChaosServer, _instant_retries: list[float]) -> None:
    chaos.script(*case.actions())
    events: list[Any] = []
    started = time.monotonic()
    if mode == "sync":
        result, error = run_sync(case, chaos, events)
    else:
        result, error = asyncio.run(run_async(case, chaos, events))
    elapsed = time.monotonic() - started
    check_outcome(case, chaos, error, result, _instant_retries, events)
    # every socket the server saw is closed once the client is: nothing leaked on either side
    assert chaos.wait_for_connections(0, timeout=5.0), f"{chaos.open_connections} server-side sockets still open"
    RESULTS.append((case.id, mode, chaos.attempts, type(error).__name__ if error else "ok", elapsed))

