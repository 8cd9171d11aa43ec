"""The same promises against the embedded local server's own fault injection (`server.faults`).

The chaos server proves the client at the byte level; this proves the faults users script in their
own tests (`pyopenai.testing.LocalServer`) produce what the README says.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from pyopenai import APIConnectionError, APITimeoutError, AsyncOpenAI, OpenAI, RateLimitError
from pyopenai.testing import LocalServer

from .support import abounded, assert_pool_idle, bounded

MESSAGES: list[Any] = [{"role": "user", "content": "one two three four five six"}]


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


def attempts(server: LocalServer, path: str) -> int:
    return sum(1 for r in server.requests if r.path == path)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_local_server_faults(mode: str, server: LocalServer, _instant_retries: list[float]) -> None:
    timeout = httpx2.Timeout(10.0, read=0.3)

    def scenarios_sync(client: OpenAI) -> dict[str, Any]:
        out: dict[str, Any] = {}
        server.faults.drop(times=1)
        out["drop"] = client.models.retrieve("gpt-4o").id
        server.faults.rate_limit(retry_after_ms=7, times=2)
        out["429 x2"] = client.models.retrieve("gpt-4o").id
        server.faults.insufficient_quota(times=1)
        with pytest.raises(RateLimitError) as quota:
            client.models.retrieve("gpt-4o")
        out["quota"] = quota.value.code
        server.faults.cut_stream(after=2, path="/v1/chat/completions")
        got: list[Any] = []
        with pytest.raises(APIConnectionError, match=r"^Connection error\.$") as cut:
            for chunk in client.chat.completions.create(model="gpt-4o", messages=MESSAGES, stream=True):
                got.append(chunk)
        out["cut"] = (len(got), type(cut.value).__name__)
        server.faults.stall(5.0, path="/v1/models/*")
        with pytest.raises(APITimeoutError):
            client.with_options(max_retries=0).models.retrieve("gpt-4o")
        out["stall"] = "APITimeoutError"
        return out

    async def scenarios_async(client: AsyncOpenAI) -> dict[str, Any]:
        out: dict[str, Any] = {}
        server.faults.drop(times=1)
        out["drop"] = (await client.models.retrieve("gpt-4o")).id
        server.faults.rate_limit(retry_after_ms=7, times=2)
        out["429 x2"] = (await client.models.retrieve("gpt-4o")).id
        server.faults.insufficient_quota(times=1)
        with pytest.raises(RateLimitError) as quota:
            await client.models.retrieve("gpt-4o")
        out["quota"] = quota.value.code
        server.faults.cut_stream(after=2, path="/v1/chat/completions")
        got: list[Any] = []
        with pytest.raises(APIConnectionError, match=r"^Connection error\.$") as cut:
            async for chunk in await client.chat.completions.create(model="gpt-4o", messages=MESSAGES, stream=True):
                got.append(chunk)
        out["cut"] = (len(got), type(cut.value).__name__)
        server.faults.stall(5.0, path="/v1/models/*")
        with pytest.raises(APITimeoutError):
            await client.with_options(max_retries=0).models.retrieve("gpt-4o")
        out["stall"] = "APITimeoutError"
        return out

    started = time.monotonic()
    if mode == "sync":
        client = OpenAI(api_key="sk-local", base_url=server.url, timeout=timeout)
        results = bounded(lambda: scenarios_sync(client))
        assert_pool_idle(client)
        client.close()
    else:
        async def run() -> dict[str, Any]:
            async with AsyncOpenAI(api_key="sk-local", base_url=server.url, timeout=timeout) as client:
                found = await abounded(scenarios_async(client))
                assert_pool_idle(client)
                return found

        results = asyncio.run(run())
    assert results == {"drop": "gpt-4o", "429 x2": "gpt-4o", "quota": "insufficient_quota",
                       "cut": (2, "APIConnectionError"), "stall": "APITimeoutError"}
    # attempts, as the server recorded them: drop+retry (2), two 429s+success (3), quota (1), stall (1)
    assert attempts(server, "/v1/models/gpt-4o") == 2 + 3 + 1 + 1
    assert attempts(server, "/v1/chat/completions") == 1  # a cut stream is not retried
    assert sorted(round(w, 3) for w in _instant_retries if w < 0.1) == [0.007, 0.007]
    assert time.monotonic() - started < 10
