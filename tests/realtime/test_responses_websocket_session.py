"""`pyopenai.lib.responses_websocket` sessions: lanes over one Responses WebSocket, final responses,
budgets, bad input, close and reconnection; sync and async, against local servers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("wsproto", reason="WebSocket support needs wsproto (pyopenai[realtime])")

from wssupport import Connection, ScriptServer

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.lib.realtime import WebSocketConnectionClosedError
from pyopenai.lib.responses_websocket import (
    AsyncResponsesWebSocketSession,
    ResponsesWebSocketBufferError,
    ResponsesWebSocketError,
    ResponsesWebSocketLimits,
    ResponsesWebSocketSession,
)
from pyopenai.testing import LocalServer
from pyopenai.types.responses import Response

WAIT = 10.0


def limits(**changes: Any) -> ResponsesWebSocketLimits:
    values: dict[str, Any] = {
        "max_lanes": 4, "max_events_per_lane": 64, "max_events": 256,
        "max_bytes_per_lane": 1 << 20, "max_bytes": 1 << 22,
    }
    return ResponsesWebSocketLimits(**{**values, **changes})


def create(text: str, **fields: Any) -> Any:
    return {"type": "response.create", "model": "gpt-4o-mini", "input": text, **fields}


async def lanes_script(conn: Connection, server: ScriptServer) -> None:
    """Answers each `response.create` by its `input`: `echo` (item events, then a terminal without
    `output`), `error`, `flood:N` (N deltas, no terminal), `big` (a 2 kB delta), `abort`.
    A connection after the first starts with an unknown `hello.again` event (reconnection marker)."""
    ws = conn.ws
    if server.handshakes.index(conn.handshake) > 0:
        await ws.send_json({"type": "hello.again"})
    while True:
        message = await server.next_message(conn)
        if not isinstance(message, dict) or message.get("type") != "response.create":
            continue
        lane = {"stream_id": message["stream_id"]} if "stream_id" in message else {}
        mode = str(message.get("input"))
        rid = f"resp_{len(conn.received)}"
        response = {"id": rid, "object": "response", "status": "in_progress", "model": "m", "output": []}
        if mode == "error":
            await ws.send_json({"type": "error", "status": 400, **lane, "error": {
                "type": "invalid_request_error", "code": "previous_response_not_found", "message": "gone", "param": None}})
            continue
        await ws.send_json({"type": "response.created", "sequence_number": 0, "response": response, **lane})
        if mode == "abort":
            ws.abort()
            return
        if mode.startswith("flood:"):
            for i in range(int(mode[6:])):
                await ws.send_json({"type": "response.output_text.delta", "sequence_number": i + 1, "item_id": "m1",
                                    "output_index": 0, "content_index": 0, "delta": "x", "logprobs": [], **lane})
            continue
        text = "y" * 2000 if mode == "big" else f"echo {mode}"
        item = {"type": "message", "id": f"msg_{rid}", "role": "assistant", "status": "completed",
                "content": [{"type": "output_text", "text": text, "annotations": []}]}
        await ws.send_json({"type": "response.output_text.delta", "sequence_number": 1, "item_id": item["id"],
                            "output_index": 0, "content_index": 0, "delta": text, "logprobs": [], **lane})
        await ws.send_json({"type": "response.output_item.done", "sequence_number": 2, "output_index": 0,
                            "item": item, **lane})
        done = {key: value for key, value in response.items() if key != "output"}
        await ws.send_json({"type": "response.completed", "sequence_number": 3, "response": {**done, "status": "completed"},
                            **lane})


@pytest.fixture
def server() -> Iterator[ScriptServer]:
    with ScriptServer(lanes_script) as s:
        yield s


def sent(server: ScriptServer) -> list[Any]:
    return [message for conn in server.connections for message in conn.received]


# -- round trips ------------------------------------------------------------------------------------


def test_final_response_equals_the_stored_response() -> None:
    """The lane's final response (built from the WebSocket events) is the response the HTTP API
    returns for the same id."""
    with LocalServer() as local:
        client = OpenAI(base_url=local.url, api_key="sk-test")
        with client.responses.connect() as connection, ResponsesWebSocketSession(connection, limits=limits()) as session:
            lane = session.lane("conversation")
            lane.send(create("Say hello."))
            first = lane.get_final_response(timeout=WAIT)
            lane.send(create("Now say goodbye.", previous_response_id=first.id))
            second = lane.get_final_response(timeout=WAIT)
        assert isinstance(first, Response)
        assert first.output_text == 'You said: "Say hello.".'
        assert first.to_dict() == client.responses.retrieve(first.id).to_dict()
        assert second.previous_response_id == first.id
        assert second.to_dict() == client.responses.retrieve(second.id).to_dict()


async def test_async_final_response_equals_the_stored_response() -> None:
    with LocalServer() as local:
        client = AsyncOpenAI(base_url=local.url, api_key="sk-test")
        async with client.responses.connect() as connection:
            async with AsyncResponsesWebSocketSession(connection, limits=limits()) as session:
                lane = session.lane("conversation")
                await lane.send(create("Say hello."))
                final = await asyncio.wait_for(lane.get_final_response(), WAIT)
        assert final.output_text == 'You said: "Say hello.".'
        assert final.to_dict() == (await client.responses.retrieve(final.id)).to_dict()


def test_lanes_route_by_stream_id_and_fill_an_omitted_output(server: ScriptServer) -> None:
    client = OpenAI(base_url=server.url, api_key="sk-test")
    with client.responses.connect() as connection, ResponsesWebSocketSession(connection, limits=limits()) as session:
        a, b = session.lane("a"), session.lane("b.2")
        a.send(create("one"))
        b.send(create("two"))
        b_final = b.get_final_response(timeout=WAIT)
        a_events = [a.recv(timeout=WAIT) for _ in range(4)]
        a_final = a.get_final_response(timeout=WAIT)
        assert a.get_final_response(timeout=WAIT) is a_final  # the same response until another begins
    assert [e.type for e in a_events] == [
        "response.created", "response.output_text.delta", "response.output_item.done", "response.completed"]
    assert all(e.stream_id == "a" for e in a_events)
    assert a_final.output_text == "echo one" and b_final.output_text == "echo two"
    assert a_final.status == "completed"
    assert [m.get("stream_id") for m in sent(server)] == ["a", "b.2"]


async def test_async_lanes(server: ScriptServer) -> None:
    client = AsyncOpenAI(base_url=server.url, api_key="sk-test")
    async with client.responses.connect() as connection:
        async with AsyncResponsesWebSocketSession(connection, limits=limits()) as session:
            a = session.lane("a")
            await a.send(create("one"))
            await session.default.send(create("two"))
            assert (await asyncio.wait_for(session.default.get_final_response(), WAIT)).output_text == "echo two"
            assert (await asyncio.wait_for(a.get_final_response(), WAIT)).output_text == "echo one"
            # a cancelled wait consumes nothing
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(a.recv(), 0.05)
            await a.send(create("three"))
            assert (await asyncio.wait_for(a.recv(), WAIT)).type == "response.created"
            assert (await asyncio.wait_for(a.get_final_response(), WAIT)).output_text == "echo three"
    assert [m.get("stream_id") for m in sent(server)] == ["a", None, "a"]


def test_error_event_raises_with_the_event_and_the_lane_stays_usable(server: ScriptServer) -> None:
    client = OpenAI(base_url=server.url, api_key="sk-test")
    with client.responses.connect() as connection, ResponsesWebSocketSession(connection, limits=limits()) as session:
        lane = session.lane("a")
        lane.send(create("error"))
        with pytest.raises(ResponsesWebSocketError) as raised:
            lane.get_final_response(timeout=WAIT)
        assert raised.value.event.type == "error"
        assert "gone" not in str(raised.value)  # the message names the code, not the API's text
        assert "previous_response_not_found" in str(raised.value)
        lane.send(create("again"))
        assert lane.get_final_response(timeout=WAIT).output_text == "echo again"


def test_unclaimed_and_detached_events_show_on_the_default_lane(server: ScriptServer) -> None:
    client = OpenAI(base_url=server.url, api_key="sk-test")
    with client.responses.connect() as connection, ResponsesWebSocketSession(connection, limits=limits()) as session:
        lane = session.lane("a")
        lane.close()
        connection.send(create("raw", stream_id="a"))  # a detached lane's events...
        seen = [session.default.recv(timeout=WAIT) for _ in range(4)]
        assert [e.stream_id for e in seen] == ["a"] * 4  # ...are shown on the default lane
        with pytest.raises(TimeoutError):  # ...without becoming the default lane's response
            session.default.get_final_response(timeout=0.05)
        with pytest.raises(EOFError, match="detached"):
            lane.recv(timeout=WAIT)


# -- bad input --------------------------------------------------------------------------------------


def test_limits_must_be_positive_integers() -> None:
    for bad in ({"max_lanes": 0}, {"max_events": -1}, {"max_bytes": True}, {"max_bytes_per_lane": 1.5},
                {"max_response_bytes": 0}):
        with pytest.raises(ValueError, match="positive integers"):
            limits(**bad)
    assert limits(max_response_bytes=None).max_response_bytes is None
    with pytest.raises(TypeError, match="ResponsesWebSocketLimits"):
        ResponsesWebSocketSession(object(), limits={"max_lanes": 1})  # type: ignore[arg-type]


def test_bad_lanes_and_commands(server: ScriptServer) -> None:
    client = OpenAI(base_url=server.url, api_key="sk-test")
    with client.responses.connect() as connection:
        session = ResponsesWebSocketSession(connection, limits=limits(max_lanes=3))
        with pytest.raises(RuntimeError, match="Enter the WebSocket session"):
            session.default.recv(timeout=0)
        with pytest.raises(RuntimeError, match="not active"):
            session.default.send(create("early"))
        with session:
            with pytest.raises(RuntimeError, match="only be entered once"):
                session.__enter__()
            with pytest.raises(RuntimeError, match="already has a WebSocket session"):
                ResponsesWebSocketSession(connection, limits=limits()).__enter__()
            for bad in ("", "a b", "x" * 257, "é", 7):
                with pytest.raises(ValueError, match="stream_id must be"):
                    session.lane(bad)  # type: ignore[arg-type]
            a = session.lane("a")
            with pytest.raises(ValueError, match="already registered"):
                session.lane("a")
            with pytest.raises(ValueError, match="already registered"):
                session.lane()
            session.lane("b")
            with pytest.raises(ResponsesWebSocketBufferError, match="max_lanes"):
                session.lane("c")
            with pytest.raises(ValueError, match="does not match its lane"):
                a.send(create("x", stream_id="b"))
            with pytest.raises(ValueError, match="neither `stream` nor `background`"):
                a.send(create("x", stream=True))
            with pytest.raises(ValueError, match="string `type`"):
                a.send({"model": "m"})  # type: ignore[typeddict-item]
            with pytest.raises(TypeError, match="dict or a model"):
                a.send("response.create")  # type: ignore[arg-type]
            a.send(create("flood:1"))
            with pytest.raises(RuntimeError, match="Consume the current response"):
                a.send(create("second"))
            with pytest.raises(TimeoutError):
                a.get_final_response(timeout=0.05)
        assert sent(server) == [create("flood:1", stream_id="a")]  # nothing invalid reached the server
        with pytest.raises(RuntimeError, match="has ended"):
            session.lane("late")


# -- budgets ----------------------------------------------------------------------------------------


def test_overflow_ends_the_session_and_closes_the_connection(server: ScriptServer) -> None:
    client = OpenAI(base_url=server.url, api_key="sk-test")
    with client.responses.connect() as connection, \
            ResponsesWebSocketSession(connection, limits=limits(max_events_per_lane=3)) as session:
        lane = session.lane("a")
        lane.send(create("flood:5"))
        server.wait_for(lambda: server.client_closes == [(1000, "")])
        with pytest.raises(ResponsesWebSocketBufferError, match="max_events_per_lane"):
            lane.recv(timeout=WAIT)
        with pytest.raises(ResponsesWebSocketBufferError, match="max_events_per_lane"):
            session.default.get_final_response(timeout=WAIT)


def test_isolated_overflow_fails_only_that_lane(server: ScriptServer) -> None:
    client = OpenAI(base_url=server.url, api_key="sk-test")
    budget = limits(max_events_per_lane=4)  # a whole "fine" response fits, even unread
    with client.responses.connect() as connection, \
            ResponsesWebSocketSession(connection, limits=budget, isolate_lane_overflow=True) as session:
        noisy, quiet = session.lane("noisy"), session.lane("quiet")
        noisy.send(create("flood:6"))
        quiet.send(create("fine"))  # answered after the flood: the server handles creates in order
        assert quiet.get_final_response(timeout=WAIT).output_text == "echo fine"
        with pytest.raises(ResponsesWebSocketBufferError, match="max_events_per_lane"):
            noisy.recv(timeout=WAIT)
        with pytest.raises(ResponsesWebSocketBufferError):
            noisy.get_final_response(timeout=WAIT)
        with pytest.raises(RuntimeError, match="not active"):
            noisy.send(create("more"))


def test_aggregate_pressure_fails_the_largest_backlog(server: ScriptServer) -> None:
    client = OpenAI(base_url=server.url, api_key="sk-test")
    budget = limits(max_events=6)
    with client.responses.connect() as connection, \
            ResponsesWebSocketSession(connection, limits=budget, isolate_lane_overflow=True) as session:
        big, small = session.lane("big"), session.lane("small")
        big.send(create("flood:5"))  # 6 events queued: created + 5 deltas
        small.send(create("fine"))  # its first event finds the session full: `big` gives way
        assert small.get_final_response(timeout=WAIT).output_text == "echo fine"
        with pytest.raises(ResponsesWebSocketBufferError, match="max_events"):
            big.recv(timeout=WAIT)


def test_max_response_bytes_stops_collection_not_events(server: ScriptServer) -> None:
    client = OpenAI(base_url=server.url, api_key="sk-test")
    with client.responses.connect() as connection, \
            ResponsesWebSocketSession(connection, limits=limits(max_response_bytes=1000)) as session:
        lane = session.lane("a")
        lane.send(create("big"))
        assert lane.recv(timeout=WAIT).type == "response.created"
        delta = lane.recv(timeout=WAIT)
        assert delta.type == "response.output_text.delta" and delta.delta == "y" * 2000
        with pytest.raises(ResponsesWebSocketBufferError, match="max_response_bytes"):
            lane.get_final_response(timeout=WAIT)
        lane.send(create("small"))  # the next response is collected again
        assert lane.get_final_response(timeout=WAIT).output_text == "echo small"


# -- close, loss, reconnection ----------------------------------------------------------------------


def test_leaving_the_session_closes_the_connection_and_stops_the_reader(server: ScriptServer) -> None:
    client = OpenAI(base_url=server.url, api_key="sk-test")
    with client.responses.connect() as connection:
        with ResponsesWebSocketSession(connection, limits=limits()) as session:
            lane = session.lane("a")
            reader = session._reader
            assert reader is not None and reader.is_alive()
        assert not reader.is_alive()
        server.wait_for(lambda: server.client_closes == [(1000, "")])
        with pytest.raises(EOFError, match="connection closed"):
            lane.recv(timeout=WAIT)
        with pytest.raises(RuntimeError, match="not active"):
            lane.send(create("late"))
        session.close()  # idempotent


def test_a_lost_connection_is_raised_on_the_lanes(server: ScriptServer) -> None:
    client = OpenAI(base_url=server.url, api_key="sk-test")
    with client.responses.connect() as connection, ResponsesWebSocketSession(connection, limits=limits()) as session:
        lane = session.lane("a")
        lane.send(create("abort"))
        assert lane.recv(timeout=WAIT).type == "response.created"  # what arrived is still handed out
        with pytest.raises(WebSocketConnectionClosedError) as raised:
            lane.get_final_response(timeout=WAIT)
        assert raised.value.code == 1006


def test_reconnection_releases_closed_lanes_and_never_replays(server: ScriptServer) -> None:
    client = OpenAI(base_url=server.url, api_key="sk-test")
    with client.responses.connect(on_reconnecting=lambda event: None, initial_delay=0.01) as connection, \
            ResponsesWebSocketSession(connection, limits=limits(max_lanes=3)) as session:
        closed, lane = session.lane("closed"), session.lane("a")
        closed.close()
        with pytest.raises(ResponsesWebSocketBufferError, match="max_lanes"):
            session.lane("new")
        lane.send(create("abort"))
        assert lane.recv(timeout=WAIT).type == "response.created"
        assert session.default.recv(timeout=WAIT).type == "hello.again"  # read on the new socket
        again = session.lane("closed")  # its id was released by the reconnection
        again.send(create("after"))
        assert again.get_final_response(timeout=WAIT).output_text == "echo after"
    first, second = (c.received for c in server.connections)
    assert first == [create("abort", stream_id="a")]
    assert second == [create("after", stream_id="closed")]  # the lost request was not sent again


async def test_async_close_and_loss(server: ScriptServer) -> None:
    client = AsyncOpenAI(base_url=server.url, api_key="sk-test")
    async with client.responses.connect() as connection:
        async with AsyncResponsesWebSocketSession(connection, limits=limits()) as session:
            lane, other = session.lane("a"), session.lane("b")
            other.close()
            with pytest.raises(EOFError, match="detached"):
                await asyncio.wait_for(other.recv(), WAIT)
            await lane.send(create("abort"))
            assert (await asyncio.wait_for(lane.recv(), WAIT)).type == "response.created"
            with pytest.raises(WebSocketConnectionClosedError):
                await asyncio.wait_for(lane.get_final_response(), WAIT)
            with pytest.raises(RuntimeError, match="has ended"):
                session.lane("c")
        reader = session._reader
        assert reader is not None and reader.done()
        with pytest.raises(RuntimeError, match="not active"):
            await lane.send(create("late"))


def test_commands_keep_their_fields() -> None:
    """Steering and other commands go out as given (no `stream_id` added); models are sent as JSON."""
    from pyopenai.types.responses.responses_client_event import ResponseCreate

    with ScriptServer(lanes_script) as server:
        client = OpenAI(base_url=server.url, api_key="sk-test")
        with client.responses.connect() as connection, ResponsesWebSocketSession(connection, limits=limits()) as session:
            lane = session.lane("a")
            lane.send({"type": "response.steer", "previous_response_id": "resp_1", "input": "faster"})  # type: ignore[typeddict-item]
            lane.send(ResponseCreate.model_validate(create("model")))
            assert lane.get_final_response(timeout=WAIT).output_text == "echo model"
        messages = sent(server)
    assert messages[0] == {"type": "response.steer", "previous_response_id": "resp_1", "input": "faster"}
    assert json.loads(json.dumps(messages[1])) == create("model", stream_id="a")
