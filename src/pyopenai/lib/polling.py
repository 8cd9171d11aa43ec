"""Polling helpers behind the generated `*_and_poll` / `poll` / `upload*` / `wait_for_processing` methods.

Each generated helper method calls the function of the same name here with the resource as first
argument (`async_<name>` from the async resource). They are deliberately simple: create, then
retrieve every `poll_interval_ms` until the object leaves its in-progress states.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

__all__ = [
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

_RUN_PENDING = frozenset({"queued", "in_progress", "cancelling"})
_PENDING = frozenset({"in_progress", "queued", "uploaded", "pending"})
_DEFAULT_INTERVAL_MS = 1000


def _interval(kwargs: dict[str, Any]) -> float:
    value = kwargs.pop("poll_interval_ms", None)
    return (value if isinstance(value, (int, float)) and value > 0 else _DEFAULT_INTERVAL_MS) / 1000


def _poll(fetch: Any, pending: frozenset[str], interval: float, timeout: float | None = None) -> Any:
    start = time.monotonic()
    while True:
        obj = fetch()
        if getattr(obj, "status", None) not in pending:
            return obj
        if timeout is not None and time.monotonic() - start > timeout:
            return obj
        time.sleep(interval)


async def _apoll(fetch: Any, pending: frozenset[str], interval: float, timeout: float | None = None) -> Any:
    start = time.monotonic()
    while True:
        obj = await fetch()
        if getattr(obj, "status", None) not in pending:
            return obj
        if timeout is not None and time.monotonic() - start > timeout:
            return obj
        await asyncio.sleep(interval)


# -- runs (beta.threads.runs / beta.threads) ------------------------------------------------------


def runs_poll(runs: Any, run_id: str, *, thread_id: str, **kwargs: Any) -> Any:
    interval = _interval(kwargs)
    return _poll(lambda: runs.retrieve(run_id, thread_id=thread_id, **kwargs), _RUN_PENDING, interval)


async def async_runs_poll(runs: Any, run_id: str, *, thread_id: str, **kwargs: Any) -> Any:
    interval = _interval(kwargs)
    return await _apoll(lambda: runs.retrieve(run_id, thread_id=thread_id, **kwargs), _RUN_PENDING, interval)


def runs_create_and_poll(runs: Any, *, thread_id: str, **kwargs: Any) -> Any:
    interval = kwargs.pop("poll_interval_ms", None)
    run = runs.create(thread_id=thread_id, **kwargs)
    return runs_poll(runs, run.id, thread_id=thread_id, poll_interval_ms=interval)


async def async_runs_create_and_poll(runs: Any, *, thread_id: str, **kwargs: Any) -> Any:
    interval = kwargs.pop("poll_interval_ms", None)
    run = await runs.create(thread_id=thread_id, **kwargs)
    return await async_runs_poll(runs, run.id, thread_id=thread_id, poll_interval_ms=interval)


def runs_submit_tool_outputs_and_poll(runs: Any, *, run_id: str, thread_id: str, **kwargs: Any) -> Any:
    interval = kwargs.pop("poll_interval_ms", None)
    run = runs.submit_tool_outputs(run_id, thread_id=thread_id, **kwargs)
    return runs_poll(runs, run.id, thread_id=thread_id, poll_interval_ms=interval)


async def async_runs_submit_tool_outputs_and_poll(runs: Any, *, run_id: str, thread_id: str, **kwargs: Any) -> Any:
    interval = kwargs.pop("poll_interval_ms", None)
    run = await runs.submit_tool_outputs(run_id, thread_id=thread_id, **kwargs)
    return await async_runs_poll(runs, run.id, thread_id=thread_id, poll_interval_ms=interval)


def threads_create_and_run_poll(threads: Any, **kwargs: Any) -> Any:
    interval = kwargs.pop("poll_interval_ms", None)
    run = threads.create_and_run(**kwargs)
    return runs_poll(threads.runs, run.id, thread_id=run.thread_id, poll_interval_ms=interval)


async def async_threads_create_and_run_poll(threads: Any, **kwargs: Any) -> Any:
    interval = kwargs.pop("poll_interval_ms", None)
    run = await threads.create_and_run(**kwargs)
    return await async_runs_poll(threads.runs, run.id, thread_id=run.thread_id, poll_interval_ms=interval)


# -- files -------------------------------------------------------------------------------------


def files_wait_for_processing(files: Any, id: str, *, poll_interval: float = 5.0, max_wait_seconds: float = 1800) -> Any:
    return _poll(lambda: files.retrieve(id), frozenset({"uploaded", "pending"}), poll_interval, max_wait_seconds)


async def async_files_wait_for_processing(
    files: Any, id: str, *, poll_interval: float = 5.0, max_wait_seconds: float = 1800
) -> Any:
    return await _apoll(lambda: files.retrieve(id), frozenset({"uploaded", "pending"}), poll_interval, max_wait_seconds)


# -- vector store files and file batches -------------------------------------------------------


def vector_store_files_poll(files: Any, file_id: str, *, vector_store_id: str, **kwargs: Any) -> Any:
    interval = _interval(kwargs)
    return _poll(lambda: files.retrieve(file_id, vector_store_id=vector_store_id), _PENDING, interval)


async def async_vector_store_files_poll(files: Any, file_id: str, *, vector_store_id: str, **kwargs: Any) -> Any:
    interval = _interval(kwargs)
    return await _apoll(lambda: files.retrieve(file_id, vector_store_id=vector_store_id), _PENDING, interval)


def vector_store_files_create_and_poll(files: Any, file_id: str, *, vector_store_id: str, **kwargs: Any) -> Any:
    interval = kwargs.pop("poll_interval_ms", None)
    files.create(vector_store_id=vector_store_id, file_id=file_id, **kwargs)
    return vector_store_files_poll(files, file_id, vector_store_id=vector_store_id, poll_interval_ms=interval)


async def async_vector_store_files_create_and_poll(
    files: Any, file_id: str, *, vector_store_id: str, **kwargs: Any
) -> Any:
    interval = kwargs.pop("poll_interval_ms", None)
    await files.create(vector_store_id=vector_store_id, file_id=file_id, **kwargs)
    return await async_vector_store_files_poll(files, file_id, vector_store_id=vector_store_id, poll_interval_ms=interval)


def _files_resource(resource: Any) -> Any:
    return resource._client.files  # the client's top-level `files` resource


def vector_store_files_upload(files: Any, *, vector_store_id: str, file: Any, **kwargs: Any) -> Any:
    uploaded = _files_resource(files).create(file=file, purpose="assistants")
    return files.create(vector_store_id=vector_store_id, file_id=uploaded.id, **kwargs)


async def async_vector_store_files_upload(files: Any, *, vector_store_id: str, file: Any, **kwargs: Any) -> Any:
    uploaded = await _files_resource(files).create(file=file, purpose="assistants")
    return await files.create(vector_store_id=vector_store_id, file_id=uploaded.id, **kwargs)


def vector_store_files_upload_and_poll(files: Any, *, vector_store_id: str, file: Any, **kwargs: Any) -> Any:
    interval = kwargs.pop("poll_interval_ms", None)
    uploaded = _files_resource(files).create(file=file, purpose="assistants")
    return vector_store_files_create_and_poll(
        files, uploaded.id, vector_store_id=vector_store_id, poll_interval_ms=interval, **kwargs
    )


async def async_vector_store_files_upload_and_poll(files: Any, *, vector_store_id: str, file: Any, **kwargs: Any) -> Any:
    interval = kwargs.pop("poll_interval_ms", None)
    uploaded = await _files_resource(files).create(file=file, purpose="assistants")
    return await async_vector_store_files_create_and_poll(
        files, uploaded.id, vector_store_id=vector_store_id, poll_interval_ms=interval, **kwargs
    )


def file_batches_poll(batches: Any, batch_id: str, *, vector_store_id: str, **kwargs: Any) -> Any:
    interval = _interval(kwargs)
    return _poll(lambda: batches.retrieve(batch_id, vector_store_id=vector_store_id), _PENDING, interval)


async def async_file_batches_poll(batches: Any, batch_id: str, *, vector_store_id: str, **kwargs: Any) -> Any:
    interval = _interval(kwargs)
    return await _apoll(lambda: batches.retrieve(batch_id, vector_store_id=vector_store_id), _PENDING, interval)


def file_batches_create_and_poll(batches: Any, *, vector_store_id: str, **kwargs: Any) -> Any:
    interval = kwargs.pop("poll_interval_ms", None)
    batch = batches.create(vector_store_id=vector_store_id, **kwargs)
    return file_batches_poll(batches, batch.id, vector_store_id=vector_store_id, poll_interval_ms=interval)


async def async_file_batches_create_and_poll(batches: Any, *, vector_store_id: str, **kwargs: Any) -> Any:
    interval = kwargs.pop("poll_interval_ms", None)
    batch = await batches.create(vector_store_id=vector_store_id, **kwargs)
    return await async_file_batches_poll(batches, batch.id, vector_store_id=vector_store_id, poll_interval_ms=interval)


def file_batches_upload_and_poll(
    batches: Any, *, vector_store_id: str, files: Any, file_ids: Any = (), **kwargs: Any
) -> Any:
    ids = list(file_ids) + [_files_resource(batches).create(file=f, purpose="assistants").id for f in files]
    return file_batches_create_and_poll(batches, vector_store_id=vector_store_id, file_ids=ids, **kwargs)


async def async_file_batches_upload_and_poll(
    batches: Any, *, vector_store_id: str, files: Any, file_ids: Any = (), **kwargs: Any
) -> Any:
    ids = list(file_ids)
    for f in files:
        ids.append((await _files_resource(batches).create(file=f, purpose="assistants")).id)
    return await async_file_batches_create_and_poll(batches, vector_store_id=vector_store_id, file_ids=ids, **kwargs)


# -- videos --------------------------------------------------------------------------------------


def videos_poll(videos: Any, video_id: str, **kwargs: Any) -> Any:
    interval = _interval(kwargs)
    return _poll(lambda: videos.retrieve(video_id), _PENDING, interval)


async def async_videos_poll(videos: Any, video_id: str, **kwargs: Any) -> Any:
    interval = _interval(kwargs)
    return await _apoll(lambda: videos.retrieve(video_id), _PENDING, interval)


def videos_create_and_poll(videos: Any, **kwargs: Any) -> Any:
    interval = kwargs.pop("poll_interval_ms", None)
    video = videos.create(**kwargs)
    return videos_poll(videos, video.id, poll_interval_ms=interval)


async def async_videos_create_and_poll(videos: Any, **kwargs: Any) -> Any:
    interval = kwargs.pop("poll_interval_ms", None)
    video = await videos.create(**kwargs)
    return await async_videos_poll(videos, video.id, poll_interval_ms=interval)
