"""`client.uploads.upload_file_chunked(...)`: a large file through the Uploads API, in parallel parts.

    upload = client.uploads.upload_file_chunked(
        file=Path("train.jsonl"), mime_type="application/jsonl", purpose="fine-tune",
        on_progress=lambda done, total: print(f"{done}/{total}"),
    )
    upload.file.id   # the File object the parts became

The file (a path, bytes, or a binary file object) is read one part at a time, in order, and each
part is sent as soon as a slot is free: at most `max_concurrency` parts are in memory or in flight
at once, so memory stays below `part_size x max_concurrency` whatever the file size (the whole file
is never read). Parts go out in parallel (threads in the sync client, tasks in the async one) and
are completed in file order. `on_progress(bytes_done, bytes_total)` is called after each part
(from the uploading thread in the sync client; calls never overlap). If a part fails, the upload is
cancelled and the error re-raised. `md5=True` computes the checksum while reading and asks the
server to verify it; a string is sent as given.
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import IO, Any, cast

from .._types import NotGiven, Omit, omit
from ._utils import unwrap_group

__all__ = ["DEFAULT_PART_SIZE", "MAX_PART_SIZE", "async_upload_file_chunked", "upload_file_chunked"]

DEFAULT_PART_SIZE = 64 * 1024 * 1024
MAX_PART_SIZE = 64 * 1024 * 1024  # the API's limit per part
ProgressCallback = Callable[[int, int], Any]


class _Source:
    """Reads a path, bytes or a binary file object part by part, in order."""

    def __init__(self, file: Any, filename: str | None, size: int | None) -> None:
        self._owned: IO[bytes] | None = None
        self._data: bytes | memoryview | None = None
        self._offset = 0
        if isinstance(file, (bytes, bytearray, memoryview)):
            self._data = memoryview(cast(bytes, file))
            self.size = len(self._data) if size is None else size
            self.filename = filename or "upload"
            self._handle: IO[bytes] | None = None
            return
        if isinstance(file, (str, os.PathLike)):
            path = os.fspath(cast("str | os.PathLike[str]", file))
            self._owned = self._handle = open(path, "rb")
            self.size = os.path.getsize(path) if size is None else size
            self.filename = filename or os.path.basename(path)
            return
        handle = cast("IO[bytes]", file)
        self._handle = handle
        self.filename = filename or os.path.basename(str(getattr(handle, "name", "") or "")) or "upload"
        if size is None:
            try:
                size = os.fstat(handle.fileno()).st_size - handle.tell()
            except (OSError, AttributeError, io.UnsupportedOperation):
                raise ValueError("the size of this file object is unknown: pass bytes=<size>") from None
        self.size = size

    def read(self, n: int) -> bytes:
        if self._data is not None:
            part = bytes(self._data[self._offset : self._offset + n])
            self._offset += len(part)
            return part
        assert self._handle is not None
        out = b""
        while len(out) < n:  # raw and non-blocking streams may return short reads
            chunk = self._handle.read(n - len(out))
            if not chunk:
                break
            out += chunk
        return out

    def close(self) -> None:
        if self._owned is not None:
            self._owned.close()


def _check(part_size: int | None, max_concurrency: int) -> int:
    size = DEFAULT_PART_SIZE if part_size is None else part_size
    if not 0 < size <= MAX_PART_SIZE:
        raise ValueError(f"part_size must be between 1 byte and {MAX_PART_SIZE} bytes (64 MiB)")
    if max_concurrency < 1:
        raise ValueError("max_concurrency must be at least 1")
    return size


def _md5_option(md5: str | bool | Omit | NotGiven) -> tuple[Any, Any]:
    """(hasher or None, the md5 value to send unless computed)."""
    if md5 is True:
        return hashlib.md5(usedforsecurity=False), None
    if md5 is False:
        return None, omit
    return None, md5


def upload_file_chunked(
    uploads: Any,
    *,
    file: Any,
    mime_type: str,
    purpose: str,
    filename: str | None = None,
    bytes: int | None = None,
    part_size: int | None = None,
    md5: str | bool | Omit = omit,
    max_concurrency: int = 4,
    on_progress: ProgressCallback | None = None,
    **options: Any,
) -> Any:
    """Create an upload, send `file` in parts of `part_size` bytes, complete it; returns the `Upload`."""
    size = _check(part_size, max_concurrency)
    source = _Source(file, filename, bytes)
    hasher, md5_value = _md5_option(md5)
    try:
        upload = uploads.create(bytes=source.size, filename=source.filename, mime_type=mime_type, purpose=purpose,
                                **options)
        try:
            part_ids = _send_parts(uploads, upload.id, source, size, max_concurrency, on_progress, hasher, options)
        except BaseException:
            _cancel_quietly(lambda: uploads.cancel(upload.id, **options))
            raise
    finally:
        source.close()
    if hasher is not None:
        md5_value = hasher.hexdigest()
    return uploads.complete(upload.id, part_ids=part_ids, md5=md5_value, **options)


def _cancel_quietly(cancel: Callable[[], Any]) -> None:
    try:
        cancel()
    except Exception:  # the original error is the one worth reporting
        pass


def _send_parts(
    uploads: Any,
    upload_id: str,
    source: _Source,
    part_size: int,
    max_concurrency: int,
    on_progress: ProgressCallback | None,
    hasher: Any,
    options: dict[str, Any],
) -> list[str]:
    slots = threading.BoundedSemaphore(max_concurrency)
    progress_lock = threading.Lock()
    done = [0]
    futures: list[Future[str]] = []

    failed = threading.Event()

    def send(data: bytes) -> str:
        try:
            part = uploads.parts.create(upload_id, data=data, **options)
            if on_progress is not None:
                with progress_lock:
                    done[0] += len(data)
                    on_progress(done[0], source.size)
            return cast(str, part.id)
        except BaseException:
            failed.set()  # before the slot is freed, so no further part is read
            raise
        finally:
            slots.release()

    with ThreadPoolExecutor(max_workers=max_concurrency) as pool:
        try:
            remaining = source.size
            while remaining > 0:
                slots.acquire()  # a free slot before reading: bounds the parts held in memory
                data = b"" if failed.is_set() else source.read(min(part_size, remaining))
                if not data:  # a part failed, or the file is shorter than its declared size
                    slots.release()
                    break
                if hasher is not None:
                    hasher.update(data)
                remaining -= len(data)
                futures.append(pool.submit(send, data))
        except BaseException:
            for f in futures:
                f.cancel()
            raise
        return [f.result() for f in futures]


async def async_upload_file_chunked(
    uploads: Any,
    *,
    file: Any,
    mime_type: str,
    purpose: str,
    filename: str | None = None,
    bytes: int | None = None,
    part_size: int | None = None,
    md5: str | bool | Omit = omit,
    max_concurrency: int = 4,
    on_progress: ProgressCallback | None = None,
    **options: Any,
) -> Any:
    """The async twin of `upload_file_chunked`; file reads run in a worker thread."""
    import anyio
    import anyio.to_thread

    size = _check(part_size, max_concurrency)
    source = _Source(file, filename, bytes)
    hasher, md5_value = _md5_option(md5)
    try:
        upload = await uploads.create(bytes=source.size, filename=source.filename, mime_type=mime_type,
                                      purpose=purpose, **options)
        part_ids: list[str | None] = []
        slots = anyio.Semaphore(max_concurrency)
        done = 0

        async def send(index: int, data: bytes) -> None:
            nonlocal done
            try:
                part = await uploads.parts.create(upload.id, data=data, **options)
                part_ids[index] = cast(str, part.id)
                done += len(data)
                if on_progress is not None:
                    on_progress(done, source.size)
            finally:
                slots.release()

        try:
            async with anyio.create_task_group() as group:
                remaining = source.size
                while remaining > 0:
                    await slots.acquire()
                    data = await anyio.to_thread.run_sync(source.read, min(size, remaining))
                    if not data:  # the file is shorter than its declared size: the server will say so
                        slots.release()
                        break
                    if hasher is not None:
                        hasher.update(data)
                    remaining -= len(data)
                    part_ids.append(None)
                    group.start_soon(send, len(part_ids) - 1, data)
        except BaseException as exc:
            with anyio.CancelScope(shield=True):
                try:
                    await uploads.cancel(upload.id, **options)
                except Exception:
                    pass
            raise unwrap_group(exc) from None
    finally:
        source.close()
    if hasher is not None:
        md5_value = hasher.hexdigest()
    ids = [i for i in part_ids if i is not None]
    return await uploads.complete(upload.id, part_ids=ids, md5=md5_value, **options)
