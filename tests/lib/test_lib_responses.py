"""responses.parse() and .stream(), `output_text`: against the local server and synthetic event streams."""

from __future__ import annotations

import json
from typing import Any

import pydantic
import pytest
from helpers import json_response, make_async_client, make_client
from libsupport import (
    aresponses,
    async_sse_client,
    call_item,
    message_item,
    response_obj,
    responses,
    responses_sse,
    sse_client,
)

from pyopenai import APIConnectionError, AsyncOpenAI, ContentFilterFinishReasonError, LengthFinishReasonError, OpenAI
from pyopenai._models import parse_obj
from pyopenai.lib._schema import to_strict_json_schema
from pyopenai.lib._tools import pydantic_function_tool, pydantic_responses_function_tool
from pyopenai.lib.parsed_types import ParsedResponse, ParsedResponseFunctionToolCall
from pyopenai.lib.streaming.responses import (
    ResponseFailedError,
    ResponseIncompleteError,
    ResponseStreamIncompleteError,
    ResponseStreamState,
)
from pyopenai.testing import LocalServer
from pyopenai.types.responses import Response


class Answer(pydantic.BaseModel):
    title: str
    score: int
    comment: str | None


# -- output_text ---------------------------------------------------------------------------------------


def test_output_text_joins_the_text_parts_of_message_items() -> None:
    data = response_obj([message_item("Hello, "), call_item("f", "{}"), message_item("world", id="msg_2"),
                         {"type": "message", "content": [{"type": "refusal", "refusal": "no"}]}])
    r = parse_obj(Response, data)
    assert r.output_text == "Hello, world"
    assert "output_text" not in Response.model_fields  # the generator leaves the spec's field out
    assert Response.model_construct(output=[]).output_text == ""


def test_parsed_response_output_text(client: OpenAI) -> None:
    result = responses(client).parse(model="gpt-4o", input="Rate the film", text_format=Answer)
    assert isinstance(result, ParsedResponse)
    assert isinstance(result.output_parsed, Answer)
    assert result.output_parsed == Answer.model_validate_json(result.output_text)


# -- parse ---------------------------------------------------------------------------------------------


def test_parse_sends_text_format_and_parses_function_calls(client: OpenAI) -> None:
    result = responses(client).parse(model="gpt-4o", input="Rate it", tools=[pydantic_function_tool(Answer)])
    call = result.output[0]
    assert isinstance(call, ParsedResponseFunctionToolCall)
    assert isinstance(call.parsed_arguments, Answer)


def test_parse_request_shape() -> None:
    client, rec = make_client(lambda _r: json_response(response_obj([message_item('{"title": "t", "score": 1, "comment": null}')])))
    result = responses(client).parse(model="gpt-4o", input="x", text_format=Answer,
                                     tools=[pydantic_function_tool(Answer, name="rate")])
    body = rec.json()
    assert body["text"]["format"]["type"] == "json_schema" and body["text"]["format"]["name"] == "Answer"
    # the layout the official SDK sends for a converted tool: the description always there (null when none)
    assert body["tools"][0] == {"type": "function", "name": "rate", "description": None, "strict": True,
                                "parameters": body["text"]["format"]["schema"]}
    assert result.output_parsed == Answer(title="t", score=1, comment=None)


def test_converted_tools_are_sent_in_the_official_layout() -> None:
    client, rec = make_client(lambda _r: json_response(response_obj([message_item("ok")])))
    plain = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}, "extra": 1}}
    responses(client).parse(model="gpt-4o", input="x", tools=[pydantic_function_tool(Answer, description="Rate."), plain])
    described, loose = rec.json()["tools"]
    assert (described["description"], described["strict"]) == ("Rate.", True)
    assert loose == {"type": "function", "name": "lookup", "description": None, "parameters": {"type": "object"},
                     "strict": False, "extra": 1}  # strict a bool, the definition's other keys kept
    # the direct helper builds its tool flat, as the official one does: no description key when there is none
    assert dict(pydantic_responses_function_tool(Answer)) == {
        "type": "function", "name": "Answer", "strict": True, "parameters": to_strict_json_schema(Answer)}


