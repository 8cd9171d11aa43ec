"""Polling helpers behind the generated `*_and_poll` / `poll` of runs and videos, and what every
polling helper shares (the vector-store ones are in `_vector_stores`, `files.wait_for_processing` in
`_files`).

Each generated helper method calls the function of the same name here with its resource as the
first argument (the async resource calls `async_<name>`); the signatures follow the official SDK.

Waiting between polls, as the official SDK waits: `poll_interval_ms` when given; else the server's
`openai-poll-after-ms` header of the first answer that is not final, else 1000 ms; that interval
then holds for the rest of the poll. The wait goes through the resource's `_sleep`, so a test can
patch it on the resource. Each poll request is marked `X-Stainless-Poll-Helper: true` (and
`X-Stainless-Custom-Poll-Interval` when the caller chose the interval); the caller's own
`extra_headers` win, whatever their case. `runs` helpers send the caller's request options
(`extra_headers`, `extra_query`, `extra_body`, `timeout`) with every poll; the `videos` helpers send
them with the creation only.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from .._types import NOT_GIVEN, NotGiven, Omit, omit
from ._files import async_wait_for_file_processing, wait_for_file_processing
from ._poll_pacing import Pacing, PollingTimeoutError, poll_delay, poll_headers
from ._vector_stores import (
    async_create_and_poll_vector_store_file,
    async_create_and_poll_vector_store_file_batch,
    async_poll_vector_store_file,
    async_poll_vector_store_file_batch,
    async_upload_and_poll_vector_store_file,
    async_upload_and_poll_vector_store_file_batch,
    async_upload_vector_store_file,
    create_and_poll_vector_store_file,
    create_and_poll_vector_store_file_batch,
    poll_vector_store_file,
    poll_vector_store_file_batch,
    upload_and_poll_vector_store_file,
    upload_and_poll_vector_store_file_batch,
    upload_vector_store_file,
)

__all__ = [
    "Pacing",
    "PollingTimeoutError",
    "file_batches_create_and_poll",
    "file_batches_poll",
    "file_batches_upload_and_poll",
    "files_wait_for_processing",
    "poll_delay",
    "poll_headers",
    "runs_create_and_poll",
    "runs_poll",
    "runs_submit_tool_outputs_and_poll",
    "threads_create_and_run_poll",
    "vector_store_files_create_and_poll",
    "vector_store_files_poll",
    "vector_store_files_upload",
    "vector_store_files_upload_and_poll",
    "videos_create_and_poll",
    "videos_poll",
]

_REQUEST_OPTIONS = ("extra_headers", "extra_query", "extra_body", "timeout")

# statuses that mean "not finished yet", per kind of object
_RUN_PENDING = frozenset({"queued", "in_progress", "cancelling"})
_VIDEO_PENDING = frozenset({"queued", "in_progress"})

# the names the generated resources call (the vector-store and file helpers live in their own modules)
files_wait_for_processing = wait_for_file_processing
async_files_wait_for_processing = async_wait_for_file_processing
vector_store_files_poll = poll_vector_store_file
async_vector_store_files_poll = async_poll_vector_store_file
vector_store_files_create_and_poll = create_and_poll_vector_store_file
async_vector_store_files_create_and_poll = async_create_and_poll_vector_store_file
vector_store_files_upload = upload_vector_store_file
async_vector_store_files_upload = async_upload_vector_store_file
vector_store_files_upload_and_poll = upload_and_poll_vector_store_file
async_vector_store_files_upload_and_poll = async_upload_and_poll_vector_store_file
file_batches_poll = poll_vector_store_file_batch
async_file_batches_poll = async_poll_vector_store_file_batch
file_batches_create_and_poll = create_and_poll_vector_store_file_batch
async_file_batches_create_and_poll = async_create_and_poll_vector_store_file_batch
file_batches_upload_and_poll = upload_and_poll_vector_store_file_batch
async_file_batches_upload_and_poll = async_upload_and_poll_vector_store_file_batch


def _split_options(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The request options in `kwargs` (they stay in `kwargs` too)."""
    return {k: kwargs[k] for k in _REQUEST_OPTIONS if k in kwargs}


def _poll(resource: Any, fetch: Callable[[], Any], pending: frozenset[str], poll_interval_ms: Any) -> Any:
    """`fetch` returns a raw response; poll until the parsed object's status is not pending."""
    pacing = Pacing(poll_interval_ms)
    while True:
        raw = fetch()
        obj = raw.parse()
        if getattr(obj, "status", None) not in pending:
            return obj
        resource._sleep(pacing.next_wait(raw.headers))


async def _apoll(resource: Any, fetch: Callable[[], Awaitable[Any]], pending: frozenset[str],
                 poll_interval_ms: Any) -> Any:
    pacing = Pacing(poll_interval_ms)
    while True:
        raw = await fetch()
        obj = raw.parse()  # the raw response of the async client has its body read already
        if inspect.isawaitable(obj):
            obj = await obj
        if getattr(obj, "status", None) not in pending:
            return obj
        await resource._sleep(pacing.next_wait(raw.headers))


def _raw(resource: Any) -> Any:
    return resource.with_raw_response


def _polled(options: Mapping[str, Any], poll_interval_ms: Any) -> dict[str, Any]:
    """`options` whose headers mark a poll on the wire (see the module docstring)."""
    return {**options, "extra_headers": poll_headers(poll_interval_ms, options.get("extra_headers"))}


