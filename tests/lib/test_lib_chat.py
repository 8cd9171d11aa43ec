"""chat.completions.parse() and .stream(): against the local server and synthetic chunk streams."""

# pyright: reportOptionalSubscript=false, reportOptionalMemberAccess=false, reportOptionalIterable=false
# pyright: reportArgumentType=false

from __future__ import annotations

import itertools
import json
from typing import Any, Literal

import pydantic
import pytest
from helpers import json_response, make_async_client, make_client
from hypothesis import given, settings
from hypothesis import strategies as st
from libsupport import (
    achat,
    async_sse_client,
    chat,
    chat_sse,
    chunk,
    completion,
    sse_client,
    sse_response,
    tool_delta,
)
from typing_extensions import TypedDict

from pyopenai import AsyncOpenAI, ContentFilterFinishReasonError, LengthFinishReasonError, OpenAI
from pyopenai.lib._tools import pydantic_function_tool
from pyopenai.lib.parsed_types import ParsedChatCompletion
from pyopenai.lib.streaming.chat import ChatCompletionStreamState

USER = [{"role": "user", "content": "What is the weather in Paris?"}]


class Weather(pydantic.BaseModel):
    city: str
    degrees: float
    unit: Literal["c", "f"]
    note: str | None


class WeatherDict(TypedDict):
    city: str
    degrees: float


# -- parse, local server -----------------------------------------------------------------------------


def test_parse_into_a_pydantic_model(client: OpenAI) -> None:
    result = chat(client).parse(model="gpt-4o", messages=USER, response_format=Weather)
    assert isinstance(result, ParsedChatCompletion)
    message = result.choices[0].message
    assert isinstance(message.parsed, Weather)
    assert message.parsed == Weather.model_validate_json(message.content)
    assert result._request_id


def test_parse_sends_a_strict_json_schema() -> None:
    client, rec = make_client(lambda _r: json_response(completion({"content": '{"city": "x", "degrees": 1}'})))
    chat(client).parse(model="gpt-4o", messages=USER, response_format=WeatherDict)
    fmt = rec.json()["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == "WeatherDict" and fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["schema"]["additionalProperties"] is False


def test_parse_with_a_typeddict_and_a_plain_dict_format(client: OpenAI) -> None:
    typed = chat(client).parse(model="gpt-4o", messages=USER, response_format=WeatherDict)
    assert set(typed.choices[0].message.parsed) == {"city", "degrees"}
    fmt = {"type": "json_schema", "json_schema": {"name": "w", "strict": True, "schema": {
        "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"],
        "additionalProperties": False}}}
    plain = chat(client).parse(model="gpt-4o", messages=USER, response_format=fmt)
    # a raw format dict is sent as given; parsing is for types, as in the official SDK
    assert plain.choices[0].message.parsed is None and "city" in json.loads(plain.choices[0].message.content)


def test_parse_tool_call_arguments_of_pydantic_tools(client: OpenAI) -> None:
    result = chat(client).parse(model="gpt-4o", messages=USER, tools=[pydantic_function_tool(Weather)])
    call = result.choices[0].message.tool_calls[0]
    assert call.function.name == "Weather"
    assert isinstance(call.function.parsed_arguments, Weather)
    assert result.choices[0].message.parsed is None


def test_parse_rejects_tools_that_are_not_strict(client: OpenAI) -> None:
    tool = {"type": "function", "function": {"name": "f", "parameters": {"type": "object", "properties": {}}}}
    with pytest.raises(ValueError, match="`f` is not strict"):
        chat(client).parse(model="gpt-4o", messages=USER, tools=[tool])


def test_parse_refusal_gives_parsed_none() -> None:
    client, _ = make_client(lambda _r: json_response(completion({"refusal": "I can't help with that."})))
    message = chat(client).parse(model="gpt-4o", messages=USER, response_format=Weather).choices[0].message
    assert message.parsed is None and message.refusal == "I can't help with that."


@pytest.mark.parametrize(("finish", "error"), [("length", LengthFinishReasonError),
                                               ("content_filter", ContentFilterFinishReasonError)])
def test_parse_raises_on_length_and_content_filter(finish: str, error: type[Exception]) -> None:
    client, _ = make_client(lambda _r: json_response(completion({"content": '{"city": "Par'}, finish=finish)))
    with pytest.raises(error):
        chat(client).parse(model="gpt-4o", messages=USER, response_format=Weather)