async def test_async_converted_tools_are_sent_in_the_official_layout() -> None:
    client, rec = make_async_client(lambda _r: json_response(response_obj([message_item("ok")])))
    await aresponses(client).parse(model="gpt-4o", input="x", tools=[pydantic_function_tool(Answer, name="rate")])
    assert rec.json()["tools"][0]["description"] is None and rec.json()["tools"][0]["strict"] is True


def test_parse_rejects_two_formats() -> None:
    client, _ = make_client(lambda _r: json_response({}))
    with pytest.raises(TypeError, match="not both"):
        responses(client).parse(model="m", input="x", text_format=Answer, text={"format": {"type": "text"}})


@pytest.mark.parametrize(("reason", "error"), [("max_output_tokens", LengthFinishReasonError),
                                               ("content_filter", ContentFilterFinishReasonError)])
def test_parse_incomplete_with_a_format_raises(reason: str, error: type[Exception]) -> None:
    body = response_obj([message_item('{"title": "t')], status="incomplete", incomplete_details={"reason": reason})
    client, _ = make_client(lambda _r: json_response(body))
    with pytest.raises(error):
        responses(client).parse(model="m", input="x", text_format=Answer)


def test_parse_incomplete_without_a_format_is_returned() -> None:
    body = response_obj([message_item("cut sh")], status="incomplete",
                        incomplete_details={"reason": "max_output_tokens"})
    client, _ = make_client(lambda _r: json_response(body))
    result = responses(client).parse(model="m", input="x")
    assert result.status == "incomplete" and result.output_text == "cut sh" and result.output_parsed is None


async def test_async_parse(async_client: AsyncOpenAI) -> None:
    result = await aresponses(async_client).parse(model="gpt-4o", input="Rate", text_format=Answer)
    assert isinstance(result.output_parsed, Answer)


# -- stream, local server -----------------------------------------------------------------------------


def test_stream_text(client: OpenAI) -> None:
    deltas: list[str] = []
    with responses(client).stream(model="gpt-4o", input="hello") as stream:
        stream.on("response.output_text.delta", lambda e: deltas.append(e.delta))
        events = list(stream)
    snapshots = [e.snapshot for e in events if e.type == "response.output_text.delta"]
    final = stream.get_final_response()
    assert final.status == "completed" and final.output_text == "".join(deltas) == snapshots[-1]
    completed = events[-1]
    assert completed.type == "response.completed" and completed.response is final


def test_stream_structured_and_tools(client: OpenAI) -> None:
    with responses(client).stream(model="gpt-4o", input="rate", text_format=Answer) as stream:
        done = [e for e in stream if e.type == "response.output_text.done"]
    assert isinstance(done[0].parsed, Answer)
    assert stream.get_final_response().output_parsed == done[0].parsed

    with responses(client).stream(model="gpt-4o", input="rate", tools=[pydantic_function_tool(Answer)]) as stream:
        args = [e.snapshot for e in stream if e.type == "response.function_call_arguments.delta"]
    final = stream.get_final_response()
    call = final.output[0]
    assert isinstance(call, ParsedResponseFunctionToolCall)
    assert args[-1] == call.arguments and isinstance(call.parsed_arguments, Answer)


def test_stream_text_stream(client: OpenAI) -> None:
    with responses(client).stream(model="gpt-4o", input="abc") as stream:
        assert "".join(stream.text_stream) == 'You said: "abc".'
        assert stream.get_final_response().output_text == 'You said: "abc".'


