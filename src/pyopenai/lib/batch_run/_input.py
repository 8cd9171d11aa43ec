"""A job's requests as Batch API input files: checked, encoded one line at a time, cut at the limits.

Nothing here holds the whole job: requests are pulled from the caller's iterable while the
transport reads an :class:`InputFile`, and only a compact table of the ids seen so far (8 bytes a
slot) outlives them.
"""

from __future__ import annotations

import functools
import json
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, cast, get_args, get_type_hints

from ..._serialize import json_default

__all__ = [
    "MAX_BYTES_PER_FILE",
    "MAX_REQUESTS_PER_FILE",
    "BatchInputError",
    "EncodedRequest",
    "InputFile",
    "InputFiles",
    "batch_endpoints",
    "encode_requests",
]

# the API's limits for one input file
MAX_REQUESTS_PER_FILE = 50_000
MAX_BYTES_PER_FILE = 200 * 1024 * 1024


@functools.cache
def batch_endpoints() -> tuple[str, ...]:
    """The endpoints a batch may target, as the spec lists them (`batches.create`'s `endpoint`)."""
    from ...types.batch_create_params import BatchCreateParams

    return get_args(get_type_hints(BatchCreateParams)["endpoint"])


_REQUEST_KEYS = frozenset({"custom_id", "body", "method", "url"})


class BatchInputError(ValueError):
    """A request of the job cannot be sent: the message names its position (1-based) and custom_id."""

    def __init__(self, message: str, *, index: int | None = None, custom_id: str | None = None) -> None:
        where = f"request {index}" if index is not None else "input"
        if custom_id is not None:
            where += f" (custom_id {custom_id!r})"
        super().__init__(f"{where}: {message}")
        self.index = index
        self.custom_id = custom_id


@dataclass(slots=True)
class EncodedRequest:
    """One request as its JSONL line (newline included)."""

    index: int
    custom_id: str
    model: str | None
    line: bytes


def _zeros(count: int) -> array[int]:
    return array("q", [0]) * count  # no temporary bytes object as large as the table


class _SeenIds:
    """The custom_ids seen so far, as their 64-bit hashes in an open-addressing table.

    A set of the ids themselves would cost ~100 bytes each (a million-request job: ~100 MB); this
    costs 16. Two different ids with the same 64-bit hash would be reported as a duplicate: for a
    million ids the chance is about 3 in 100 million.
    """

    def __init__(self) -> None:
        self._slots = _zeros(1024)
        self._count = 0

    def add(self, custom_id: str) -> bool:
        """Record `custom_id`; False if it was already recorded."""
        key = hash(custom_id) or 1  # 0 marks an empty slot
        slots = self._slots
        mask = len(slots) - 1
        slot = key & mask
        while True:
            found = slots[slot]
            if found == 0:
                break
            if found == key:
                return False
            slot = (slot + 1) & mask
        slots[slot] = key
        self._count += 1
        if self._count * 2 > len(slots):
            self._grow()
        return True

    def _grow(self) -> None:
        old = self._slots
        self._slots = _zeros(2 * len(old))
        self._count = 0
        mask = len(self._slots) - 1
        for key in old:
            if key:
                slot = key & mask
                while self._slots[slot]:
                    slot = (slot + 1) & mask
                self._slots[slot] = key
                self._count += 1


def _request_parts(item: object, index: int, endpoint: str, id_prefix: str) -> tuple[str, Mapping[str, Any]]:
    """(custom_id, body) of one item: a `{"custom_id", "body"}` request or a plain params dict."""
    if not isinstance(item, Mapping):
        raise BatchInputError(f"expected a dict, got {type(item).__name__}", index=index)
    mapping = cast("Mapping[str, Any]", item)
    if "body" not in mapping:  # plain params: the request body itself, numbered
        return f"{id_prefix}{index}", mapping
    unknown = set(mapping) - _REQUEST_KEYS
    if unknown:
        raise BatchInputError(f"unexpected keys {sorted(unknown)} (a request has {sorted(_REQUEST_KEYS)})", index=index)
    custom_id = mapping.get("custom_id", f"{id_prefix}{index}")
    if not isinstance(custom_id, str) or not custom_id:
        raise BatchInputError(f"custom_id must be a non-empty string, got {custom_id!r}", index=index)
    url = mapping.get("url", endpoint)
    if url != endpoint:
        raise BatchInputError(f"url {url!r} is not the job's endpoint {endpoint!r}", index=index, custom_id=custom_id)
    method = mapping.get("method", "POST")
    if method != "POST":
        raise BatchInputError(f"method {method!r}: batches send POST requests only", index=index, custom_id=custom_id)
    body = mapping["body"]
    if not isinstance(body, Mapping):
        raise BatchInputError(f"body must be a dict, got {type(body).__name__}", index=index, custom_id=custom_id)
    return custom_id, cast("Mapping[str, Any]", body)


