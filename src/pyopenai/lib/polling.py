"""Polling and upload helpers behind the generated `*_and_poll` / `poll` / `upload*` / `wait_for_processing`.

Each generated helper method calls the function of the same name here with its resource as the
first argument (the async resource calls `async_<name>`); the signatures follow the official SDK.

Waiting between polls (documented choice): `poll_interval_ms` when given, else the server's
`openai-poll-after-ms` header of the last response, else 1000 ms -- and never less than the header
asks for, so an explicit interval cannot poll faster than the server wants. `max_wait_seconds`
(where offered) bounds the whole wait and raises `PollingTimeoutError` (a `TimeoutError` and a
`RuntimeError`, as `files.wait_for_processing` raised before). Request options (`extra_headers`,
`extra_query`, `extra_body`, `timeout`) apply to every request a helper makes.

Uploading several files (`file_batches.upload_and_poll`) uses at most `max_concurrency` parallel
uploads: threads in the sync client, tasks in the async one.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

from .._types import NotGiven, Omit, is_given
from ._utils import unwrap_group

__all__ = [
    "PollingTimeoutError",
    "file_batches_create_and_poll",
    "file_batches_poll",
    "file_batches_upload_and_poll",
    "files_wait_for_processing",
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

DEFAULT_POLL_INTERVAL_MS = 1000
_REQUEST_OPTIONS = ("extra_headers", "extra_query", "extra_body", "timeout")

# statuses that mean "not finished yet", per kind of object
_RUN_PENDING = frozenset({"queued", "in_progress", "cancelling"})
_VECTOR_STORE_FILE_PENDING = frozenset({"in_progress"})
_BATCH_PENDING = frozenset({"in_progress"})
_VIDEO_PENDING = frozenset({"queued", "in_progress"})
_FILE_PENDING = frozenset({"uploaded", "pending"})  # files are final once processed, error or deleted


class PollingTimeoutError(RuntimeError, TimeoutError):
    """The object was still in progress when `max_wait_seconds` ran out."""


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


async def _async_sleep(seconds: float) -> None:
    import anyio

    await anyio.sleep(seconds)


def _split_options(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The request options in `kwargs` (they stay in `kwargs` too)."""
    return {k: kwargs[k] for k in _REQUEST_OPTIONS if k in kwargs}


def poll_delay(headers: Any, poll_interval_ms: int | float | Omit | NotGiven | None) -> float:
    """Seconds to wait before the next poll (see the module docstring)."""
    server: float | None = None
    raw = headers.get("openai-poll-after-ms") if headers is not None else None
    if raw is not None:
        try:
            server = max(0.0, float(raw))
        except ValueError:
            server = None
    if is_given(poll_interval_ms) and poll_interval_ms is not None:
        ms = max(float(cast(float, poll_interval_ms)), server or 0.0)
    elif server is not None:
        ms = server
    else:
        ms = DEFAULT_POLL_INTERVAL_MS
    return ms / 1000


class _Deadline:
    def __init__(self, max_wait_seconds: float | Omit | NotGiven | None, what: str) -> None:
        self.limit = float(cast(float, max_wait_seconds)) if is_given(max_wait_seconds) and max_wait_seconds is not None else None
        self.start = time.monotonic()
        self.what = what

    def check(self, wait: float) -> None:
        if self.limit is not None and time.monotonic() - self.start + wait > self.limit:
            raise PollingTimeoutError(
                f"Giving up on waiting for {self.what} to finish after {self.limit:g} seconds (max_wait_seconds)"
            )


def _poll(
    fetch: Callable[[], Any],
    pending: frozenset[str],
    poll_interval_ms: Any,
    *,
    deadline: _Deadline | None = None,
) -> Any:
    """`fetch` returns a raw response; poll until the parsed object's status is not pending."""
    while True:
        raw = fetch()
        obj = raw.parse()
        if getattr(obj, "status", None) not in pending:
            return obj
        wait = poll_delay(raw.headers, poll_interval_ms)
        if deadline is not None:
            deadline.check(wait)
        _sleep(wait)


async def _apoll(
    fetch: Callable[[], Awaitable[Any]],
    pending: frozenset[str],
    poll_interval_ms: Any,
    *,
    deadline: _Deadline | None = None,
) -> Any:
    while True:
        raw = await fetch()
        obj = raw.parse()  # the raw response of the async client has its body read already
        if inspect.isawaitable(obj):
            obj = await obj
        if getattr(obj, "status", None) not in pending:
            return obj
        wait = poll_delay(raw.headers, poll_interval_ms)
        if deadline is not None:
            deadline.check(wait)
        await _async_sleep(wait)


def _raw(resource: Any) -> Any:
    return resource.with_raw_response


