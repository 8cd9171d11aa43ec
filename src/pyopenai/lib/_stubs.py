"""Stand-ins behind generated helper methods that another engineer completes.

The Assistants stream helpers (`runs.stream`, `create_and_stream`, ...) need the hand-written
event-handler layer, which does not exist yet: they raise NotImplementedError.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "runs_create_and_stream",
    "runs_stream",
    "runs_submit_tool_outputs_stream",
    "threads_create_and_run_stream",
]


def _not_yet(name: str) -> Any:
    raise NotImplementedError(f"{name}() is not implemented yet; call the method with stream=True instead")


def threads_create_and_run_stream(resource: Any, *args: Any, **kwargs: Any) -> Any:
    return _not_yet("beta.threads.create_and_run_stream")


async def async_threads_create_and_run_stream(resource: Any, *args: Any, **kwargs: Any) -> Any:
    return _not_yet("beta.threads.create_and_run_stream")


def runs_create_and_stream(resource: Any, *args: Any, **kwargs: Any) -> Any:
    return _not_yet("beta.threads.runs.create_and_stream")


async def async_runs_create_and_stream(resource: Any, *args: Any, **kwargs: Any) -> Any:
    return _not_yet("beta.threads.runs.create_and_stream")


def runs_stream(resource: Any, *args: Any, **kwargs: Any) -> Any:
    return _not_yet("beta.threads.runs.stream")


async def async_runs_stream(resource: Any, *args: Any, **kwargs: Any) -> Any:
    return _not_yet("beta.threads.runs.stream")


def runs_submit_tool_outputs_stream(resource: Any, *args: Any, **kwargs: Any) -> Any:
    return _not_yet("beta.threads.runs.submit_tool_outputs_stream")


async def async_runs_submit_tool_outputs_stream(resource: Any, *args: Any, **kwargs: Any) -> Any:
    return _not_yet("beta.threads.runs.submit_tool_outputs_stream")
