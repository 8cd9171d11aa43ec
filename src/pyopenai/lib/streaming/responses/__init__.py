"""`client.responses.stream(...)`: a streamed response as its typed events plus an accumulated snapshot.

    with client.responses.stream(model="gpt-4o", input="Say hi") as stream:
        for event in stream:
            if event.type == "response.output_text.delta":
                print(event.delta, end="")
    response = stream.get_final_response()

The events are the API's own (`pyopenai.types.responses.ResponseStreamEvent`), with a few
additions: `response.output_text.delta` and `response.function_call_arguments.delta` carry
`snapshot` (the text/arguments so far), `response.output_text.done` carries `parsed` (with
`text_format=Model`), and `response.completed` / `response.incomplete` carry the `ParsedResponse`.
`stream.text_stream` yields just the text deltas. `stream.on(event_type, fn)` registers listeners.

How a stream ends (as the official SDK 3.60):

* `response.completed`: `get_final_response()` returns the `ParsedResponse`.
* `response.incomplete`: iteration yields the event (its `response` is the partial response, not
  parsed: with a `text_format` its JSON is cut short); `get_final_response()` raises
  `ResponseIncompleteError` (`.response`, with `incomplete_details.reason`).
* `response.failed`, or an `error` event: iteration yields the event; `get_final_response()`
  raises `ResponseFailedError` (with `.response`, `.code`, `.message`).
* the body ends without any of these (a cut connection raises `APIConnectionError` earlier):
  `get_final_response()` raises `ResponseStreamIncompleteError`.

All four errors are also `RuntimeError`s, as the official SDK raises. The output items are kept by
output index and checked as they arrive (`_output` has the rules): events that contradict
each other (an item changing identity, content for an index without an item, a response id that
changes) raise `ResponseStreamStateError` when they arrive, before the event is yielded.

Resuming (`responses.stream(response_id=..., starting_after=n)`), as the official SDK does: the
response's whole stream is fetched and accumulated, and the events after sequence number `n` are
yielded, so snapshots (`event.snapshot`, `current_snapshot`) hold the text from the start.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Generic, Union, cast

from typing_extensions import Self, TypeAlias, TypeVar

from ...._exceptions import OpenAIError
from ...._models import BaseModel, parse_obj
from ...._types import NotGiven, Omit, omit
from ....types import responses as api
from ....types.responses.response_completed_event import ResponseCompletedEvent as _RawCompletedEvent
from ....types.responses.response_function_call_arguments_delta_event import (
    ResponseFunctionCallArgumentsDeltaEvent as _RawArgumentsDeltaEvent,
)
from ....types.responses.response_incomplete_event import ResponseIncompleteEvent as _RawIncompleteEvent
from ....types.responses.response_text_delta_event import ResponseTextDeltaEvent as _RawTextDeltaEvent
from ....types.responses.response_text_done_event import ResponseTextDoneEvent as _RawTextDoneEvent
from ..._parsing import is_final_answer, is_given, parse_content, parse_response, tool_list
from ..._tools import to_responses_tool
from ..._utils import json_of
from ...parsed_types import ParsedResponse
from .._handlers import EventHandlers
from ._output import OutputItems, ResponseStreamStateError

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from ...._streaming import AsyncStream, Stream
    from ....types.chat.chat_completion_function_tool_param import ChatCompletionFunctionToolParam
    from ....types.responses.response_stream_event import ResponseStreamEvent as RawStreamEvent
    from ....types.responses.response_text_config_param import ResponseTextConfigParam
    from ....types.responses.tool_param import ToolParam


__all__ = [
    "AsyncResponseStream",
    "AsyncResponseStreamManager",
    "ResponseCompletedEvent",
    "ResponseFailedError",
    "ResponseFunctionCallArgumentsDeltaEvent",
    "ResponseIncompleteError",
    "ResponseIncompleteEvent",
    "ResponseStream",
    "ResponseStreamIncompleteError",
    "ResponseStreamManager",
    "ResponseStreamState",
    "ResponseStreamStateError",
    "ResponseTextDeltaEvent",
    "ResponseTextDoneEvent",
]

TextFormatT = TypeVar("TextFormatT", default=None)  # None: no text_format, nothing parsed

if TYPE_CHECKING:
    TextFormatInput = Union[type[TextFormatT], TypeAdapter[TextFormatT], Omit]
    InputTools = Union[Iterable[Union[ToolParam, ChatCompletionFunctionToolParam]], Omit, NotGiven]

JSON = dict[str, Any]


class ResponseFailedError(OpenAIError, RuntimeError):
    """The streamed response failed (`response.failed`) or the server sent an `error` event."""

    def __init__(self, message: str, *, response: ParsedResponse[object] | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.response = response
        self.code = code


class ResponseStreamIncompleteError(OpenAIError, RuntimeError):
    """The stream ended before the response reached a final state (completed, incomplete or failed)."""


class ResponseIncompleteError(OpenAIError, RuntimeError):
    """The stream ended with `response.incomplete`; `.response` is the partial response (its
    `incomplete_details.reason` says why)."""

    def __init__(self, message: str, *, response: ParsedResponse[Any]) -> None:
        super().__init__(message)
        self.message = message
        self.response = response


# -- the events the helpers extend --------------------------------------------------------------------


class ResponseTextDeltaEvent(_RawTextDeltaEvent):
    snapshot: str
    """The text of this content part so far."""


class ResponseTextDoneEvent(_RawTextDoneEvent, Generic[TextFormatT]):
    parsed: TextFormatT | None


class ResponseFunctionCallArgumentsDeltaEvent(_RawArgumentsDeltaEvent):
    snapshot: str
    """The call's arguments so far."""


