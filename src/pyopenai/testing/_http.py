"""A small HTTP/1.1 server on asyncio streams: keep-alive, Content-Length and chunked bodies.

Only what an API client needs: one request at a time per connection (no pipelining beyond
reading the next request after the previous response), request bodies by ``Content-Length`` or
``Transfer-Encoding: chunked``, responses with a ``Content-Length`` body or a chunked stream of
pieces (used for server-sent events). Faults that act on the wire (dropping the connection,
stalling, cutting a stream) are carried by :class:`Response` and applied here.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

if TYPE_CHECKING:
    from ._multipart import Part

__all__ = ["HTTPServer", "Request", "Response", "iter_chunks"]

MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 512 * 1024 * 1024

_REASONS = {s.value: s.phrase for s in HTTPStatus}


class ProtocolError(Exception):
    """The peer sent something that is not HTTP/1.1 we can serve."""


@dataclass(slots=True)
class Request:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes = b""
    path: str = ""
    query: dict[str, list[str]] = field(default_factory=dict[str, list[str]])

    def __post_init__(self) -> None:
        if not self.path:
            if "?" not in self.target and "%" not in self.target and self.target.startswith("/"):
                self.path = self.target
                return
            parts = urlsplit(self.target)
            self.path = unquote(parts.path)
            self.query = parse_qs(parts.query, keep_blank_values=True)

    def json(self) -> Any:
        """The body decoded as JSON (for assertions on recorded requests)."""
        return json.loads(self.body)

    @property
    def files(self) -> dict[str, Part]:
        """Multipart parts that carry a filename, by field name (``.filename``, ``.data``, ``.content_type``)."""
        return {name: parts[-1] for name, parts in self._parts().items() if parts[-1].filename is not None}

    @property
    def form(self) -> dict[str, str]:
        """Multipart fields without a filename, as text."""
        return {name: parts[-1].text for name, parts in self._parts().items() if parts[-1].filename is None}

    def _parts(self) -> dict[str, list[Part]]:
        from ._multipart import parse_multipart

        if not self.headers.get("content-type", "").startswith("multipart/"):
            return {}
        return parse_multipart(self)

    def query_value(self, name: str) -> str | None:
        """The last value of a query parameter (``name`` or the brackets form ``name[]``)."""
        values = self.query.get(name) or self.query.get(name + "[]")
        return values[-1] if values else None

    def query_values(self, name: str) -> list[str]:
        return [*self.query.get(name, ()), *self.query.get(name + "[]", ())]


@dataclass(slots=True)
class Response:
    """What a handler answers. ``chunks`` (when set) is sent with chunked transfer encoding."""

    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list[tuple[str, str]])
    content_type: str | None = "application/json"
    # an async iterable waits for its events (e.g. an agent session's) without holding the loop
    chunks: Iterable[bytes] | AsyncIterable[bytes] | None = None
    # wire-level behaviour (faults and pacing)
    drop: bool = False  # close the connection without answering
    stall: float = 0.0  # send the head, then wait this long before the body
    cut_after: int | None = None  # stream: close after this many chunks; body: after half of it
    chunk_delay: float = 0.0  # pause between streamed chunks
    # protocol switch (WebSocket): after the head, the connection belongs to this coroutine
    takeover: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]] | None = None


Handler = Callable[[Request], Awaitable[Response]]


async def read_request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter | None = None) -> Request | None:
    """Read one request; ``None`` when the peer closed the connection between requests."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if exc.partial.strip():
            raise ProtocolError("connection closed inside a request head") from None
        return None
    except asyncio.LimitOverrunError:
        raise ProtocolError("request head too large") from None
    lines = head.decode("latin-1").split("\r\n")
    try:
        method, target, version = lines[0].split(" ", 2)
    except ValueError:
        raise ProtocolError("malformed request line") from None
    if not version.startswith("HTTP/1."):
        raise ProtocolError("unsupported HTTP version")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise ProtocolError("malformed header line")
        key = name.strip().lower()
        value = value.strip()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    if version == "HTTP/1.0" and "connection" not in headers:
        headers["connection"] = "close"
    if writer is not None and headers.get("expect", "").lower() == "100-continue":
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    body = b""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = await _read_chunked(reader)
    elif "content-length" in headers:
        try:
            length = int(headers["content-length"])
        except ValueError:
            raise ProtocolError("bad content-length") from None
        if length < 0 or length > MAX_BODY_BYTES:
            raise ProtocolError("content-length out of range")
        if length:
            body = await reader.readexactly(length)
    return Request(method.upper(), target, headers, body)


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    total = 0
    while True:
        size_line = await reader.readuntil(b"\r\n")
        try:
            size = int(size_line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise ProtocolError("bad chunk size") from None
        if size == 0:
            # trailers, up to the empty line
            while (await reader.readuntil(b"\r\n")) != b"\r\n":
                pass
            return b"".join(parts)
        total += size
        if total > MAX_BODY_BYTES:
            raise ProtocolError("body too large")
        chunk = await reader.readexactly(size + 2)
        parts.append(chunk[:-2])


def _head(status: int, headers: list[tuple[str, str]]) -> bytes:
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Unknown')}"]
    lines.extend(f"{k}: {v}" for k, v in headers)
    lines.append("\r\n")
    return "\r\n".join(lines).encode("latin-1")


async def iter_chunks(chunks: Iterable[bytes] | AsyncIterable[bytes]) -> AsyncIterator[bytes]:
    if isinstance(chunks, AsyncIterable):
        async for piece in chunks:
            yield piece
    else:
        for piece in chunks:
            yield piece


async def write_response(writer: asyncio.StreamWriter, resp: Response, keep_alive: bool) -> bool:
    """Send ``resp``; returns whether the connection may carry another request."""
    if resp.drop:
        return False
    headers = list(resp.headers)
    if resp.content_type is not None:
        headers.append(("content-type", resp.content_type))
    if not keep_alive:
        headers.append(("connection", "close"))
    if resp.chunks is None:
        headers.append(("content-length", str(len(resp.body))))
        head = _head(resp.status, headers)
        if resp.stall > 0 or resp.cut_after is not None:
            writer.write(head)
            await writer.drain()
            if resp.stall > 0:
                await asyncio.sleep(resp.stall)
            if resp.cut_after is not None:
                writer.write(resp.body[: len(resp.body) // 2])
                await writer.drain()
                return False
            writer.write(resp.body)
        else:
            writer.write(head + resp.body)
        if writer.transport.get_write_buffer_size() > 1 << 16:
            await writer.drain()
        return keep_alive
    headers.append(("transfer-encoding", "chunked"))
    head = _head(resp.status, headers)
    if resp.stall <= 0 and resp.chunk_delay <= 0 and resp.cut_after is None and isinstance(resp.chunks, Iterable):
        # nothing to pace: coalesce events into few writes (each event is still its own HTTP chunk)
        pending = [head]
        size = 0
        for piece in resp.chunks:
            if piece:
                pending.append(b"%x\r\n%b\r\n" % (len(piece), piece))
                size += len(piece)
            if size >= 1 << 15:
                writer.write(b"".join(pending))
                pending.clear()
                size = 0
                await writer.drain()
        pending.append(b"0\r\n\r\n")
        writer.write(b"".join(pending))
        await writer.drain()
        return keep_alive
    writer.write(head)
    await writer.drain()
    if resp.stall > 0:
        await asyncio.sleep(resp.stall)
    sent = 0
    async for piece in iter_chunks(resp.chunks):
        if resp.cut_after is not None and sent >= resp.cut_after:
            return False
        if not piece:
            continue
        if resp.chunk_delay > 0 and sent:
            await asyncio.sleep(resp.chunk_delay)
        writer.write(b"%x\r\n%b\r\n" % (len(piece), piece))
        await writer.drain()
        sent += 1
    writer.write(b"0\r\n\r\n")
    await writer.drain()
    return keep_alive


class HTTPServer:
    """Serves ``handler`` on a listening socket; tracks connections so it can close them all."""

    def __init__(self, handler: Handler) -> None:
        self._handler = handler
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def port(self) -> int:
        assert self._server is not None
        sockets = self._server.sockets
        return int(sockets[0].getsockname()[1])

    async def start(self, host: str, port: int) -> None:
        self._server = await asyncio.start_server(self._on_connection, host, port, limit=MAX_HEADER_BYTES)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    async def _on_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._writers.add(writer)
        try:
            await self._serve(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, ProtocolError):
            pass
        except asyncio.CancelledError:
            # closing the server: end quietly (asyncio's stream callback would log a cancelled task)
            pass
        finally:
            self._tasks.discard(task)
            self._writers.discard(writer)
            writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            req = await read_request(reader, writer)
            if req is None:
                return
            resp = await self._handler(req)
            if resp.takeover is not None:
                writer.write(_head(resp.status, resp.headers))
                await resp.takeover(reader, writer)
                return
            keep_alive = req.headers.get("connection", "").lower() != "close"
            if resp.drop:
                writer.transport.abort()
                return
            if not await write_response(writer, resp, keep_alive):
                if resp.cut_after is not None:
                    writer.transport.abort()
                return
