"""Running the operations of `_steps.py` with a sync or an async client.

A driver answers each `Op` with one API call (or a sleep) and hands every other yielded value to
its caller. The two drivers differ only in `await`.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, ExitStack
from typing import Any, TypeVar

from ._steps import (
    CHARS_PER_READ,
    LINES_PER_READ,
    Cancel,
    CreateBatch,
    DeleteFile,
    Op,
    OpenLines,
    ReadLines,
    Retrieve,
    Sleep,
    Steps,
    Upload,
)

__all__ = ["AsyncDriver", "SyncDriver"]

_R = TypeVar("_R")
_JSONL = "application/jsonl"


class SyncDriver:
    def __init__(self, client: Any) -> None:
        self._client = client

    def _perform(self, op: Op, files: dict[int, ExitStack], lines: dict[int, Iterator[str]]) -> Any:
        client = self._client
        if isinstance(op, Retrieve):
            return client.batches.retrieve(op.batch_id)
        if isinstance(op, ReadLines):
            chunk: list[str] = []
            size = 0
            for line in lines[op.handle]:
                chunk.append(line)
                size += len(line)
                if len(chunk) >= LINES_PER_READ or size >= CHARS_PER_READ:
                    break
            if not chunk:
                files[op.handle].close()  # the whole file is read: give its connection back
            return chunk
        if isinstance(op, OpenLines):
            handle = len(lines)
            files[handle] = ExitStack()
            response = files[handle].enter_context(client.files.with_streaming_response.content(op.file_id))
            lines[handle] = response.iter_lines()
            return handle
        if isinstance(op, Sleep):
            time.sleep(op.seconds)
            return None
        if isinstance(op, Upload):
            return client.files.create(file=(op.filename, op.file, _JSONL), purpose="batch")
        if isinstance(op, CreateBatch):
            return client.batches.create(
                input_file_id=op.input_file_id, endpoint=op.endpoint, completion_window=op.completion_window,
                **({"metadata": op.metadata} if op.metadata is not None else {}),
            )
        if isinstance(op, Cancel):
            return client.batches.cancel(op.batch_id)
        if isinstance(op, DeleteFile):
            return client.files.delete(op.file_id)
        raise TypeError(f"unknown batch operation {op!r}")

    def items(self, steps: Steps[Any]) -> Iterator[Any]:
        """Run `steps`, yielding the items it produces."""
        files: dict[int, ExitStack] = {}  # the files being read (streamed responses), by handle
        lines: dict[int, Iterator[str]] = {}
        try:
            sent: Any = None
            error: BaseException | None = None
            try:
                while True:
                    step = steps.throw(error) if error is not None else steps.send(sent)
                    sent, error = None, None
                    if not isinstance(step, Op):
                        yield step
                        continue
                    try:
                        sent = self._perform(step, files, lines)
                    except Exception as err:  # the operation decides: clean up, wrap or let it through
                        error = err
            except StopIteration:
                return
            finally:
                steps.close()
        finally:
            for stack in files.values():
                stack.close()

    def run(self, steps: Steps[_R]) -> _R:
        """Run `steps` to its end (it yields no items) and return its result."""
        result: list[_R] = []

        def capture() -> Steps[None]:
            result.append((yield from steps))

        for item in self.items(capture()):
            raise TypeError(f"unexpected item {item!r}")
        return result[0]


class AsyncDriver:
    def __init__(self, client: Any) -> None:
        self._client = client

    async def _perform(self, op: Op, files: dict[int, AsyncExitStack], lines: dict[int, AsyncIterator[str]]) -> Any:
        client = self._client
        if isinstance(op, Retrieve):
            return await client.batches.retrieve(op.batch_id)
        if isinstance(op, ReadLines):
            chunk: list[str] = []
            size = 0
            async for line in lines[op.handle]:
                chunk.append(line)
                size += len(line)
                if len(chunk) >= LINES_PER_READ or size >= CHARS_PER_READ:
                    break
            if not chunk:
                await files[op.handle].aclose()
            return chunk
        if isinstance(op, OpenLines):
            handle = len(lines)
            files[handle] = AsyncExitStack()
            response = await files[handle].enter_async_context(client.files.with_streaming_response.content(op.file_id))
            lines[handle] = response.iter_lines()
            return handle
        if isinstance(op, Sleep):
            import anyio

            await anyio.sleep(op.seconds)
            return None
        if isinstance(op, Upload):
            return await client.files.create(file=(op.filename, op.file, _JSONL), purpose="batch")
        if isinstance(op, CreateBatch):
            return await client.batches.create(
                input_file_id=op.input_file_id, endpoint=op.endpoint, completion_window=op.completion_window,
                **({"metadata": op.metadata} if op.metadata is not None else {}),
            )
        if isinstance(op, Cancel):
            return await client.batches.cancel(op.batch_id)
        if isinstance(op, DeleteFile):
            return await client.files.delete(op.file_id)
        raise TypeError(f"unknown batch operation {op!r}")

    async def items(self, steps: Steps[Any]) -> AsyncIterator[Any]:
        files: dict[int, AsyncExitStack] = {}
        lines: dict[int, AsyncIterator[str]] = {}
        try:
            sent: Any = None
            error: BaseException | None = None
            try:
                while True:
                    step = steps.throw(error) if error is not None else steps.send(sent)
                    sent, error = None, None
                    if not isinstance(step, Op):
                        yield step
                        continue
                    try:
                        sent = await self._perform(step, files, lines)
                    except Exception as err:
                        error = err
            except StopIteration:
                return
            finally:
                steps.close()
        finally:
            for stack in files.values():
                await stack.aclose()

    async def run(self, steps: Steps[_R]) -> _R:
        result: list[_R] = []

        def capture() -> Steps[None]:
            result.append((yield from steps))

        async for item in self.items(capture()):
            raise TypeError(f"unexpected item {item!r}")
        return result[0]
