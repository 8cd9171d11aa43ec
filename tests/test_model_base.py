"""Results are pydantic v2 models: fast strict parsing from the bytes, a lenient build when that fails,
and the pydantic API (unions, TypeAdapters, schemas, dumps, copies) behaving as pydantic users expect."""

from __future__ import annotations

import copy
import json
import pickle
import subprocess
import sys
import warnings
from typing import Annotated, Any, List, Union

import pydantic
import pytest
from helpers import json_response, make_async_client, make_client
from widgets import AsyncWidgets, Widgets

from pyopenai import BaseModel
from pyopenai._models import construct, parse_json, parse_obj
from pyopenai.types.audio.transcription_create_response import TranscriptionCreateResponse
from pyopenai.types.audio.transcription_verbose import TranscriptionVerbose
from pyopenai.types.chat import ChatCompletion, ChatCompletionMessage
from pyopenai.types.responses import (
    Response,
    ResponseCompletedEvent,
    ResponseFunctionToolCall,
    ResponseOutputItem,
    ResponseOutputMessage,
    ResponseOutputText,
    ResponseStreamEvent,
)
from pyopenai.types.shared.response_format_json_schema import JSONSchema

COMPLETION: dict[str, Any] = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1,
    "model": "gpt-4o",
    "choices": [
        {"index": 0, "finish_reason": "stop", "logprobs": None,
         "message": {"role": "assistant", "content": "hi", "refusal": None}},
    ],
    "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
    "system_fingerprint": "fp_1",
    "brand_new_field": {"nested": [1, 2]},
}

MESSAGE_ITEM: dict[str, Any] = {
    "type": "message", "id": "msg_1", "role": "assistant", "status": "completed",
    "content": [{"type": "output_text", "text": "Hello", "annotations": []}],
}
CALL_ITEM: dict[str, Any] = {"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "f", "arguments": "{}"}


def completion(**changes: Any) -> ChatCompletion:
    return parse_json(ChatCompletion, json.dumps({**COMPLETION, **changes}))


# -- results are pydantic models -------------------------------------------------------------------------


def test_results_are_pydantic_models_with_unknown_fields_kept() -> None:
    c = completion()
    assert isinstance(c, pydantic.BaseModel) and isinstance(c.choices[0].message, ChatCompletionMessage)
    assert c.choices[0].message.content == "hi"
    assert c.brand_new_field == {"nested": [1, 2]}  # pyright: ignore[reportAttributeAccessIssue]
    assert c.model_extra == {"brand_new_field": {"nested": [1, 2]}}
    assert "choices" in ChatCompletion.model_fields


def test_to_dict_and_to_json_give_what_the_api_sent() -> None:
    c = completion()
    assert c.to_dict() == COMPLETION
    assert json.loads(c.to_json()) == COMPLETION
    assert "service_tier" not in c.to_dict()  # declared, not sent: left out
    assert c.model_dump()["service_tier"] is None  # pydantic's dump lists every field


def test_model_dump_options() -> None:
    c = completion()
    assert "service_tier" not in c.model_dump(exclude_unset=True)
    assert "logprobs" not in c.model_dump(exclude_none=True)["choices"][0]
    assert c.model_dump(include={"id", "model"}) == {"id": "chatcmpl-1", "model": "gpt-4o"}
    assert "usage" not in c.model_dump(exclude={"usage"})
    assert json.loads(json.dumps(c.model_dump(mode="json"))) == c.model_dump(mode="json")
    assert c.model_dump_json(indent=2).startswith('{\n  "id"')


def test_aliases_and_population_by_name() -> None:
    schema = JSONSchema.model_validate({"name": "city", "schema": {"type": "object"}})
    assert schema.schema_ == {"type": "object"}
    by_name = JSONSchema.model_validate({"name": "city", "schema_": {"type": "object"}})
    assert by_name.to_dict() == {"name": "city", "schema": {"type": "object"}}
    assert schema.model_dump(by_alias=True, exclude_unset=True) == {"name": "city", "schema": {"type": "object"}}
    assert schema.model_dump(exclude_unset=True) == {"name": "city", "schema_": {"type": "object"}}


def test_pickle_copy_equality_and_repr() -> None:
    c = completion()
    object.__setattr__(c, "_request_id", "req_1")
    restored = pickle.loads(pickle.dumps(c))
    assert restored == c and restored._request_id == "req_1"
    deep = copy.deepcopy(c)
    deep.choices[0].message.content = "changed"
    assert c.choices[0].message.content == "hi" and deep != c
    assert repr(c).startswith("ChatCompletion(id='chatcmpl-1', choices=[Choice(")
    assert str(c) == repr(c)
    assert c.choices[0].message._request_id is None  # only the top-level result carries it


def test_copy_construct_fields_set_and_schema() -> None:
    c = completion()
    updated = c.model_copy(update={"model": "other"})
    assert updated.model == "other" and c.model == "gpt-4o"
    assert c.model_fields_set >= {"id", "choices", "usage"} and "service_tier" not in c.model_fields_set
    built = ChatCompletionMessage.model_construct(role="assistant", content="x")
    assert built.content == "x" and built.model_fields_set == {"role", "content"}
    schema = Response.model_json_schema()
    assert schema["title"] == "Response" and "output" in schema["properties"]
    assert "schema" in JSONSchema.model_json_schema(by_alias=True)["properties"]


def test_nested_results_mutated_in_place_serialise_again() -> None:
    r = parse_obj(Response, {"id": "r", "object": "response", "created_at": 1, "model": "m", "output": [MESSAGE_ITEM],
                             "tools": [], "tool_choice": "auto", "parallel_tool_calls": True})
    message = r.output[0]
    assert isinstance(message, ResponseOutputMessage)
    message.content.extend([ResponseOutputText(type="output_text", text=" world", annotations=[])])
    assert [p["text"] for p in r.to_dict()["output"][0]["content"]] == ["Hello", " world"]  # type: ignore[index]
    assert r.output_text == "Hello world"


def test_float_fields_read_as_floats_when_the_rest_of_the_document_does_not_validate() -> None:
    # `usage` lacks a field the type requires, so the response is built leniently: its float fields
    # still read as floats, as they do when it validates and as the official SDK constructs them
    document = {"id": "r", "object": "response", "created_at": 1700000000, "completed_at": 1700000001,
                "model": "m", "output": [], "tools": [], "tool_choice": "auto", "parallel_tool_calls": True,
                "temperature": 1, "usage": {"input_tokens": 1}}
    r = parse_obj(Response, document)
    assert (r.created_at, type(r.created_at)) == (1700000000.0, float)  # a float field
    assert (r.completed_at, type(r.completed_at)) == (1700000001.0, float)  # an optional float field
    assert type(r.temperature) is float and r.usage is not None and r.usage.input_tokens == 1
    assert construct(Response, {**document, "created_at": "soon"}).created_at == "soon"  # odd values kept as sent


def test_typed_constructors_require_required_fields() -> None:
    message = ChatCompletionMessage(role="assistant", content="hi")
    assert message.to_dict() == {"role": "assistant", "content": "hi"}
    with pytest.raises(pydantic.ValidationError):
        ChatCompletionMessage()  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]


