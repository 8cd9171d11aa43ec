"""`DefaultAioHttpClient`: the async client over aiohttp, against loopback servers.

The byte-level failure cases run in `chaos/test_faults_aiohttp.py`; here: ordinary use (JSON,
streams, uploads), connection reuse and release, cancellation, proxies from the environment,
deadlines, and the extra being optional.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from typing import Any

import pytest

pytest.importorskip("aiohttp", reason="the aiohttp extra is not installed: pip install 'pyopenai[aiohttp]'")

from chaos.server import ChaosServer, json_body, raw, sse, stall_after_headers

from pyopenai import APIConnectionError, APITimeoutError, AsyncOpenAI, DefaultAioHttpClient
from pyopenai.testing import LocalServer

MODEL = {"id": "gpt-x", "object": "model", "created": 0, "owned_by": "me"}
CHUNK = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "m",
         "choices": [{"index": 0, "delta": {"content": "x"}, "finish_reason": None}]}


def aio_client(base_url: str, **options: Any) -> AsyncOpenAI:
    http_options = options.pop("http", {})
    return AsyncOpenAI(api_key="sk-aio-secret", base_url=base_url, http_client=DefaultAioHttpClient(**http_options),
                       **options)


@pytest.fixture
def chaos() -> Any:
    server = ChaosServer()
    try:
        yield server
    finally:
        server.stop()


def test_import_pyopenai_does_not_import_aiohttp() -> None:
    code = (
        "import sys, pyopenai\n"
        "client = pyopenai.AsyncOpenAI(api_key='k')\n"
        "assert 'aiohttp' not in sys.modules, 'aiohttp imported'\n"
        "pyopenai.DefaultAioHttpClient\n"  # the name resolves without creating a client
        "assert 'aiohttp' not in sys.modules, 'aiohttp imported by the name'\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "ok", result.stderr


def test_missing_extra_names_the_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "aiohttp", None)
    with pytest.raises(ImportError, match=r"pip install 'pyopenai\[aiohttp\]'"):
        DefaultAioHttpClient()


async def test_chat_stream_and_upload_against_the_local_server() -> None:
    with LocalServer() as server:
        async with aio_client(server.url) as client:
            reply = await client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
            assert reply.choices[0].message.content == 'You said: "hi".'
            stream = await client.chat.completions.create(
                model="gpt-4o", messages=[{"role": "user", "content": "hi"}], stream=True
            )
            text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
            assert text == 'You said: "hi".'
            uploaded = await client.files.create(file=("notes.txt", b"0123456789" * 50_000), purpose="assistants")
            assert (uploaded.filename, uploaded.bytes) == ("notes.txt", 500_000)
            content = await client.files.content(uploaded.id)
            assert content.content == b"0123456789" * 50_000


async def test_upload_of_unknown_length_is_sent_chunked() -> None:
    # batches.run streams its JSONL with no length; aiohttp must frame it itself
    with LocalServer() as server:
        async with aio_client(server.url) as client:
            run = await client.batches.run(
                [{"model": "gpt-4o", "messages": [{"role": "user", "content": f"q{i}"}]} for i in range(3)],
                endpoint="/v1/chat/completions",
            )
            await run.wait(poll_interval=0)
            answers = [r.response.choices[0].message.content async for r in run.results() if r.response]
            assert answers == ['You said: "q0".', 'You said: "q1".', 'You said: "q2".']


async def test_retries_over_aiohttp_follow_the_servers_retry_after() -> None:
    with LocalServer() as server:
        server.faults.rate_limit(retry_after_ms=10, times=2)
        async with aio_client(server.url) as client:
            response = await client.models.with_raw_response.list()
            assert response.retries_taken == 2
            assert response.parse().data


async def test_connections_are_reused_and_released(chaos: ChaosServer) -> None:
    chaos.script(json_body(MODEL))
    client = aio_client(chaos.url)
    for _ in range(3):
        assert (await client.models.retrieve("gpt-x")).id == "gpt-x"
    assert chaos.total_connections == 1  # keep-alive: one connection for three calls
    await client.close()
    assert await asyncio.to_thread(chaos.wait_for_connections, 0), "closing the client leaves no socket open"


async def test_abandoned_stream_closes_its_connection(chaos: ChaosServer) -> None:
    chaos.script(sse([CHUNK] * 5, done=False, then_stall=30), json_body(MODEL))
    client = aio_client(chaos.url)
    stream = await client.chat.completions.create(model="m", messages=[], stream=True)
    first = await stream.__anext__()
    assert first.choices[0].delta.content == "x"
    await stream.close()
    assert await asyncio.to_thread(chaos.wait_for_connections, 0), "the half-read stream's connection was not closed"
    assert (await client.models.retrieve("gpt-x")).id == "gpt-x"  # the client still works
    await client.close()


async def test_cancelled_task_releases_the_connection(chaos: ChaosServer) -> None:
    chaos.script(stall_after_headers(30))
    client = aio_client(chaos.url)
    task = asyncio.create_task(client.models.retrieve("gpt-x"))
    assert await asyncio.to_thread(chaos.wait_for_attempts, 1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await asyncio.to_thread(chaos.wait_for_connections, 0), "the cancelled request's socket is still open"
    await client.close()


async def test_read_timeout_is_an_api_timeout_error(chaos: ChaosServer) -> None:
    chaos.script(stall_after_headers(30))
    async with aio_client(chaos.url, timeout=0.2, max_retries=0) as client:
        with pytest.raises(APITimeoutError):
            await client.models.retrieve("gpt-x")


async def test_deadline_bounds_the_whole_call(chaos: ChaosServer) -> None:
    chaos.script(stall_after_headers(30))
    async with aio_client(chaos.url, timeout=20, max_retries=5) as client:
        started = asyncio.get_running_loop().time()
        with pytest.raises(APITimeoutError):
            await client.with_options(deadline=0.3).models.retrieve("gpt-x")
        assert asyncio.get_running_loop().time() - started < 5


async def test_refused_connection_is_an_api_connection_error() -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with aio_client(f"http://127.0.0.1:{port}/v1", max_retries=1) as client:
        with pytest.raises(APIConnectionError) as caught:
            await client.models.list()
        assert not isinstance(caught.value, APITimeoutError)


async def test_proxy_from_the_environment(chaos: ChaosServer, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", chaos.url.removesuffix("/v1"))
    chaos.script(json_body(MODEL))
    async with aio_client("http://api.example.invalid/v1") as client:
        assert (await client.models.retrieve("gpt-x")).id == "gpt-x"
    # a proxy receives the absolute URL of the target
    assert chaos.received[0].path == "http://api.example.invalid/v1/models/gpt-x"
    assert chaos.received[0].headers["authorization"] == "Bearer sk-aio-secret"


async def test_trust_env_false_ignores_proxy_variables(chaos: ChaosServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing there: used, it would fail
    chaos.script(json_body(MODEL))
    async with aio_client(chaos.url, http={"trust_env": False}) as client:
        assert (await client.models.retrieve("gpt-x")).id == "gpt-x"


async def test_request_reaches_the_wire_as_with_the_default_transport(chaos: ChaosServer) -> None:
    chaos.script(json_body(MODEL))
    async with aio_client(chaos.url, default_headers={"x-extra": "1"}) as client:
        await client.chat.completions.create(model="m", messages=[{"role": "user", "content": "é"}])
    received = chaos.received[0]
    assert received.method == "POST" and received.path == "/v1/chat/completions"
    assert received.headers["content-type"] == "application/json"
    assert received.headers["x-extra"] == "1"
    assert received.headers["user-agent"].startswith("pyopenai/")
    assert json.loads(received.body) == {"model": "m", "messages": [{"role": "user", "content": "é"}]}


async def test_a_followed_redirect_resends_the_body(chaos: ChaosServer) -> None:
    # httpx2 builds the redirected request itself; its body reaches aiohttp as it did the first time
    chaos.script(raw(307, b"", headers={"location": "/v1/moved/chat/completions"}), json_body(MODEL))
    async with aio_client(chaos.url) as client:
        await client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
    first, moved = chaos.received
    assert moved.path == "/v1/moved/chat/completions"
    assert json.loads(moved.body) == json.loads(first.body) == {"model": "m", "messages": [{"role": "user", "content": "hi"}]}


async def test_realtime_over_the_aiohttp_client() -> None:
    pytest.importorskip("wsproto", reason="WebSocket support needs wsproto (pyopenai[realtime])")
    import importlib
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent / "realtime"))
    wssupport: Any = importlib.import_module("wssupport")
    with wssupport.ScriptServer() as server:
        async with aio_client(server.url) as client:
            async with client.realtime.connect(model="gpt-realtime") as connection:
                assert (await connection.recv()).type == "session.created"
    assert server.handshakes[0].headers["authorization"] == "Bearer sk-aio-secret"


async def test_connect_timeout_is_an_api_timeout_error() -> None:
    import socket

    import httpx2

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)  # never accepted: once its queue is full, new connections wait in SYN
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    try:
        async with aio_client(f"http://127.0.0.1:{port}/v1", max_retries=0,
                              timeout=httpx2.Timeout(10.0, connect=0.3)) as client:
            with pytest.raises(APITimeoutError):
                await client.models.list()
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


def test_aiohttp_failures_map_to_httpx2_errors() -> None:
    import aiohttp
    import httpx2

    from pyopenai._aiohttp import _timeout_error, _transport_error

    assert isinstance(_timeout_error(aiohttp.ConnectionTimeoutError()), httpx2.ConnectTimeout)
    assert isinstance(_timeout_error(aiohttp.SocketTimeoutError()), httpx2.ReadTimeout)
    assert isinstance(_transport_error(aiohttp.ServerDisconnectedError()), httpx2.RemoteProtocolError)
    assert isinstance(_transport_error(aiohttp.ClientPayloadError("cut")), httpx2.RemoteProtocolError)