async def test_async_parse(async_client: AsyncOpenAI) -> None:
    result = await achat(async_client).parse(model="gpt-4o", messages=USER, response_format=Weather)
    assert isinstance(result.choices[0].message.parsed, Weather)


def test_helpers_mark_their_requests_as_the_official_sdks_do() -> None:
    sent = completion({"role": "assistant", "content": '{"city": "Paris", "degrees": 21}'})
    client, rec = make_client(lambda r: json_response(sent))
    chat(client).parse(model="gpt-4o", messages=USER, response_format=WeatherDict)
    assert rec.last.headers["x-stainless-helper-method"] == "chat.completions.parse"
    assert rec.json(0)["stream"] is False  # parse says it does not stream
    chat(client).parse(model="gpt-4o", messages=USER, response_format=WeatherDict,
                       extra_headers={"x-stainless-helper-method": "mine", "x-other": "1"})
    assert (rec.last.headers["x-stainless-helper-method"], rec.last.headers["x-other"]) == ("mine", "1")
    stream_client, stream_rec = sse_client(chat_sse([chunk({"role": "assistant", "content": "hi"}, finish="stop")]))
    with chat(stream_client).stream(model="gpt-4o", messages=USER) as stream:
        stream.until_done()
    assert stream_rec.last.headers["x-stainless-helper-method"] == "chat.completions.stream"


async def test_async_helpers_mark_their_requests() -> None:
    sent = completion({"role": "assistant", "content": '{"city": "Paris", "degrees": 21}'})
    client, rec = make_async_client(lambda r: json_response(sent))
    await achat(client).parse(model="gpt-4o", messages=USER, response_format=WeatherDict)
    assert rec.last.headers["x-stainless-helper-method"] == "chat.completions.parse"
    assert rec.json(0)["stream"] is False
    stream_client, stream_rec = async_sse_client(chat_sse([chunk({"role": "assistant", "content": "hi"}, finish="stop")]))
    async with achat(stream_client).stream(model="gpt-4o", messages=USER) as stream:
        await stream.until_done()
    assert stream_rec.last.headers["x-stainless-helper-method"] == "chat.completions.stream"


def test_parse_refuses_stream_argument(client: OpenAI) -> None:
    with pytest.raises(TypeError, match="stream"):
        chat(client).parse(model="gpt-4o", messages=USER, stream=True)


# -- stream, local server ----------------------------------------------------------------------------


def test_stream_text_events_and_final_completion(client: OpenAI) -> None:
    seen: list[str] = []
    with chat(client).stream(model="gpt-4o", messages=[{"role": "user", "content": "hello there"}]) as stream:
        stream.on("content.delta", lambda e: seen.append(e.delta))
        events = list(stream)
    kinds = [e.type for e in events]
    assert kinds[0] == "chunk" and "content.done" in kinds
    done = next(e for e in events if e.type == "content.done")
    final = stream.get_final_completion()
    assert final.choices[0].message.content == done.content == "".join(seen)
    assert final.choices[0].finish_reason == "stop"
    assert stream.current_completion_snapshot.choices[0].message.content == done.content


def test_stream_structured_output_partials(client: OpenAI) -> None:
    with chat(client).stream(model="gpt-4o", messages=USER, response_format=Weather) as stream:
        partials = [e.parsed for e in stream if e.type == "content.delta"]
        final = stream.get_final_completion()
    assert all(p is None or isinstance(p, dict) for p in partials)
    assert isinstance(final.choices[0].message.parsed, Weather)
    assert partials[-1] == final.choices[0].message.parsed.model_dump()


def test_stream_text_stream_and_until_done(client: OpenAI) -> None:
    with chat(client).stream(model="gpt-4o", messages=[{"role": "user", "content": "abc"}]) as stream:
        text = "".join(stream.text_stream)
    assert text == 'You said: "abc".'
    with chat(client).stream(model="gpt-4o", messages=[{"role": "user", "content": "abc"}]) as stream:
        calls: list[Any] = []
        stream.on("*", calls.append).until_done()
    assert calls and stream.get_final_completion().choices[0].message.content == text


async def test_async_stream(async_client: AsyncOpenAI) -> None:
    seen: list[str] = []

    async def listener(event: Any) -> None:
        seen.append(event.type)

    async with achat(async_client).stream(model="gpt-4o", messages=USER, response_format=Weather) as stream:
        stream.on("content.done", listener)
        text = "".join([t async for t in stream.text_stream])
        final = await stream.get_final_completion()
    assert seen == ["content.done"]
    assert final.choices[0].message.content == text
    assert isinstance(final.choices[0].message.parsed, Weather)