def test_a_deleted_field_reads_as_absent() -> None:
    c = completion()
    del c.system_fingerprint
    assert not hasattr(c, "system_fingerprint")


# -- pydantic unions, TypeAdapters, dataclasses ------------------------------------------------------------


def test_pydantic_unions_of_results_pick_the_right_member() -> None:
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(Union[ResponseOutputMessage, ResponseFunctionToolCall])
    assert type(adapter.validate_python(CALL_ITEM)) is ResponseFunctionToolCall  # not a message
    assert type(adapter.validate_python(MESSAGE_ITEM)) is ResponseOutputMessage
    tagged: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(
        Annotated[Union[ResponseOutputMessage, ResponseFunctionToolCall], pydantic.Field(discriminator="type")]
    )
    assert type(tagged.validate_python(CALL_ITEM)) is ResponseFunctionToolCall
    items = pydantic.TypeAdapter(List[ResponseOutputItem]).validate_python([MESSAGE_ITEM, CALL_ITEM])
    assert [type(i) for i in items] == [ResponseOutputMessage, ResponseFunctionToolCall]


def test_results_nest_in_user_models_and_dataclasses() -> None:
    class Saved(pydantic.BaseModel):
        completion: ChatCompletion
        items: List[ResponseOutputItem]

    saved = Saved(completion=completion(), items=[parse_obj(ResponseOutputItem, CALL_ITEM)])
    again = Saved.model_validate_json(saved.model_dump_json())
    assert again.completion.choices[0].message.content == "hi"
    assert isinstance(again.items[0], ResponseFunctionToolCall)

    @pydantic.dataclasses.dataclass
    class Record:
        message: ChatCompletionMessage

    assert Record(message=ChatCompletionMessage(role="assistant", content="x")).message.content == "x"