def test_resume_by_response_id(client: OpenAI) -> None:
    created = client.responses.create(model="gpt-4o", input="resume me", background=True)
    with responses(client).stream(response_id=created.id, starting_after=3) as stream:
        events = list(stream)
    assert events[0].sequence_number == 4
    final = stream.get_final_response()
    assert final.id == created.id and final.output_text == 'You said: "resume me".'
    with pytest.raises(TypeError, match="resumes"):
        responses(client).stream(response_id=created.id, input="x")
    with pytest.raises(TypeError, match="response_id"):
        responses(client).stream(model="gpt-4o", input="x", starting_after=2)


def test_a_resumed_stream_rebuilds_its_snapshots_from_the_start(client: OpenAI, local_server: LocalServer) -> None:
    # as the official SDK: the whole stream is fetched; events up to `starting_after` are accumulated, not yielded
    created = client.responses.create(model="gpt-4o", input="one two three four", background=True)
    with responses(client).stream(response_id=created.id) as stream:
        deltas = [e for e in stream if e.type == "response.output_text.delta"]
    assert len(deltas) > 1
    with responses(client).stream(response_id=created.id, starting_after=deltas[0].sequence_number) as stream:
        resumed = [e for e in stream if e.type == "response.output_text.delta"]
    assert resumed[0].sequence_number == deltas[1].sequence_number
    assert resumed[0].snapshot == deltas[0].delta + deltas[1].delta  # the text from the start, not from the resume
    assert "starting_after" not in local_server.requests[-1].query


async def test_async_a_resumed_stream_rebuilds_its_snapshots(async_client: AsyncOpenAI, local_server: LocalServer) -> None:
    created = await async_client.responses.create(model="gpt-4o", input="one two three four", background=True)
    async with aresponses(async_client).stream(response_id=created.id, starting_after=3) as stream:
        events = [e async for e in stream]
        final = await stream.get_final_response()
    assert events[0].sequence_number == 4 and final.output_text == 'You said: "one two three four".'
    first_delta = next(e for e in events if e.type == "response.output_text.delta")
    assert first_delta.snapshot == final.output_text[: len(first_delta.snapshot)] and first_delta.snapshot
    assert "starting_after" not in local_server.requests[-1].query


def test_cut_stream_raises_connection_error(client: OpenAI, local_server: LocalServer) -> None:
    local_server.faults.cut_stream(after=3, path="/v1/responses")
    with pytest.raises(APIConnectionError), responses(client).stream(model="gpt-4o", input="hi") as stream:
        stream.get_final_response()


async def test_async_stream(async_client: AsyncOpenAI) -> None:
    kinds: list[str] = []

    async def listener(event: Any) -> None:
        kinds.append(event.type)

    async with aresponses(async_client).stream(model="gpt-4o", input="rate", text_format=Answer) as stream:
        stream.on("*", listener)
        text = "".join([t async for t in stream.text_stream])
        final = await stream.get_final_response()
    assert kinds[0] == "response.created" and kinds[-1] == "response.completed"
    assert final.output_text == text and isinstance(final.output_parsed, Answer)


# -- synthetic ends of a stream ------------------------------------------------------------------------


def head() -> list[dict[str, Any]]:
    snap = response_obj([], status="in_progress")
    return [{"type": "response.created", "response": snap}, {"type": "response.in_progress", "response": snap}]


def text_events(text: str) -> list[dict[str, Any]]:
    where = {"item_id": "msg_1", "output_index": 0, "content_index": 0}
    return [
        {"type": "response.output_item.added", "output_index": 0,
         "item": {**message_item(""), "status": "in_progress", "content": []}},
        {"type": "response.content_part.added", **where, "part": {"type": "output_text", "text": "", "annotations": []}},
        *({"type": "response.output_text.delta", **where, "delta": text[i:i + 3], "logprobs": []}
          for i in range(0, len(text), 3)),
        {"type": "response.output_text.done", **where, "text": text, "logprobs": []},
    ]