def test_stream_tool_calls_against_the_server(client: OpenAI) -> None:
    with chat(client).stream(model="gpt-4o", messages=USER, tools=[pydantic_function_tool(Weather)]) as stream:
        done = [e for e in stream if e.type == "tool_calls.function.arguments.done"]
    assert len(done) == 1 and isinstance(done[0].parsed_arguments, Weather)
    call = stream.get_final_completion().choices[0].message.tool_calls[0]
    assert isinstance(call.function.parsed_arguments, Weather)
    assert json.loads(call.function.arguments) == done[0].parsed_arguments.model_dump()


# -- synthetic chunk sequences -----------------------------------------------------------------------

ARGS = '{"city": "Paris, \\"FR\\"", "degrees": 21.5, "unit": "c", "note": null}'


def tool_chunks(args: str, cut: int, *, index: int = 0, call_id: str = "call_1", name: str = "Weather") -> list[dict[str, Any]]:
    return [
        chunk(tool_delta(index, id=call_id, name=name, arguments="")),
        chunk(tool_delta(index, arguments=args[:cut])),
        chunk(tool_delta(index, arguments=args[cut:])),
    ]


def test_tool_call_arguments_split_at_every_position() -> None:
    tools = [pydantic_function_tool(Weather)]
    for cut in range(len(ARGS) + 1):
        state = ChatCompletionStreamState(input_tools=tools)
        events: list[Any] = []
        for c in [chunk({"role": "assistant"}), *tool_chunks(ARGS, cut), chunk(finish="tool_calls")]:
            events.extend(state.handle_chunk(c))
        done = [e for e in events if e.type == "tool_calls.function.arguments.done"]
        assert len(done) == 1 and done[0].arguments == ARGS, cut
        assert done[0].parsed_arguments == Weather.model_validate_json(ARGS)
        deltas = [e for e in events if e.type == "tool_calls.function.arguments.delta"]
        assert "".join(e.arguments_delta for e in deltas) == ARGS
        assert deltas[-1].arguments == ARGS
        final = state.get_final_completion()
        assert final.choices[0].message.tool_calls[0].function.parsed_arguments == done[0].parsed_arguments  # pyright: ignore[reportAttributeAccessIssue]


@pytest.mark.parametrize("pieces", [1, 3, 17, 10_000])
def test_network_chunk_boundaries_do_not_matter(pieces: int) -> None:
    body = chat_sse([chunk({"role": "assistant", "content": "héllo ✓"}), *tool_chunks(ARGS, 9),
                     chunk(finish="tool_calls")])
    client, _ = make_client(lambda _r: sse_response(body, pieces=pieces))
    with chat(client).stream(model="gpt-4o", messages=USER, tools=[pydantic_function_tool(Weather)]) as stream:
        final = stream.get_final_completion()
    message = final.choices[0].message
    assert message.content == "héllo ✓"
    assert message.tool_calls[0].function.arguments == ARGS


def test_parallel_tool_calls_are_kept_apart() -> None:
    other = '{"q": "rain"}'
    chunks = [
        chunk({"role": "assistant"}),
        *tool_chunks(ARGS, 5, index=0, call_id="call_a"),
        *tool_chunks(other, 3, index=1, call_id="call_b", name="search"),
        chunk(finish="tool_calls"),
    ]
    state = ChatCompletionStreamState(input_tools=[pydantic_function_tool(Weather)])
    events = [e for c in chunks for e in state.handle_chunk(c)]
    done = [(e.index, e.name, e.arguments) for e in events if e.type == "tool_calls.function.arguments.done"]
    assert done == [(0, "Weather", ARGS), (1, "search", other)]
    # the first call is done as soon as the second starts, before the finish chunk
    order = [e.type for e in events]
    assert order.index("tool_calls.function.arguments.done") < len(order) - 3
    calls = state.get_final_completion().choices[0].message.tool_calls
    assert [(c.id, c.function.arguments) for c in calls] == [("call_a", ARGS), ("call_b", other)]  # pyright: ignore[reportAttributeAccessIssue]
    assert calls[1].function.parsed_arguments is None  # not a strict tool  # pyright: ignore[reportAttributeAccessIssue]


