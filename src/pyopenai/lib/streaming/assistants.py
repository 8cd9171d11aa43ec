"""Assistants streams (`runs.stream()`, `threads.create_and_run_stream()`, ...): event handlers.

    class Printer(AssistantEventHandler):
        def on_text_delta(self, delta, snapshot):
            print(delta.value, end="")

    with client.beta.threads.runs.stream(thread_id=..., assistant_id=..., event_handler=Printer()) as stream:
        stream.until_done()
    run = stream.get_final_run()

The handler is the stream: iterate it for the raw `thread.*` events, or let `until_done()` drive
it. Subclasses override the `on_*` callbacks; they run as the events are consumed. Runs, steps and
messages are accumulated from their deltas (`current_run`, `current_run_step_snapshot`,
`current_message_snapshot`, `get_final_run()`, `get_final_run_steps()`, `get_final_messages()`).
`text_deltas` yields the text as it arrives. An `error` event raises `APIError` (after
`on_exception`). The async handler (`AsyncAssistantEventHandler`) takes `async def` callbacks
(plain ones work too).
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from ..._exceptions import APIError, APITimeoutError
from ..._models import BaseModel, parse_obj
from ..._streaming import request_of
from .._utils import json_of

if TYPE_CHECKING:
    import httpx2

    from ..._streaming import AsyncStream, Stream
    from ...types.beta.assistant_stream_event import AssistantStreamEvent
    from ...types.beta.threads.message import Message
    from ...types.beta.threads.run import Run
    from ...types.beta.threads.runs.run_step import RunStep

__all__ = [
    "AssistantEventHandler",
    "AssistantStreamManager",
    "AsyncAssistantEventHandler",
    "AsyncAssistantStreamManager",
]

JSON = dict[str, Any]
HandlerT = TypeVar("HandlerT", bound="AssistantEventHandler")
AsyncHandlerT = TypeVar("AsyncHandlerT", bound="AsyncAssistantEventHandler")


class _View(BaseModel):
    """A lenient view of JSON for objects without a generated model: nested objects are views too."""

    def __getattr__(self, name: str) -> Any:
        # every field is an extra; nested objects read as views too
        extra = self.__pydantic_extra__ or {}
        if name in extra:
            return _view(extra[name])
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


def _view(value: Any) -> Any:
    if isinstance(value, dict):
        return _View.model_validate(value)
    if isinstance(value, list):
        return [_view(v) for v in cast("list[Any]", value)]
    return value


def _typed(module: str, name: str, data: JSON) -> Any:
    """`data` as the generated model `module.name` when there is one, else a `_View`."""
    import importlib

    try:
        cls = getattr(importlib.import_module(f"pyopenai.types.beta.threads.{module}"), name)
    except (ImportError, AttributeError):
        cls = None
    if isinstance(cls, type) and issubclass(cls, BaseModel):
        return parse_obj(cls, data)
    return _View.model_validate(data)


def _merge_indexed(target: list[Any], deltas: list[Any]) -> list[tuple[int, JSON, JSON, bool]]:
    """Merge `[{index, ...}]` deltas into `target`; returns (index, delta, snapshot, created) per delta."""
    out: list[tuple[int, JSON, JSON, bool]] = []
    for raw in deltas:
        delta = cast(JSON, raw)
        index = cast(int, delta.get("index", 0))
        created = False
        while len(target) <= index:
            target.append(None)
        if not isinstance(target[index], dict):
            target[index] = {}
            created = True
        snapshot = cast(JSON, target[index])
        _merge_into(snapshot, {k: v for k, v in delta.items() if k != "index"})
        out.append((index, delta, snapshot, created))
    return out


def _merge_into(target: JSON, delta: JSON) -> None:
    for key, value in delta.items():
        if value is None:
            continue
        old = target.get(key)
        if isinstance(old, str) and isinstance(value, str) and key not in ("id", "type", "object", "status"):
            target[key] = old + value
        elif isinstance(old, dict) and isinstance(value, dict):
            _merge_into(cast(JSON, old), cast(JSON, value))
        elif isinstance(old, list) and isinstance(value, list):
            items = cast("list[Any]", value)
            if all(isinstance(v, dict) and "index" in v for v in items):
                _merge_indexed(cast("list[Any]", old), items)
            else:
                target[key] = cast("list[Any]", old) + items
        elif isinstance(value, list) and all(
            isinstance(v, dict) and "index" in v for v in cast("list[Any]", value)
        ):
            merged: list[Any] = []
            _merge_indexed(merged, cast("list[Any]", value))
            target[key] = merged
        else:
            target[key] = value


class _State:
    """What the events have told so far, and the callbacks they trigger (as (name, args) pairs)."""

    def __init__(self) -> None:
        self.run: JSON | None = None
        self.steps: dict[str, JSON] = {}
        self.messages: dict[str, JSON] = {}
        self.current_step: str | None = None
        self.current_message: str | None = None
        self.current_tool_call: tuple[str, int] | None = None
        self.current_content: tuple[str, int] | None = None

    def handle(self, name: str, data: JSON) -> list[tuple[str, tuple[Any, ...]]]:
        calls: list[tuple[str, tuple[Any, ...]]] = []
        if name.startswith("thread.run.step."):
            kind = name[len("thread.run.step."):]
            step_id = cast(str, data.get("id"))
            if kind == "delta":
                step = self.steps.setdefault(step_id, {"id": step_id})
                delta = cast(JSON, data.get("delta") or {})
                details = cast(JSON, delta.get("step_details") or {})
                tool_deltas = cast("list[Any]", details.get("tool_calls") or [])
                snapshot_details = cast(JSON, step.setdefault("step_details", {"type": details.get("type")}))
                calls.append(("on_run_step_delta", (_typed("runs.run_step_delta", "RunStepDelta", delta),
                                                    _typed("runs.run_step", "RunStep", step))))
                if tool_deltas:
                    tools = cast("list[Any]", snapshot_details.setdefault("tool_calls", []))
                    for index, tool_delta, tool_snapshot, created in _merge_indexed(tools, tool_deltas):
                        key = (step_id, index)
                        if self.current_tool_call is not None and self.current_tool_call != key:
                            calls.append(self._tool_done())
                        if created:
                            calls.append(("on_tool_call_created", (_view(tool_snapshot),)))
                        self.current_tool_call = key
                        calls.append(("on_tool_call_delta", (_view(tool_delta), _view(tool_snapshot))))
            else:
                self.steps[step_id] = data
                self.current_step = step_id
                if kind == "created":
                    calls.append(("on_run_step_created", (_typed("runs.run_step", "RunStep", data),)))
                elif kind in ("completed", "failed", "cancelled", "expired"):
                    if self.current_tool_call is not None and self.current_tool_call[0] == step_id:
                        calls.append(self._tool_done())
                    calls.append(("on_run_step_done", (_typed("runs.run_step", "RunStep", data),)))
        elif name.startswith("thread.run."):
            self.run = data
        elif name.startswith("thread.message."):
            kind = name[len("thread.message."):]
            message_id = cast(str, data.get("id"))
            if kind == "delta":
                message = self.messages.setdefault(message_id, {"id": message_id, "content": []})
                delta = cast(JSON, data.get("delta") or {})
                calls.append(("on_message_delta", (_typed("message_delta", "MessageDelta", delta),
                                                   _typed("message", "Message", message))))
                content = cast("list[Any]", message.setdefault("content", []))
                for index, part_delta, part, created in _merge_indexed(content, cast(
                        "list[Any]", delta.get("content") or [])):
                    key = (message_id, index)
                    if self.current_content is not None and self.current_content != key:
                        calls.extend(self._content_done())
                    self.current_content = key
                    if part.get("type") == "text":
                        text = cast(JSON, part.get("text") or {})
                        if created:
                            calls.append(("on_text_created", (_view(text),)))
                        calls.append(("on_text_delta", (_view(part_delta.get("text") or {}), _view(text))))
            else:
                self.messages[message_id] = data
                self.current_message = message_id
                if kind == "created":
                    calls.append(("on_message_created", (_typed("message", "Message", data),)))
                elif kind in ("completed", "incomplete"):
                    if self.current_content is not None and self.current_content[0] == message_id:
                        calls.extend(self._content_done())
                    calls.append(("on_message_done", (_typed("message", "Message", data),)))
        return calls

    def _tool_done(self) -> tuple[str, tuple[Any, ...]]:
        assert self.current_tool_call is not None
        step_id, index = self.current_tool_call
        self.current_tool_call = None
        details = cast(JSON, self.steps.get(step_id, {}).get("step_details") or {})
        tools = cast("list[Any]", details.get("tool_calls") or [])
        tool: Any = tools[index] if index < len(tools) else {}
        return ("on_tool_call_done", (_view(tool),))

    def _content_done(self) -> list[tuple[str, tuple[Any, ...]]]:
        assert self.current_content is not None
        message_id, index = self.current_content
        self.current_content = None
        content = cast("list[Any]", self.messages.get(message_id, {}).get("content") or [])
        part = cast(JSON, content[index]) if index < len(content) and isinstance(content[index], dict) else {}
        if part.get("type") == "text":
            return [("on_text_done", (_view(part.get("text") or {}),))]
        if part.get("type") == "image_file":
            return [("on_image_file_done", (_view(part.get("image_file") or {}),))]
        return []


class _HandlerBase:
    """State and results shared by the sync and async handlers."""

    def __init__(self) -> None:
        self._state = _State()
        self._current_event: Any = None
        self._done = False

    def _event_parts(self, event: Any) -> tuple[str, JSON]:
        data = json_of(event) if isinstance(event, BaseModel) else cast(JSON, event)
        name = cast(str, data.get("event") or data.get("type") or "")
        payload = data.get("data")
        return name, cast(JSON, payload) if isinstance(payload, dict) else data

    def _check_error(self, name: str, data: JSON, response: httpx2.Response) -> APIError | None:
        if name != "error":
            return None
        error = cast(JSON, data.get("error") or data)
        return APIError(str(error.get("message") or "The stream reported an error"), request_of(response), body=data)

    @property
    def current_event(self) -> AssistantStreamEvent | None:
        return cast("AssistantStreamEvent | None", self._current_event)

    @property
    def current_run(self) -> Run | None:
        run = self._state.run
        return cast("Run", _typed("run", "Run", run)) if run is not None else None

    @property
    def current_run_step_snapshot(self) -> RunStep | None:
        step = self._state.steps.get(self._state.current_step or "")
        return cast("RunStep", _typed("runs.run_step", "RunStep", step)) if step is not None else None

    @property
    def current_message_snapshot(self) -> Message | None:
        message = self._state.messages.get(self._state.current_message or "")
        return cast("Message", _typed("message", "Message", message)) if message is not None else None

    def _final_run(self) -> Run:
        if self._state.run is None:
            raise RuntimeError("no run object was received on this stream")
        return cast("Run", _typed("run", "Run", self._state.run))

    def _final_steps(self) -> list[RunStep]:
        return [cast("RunStep", _typed("runs.run_step", "RunStep", s)) for s in self._state.steps.values()]

    def _final_messages(self) -> list[Message]:
        return [cast("Message", _typed("message", "Message", m)) for m in self._state.messages.values()]


class AssistantEventHandler(_HandlerBase):
    """Subclass and override the `on_*` methods; each default does nothing."""

    def __init__(self) -> None:
        super().__init__()
        self._stream: Stream[Any] | None = None
        self._iterator: Generator[Any, None, None] | None = None

    def _init(self, stream: Stream[Any]) -> None:
        if self._stream is not None:
            raise RuntimeError("an event handler can follow one stream only; create a new handler")
        self._stream = stream
        self._iterator = self._events()

    def _events(self) -> Generator[Any, None, None]:
        assert self._stream is not None
        try:
            for event in self._stream:
                name, data = self._event_parts(event)
                self._current_event = event
                error = self._check_error(name, data, self._stream.response)
                if error is not None:
                    raise error
                self.on_event(event)
                for method, args in self._state.handle(name, data):
                    getattr(self, method)(*args)
                yield event
        except APITimeoutError:
            self.on_timeout()
            raise
        except Exception as exc:
            self.on_exception(exc)
            raise
        self._done = True
        self.on_end()

    # driving

    def __iter__(self) -> Iterator[AssistantStreamEvent]:
        if self._iterator is None:
            raise RuntimeError("this handler is not attached to a stream yet")
        return self._iterator

    def __next__(self) -> AssistantStreamEvent:
        return next(iter(self))

    def until_done(self) -> None:
        for _ in self:
            pass

    def get_final_run(self) -> Run:
        self.until_done()
        return self._final_run()

    def get_final_run_steps(self) -> list[RunStep]:
        self.until_done()
        return self._final_steps()

    def get_final_messages(self) -> list[Message]:
        self.until_done()
        return self._final_messages()

    @property
    def text_deltas(self) -> Iterator[str]:
        for event in self:
            name, data = self._event_parts(event)
            if name == "thread.message.delta":
                for part in cast("list[Any]", cast(JSON, data.get("delta") or {}).get("content") or []):
                    text = cast(JSON, cast(JSON, part).get("text") or {})
                    value = text.get("value")
                    if isinstance(value, str) and value:
                        yield value

    def close(self) -> None:
        if self._iterator is not None:
            self._iterator.close()
        if self._stream is not None:
            self._stream.close()

    # callbacks

    def on_event(self, event: Any) -> None: ...
    def on_run_step_created(self, run_step: Any) -> None: ...
    def on_run_step_delta(self, delta: Any, snapshot: Any) -> None: ...
    def on_run_step_done(self, run_step: Any) -> None: ...
    def on_tool_call_created(self, tool_call: Any) -> None: ...
    def on_tool_call_delta(self, delta: Any, snapshot: Any) -> None: ...
    def on_tool_call_done(self, tool_call: Any) -> None: ...
    def on_message_created(self, message: Any) -> None: ...
    def on_message_delta(self, delta: Any, snapshot: Any) -> None: ...
    def on_message_done(self, message: Any) -> None: ...
    def on_text_created(self, text: Any) -> None: ...
    def on_text_delta(self, delta: Any, snapshot: Any) -> None: ...
    def on_text_done(self, text: Any) -> None: ...
    def on_image_file_done(self, image_file: Any) -> None: ...
    def on_exception(self, exception: Exception) -> None: ...
    def on_timeout(self) -> None: ...
    def on_end(self) -> None: ...


class AsyncAssistantEventHandler(_HandlerBase):
    """The async handler: override the `on_*` methods with `async def` (or plain) methods."""

    def __init__(self) -> None:
        super().__init__()
        self._stream: AsyncStream[Any] | None = None
        self._iterator: AsyncGenerator[Any, None] | None = None

    def _init(self, stream: AsyncStream[Any]) -> None:
        if self._stream is not None:
            raise RuntimeError("an event handler can follow one stream only; create a new handler")
        self._stream = stream
        self._iterator = self._events()

    async def _call(self, method: str, *args: Any) -> None:
        result = getattr(self, method)(*args)
        if inspect.isawaitable(result):
            await result

    async def _events(self) -> AsyncGenerator[Any, None]:
        assert self._stream is not None
        try:
            async for event in self._stream:
                name, data = self._event_parts(event)
                self._current_event = event
                error = self._check_error(name, data, self._stream.response)
                if error is not None:
                    raise error
                await self._call("on_event", event)
                for method, args in self._state.handle(name, data):
                    await self._call(method, *args)
                yield event
        except APITimeoutError:
            await self._call("on_timeout")
            raise
        except Exception as exc:
            await self._call("on_exception", exc)
            raise
        self._done = True
        await self._call("on_end")

    def __aiter__(self) -> AsyncIterator[AssistantStreamEvent]:
        if self._iterator is None:
            raise RuntimeError("this handler is not attached to a stream yet")
        return self._iterator

    async def __anext__(self) -> AssistantStreamEvent:
        return await self.__aiter__().__anext__()

    async def until_done(self) -> None:
        async for _ in self:
            pass

    async def get_final_run(self) -> Run:
        await self.until_done()
        return self._final_run()

    async def get_final_run_steps(self) -> list[RunStep]:
        await self.until_done()
        return self._final_steps()

    async def get_final_messages(self) -> list[Message]:
        await self.until_done()
        return self._final_messages()

    @property
    def text_deltas(self) -> AsyncIterator[str]:
        async def gen() -> AsyncIterator[str]:
            async for event in self:
                name, data = self._event_parts(event)
                if name == "thread.message.delta":
                    for part in cast("list[Any]", cast(JSON, data.get("delta") or {}).get("content") or []):
                        value = cast(JSON, cast(JSON, part).get("text") or {}).get("value")
                        if isinstance(value, str) and value:
                            yield value

        return gen()

    async def close(self) -> None:
        if self._iterator is not None:
            await self._iterator.aclose()
        if self._stream is not None:
            await self._stream.close()

    async def on_event(self, event: Any) -> None: ...
    async def on_run_step_created(self, run_step: Any) -> None: ...
    async def on_run_step_delta(self, delta: Any, snapshot: Any) -> None: ...
    async def on_run_step_done(self, run_step: Any) -> None: ...
    async def on_tool_call_created(self, tool_call: Any) -> None: ...
    async def on_tool_call_delta(self, delta: Any, snapshot: Any) -> None: ...
    async def on_tool_call_done(self, tool_call: Any) -> None: ...
    async def on_message_created(self, message: Any) -> None: ...
    async def on_message_delta(self, delta: Any, snapshot: Any) -> None: ...
    async def on_message_done(self, message: Any) -> None: ...
    async def on_text_created(self, text: Any) -> None: ...
    async def on_text_delta(self, delta: Any, snapshot: Any) -> None: ...
    async def on_text_done(self, text: Any) -> None: ...
    async def on_image_file_done(self, image_file: Any) -> None: ...
    async def on_exception(self, exception: Exception) -> None: ...
    async def on_timeout(self) -> None: ...
    async def on_end(self) -> None: ...


class AssistantStreamManager(Generic[HandlerT]):
    """`with ...stream(...) as handler:` sends the request on entry and closes the stream on exit."""

    def __init__(self, api_request: Callable[[], Stream[Any]], *, event_handler: HandlerT) -> None:
        self._api_request = api_request
        self._handler = event_handler

    def __enter__(self) -> HandlerT:
        self._handler._init(self._api_request())  # pyright: ignore[reportPrivateUsage]
        return self._handler

    def __exit__(self, *exc: object) -> None:
        self._handler.close()


class AsyncAssistantStreamManager(Generic[AsyncHandlerT]):
    """`async with ...stream(...) as handler:`."""

    def __init__(self, api_request: Callable[[], Awaitable[AsyncStream[Any]]], *, event_handler: AsyncHandlerT) -> None:
        self._api_request = api_request
        self._handler = event_handler

    async def __aenter__(self) -> AsyncHandlerT:
        self._handler._init(await self._api_request())  # pyright: ignore[reportPrivateUsage]
        return self._handler

    async def __aexit__(self, *exc: object) -> None:
        await self._handler.close()
