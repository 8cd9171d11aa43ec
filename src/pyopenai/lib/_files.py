"""`files.wait_for_processing`: retrieve an uploaded file until it is processed, failed or deleted.

The wait between two retrievals is `poll_interval` seconds, through the resource's `_sleep`.
`max_wait_seconds` is measured on the monotonic clock (a wall clock set back cannot stretch it) and
checked after each retrieval that was not final: a file still pending past it raises
`PollingTimeoutError` (a `RuntimeError`, as this helper has always raised, and a `TimeoutError`).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from ._poll_pacing import PollingTimeoutError

if TYPE_CHECKING:
    from ..resources.files import AsyncFiles, Files
    from ..types.file_object import FileObject

__all__ = ["async_wait_for_file_processing", "wait_for_file_processing"]

# a file is final once processed, failed ("error") or deleted; a status this SDK does not know ends
# the wait too, rather than polling it for half an hour
_PENDING = frozenset({"uploaded", "pending"})


def _check_deadline(id: str, start: float, max_wait_seconds: float) -> None:
    if time.monotonic() - start > max_wait_seconds:
        raise PollingTimeoutError(
            f"Giving up on waiting for file {id} to finish processing after {max_wait_seconds:g} seconds "
            "(max_wait_seconds)"
        )


def wait_for_file_processing(
    files: Files, id: str, *, poll_interval: float = 5.0, max_wait_seconds: float = 30 * 60
) -> FileObject:
    start = time.monotonic()
    file = files.retrieve(id)
    while file.status in _PENDING:
        files._sleep(poll_interval)  # pyright: ignore[reportPrivateUsage]
        file = files.retrieve(id)
        if file.status in _PENDING:
            _check_deadline(id, start, max_wait_seconds)
    return file


async def async_wait_for_file_processing(
    files: AsyncFiles, id: str, *, poll_interval: float = 5.0, max_wait_seconds: float = 30 * 60
) -> FileObject:
    start = time.monotonic()
    file = await files.retrieve(id)
    while file.status in _PENDING:
        await files._sleep(poll_interval)  # pyright: ignore[reportPrivateUsage]
        file = await files.retrieve(id)
        if file.status in _PENDING:
            _check_deadline(id, start, max_wait_seconds)
    return file