def test_interleaved_tool_call_deltas_reassemble_by_index() -> None:
    state = ChatCompletionStreamState()
    for c in [chunk(tool_delta(0, id="a", name="f", arguments='{"x"')), chunk(tool_delta(1, id="b", name="g", arguments="[1")),
              chunk(tool_delta(0, arguments=": 1}")), chunk(tool_delta(1, arguments=", 2]")), chunk(finish="tool_calls")]:
        state.handle_chunk(c)
    calls = state.get_final_completion().choices[0].message.tool_calls
    assert [c.function.arguments for c in calls] == ['{"x": 1}', "[1, 2]"]  # pyright: ignore[reportAttributeAccessIssue]


def test_refusal_stream() -> None:
    body = chat_sse([chunk({"role": "assistant", "refusal": "I can't"}), chunk({"refusal": " do that."}),
                     chunk(finish="stop")])
    client, _ = sse_client(body)
    with chat(client).stream(model="gpt-4o", messages=USER, response_format=Weather) as stream:
        events = list(stream)
    deltas = [e.snapshot for e in events if e.type == "refusal.delta"]
    assert deltas == ["I can't", "I can't do that."]
    assert [e.refusal for e in events if e.type == "refusal.done"] == ["I can't do that."]
    message = stream.get_final_completion().choices[0].message
    assert message.parsed is None and message.refusal == "I can't do that."


@pytest.mark.parametrize(("finish", "error"), [("length", LengthFinishReasonError),
                                               ("content_filter", ContentFilterFinishReasonError)])
def test_stream_with_a_format_raises_when_cut(finish: str, error: type[Exception]) -> None:
    client, _ = sse_client(chat_sse([chunk({"content": '{"city": "Pa'}), chunk(finish=finish)]))
    with pytest.raises(error), chat(client).stream(model="gpt-4o", messages=USER, response_format=Weather) as stream:
        for _ in stream:
            pass


def test_stream_without_a_format_yields_all_events_then_final_raises_on_length() -> None:
    client, _ = sse_client(chat_sse([chunk({"content": "partial"}), chunk(finish="length")]))
    with chat(client).stream(model="gpt-4o", messages=USER) as stream:
        kinds = [e.type for e in stream]
        assert "content.done" in kinds
        with pytest.raises(LengthFinishReasonError):
            stream.get_final_completion()


def test_logprobs_events_and_usage_chunk() -> None:
    lp = [{"token": "hi", "logprob": -0.1, "bytes": [104, 105], "top_logprobs": []}]
    usage = {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4}
    state = ChatCompletionStreamState()
    events = [e for c in [chunk({"content": "hi"}, logprobs={"content": lp, "refusal": None}),
                          chunk(finish="stop"), chunk(choices=False, usage=usage)]
              for e in state.handle_chunk(c)]
    delta = next(e for e in events if e.type == "logprobs.content.delta")
    assert delta.content[0].token == "hi" and delta.snapshot[0].logprob == -0.1
    assert next(e for e in events if e.type == "logprobs.content.done").content[0].token == "hi"
    final = state.get_final_completion()
    assert final.usage.total_tokens == 4
    assert final.choices[0].logprobs.content[0].token == "hi"


def test_several_choices_finish_apart_and_text_stream_follows_the_first() -> None:
    state = ChatCompletionStreamState()
    events = [e for c in [chunk({"content": "a"}, index=0), chunk({"content": "b"}, index=1),
                          chunk(finish="stop", index=0), chunk(finish="stop", index=1)]
              for e in state.handle_chunk(c)]
    assert [e.content for e in events if e.type == "content.done"] == ["a", "b"]
    assert [c.message.content for c in state.get_final_completion().choices] == ["a", "b"]
    body = chat_sse([chunk({"content": "a"}, index=0), chunk({"content": "b"}, index=1), chunk({"content": "c"}),
                     chunk(finish="stop", index=0), chunk(finish="stop", index=1)])
    client, _ = sse_client(body)
    with chat(client).stream(model="gpt-4o", messages=USER) as stream:
        assert "".join(stream.text_stream) == "ac"


# -- the events as the official SDK's (issue 22 item 6) ------------------------------------------------