class ResponseCompletedEvent(_RawCompletedEvent, Generic[TextFormatT]):
    response: ParsedResponse[TextFormatT]  # pyright: ignore[reportIncompatibleVariableOverride]


class ResponseIncompleteEvent(_RawIncompleteEvent, Generic[TextFormatT]):
    response: ParsedResponse[TextFormatT]  # pyright: ignore[reportIncompatibleVariableOverride]
    """The partial response as it came: nothing in it is parsed (`output_parsed` stays None)."""


# What iterating a response stream gives: the API's events, five of them extended as above. A union
# tagged by `type`, so `if event.type == "response.output_text.delta":` narrows to one class.
ResponseStreamEvent: TypeAlias = Union[
    ResponseTextDeltaEvent,
    ResponseTextDoneEvent[TextFormatT],
    ResponseFunctionCallArgumentsDeltaEvent,
    ResponseCompletedEvent[TextFormatT],
    api.ResponseAudioDeltaEvent,
    api.ResponseAudioDoneEvent,
    api.ResponseAudioTranscriptDeltaEvent,
    api.ResponseAudioTranscriptDoneEvent,
    api.ResponseCodeInterpreterCallCodeDeltaEvent,
    api.ResponseCodeInterpreterCallCodeDoneEvent,
    api.ResponseCodeInterpreterCallCompletedEvent,
    api.ResponseCodeInterpreterCallInProgressEvent,
    api.ResponseCodeInterpreterCallInterpretingEvent,
    api.ResponseCompactionCompactingEvent,
    api.ResponseContentPartAddedEvent,
    api.ResponseContentPartDoneEvent,
    api.ResponseCreatedEvent,
    api.ResponseErrorEvent,
    api.ResponseFileSearchCallCompletedEvent,
    api.ResponseFileSearchCallInProgressEvent,
    api.ResponseFileSearchCallSearchingEvent,
    api.ResponseFunctionCallArgumentsDoneEvent,
    api.ResponseShellCallCommandAddedEvent,
    api.ResponseShellCallCommandDeltaEvent,
    api.ResponseShellCallCommandDoneEvent,
    api.ResponseShellCallOutputContentDeltaEvent,
    api.ResponseShellCallOutputContentDoneEvent,
    api.ResponseInProgressEvent,
    api.ResponseFailedEvent,
    ResponseIncompleteEvent[TextFormatT],
    api.ResponseOutputItemAddedEvent,
    api.ResponseOutputItemDoneEvent,
    api.ResponseReasoningSummaryPartAddedEvent,
    api.ResponseReasoningSummaryPartDoneEvent,
    api.ResponseReasoningSummaryTextDeltaEvent,
    api.ResponseReasoningSummaryTextDoneEvent,
    api.ResponseReasoningTextDeltaEvent,
    api.ResponseReasoningTextDoneEvent,
    api.ResponseRefusalDeltaEvent,
    api.ResponseRefusalDoneEvent,
    api.ResponseWebSearchCallCompletedEvent,
    api.ResponseWebSearchCallInProgressEvent,
    api.ResponseWebSearchCallSearchingEvent,
    api.ResponseImageGenCallCompletedEvent,
    api.ResponseImageGenCallGeneratingEvent,
    api.ResponseImageGenCallInProgressEvent,
    api.ResponseImageGenCallPartialImageEvent,
    api.ResponseMcpCallArgumentsDeltaEvent,
    api.ResponseMcpCallArgumentsDoneEvent,
    api.ResponseMcpCallCompletedEvent,
    api.ResponseMcpCallFailedEvent,
    api.ResponseMcpCallInProgressEvent,
    api.ResponseMcpListToolsCompletedEvent,
    api.ResponseMcpListToolsFailedEvent,
    api.ResponseMcpListToolsInProgressEvent,
    api.ResponseOutputTextAnnotationAddedEvent,
    api.ResponseQueuedEvent,
    api.ResponseCustomToolCallInputDeltaEvent,
    api.ResponseCustomToolCallInputDoneEvent,
]


