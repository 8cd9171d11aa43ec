"""`ResponsesWebSocketAccumulator`: the projection of one response from the events fed to it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest

from pyopenai import OpenAI
from pyopenai._models import parse_obj
from pyopenai.lib.responses_websocket import (
    ResponsesWebSocketAccumulator,
    ResponsesWebSocketError,
    ResponsesWebSocketOutput,
)
from pyopenai.testing import LocalServer
from pyopenai.types.responses.responses_server_event import ResponsesServerEvent


def ev(data: dict[str, Any]) -> ResponsesServerEvent:
    return parse_obj(ResponsesServerEvent, data)


RESPONSE = {"id": "resp_1", "object": "response", "status": "in_progress", "model": "m", "created_at": 1}


def events(stream_id: str | None = "a") -> list[ResponsesServerEvent]:
    lane = {} if stream_id is None else {"stream_id": stream_id}
    message = {"type": "message", "id": "msg_1", "role": "assistant", "status": "in_progress", "content": []}
    call = {"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "f", "arguments": "", "status": "in_progress"}
    where = {"output_index": 0, "content_index": 0, "item_id": "msg_1"}
    return [ev({**e, **lane}) for e in [
        {"type": "response.created", "sequence_number": 0, "response": {**RESPONSE, "output": []}},
        {"type": "response.output_item.added", "sequence_number": 1, "output_index": 0, "item": message},
        {"type": "response.content_part.added", "sequence_number": 2, **where,
         "part": {"type": "output_text", "text": "", "annotations": []}},
        {"type": "response.output_text.delta", "sequence_number": 3, **where, "delta": "Hel", "logprobs": []},
        {"type": "response.output_text.delta", "sequence_number": 4, **where, "delta": "lo", "logprobs": []},
        {"type": "response.refusal.delta", "sequence_number": 5, "output_index": 0, "content_index": 1,
         "item_id": "msg_1", "delta": "no"},
        {"type": "response.output_item.added", "sequence_number": 6, "output_index": 1, "item": call},
        {"type": "response.function_call_arguments.delta", "sequence_number": 7, "output_index": 1,
         "item_id": "fc_1", "delta": '{"x":'},
        {"type": "response.function_call_arguments.delta", "sequence_number": 8, "output_index": 1,
         "item_id": "fc_1", "delta": "1}"},
    ]]


@pytest.fixture
def fed() -> ResponsesWebSocketAccumulator:
    accumulator = ResponsesWebSocketAccumulator()
    for event in events():
        accumulator.add_event(event)
    return accumulator


def test_snapshot_projects_text_and_tool_inputs(fed: ResponsesWebSocketAccumulator) -> None:
    snapshot = fed.snapshot()
    assert (snapshot.stream_id, snapshot.response_id, snapshot.terminal_type) == ("a", "resp_1", None)
    assert snapshot.output == (
        ResponsesWebSocketOutput(0, "msg_1", "message", None, None, "", "", ((0, "Hello"),)),
        ResponsesWebSocketOutput(1, "fc_1", "function_call", "f", "call_1", '{"x":1}', "", ()),
    )
    assert snapshot.output_text == "Hello"  # the refusal is not output text
    hash(snapshot)
    with pytest.raises(dataclasses.FrozenInstanceError):
        snapshot.response_id = "other"  # type: ignore[misc]
    fed.add_event(events()[4])  # later deltas do not change an earlier snapshot
    assert snapshot.output_text == "Hello" and fed.snapshot().output_text == "Hellolo"


def test_detailed_snapshot_is_a_mutable_copy(fed: ResponsesWebSocketAccumulator) -> None:
    details = fed.detailed_snapshot()
    assert details["response"] == {"id": "resp_1", "object": "response", "status": "in_progress", "model": "m",
                                   "created_at": 1}
    message, call = details["output"]
    assert message["item"] == {"type": "message", "id": "msg_1", "role": "assistant", "status": "in_progress"}
    assert message["content"] == [
        {"content_index": 0, "part": {"type": "output_text", "text": "Hello", "logprobs": [], "annotations": []}},
        {"content_index": 1, "part": {"refusal": "no"}},
    ]
    assert call["item"]["arguments"] == '{"x":1}' and call["content"] == []
    details["output"].clear()
    message["item"]["id"] = "changed"
    assert fed.detailed_snapshot()["output"][0]["item"]["id"] == "msg_1"


def test_done_events_and_terminal_output_replace_the_projection(fed: ResponsesWebSocketAccumulator) -> None:
    where = {"output_index": 0, "content_index": 0, "item_id": "msg_1", "stream_id": "a"}
    fed.add_event(ev({"type": "response.output_text.done", "sequence_number": 9, **where, "text": "Hi!", "logprobs": []}))
    assert fed.snapshot().output_text == "Hi!"
    final_item = {"type": "message", "id": "msg_1", "role": "assistant", "status": "completed",
                  "content": [{"type": "output_text", "text": "Hi there", "annotations": []}]}
    fed.add_event(ev({"type": "response.completed", "sequence_number": 10, "stream_id": "a",
                      "response": {**RESPONSE, "status": "completed", "output": [final_item]}}))
    snapshot = fed.snapshot()
    assert snapshot.terminal_type == "response.completed"
    assert [o.item_id for o in snapshot.output] == ["msg_1"]  # the given output list is the whole output
    assert snapshot.output_text == "Hi there"
    final = fed.get_final_response()
    assert final.status == "completed" and final.output_text == "Hi there"
    assert fed.get_final_response() is not final  # a copy each time
    with pytest.raises(RuntimeError, match="Reset the accumulator"):
        fed.add_event(events()[3])
    fed.reset()
    assert fed.snapshot().output == () and fed.detailed_snapshot()["response"] is None
    with pytest.raises(RuntimeError, match="No terminal response"):
        fed.get_final_response()


def test_terminal_without_output_keeps_the_projection_and_the_exact_response() -> None:
    accumulator = ResponsesWebSocketAccumulator()
    for event in events(None):
        accumulator.add_event(event)
    accumulator.add_event(ev({"type": "response.incomplete", "sequence_number": 9,
                              "response": {**RESPONSE, "status": "incomplete"}}))
    assert accumulator.snapshot().output_text == "Hello"
    final = accumulator.get_final_response()
    assert final.status == "incomplete" and "output" not in final.model_fields_set  # as received


def test_bad_events_are_refused() -> None:
    accumulator = ResponsesWebSocketAccumulator()
    accumulator.add_event(ev({"type": "response.some_future_event", "x": 1}))  # unknown: ignored
    assert accumulator.snapshot().output == ()
    accumulator.add_event(events()[0])
    with pytest.raises(ValueError, match="another WebSocket lane"):
        accumulator.add_event(events("b")[3])
    with pytest.raises(ValueError, match="output_index must be a non-negative integer"):
        accumulator.add_event(ev({**events()[3].to_dict(), "output_index": -1}))
    with pytest.raises(RuntimeError, match="Reset the accumulator"):
        accumulator.add_event(ev({"type": "response.in_progress", "sequence_number": 1, "stream_id": "a",
                                  "response": {**RESPONSE, "id": "resp_2"}}))
    with pytest.raises(ValueError, match="missing a valid response"):
        accumulator.add_event(ev({"type": "response.in_progress", "sequence_number": 1, "stream_id": "a"}))
    error = ev({"type": "error", "stream_id": "a", "status": 400,
                "error": {"type": "invalid_request_error", "code": "bad", "message": "no", "param": None}})
    with pytest.raises(ResponsesWebSocketError) as raised:
        accumulator.add_event(error)
    assert raised.value.event is error
    with pytest.raises(ResponsesWebSocketError):
        accumulator.get_final_response()


@pytest.fixture
def local() -> Iterator[LocalServer]:
    with LocalServer() as server:
        yield server


def test_accumulated_stream_equals_the_http_result(local: LocalServer) -> None:
    """The same events, as the HTTP stream sends them: the accumulator ends with the response the
    API stores, and its projection shows that response's text and tool call."""
    client = OpenAI(base_url=local.url, api_key="sk-test")
    local.script.responses.tool_call("get_weather", {"city": "Paris"}, call_id="call_1")
    accumulator = ResponsesWebSocketAccumulator()
    tool = {"type": "function", "name": "get_weather", "strict": False,
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}
    for event in client.responses.create(model="gpt-4o-mini", input="Weather?", tools=[tool], stream=True):  # type: ignore[list-item]
        accumulator.add_event(event)  # type: ignore[arg-type]
    final = accumulator.get_final_response()
    assert final.to_dict() == client.responses.retrieve(final.id).to_dict()
    (call,) = accumulator.snapshot().output
    assert (call.type, call.name, call.call_id, call.arguments) == (
        "function_call", "get_weather", "call_1", '{"city": "Paris"}')

    accumulator.reset()
    for event in client.responses.create(model="gpt-4o-mini", input="Say hello.", stream=True):
        accumulator.add_event(event)  # type: ignore[arg-type]
    final = accumulator.get_final_response()
    assert accumulator.snapshot().output_text == final.output_text == 'You said: "Say hello.".'
    assert final.to_dict() == client.responses.retrieve(final.id).to_dict()
