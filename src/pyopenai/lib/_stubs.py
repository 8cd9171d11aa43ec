"""Interim entry points of the Assistants stream helpers, for the generated code of today.

The generator's config points `runs.stream`, `runs.create_and_stream`,
`runs.submit_tool_outputs_stream` and `threads.create_and_run_stream` here. The helpers live in
`lib/assistants.py`; the sync ones are forwarded as they are. The async resource methods are
generated as `async def ...: return await async_<name>(...)`, so the async ones here return the
stream manager from a coroutine (`async with await client.beta.threads.runs.stream(...)`) until the
config names `pyopenai.lib.assistants` with `sync: true`, which gives the official
`async with client.beta.threads.runs.stream(...)`. Then this module can go.
"""

from __future__ import annotations

from typing import Any

from . import assistants

__all__ = [
    "runs_create_and_stream",
    "runs_stream",
    "runs_submit_tool_outputs_stream",
    "threads_create_and_run_stream",
]

threads_create_and_run_stream = assistants.threads_create_and_run_stream
runs_create_and_stream = assistants.runs_create_and_stream
runs_stream = assistants.runs_stream
runs_submit_tool_outputs_stream = assistants.runs_submit_tool_outputs_stream


async def async_threads_create_and_run_stream(resource: Any, *args: Any, **kwargs: Any) -> Any:
    return assistants.async_threads_create_and_run_stream(resource, *args, **kwargs)


async def async_runs_create_and_stream(resource: Any, *args: Any, **kwargs: Any) -> Any:
    return assistants.async_runs_create_and_stream(resource, *args, **kwargs)


async def async_runs_stream(resource: Any, *args: Any, **kwargs: Any) -> Any:
    return assistants.async_runs_stream(resource, *args, **kwargs)


async def async_runs_submit_tool_outputs_stream(resource: Any, *args: Any, **kwargs: Any) -> Any:
    return assistants.async_runs_submit_tool_outputs_stream(resource, *args, **kwargs)
