"""`client.realtime.connect()` (async) against the scripted server."""

from __future__ import annotations

import json
from typing import Any

import anyio
import pytest

pytest.importorskip("wsproto", reason="WebSocket support needs wsproto (pyopenai[realtime])")

from wssupport import ScriptServer, echo_script

import pyopenai
from pyopenai import AsyncOpenAI
from pyopenai.lib.realtime import AsyncRealtimeConnection, WebSocketConnectionClosedError
from pyopenai.types.realtime.realtime_error_event import RealtimeErrorEvent


def client_for(server: ScriptServer, **kwargs: Any) -> AsyncOpenAI:
    kwargs.setdefault("api_key", "sk-test")
    return AsyncOpenAI(base_url=server.url, **kwargs)


def scripted(script: str) -> dict[str, Any]:
    return {"metadata": {"script": script}}


@pytest.fixture
def server() -> Any:
    with ScriptServer() as s:
        yield s


async def test_handshake_and_flow(server: ScriptServer) -> None:
    async def key() -> str:
        return "sk-async"

    client = client_for(server, api_key=key, project="proj_9")
    async with client.realtime.connect(model="gpt-realtime", extra_query={"a": "1"}) as c:
        assert isinstance(c, AsyncRealtimeConnection)
        assert (await c.recv()).type == "session.created"
        await c.session.update(session={"type": "realtime"})
        assert (await c.recv()).type == "session.updated"
        await c.response.create()
        text = ""
        async for event in c:
            if event.type == "response.output_text.delta":
                text += event.delta
            elif event.type == "response.done":
                break
        assert text == "Hello!"
    (hs,) = server.handshakes
    assert hs.path == "/v1/realtime" and hs.q("model") == "gpt-realtime" and hs.q("a") == "1"
    assert hs.headers["authorization"] == "Bearer sk-async"
    assert hs.headers["openai-project"] == "proj_9"
    assert hs.headers["x-stainless-async"] == "async:asyncio"
    server.wait_for(lambda: server.client_closes == [(1000, "")])


async def test_beta_header(server: ScriptServer) -> None:
    async with client_for(server).beta.realtime.connect(model="m") as c:
        await c.recv()
        await c.transcription_session.update(session={"input_audio_format": "pcm16"})
        server.wait_for(lambda: len(server.connections[0].received) == 1)
    assert server.handshakes[0].headers["openai-beta"] == "realtime=v1"
    assert server.connections[0].received == [
        {"type": "transcription_session.update", "session": {"input_audio_format": "pcm16"}}
    ]


async def test_helpers(server: ScriptServer) -> None:
    async with client_for(server).realtime.connect(model="m") as c:
        await c.recv()
        await c.conversation.item.create(item={"type": "message", "role": "user", "content": []}, event_id="e0")
        await c.conversation.item.delete(item_id="i1")
        await c.conversation.item.retrieve(item_id="i2")
        await c.conversation.item.truncate(item_id="i3", content_index=1, audio_end_ms=10)
        await c.input_audio_buffer.append(audio="AA==")
        await c.input_audio_buffer.commit()
        await c.input_audio_buffer.clear()
        await c.output_audio_buffer.clear(event_id="e9")
        await c.response.cancel()
        server.wait_for(lambda: len(server.connections[0].received) == 9)
    assert [m["type"] for m in server.connections[0].received] == [
        "conversation.item.create", "conversation.item.delete", "conversation.item.retrieve",
        "conversation.item.truncate", "input_audio_buffer.append", "input_audio_buffer.commit",
        "input_audio_buffer.clear", "output_audio_buffer.clear", "response.cancel",
    ]
    assert server.connections[0].received[0]["event_id"] == "e0"
    assert server.connections[0].received[3] == {
        "type": "conversation.item.truncate", "item_id": "i3", "content_index": 1, "audio_end_ms": 10
    }


async def test_error_event_and_dispatch(server: ScriptServer) -> None:
    seen: list[str] = []
    manager = client_for(server).realtime.connect(model="m")

    async def on_error(event: Any) -> None:
        assert isinstance(event, RealtimeErrorEvent)
        seen.append(event.error.message)
        await connection.close()

    manager.on("error", on_error)
    async with manager as connection:
        connection.on("session.created", lambda e: seen.append(e.type))
        await connection.response.create(response=scripted("error"))
        await connection.dispatch_events()
    assert seen == ["session.created", "Scripted failure"]


async def test_unhandled_error_event_raises_in_dispatch(server: ScriptServer) -> None:
    async with client_for(server).realtime.connect(model="m") as c:
        await c.response.create(response=scripted("error"))
        with pytest.raises(pyopenai.OpenAIError, match="Scripted failure"):
            await c.dispatch_events()


