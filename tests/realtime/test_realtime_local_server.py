"""The local server's WebSocket endpoints (`/v1/realtime`, `/v1/responses`), and cross-checks with the
`websockets` library on either side of the wire (when it is installed)."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any, cast

import httpx2
import pytest

pytest.importorskip("wsproto", reason="WebSocket support needs wsproto (pyopenai[realtime])")

import pyopenai
from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.lib.realtime.mixins import ResponsesConnectMixin
from pyopenai.testing import LocalServer


@pytest.fixture(scope="module")
def local() -> Any:
    with LocalServer(strict_models=True) as server:  # unknown model ids answer 404 (tested below)
        yield server


def user_text(text: str) -> dict[str, Any]:
    return {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}


def test_realtime_text_conversation(local: LocalServer) -> None:
    client = OpenAI(api_key="sk-local", base_url=local.url)
    with client.realtime.connect(model="gpt-realtime") as c:
        created = c.recv()
        assert created.type == "session.created"
        c.session.update(session={"type": "realtime", "output_modalities": ["text"], "instructions": "Be brief."})
        assert c.recv().type == "session.updated"
        c.conversation.item.create(item=user_text("Hello there"))
        item_event = c.recv()
        assert item_event.type == "conversation.item.created"
        c.response.create()
        types: list[str] = []
        text = ""
        for event in c:
            types.append(event.type)
            if event.type == "response.output_text.delta":
                text += event.delta
            if event.type == "response.done":
                assert event.response.status == "completed"
                break
    assert types[0] == "response.created" and types[-1] == "response.done"
    assert 'You said: "Hello there"' in text


def test_realtime_audio_and_errors(local: LocalServer) -> None:
    client = OpenAI(api_key="sk-local", base_url=local.url)
    with client.realtime.connect(model="gpt-realtime") as c:
        c.recv()
        c.input_audio_buffer.commit(event_id="evt_1")
        error = c.recv()
        assert error.type == "error" and error.error.code == "input_audio_buffer_commit_empty"
        assert error.error.event_id == "evt_1"
        c.input_audio_buffer.append(audio="AAAAAAAA")
        c.input_audio_buffer.commit()
        assert [c.recv().type, c.recv().type] == ["input_audio_buffer.committed", "conversation.item.created"]
        c.conversation.item.retrieve(item_id="item_missing")
        assert c.recv().error.code == "item_not_found"  # pyright: ignore[reportAttributeAccessIssue]
        c.send({"type": "no.such.event"})  # pyright: ignore[reportArgumentType]  # unknown on purpose
        assert c.recv().error.param == "type"  # pyright: ignore[reportAttributeAccessIssue]
        c.response.create(response={"output_modalities": ["audio"]})
        kinds = set()
        for event in c:
            kinds.add(event.type)
            if event.type == "response.done":
                break
        assert {"response.output_audio.delta", "response.output_audio_transcript.delta"} <= kinds


def test_beta_realtime_uses_the_beta_event_names(local: LocalServer) -> None:
    client = OpenAI(api_key="sk-local", base_url=local.url)
    with client.beta.realtime.connect(model="gpt-4o-realtime-preview") as c:
        c.recv()
        c.conversation.item.create(item=user_text("hi"))
        c.recv()
        c.response.create()
        kinds = []
        for event in c:
            kinds.append(event.type)
            if event.type == "response.done":
                break
    assert "response.text.delta" in kinds


async def test_async_realtime_against_the_local_server(local: LocalServer) -> None:
    client = AsyncOpenAI(api_key="sk-local", base_url=local.url)
    async with client.realtime.connect(model="gpt-realtime") as c:
        await c.conversation.item.create(item=user_text("async hello"))
        await c.response.create()
        done = None
        async for event in c:
            if event.type == "response.done":
                done = event
                break
    assert done is not None
    assert 'async hello' in json.dumps(done.response.to_dict())


def test_responses_over_websocket(local: LocalServer) -> None:
    client = OpenAI(api_key="sk-local", base_url=local.url)
    with cast(Any, ResponsesConnectMixin).connect(client.responses) as c:
        c.response.create(model="gpt-4o-mini", input="Say hi")
        events = []
        for event in c:
            events.append(event)
            if event.type == "response.completed":
                break
        c.response.create(model="no-such-model", input="x")
        error = c.recv()
    assert events[0].type == "response.created"
    assert "".join(e.delta for e in events if e.type == "response.output_text.delta") == events[-1].response.output_text
    assert error.type == "error" and error.status == 404


def test_plain_get_is_refused(local: LocalServer) -> None:
    response = httpx2.get(f"{local.url}/realtime?model=m", headers={"authorization": "Bearer x"})
    assert response.status_code == 400
    assert "WebSocket" in response.json()["error"]["message"]


def test_auth_is_checked_on_the_handshake() -> None:
    with LocalServer(require_auth=True, api_key="sk-right") as server:
        with pytest.raises(pyopenai.AuthenticationError), OpenAI(api_key="sk-wrong", base_url=server.url).realtime.connect(model="m"):
            pass
        with OpenAI(api_key="sk-right", base_url=server.url).realtime.connect(model="m") as c:
            assert c.recv().type == "session.created"


def test_the_websockets_library_talks_to_the_local_server(local: LocalServer) -> None:
    pytest.importorskip("websockets")
    from websockets.sync.client import connect

    url = f"ws://127.0.0.1:{local.port}/v1/realtime?model=gpt-realtime"
    with connect(url, additional_headers={"Authorization": "Bearer sk"}, max_size=None) as ws:
        assert json.loads(ws.recv())["type"] == "session.created"
        ws.send(json.dumps({"type": "conversation.item.create", "item": user_text("x" * 300_000)}))
        assert json.loads(ws.recv())["type"] == "conversation.item.created"
        ws.send(json.dumps({"type": "response.create"}))
        events = []
        while not events or events[-1]["type"] != "response.done":
            events.append(json.loads(ws.recv()))
        ws.ping().wait(5)


def test_the_client_talks_to_a_websockets_server() -> None:
    pytest.importorskip("websockets")
    from websockets.asyncio.server import ServerConnection, serve

    seen: dict[str, Any] = {}
    ready = threading.Event()
    state: dict[str, Any] = {}

    async def handler(ws: ServerConnection) -> None:
        seen["path"] = ws.request.path if ws.request is not None else None
        await ws.send(json.dumps({"type": "session.created", "event_id": "e", "session": {}}))
        async for message in ws:
            data = json.loads(message)
            if data["type"] == "response.create":
                await ws.send(json.dumps({"type": "response.output_text.delta", "event_id": "e", "response_id": "r",
                                          "item_id": "i", "output_index": 0, "content_index": 0, "delta": "z" * 3_000_000}))
                await ws.close(1001, "restarting")

    def run() -> None:
        async def main() -> None:
            async with serve(handler, "127.0.0.1", 0, max_size=None) as server:
                state["port"] = server.sockets[0].getsockname()[1]
                state["loop"] = asyncio.get_running_loop()
                state["stop"] = asyncio.Event()
                ready.set()
                await state["stop"].wait()

        asyncio.run(main())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(10)
    try:
        client = OpenAI(api_key="sk", base_url=f"http://127.0.0.1:{state['port']}/v1")
        with client.realtime.connect(model="m") as c:
            c.response.create()
            events = list(c)  # a 1001 close ends the iteration quietly
        assert [e.type for e in events] == ["session.created", "response.output_text.delta"]
        assert len(cast(Any, events[1]).delta) == 3_000_000
        assert seen["path"] == "/v1/realtime?model=m"
    finally:
        state["loop"].call_soon_threadsafe(state["stop"].set)
        thread.join(10)
