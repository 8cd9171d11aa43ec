"""A burst of 500 concurrent calls against the local server's enforced limits completes without a 429.

The limiter's waits are real waits here (the suite-wide fixture only records retry waits): the point
is what the server sees. (That the same burst without the limiter meets 429s depends on how fast the
machine sends it; benchmarks/rate_limit_burst.py reports the figures.)
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx2
import pytest

import pyopenai._base_client as base_client
from pyopenai import AsyncOpenAI, OpenAI, RateLimiter, RateLimitError
from pyopenai.testing import LocalServer

_REAL_SLEEP = time.sleep
_REAL_ASYNC_SLEEP = base_client._async_sleep  # pyright: ignore[reportPrivateUsage]

BURST = 500
# a minute's allowance a little below the burst: 480 go at once, the other 20 must wait for the refill (8 a second)
RPM = 480
MESSAGES: Any = [{"role": "user", "content": "hi"}]


@pytest.fixture(autouse=True)
def real_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(time, "sleep", _REAL_SLEEP)
    monkeypatch.setattr(base_client, "_async_sleep", _REAL_ASYNC_SLEEP)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer(requests_per_minute=RPM, tokens_per_minute=2_000_000) as server:
        yield server


def _sync_burst(client: OpenAI) -> list[BaseException | None]:
    def call(_: int) -> BaseException | None:
        try:
            client.chat.completions.create(model="gpt-4o", messages=MESSAGES)
        except RateLimitError as err:
            return err
        return None

    with ThreadPoolExecutor(max_workers=100) as pool:
        return list(pool.map(call, range(BURST)))


async def _async_burst(client: AsyncOpenAI) -> list[BaseException | None]:
    async def call() -> BaseException | None:
        try:
            await client.chat.completions.create(model="gpt-4o", messages=MESSAGES)
        except RateLimitError as err:
            return err
        return None

    return await asyncio.gather(*(call() for _ in range(BURST)))


@pytest.mark.parametrize("limiter", ["fixed", "auto"])
def test_with_the_limiter_a_burst_completes_without_429s(server: LocalServer, limiter: str) -> None:
    rate_limiter: Any = RateLimiter(requests_per_minute=RPM) if limiter == "fixed" else "auto"
    with OpenAI(base_url=server.url, api_key="sk-test", max_retries=0, rate_limiter=rate_limiter) as client:
        # the copy shares the limiter: half the calls go through it
        copy = client.with_options(timeout=30)
        assert copy.rate_limiter is client.rate_limiter
        failures = _sync_burst(client)
        assert client.rate_limits is not None and client.rate_limits.limit_requests == RPM
    assert failures == [None] * BURST
    assert server.app.rate_limits.rejected == 0


async def test_async_with_the_adaptive_limiter_a_burst_completes_without_429s(server: LocalServer) -> None:
    # 500 calls in flight over at most 100 connections (the server's listen backlog is 100)
    http = httpx2.AsyncClient(limits=httpx2.Limits(max_connections=100), timeout=60)
    async with AsyncOpenAI(
        base_url=server.url, api_key="sk-test", max_retries=0, rate_limiter="auto", http_client=http
    ) as client:
        failures = await _async_burst(client)
    assert failures == [None] * BURST
    assert server.app.rate_limits.rejected == 0


def test_tokens_per_minute_limit_is_kept_too() -> None:
    # each call is ~30 tokens of input plus the 100 it asks for: 40 calls need ~5200 tokens of a 4000 allowance
    with LocalServer(tokens_per_minute=4000) as server, OpenAI(
        base_url=server.url, api_key="sk-test", max_retries=0, rate_limiter=RateLimiter(tokens_per_minute=4000)
    ) as client:
        with ThreadPoolExecutor(max_workers=40) as pool:
            list(pool.map(lambda _: client.chat.completions.create(model="gpt-4o", messages=MESSAGES, max_tokens=100), range(40)))
        assert server.app.rate_limits.rejected == 0


def test_a_bad_rate_limiter_argument_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="rate_limiter must be 'auto'"):
        OpenAI(api_key="sk-test", rate_limiter="fast")  # type: ignore[arg-type]
