"""The helpers of `client.vector_stores.files` and `.file_batches`: `poll`, `create_and_poll`,
`upload`, `upload_and_poll`, under the names the official SDK's private module gives them.

Each takes the resource first and then exactly the parameters of the method it backs, and goes
through the resource's own methods (`create`, `poll`, `create_and_poll`, the client's
`files.create`, `_sleep`), so a subclass or a test that replaces one of them sees every call.

- A file is polled while its status is `in_progress`; a batch while files of it are in progress.
- `max_wait_seconds` (files only) must be a finite number >= 0, checked before any request. It
  bounds the polling (upload and attachment come first and do not count): no poll request starts
  once it has run out, the last wait is cut to what is left, and a wait that runs out raises
  `PollingTimeoutError`. A final answer that arrives late is still returned.
- Uploads are made with purpose "assistants"; a batch uploads at most `max_concurrency` files at
  once and lists the new ids after `file_ids`, in the order the uploads finished. With the sync
  client (threads) every upload runs to its end before the first failure is raised; with the async
  one (tasks) a failed upload cancels the others. Either way nothing is attached after a failure.
"""

# The parameters are spelled exactly as in the generated methods they back, so that
# `inspect.signature` reads the same on both (code written for the official SDK compares them).
# ruff: noqa: UP045, RUF036

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Dict, Optional, Union

import httpx2

from .._types import NOT_GIVEN, Body, FileTypes, Headers, NotGiven, Omit, Query, is_given, omit
from ._poll_pacing import Pacing, PollingTimeoutError, poll_headers
from ._utils import unwrap_group

if TYPE_CHECKING:
    from ..resources.files import AsyncFiles as AsyncClientFiles
    from ..resources.files import Files as ClientFiles
    from ..resources.vector_stores.file_batches import AsyncFileBatches, FileBatches
    from ..resources.vector_stores.files import AsyncFiles, Files
    from ..types.file_chunking_strategy_param import FileChunkingStrategyParam
    from ..types.vector_stores import file_batch_create_params
    from ..types.vector_stores.vector_store_file import VectorStoreFile
    from ..types.vector_stores.vector_store_file_batch import VectorStoreFileBatch

__all__ = [
    "async_create_and_poll_vector_store_file",
    "async_create_and_poll_vector_store_file_batch",
    "async_poll_vector_store_file",
    "async_poll_vector_store_file_batch",
    "async_upload_and_poll_vector_store_file",
    "async_upload_and_poll_vector_store_file_batch",
    "async_upload_vector_store_file",
    "create_and_poll_vector_store_file",
    "create_and_poll_vector_store_file_batch",
    "poll_vector_store_file",
    "poll_vector_store_file_batch",
    "upload_and_poll_vector_store_file",
    "upload_and_poll_vector_store_file_batch",
    "upload_vector_store_file",
    "validate_max_wait_seconds",
]


def validate_max_wait_seconds(max_wait_seconds: float | Omit) -> None:
    """A bad limit is refused before anything is uploaded, attached or polled."""
    if is_given(max_wait_seconds) and not (math.isfinite(max_wait_seconds) and max_wait_seconds >= 0):
        raise ValueError(
            f"max_wait_seconds must be a finite, non-negative number of seconds, got {max_wait_seconds!r}"
        )


class _Deadline:
    """The end of a file's polling on the monotonic clock; `None` limit: no end."""

    def __init__(self, max_wait_seconds: float | Omit, file_id: str) -> None:
        self.limit = max_wait_seconds if is_given(max_wait_seconds) else None
        self.end = None if self.limit is None else time.monotonic() + self.limit
        self.file_id = file_id

    def left(self) -> float:
        """Seconds left (infinite without a limit); raises once none are."""
        if self.end is None:
            return math.inf
        remaining = self.end - time.monotonic()
        if remaining <= 0:
            raise PollingTimeoutError(
                f"vector store file {self.file_id!r} was still in progress when max_wait_seconds "
                f"({self.limit:g}) ran out"
            )
        return remaining


def _file_done(file: VectorStoreFile) -> bool:
    return file.status != "in_progress"


def _batch_done(batch: VectorStoreFileBatch) -> bool:
    counts: Any = getattr(batch, "file_counts", None)
    in_progress: Any = getattr(counts, "in_progress", None)
    if isinstance(in_progress, int):
        return in_progress <= 0
    return batch.status != "in_progress"  # counts missing from an odd answer: go by the status


