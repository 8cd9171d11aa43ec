"""`client.chat.completions.stream(...)`: a streamed chat completion as typed, accumulated events.

    with client.chat.completions.stream(model="gpt-4o", messages=[...]) as stream:
        for event in stream:
            if event.type == "content.delta":
                print(event.delta, end="")
    completion = stream.get_final_completion()

Each chunk is merged into a snapshot (`stream.current_completion_snapshot`, a
`ParsedChatCompletion`) and turned into events: `chunk`, `content.delta`/`.done`,
`refusal.delta`/`.done`, `tool_calls.function.arguments.delta`/`.done`,
`logprobs.content.delta`/`.done`, `logprobs.refusal.delta`/`.done`. Tool calls are reassembled by
their `index`, so arguments split anywhere across chunks come out whole; a tool call's `.done`
fires when the next one starts or the choice finishes. The events carry the official SDK's fields
and nothing else (no choice index: `text_stream` follows the first choice).

With a type as the format (`response_format=Model`, a dataclass, a TypedDict, a `TypeAdapter`) or
strict tools, deltas carry the partial value parsed so far (`parsed`, `parsed_arguments`) and a
choice that stops on the token limit or the content filter raises `LengthFinishReasonError` /
`ContentFilterFinishReasonError`. A raw `response_format` dict is sent as given and leaves `parsed`
None: parsing is for types.

`ChatCompletionStreamState` does the accumulating on its own, for chunks from anywhere
(`state.handle_chunk(chunk)` -> events, `state.get_final_completion()`).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal, Union, cast

from typing_extensions import Self, TypeVar

from ..._exceptions import ContentFilterFinishReasonError, LengthFinishReasonError
from ..._models import BaseModel, parse_obj
from ..._types import NotGiven, Omit, omit
from ...types.chat.chat_completion_chunk import ChatCompletionChunk
from ...types.chat.chat_completion_token_logprob import ChatCompletionTokenLogprob
from .._parsing import (
    function_definition,
    has_parseable_input,
    is_parseable_type,
    parse_chat_completion,
    parse_content,
    tool_list,
)
from .._partial_json import parse_partial
from .._utils import json_of
from ..parsed_types import ParsedChatCompletion
from ._handlers import EventHandlers

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from ..._streaming import AsyncStream, Stream
    from ...types.chat.chat_completion_tool_union_param import ChatCompletionToolUnionParam
    from ...types.chat.completion_create_params import ResponseFormat as ResponseFormatParam

__all__ = [
    "AsyncChatCompletionStream",
    "AsyncChatCompletionStreamManager",
    "ChatCompletionStream",
    "ChatCompletionStreamEvent",
    "ChatCompletionStreamManager",
    "ChatCompletionStreamState",
    "ChunkEvent",
    "ContentDeltaEvent",
    "ContentDoneEvent",
    "FunctionToolCallArgumentsDeltaEvent",
    "FunctionToolCallArgumentsDoneEvent",
    "LogprobsContentDeltaEvent",
    "LogprobsContentDoneEvent",
    "LogprobsRefusalDeltaEvent",
    "LogprobsRefusalDoneEvent",
    "RefusalDeltaEvent",
    "RefusalDoneEvent",
]

ResponseFormatT = TypeVar("ResponseFormatT", default=None)  # None: no format type, nothing parsed

if TYPE_CHECKING:
    # what a stream takes as its format: a type to parse into, or a format dict sent as given
    ResponseFormatInput = Union[type[ResponseFormatT], TypeAdapter[ResponseFormatT], ResponseFormatParam, Omit]

JSON = dict[str, Any]


# -- events -----------------------------------------------------------------------------------------
# Pydantic models with exactly the official SDK's fields (`to_dict()`, `model_dump()` work on them),
# built without validation from data the state has already checked.


class ChunkEvent(BaseModel):
    type: Literal["chunk"] = "chunk"
    chunk: ChatCompletionChunk
    snapshot: ParsedChatCompletion[object]


class ContentDeltaEvent(BaseModel):
    type: Literal["content.delta"] = "content.delta"
    delta: str
    snapshot: str
    parsed: object | None = None  # the partial JSON value so far, with a response_format type


class ContentDoneEvent(BaseModel, Generic[ResponseFormatT]):
    type: Literal["content.done"] = "content.done"
    content: str
    parsed: ResponseFormatT | None = None


class RefusalDeltaEvent(BaseModel):
    type: Literal["refusal.delta"] = "refusal.delta"
    delta: str
    snapshot: str


class RefusalDoneEvent(BaseModel):
    type: Literal["refusal.done"] = "refusal.done"
    refusal: str


class FunctionToolCallArgumentsDeltaEvent(BaseModel):
    type: Literal["tool_calls.function.arguments.delta"] = "tool_calls.function.arguments.delta"
    name: str
    index: int
    arguments: str  # everything so far
    parsed_arguments: object
    arguments_delta: str


class FunctionToolCallArgumentsDoneEvent(BaseModel):
    type: Literal["tool_calls.function.arguments.done"] = "tool_calls.function.arguments.done"
    name: str
    index: int
    arguments: str
    parsed_arguments: object


class LogprobsContentDeltaEvent(BaseModel):
    type: Literal["logprobs.content.delta"] = "logprobs.content.delta"
    content: list[ChatCompletionTokenLogprob]
    snapshot: list[ChatCompletionTokenLogprob]


class LogprobsContentDoneEvent(BaseModel):
    type: Literal["logprobs.content.done"] = "logprobs.content.done"
    content: list[ChatCompletionTokenLogprob]


class LogprobsRefusalDeltaEvent(BaseModel):
    type: Literal["logprobs.refusal.delta"] = "logprobs.refusal.delta"
    refusal: list[ChatCompletionTokenLogprob]
    snapshot: list[ChatCompletionTokenLogprob]


class LogprobsRefusalDoneEvent(BaseModel):
    type: Literal["logprobs.refusal.done"] = "logprobs.refusal.done"
    refusal: list[ChatCompletionTokenLogprob]


ChatCompletionStreamEvent = Union[
    ChunkEvent,
    ContentDeltaEvent,
    ContentDoneEvent[ResponseFormatT],
    RefusalDeltaEvent,
    RefusalDoneEvent,
    FunctionToolCallArgumentsDeltaEvent,
    FunctionToolCallArgumentsDoneEvent,
    LogprobsContentDeltaEvent,
    LogprobsContentDoneEvent,
    LogprobsRefusalDeltaEvent,
    LogprobsRefusalDoneEvent,
]


_E = TypeVar("_E", bound=BaseModel)


def _event(cls: type[_E], **values: Any) -> _E:
    # built without validation (the state checked the data); every field counts as set, so
    # `to_dict()` shows `type` as the official SDK's events do
    return cls.model_construct(_fields_set=set(cls.model_fields), **values)


def _logprobs(raw: Any) -> list[ChatCompletionTokenLogprob]:
    from ...types.chat.chat_completion_token_logprob import ChatCompletionTokenLogprob

    return parse_obj(list[ChatCompletionTokenLogprob], raw or [])


# -- state ------------------------------------------------------------------------------------------


@dataclass
class _ChoiceProgress:
    content_done: bool = False
    refusal_done: bool = False
    logprobs_content_done: bool = False
    logprobs_refusal_done: bool = False
    positions: dict[int, int] = field(default_factory=dict[int, int])  # tool call index -> list position
    current_tool: int | None = None
    done_tools: set[int] = field(default_factory=set[int])


Indexed = list[tuple[int | None, "ChatCompletionStreamEvent[Any]"]]  # (choice index or None, event)


class ChatCompletionStreamState(Generic[ResponseFormatT]):
    """Accumulates chunks into a completion snapshot and derives the helper events."""

    def __init__(
        self,
        *,
        input_tools: Iterable[ChatCompletionToolUnionParam] | Omit | NotGiven = omit,
        response_format: ResponseFormatInput[ResponseFormatT] = omit,
    ) -> None:
        self._snapshot: JSON | None = None
        self._choices: dict[int, _ChoiceProgress] = {}
        self._input_tools = tool_list(input_tools)
        # parsing is for types: a raw `response_format` dict is sent as given and nothing is decoded
        self._rich_format: Any = response_format if is_parseable_type(response_format) else omit
        self._parseable = has_parseable_input(self._rich_format, self._input_tools)

    # the accumulated data

    @property
    def current_completion_snapshot(self) -> ParsedChatCompletion[object]:
        if self._snapshot is None:
            raise RuntimeError("no chunk has been received yet")
        return cast("ParsedChatCompletion[object]", parse_obj(ParsedChatCompletion, self._snapshot))

    def get_final_completion(self) -> ParsedChatCompletion[ResponseFormatT]:
        """The accumulated completion, parsed. Call once the stream has finished."""
        if self._snapshot is None:
            raise RuntimeError("the stream ended before any chunk was received")
        return parse_chat_completion(  # pyright: ignore[reportReturnType]
            self._snapshot, response_format=self._rich_format, input_tools=self._input_tools
        )

    # chunks in, events out

    def handle_chunk(self, chunk: ChatCompletionChunk | JSON) -> list[ChatCompletionStreamEvent[ResponseFormatT]]:
        return [event for _, event in self.indexed_events(chunk)]

    def indexed_events(self, chunk: ChatCompletionChunk | JSON) -> Indexed:
        """`handle_chunk`, each event paired with the index of its choice (None for the chunk event)."""
        data = json_of(chunk)
        snapshot = self._accumulate(data)
        if not isinstance(chunk, BaseModel):
            chunk = parse_obj(ChatCompletionChunk, data)
        events: Indexed = [(None, _event(ChunkEvent,
            chunk=chunk, snapshot=cast("ParsedChatCompletion[object]", parse_obj(ParsedChatCompletion, snapshot)),
        ))]
        for raw_choice in cast("list[JSON]", data.get("choices") or []):
            index = cast(int, raw_choice.get("index") or 0)
            events.extend((index, event) for event in self._choice_events(index, raw_choice))
        return events

    def _choice_state(self, index: int) -> tuple[JSON, _ChoiceProgress]:
        assert self._snapshot is not None
        choices = cast("list[JSON]", self._snapshot["choices"])
        for c in choices:
            if c.get("index") == index:
                return c, self._choices[index]
        c: JSON = {"index": index, "finish_reason": None, "logprobs": None,
                   "message": {"role": "assistant", "content": None, "refusal": None}}
        choices.append(c)
        progress = self._choices[index] = _ChoiceProgress()
        return c, progress

    def _accumulate(self, data: JSON) -> JSON:
        if self._snapshot is None:
            self._snapshot = {k: v for k, v in data.items() if k not in ("choices", "obfuscation")}
            self._snapshot["object"] = "chat.completion"
            self._snapshot["choices"] = []
        else:
            for k, v in data.items():
                if k not in ("choices", "object", "obfuscation") and v is not None:
                    self._snapshot[k] = v
        for raw in cast("list[JSON]", data.get("choices") or []):
            choice, progress = self._choice_state(cast(int, raw.get("index") or 0))
            delta = cast("JSON | None", raw.get("delta")) or {}
            message = cast(JSON, choice["message"])
            for key, value in delta.items():
                if value is None:
                    continue
                if key == "tool_calls":
                    self._merge_tool_calls(message, progress, cast("list[JSON]", value))
                elif key == "role":
                    message["role"] = value
                else:
                    message[key] = _merge(message.get(key), value)
            if raw.get("finish_reason") is not None:
                choice["finish_reason"] = raw["finish_reason"]
            logprobs = cast("JSON | None", raw.get("logprobs"))
            if logprobs:
                target = cast("JSON | None", choice.get("logprobs"))
                if target is None:
                    target = cast(JSON, {"content": None, "refusal": None})
                    choice["logprobs"] = target
                for key in ("content", "refusal"):
                    part = logprobs.get(key)
                    if part is not None:
                        target[key] = (cast("list[Any]", target.get(key) or [])) + cast("list[Any]", part)
        return self._snapshot

    def _merge_tool_calls(self, message: JSON, progress: _ChoiceProgress, deltas: list[JSON]) -> None:
        calls = cast("list[JSON]", message.setdefault("tool_calls", []))
        for d in deltas:
            index = cast(int, d.get("index", len(progress.positions)))
            pos = progress.positions.get(index)
            if pos is None:
                kind = d.get("type") or ("custom" if "custom" in d else "function")
                # the snapshot keeps each call's stream `index`, as the official SDK's does
                entry: JSON = {"index": index, "id": d.get("id"), "type": kind}
                entry[kind] = {"name": "", "input": ""} if kind == "custom" else {"name": "", "arguments": ""}
                progress.positions[index] = len(calls)
                calls.append(entry)
            else:
                entry = calls[pos]
            for key, value in d.items():
                if key == "index" or value is None:
                    continue
                if key in ("id", "type"):
                    entry[key] = value
                elif isinstance(value, dict):
                    target = cast(JSON, entry.setdefault(key, {}))
                    for k, v in cast(JSON, value).items():
                        if v is not None:
                            target[k] = _merge(target.get(k), v)
                else:
                    entry[key] = _merge(entry.get(key), value)

    def _choice_events(self, index: int, raw: JSON) -> list[ChatCompletionStreamEvent[ResponseFormatT]]:
        choice, progress = self._choice_state(index)
        message = cast(JSON, choice["message"])
        delta = cast("JSON | None", raw.get("delta")) or {}
        events: list[ChatCompletionStreamEvent[ResponseFormatT]] = []

        finish = raw.get("finish_reason")
        if finish is not None and self._parseable:
            if finish == "length":
                raise LengthFinishReasonError(completion=self.current_completion_snapshot)
            if finish == "content_filter":
                raise ContentFilterFinishReasonError(completion=self.current_completion_snapshot)

        content = message.get("content")
        if delta.get("content") is not None and isinstance(content, str):  # an empty delta is an event too
            if self._rich_format is not omit and not message.get("refusal") and content.strip():
                message["parsed"] = _partial(content)
            events.append(_event(ContentDeltaEvent,
                delta=delta["content"], snapshot=content, parsed=message.get("parsed"),
            ))
        refusal = message.get("refusal")
        if delta.get("refusal") is not None and isinstance(refusal, str):
            events.append(_event(RefusalDeltaEvent, delta=delta["refusal"], snapshot=refusal))
        for d in cast("list[JSON]", delta.get("tool_calls") or []):
            tool_index = cast(int, d.get("index", 0))
            entry = cast("list[JSON]", message["tool_calls"])[progress.positions[tool_index]]
            fn = cast("JSON | None", entry.get("function"))
            if fn is None:  # a custom tool call: no arguments events
                continue
            arguments = cast(str, fn.get("arguments") or "")
            if arguments and self._strict_tool(cast(str, fn.get("name") or "")) is not None:
                fn["parsed_arguments"] = _partial(arguments)
            fn_delta = cast("JSON | None", d.get("function")) or {}
            events.append(_event(FunctionToolCallArgumentsDeltaEvent,
                name=cast(str, fn.get("name") or ""), index=tool_index, arguments=arguments,
                parsed_arguments=fn.get("parsed_arguments"), arguments_delta=cast(str, fn_delta.get("arguments") or ""),
            ))
        logprobs = cast("JSON | None", raw.get("logprobs"))
        snapshot_logprobs = cast("JSON | None", choice.get("logprobs")) or {}
        if logprobs and logprobs.get("content") and snapshot_logprobs.get("content"):
            events.append(_event(LogprobsContentDeltaEvent,
                content=_logprobs(logprobs["content"]), snapshot=_logprobs(snapshot_logprobs["content"]),
            ))
        if logprobs and logprobs.get("refusal") and snapshot_logprobs.get("refusal"):
            events.append(_event(LogprobsRefusalDeltaEvent,
                refusal=_logprobs(logprobs["refusal"]), snapshot=_logprobs(snapshot_logprobs["refusal"]),
            ))
        events.extend(self._done_events(choice, progress, delta, finished=finish is not None))
        return events

    def _done_events(
        self, choice: JSON, progress: _ChoiceProgress, delta: JSON, *, finished: bool
    ) -> list[ChatCompletionStreamEvent[ResponseFormatT]]:
        """What this chunk completes: everything when the choice finishes; the text and the previous
        tool call when a new tool call starts."""
        message = cast(JSON, choice["message"])
        events: list[ChatCompletionStreamEvent[ResponseFormatT]] = []
        if finished:
            events.extend(self._content_done(choice, progress))
            for tool_index in progress.positions:
                events.extend(self._tool_done(message, progress, tool_index))
        for d in cast("list[JSON]", delta.get("tool_calls") or []):
            tool_index = cast(int, d.get("index", 0))
            if progress.current_tool != tool_index:
                events.extend(self._content_done(choice, progress))
                if progress.current_tool is not None:
                    events.extend(self._tool_done(message, progress, progress.current_tool))
            progress.current_tool = tool_index
        return events

    def _content_done(self, choice: JSON, progress: _ChoiceProgress) -> list[ChatCompletionStreamEvent[ResponseFormatT]]:
        message = cast(JSON, choice["message"])
        events: list[ChatCompletionStreamEvent[ResponseFormatT]] = []
        content = message.get("content")
        if isinstance(content, str) and content and not progress.content_done:
            progress.content_done = True
            parsed: Any = None
            if self._rich_format is not omit and not message.get("refusal"):
                parsed = parse_content(self._rich_format, content)
            message["parsed"] = parsed
            events.append(_event(ContentDoneEvent[ResponseFormatT], content=content, parsed=parsed))
        refusal = message.get("refusal")
        if isinstance(refusal, str) and not progress.refusal_done:
            progress.refusal_done = True
            events.append(_event(RefusalDoneEvent, refusal=refusal))
        logprobs = cast("JSON | None", choice.get("logprobs")) or {}
        if logprobs.get("content") is not None and not progress.logprobs_content_done:
            progress.logprobs_content_done = True
            events.append(_event(LogprobsContentDoneEvent, content=_logprobs(logprobs["content"])))
        if logprobs.get("refusal") is not None and not progress.logprobs_refusal_done:
            progress.logprobs_refusal_done = True
            events.append(_event(LogprobsRefusalDoneEvent, refusal=_logprobs(logprobs["refusal"])))
        return events

    def _strict_tool(self, name: str) -> Any:
        for tool in self._input_tools:
            fn = function_definition(tool)
            if fn is not None and fn.get("name") == name and (fn.get("strict") is True or hasattr(tool, "model")):
                return tool
        return None

    def _tool_done(
        self, message: JSON, progress: _ChoiceProgress, tool_index: int
    ) -> list[ChatCompletionStreamEvent[ResponseFormatT]]:
        if tool_index in progress.done_tools:
            return []
        progress.done_tools.add(tool_index)
        entry = cast("list[JSON]", message["tool_calls"])[progress.positions[tool_index]]
        fn = cast("JSON | None", entry.get("function"))
        if fn is None:  # a custom tool call: no arguments events
            return []
        name = cast(str, fn.get("name") or "")
        arguments = cast(str, fn.get("arguments") or "")
        tool = self._strict_tool(name)
        parsed: Any = None
        if tool is not None:
            model = getattr(tool, "model", None)
            parsed = parse_content(model, arguments or "{}") if model is not None else parse_partial(arguments)
            fn["parsed_arguments"] = parsed
        return [_event(FunctionToolCallArgumentsDoneEvent,
            name=name, index=tool_index, arguments=arguments, parsed_arguments=parsed,
        )]


def _merge(old: Any, new: Any) -> Any:
    """Stream deltas: strings append, objects merge, lists extend, anything else replaces."""
    if old is None:
        return new
    if isinstance(old, str) and isinstance(new, str):
        return old + new
    if isinstance(old, dict) and isinstance(new, dict):
        out = dict(cast(JSON, old))
        for k, v in cast(JSON, new).items():
            if v is not None:
                out[k] = _merge(out.get(k), v)
        return out
    if isinstance(old, list) and isinstance(new, list):
        return cast("list[Any]", old) + cast("list[Any]", new)
    return new


def _partial(text: str) -> Any:
    try:
        return parse_partial(text)
    except ValueError:
        return None


# -- the stream objects -----------------------------------------------------------------------------


class ChatCompletionStream(EventHandlers, Generic[ResponseFormatT]):
    """The events of one streamed completion. Iterate it, or call `until_done()` / `get_final_completion()`."""

    def __init__(
        self,
        *,
        raw_stream: Stream[ChatCompletionChunk],
        response_format: ResponseFormatInput[ResponseFormatT] = omit,
        input_tools: Iterable[ChatCompletionToolUnionParam] | Omit | NotGiven = omit,
    ) -> None:
        self._init_handlers()
        self._raw_stream = raw_stream
        self.response = raw_stream.response
        self._state: ChatCompletionStreamState[ResponseFormatT] = ChatCompletionStreamState(
            input_tools=input_tools, response_format=response_format
        )
        self._iterator = self._events()

    def _events(self) -> Generator[tuple[int | None, ChatCompletionStreamEvent[ResponseFormatT]], None, None]:
        for chunk in self._raw_stream:
            for choice_index, event in self._state.indexed_events(chunk):
                self._emit(event)
                yield choice_index, event

    def __iter__(self) -> Iterator[ChatCompletionStreamEvent[ResponseFormatT]]:
        return self

    def __next__(self) -> ChatCompletionStreamEvent[ResponseFormatT]:
        return next(self._iterator)[1]

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def current_completion_snapshot(self) -> ParsedChatCompletion[object]:
        """The completion so far (`parsed` holds the partial JSON value until the content is done)."""
        return self._state.current_completion_snapshot

    @property
    def text_stream(self) -> Iterator[str]:
        """The content deltas (of the first choice) as plain strings; drives the stream."""
        for choice_index, event in self._iterator:
            if event.type == "content.delta" and choice_index == 0:
                yield event.delta

    def until_done(self) -> Self:
        for _ in self._iterator:
            pass
        return self

    def get_final_completion(self) -> ParsedChatCompletion[ResponseFormatT]:
        """Reads the rest of the stream, then returns the accumulated, parsed completion."""
        self.until_done()
        return self._state.get_final_completion()

    def close(self) -> None:
        """Stop reading and release the connection."""
        self._iterator.close()
        self._raw_stream.close()


class AsyncChatCompletionStream(EventHandlers, Generic[ResponseFormatT]):
    """The async twin of `ChatCompletionStream` (`async for`, `await stream.get_final_completion()`)."""

    def __init__(
        self,
        *,
        raw_stream: AsyncStream[ChatCompletionChunk],
        response_format: ResponseFormatInput[ResponseFormatT] = omit,
        input_tools: Iterable[ChatCompletionToolUnionParam] | Omit | NotGiven = omit,
    ) -> None:
        self._init_handlers()
        self._raw_stream = raw_stream
        self.response = raw_stream.response
        self._state: ChatCompletionStreamState[ResponseFormatT] = ChatCompletionStreamState(
            input_tools=input_tools, response_format=response_format
        )
        self._iterator = self._events()

    async def _events(self) -> AsyncGenerator[tuple[int | None, ChatCompletionStreamEvent[ResponseFormatT]], None]:
        async for chunk in self._raw_stream:
            for choice_index, event in self._state.indexed_events(chunk):
                await self._aemit(event)
                yield choice_index, event

    def __aiter__(self) -> AsyncIterator[ChatCompletionStreamEvent[ResponseFormatT]]:
        return self

    async def __anext__(self) -> ChatCompletionStreamEvent[ResponseFormatT]:
        return (await self._iterator.__anext__())[1]

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def current_completion_snapshot(self) -> ParsedChatCompletion[object]:
        """The completion so far (`parsed` holds the partial JSON value until the content is done)."""
        return self._state.current_completion_snapshot

    @property
    def text_stream(self) -> AsyncIterator[str]:
        async def texts() -> AsyncIterator[str]:
            async for choice_index, event in self._iterator:
                if event.type == "content.delta" and choice_index == 0:
                    yield event.delta

        return texts()

    async def until_done(self) -> Self:
        async for _ in self._iterator:
            pass
        return self

    async def get_final_completion(self) -> ParsedChatCompletion[ResponseFormatT]:
        await self.until_done()
        return self._state.get_final_completion()

    async def close(self) -> None:
        await self._iterator.aclose()
        await self._raw_stream.close()


class ChatCompletionStreamManager(Generic[ResponseFormatT]):
    """What `.stream()` returns: the request is sent on `with`, and the stream closed on exit."""

    def __init__(
        self,
        api_request: Callable[[], Stream[ChatCompletionChunk]],
        *,
        response_format: ResponseFormatInput[ResponseFormatT] = omit,
        input_tools: Iterable[ChatCompletionToolUnionParam] | Omit | NotGiven = omit,
    ) -> None:
        self._api_request = api_request
        self._response_format = response_format
        self._input_tools = input_tools
        self._stream: ChatCompletionStream[ResponseFormatT] | None = None

    def __enter__(self) -> ChatCompletionStream[ResponseFormatT]:
        self._stream = ChatCompletionStream(
            raw_stream=self._api_request(), response_format=self._response_format, input_tools=self._input_tools
        )
        return self._stream

    def __exit__(self, *exc: object) -> None:
        if self._stream is not None:
            self._stream.close()


class AsyncChatCompletionStreamManager(Generic[ResponseFormatT]):
    """The async twin: `async with client.chat.completions.stream(...) as stream:`."""

    def __init__(
        self,
        api_request: Callable[[], Awaitable[AsyncStream[ChatCompletionChunk]]],
        *,
        response_format: ResponseFormatInput[ResponseFormatT] = omit,
        input_tools: Iterable[ChatCompletionToolUnionParam] | Omit | NotGiven = omit,
    ) -> None:
        self._api_request = api_request
        self._response_format = response_format
        self._input_tools = input_tools
        self._stream: AsyncChatCompletionStream[ResponseFormatT] | None = None

    async def __aenter__(self) -> AsyncChatCompletionStream[ResponseFormatT]:
        self._stream = AsyncChatCompletionStream(
            raw_stream=await self._api_request(), response_format=self._response_format,
            input_tools=self._input_tools,
        )
        return self._stream

    async def __aexit__(self, *exc: object) -> None:
        if self._stream is not None:
            await self._stream.close()