def encode_requests(
    requests: Iterable[object], *, endpoint: str, max_line_bytes: int, id_prefix: str = "request-"
) -> Iterator[EncodedRequest]:
    """Check and encode each request, lazily; raises :class:`BatchInputError` at the first bad one."""
    if endpoint not in batch_endpoints():
        raise BatchInputError(f"endpoint {endpoint!r} is not a Batch API endpoint (one of {', '.join(batch_endpoints())})")
    seen = _SeenIds()
    dumps = json.JSONEncoder(separators=(",", ":"), default=json_default).encode
    for index, item in enumerate(requests, 1):
        custom_id, body = _request_parts(item, index, endpoint, id_prefix)
        if body.get("stream"):
            raise BatchInputError("stream=True cannot be batched", index=index, custom_id=custom_id)
        if not seen.add(custom_id):
            raise BatchInputError("duplicate custom_id (ids must be unique in a job)", index=index, custom_id=custom_id)
        try:
            text = dumps({"custom_id": custom_id, "method": "POST", "url": endpoint, "body": body})
        except (TypeError, ValueError) as err:
            raise BatchInputError(f"body is not JSON: {err}", index=index, custom_id=custom_id) from None
        line = text.encode() + b"\n"
        if len(line) > max_line_bytes:
            raise BatchInputError(
                f"{len(line)} bytes encoded, more than an input file may hold ({max_line_bytes})",
                index=index, custom_id=custom_id,
            )
        model = body.get("model")
        yield EncodedRequest(index, custom_id, model if isinstance(model, str) else None, line)


class InputFiles:
    """Cuts the encoded requests into input files: at `max_requests` or `max_bytes`, and where the
    model changes (the API takes one model per input file)."""

    def __init__(self, encoded: Iterator[EncodedRequest], *, max_requests: int, max_bytes: int) -> None:
        if max_requests < 1 or max_bytes < 1:
            raise ValueError("max_requests_per_file and max_bytes_per_file must be at least 1")
        self._encoded = encoded
        self.max_requests = max_requests
        self.max_bytes = max_bytes
        self._next: EncodedRequest | None = None
        self._exhausted = False

    def peek(self) -> EncodedRequest | None:
        """The next request, without taking it (None when the job has no more)."""
        if self._next is None and not self._exhausted:
            self._next = next(self._encoded, None)
            self._exhausted = self._next is None
        return self._next

    def take(self) -> EncodedRequest:
        found = self.peek()
        assert found is not None
        self._next = None
        return found

    def next_file(self) -> InputFile | None:
        """The next input file (read it to its end before asking for another), or None."""
        return InputFile(self) if self.peek() is not None else None


class InputFile:
    """One input file as a binary stream the HTTP transport reads in chunks (so the upload streams).

    It has no `seek` and no length: the transport sends it chunked, and does not retry it (what was
    read is gone). An error raised while pulling requests ends the stream early and is kept in
    `.error` for the caller to raise once the upload call has returned.
    """

    def __init__(self, source: InputFiles) -> None:
        self._source = source
        self.requests = 0
        self.bytes = 0
        self.model: str | None = None
        upcoming = source.peek()
        self.first_index = upcoming.index if upcoming is not None else 0
        self.error: BaseException | None = None
        self.done = False

    def _fits(self, request: EncodedRequest) -> bool:
        if self.requests == 0:
            return True
        return (
            self.requests < self._source.max_requests
            and self.bytes + len(request.line) <= self._source.max_bytes
            and request.model == self.model
        )

    def read(self, size: int = -1) -> bytes:
        if self.done:
            return b""
        want = size if size > 0 else 1 << 20
        parts: list[bytes] = []
        got = 0
        try:
            while got < want:
                request = self._source.peek()
                if request is None or not self._fits(request):
                    self.done = True
                    break
                self._source.take()
                if self.requests == 0:
                    self.model = request.model
                self.requests += 1
                self.bytes += len(request.line)
                parts.append(request.line)
                got += len(request.line)
        except Exception as err:  # bad input or the caller's iterable failing: end here, raised later
            self.error = err
            self.done = True
        return b"".join(parts)
