"""One HTTP/1.1 connection, in httpcore2's connection interface, so httpcore2's pool manages it.

What it does differently from httpcore2's own (`HTTPConnection` over `HTTP11Connection` over h11):
the request goes out as one `sendall` of its head (and body, when small), the response head is
parsed in one pass (`_http11`), and the body comes out in the blocks `recv` returned, with a
chunked body's chunks joined per block instead of one event object per chunk: a fast SSE stream
delivers many events per `recv`, and they reach the parser together.

Only what the default client needs: HTTP/1.1 over TCP or TLS, no proxy, no HTTP/2. Errors are
httpcore2's exception classes, so the pool (and the transport's mapping to httpx2's) treat them as
they treat its own connections' errors.
"""

from __future__ import annotations

import re
import ssl
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, cast

from httpcore2 import (
    ConnectionInterface,
    ConnectionNotAvailable,
    LocalProtocolError,
    NetworkBackend,
    NetworkStream,
    Origin,
    ReadError,
    ReadTimeout,
    RemoteProtocolError,
    Request,
    Response,
    WriteError,
    WriteTimeout,
)

from ._http11 import CHUNKED, CLOSE_DELIMITED, MAX_HEAD_SIZE, NO_BODY, ResponseHead, parse_response_head, request_head

__all__ = ["LeanConnection"]

_READ_SIZE = 64 * 1024
_COALESCE = 64 * 1024  # a first body chunk up to this size goes out in the same `sendall` as the head
_HEX = re.compile(rb"[0-9A-Fa-f]{1,16}")

_NEW, _ACTIVE, _IDLE, _CLOSED = "NEW", "ACTIVE", "IDLE", "CLOSED"


