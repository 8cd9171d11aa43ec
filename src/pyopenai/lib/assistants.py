"""The Assistants stream helpers behind the generated `stream` / `create_and_stream` / `*_stream` methods.

Each returns a stream manager (not a coroutine, in the async client too): use it with `with` /
`async with`; it sends the request on entry. Without `event_handler=`, a plain
`AssistantEventHandler` (or the async one) collects the events; see `lib.streaming.assistants`.

The unprefixed functions serve both clients: given an async resource they return the async
manager, so the generator can emit them as plain methods on both classes (`sync: true`).
"""

from __future__ import annotations

from typing import Any

from .streaming.assistants import (
    AssistantEventHandler,
    AssistantStreamManager,
    AsyncAssistantEventHandler,
    AsyncAssistantStreamManager,
)

__all__ = [
    "async_runs_create_and_stream",
    "async_runs_stream",
    "async_runs_submit_tool_outputs_stream",
    "async_threads_create_and_run_stream",
    "runs_create_and_stream",
    "runs_stream",
    "runs_submit_tool_outputs_stream",
    "threads_create_and_run_stream",
]


def _is_async(resource: Any) -> bool:
    from .._resource import AsyncAPIResource

    return isinstance(resource, AsyncAPIResource)


def _check(kwargs: dict[str, Any]) -> None:
    if "stream" in kwargs:
        raise TypeError("stream helpers always stream; do not pass `stream`")


def runs_stream(runs: Any, *, thread_id: str, event_handler: Any = None, **kwargs: Any) -> Any:  # the manager for the client kind of the resource
    """Create a run on `thread_id` and stream its events to `event_handler`."""
    if _is_async(runs):
        return async_runs_stream(runs, thread_id=thread_id, event_handler=event_handler, **kwargs)
    _check(kwargs)
    handler = event_handler if event_handler is not None else AssistantEventHandler()
    return AssistantStreamManager(lambda: runs.create(thread_id=thread_id, stream=True, **kwargs),
                                  event_handler=handler)


runs_create_and_stream = runs_stream


def runs_submit_tool_outputs_stream(runs: Any, *, tool_outputs: Any, run_id: str, thread_id: str,
                                    event_handler: Any = None, **options: Any) -> Any:  # the manager for the client kind of the resource
    """Submit tool outputs to a run and stream the rest of it."""
    if _is_async(runs):
        return async_runs_submit_tool_outputs_stream(runs, tool_outputs=tool_outputs, run_id=run_id,
                                                     thread_id=thread_id, event_handler=event_handler, **options)
    _check(options)
    handler = event_handler if event_handler is not None else AssistantEventHandler()
    return AssistantStreamManager(
        lambda: runs.submit_tool_outputs(run_id, thread_id=thread_id, tool_outputs=tool_outputs, stream=True,
                                         **options),
        event_handler=handler,
    )


def threads_create_and_run_stream(threads: Any, *, event_handler: Any = None,
                                  **kwargs: Any) -> Any:  # the manager for the client kind of the resource
    """Create a thread and a run in one request and stream the run."""
    if _is_async(threads):
        return async_threads_create_and_run_stream(threads, event_handler=event_handler, **kwargs)
    _check(kwargs)
    handler = event_handler if event_handler is not None else AssistantEventHandler()
    return AssistantStreamManager(lambda: threads.create_and_run(stream=True, **kwargs), event_handler=handler)


def async_runs_stream(runs: Any, *, thread_id: str, event_handler: Any = None,
                      **kwargs: Any) -> AsyncAssistantStreamManager[Any]:
    _check(kwargs)
    handler = event_handler if event_handler is not None else AsyncAssistantEventHandler()
    return AsyncAssistantStreamManager(lambda: runs.create(thread_id=thread_id, stream=True, **kwargs),
                                       event_handler=handler)


async_runs_create_and_stream = async_runs_stream


def async_runs_submit_tool_outputs_stream(runs: Any, *, tool_outputs: Any, run_id: str, thread_id: str,
                                          event_handler: Any = None, **options: Any) -> AsyncAssistantStreamManager[Any]:
    _check(options)
    handler = event_handler if event_handler is not None else AsyncAssistantEventHandler()
    return AsyncAssistantStreamManager(
        lambda: runs.submit_tool_outputs(run_id, thread_id=thread_id, tool_outputs=tool_outputs, stream=True,
                                         **options),
        event_handler=handler,
    )


def async_threads_create_and_run_stream(threads: Any, *, event_handler: Any = None,
                                        **kwargs: Any) -> AsyncAssistantStreamManager[Any]:
    _check(kwargs)
    handler = event_handler if event_handler is not None else AsyncAssistantEventHandler()
    return AsyncAssistantStreamManager(lambda: threads.create_and_run(stream=True, **kwargs), event_handler=handler)
