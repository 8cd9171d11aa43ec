"""What code written for the official SDK does with results beyond the public API: it sets
`result._request_id` itself (on a response it built, or a copy of one) and imports
`construct_type` / `add_request_id` from `openai._models` to build results from event payloads.
openai-agents does all three; these tests reproduce its usage without it."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import json_response, make_async_client, make_client
from widgets import AsyncWidgets, Widgets

from pyopenai._models import add_request_id, construct_type, construct_type_unchecked
from pyopenai.types.chat import ChatCompletion
from pyopenai.types.responses import (
    ResponseCompletedEvent,
    ResponseFunctionToolCall,
    ResponseOutputItem,
    ResponseStreamEvent,
    ResponseTextDeltaEvent,
)

COMPLETION: dict[str, Any] = {
    "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o",
    "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                 "message": {"role": "assistant", "content": "hi", "refusal": None}}],
}


def test_request_id_set_by_hand_on_a_result_is_kept_on_copies_and_out_of_dumps() -> None:
    completion = ChatCompletion.model_validate(COMPLETION)
    completion._request_id = "req_by_hand"
    assert completion._request_id == "req_by_hand"
    assert completion.model_copy()._request_id == "req_by_hand"  # agents copies the terminal response
    assert ChatCompletion._request_id is None  # the class default and other results are untouched
    assert ChatCompletion.model_validate(COMPLETION)._request_id is None
    assert "_request_id" not in completion.model_dump() and "_request_id" not in completion.to_json()
    assert completion == ChatCompletion.model_validate(COMPLETION)  # equality reads the fields only


def test_fields_and_unknown_names_are_still_set_the_pydantic_way() -> None:
    completion = ChatCompletion.model_validate(COMPLETION)
    completion.id = "chatcmpl-2"
    completion.extra_note = "kept"  # type: ignore[attr-defined]  # models keep unknown fields
    assert completion.to_dict()["id"] == "chatcmpl-2" and completion.model_extra == {"extra_note": "kept"}


def test_request_id_set_by_hand_replaces_the_one_from_the_response() -> None:
    client, _ = make_client(lambda r: json_response({"id": "w_1", "size": 1}, headers={"x-request-id": "req_1"}))
    widget = Widgets(client).retrieve("w_1")
    widget._request_id = "req_2"
    assert widget._request_id == "req_2"


async def test_async_request_id_set_by_hand_replaces_the_one_from_the_response() -> None:
    client, _ = make_async_client(lambda r: json_response({"id": "w_1", "size": 1}, headers={"x-request-id": "req_1"}))
    widget = await AsyncWidgets(client).retrieve("w_1")
    widget._request_id = "req_2"
    assert widget._request_id == "req_2"


def test_add_request_id_sets_it() -> None:
    completion = ChatCompletion.model_validate(COMPLETION)
    add_request_id(completion, "req_nonstreamed_123")
    assert completion._request_id == "req_nonstreamed_123"


def test_construct_type_picks_the_union_member_by_its_tag() -> None:
    event = construct_type(type_=ResponseStreamEvent, value={
        "type": "response.output_text.delta", "delta": "hi", "item_id": "msg_1", "output_index": 0,
        "content_index": 0, "sequence_number": 1, "logprobs": []})
    assert type(event) is ResponseTextDeltaEvent and event.delta == "hi"
    item = construct_type_unchecked(type_=ResponseFunctionToolCall, value={
        "type": "function_call", "call_id": "call_1", "name": "f", "arguments": "{}"})
    assert type(item) is ResponseFunctionToolCall and item.name == "f"
    output = construct_type(type_=ResponseOutputItem, value={
        "type": "function_call", "call_id": "call_1", "name": "f", "arguments": "{}"})
    assert type(output) is ResponseFunctionToolCall


def test_construct_type_builds_what_does_not_validate_without_failing() -> None:
    # a terminal event whose response lacks required fields: built anyway, the known parts typed
    event = construct_type(type_=ResponseStreamEvent, value={
        "type": "response.completed", "sequence_number": 3,
        "response": {"id": "resp_1", "status": "completed", "brand_new": 1}})
    assert type(event) is ResponseCompletedEvent
    assert event.response.id == "resp_1" and event.response.model_extra == {"brand_new": 1}
    assert construct_type(type_=ChatCompletion, value="not a completion") == "not a completion"


@pytest.mark.parametrize("name", ["construct_type", "construct_type_unchecked", "add_request_id"])
def test_the_helpers_are_reachable_under_the_official_module_path(name: str) -> None:
    import pyopenai._models as models

    assert callable(getattr(models, name)) and name in models.__all__


def test_the_tool_call_module_re_exports_the_function_model_as_the_official_one_does() -> None:
    # openai-agents: `from openai.types.chat.chat_completion_message_tool_call import Function`
    from pyopenai.types.chat import chat_completion_message_function_tool_call as defining
    from pyopenai.types.chat.chat_completion_message_tool_call import Function, __all__

    assert Function is defining.Function and "Function" in __all__
    call = ChatCompletion.model_validate({**COMPLETION, "choices": [{
        "index": 0, "finish_reason": "tool_calls", "logprobs": None,
        "message": {"role": "assistant", "content": None, "refusal": None, "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]}}]})
    tool_calls = call.choices[0].message.tool_calls
    assert tool_calls is not None and isinstance(tool_calls[0].function, Function)  # type: ignore[union-attr]