# each event type's fields, as the official SDK defines them: nothing more (no choice index)
OFFICIAL_EVENT_FIELDS = {
    "chunk": {"type", "chunk", "snapshot"},
    "content.delta": {"type", "delta", "snapshot", "parsed"},
    "content.done": {"type", "content", "parsed"},
    "refusal.delta": {"type", "delta", "snapshot"},
    "refusal.done": {"type", "refusal"},
    "tool_calls.function.arguments.delta": {"type", "name", "index", "arguments", "parsed_arguments", "arguments_delta"},
    "tool_calls.function.arguments.done": {"type", "name", "index", "arguments", "parsed_arguments"},
    "logprobs.content.delta": {"type", "content", "snapshot"},
    "logprobs.content.done": {"type", "content"},
    "logprobs.refusal.delta": {"type", "refusal", "snapshot"},
    "logprobs.refusal.done": {"type", "refusal"},
}
LP = [{"token": "hi", "logprob": -0.1, "bytes": [104, 105], "top_logprobs": []}]
EVERY_EVENT = [
    chunk({"role": "assistant", "content": ""}),
    chunk({"content": "hi"}, logprobs={"content": LP, "refusal": LP}),
    chunk({"refusal": "no"}),
    *tool_chunks('{"q": 1}', 3, index=0, call_id="call_a", name="f"),
    *tool_chunks('{"q": 2}', 4, index=1, call_id="call_b", name="g"),
    chunk(finish="tool_calls"),
]


def _check_official_events(events: list[Any]) -> None:
    assert {e.type for e in events} == set(OFFICIAL_EVENT_FIELDS)
    for event in events:
        assert set(event.model_dump()) == OFFICIAL_EVENT_FIELDS[event.type], event.type
        assert event.to_dict()["type"] == event.type
    first_delta = next(e for e in events if e.type == "content.delta")
    assert (first_delta.delta, first_delta.snapshot) == ("", "")  # an empty delta is an event too


def _check_tool_call_indexes(final: ParsedChatCompletion[Any]) -> None:
    calls = final.choices[0].message.tool_calls or []
    assert [(c.to_dict()["index"], c.id) for c in calls] == [(0, "call_a"), (1, "call_b")]


def test_stream_events_carry_exactly_the_official_fields_and_tool_calls_keep_their_index() -> None:
    client, _ = sse_client(chat_sse(EVERY_EVENT))
    with chat(client).stream(model="gpt-4o", messages=USER) as stream:
        events = list(stream)
    _check_official_events(events)
    _check_tool_call_indexes(stream.get_final_completion())


async def test_async_stream_events_carry_exactly_the_official_fields_and_tool_calls_keep_their_index() -> None:
    client, _ = async_sse_client(chat_sse(EVERY_EVENT))
    async with achat(client).stream(model="gpt-4o", messages=USER) as stream:
        events = [e async for e in stream]
    _check_official_events(events)
    _check_tool_call_indexes(await stream.get_final_completion())


RAW_SCHEMA = {"type": "json_schema", "json_schema": {"name": "w", "strict": True, "schema": {
    "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"], "additionalProperties": False}}}
CITY = [chunk({"role": "assistant", "content": '{"city": '}), chunk({"content": '"Paris"}'}), chunk(finish="stop")]


def test_stream_with_a_raw_schema_dict_leaves_parsed_none() -> None:
    client, rec = sse_client(chat_sse(CITY))
    with chat(client).stream(model="gpt-4o", messages=USER, response_format=RAW_SCHEMA) as stream:
        parsed = [e.parsed for e in stream if e.type in ("content.delta", "content.done")]
    assert rec.json()["response_format"] == RAW_SCHEMA
    assert parsed == [None, None, None]
    final = stream.get_final_completion().choices[0].message
    assert final.parsed is None and final.content == '{"city": "Paris"}'


async def test_async_stream_with_a_raw_schema_dict_leaves_parsed_none() -> None:
    client, _ = async_sse_client(chat_sse(CITY))
    async with achat(client).stream(model="gpt-4o", messages=USER, response_format=RAW_SCHEMA) as stream:
        parsed = [e.parsed async for e in stream if e.type in ("content.delta", "content.done")]
    assert parsed == [None, None, None]
    assert (await stream.get_final_completion()).choices[0].message.parsed is None


SPLIT_CITY = [chunk({"role": "assistant", "content": '{"city": "Par'}), chunk({"content": 'is", "degrees": 2'}),
              chunk({"content": '1}'}), chunk(finish="stop")]


