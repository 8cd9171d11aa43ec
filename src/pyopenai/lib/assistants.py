"""The Assistants stream helpers: `runs.stream()` / `create_and_stream()` / `submit_tool_outputs_stream()`
and `threads.create_and_run_stream()`.

The generator makes these classes the first bases of the generated resources
(`class Runs(RunsStreamHelpers, SyncAPIResource)`). Each helper returns a stream manager (not a
coroutine, in the async client too): use it with `with` / `async with`; it sends the request on
entry. It takes every argument of the request it streams (`**options: Unpack[...]`, generated
beside that method, so the names and types never drift) and an `event_handler=`: without one, a
plain `AssistantEventHandler` (or the async one) collects the events; with one, the manager yields
that handler, typed as its own class (see `lib.streaming.assistants`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload

from typing_extensions import Unpack, deprecated

if TYPE_CHECKING:
    # the stream module loads on first call, so importing a resource stays cheap
    from ..resources.beta.threads.runs.runs import RunCreateOptions, RunSubmitToolOutputsOptions
    from ..resources.beta.threads.threads import ThreadCreateAndRunOptions
    from .streaming.assistants import (
        AssistantEventHandler,
        AssistantStreamManager,
        AsyncAssistantEventHandler,
        AsyncAssistantStreamManager,
    )

__all__ = ["AsyncRunsStreamHelpers", "AsyncThreadsStreamHelpers", "RunsStreamHelpers", "ThreadsStreamHelpers"]

HandlerT = TypeVar("HandlerT", bound="AssistantEventHandler")
AsyncHandlerT = TypeVar("AsyncHandlerT", bound="AsyncAssistantEventHandler")
# as the generated Assistants methods say it (config `deprecations`), for checkers and at run time
_DEPRECATED = "the Assistants API is deprecated; use the Responses API"


def _streamed(options: Mapping[str, object]) -> dict[str, object]:
    """The request's arguments with `stream=True`; a `stream` of the caller's is a mistake, said so."""
    if "stream" in options:
        raise TypeError("stream helpers always stream; do not pass `stream`")
    return {**options, "stream": True}


def _manager(send: Any, request: dict[str, object], event_handler: AssistantEventHandler | None) -> Any:
    from .streaming.assistants import AssistantEventHandler, AssistantStreamManager

    handler = event_handler if event_handler is not None else AssistantEventHandler()
    return AssistantStreamManager(lambda: send(**request), event_handler=handler)


def _async_manager(send: Any, request: dict[str, object], event_handler: AsyncAssistantEventHandler | None) -> Any:
    from .streaming.assistants import AsyncAssistantEventHandler, AsyncAssistantStreamManager

    handler = event_handler if event_handler is not None else AsyncAssistantEventHandler()
    return AsyncAssistantStreamManager(lambda: send(**request), event_handler=handler)


class RunsStreamHelpers:
    """`client.beta.threads.runs.stream / create_and_stream / submit_tool_outputs_stream`."""

    @overload
    @deprecated(_DEPRECATED)
    def stream(
        self, *, event_handler: None = None, **options: Unpack[RunCreateOptions]
    ) -> AssistantStreamManager[AssistantEventHandler]: ...
    @overload
    @deprecated(_DEPRECATED)
    def stream(
        self, *, event_handler: HandlerT, **options: Unpack[RunCreateOptions]
    ) -> AssistantStreamManager[HandlerT]: ...
    @deprecated(_DEPRECATED)
    def stream(
        self, *, event_handler: AssistantEventHandler | None = None, **options: Unpack[RunCreateOptions]
    ) -> AssistantStreamManager[Any]:
        """Create a run on `thread_id` and stream its events to `event_handler`."""
        return _manager(cast(Any, self).create, _streamed(options), event_handler)

    # the older name the official SDK keeps (deprecated as the rest; the alias itself is no use of it)
    create_and_stream = stream  # pyright: ignore[reportDeprecated]

    @overload
    @deprecated(_DEPRECATED)
    def submit_tool_outputs_stream(
        self, *, event_handler: None = None, **options: Unpack[RunSubmitToolOutputsOptions]
    ) -> AssistantStreamManager[AssistantEventHandler]: ...
    @overload
    @deprecated(_DEPRECATED)
    def submit_tool_outputs_stream(
        self, *, event_handler: HandlerT, **options: Unpack[RunSubmitToolOutputsOptions]
    ) -> AssistantStreamManager[HandlerT]: ...
    @deprecated(_DEPRECATED)
    def submit_tool_outputs_stream(
        self, *, event_handler: AssistantEventHandler | None = None, **options: Unpack[RunSubmitToolOutputsOptions]
    ) -> AssistantStreamManager[Any]:
        """Submit tool outputs to a run and stream the rest of it."""
        return _manager(cast(Any, self).submit_tool_outputs, _streamed(options), event_handler)


class AsyncRunsStreamHelpers:
    """`client.beta.threads.runs.stream(...)` of the async client: `async with` the manager it returns."""

    @overload
    @deprecated(_DEPRECATED)
    def stream(
        self, *, event_handler: None = None, **options: Unpack[RunCreateOptions]
    ) -> AsyncAssistantStreamManager[AsyncAssistantEventHandler]: ...
    @overload
    @deprecated(_DEPRECATED)
    def stream(
        self, *, event_handler: AsyncHandlerT, **options: Unpack[RunCreateOptions]
    ) -> AsyncAssistantStreamManager[AsyncHandlerT]: ...
    @deprecated(_DEPRECATED)
    def stream(
        self, *, event_handler: AsyncAssistantEventHandler | None = None, **options: Unpack[RunCreateOptions]
    ) -> AsyncAssistantStreamManager[Any]:
        """Create a run on `thread_id` and stream its events to `event_handler`."""
        return _async_manager(cast(Any, self).create, _streamed(options), event_handler)

    create_and_stream = stream  # pyright: ignore[reportDeprecated]

    @overload
    @deprecated(_DEPRECATED)
    def submit_tool_outputs_stream(
        self, *, event_handler: None = None, **options: Unpack[RunSubmitToolOutputsOptions]
    ) -> AsyncAssistantStreamManager[AsyncAssistantEventHandler]: ...
    @overload
    @deprecated(_DEPRECATED)
    def submit_tool_outputs_stream(
        self, *, event_handler: AsyncHandlerT, **options: Unpack[RunSubmitToolOutputsOptions]
    ) -> AsyncAssistantStreamManager[AsyncHandlerT]: ...
    @deprecated(_DEPRECATED)
    def submit_tool_outputs_stream(
        self, *, event_handler: AsyncAssistantEventHandler | None = None,
        **options: Unpack[RunSubmitToolOutputsOptions],
    ) -> AsyncAssistantStreamManager[Any]:
        """Submit tool outputs to a run and stream the rest of it."""
        return _async_manager(cast(Any, self).submit_tool_outputs, _streamed(options), event_handler)


class ThreadsStreamHelpers:
    """`client.beta.threads.create_and_run_stream(...)`."""

    @overload
    @deprecated(_DEPRECATED)
    def create_and_run_stream(
        self, *, event_handler: None = None, **options: Unpack[ThreadCreateAndRunOptions]
    ) -> AssistantStreamManager[AssistantEventHandler]: ...
    @overload
    @deprecated(_DEPRECATED)
    def create_and_run_stream(
        self, *, event_handler: HandlerT, **options: Unpack[ThreadCreateAndRunOptions]
    ) -> AssistantStreamManager[HandlerT]: ...
    @deprecated(_DEPRECATED)
    def create_and_run_stream(
        self, *, event_handler: AssistantEventHandler | None = None, **options: Unpack[ThreadCreateAndRunOptions]
    ) -> AssistantStreamManager[Any]:
        """Create a thread and a run in one request and stream the run."""
        return _manager(cast(Any, self).create_and_run, _streamed(options), event_handler)


class AsyncThreadsStreamHelpers:
    """`client.beta.threads.create_and_run_stream(...)` of the async client."""

    @overload
    @deprecated(_DEPRECATED)
    def create_and_run_stream(
        self, *, event_handler: None = None, **options: Unpack[ThreadCreateAndRunOptions]
    ) -> AsyncAssistantStreamManager[AsyncAssistantEventHandler]: ...
    @overload
    @deprecated(_DEPRECATED)
    def create_and_run_stream(
        self, *, event_handler: AsyncHandlerT, **options: Unpack[ThreadCreateAndRunOptions]
    ) -> AsyncAssistantStreamManager[AsyncHandlerT]: ...
    @deprecated(_DEPRECATED)
    def create_and_run_stream(
        self, *, event_handler: AsyncAssistantEventHandler | None = None, **options: Unpack[ThreadCreateAndRunOptions]
    ) -> AsyncAssistantStreamManager[Any]:
        """Create a thread and a run in one request and stream the run."""
        return _async_manager(cast(Any, self).create_and_run, _streamed(options), event_handler)