def _polled(options: dict[str, Any], poll_interval_ms: Any) -> dict[str, Any]:
    """`options` with the headers that mark a poll on the wire, as the official SDK's helpers send them
    (the caller's own `extra_headers` win)."""
    headers: dict[str, Any] = {"x-stainless-poll-helper": "true"}
    if is_given(poll_interval_ms) and poll_interval_ms is not None:
        headers["x-stainless-custom-poll-interval"] = str(poll_interval_ms)
    return {**options, "extra_headers": {**headers, **(options.get("extra_headers") or {})}}


# -- runs (beta.threads.runs / beta.threads) ------------------------------------------------------


def runs_poll(runs: Any, run_id: str, thread_id: str, *, poll_interval_ms: Any = None, **options: Any) -> Any:
    """Retrieve the run until it leaves queued / in_progress / cancelling."""
    polled = _polled(options, poll_interval_ms)
    return _poll(lambda: _raw(runs).retrieve(run_id, thread_id=thread_id, **polled), _RUN_PENDING,
                 poll_interval_ms)


async def async_runs_poll(runs: Any, run_id: str, thread_id: str, *, poll_interval_ms: Any = None,
                          **options: Any) -> Any:
    polled = _polled(options, poll_interval_ms)
    return await _apoll(lambda: _raw(runs).retrieve(run_id, thread_id=thread_id, **polled), _RUN_PENDING,
                        poll_interval_ms)


def runs_create_and_poll(runs: Any, *, thread_id: str, poll_interval_ms: Any = None, **kwargs: Any) -> Any:
    """Create a run and poll it to a final state (or `requires_action`)."""
    run = runs.create(thread_id=thread_id, **kwargs)
    return runs_poll(runs, run.id, thread_id, poll_interval_ms=poll_interval_ms, **_split_options(kwargs))


async def async_runs_create_and_poll(runs: Any, *, thread_id: str, poll_interval_ms: Any = None,
                                     **kwargs: Any) -> Any:
    run = await runs.create(thread_id=thread_id, **kwargs)
    return await async_runs_poll(runs, run.id, thread_id, poll_interval_ms=poll_interval_ms,
                                 **_split_options(kwargs))


def runs_submit_tool_outputs_and_poll(runs: Any, *, tool_outputs: Any, run_id: str, thread_id: str,
                                      poll_interval_ms: Any = None, **options: Any) -> Any:
    """Submit tool outputs to a run waiting for them, then poll it."""
    run = runs.submit_tool_outputs(run_id, thread_id=thread_id, tool_outputs=tool_outputs, **options)
    return runs_poll(runs, run.id, thread_id, poll_interval_ms=poll_interval_ms, **options)


async def async_runs_submit_tool_outputs_and_poll(runs: Any, *, tool_outputs: Any, run_id: str, thread_id: str,
                                                  poll_interval_ms: Any = None, **options: Any) -> Any:
    run = await runs.submit_tool_outputs(run_id, thread_id=thread_id, tool_outputs=tool_outputs, **options)
    return await async_runs_poll(runs, run.id, thread_id, poll_interval_ms=poll_interval_ms, **options)


def threads_create_and_run_poll(threads: Any, *, poll_interval_ms: Any = None, **kwargs: Any) -> Any:
    """Create a thread and a run in one request, then poll the run."""
    run = threads.create_and_run(**kwargs)
    return runs_poll(threads.runs, run.id, run.thread_id, poll_interval_ms=poll_interval_ms,
                     **_split_options(kwargs))


async def async_threads_create_and_run_poll(threads: Any, *, poll_interval_ms: Any = None, **kwargs: Any) -> Any:
    run = await threads.create_and_run(**kwargs)
    return await async_runs_poll(threads.runs, run.id, run.thread_id, poll_interval_ms=poll_interval_ms,
                                 **_split_options(kwargs))


# -- files ----------------------------------------------------------------------------------------


def files_wait_for_processing(files: Any, id: str, *, poll_interval: float = 5.0,
                              max_wait_seconds: float = 30 * 60) -> Any:
    """Retrieve the file until it is processed (or failed); `poll_interval` is in seconds."""
    return _poll(lambda: _raw(files).retrieve(id), _FILE_PENDING, poll_interval * 1000,
                 deadline=_Deadline(max_wait_seconds, f"file {id}"))


async def async_files_wait_for_processing(files: Any, id: str, *, poll_interval: float = 5.0,
                                          max_wait_seconds: float = 30 * 60) -> Any:
    return await _apoll(lambda: _raw(files).retrieve(id), _FILE_PENDING, poll_interval * 1000,
                        deadline=_Deadline(max_wait_seconds, f"file {id}"))


# -- vector store files ---------------------------------------------------------------------------