def _uploads(resource: Files | FileBatches) -> ClientFiles:
    """The client's own `files` resource, where uploads go."""
    return resource._client.files  # pyright: ignore[reportAttributeAccessIssue,reportUnknownMemberType,reportUnknownVariableType,reportPrivateUsage]


def _async_uploads(resource: AsyncFiles | AsyncFileBatches) -> AsyncClientFiles:
    return resource._client.files  # pyright: ignore[reportAttributeAccessIssue,reportUnknownMemberType,reportUnknownVariableType,reportPrivateUsage]


# -- files: poll --------------------------------------------------------------------------------------


def poll_vector_store_file(
    resource: Files,
    file_id: str,
    *,
    vector_store_id: str,
    poll_interval_ms: int | Omit = omit,
    max_wait_seconds: float | Omit = omit,
) -> VectorStoreFile:
    validate_max_wait_seconds(max_wait_seconds)
    deadline, pacing = _Deadline(max_wait_seconds, file_id), Pacing(poll_interval_ms)
    headers = poll_headers(poll_interval_ms)
    while True:
        deadline.left()
        raw = resource.with_raw_response.retrieve(file_id, vector_store_id=vector_store_id, extra_headers=headers)
        file = raw.parse()
        if _file_done(file):
            return file
        resource._sleep(min(pacing.next_wait(raw.headers), deadline.left()))  # pyright: ignore[reportPrivateUsage]


async def async_poll_vector_store_file(
    resource: AsyncFiles,
    file_id: str,
    *,
    vector_store_id: str,
    poll_interval_ms: int | Omit = omit,
    max_wait_seconds: float | Omit = omit,
) -> VectorStoreFile:
    validate_max_wait_seconds(max_wait_seconds)
    deadline, pacing = _Deadline(max_wait_seconds, file_id), Pacing(poll_interval_ms)
    headers = poll_headers(poll_interval_ms)
    while True:
        deadline.left()
        raw = await resource.with_raw_response.retrieve(file_id, vector_store_id=vector_store_id, extra_headers=headers)
        file = raw.parse()
        if _file_done(file):
            return file
        await resource._sleep(min(pacing.next_wait(raw.headers), deadline.left()))  # pyright: ignore[reportPrivateUsage]


# -- files: create / upload, then poll ----------------------------------------------------------------


def create_and_poll_vector_store_file(
    resource: Files,
    file_id: str,
    *,
    vector_store_id: str,
    attributes: Optional[Dict[str, Union[str, float, bool]]] | Omit = omit,
    poll_interval_ms: int | Omit = omit,
    max_wait_seconds: float | Omit = omit,
    chunking_strategy: FileChunkingStrategyParam | Omit = omit,
    extra_headers: Headers | None = None,
    extra_query: Query | None = None,
    extra_body: Body | None = None,
    timeout: float | httpx2.Timeout | None | NotGiven = NOT_GIVEN,
) -> VectorStoreFile:
    validate_max_wait_seconds(max_wait_seconds)
    resource.create(
        vector_store_id=vector_store_id, file_id=file_id, chunking_strategy=chunking_strategy, attributes=attributes,
        extra_headers=extra_headers, extra_query=extra_query, extra_body=extra_body, timeout=timeout,
    )
    return resource.poll(
        file_id, vector_store_id=vector_store_id, poll_interval_ms=poll_interval_ms, max_wait_seconds=max_wait_seconds
    )


async def async_create_and_poll_vector_store_file(
    resource: AsyncFiles,
    file_id: str,
    *,
    vector_store_id: str,
    attributes: Optional[Dict[str, Union[str, float, bool]]] | Omit = omit,
    poll_interval_ms: int | Omit = omit,
    max_wait_seconds: float | Omit = omit,
    chunking_strategy: FileChunkingStrategyParam | Omit = omit,
    extra_headers: Headers | None = None,
    extra_query: Query | None = None,
    extra_body: Body | None = None,
    timeout: float | httpx2.Timeout | None | NotGiven = NOT_GIVEN,
) -> VectorStoreFile:
    validate_max_wait_seconds(max_wait_seconds)
    await resource.create(
        vector_store_id=vector_store_id, file_id=file_id, chunking_strategy=chunking_strategy, attributes=attributes,
        extra_headers=extra_headers, extra_query=extra_query, extra_body=extra_body, timeout=timeout,
    )
    return await resource.poll(
        file_id, vector_store_id=vector_store_id, poll_interval_ms=poll_interval_ms, max_wait_seconds=max_wait_seconds
    )