def test_failed_response_raises_on_final() -> None:
    failed = response_obj([], status="failed", error={"code": "server_error", "message": "boom"})
    client, _ = sse_client(responses_sse([*head(), *text_events("par"), {"type": "response.failed", "response": failed}]))
    with responses(client).stream(model="m", input="x") as stream:
        kinds = [e.type for e in stream]
        assert kinds[-1] == "response.failed"
        with pytest.raises(ResponseFailedError, match="boom") as info:
            stream.get_final_response()
    assert info.value.code == "server_error" and info.value.response is not None
    assert info.value.response.status == "failed"


def test_error_event_raises_on_final() -> None:
    client, _ = sse_client(responses_sse([*head(), {"type": "error", "code": "rate_limit", "message": "slow down",
                                                    "param": None}]))
    with responses(client).stream(model="m", input="x") as stream, pytest.raises(ResponseFailedError, match="slow down"):
        stream.get_final_response()


def test_incomplete_without_format_yields_the_partial_response_and_get_final_response_raises() -> None:
    final = response_obj([message_item("abcdef")], status="incomplete", incomplete_details={"reason": "max_output_tokens"})
    client, _ = sse_client(responses_sse([*head(), *text_events("abcdef"),
                                          {"type": "response.incomplete", "response": final}]))
    with responses(client).stream(model="m", input="x") as stream:
        last: Any = list(stream)[-1]
        with pytest.raises(ResponseIncompleteError, match="max_output_tokens") as info:
            stream.get_final_response()
    assert isinstance(info.value, RuntimeError)  # as the official SDK raises
    assert last.type == "response.incomplete" and last.response.output_text == "abcdef"
    result: Any = info.value.response
    assert result.status == "incomplete" and result.incomplete_details.reason == "max_output_tokens"
    assert result.output_text == "abcdef"


def test_incomplete_with_format_yields_the_cut_text_unparsed() -> None:
    final = response_obj([message_item('{"ti')], status="incomplete", incomplete_details={"reason": "max_output_tokens"})
    client, _ = sse_client(responses_sse([*head(), {"type": "response.incomplete", "response": final}]))
    with responses(client).stream(model="m", input="x", text_format=Answer) as stream:
        last: Any = list(stream)[-1]
        with pytest.raises(ResponseIncompleteError):
            stream.get_final_response()
    assert last.response.output_text == '{"ti' and last.response.output_parsed is None


def test_stream_that_just_ends_raises_clearly() -> None:
    client, _ = sse_client(responses_sse([*head(), *text_events("hel")]))
    with responses(client).stream(model="m", input="x") as stream:
        with pytest.raises(ResponseStreamIncompleteError):
            stream.get_final_response()
        assert stream.current_snapshot.output_text == "hel"


def test_state_accumulates_function_calls_reasoning_and_refusals() -> None:
    state: ResponseStreamState[Any] = ResponseStreamState()
    events: list[dict[str, Any]] = [
        *head(),
        {"type": "response.output_item.added", "output_index": 0, "item": {"type": "reasoning", "id": "rs", "summary": []}},
        {"type": "response.reasoning_summary_part.added", "output_index": 0, "item_id": "rs", "summary_index": 0,
         "part": {"type": "summary_text", "text": ""}},
        {"type": "response.reasoning_summary_text.delta", "output_index": 0, "item_id": "rs", "summary_index": 0,
         "delta": "thinking"},
        {"type": "response.output_item.added", "output_index": 1, "item": {**call_item("f", ""), "status": "in_progress"}},
        {"type": "response.function_call_arguments.delta", "output_index": 1, "item_id": "fc_1", "delta": '{"a"'},
        {"type": "response.function_call_arguments.delta", "output_index": 1, "item_id": "fc_1", "delta": ": 1}"},
        {"type": "response.output_item.added", "output_index": 2, "item": {**message_item(""), "content": []}},
        {"type": "response.refusal.delta", "output_index": 2, "item_id": "msg_1", "content_index": 0, "delta": "No"},
    ]
    out = [out for i, e in enumerate(events) for out in state.handle_event({"sequence_number": i, **e})]
    arguments = out[7]
    assert arguments.type == "response.function_call_arguments.delta" and arguments.snapshot == '{"a": 1}'
    snap: Any = state.current_snapshot  # the items' types vary: read them untyped
    assert snap.output[0].summary[0].text == "thinking"
    assert json.loads(snap.output[1].arguments) == {"a": 1}
    assert snap.output[2].content[0].refusal == "No"


