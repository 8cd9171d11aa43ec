"""Helpers for the fault-injection suite: clients on a chaos server, bounded calls, pool checks."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest

from pyopenai import AsyncOpenAI, OpenAI

from .server import ChaosServer

T = TypeVar("T")

HARD_TIMEOUT = 15.0  # no test may take longer than this, whatever the client does


def sync_client(server: ChaosServer, **options: Any) -> OpenAI:
    options.setdefault("timeout", 5.0)
    return OpenAI(api_key="sk-chaos-secret", base_url=server.url, **options)


def async_client(server: ChaosServer, **options: Any) -> AsyncOpenAI:
    options.setdefault("timeout", 5.0)
    return AsyncOpenAI(api_key="sk-chaos-secret", base_url=server.url, **options)


def bounded(fn: Callable[[], T], hard: float = HARD_TIMEOUT) -> T:
    """Run `fn` in a worker thread; fail the test (instead of hanging) if it outlives `hard` seconds."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = fn()
        except BaseException as err:
            outcome["error"] = err

    worker = threading.Thread(target=run, name="bounded-call", daemon=True)
    worker.start()
    worker.join(hard)
    if worker.is_alive():
        pytest.fail(f"the call did not finish within {hard} s (a hang)")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


async def abounded(awaitable: Awaitable[T], hard: float = HARD_TIMEOUT) -> T:
    try:
        return await asyncio.wait_for(awaitable, hard)
    except asyncio.TimeoutError:
        pytest.fail(f"the call did not finish within {hard} s (a hang)")


def described(error: BaseException) -> str:
    """What an error tells whoever reads its traceback: its message, its body (a status error's), and
    the errors that caused it (the transport's own words: reset by peer, timed out, ...)."""
    parts = [str(error)]
    body = getattr(error, "body", None)
    if body is not None:
        parts.append(f"body: {body}")
    cause = error.__cause__
    while cause is not None and len(parts) < 10:
        parts.append(f"{type(cause).__name__}: {cause}")
        cause = cause.__cause__ or cause.__context__
    return " | ".join(parts)


def pool_of(client: OpenAI | AsyncOpenAI) -> Any:
    return client._http._transport._pool  # pyright: ignore[reportPrivateUsage,reportAttributeAccessIssue,reportUnknownMemberType]


def assert_pool_idle(client: OpenAI | AsyncOpenAI) -> None:
    """No request in flight and every pooled connection idle (reusable) or closed: nothing leaked."""
    pool = pool_of(client)
    states = [c.info() for c in pool.connections]
    assert not pool._requests, f"requests still in the pool: {pool!r}"
    assert all(c.is_idle() or c.is_closed() for c in pool.connections), f"busy connections left: {states}"


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))