_EXTENDED: dict[str, type[BaseModel]] = {
    "response.output_text.delta": ResponseTextDeltaEvent,
    "response.output_text.done": ResponseTextDoneEvent,
    "response.function_call_arguments.delta": ResponseFunctionCallArgumentsDeltaEvent,
    "response.completed": ResponseCompletedEvent,
    "response.incomplete": ResponseIncompleteEvent,
}

_TERMINAL = ("response.completed", "response.incomplete", "response.failed")


def _event_model(data: JSON) -> Any:
    cls = _EXTENDED.get(cast(str, data.get("type")))
    if cls is not None:
        return parse_obj(cls, data)
    from ....types.responses.response_stream_event import ResponseStreamEvent

    return cast(Any, parse_obj(ResponseStreamEvent, data))


def _slot(items: list[Any], index: int, default: Callable[[], JSON]) -> JSON:
    while len(items) <= index:
        items.append(None)
    if not isinstance(items[index], dict):
        items[index] = default()
    return cast(JSON, items[index])


# -- state ------------------------------------------------------------------------------------------

_SNAPSHOTS = ("response.created", "response.in_progress", "response.queued")
# the events that change the snapshot (others, such as progress events, leave it as it is)
_CHANGES = frozenset({
    *_SNAPSHOTS, *_TERMINAL, "response.output_item.added", "response.output_item.done",
    "response.content_part.added", "response.content_part.done", "response.output_text.delta",
    "response.output_text.done", "response.refusal.delta", "response.refusal.done",
    "response.function_call_arguments.delta", "response.function_call_arguments.done",
    "response.custom_tool_call_input.delta", "response.reasoning_summary_text.delta",
    "response.reasoning_text.delta", "response.reasoning_summary_part.added",
})