async def test_async_failed_stream() -> None:
    failed = response_obj([], status="failed", error={"code": "x", "message": "bad"})
    client, _ = async_sse_client(responses_sse([*head(), {"type": "response.failed", "response": failed}]))
    async with aresponses(client).stream(model="m", input="x") as stream:
        with pytest.raises(ResponseFailedError):
            await stream.get_final_response()


def test_parse_decodes_only_the_final_answer_phase() -> None:
    commentary = {**message_item("Let me think.", id="msg_0"), "phase": "commentary"}
    final = {**message_item('{"title": "Up", "score": 9, "comment": null}'), "phase": "final_answer"}
    client, _ = make_client(lambda _r: json_response(response_obj([commentary, final])))
    result = responses(client).parse(model="gpt-4o", input="Rate", text_format=Answer)
    assert result.output_parsed == Answer(title="Up", score=9, comment=None)
    parts = [item.content[0] for item in result.output]  # pyright: ignore[reportAttributeAccessIssue]
    assert [p.parsed for p in parts] == [None, result.output_parsed]


def test_raw_text_format_dict_is_sent_and_left_unparsed() -> None:
    fmt = {"type": "json_schema", "name": "a", "strict": True, "schema": {"type": "object", "properties": {}}}
    client, rec = make_client(lambda _r: json_response(response_obj([message_item("{}")])))
    result = responses(client).parse(model="gpt-4o", input="Rate", text={"format": fmt})
    assert rec.json()["text"] == {"format": fmt}
    assert result.output_parsed is None


class Verdict(pydantic.BaseModel):
    verdict: str


VERDICT = '{"verdict": "yes"}'
SWITCH_TO_VERDICT = {"type": "configuration_update", "text": {"format": {
    "type": "json_schema", "name": "Verdict", "strict": True, "schema": {"type": "object"}}}}


def test_parse_as_decodes_into_another_type_or_nothing() -> None:
    client, rec = make_client(lambda _r: json_response(response_obj([message_item(VERDICT)])))
    result = responses(client).parse(model="m", input="x", text_format=Answer, parse_as=Verdict)
    assert result.output_parsed == Verdict(verdict="yes")
    assert rec.json()["text"]["format"]["name"] == "Answer"  # only text_format sets the request's schema
    plain = responses(client).parse(model="m", input="x", text_format=Answer, parse_as=None)
    assert plain.output_parsed is None and plain.output_text == VERDICT


async def test_async_parse_as_follows_a_configuration_update() -> None:
    client, _ = make_async_client(lambda _r: json_response(response_obj([message_item(VERDICT)])))
    conversation: Any = [{"role": "user", "content": "x"}, SWITCH_TO_VERDICT]
    result = await aresponses(client).parse(model="m", input=conversation, text_format=Answer, parse_as=Verdict)
    assert result.output_parsed == Verdict(verdict="yes")


def test_a_configuration_update_needs_parse_as() -> None:
    client, rec = make_client(lambda _r: json_response(response_obj([message_item(VERDICT)])))
    conversation: Any = [{"role": "user", "content": "x"}, SWITCH_TO_VERDICT]
    with pytest.raises(TypeError, match="parse_as"):
        responses(client).parse(model="m", input=conversation, text_format=Answer)
    to_text: Any = [{"type": "configuration_update", "text": {"format": {"type": "text"}}}]
    with pytest.raises(TypeError, match="plain text"):
        responses(client).parse(model="m", input=to_text, text_format=Answer, parse_as=Verdict)
    assert rec.requests == []  # refused before anything was sent
    assert responses(client).parse(model="m", input=to_text, text_format=Answer).output_parsed is None