def vector_store_files_poll(files: Any, file_id: str, *, vector_store_id: str, poll_interval_ms: Any = None,
                            max_wait_seconds: Any = None, **options: Any) -> Any:
    """Retrieve the vector store file until it is no longer in progress."""
    polled = _polled(options, poll_interval_ms)
    return _poll(lambda: _raw(files).retrieve(file_id, vector_store_id=vector_store_id, **polled),
                 _VECTOR_STORE_FILE_PENDING, poll_interval_ms,
                 deadline=_Deadline(max_wait_seconds, f"vector store file {file_id}"))


async def async_vector_store_files_poll(files: Any, file_id: str, *, vector_store_id: str,
                                        poll_interval_ms: Any = None, max_wait_seconds: Any = None,
                                        **options: Any) -> Any:
    polled = _polled(options, poll_interval_ms)
    return await _apoll(lambda: _raw(files).retrieve(file_id, vector_store_id=vector_store_id, **polled),
                        _VECTOR_STORE_FILE_PENDING, poll_interval_ms,
                        deadline=_Deadline(max_wait_seconds, f"vector store file {file_id}"))


def vector_store_files_create_and_poll(files: Any, file_id: str, *, vector_store_id: str,
                                       poll_interval_ms: Any = None, max_wait_seconds: Any = None,
                                       **kwargs: Any) -> Any:
    """Attach a file to a vector store and poll until it is processed."""
    files.create(vector_store_id=vector_store_id, file_id=file_id, **kwargs)
    return vector_store_files_poll(files, file_id, vector_store_id=vector_store_id,
                                   poll_interval_ms=poll_interval_ms, max_wait_seconds=max_wait_seconds,
                                   **_split_options(kwargs))


async def async_vector_store_files_create_and_poll(files: Any, file_id: str, *, vector_store_id: str,
                                                   poll_interval_ms: Any = None, max_wait_seconds: Any = None,
                                                   **kwargs: Any) -> Any:
    await files.create(vector_store_id=vector_store_id, file_id=file_id, **kwargs)
    return await async_vector_store_files_poll(files, file_id, vector_store_id=vector_store_id,
                                               poll_interval_ms=poll_interval_ms,
                                               max_wait_seconds=max_wait_seconds, **_split_options(kwargs))


def _client_files(resource: Any) -> Any:
    return resource._client.files  # the client's top-level `files` resource


def vector_store_files_upload(files: Any, *, vector_store_id: str, file: Any, **kwargs: Any) -> Any:
    """Upload a file (purpose "assistants") and attach it to the vector store, without waiting."""
    uploaded = _client_files(files).create(file=file, purpose="assistants", **_split_options(kwargs))
    return files.create(vector_store_id=vector_store_id, file_id=uploaded.id, **kwargs)


async def async_vector_store_files_upload(files: Any, *, vector_store_id: str, file: Any, **kwargs: Any) -> Any:
    uploaded = await _client_files(files).create(file=file, purpose="assistants", **_split_options(kwargs))
    return await files.create(vector_store_id=vector_store_id, file_id=uploaded.id, **kwargs)


def vector_store_files_upload_and_poll(files: Any, *, vector_store_id: str, file: Any, poll_interval_ms: Any = None,
                                       max_wait_seconds: Any = None, **kwargs: Any) -> Any:
    """Upload a file, attach it to the vector store and poll until it is processed."""
    uploaded = _client_files(files).create(file=file, purpose="assistants", **_split_options(kwargs))
    return vector_store_files_create_and_poll(files, uploaded.id, vector_store_id=vector_store_id,
                                              poll_interval_ms=poll_interval_ms,
                                              max_wait_seconds=max_wait_seconds, **kwargs)


async def async_vector_store_files_upload_and_poll(files: Any, *, vector_store_id: str, file: Any,
                                                   poll_interval_ms: Any = None, max_wait_seconds: Any = None,
                                                   **kwargs: Any) -> Any:
    uploaded = await _client_files(files).create(file=file, purpose="assistants", **_split_options(kwargs))
    return await async_vector_store_files_create_and_poll(files, uploaded.id, vector_store_id=vector_store_id,
                                                          poll_interval_ms=poll_interval_ms,
                                                          max_wait_seconds=max_wait_seconds, **kwargs)


# -- vector store file batches ----------------------------------------------------------------------


def file_batches_poll(batches: Any, batch_id: str, *, vector_store_id: str, poll_interval_ms: Any = None,
                      **options: Any) -> Any:
    """Retrieve the batch until it is no longer in progress."""
    polled = _polled(options, poll_interval_ms)
    return _poll(lambda: _raw(batches).retrieve(batch_id, vector_store_id=vector_store_id, **polled),
                 _BATCH_PENDING, poll_interval_ms)