class ResponseStreamState(Generic[TextFormatT]):
    """Accumulates Responses stream events into a response snapshot (the output items by index:
    see `_output`)."""

    def __init__(
        self,
        *,
        input_tools: InputTools = omit,
        text_format: TextFormatInput[TextFormatT] = omit,
        text: ResponseTextConfigParam | Omit = omit,
        response_id: str | None = None,
        starting_after: int | None = None,
    ) -> None:
        self._snapshot: JSON | None = None
        self._view: ParsedResponse[TextFormatT] | None = None  # current_snapshot, until the next change
        self._items = OutputItems()
        self._input_tools = [to_responses_tool(t) for t in tool_list(input_tools)]
        self._text_format = text_format
        self._text = text
        self._response_id = response_id
        # resuming: events up to this sequence number are accumulated but not handed out again
        self._starting_after = starting_after
        self.final_response: ParsedResponse[TextFormatT] | None = None
        self.terminal_event: str | None = None
        self._terminal_data: JSON = {}
        self.error: JSON | None = None

    @property
    def current_snapshot(self) -> ParsedResponse[TextFormatT]:
        if self._snapshot is None:
            raise RuntimeError("no event has been received yet")
        if self.final_response is not None:
            return self.final_response
        if self._view is None:
            self._view = cast("ParsedResponse[TextFormatT]", parse_obj(ParsedResponse, self._with_output(None)))
        return self._view

    def accumulate_event(self, event: BaseModel | JSON) -> ParsedResponse[TextFormatT]:
        """Accumulate one event without producing the events to yield for it; the snapshot after it
        (the same object as long as nothing changes it)."""
        self._handle(event)
        return self.current_snapshot

    def _parse(self, data: JSON) -> ParsedResponse[TextFormatT]:
        return parse_response(data, text_format=self._text_format, text=self._text, input_tools=self._input_tools)

    def handle_event(self, event: BaseModel | JSON) -> list[ResponseStreamEvent[TextFormatT]]:
        """Accumulate one event (a model or its JSON); returns the events the helper yields for it
        (a list, as the official SDK's state returns: the one event, extended, or none when a resumed
        stream replays an event the caller has seen, or for an item event without an item)."""
        handled = self._handle(event)
        if handled is None:
            return []
        seen = self._starting_after
        if seen is not None and (getattr(handled, "sequence_number", None) or 0) <= seen:
            return []
        return [handled]

    def _handle(self, event: BaseModel | JSON) -> Any:
        data = json_of(event)
        kind = cast(str, data.get("type") or "")
        if kind in _CHANGES:
            self._view = None
        if self._snapshot is None:
            self._snapshot = {"id": self._response_id, "object": "response", "status": "in_progress"}
        extra: dict[str, Any] = {}
        response = data.get("response")
        if kind in _SNAPSHOTS and isinstance(response, dict):
            data = self._lifecycle(data, cast(JSON, response), kind)
        elif kind in _TERMINAL and isinstance(response, dict):
            data = self._lifecycle(data, cast(JSON, response), kind)
            self.terminal_event = kind
            self._terminal_data = cast(JSON, data["response"])
            if kind == "response.completed":  # the others carry the response as it came, unparsed
                self.final_response = extra["response"] = self._parse(self._terminal_data)
        elif kind == "error":
            self.error = data
        elif kind == "response.output_item.added" or kind == "response.output_item.done":
            item = data.get("item")
            if not isinstance(item, dict):
                return None  # an item event without an item: nothing to add, nothing to hand out
            index = cast(int, data.get("output_index") or 0)
            if kind == "response.output_item.added":
                self._items.added(index, cast(JSON, item))
            else:
                self._items.done(index, cast(JSON, item))
        else:
            extra = self._apply(kind, data)
        out = _event_model(data)
        for name, value in extra.items():
            out.__dict__[name] = value
        return out

    def _lifecycle(self, data: JSON, response: JSON, kind: str) -> JSON:
        """A lifecycle event: the same response id as before, its output reconciled with the tracked
        items; the event's data with the output the response then has."""
        snap = cast(JSON, self._snapshot)
        known, given = snap.get("id"), response.get("id")
        if known is not None and given != known:
            raise ResponseStreamStateError(
                f"The response id changed mid-stream: {kind} is for {given!r}, the stream for {known!r}"
            )
        output = response.get("output")
        listed = cast("list[Any]", output) if isinstance(output, list) else None
        if kind == "response.completed":
            final_output = self._items.settle(listed)
        elif listed is not None:
            if kind in _SNAPSHOTS:
                self._items.refresh(listed)
            final_output = listed
        else:
            final_output = self._items.listed()
        snap.clear()
        snap.update(response)
        if listed is not None and final_output is listed:
            return data
        return {**data, "response": {**response, "output": final_output}}

    def _with_output(self, output: list[Any] | None) -> JSON:
        return {**cast(JSON, self._snapshot), "output": self._items.listed() if output is None else output}

    def _apply(self, kind: str, data: JSON) -> dict[str, Any]:
        index = cast(int, data.get("output_index") or 0)
        items = self._items
        if kind in ("response.content_part.added", "response.content_part.done"):
            item = items.at(index, kind)
            parts = _listed(item, "content")
            position = cast(int, data.get("content_index") or 0)
            while len(parts) <= position:
                parts.append(None)
            parts[position] = dict(cast(JSON, data.get("part") or {}))
            return {}
        if kind == "response.output_text.delta":
            part = self._part(items.at(index, kind), data, "output_text")
            part["text"] = cast(str, part.get("text") or "") + cast(str, data.get("delta") or "")
            logprobs = data.get("logprobs")
            if isinstance(logprobs, list) and logprobs:
                part["logprobs"] = cast("list[Any]", part.get("logprobs") or []) + cast("list[Any]", logprobs)
            return {"snapshot": part["text"]}
        if kind == "response.output_text.done":
            item = items.at(index, kind)
            part = self._part(item, data, "output_text")
            text = cast(str, data.get("text") or "")
            part["text"] = text
            fmt = self._text_format
            parsed = parse_content(fmt, text) if is_given(fmt) and text and is_final_answer(item) else None
            return {"parsed": parsed}
        if kind == "response.refusal.delta":
            part = self._part(items.at(index, kind), data, "refusal")
            part["refusal"] = cast(str, part.get("refusal") or "") + cast(str, data.get("delta") or "")
            return {}
        if kind == "response.refusal.done":
            self._part(items.at(index, kind), data, "refusal")["refusal"] = data.get("refusal")
            return {}
        if kind == "response.function_call_arguments.delta":
            item = items.at(index, kind)
            item["arguments"] = cast(str, item.get("arguments") or "") + cast(str, data.get("delta") or "")
            return {"snapshot": item["arguments"]}
        if kind == "response.function_call_arguments.done":
            item = items.at(index, kind)
            item["arguments"] = data.get("arguments")
            if data.get("name") is not None:
                item["name"] = data["name"]
            return {}
        if kind == "response.custom_tool_call_input.delta":
            item = items.at(index, kind)
            item["input"] = cast(str, item.get("input") or "") + cast(str, data.get("delta") or "")
            return {}
        if kind in ("response.reasoning_summary_text.delta", "response.reasoning_text.delta"):
            item = items.at(index, kind)
            key, pos = ("summary", "summary_index") if "summary" in kind else ("content", "content_index")
            parts = _listed(item, key)
            kind_name = "summary_text" if key == "summary" else "reasoning_text"
            part = _slot(parts, cast(int, data.get(pos) or 0), lambda: {"type": kind_name, "text": ""})
            part["text"] = cast(str, part.get("text") or "") + cast(str, data.get("delta") or "")
            return {}
        if kind == "response.reasoning_summary_part.added":
            parts = _listed(items.at(index, kind), "summary")
            _slot(parts, cast(int, data.get("summary_index") or 0), lambda: dict(cast(JSON, data.get("part") or {})))
            return {}
        return {}

    def _part(self, item: JSON, data: JSON, kind: str) -> JSON:
        parts = _listed(item, "content")
        empty: JSON = {"type": kind, "text": "", "annotations": []} if kind == "output_text" else {
            "type": kind, "refusal": ""}
        return _slot(parts, cast(int, data.get("content_index") or 0), lambda: dict(empty))

    def final(self) -> ParsedResponse[TextFormatT]:
        """The outcome once the stream has ended (see the module docstring)."""
        if self.final_response is not None:
            return self.final_response
        if self.terminal_event == "response.failed":
            snap = cast("ParsedResponse[Any]", parse_obj(ParsedResponse, self._terminal_data))
            error = cast("JSON | None", self._terminal_data.get("error")) or {}
            raise ResponseFailedError(
                f"The response failed ({error.get('code') or 'no error code'}: "
                f"{error.get('message') or 'no error message'}); no response.completed event came",
                response=snap, code=cast("str | None", error.get("code")),
            )
        if self.terminal_event == "response.incomplete":
            details = cast("JSON | None", self._terminal_data.get("incomplete_details")) or {}
            raise ResponseIncompleteError(
                f"The response is incomplete (reason: {details.get('reason') or 'not given'}); "
                "no response.completed event came",
                response=cast("ParsedResponse[Any]", parse_obj(ParsedResponse, self._terminal_data)),
            )
        if self.error is not None:
            raise ResponseFailedError(
                f"The stream reported an error: {self.error.get('message') or 'no error message'}",
                code=cast("str | None", self.error.get("code")),
            )
        raise ResponseStreamIncompleteError(
            "The stream ended before the response completed (no response.completed, response.incomplete "
            "or response.failed event)"
        )


