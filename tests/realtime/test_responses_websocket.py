"""Responses over WebSocket: URL, many responses on one connection, reconnection and the send queue."""

from __future__ import annotations

from typing import Any, cast

import pytest

pytest.importorskip("wsproto", reason="WebSocket support needs wsproto (pyopenai[realtime])")

from wssupport import ScriptServer, responses_script

import pyopenai
from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.lib.realtime import (
    ReconnectingEvent,
    ReconnectingOverrides,
    WebSocketConnectionClosedError,
    WebSocketQueueFullError,
)
from pyopenai.lib.realtime.mixins import AsyncResponsesConnectMixin, ResponsesConnectMixin
from pyopenai.types.beta import BetaResponseCompletedEvent
from pyopenai.types.beta.beta_responses_server_event import BetaResponseWsCompleted, BetaResponseWsCreated
from pyopenai.types.responses import ResponseCompletedEvent, ResponseCreatedEvent, ResponseTextDeltaEvent
from pyopenai.types.responses.responses_server_event import ResponseWsCompleted


def connect(client: OpenAI, **kwargs: Any) -> Any:
    """`client.responses.connect(...)`; through the mixin until the generated class inherits it."""
    method = getattr(client.responses, "connect", None)
    if method is None:
        return ResponsesConnectMixin.connect(cast(Any, client.responses), **kwargs)
    return method(**kwargs)


def aconnect(client: AsyncOpenAI, **kwargs: Any) -> Any:
    method = getattr(client.responses, "connect", None)
    if method is None:
        return AsyncResponsesConnectMixin.connect(cast(Any, client.responses), **kwargs)
    return method(**kwargs)


@pytest.fixture
def server() -> Any:
    with ScriptServer(responses_script) as s:
        yield s


def until_completed(connection: Any) -> list[Any]:
    events: list[Any] = []
    for event in connection:
        events.append(event)
        if event.type == "response.completed":
            break
    return events


def test_url_headers_and_several_responses(server: ScriptServer) -> None:
    client = OpenAI(api_key="sk-test", base_url=server.url, default_query={"region": "x"})
    with connect(client, extra_headers={"x-trace": "t1"}) as c:
        c.response.create(model="gpt-5", input="one")
        first = until_completed(c)
        c.response.create(model="gpt-5", input="two", previous_response_id=first[-1].response.id)
        second = until_completed(c)
    assert [e.type for e in first] == ["response.created", "response.output_text.delta", "response.completed"]
    assert first[1].delta == "echo: one" and second[1].delta == "echo: two"
    (hs,) = server.handshakes
    assert hs.path == "/v1/responses" and hs.q("region") == "x" and hs.q("model") is None
    assert hs.headers["authorization"] == "Bearer sk-test" and hs.headers["x-trace"] == "t1"
    assert server.connections[0].received[1] == {
        "type": "response.create", "model": "gpt-5", "input": "two", "previous_response_id": first[-1].response.id
    }


def test_events_are_the_http_event_classes_with_their_lane(server: ScriptServer) -> None:
    # code written for streamed responses (`isinstance(event, ResponseCompletedEvent)`) works on
    # WebSocket events too: each is a subclass of its HTTP event that adds `stream_id`
    client = OpenAI(api_key="sk-test", base_url=server.url)
    with connect(client) as c:
        c.response.create(model="gpt-5", input="one", stream_id="lane-1")
        events = until_completed(c)
        c.response.create(model="gpt-5", input="two")
        unlaned = until_completed(c)
    created, delta, completed = events
    assert isinstance(created, ResponseCreatedEvent) and isinstance(delta, ResponseTextDeltaEvent)
    assert isinstance(completed, ResponseCompletedEvent) and isinstance(completed, ResponseWsCompleted)
    assert [e.stream_id for e in events] == ["lane-1"] * 3
    assert completed.response.status == "completed"
    assert unlaned[-1].stream_id is None and isinstance(unlaned[-1], ResponseCompletedEvent)


async def test_async_events_are_the_http_event_classes(server: ScriptServer) -> None:
    client = AsyncOpenAI(api_key="sk-test", base_url=server.url)
    async with aconnect(client) as c:
        await c.response.create(model="gpt-5", input="two", stream_id="lane-2")
        completed: list[ResponseWsCompleted] = []
        async for event in c:
            if isinstance(event, ResponseCompletedEvent):  # what code written for HTTP streams waits for
                assert isinstance(event, ResponseWsCompleted)
                completed.append(event)
                break
    assert [(e.stream_id, e.response.status) for e in completed] == [("lane-2", "completed")]


def test_beta_connect_yields_the_beta_events(server: ScriptServer) -> None:
    client = OpenAI(api_key="sk-test", base_url=server.url)
    with client.beta.responses.connect() as c:
        c.response.create(model="gpt-5", input="one", stream_id="lane-b")
        events = until_completed(c)
    completed = events[-1]
    assert isinstance(completed, BetaResponseCompletedEvent) and isinstance(completed, BetaResponseWsCompleted)
    assert not isinstance(completed, ResponseCompletedEvent)
    assert completed.agent is None and completed.stream_id == "lane-b"  # `.agent`: a beta field
    assert server.handshakes[0].path == "/v1/responses"


async def test_async_beta_connect_yields_the_beta_events(server: ScriptServer) -> None:
    client = AsyncOpenAI(api_key="sk-test", base_url=server.url)
    async with client.beta.responses.connect() as c:
        await c.response.create(model="gpt-5", input="one")
        types: list[type] = []
        async for event in c:
            types.append(type(event))
            if isinstance(event, BetaResponseCompletedEvent):
                break
    assert types[0] is BetaResponseWsCreated and types[-1] is BetaResponseWsCompleted