async def async_file_batches_poll(batches: Any, batch_id: str, *, vector_store_id: str,
                                  poll_interval_ms: Any = None, **options: Any) -> Any:
    polled = _polled(options, poll_interval_ms)
    return await _apoll(lambda: _raw(batches).retrieve(batch_id, vector_store_id=vector_store_id, **polled),
                        _BATCH_PENDING, poll_interval_ms)


def file_batches_create_and_poll(batches: Any, vector_store_id: str, *, poll_interval_ms: Any = None,
                                 **kwargs: Any) -> Any:
    """Create a file batch and poll it until it is no longer in progress."""
    batch = batches.create(vector_store_id=vector_store_id, **kwargs)
    return file_batches_poll(batches, batch.id, vector_store_id=vector_store_id, poll_interval_ms=poll_interval_ms,
                             **_split_options(kwargs))


async def async_file_batches_create_and_poll(batches: Any, vector_store_id: str, *, poll_interval_ms: Any = None,
                                             **kwargs: Any) -> Any:
    batch = await batches.create(vector_store_id=vector_store_id, **kwargs)
    return await async_file_batches_poll(batches, batch.id, vector_store_id=vector_store_id,
                                         poll_interval_ms=poll_interval_ms, **_split_options(kwargs))


def file_batches_upload_and_poll(batches: Any, vector_store_id: str, *, files: Iterable[Any],
                                 max_concurrency: int = 5, file_ids: Iterable[str] = (),
                                 poll_interval_ms: Any = None, **kwargs: Any) -> Any:
    """Upload `files` (at most `max_concurrency` at once), batch them with `file_ids`, poll the batch."""
    if max_concurrency < 1:
        raise ValueError("max_concurrency must be at least 1")
    client_files = _client_files(batches)
    options = _split_options(kwargs)
    items = list(files)

    def upload(f: Any) -> str:
        return cast(str, client_files.create(file=f, purpose="assistants", **options).id)

    with ThreadPoolExecutor(max_workers=min(max_concurrency, max(1, len(items)))) as pool:
        uploaded = list(pool.map(upload, items))  # in the order given
    return file_batches_create_and_poll(batches, vector_store_id, file_ids=[*file_ids, *uploaded],
                                        poll_interval_ms=poll_interval_ms, **kwargs)


async def async_file_batches_upload_and_poll(batches: Any, vector_store_id: str, *, files: Iterable[Any],
                                             max_concurrency: int = 5, file_ids: Iterable[str] = (),
                                             poll_interval_ms: Any = None, **kwargs: Any) -> Any:
    import anyio

    if max_concurrency < 1:
        raise ValueError("max_concurrency must be at least 1")
    client_files = _client_files(batches)
    options = _split_options(kwargs)
    items = list(files)
    ids: list[str | None] = [None] * len(items)
    limiter = anyio.Semaphore(max_concurrency)

    async def upload(index: int, f: Any) -> None:
        async with limiter:
            ids[index] = cast(str, (await client_files.create(file=f, purpose="assistants", **options)).id)

    try:
        async with anyio.create_task_group() as group:
            for i, f in enumerate(items):
                group.start_soon(upload, i, f)
    except Exception as exc:
        raise unwrap_group(exc) from None
    uploaded = [i for i in ids if i is not None]
    return await async_file_batches_create_and_poll(batches, vector_store_id, file_ids=[*file_ids, *uploaded],
                                                    poll_interval_ms=poll_interval_ms, **kwargs)


# -- videos ---------------------------------------------------------------------------------------


def videos_poll(videos: Any, video_id: str, *, poll_interval_ms: Any = None, **options: Any) -> Any:
    """Retrieve the video job until it is no longer queued or in progress."""
    polled = _polled(options, poll_interval_ms)
    return _poll(lambda: _raw(videos).retrieve(video_id, **polled), _VIDEO_PENDING, poll_interval_ms)


async def async_videos_poll(videos: Any, video_id: str, *, poll_interval_ms: Any = None, **options: Any) -> Any:
    polled = _polled(options, poll_interval_ms)
    return await _apoll(lambda: _raw(videos).retrieve(video_id, **polled), _VIDEO_PENDING, poll_interval_ms)


def videos_create_and_poll(videos: Any, *, poll_interval_ms: Any = None, **kwargs: Any) -> Any:
    """Create a video job and poll it until it completes or fails."""
    video = videos.create(**kwargs)
    return videos_poll(videos, video.id, poll_interval_ms=poll_interval_ms, **_split_options(kwargs))


async def async_videos_create_and_poll(videos: Any, *, poll_interval_ms: Any = None, **kwargs: Any) -> Any:
    video = await videos.create(**kwargs)
    return await async_videos_poll(videos, video.id, poll_interval_ms=poll_interval_ms, **_split_options(kwargs))