def _listed(item: JSON, key: str) -> list[Any]:
    """`item[key]` as a list we can extend (a null or missing one becomes empty)."""
    value = item.get(key)
    if not isinstance(value, list):
        value = item[key] = []
    return cast("list[Any]", value)


# -- the stream objects -----------------------------------------------------------------------------


class ResponseStream(EventHandlers, Generic[TextFormatT]):
    """The events of one streamed response. Iterate it, or call `until_done()` / `get_final_response()`."""

    def __init__(
        self,
        *,
        raw_stream: Stream[RawStreamEvent],
        text_format: TextFormatInput[TextFormatT] = omit,
        text: ResponseTextConfigParam | Omit = omit,
        input_tools: InputTools = omit,
        response_id: str | None = None,
        starting_after: int | None = None,
    ) -> None:
        self._init_handlers()
        self._raw_stream = raw_stream
        self.response = raw_stream.response
        self._state: ResponseStreamState[TextFormatT] = ResponseStreamState(
            input_tools=input_tools, text_format=text_format, text=text, response_id=response_id,
            starting_after=starting_after,
        )
        self._iterator = self._events()

    def _events(self) -> Generator[ResponseStreamEvent[TextFormatT], None, None]:
        for raw in self._raw_stream:
            for event in self._state.handle_event(raw):
                self._emit(event)
                yield event

    def __iter__(self) -> Iterator[ResponseStreamEvent[TextFormatT]]:
        return self._iterator

    def __next__(self) -> ResponseStreamEvent[TextFormatT]:
        return next(self._iterator)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def current_snapshot(self) -> ParsedResponse[TextFormatT]:
        return self._state.current_snapshot

    @property
    def text_stream(self) -> Generator[str, None, None]:
        """The `response.output_text.delta` texts as plain strings; drives the stream."""
        for event in self._iterator:
            if event.type == "response.output_text.delta":
                yield event.delta

    def until_done(self) -> Self:
        for _ in self._iterator:
            pass
        return self

    def get_final_response(self) -> ParsedResponse[TextFormatT]:
        """Reads the rest of the stream; the final response, or the error saying why there is none."""
        self.until_done()
        return self._state.final()

    def close(self) -> None:
        self._iterator.close()
        close = getattr(self._raw_stream, "close", None)  # a stand-in event source may have none
        if close is not None:
            close()


