"""Deadlines (a time budget per call), idle timeouts of streams, TCP keep-alive: against a real server.

These tests let retry waits really happen (`real_sleeps`), kept short by the deadlines themselves.
"""

from __future__ import annotations

import asyncio
import socket
import time
from typing import Any

import pytest

from pyopenai import APIConnectionError, APITimeoutError, AzureOpenAI, InternalServerError, OpenAI, RateLimitError

from .server import ChaosServer, drip, json_body, reset, sse, stall_after_headers, status
from .support import abounded, assert_pool_idle, async_client, bounded, pool_of, sync_client

MODEL = {"id": "m", "object": "model", "created": 0, "owned_by": "chaos"}
CHUNK = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "m", "choices": []}


def timed_sync(client: OpenAI, **kw: Any) -> tuple[BaseException | None, float]:
    started = time.monotonic()
    try:
        bounded(lambda: client.models.retrieve("m", **kw))
    except Exception as err:
        return err, time.monotonic() - started
    return None, time.monotonic() - started


# -- sync and async: the same promises -------------------------------------------------------------


SCENARIOS = {
    # id: (actions, client options, deadline, expected cause type, attempts range, elapsed range)
    "5xx storm, retry-after-ms 100": ([status(503, {"retry-after-ms": "100"})], {"max_retries": 10}, 0.5,
                                      InternalServerError, (3, 6), (0.25, 0.9)),
    "429 asking for 30 s": ([status(429, {"retry-after": "30"})], {}, 2.0, RateLimitError, (1, 1), (0.0, 0.5)),
    "stalled body, read timeout 30 s": ([stall_after_headers(30)], {"timeout": 30.0}, 0.4, None, (1, 1), (0.35, 1.0)),
    "body dripping a byte per 20 ms": ([drip(200, 0.02)], {"timeout": 30.0}, 0.5, None, (1, 1), (0.45, 1.1)),
    "resets, backoff past the deadline": ([reset()], {"max_retries": 10}, 0.6, None, (2, 3), (0.3, 1.0)),
}


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_deadline_bounds_the_whole_call(scenario: str, mode: str, chaos: ChaosServer, real_sleeps: list[float]) -> None:
    actions, options, deadline, cause, (low_attempts, high_attempts), (low, high) = SCENARIOS[scenario]
    chaos.script(*actions)
    started = time.monotonic()
    if mode == "sync":
        client = sync_client(chaos, **options)
        try:
            with pytest.raises(APITimeoutError) as info:
                bounded(lambda: client.with_options(deadline=deadline).models.retrieve("m"))
            assert_pool_idle(client)
        finally:
            client.close()
    else:
        async def run() -> pytest.ExceptionInfo[APITimeoutError]:
            client = async_client(chaos, **options)
            try:
                with pytest.raises(APITimeoutError) as info:
                    await abounded(client.with_options(deadline=deadline).models.retrieve("m"))
                assert_pool_idle(client)
                return info
            finally:
                await client.close()

        info = asyncio.run(run())
    elapsed = time.monotonic() - started
    assert low <= elapsed <= high, f"{scenario}: gave up after {elapsed:.2f} s with a {deadline} s deadline"
    assert low_attempts <= chaos.attempts <= high_attempts
    assert f"deadline of {deadline:g} s exceeded" in str(info.value)
    if cause is not None:
        assert type(info.value.__cause__) is cause  # the last answer stays reachable
    assert all(wait < deadline for wait in real_sleeps)
    assert chaos.wait_for_connections(0)


def test_without_a_deadline_the_same_storm_runs_all_its_retries(chaos: ChaosServer, real_sleeps: list[float]) -> None:
    chaos.script(status(503, {"retry-after-ms": "5"}))
    client = sync_client(chaos, max_retries=4)
    with pytest.raises(InternalServerError):
        bounded(lambda: client.models.retrieve("m"))
    assert chaos.attempts == 5 and len(real_sleeps) == 4
    client.close()


def test_deadline_as_client_option_per_call_option_and_removed(chaos: ChaosServer, real_sleeps: list[float]) -> None:
    chaos.script(stall_after_headers(30))
    client = sync_client(chaos, timeout=30.0, deadline=0.3, max_retries=0)
    assert client.deadline == 0.3 and client.with_options(max_retries=1).deadline == 0.3  # copies inherit it
    err, elapsed = timed_sync(client)
    assert isinstance(err, APITimeoutError) and elapsed < 1.0
    # custom requests take it per call, through options=
    started = time.monotonic()
    with pytest.raises(APITimeoutError, match="deadline of 0.2 s"):
        bounded(lambda: client.get("/models/m", cast_to=object, options={"deadline": 0.2}))
    assert time.monotonic() - started < 1.0
    # `with_options(deadline=None)` takes it away again: the per-request timeout decides alone
    chaos.script(json_body(MODEL))
    assert client.with_options(deadline=None).deadline is None
    assert bounded(lambda: client.with_options(deadline=None).models.retrieve("m")).id == "m"
    client.close()