def test_partial_snapshots_leave_out_a_string_still_open() -> None:
    # as the official SDK's snapshots: a field appears once its string is complete, never cut ("Par")
    client, _ = sse_client(chat_sse(SPLIT_CITY))
    with chat(client).stream(model="gpt-4o", messages=USER, response_format=WeatherDict) as stream:
        partials = [e.parsed for e in stream if e.type == "content.delta"]
    assert partials == [{}, {"city": "Paris", "degrees": 2}, {"city": "Paris", "degrees": 21}]


async def test_async_partial_snapshots_leave_out_a_string_still_open() -> None:
    client, _ = async_sse_client(chat_sse(SPLIT_CITY))
    async with achat(client).stream(model="gpt-4o", messages=USER, response_format=WeatherDict) as stream:
        partials = [e.parsed async for e in stream if e.type == "content.delta"]
    assert partials == [{}, {"city": "Paris", "degrees": 2}, {"city": "Paris", "degrees": 21}]


def test_handlers_once_and_off() -> None:
    client, _ = sse_client(chat_sse([chunk({"content": "a"}), chunk({"content": "b"}), chunk(finish="stop")]))
    once: list[str] = []
    every: list[str] = []
    with chat(client).stream(model="gpt-4o", messages=USER) as stream:
        stream.once("content.delta", lambda e: once.append(e.delta))
        stream.on("content.delta", every.append).off("content.delta", every.append)
        stream.until_done()
    assert once == ["a"] and every == []


def test_close_stops_reading() -> None:
    client, _ = sse_client(chat_sse([chunk({"content": "a"}), chunk({"content": "b"}), chunk(finish="stop")]))
    with chat(client).stream(model="gpt-4o", messages=USER) as stream:
        first = next(iter(stream))
        assert first.type == "chunk"
        stream.close()
        assert list(stream) == []
    assert stream.response.is_closed


async def test_async_synthetic_split_tool_call() -> None:
    client, _ = async_sse_client(chat_sse([*tool_chunks(ARGS, 11), chunk(finish="tool_calls")]))
    async with achat(client).stream(model="gpt-4o", messages=USER, tools=[pydantic_function_tool(Weather)]) as s:
        done = [e async for e in s if e.type == "tool_calls.function.arguments.done"]
        final = await s.get_final_completion()
    assert done[0].parsed_arguments == Weather.model_validate_json(ARGS)
    assert final.choices[0].message.tool_calls[0].function.arguments == ARGS


def test_stream_sends_stream_true_and_the_format() -> None:
    client, rec = sse_client(chat_sse([chunk(finish="stop")]))
    with chat(client).stream(model="gpt-4o", messages=USER, response_format=Weather, temperature=0.5) as s:
        s.until_done()
    body = rec.json()
    assert body["stream"] is True and body["temperature"] == 0.5
    assert body["response_format"]["json_schema"]["name"] == "Weather"


def test_unused_async_manager_leaves_no_coroutine() -> None:
    client, _ = make_async_client(lambda _r: json_response({}))
    achat(client).stream(model="gpt-4o", messages=USER)  # never entered: nothing was sent, nothing to await


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_any_split_of_content_and_parallel_arguments(data: st.DataObject) -> None:
    other = '{"q": "snow \\u00e9"}'

    def pieces(text: str) -> list[str]:
        cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(text) - 1)), max_size=6)))
        bounds = [0, *cuts, len(text)]
        return [text[a:b] for a, b in itertools.pairwise(bounds) if b > a]

    chunks = [chunk({"role": "assistant", "content": ""})]
    chunks += [chunk({"content": p}) for p in pieces("Looking that up.")]
    chunks.append(chunk(tool_delta(0, id="a", name="Weather", arguments="")))
    chunks += [chunk(tool_delta(0, arguments=p)) for p in pieces(ARGS)]
    chunks.append(chunk(tool_delta(1, id="b", name="search")))
    chunks += [chunk(tool_delta(1, arguments=p)) for p in pieces(other)]
    chunks.append(chunk(finish="tool_calls"))
    state = ChatCompletionStreamState(input_tools=[pydantic_function_tool(Weather)])
    events = [e for c in chunks for e in state.handle_chunk(c)]
    done = {e.index: e for e in events if e.type == "tool_calls.function.arguments.done"}
    assert done[0].arguments == ARGS and done[1].arguments == other
    assert done[0].parsed_arguments == Weather.model_validate_json(ARGS)
    message = state.get_final_completion().choices[0].message
    assert message.content == "Looking that up."
    assert [c.function.arguments for c in message.tool_calls] == [ARGS, other]  # pyright: ignore[reportAttributeAccessIssue]