class AsyncResponseStream(EventHandlers, Generic[TextFormatT]):
    """The async twin of `ResponseStream`."""

    def __init__(
        self,
        *,
        raw_stream: AsyncStream[RawStreamEvent],
        text_format: TextFormatInput[TextFormatT] = omit,
        text: ResponseTextConfigParam | Omit = omit,
        input_tools: InputTools = omit,
        response_id: str | None = None,
        starting_after: int | None = None,
    ) -> None:
        self._init_handlers()
        self._raw_stream = raw_stream
        self.response = raw_stream.response
        self._state: ResponseStreamState[TextFormatT] = ResponseStreamState(
            input_tools=input_tools, text_format=text_format, text=text, response_id=response_id,
            starting_after=starting_after,
        )
        self._iterator = self._events()

    async def _events(self) -> AsyncGenerator[ResponseStreamEvent[TextFormatT], None]:
        async for raw in self._raw_stream:
            for event in self._state.handle_event(raw):
                await self._aemit(event)
                yield event

    def __aiter__(self) -> AsyncIterator[ResponseStreamEvent[TextFormatT]]:
        return self._iterator

    async def __anext__(self) -> ResponseStreamEvent[TextFormatT]:
        return await self._iterator.__anext__()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def current_snapshot(self) -> ParsedResponse[TextFormatT]:
        return self._state.current_snapshot

    @property
    def text_stream(self) -> AsyncGenerator[str, None]:
        async def texts() -> AsyncGenerator[str, None]:
            async for event in self._iterator:
                if event.type == "response.output_text.delta":
                    yield event.delta

        return texts()

    async def until_done(self) -> Self:
        async for _ in self._iterator:
            pass
        return self

    async def get_final_response(self) -> ParsedResponse[TextFormatT]:
        await self.until_done()
        return self._state.final()

    async def close(self) -> None:
        await self._iterator.aclose()
        close = getattr(self._raw_stream, "close", None)  # a stand-in event source may have none
        if close is not None:
            await close()