def test_stream_is_refused(server: ScriptServer) -> None:
    client = OpenAI(api_key="sk-test", base_url=server.url)
    with connect(client) as c, pytest.raises(TypeError, match="stream"):
        c.response.create(model="m", input="x", stream=True)


def test_reconnects_after_an_abnormal_close(server: ScriptServer) -> None:
    client = OpenAI(api_key="sk-test", base_url=server.url)
    seen: list[ReconnectingEvent] = []
    queue_errors: list[Exception] = []

    def on_reconnecting(event: ReconnectingEvent) -> ReconnectingOverrides:
        seen.append(event)
        connection.response.create(model="gpt-5", input="after")  # queued while reconnecting
        try:
            connection.send({"type": "response.create", "input": "x" * 5000})
        except WebSocketQueueFullError as exc:
            queue_errors.append(exc)
        return {"extra_query": {"resume": "1"}}

    manager = connect(client, on_reconnecting=on_reconnecting, initial_delay=0, max_delay=0, max_queue_size=1000)
    with manager as connection:
        connection.response.create(model="gpt-5", input="abort")
        events = until_completed(connection)
    assert [e.type for e in events] == [
        "response.created", "response.created", "response.output_text.delta", "response.completed"
    ]
    assert events[2].delta == "echo: after"
    assert len(seen) == 1 and seen[0].attempt == 1 and seen[0].close_code == 1006 and seen[0].max_attempts == 5
    assert len(queue_errors) == 1 and "queue is full" in str(queue_errors[0])
    assert [h.q("resume") for h in server.handshakes] == [None, "1"]


def test_on_reconnecting_can_abort(server: ScriptServer) -> None:
    client = OpenAI(api_key="sk-test", base_url=server.url)
    with connect(client, on_reconnecting=lambda e: {"abort": True}, initial_delay=0) as c:
        c.response.create(model="m", input="abort")
        with pytest.raises(WebSocketConnectionClosedError) as info:
            until_completed(c)
    assert info.value.code == 1006
    assert len(server.handshakes) == 1


def test_without_on_reconnecting_there_is_no_reconnection(server: ScriptServer) -> None:
    client = OpenAI(api_key="sk-test", base_url=server.url)
    with connect(client) as c:
        c.response.create(model="m", input="abort")
        with pytest.raises(WebSocketConnectionClosedError):
            until_completed(c)
    assert len(server.handshakes) == 1


def test_retries_are_bounded() -> None:
    failure = {"error": {"message": "busy", "type": "server_error"}}
    with ScriptServer(responses_script, reject=(503, failure), reject_if=lambda i: i > 0) as server:
        client = OpenAI(api_key="sk-test", base_url=server.url)
        attempts: list[int] = []
        with connect(client, on_reconnecting=lambda e: attempts.append(e.attempt), max_retries=3, initial_delay=0) as c:
            c.response.create(model="m", input="abort")
            with pytest.raises(WebSocketConnectionClosedError) as info:
                until_completed(c)
        assert attempts == [1, 2, 3]
        assert info.value.code == 1006
        assert len(server.handshakes) == 4


def test_a_refused_reconnect_raises_the_api_error() -> None:
    failure = {"error": {"message": "key revoked", "type": "invalid_request_error", "code": "invalid_api_key"}}
    with ScriptServer(responses_script, reject=(401, failure), reject_if=lambda i: i > 0) as server:
        client = OpenAI(api_key="sk-test", base_url=server.url)
        with connect(client, on_reconnecting=lambda e: None, initial_delay=0) as c:
            c.response.create(model="m", input="abort")
            with pytest.raises(pyopenai.AuthenticationError, match="key revoked"):
                until_completed(c)


def test_backoff_grows_and_is_capped(server: ScriptServer) -> None:
    from pyopenai.lib.realtime._connection import Policy

    policy = Policy(None, 10, initial_delay=0.5, max_delay=2.0)
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (6, 2.0)]:
        delays = [policy.delay(attempt) for _ in range(50)]
        assert all(0.75 * ceiling <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # jitter


async def test_async_reconnect(server: ScriptServer) -> None:
    client = AsyncOpenAI(api_key="sk-test", base_url=server.url)
    seen: list[int] = []

    def on_reconnecting(event: ReconnectingEvent) -> None:
        seen.append(event.close_code)
        manager.send({"type": "response.create", "model": "m", "input": "after"})  # queued for the new connection

    manager = aconnect(client, on_reconnecting=on_reconnecting, initial_delay=0)
    async with manager as c:
        await c.response.create(model="m", input="abort")
        types: list[str] = []
        async for event in c:
            types.append(event.type)
            if event.type == "response.completed":
                break
    assert seen == [1006]
    assert types == ["response.created", "response.created", "response.output_text.delta", "response.completed"]
    assert len(server.handshakes) == 2


async def test_async_queue_before_connect_and_close(server: ScriptServer) -> None:
    client = AsyncOpenAI(api_key="sk-test", base_url=server.url)
    manager = aconnect(client, max_queue_size=100)
    manager.send({"type": "response.create", "model": "m", "input": "early"})
    with pytest.raises(WebSocketQueueFullError):
        manager.send({"type": "response.create", "input": "y" * 200})
    async with manager as c:
        events = []
        async for event in c:
            events.append(event)
            if event.type == "response.completed":
                await c.close()
        assert events[1].delta == "echo: early"