def test_json_schemas_as_fastapi_builds_them_for_response_models() -> None:
    # what FastAPI's /openapi.json does for `response_model=`: serialization schemas of the models
    _, schemas = pydantic.json_schema.models_json_schema(
        [(ChatCompletion, "serialization"), (Response, "serialization"), (ChatCompletion, "validation")]
    )
    assert {"ChatCompletion", "Response"} <= set(schemas["$defs"])
    json.dumps(schemas)


def test_model_validate_rejects_garbage_but_parsing_stays_lenient() -> None:
    with pytest.raises(pydantic.ValidationError):
        ChatCompletion.model_validate({"id": 1, "choices": "nope"})
    c = parse_obj(ChatCompletion, {"id": 1, "choices": "nope"})
    assert type(c) is ChatCompletion and c.id == 1 and c.choices == "nope"  # kept as it came


# -- lenient parsing ---------------------------------------------------------------------------------------


def test_unknown_enum_value_missing_and_null_required_fields_never_fail() -> None:
    odd = {**COMPLETION, "choices": [{"index": 0, "finish_reason": "brand_new_reason",
                                      "message": {"role": "assistant", "content": "hi"}}]}
    del odd["created"]
    odd["model"] = None
    c = parse_json(ChatCompletion, json.dumps(odd))
    assert type(c) is ChatCompletion and type(c.choices[0]).__name__ == "Choice"
    assert c.choices[0].finish_reason == "brand_new_reason"
    assert c.created is None and "created" not in c.to_dict()  # missing: reads as None, not invented
    assert c.model is None and c.to_dict()["model"] is None  # null: kept as null
    assert c.choices[0].message.content == "hi" and c.usage is not None and c.usage.total_tokens == 4
    assert c.to_dict() == odd


def test_strict_parsing_converts_nothing() -> None:
    c = completion(created="5")
    assert c.created == "5"  # a string stays a string: nothing is guessed


def test_unknown_union_tags_still_build_the_union_members() -> None:
    body = {"id": "r", "object": "response", "created_at": 1, "model": "m", "tools": [], "tool_choice": "auto",
            "parallel_tool_calls": True,
            "output": [CALL_ITEM, {"type": "brand_new_item", "id": "x", "call_id": "c", "name": "g", "arguments": "{}"},
                       {**MESSAGE_ITEM, "status": "brand_new_status"}]}
    r = parse_json(Response, json.dumps(body))
    assert type(r.output[0]) is ResponseFunctionToolCall
    assert isinstance(r.output[1], BaseModel) and r.output[1].type == "brand_new_item"
    assert type(r.output[1]) is ResponseFunctionToolCall  # the member its keys fit best
    assert type(r.output[2]) is ResponseOutputMessage and r.output_text == "Hello"
    assert r.to_dict() == body