async def test_abrupt_close(server: ScriptServer) -> None:
    async with client_for(server).realtime.connect(model="m") as c:
        await c.recv()
        await c.response.create(response=scripted("abort"))
        with pytest.raises(WebSocketConnectionClosedError) as info:
            async for _ in c:
                pass
        assert info.value.code == 1006
        with pytest.raises(WebSocketConnectionClosedError):
            await c.send({"type": "response.create"})


async def test_server_close_codes(server: ScriptServer) -> None:
    async with client_for(server).realtime.connect(model="m") as c:
        await c.recv()
        await c.response.create(response=scripted("close:4321:custom"))
        with pytest.raises(WebSocketConnectionClosedError) as info:
            async for _ in c:
                pass
        assert (info.value.code, info.value.reason) == (4321, "custom")
    async with client_for(server).realtime.connect(model="m") as c:
        await c.send({"type": "close.me", "code": 1000})  # pyright: ignore[reportArgumentType]  # the script's own event
        assert [e.type async for e in c] == ["session.created"]


async def test_client_close_code_and_reason(server: ScriptServer) -> None:
    c = await client_for(server).realtime.connect(model="m").enter()
    await c.recv()
    await c.close(code=4002, reason="done here")
    await c.close()  # idempotent
    server.wait_for(lambda: server.client_closes == [(4002, "done here")])
    with pytest.raises(WebSocketConnectionClosedError):
        await c.recv()


async def test_large_frames_and_fragments() -> None:
    with ScriptServer(echo_script) as server:
        big = json.dumps({"type": "x", "data": "ü" * 2_500_000})
        async with client_for(server).realtime.connect(model="m") as c:
            await c.send_raw(big)
            assert await c.recv_bytes() == big.encode()
            await c.send_raw(b"\x00\x01" * 2_000_000)
            assert await c.recv_bytes() == b"\x00\x01" * 2_000_000
    with ScriptServer() as server:
        async with client_for(server).realtime.connect(model="m") as c:
            await c.recv()
            await c.response.create(response=scripted("large:5000000"))
            await c.response.create(response=scripted("fragmented"))
            deltas: list[str] = []
            done = 0
            async for event in c:
                if event.type == "response.output_text.delta":
                    deltas.append(event.delta)
                elif event.type == "response.done":
                    done += 1
                    if done == 2:
                        break
            assert len(deltas[3]) == 5_000_000
            assert deltas[-1] == "in pieces"


async def test_max_size(server: ScriptServer) -> None:
    async with client_for(server).realtime.connect(model="m", websocket_connection_options={"max_size": 50_000}) as c:
        await c.recv()
        await c.response.create(response=scripted("large:100000"))
        with pytest.raises(WebSocketConnectionClosedError) as info:
            async for _ in c:
                pass
        assert info.value.code == 1009


async def test_server_ping_is_answered_while_receiving(server: ScriptServer) -> None:
    async with client_for(server).realtime.connect(model="m") as c:
        await c.recv()
        await c.response.create(response=scripted("ping"))
        async for event in c:
            if event.type == "response.done":
                break
        await c.session.update(session={})
        assert (await c.recv()).type == "session.updated"
    assert server.connections[0].ws.pongs == 1


async def test_keepalive_ping_then_timeout(server: ScriptServer) -> None:
    options: Any = {"ping_interval": 0.05, "ping_timeout": 0.3}
    async with client_for(server).realtime.connect(model="m", websocket_connection_options=options) as c:
        await c.recv()
        # while the client waits in recv() with nothing arriving, it pings; the server answers
        async with anyio.create_task_group() as tg:
            tg.start_soon(c.recv)
            await anyio.to_thread.run_sync(lambda: server.wait_for(lambda: server.connections[0].ws.pings >= 2))
            tg.cancel_scope.cancel()
        await c.response.create(response=scripted("silent"))  # now the server stops reading and answering
        with anyio.fail_after(10), pytest.raises(WebSocketConnectionClosedError) as info:
            async for _ in c:
                pass
        assert info.value.code == 1006
        assert "keep-alive" in str(info.value)


async def test_trio_backend(server: ScriptServer) -> None:
    pytest.importorskip("trio")

    async def main() -> list[str]:
        client = client_for(server)
        async with client.realtime.connect(model="m") as c:
            await c.response.create()
            types: list[str] = []
            async for event in c:
                types.append(event.type)
                if event.type == "response.done":
                    break
            return types

    def run_in_trio() -> list[str]:
        return anyio.run(main, backend="trio")

    types = await anyio.to_thread.run_sync(run_in_trio)
    assert types[0] == "session.created" and types[-1] == "response.done"
