"""The time budget of a whole call (`deadline=`): each attempt's timeouts cut to the time left, a
body abandoned once the time is up. Pure bookkeeping on the request and response objects: the send
loops do the waiting.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx2

from ._exceptions import APITimeoutError

__all__ = ["Deadline", "check_deadline"]


def check_deadline(deadline: float | None) -> float | None:
    if deadline is not None and not deadline > 0:
        raise ValueError(f"deadline must be a positive number of seconds or None, got {deadline!r}")
    return deadline


class Deadline:
    """The time budget of one call, when it has one.

    Each attempt's connect/read/write/pool timeouts are cut to the time left; a streamed upload and a
    response body are checked chunk by chunk and abandoned when the time is up (each socket read or
    write is bounded by the time left when it began); a retry whose wait would end past the deadline
    is not waited for. Streams
    (`stream=True`, `with_streaming_response`) are covered until their response starts: their body is
    bounded by the read timeout between two chunks (an idle timeout), not by the deadline.
    """

    __slots__ = ("at", "budget")

    def __init__(self, budget: float) -> None:
        self.budget = budget
        self.at = time.monotonic() + budget

    def exceeded(self, request: httpx2.Request, attempts: int, reason: str) -> APITimeoutError:
        return APITimeoutError(
            request,
            message=f"Request deadline of {self.budget:g} s exceeded after {attempts} attempt(s) ({reason}).",
        )

    def start(self, request: httpx2.Request, attempts: int) -> float | None:
        """Cut this attempt's timeouts to the time left; returns its read timeout before the cut."""
        left = self.at - time.monotonic()
        if left <= 0:
            raise self.exceeded(request, attempts, "no time left for another attempt")
        timeouts: dict[str, float | None] = request.extensions["timeout"]
        read = timeouts.get("read")
        for key, value in timeouts.items():
            if value is None or value > left:
                timeouts[key] = left
        if not isinstance(request.stream, httpx2.ByteStream):  # a streamed upload (files): checked per chunk
            request.stream = DeadlineStream(request.stream, self.at, upload=True)
        return read

    def bound_body(self, response: httpx2.Response) -> None:
        """Make reading this response's body give up when the deadline passes."""
        timeouts: dict[str, float | None] = response.request.extensions["timeout"]
        left = max(self.at - time.monotonic(), 0.001)
        read = timeouts.get("read")
        # the transport reads this value when the body starts: no single socket read outlasts the deadline
        timeouts["read"] = left if read is None else min(read, left)
        response.stream = DeadlineStream(response.stream, self.at)

    def too_late(self, delay: float, request: httpx2.Request, attempts: int, reason: str) -> APITimeoutError | None:
        """The error to raise instead of waiting `delay` s for a retry that would start past the deadline."""
        now = time.monotonic()
        if now + delay < self.at:
            return None
        when = "no time left" if now >= self.at else f"a retry in {delay:.2f} s would start after it"
        return self.exceeded(request, attempts, f"last: {reason}; {when}")


class DeadlineStream(httpx2.SyncByteStream, httpx2.AsyncByteStream):
    """A body (an upload, or a response) that raises a timeout once the call's deadline has passed."""

    def __init__(self, inner: Any, at: float, upload: bool = False) -> None:
        self._inner = inner
        self._at = at
        self._upload = upload

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)  # e.g. a multipart body's `fields`, which retries rewind

    def _late(self) -> httpx2.TimeoutException:
        if self._upload:
            return httpx2.WriteTimeout("The call's deadline passed while sending the request body")
        return httpx2.ReadTimeout("The call's deadline passed while reading the response body")

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            if time.monotonic() > self._at:
                raise self._late()
            yield chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            if time.monotonic() > self._at:
                raise self._late()
            yield chunk

    def close(self) -> None:
        self._inner.close()

    async def aclose(self) -> None:
        await self._inner.aclose()