# -- runs (beta.threads.runs / beta.threads) ------------------------------------------------------


def runs_poll(runs: Any, run_id: str, thread_id: str, extra_headers: Any = None, extra_query: Any = None,
              extra_body: Any = None, timeout: Any = NOT_GIVEN, poll_interval_ms: int | Omit = omit) -> Any:
    """Retrieve the run until it leaves queued / in_progress / cancelling (the official SDK's
    parameter order: its options may come positionally)."""
    polled = _polled(_given_options(extra_headers, extra_query, extra_body, timeout), poll_interval_ms)
    return _poll(runs, lambda: _raw(runs).retrieve(run_id, thread_id=thread_id, **polled), _RUN_PENDING,
                 poll_interval_ms)


async def async_runs_poll(runs: Any, run_id: str, thread_id: str, extra_headers: Any = None, extra_query: Any = None,
                          extra_body: Any = None, timeout: Any = NOT_GIVEN,
                          poll_interval_ms: int | Omit = omit) -> Any:
    polled = _polled(_given_options(extra_headers, extra_query, extra_body, timeout), poll_interval_ms)
    return await _apoll(runs, lambda: _raw(runs).retrieve(run_id, thread_id=thread_id, **polled), _RUN_PENDING,
                        poll_interval_ms)


def _given_options(extra_headers: Any, extra_query: Any, extra_body: Any, timeout: Any) -> dict[str, Any]:
    options = {"extra_headers": extra_headers, "extra_query": extra_query, "extra_body": extra_body}
    given: dict[str, Any] = {k: v for k, v in options.items() if v is not None}
    if not isinstance(timeout, NotGiven):
        given["timeout"] = timeout
    return given


def runs_create_and_poll(runs: Any, *, thread_id: str, poll_interval_ms: Any = omit, **kwargs: Any) -> Any:
    """Create a run and poll it to a final state (or `requires_action`)."""
    run = runs.create(thread_id=thread_id, **kwargs)
    return runs_poll(runs, run.id, thread_id, poll_interval_ms=poll_interval_ms, **_split_options(kwargs))


async def async_runs_create_and_poll(runs: Any, *, thread_id: str, poll_interval_ms: Any = omit,
                                     **kwargs: Any) -> Any:
    run = await runs.create(thread_id=thread_id, **kwargs)
    return await async_runs_poll(runs, run.id, thread_id, poll_interval_ms=poll_interval_ms,
                                 **_split_options(kwargs))


def runs_submit_tool_outputs_and_poll(runs: Any, *, tool_outputs: Any, run_id: str, thread_id: str,
                                      poll_interval_ms: Any = omit, **options: Any) -> Any:
    """Submit tool outputs to a run waiting for them, then poll it."""
    run = runs.submit_tool_outputs(run_id, thread_id=thread_id, tool_outputs=tool_outputs, **options)
    return runs_poll(runs, run.id, thread_id, poll_interval_ms=poll_interval_ms, **options)


async def async_runs_submit_tool_outputs_and_poll(runs: Any, *, tool_outputs: Any, run_id: str, thread_id: str,
                                                  poll_interval_ms: Any = omit, **options: Any) -> Any:
    run = await runs.submit_tool_outputs(run_id, thread_id=thread_id, tool_outputs=tool_outputs, **options)
    return await async_runs_poll(runs, run.id, thread_id, poll_interval_ms=poll_interval_ms, **options)


def threads_create_and_run_poll(threads: Any, *, poll_interval_ms: Any = omit, **kwargs: Any) -> Any:
    """Create a thread and a run in one request, then poll the run."""
    run = threads.create_and_run(**kwargs)
    return runs_poll(threads.runs, run.id, run.thread_id, poll_interval_ms=poll_interval_ms,
                     **_split_options(kwargs))


async def async_threads_create_and_run_poll(threads: Any, *, poll_interval_ms: Any = omit, **kwargs: Any) -> Any:
    run = await threads.create_and_run(**kwargs)
    return await async_runs_poll(threads.runs, run.id, run.thread_id, poll_interval_ms=poll_interval_ms,
                                 **_split_options(kwargs))


# -- videos ---------------------------------------------------------------------------------------


def videos_poll(videos: Any, video_id: str, *, poll_interval_ms: Any = omit) -> Any:
    """Retrieve the video job until it is no longer queued or in progress."""
    polled = _polled({}, poll_interval_ms)
    return _poll(videos, lambda: _raw(videos).retrieve(video_id, **polled), _VIDEO_PENDING, poll_interval_ms)


async def async_videos_poll(videos: Any, video_id: str, *, poll_interval_ms: Any = omit) -> Any:
    polled = _polled({}, poll_interval_ms)
    return await _apoll(videos, lambda: _raw(videos).retrieve(video_id, **polled), _VIDEO_PENDING,
                        poll_interval_ms)


def videos_create_and_poll(videos: Any, *, poll_interval_ms: Any = omit, **kwargs: Any) -> Any:
    """Create a video job (with the request options) and poll it until it completes or fails."""
    video = videos.create(**kwargs)
    return videos_poll(videos, video.id, poll_interval_ms=poll_interval_ms)


async def async_videos_create_and_poll(videos: Any, *, poll_interval_ms: Any = omit, **kwargs: Any) -> Any:
    video = await videos.create(**kwargs)
    return await async_videos_poll(videos, video.id, poll_interval_ms=poll_interval_ms)