def upload_vector_store_file(
    resource: Files, *, vector_store_id: str, file: FileTypes, chunking_strategy: FileChunkingStrategyParam | Omit = omit
) -> VectorStoreFile:
    uploaded = _uploads(resource).create(file=file, purpose="assistants")
    return resource.create(vector_store_id=vector_store_id, file_id=uploaded.id, chunking_strategy=chunking_strategy)


async def async_upload_vector_store_file(
    resource: AsyncFiles,
    *,
    vector_store_id: str,
    file: FileTypes,
    chunking_strategy: FileChunkingStrategyParam | Omit = omit,
) -> VectorStoreFile:
    uploaded = await _async_uploads(resource).create(file=file, purpose="assistants")
    return await resource.create(
        vector_store_id=vector_store_id, file_id=uploaded.id, chunking_strategy=chunking_strategy
    )


def upload_and_poll_vector_store_file(
    resource: Files,
    *,
    vector_store_id: str,
    file: FileTypes,
    attributes: Optional[Dict[str, Union[str, float, bool]]] | Omit = omit,
    poll_interval_ms: int | Omit = omit,
    max_wait_seconds: float | Omit = omit,
    chunking_strategy: FileChunkingStrategyParam | Omit = omit,
) -> VectorStoreFile:
    validate_max_wait_seconds(max_wait_seconds)
    uploaded = _uploads(resource).create(file=file, purpose="assistants")
    return resource.create_and_poll(
        vector_store_id=vector_store_id, file_id=uploaded.id, chunking_strategy=chunking_strategy,
        poll_interval_ms=poll_interval_ms, max_wait_seconds=max_wait_seconds, attributes=attributes,
    )


async def async_upload_and_poll_vector_store_file(
    resource: AsyncFiles,
    *,
    vector_store_id: str,
    file: FileTypes,
    attributes: Optional[Dict[str, Union[str, float, bool]]] | Omit = omit,
    poll_interval_ms: int | Omit = omit,
    max_wait_seconds: float | Omit = omit,
    chunking_strategy: FileChunkingStrategyParam | Omit = omit,
) -> VectorStoreFile:
    validate_max_wait_seconds(max_wait_seconds)
    uploaded = await _async_uploads(resource).create(file=file, purpose="assistants")
    return await resource.create_and_poll(
        vector_store_id=vector_store_id, file_id=uploaded.id, chunking_strategy=chunking_strategy,
        poll_interval_ms=poll_interval_ms, max_wait_seconds=max_wait_seconds, attributes=attributes,
    )


# -- file batches ---------------------------------------------------------------------------------------


def poll_vector_store_file_batch(
    resource: FileBatches, batch_id: str, *, vector_store_id: str, poll_interval_ms: int | Omit = omit
) -> VectorStoreFileBatch:
    pacing, headers = Pacing(poll_interval_ms), poll_headers(poll_interval_ms)
    while True:
        raw = resource.with_raw_response.retrieve(batch_id, vector_store_id=vector_store_id, extra_headers=headers)
        batch = raw.parse()
        if _batch_done(batch):
            return batch
        resource._sleep(pacing.next_wait(raw.headers))  # pyright: ignore[reportPrivateUsage]


async def async_poll_vector_store_file_batch(
    resource: AsyncFileBatches, batch_id: str, *, vector_store_id: str, poll_interval_ms: int | Omit = omit
) -> VectorStoreFileBatch:
    pacing, headers = Pacing(poll_interval_ms), poll_headers(poll_interval_ms)
    while True:
        raw = await resource.with_raw_response.retrieve(batch_id, vector_store_id=vector_store_id, extra_headers=headers)
        batch = raw.parse()
        if _batch_done(batch):
            return batch
        await resource._sleep(pacing.next_wait(raw.headers))  # pyright: ignore[reportPrivateUsage]


