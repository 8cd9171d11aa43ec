"""`client.realtime.connect()` (sync) against the scripted server: URL, headers, events, closes, frames."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

pytest.importorskip("wsproto", reason="WebSocket support needs wsproto (pyopenai[realtime])")

from wssupport import ScriptServer, echo_script

import pyopenai
from pyopenai import OpenAI
from pyopenai._types import omit
from pyopenai.lib.realtime import (
    RealtimeConnection,
    WebSocketConnectionClosedError,
    WebSocketQueueFullError,
)
from pyopenai.types.realtime.realtime_error_event import RealtimeErrorEvent
from pyopenai.types.realtime.session_created_event import SessionCreatedEvent


def client_for(server: ScriptServer, **kwargs: Any) -> OpenAI:
    kwargs.setdefault("api_key", "sk-test")
    return OpenAI(base_url=server.url, **kwargs)


def scripted(script: str) -> dict[str, Any]:
    return {"metadata": {"script": script}}


@pytest.fixture
def server() -> Any:
    with ScriptServer() as s:
        yield s


def test_handshake_url_and_headers(server: ScriptServer) -> None:
    client = client_for(
        server, organization="org_1", project="proj_1", default_headers={"x-team": "a"}, default_query={"dq": "1"}
    )
    with client.realtime.connect(
        model="gpt-realtime", extra_query={"foo": "bar"}, extra_headers={"x-extra": "yes", "x-team": "b"}
    ) as connection:
        assert isinstance(connection, RealtimeConnection)
        assert connection.response_headers["x-request-id"] == "req_ws"
        event = connection.recv()
        assert isinstance(event, SessionCreatedEvent)
    (hs,) = server.handshakes
    assert hs.path == "/v1/realtime"
    assert hs.q("model") == "gpt-realtime" and hs.q("foo") == "bar" and hs.q("dq") == "1"
    assert hs.headers["authorization"] == "Bearer sk-test"
    assert hs.headers["openai-organization"] == "org_1"
    assert hs.headers["openai-project"] == "proj_1"
    assert hs.headers["x-extra"] == "yes" and hs.headers["x-team"] == "b"
    assert hs.headers["upgrade"].lower() == "websocket"
    assert hs.headers["user-agent"].startswith("pyopenai/")
    assert "openai-beta" not in hs.headers


def test_extra_headers_omit_removes_a_header(server: ScriptServer) -> None:
    client = client_for(server, organization="org_1")
    with client.realtime.connect(model="m", extra_headers={"OpenAI-Organization": omit}) as connection:
        connection.recv()
    assert "openai-organization" not in server.handshakes[0].headers


def test_websocket_base_url_and_call_id(server: ScriptServer) -> None:
    client = OpenAI(api_key="sk-test", base_url="http://127.0.0.1:9/unused", websocket_base_url=f"ws://127.0.0.1:{server.port}/custom/")
    with client.realtime.connect(call_id="call_123") as connection:
        connection.recv()
    (hs,) = server.handshakes
    assert hs.path == "/custom/realtime"
    assert hs.q("call_id") == "call_123" and hs.q("model") is None


def test_key_provider_is_called_for_each_connection(server: ScriptServer) -> None:
    keys = iter(["sk-one", "sk-two"])
    client = client_for(server, api_key=lambda: next(keys))
    for _ in range(2):
        with client.realtime.connect(model="m") as connection:
            connection.recv()
    assert [h.headers["authorization"] for h in server.handshakes] == ["Bearer sk-one", "Bearer sk-two"]


def test_beta_realtime_sends_the_beta_header(server: ScriptServer) -> None:
    client = client_for(server)
    with client.beta.realtime.connect(model="gpt-4o-realtime-preview") as connection:
        assert connection.recv().type == "session.created"
    assert server.handshakes[0].headers["openai-beta"] == "realtime=v1"


def test_conversation_flow_with_typed_events(server: ScriptServer) -> None:
    client = client_for(server)
    with client.realtime.connect(model="gpt-realtime") as connection:
        assert connection.recv().type == "session.created"
        connection.session.update(session={"type": "realtime", "instructions": "be brief"})
        updated = connection.recv()
        assert updated.type == "session.updated"
        connection.response.create()
        deltas: list[str] = []
        for event in connection:
            if event.type == "response.output_text.delta":
                deltas.append(event.delta)
            elif event.type == "response.done":
                assert event.response.status == "completed"
                break
        assert "".join(deltas) == "Hello!"


def test_helpers_send_the_documented_events(server: ScriptServer) -> None:
    client = client_for(server)
    with client.realtime.connect(model="m") as c:
        c.recv()
        c.conversation.item.create(
            item={"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]},
            previous_item_id="item_0",
        )
        c.conversation.item.delete(item_id="item_1", event_id="e1")
        c.conversation.item.retrieve(item_id="item_2")
        c.conversation.item.truncate(item_id="item_3", content_index=0, audio_end_ms=1500)
        c.input_audio_buffer.append(audio="AAAA")
        c.input_audio_buffer.commit()
        c.input_audio_buffer.clear(event_id="e2")
        c.output_audio_buffer.clear()
        c.response.cancel(response_id="resp_9")
        c.send({"type": "session.update", "session": {"type": "realtime"}, "event_id": "e3"})
        server.wait_for(lambda: len(server.connections[0].received) == 10)
    assert server.connections[0].received[:9] == [
        {"type": "conversation.item.create", "previous_item_id": "item_0",
         "item": {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]}},
        {"type": "conversation.item.delete", "item_id": "item_1", "event_id": "e1"},
        {"type": "conversation.item.retrieve", "item_id": "item_2"},
        {"type": "conversation.item.truncate", "item_id": "item_3", "content_index": 0, "audio_end_ms": 1500},
        {"type": "input_audio_buffer.append", "audio": "AAAA"},
        {"type": "input_audio_buffer.commit"},
        {"type": "input_audio_buffer.clear", "event_id": "e2"},
        {"type": "output_audio_buffer.clear"},
        {"type": "response.cancel", "response_id": "resp_9"},
    ]


def test_models_are_sent_as_json(server: ScriptServer) -> None:
    from pyopenai.types.realtime.session_update_event import SessionUpdateEvent

    client = client_for(server)
    event = SessionUpdateEvent.model_validate({"type": "session.update", "session": {"type": "realtime", "instructions": "x"}})
    with client.realtime.connect(model="m") as c:
        c.recv()
        c.send(event)
        assert c.recv().type == "session.updated"
    assert server.connections[0].received[0] == {"type": "session.update", "session": {"type": "realtime", "instructions": "x"}}


def test_error_events_arrive_as_events(server: ScriptServer) -> None:
    client = client_for(server)
    with client.realtime.connect(model="m") as c:
        c.recv()
        c.response.create(response=scripted("error"), event_id="evt_client")
        error = c.recv()
        assert isinstance(error, RealtimeErrorEvent)
        assert error.error.message == "Scripted failure"
        assert error.error.event_id == "evt_client"
        c.session.update(session={"type": "realtime"})
        assert c.recv().type == "session.updated"  # still open


def test_recv_bytes_and_parse_event(server: ScriptServer) -> None:
    client = client_for(server)
    with client.realtime.connect(model="m") as c:
        raw = c.recv_bytes()
        assert json.loads(raw)["type"] == "session.created"
        assert c.parse_event(raw).type == "session.created"


def test_dispatch_events_calls_handlers(server: ScriptServer) -> None:
    client = client_for(server)
    seen: list[str] = []
    manager = client.realtime.connect(model="m")

    @manager.on("session.created")
    def created(event: Any) -> None:
        seen.append("created")
        connection.response.create()

    manager.once("event", lambda e: seen.append("first:" + e.type))
    with manager as connection:
        connection.on("response.output_text.delta", lambda e: seen.append(e.delta))

        def done(event: Any) -> None:
            seen.append("done")
            connection.close()

        connection.on("response.done", done)
        connection.dispatch_events()
    assert seen == ["created", "first:session.created", "Hel", "lo", "!", "done"]


def test_off_removes_a_handler(server: ScriptServer) -> None:
    client = client_for(server)
    seen: list[str] = []
    with client.realtime.connect(model="m") as c:
        handler = seen.append
        c.on("event", lambda e: seen.append(e.type))
        c.on("event", lambda e: c.close())
        c.on("session.created", handler).off("session.created", handler)
        c.dispatch_events()
    assert seen == ["session.created"]


def test_dispatch_events_raises_on_an_unhandled_error_event(server: ScriptServer) -> None:
    client = client_for(server)
    with client.realtime.connect(model="m") as c:
        c.recv()
        c.response.create(response=scripted("error"))
        with pytest.raises(pyopenai.OpenAIError, match="Scripted failure"):
            c.dispatch_events()


def test_manager_send_is_queued_until_connected(server: ScriptServer) -> None:
    client = client_for(server)
    manager = client.realtime.connect(model="m", max_queue_size=200)
    manager.send({"type": "session.update", "session": {"type": "realtime"}})
    with pytest.raises(WebSocketQueueFullError):
        manager.send({"type": "session.update", "session": {"type": "realtime", "instructions": "x" * 500}})
    with manager as c:
        assert c.recv().type == "session.created"
        assert c.recv().type == "session.updated"


def test_abrupt_close_mid_stream_raises_with_code_1006(server: ScriptServer) -> None:
    client = client_for(server)
    with client.realtime.connect(model="m") as c:
        c.recv()
        c.response.create(response=scripted("abort"))
        types: list[str] = []
        with pytest.raises(WebSocketConnectionClosedError) as info:
            for event in c:
                types.append(event.type)
        assert info.value.code == 1006
        assert "without a close frame" in str(info.value)
        assert types == ["response.created", "response.output_text.delta", "response.output_text.delta"]
        with pytest.raises(WebSocketConnectionClosedError):
            c.recv()
        with pytest.raises(WebSocketConnectionClosedError):
            c.session.update(session={"type": "realtime"})


def test_server_close_with_an_error_code(server: ScriptServer) -> None:
    client = client_for(server)
    with client.realtime.connect(model="m") as c:
        c.recv()
        c.response.create(response=scripted("close:1011:overloaded"))
        with pytest.raises(WebSocketConnectionClosedError) as info:
            for _ in c:
                pass
        assert (info.value.code, info.value.reason) == (1011, "overloaded")


def test_normal_server_close_ends_iteration(server: ScriptServer) -> None:
    client = client_for(server)
    with client.realtime.connect(model="m") as c:
        c.send({"type": "close.me", "code": 1000})  # pyright: ignore[reportArgumentType]  # the script's own event
        assert [e.type for e in c] == ["session.created"]


def test_client_close_sends_code_and_reason(server: ScriptServer) -> None:
    client = client_for(server)
    with client.realtime.connect(model="m") as c:
        c.recv()
        c.close(code=4001, reason="bye")
        with pytest.raises(WebSocketConnectionClosedError):
            c.recv()
        assert list(c) == []  # a close we asked for ends iteration quietly
    server.wait_for(lambda: server.client_closes == [(4001, "bye")])


def test_context_exit_closes_normally(server: ScriptServer) -> None:
    client = client_for(server)
    with client.realtime.connect(model="m") as c:
        c.recv()
    server.wait_for(lambda: server.client_closes == [(1000, "")])


def test_close_from_another_thread_unblocks_a_reader(server: ScriptServer) -> None:
    client = client_for(server)
    with client.realtime.connect(model="m") as c:
        c.recv()
        result: list[BaseException] = []

        def read() -> None:
            try:
                c.recv()
            except BaseException as exc:
                result.append(exc)

        reader = threading.Thread(target=read)
        reader.start()
        c.close()
        reader.join(5)
        assert not reader.is_alive()
        assert isinstance(result[0], WebSocketConnectionClosedError)


def test_large_frames_both_ways() -> None:
    with ScriptServer(echo_script) as server:
        client = client_for(server)
        big = json.dumps({"type": "x", "data": "é" * 3_000_000})
        blob = bytes(range(256)) * 20_000
        with client.realtime.connect(model="m") as c:
            c.send_raw(big)
            assert c.recv_bytes() == big.encode()
            c.send_raw(blob)
            assert c.recv_bytes() == blob


def test_large_server_event(server: ScriptServer) -> None:
    client = client_for(server)
    with client.realtime.connect(model="m") as c:
        c.recv()
        c.response.create(response=scripted("large:6000000"))
        sizes: list[int] = []
        for event in c:
            if event.type == "response.output_text.delta":
                sizes.append(len(event.delta))
            elif event.type == "response.done":
                break
        assert sizes == [3, 2, 1, 6_000_000]


def test_message_over_max_size_closes_with_1009(server: ScriptServer) -> None:
    client = client_for(server)
    with client.realtime.connect(model="m", websocket_connection_options={"max_size": 100_000}) as c:
        c.recv()
        c.response.create(response=scripted("large:200000"))
        with pytest.raises(WebSocketConnectionClosedError) as info:
            for _ in c:
                pass
        assert info.value.code == 1009


def test_fragmented_message_is_reassembled(server: ScriptServer) -> None:
    client = client_for(server)
    with client.realtime.connect(model="m") as c:
        c.recv()
        c.response.create(response=scripted("fragmented"))
        deltas = []
        for e in c:
            if e.type == "response.output_text.delta":
                deltas.append(e.delta)
            if e.type == "response.done":
                break
        assert deltas[-1] == "in pieces"


def test_server_pings_are_answered(server: ScriptServer) -> None:
    client = client_for(server)
    with client.realtime.connect(model="m") as c:
        c.recv()
        c.response.create(response=scripted("ping"))
        for e in c:
            if e.type == "response.done":
                break
        c.send({"type": "session.update", "session": {"type": "realtime"}})
        assert c.recv().type == "session.updated"
    assert server.connections[0].ws.pongs == 1


def test_keepalive_pings_reach_the_server(server: ScriptServer) -> None:
    client = client_for(server)
    with client.realtime.connect(model="m", websocket_connection_options={"ping_interval": 0.05, "ping_timeout": 5.0}) as c:
        c.recv()
        server.wait_for(lambda: server.connections[0].ws.pings >= 1)
        c.send({"type": "session.update", "session": {"type": "realtime"}})  # the server reads: pings get counted and answered
        assert c.recv().type == "session.updated"


def test_connection_options_are_checked(server: ScriptServer) -> None:
    client = client_for(server)
    with pytest.raises(TypeError, match="unknown websocket_connection_options: nope"):
        client.realtime.connect(model="m", websocket_connection_options={"nope": 1})  # pyright: ignore[reportArgumentType]
    with pytest.raises(ValueError, match="compression must be 'deflate' or None"):
        client.realtime.connect(model="m", websocket_connection_options={"compression": "zstd"})  # pyright: ignore[reportArgumentType]
    assert server.handshakes == []