class ResponseStreamManager(Generic[TextFormatT]):
    """What `responses.stream()` returns: the request is sent on `with`, the stream closed on exit."""

    def __init__(
        self,
        api_request: Callable[[], Stream[RawStreamEvent]],
        *,
        text_format: TextFormatInput[TextFormatT] = omit,
        text: ResponseTextConfigParam | Omit = omit,
        input_tools: InputTools = omit,
        response_id: str | None = None,
        starting_after: int | None = None,
    ) -> None:
        self._api_request = api_request
        self._options: dict[str, Any] = {"text_format": text_format, "text": text, "input_tools": input_tools,
                                         "response_id": response_id, "starting_after": starting_after}
        self._stream: ResponseStream[TextFormatT] | None = None

    def __enter__(self) -> ResponseStream[TextFormatT]:
        self._stream = ResponseStream(raw_stream=self._api_request(), **self._options)
        return self._stream

    def __exit__(self, *exc: object) -> None:
        if self._stream is not None:
            self._stream.close()


class AsyncResponseStreamManager(Generic[TextFormatT]):
    """The async twin: `async with client.responses.stream(...) as stream:`."""

    def __init__(
        self,
        api_request: Callable[[], Awaitable[AsyncStream[RawStreamEvent]]],
        *,
        text_format: TextFormatInput[TextFormatT] = omit,
        text: ResponseTextConfigParam | Omit = omit,
        input_tools: InputTools = omit,
        response_id: str | None = None,
        starting_after: int | None = None,
    ) -> None:
        self._api_request = api_request
        self._options: dict[str, Any] = {"text_format": text_format, "text": text, "input_tools": input_tools,
                                         "response_id": response_id, "starting_after": starting_after}
        self._stream: AsyncResponseStream[TextFormatT] | None = None

    async def __aenter__(self) -> AsyncResponseStream[TextFormatT]:
        self._stream = AsyncResponseStream(raw_stream=await self._api_request(), **self._options)
        return self._stream

    async def __aexit__(self, *exc: object) -> None:
        if self._stream is not None:
            await self._stream.close()