@pytest.mark.parametrize("bad", [0, -1.0])
def test_deadline_must_be_positive(bad: float) -> None:
    with pytest.raises(ValueError, match="deadline"):
        OpenAI(api_key="sk-x", deadline=bad)
    with pytest.raises(ValueError, match="deadline"):
        OpenAI(api_key="sk-x").with_options(deadline=bad)


def test_azure_clients_take_a_deadline_too(chaos: ChaosServer) -> None:
    client = AzureOpenAI(api_key="azure-key", azure_endpoint=chaos.url.removesuffix("/v1"), api_version="2024-10-21")
    assert client.with_options(deadline=2.5).deadline == 2.5
    client.close()


def test_a_deadline_does_not_cut_a_stream_that_keeps_talking(chaos: ChaosServer, real_sleeps: list[float]) -> None:
    """Streams are covered until they start; then the idle (read) timeout guards them, not the deadline."""
    chaos.script(sse([CHUNK] * 4, gap=0.1))
    client = sync_client(chaos, timeout=2.0, deadline=0.15)
    started = time.monotonic()
    events = bounded(lambda: list(client.chat.completions.create(model="m", messages=[], stream=True)))
    assert len(events) == 4 and time.monotonic() - started > 0.3
    assert_pool_idle(client)
    client.close()


# -- idle timeout of streams -----------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_stream_idle_timeout_is_the_read_timeout(mode: str, chaos: ChaosServer) -> None:
    """No byte for `read` seconds mid-stream: the events so far, then APITimeoutError caused by the read timeout."""
    import httpx2

    chaos.script(sse([CHUNK] * 2, done=False, then_stall=30))
    timeout = httpx2.Timeout(30.0, read=0.2)  # generous overall, strict between two chunks
    received: list[Any] = []
    started = time.monotonic()
    if mode == "sync":
        client = sync_client(chaos, timeout=timeout)
        with pytest.raises(APITimeoutError, match=r"^Request timed out\.$") as info:
            bounded(lambda: received.extend(client.chat.completions.create(model="m", messages=[], stream=True)))
        client.close()
    else:
        async def run() -> pytest.ExceptionInfo[APITimeoutError]:
            client = async_client(chaos, timeout=timeout)
            try:
                with pytest.raises(APITimeoutError, match=r"^Request timed out\.$") as info:
                    async for chunk in await abounded(client.chat.completions.create(model="m", messages=[], stream=True)):
                        received.append(chunk)
                return info
            finally:
                await client.close()

        info = asyncio.run(run())
    assert len(received) == 2 and 0.15 < time.monotonic() - started < 2.0
    assert isinstance(info.value, APIConnectionError)  # callers catching connection errors catch this too
    assert isinstance(info.value.__cause__, httpx2.ReadTimeout)


# -- TCP keep-alive ------------------------------------------------------------------------------------


def _socket_of(connection: Any) -> socket.socket:
    # the sync default client's `LeanConnection` holds its stream itself; httpcore2's connections one level down
    stream = connection._stream if hasattr(connection, "_stream") else connection._connection._network_stream
    return stream.get_extra_info("socket")


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_tcp_keepalive_is_set_on_the_clients_sockets(mode: str, chaos: ChaosServer) -> None:
    chaos.script(json_body(MODEL))

    def check(client: Any) -> None:
        (connection,) = pool_of(client).connections
        sock = _socket_of(connection)
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
        if hasattr(socket, "TCP_KEEPIDLE"):
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE) == 60
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL) == 15
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT) == 4

    if mode == "sync":
        client = sync_client(chaos)
        client.models.retrieve("m")
        check(client)
        client.close()
    else:
        async def run() -> None:
            client = async_client(chaos)
            await client.models.retrieve("m")
            check(client)
            await client.close()

        asyncio.run(run())


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_deadline_bounds_a_slow_upload(mode: str, chaos: ChaosServer, real_sleeps: list[float], tmp_path: Any) -> None:
    """Each write finishes in time, the whole upload would not: the deadline stops it between chunks."""
    big = tmp_path / "big.jsonl"
    with open(big, "wb") as f:
        f.truncate(64 * 1024 * 1024)  # sparse
    chaos.body_read_pause = 0.02  # about 12 MB/s: some 5 s for the whole file
    chaos.script(json_body({"id": "file-1", "object": "file"}))
    started = time.monotonic()
    if mode == "sync":
        client = sync_client(chaos, timeout=30.0, max_retries=0)
        with pytest.raises(APITimeoutError, match="deadline of 0.5 s") as info:
            bounded(lambda: client.with_options(deadline=0.5).files.create(file=big, purpose="batch"))
        client.close()
    else:
        async def run() -> pytest.ExceptionInfo[APITimeoutError]:
            client = async_client(chaos, timeout=30.0, max_retries=0)
            try:
                with pytest.raises(APITimeoutError, match="deadline of 0.5 s") as info:
                    await abounded(client.with_options(deadline=0.5).files.create(file=big, purpose="batch"))
                return info
            finally:
                await client.close()

        info = asyncio.run(run())
    assert time.monotonic() - started < 1.5
    assert "WriteTimeout" in str(info.value) or "sending the request body" in repr(info.value.__cause__)