class LeanConnection(ConnectionInterface):
    def __init__(
        self,
        origin: Origin,
        *,
        ssl_context: ssl.SSLContext | None,
        keepalive_expiry: float | None,
        socket_options: Iterable[Any] | None,
        network_backend: NetworkBackend,
    ) -> None:
        self._origin = origin
        self._ssl_context = ssl_context
        self._keepalive_expiry = keepalive_expiry
        self._socket_options = socket_options
        self._backend = network_backend
        self._stream: NetworkStream | None = None
        self._sock: Any = None  # the socket under `_stream` (an `ssl.SSLSocket` for https)
        self._timeout: float | None = -1.0  # the timeout last set on the socket (-1: none yet)
        self._state = _NEW
        self._connect_failed = False
        self._expire_at: float | None = None
        self._request_count = 0
        self._lock = threading.Lock()

    # -- a request ------------------------------------------------------------------------------

    def handle_request(self, request: Request) -> Response:
        if request.url.origin != self._origin:
            raise RuntimeError(f"Attempted to send request to {request.url.origin} on connection to {self._origin}")
        with self._lock:
            if self._state is not _NEW and self._state is not _IDLE:
                raise ConnectionNotAvailable()
            previous, expire_at = self._state, self._expire_at
            self._state, self._expire_at = _ACTIVE, None
            self._request_count += 1
        extensions = cast("Mapping[str, Any]", request.extensions)  # pyright: ignore[reportUnknownMemberType]
        timeouts = cast("Mapping[str, float | None]", extensions.get("timeout", {}))
        try:
            # checked before anything is sent, or connected: a bad header loses nothing
            head, length = request_head(request.method, request.url.target, request.headers)
        except BaseException:
            with self._lock:
                self._state, self._expire_at = previous, expire_at
            raise
        try:
            if self._stream is None:
                self._connect(timeouts.get("connect"), extensions.get("sni_hostname"))
            try:
                self._send(head, length, request.stream, timeouts.get("write"))
            except WriteError:
                # the server may have answered (an error, say) and closed before taking the whole body:
                # read that answer; if there is none, reading says so
                pass
            answer, buffered = self._receive_head(request.method, timeouts.get("read"))
        except BaseException:
            self.close()
            raise
        network_stream: Any = self._stream
        if answer.status == 101:
            network_stream = _UpgradedStream(network_stream, buffered)
            buffered = b""
        response = Response(
            status=answer.status,
            content=_Body(self, answer, buffered, timeouts.get("read")),
            extensions={"http_version": answer.http_version, "reason_phrase": answer.reason, "network_stream": network_stream},
        )
        response.headers = answer.headers  # bytes pairs already: given to the constructor, each would be checked again
        return response

    def _connect(self, timeout: float | None, sni_hostname: str | None) -> None:
        host = self._origin.host.decode("ascii")
        try:
            stream = self._backend.connect_tcp(
                host, self._origin.port, timeout=timeout, socket_options=self._socket_options
            )
            if self._origin.scheme in (b"https", b"wss"):
                context = self._ssl_context
                if context is None:
                    import httpx2

                    context = httpx2.create_ssl_context()
                    context.set_alpn_protocols(["http/1.1"])
                    self._ssl_context = context
                stream = stream.start_tls(context, server_hostname=sni_hostname or host, timeout=timeout)
        except BaseException:
            self._connect_failed = True
            raise
        self._stream = stream
        self._sock = stream.get_extra_info("socket")

    def _settimeout(self, timeout: float | None) -> None:
        if timeout != self._timeout:
            self._sock.settimeout(timeout)
            self._timeout = timeout

    def _write(self, data: bytes, timeout: float | None) -> None:
        self._settimeout(timeout)
        try:
            self._sock.sendall(data)
        except TimeoutError as exc:
            raise WriteTimeout(str(exc) or "timed out") from exc
        except OSError as exc:
            raise WriteError(str(exc)) from exc

    def read(self, size: int, timeout: float | None) -> bytes:
        self._settimeout(timeout)
        try:
            return self._sock.recv(size)
        except TimeoutError as exc:
            raise ReadTimeout(str(exc) or "timed out") from exc
        except OSError as exc:
            raise ReadError(str(exc)) from exc

    def _send(self, head: bytes, length: int | None, body: Any, timeout: float | None) -> None:
        """The head and the body; `length` None: chunked (an upload of unknown length)."""
        pending: bytes | None = head  # the head, until it can go out with the first chunk
        sent = 0
        for chunk in body:
            if not chunk:
                continue  # (an empty chunk would end a chunked body)
            if length is None:
                chunk = b"%x\r\n%b\r\n" % (len(chunk), chunk)
            else:
                sent += len(chunk)
                if sent > length:
                    raise LocalProtocolError("The request body is longer than its Content-Length")
            if pending is not None:
                if len(chunk) <= _COALESCE:
                    chunk = pending + chunk
                else:
                    self._write(pending, timeout)
                pending = None
            self._write(chunk, timeout)
        if length is not None and sent != length:
            raise LocalProtocolError("The request body is shorter than its Content-Length")
        last = b"0\r\n\r\n" if length is None else b""
        if pending is not None:
            last = pending + last
        if last:
            self._write(last, timeout)

    def _receive_head(self, method: bytes, timeout: float | None) -> tuple[ResponseHead, bytes]:
        """The final response's head (interim 1xx answers skipped), and the bytes read past it."""
        buffer = b""
        searched = 0
        while True:
            end = buffer.find(b"\r\n\r\n", searched)
            if end < 0:
                if len(buffer) > MAX_HEAD_SIZE:
                    raise RemoteProtocolError("The response head is larger than 100 kB")
                searched = max(0, len(buffer) - 3)
                data = self.read(_READ_SIZE, timeout)
                if not data:
                    raise RemoteProtocolError("Server disconnected without sending a response.")
                buffer = buffer + data if buffer else data
                continue
            answer = parse_response_head(buffer[: end + 2], method)
            buffer = buffer[end + 4 :]
            if 100 <= answer.status < 200 and answer.status != 101:
                searched = 0  # `100 Continue` and friends: the answer follows
                continue
            return answer, buffer

    def response_closed(self, reusable: bool) -> None:
        with self._lock:
            if reusable and self._state is _ACTIVE:
                self._state = _IDLE
                if self._keepalive_expiry is not None:
                    self._expire_at = time.monotonic() + self._keepalive_expiry
                return
        self.close()

    # -- what the pool asks ----------------------------------------------------------------------

    def close(self) -> None:
        self._state = _CLOSED
        stream = self._stream
        if stream is not None:
            stream.close()

    def can_handle_request(self, origin: Origin) -> bool:
        return origin == self._origin

    def is_connected(self) -> bool:
        return self._stream is not None and self._state is not _CLOSED

    def is_available(self) -> bool:
        return self._state is _IDLE

    def has_expired(self) -> bool:
        if self._stream is None:
            return self._connect_failed
        expire_at = self._expire_at
        if expire_at is not None and time.monotonic() > expire_at:
            return True
        # an idle HTTP/1.1 connection has nothing to read, unless the server closed it (or broke the protocol)
        return self._state is _IDLE and bool(self._stream.get_extra_info("is_readable"))

    def is_idle(self) -> bool:
        if self._stream is None:
            return self._connect_failed
        return self._state is _IDLE

    def is_closed(self) -> bool:
        if self._stream is None:
            return self._connect_failed or self._state is _CLOSED
        return self._state is _CLOSED

    def info(self) -> str:
        return f"{str(self._origin)!r}, HTTP/1.1, {self._state}, Request Count: {self._request_count}"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.info()}]>"