def create_and_poll_vector_store_file_batch(
    resource: FileBatches,
    vector_store_id: str,
    *,
    attributes: Optional[Dict[str, Union[str, float, bool]]] | Omit = omit,
    chunking_strategy: FileChunkingStrategyParam | Omit = omit,
    file_ids: Sequence[str] | Omit = omit,
    files: Iterable[file_batch_create_params.File] | Omit = omit,
    poll_interval_ms: int | Omit = omit,
    extra_headers: Headers | None = None,
    extra_query: Query | None = None,
    extra_body: Body | None = None,
    timeout: float | httpx2.Timeout | None | NotGiven = NOT_GIVEN,
) -> VectorStoreFileBatch:
    batch = resource.create(
        vector_store_id=vector_store_id, attributes=attributes, chunking_strategy=chunking_strategy,
        file_ids=file_ids, files=files,
        extra_headers=extra_headers, extra_query=extra_query, extra_body=extra_body, timeout=timeout,
    )
    return resource.poll(batch.id, vector_store_id=vector_store_id, poll_interval_ms=poll_interval_ms)


async def async_create_and_poll_vector_store_file_batch(
    resource: AsyncFileBatches,
    vector_store_id: str,
    *,
    attributes: Optional[Dict[str, Union[str, float, bool]]] | Omit = omit,
    chunking_strategy: FileChunkingStrategyParam | Omit = omit,
    file_ids: Sequence[str] | Omit = omit,
    files: Iterable[file_batch_create_params.File] | Omit = omit,
    poll_interval_ms: int | Omit = omit,
    extra_headers: Headers | None = None,
    extra_query: Query | None = None,
    extra_body: Body | None = None,
    timeout: float | httpx2.Timeout | None | NotGiven = NOT_GIVEN,
) -> VectorStoreFileBatch:
    batch = await resource.create(
        vector_store_id=vector_store_id, attributes=attributes, chunking_strategy=chunking_strategy,
        file_ids=file_ids, files=files,
        extra_headers=extra_headers, extra_query=extra_query, extra_body=extra_body, timeout=timeout,
    )
    return await resource.poll(batch.id, vector_store_id=vector_store_id, poll_interval_ms=poll_interval_ms)


def _check_concurrency(max_concurrency: int) -> None:
    if max_concurrency < 1:
        raise ValueError(f"max_concurrency must be at least 1, got {max_concurrency!r}")


def upload_and_poll_vector_store_file_batch(
    resource: FileBatches,
    vector_store_id: str,
    *,
    files: Iterable[FileTypes],
    max_concurrency: int = 5,
    file_ids: Sequence[str] = (),
    poll_interval_ms: int | Omit = omit,
    chunking_strategy: FileChunkingStrategyParam | Omit = omit,
) -> VectorStoreFileBatch:
    _check_concurrency(max_concurrency)
    client_files = _uploads(resource)
    uploaded: list[str] = []

    def upload(file: FileTypes) -> None:
        uploaded.append(client_files.create(file=file, purpose="assistants").id)  # list.append is atomic

    items = list(files)
    with ThreadPoolExecutor(max_workers=min(max_concurrency, max(1, len(items)))) as pool:
        started = [pool.submit(upload, item) for item in items]
    for future in started:  # every upload has ended (a failure does not cancel those queued): raise the first failure
        future.result()
    return resource.create_and_poll(
        vector_store_id=vector_store_id, file_ids=[*file_ids, *uploaded], poll_interval_ms=poll_interval_ms,
        chunking_strategy=chunking_strategy,
    )


async def async_upload_and_poll_vector_store_file_batch(
    resource: AsyncFileBatches,
    vector_store_id: str,
    *,
    files: Iterable[FileTypes],
    max_concurrency: int = 5,
    file_ids: Sequence[str] = (),
    poll_interval_ms: int | Omit = omit,
    chunking_strategy: FileChunkingStrategyParam | Omit = omit,
) -> VectorStoreFileBatch:
    import anyio

    _check_concurrency(max_concurrency)
    client_files = _async_uploads(resource)
    uploaded: list[str] = []
    limiter = anyio.Semaphore(max_concurrency)

    async def upload(file: FileTypes) -> None:
        async with limiter:
            uploaded.append((await client_files.create(file=file, purpose="assistants")).id)

    try:
        async with anyio.create_task_group() as group:
            for file in files:
                group.start_soon(upload, file)
    except Exception as exc:
        raise unwrap_group(exc) from None
    return await resource.create_and_poll(
        vector_store_id=vector_store_id, file_ids=[*file_ids, *uploaded], poll_interval_ms=poll_interval_ms,
        chunking_strategy=chunking_strategy,
    )