def test_a_tagged_union_member_missing_a_nested_field_is_built_as_that_member() -> None:
    # a stream event (a union tagged by `type`) whose response lacks a required usage detail (a server
    # older than the spec): the member its tag names, the gap read as None, the rest validated models
    usage = {"input_tokens": 1, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 2,
             "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 3}
    response = {"id": "r", "object": "response", "created_at": 1, "model": "m", "tools": [], "tool_choice": "auto",
                "parallel_tool_calls": True, "status": "completed", "output": [MESSAGE_ITEM], "usage": usage}
    body = {"type": "response.completed", "sequence_number": 7, "response": response}
    event = parse_json(ResponseStreamEvent, json.dumps(body))
    assert type(event) is ResponseCompletedEvent and event.sequence_number == 7
    details = event.response.usage.input_tokens_details  # type: ignore[union-attr]
    assert details.cached_tokens == 0 and details.cache_write_tokens is None
    assert "cache_write_tokens" not in details.model_fields_set
    assert type(event.response.output[0]) is ResponseOutputMessage and event.response.output_text == "Hello"
    assert event.to_dict() == body
    # the same gap where the tag names no member: built by shape, nothing lost
    unknown = parse_json(ResponseStreamEvent, json.dumps({**body, "type": "response.brand_new"}))
    assert isinstance(unknown, BaseModel) and unknown.to_dict() == {**body, "type": "response.brand_new"}


def test_odd_values_of_compatible_servers_survive_a_round_trip() -> None:
    for data in ({"choices": [{"message": {"role": "assistant", "content": ["a", "b"]}}]},
                 {"choices": None, "usage": "n/a"}, {"output": [{"type": []}]}, {}):
        for cls in (ChatCompletion, Response):
            result = parse_json(cls, json.dumps(data))
            assert type(result) is cls and result.to_dict() == data
            json.loads(result.to_json())


def test_dumping_a_leniently_built_result_emits_no_serializer_warning() -> None:
    odd = {"id": "resp_1", "object": "response", "status": "brand_new_status", "usage": "n/a",
           "output": [{"type": "function_call", "call_id": "c", "name": "f", "arguments": "{}",
                       "status": "brand_new_status"}]}
    result = parse_json(Response, json.dumps(odd))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # as users running with -W error
        assert result.model_dump(by_alias=True, exclude_unset=True) == odd
        assert result.model_dump(mode="json", exclude_unset=True)["usage"] == "n/a"
        assert json.loads(result.model_dump_json(exclude_unset=True)) == odd
        assert result.to_dict() == odd and json.loads(result.to_json()) == odd
        assert result.output[0].to_dict()["status"] == "brand_new_status"  # a nested part on its own
        assert copy.deepcopy(result).model_dump(exclude_unset=True) == odd
    # asked for explicitly (pydantic's own keyword), the warning is still given
    with pytest.warns(UserWarning, match="serialized value may not be as expected"):
        result.model_dump(warnings=True)


def test_a_validated_result_given_a_wrong_value_by_its_user_still_warns() -> None:
    message = parse_json(ChatCompletionMessage, json.dumps({"role": "assistant", "content": "hi"}))
    message.content = ["a"]  # type: ignore[assignment]
    with pytest.warns(UserWarning, match="serialized value may not be as expected"):
        message.model_dump()


def test_construct_builds_without_failing() -> None:
    assert construct(List[ChatCompletionMessage], [{"role": "assistant", "content": 5}])[0].content == 5


def test_union_members_chosen_as_the_official_sdk_does() -> None:
    verbose = {"text": "hello", "language": "english", "duration": 1.5, "task": "transcribe",
               "segments": [{"id": 0, "seek": 0, "start": 0.0, "end": 1.5, "text": "hello", "tokens": [1],
                             "temperature": 0.0, "avg_logprob": -0.1, "compression_ratio": 1.0,
                             "no_speech_prob": 0.0}],
               "words": [{"word": "hello", "start": 0.0, "end": 1.5}]}
    result = parse_json(TranscriptionCreateResponse, json.dumps(verbose))
    assert type(result) is TranscriptionVerbose and result.words is not None and result.words[0].word == "hello"
    assert type(parse_obj(TranscriptionCreateResponse, {"text": "hi"})).__name__ == "Transcription"
    # what the official SDK 3.60 builds for the same bodies when given the union (measured by running it)
    segment = verbose["segments"][0]
    diarized_segment = {"type": "transcript.text.segment", "id": "s", "start": 0.0, "end": 1.0, "text": "hi",
                        "speaker": "A"}
    chosen = {
        "TranscriptionVerbose": {**verbose, "words": None},
        "TranscriptionDiarized": {"task": "transcribe", "duration": 1.0, "text": "hi", "segments": [diarized_segment]},
        "Transcription": {"task": "transcribe", "duration": 1.0, "text": "hi", "segments": [segment]},
    }
    for name, body in chosen.items():
        assert type(parse_json(TranscriptionCreateResponse, json.dumps(body))).__name__ == name
    empty = {"task": "transcribe", "language": "english", "duration": 1.0, "text": "hi", "segments": []}
    assert type(parse_obj(TranscriptionCreateResponse, empty)).__name__ == "TranscriptionDiarized"  # as official


# -- through the client ------------------------------------------------------------------------------------


def test_results_through_the_client_carry_the_request_id() -> None:
    client, _ = make_client(lambda r: json_response({"id": "w_1", "object": "widget", "size": 1},
                                                    headers={"x-request-id": "req_9"}))
    widget = Widgets(client).retrieve("w_1")
    assert isinstance(widget, pydantic.BaseModel) and widget._request_id == "req_9"
    assert widget.to_dict() == {"id": "w_1", "object": "widget", "size": 1}


async def test_async_results_through_the_client_carry_the_request_id() -> None:
    client, _ = make_async_client(lambda r: json_response({"id": "w_1", "size": "big"},
                                                          headers={"x-request-id": "req_8"}))
    widget = await AsyncWidgets(client).retrieve("w_1")
    assert widget._request_id == "req_8" and widget.size == "big"  # lenient: a str where an int is declared


def test_import_pyopenai_and_a_client_do_not_load_pydantic() -> None:
    code = (
        "import sys, pyopenai\n"
        "client = pyopenai.OpenAI(api_key='sk-test')\n"
        "assert 'pydantic' not in sys.modules, 'pydantic imported'\n"
        "client.chat.completions\n"
        "assert 'pydantic' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