class _Body:
    """A response body, in the blocks the socket gave (a chunked body's chunks joined per block).

    The connection goes back to the pool when the body is closed after being read to its end
    (the bytes are all off the socket, even if the last block was not taken); otherwise it is closed.
    """

    __slots__ = ("_buffered", "_closed", "_complete", "_connection", "_head", "_timeout")

    def __init__(self, connection: LeanConnection, head: ResponseHead, buffered: bytes, timeout: float | None) -> None:
        self._connection = connection
        self._head = head
        self._buffered = buffered
        self._timeout = timeout
        self._complete = False
        self._closed = False

    def __iter__(self) -> Iterator[bytes]:
        length = self._head.length
        try:
            if length >= 0:
                yield from self._fixed(length)
            elif length == CHUNKED:
                yield from self._chunked()
            elif length == CLOSE_DELIMITED:
                yield from self._until_close()
            else:
                self._complete = length == NO_BODY and not self._buffered
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            head = self._head
            if self._complete or (head.length == NO_BODY and not self._buffered):
                self._connection.response_closed(head.keep_alive and head.status != 101)
            else:
                self._connection.close()

    def _fixed(self, length: int) -> Iterator[bytes]:
        block, self._buffered = self._buffered, b""
        clean = len(block) <= length  # more bytes than announced: the connection is not reused
        if not clean:
            block = block[:length]
        remaining = length - len(block)
        if block:
            self._complete = remaining == 0 and clean
            yield block
        read, timeout = self._connection.read, self._timeout
        while remaining:
            block = read(min(remaining, _READ_SIZE), timeout)
            if not block:
                raise RemoteProtocolError(
                    f"peer closed connection without sending complete message body: "
                    f"received {length - remaining} bytes, expected {length}"
                )
            remaining -= len(block)
            self._complete = remaining == 0
            yield block
        self._complete = clean

    def _chunked(self) -> Iterator[bytes]:
        buffer, self._buffered = self._buffered, b""
        read, timeout, hex_size = self._connection.read, self._timeout, _HEX.fullmatch
        pos = 0
        left = 0  # bytes of the current chunk's data still to come
        after_data = False  # the CRLF after a chunk's data is still to come
        in_trailer = False  # past the last chunk: trailer lines until a blank one
        while True:
            out: list[bytes] = []
            size = len(buffer)
            while True:
                if left:
                    if size - pos >= left:
                        out.append(buffer[pos : pos + left])
                        pos += left
                        left = 0
                        after_data = True
                    else:
                        if pos < size:
                            out.append(buffer[pos:])
                            left -= size - pos
                            pos = size
                        break
                if after_data:
                    if size - pos < 2:
                        break
                    if buffer[pos : pos + 2] != b"\r\n":
                        raise RemoteProtocolError("Malformed chunked body: chunk data not followed by CRLF")
                    pos += 2
                    after_data = False
                end = buffer.find(b"\r\n", pos)
                if end < 0:
                    if size - pos > 4096:
                        raise RemoteProtocolError("Malformed chunked body: chunk size line too long")
                    break
                if in_trailer:
                    if end == pos:  # the blank line: the body is complete
                        self._complete = pos + 2 == size  # anything after it: the connection is not reusable
                        if out:
                            yield out[0] if len(out) == 1 else b"".join(out)
                        return
                    pos = end + 2
                    continue
                field = buffer[pos:end]
                semicolon = field.find(b";")
                if semicolon >= 0:
                    field = field[:semicolon]
                field = field.strip(b" \t")
                if hex_size(field) is None:
                    raise RemoteProtocolError(f"Malformed chunked body: bad chunk size {field[:20]!r}")
                pos = end + 2
                left = int(field, 16)
                in_trailer = left == 0
            if out:
                yield out[0] if len(out) == 1 else b"".join(out)
            data = read(_READ_SIZE, timeout)
            if not data:
                raise RemoteProtocolError("peer closed connection without sending complete message body: incomplete chunked read")
            buffer = buffer[pos:] + data if pos < size else data
            pos = 0

    def _until_close(self) -> Iterator[bytes]:
        block, self._buffered = self._buffered, b""
        if block:
            yield block
        read, timeout = self._connection.read, self._timeout
        while True:
            block = read(_READ_SIZE, timeout)
            if not block:
                break
            yield block
        self._complete = True


class _UpgradedStream(NetworkStream):
    """The socket after a `101 Switching Protocols`, the bytes that came with the head read first."""

    def __init__(self, stream: NetworkStream, leading: bytes) -> None:
        self._stream = stream
        self._leading = leading

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        if self._leading:
            data, self._leading = self._leading[:max_bytes], self._leading[max_bytes:]
            return data
        return self._stream.read(max_bytes, timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, timeout)

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None) -> NetworkStream:
        return self._stream.start_tls(ssl_context, server_hostname, timeout)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)
