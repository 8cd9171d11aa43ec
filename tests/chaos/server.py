"""A loopback HTTP/1.1 server that misbehaves on purpose, at the byte level.

Plain sockets and threads (no HTTP library on the server side), so a test can do what no
well-behaved server does: reset a connection mid-body, stall after the headers, cut a chunked
stream, send HTML where JSON belongs, or send far too much.

    with ChaosServer() as server:
        server.script(status(503), status(503), json_body({"id": "x"}))   # one action per request
        client = OpenAI(base_url=server.url, api_key="sk-test")
        ...
        assert server.attempts == 3

Each request is answered by the next scripted action (the last one repeats). An action is a
function of an `Exchange`: it writes whatever bytes it likes and may close or reset the socket.
The server counts requests (`attempts`) and open connections (`open_connections`), and every
wait it does is on its stop event, so `stop()` ends everything at once.
"""

from __future__ import annotations

import json
import select
import socket
import struct
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Action",
    "ChaosServer",
    "big_body",
    "Exchange",
    "body_then_reset",
    "chunked",
    "drip",
    "huge_json",
    "json_body",
    "many_events",
    "raw",
    "reset",
    "route",
    "sse",
    "stall_after_headers",
    "status",
]

MAX_HEAD = 1024 * 1024
KEEP_BODY_LIMIT = 8 * 1024 * 1024  # bodies above this are counted and discarded, not kept


class _Closed(Exception):
    """The peer (or `stop()`) closed the connection."""


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""
    body_size: int = 0


@dataclass
class Exchange:
    """One request on one connection, and the means to answer it (or not)."""

    server: ChaosServer
    sock: socket.socket
    request: Received
    attempt: int  # 0-based index of this request among all the server received
    keep_alive: bool = True
    closed: bool = field(default=False)

    def send(self, data: bytes | memoryview) -> None:
        self.sock.sendall(data)

    def close(self) -> None:
        """Close the connection with a FIN (the client sees EOF)."""
        self.keep_alive = False
        if not self.closed:
            self.closed = True
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.sock.close()

    def reset(self) -> None:
        """Close the connection with a RST (the client sees 'connection reset by peer')."""
        self.keep_alive = False
        if not self.closed:
            self.closed = True
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.sock.close()

    def wait(self, seconds: float) -> bool:
        """Wait up to `seconds`, ending early (True) when the client hangs up or the server stops.

        Waits on the socket itself, so a stalled answer does not outlive the client's interest in it
        (`stop()` shuts every socket down, which wakes this too).
        """
        if self.server.stopping.is_set():
            return True
        readable, _, _ = select.select([self.sock], [], [], seconds)
        if not readable:
            return False
        try:
            return not self.sock.recv(1, socket.MSG_PEEK)
        except OSError:
            return True


Action = Callable[[Exchange], None]


def _head(code: int, headers: Iterable[tuple[str, str]]) -> bytes:
    lines = [f"HTTP/1.1 {code} X"] + [f"{k}: {v}" for k, v in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def raw(code: int, body: bytes, headers: dict[str, str] | None = None, content_type: str = "application/json") -> Action:
    """A complete response with a Content-Length body."""

    def act(ex: Exchange) -> None:
        hdrs = {"content-type": content_type, "x-request-id": f"req_{ex.attempt}", **(headers or {})}
        hdrs["content-length"] = str(len(body))
        ex.send(_head(code, hdrs.items()) + body)

    return act


def json_body(obj: object, code: int = 200, headers: dict[str, str] | None = None) -> Action:
    return raw(code, json.dumps(obj).encode(), headers)


def status(code: int, headers: dict[str, str] | None = None, error_code: str | None = None) -> Action:
    """An API-shaped error response."""
    error = {"message": f"chaos {code}", "type": "server_error" if code >= 500 else "invalid_request_error",
             "code": error_code, "param": None}
    return json_body({"error": error}, code, headers)


def reset(read_body: bool = True) -> Action:
    """Reset the connection before any response byte."""

    def act(ex: Exchange) -> None:
        ex.reset()

    return act


def body_then_reset(code: int = 200, declared: int = 10_000, sent: int = 100) -> Action:
    """Headers announcing `declared` bytes, `sent` of them, then a reset."""

    def act(ex: Exchange) -> None:
        ex.send(_head(code, [("content-type", "application/json"), ("content-length", str(declared))]))
        ex.send(b'{"id": "' + b"x" * max(0, sent - 8))
        ex.reset()

    return act


def stall_after_headers(seconds: float = 30.0, code: int = 200) -> Action:
    """Headers, a few body bytes, then silence until `seconds` pass or the server stops."""

    def act(ex: Exchange) -> None:
        ex.send(_head(code, [("content-type", "application/json"), ("content-length", "1000")]) + b'{"id":')
        ex.wait(seconds)
        ex.close()

    return act


def drip(total: int = 200, every: float = 0.02) -> Action:
    """A body sent one byte at a time, `every` seconds apart: each read is quick, the whole is slow."""

    def act(ex: Exchange) -> None:
        ex.send(_head(200, [("content-type", "application/json"), ("content-length", str(total))]))
        for _ in range(total):
            if ex.wait(every):
                break
            try:
                ex.send(b" ")
            except OSError:
                break
        ex.close()

    return act


def chunked(pieces: Iterable[bytes] | Callable[[], Iterable[bytes]], *, code: int = 200, content_type: str = "text/event-stream",
            finish: bool = True, then_stall: float = 0.0, gap: float = 0.0) -> Action:
    """A chunked body; `finish=False` cuts it (no terminating chunk, connection closed).

    `pieces` may be a function returning them, so the action can answer more than one request.
    """

    def act(ex: Exchange) -> None:
        ex.send(_head(code, [("content-type", content_type), ("transfer-encoding", "chunked"),
                             ("x-request-id", f"req_{ex.attempt}")]))
        for piece in pieces() if callable(pieces) else pieces:
            if gap and ex.wait(gap):
                return
            ex.send(b"%x\r\n%s\r\n" % (len(piece), piece))
        if then_stall:
            ex.wait(then_stall)
        if finish:
            ex.send(b"0\r\n\r\n")
        else:
            ex.close()

    return act


def sse(events: Iterable[object], *, done: bool = True, **kw: Any) -> Action:
    """Server-sent events, one chunk per event, `data: [DONE]` at the end when `done`."""

    def pieces() -> Iterator[bytes]:
        for event in events:
            yield b"data: " + json.dumps(event, separators=(",", ":")).encode() + b"\n\n"
        if done:
            yield b"data: [DONE]\n\n"

    return chunked(pieces, **kw)


def huge_json(items: int) -> Action:
    """A large JSON list body (`{"object": "list", "data": [...]}`), sent chunked in 1 MB pieces."""

    def pieces() -> Iterator[bytes]:
        yield b'{"object":"list","data":['
        batch: list[bytes] = []
        for i in range(items):
            batch.append(b'%s{"object":"embedding","index":%d,"embedding":[0.125,0.25,0.5]}' % (b"," if i else b"", i))
            if len(batch) == 10_000:
                yield b"".join(batch)
                batch = []
        if batch:
            yield b"".join(batch)
        yield b'],"model":"m","usage":{"prompt_tokens":1,"total_tokens":1}}'

    return chunked(pieces, content_type="application/json")


def big_body(size: int, piece: int = 1024 * 1024) -> Action:
    """`size` bytes of zeros with a Content-Length, written a piece at a time (nothing held whole)."""
    zeros = bytes(piece)

    def act(ex: Exchange) -> None:
        ex.send(_head(200, [("content-type", "application/octet-stream"), ("content-length", str(size))]))
        view = memoryview(zeros)
        left = size
        while left > 0:
            n = min(left, piece)
            ex.send(view[:n])
            left -= n

    return act


def many_events(count: int, event: object, batch: int = 1000) -> Action:
    """`count` identical SSE events then `[DONE]`, `batch` events per chunk."""
    line = b"data: " + json.dumps(event, separators=(",", ":")).encode() + b"\n\n"

    def pieces() -> Iterator[bytes]:
        for start in range(0, count, batch):
            yield line * min(batch, count - start)
        yield b"data: [DONE]\n\n"

    return chunked(pieces)


def route(table: dict[str, Action]) -> Action:
    """Answer by `"METHOD /path"` glob (first match wins); 404 for anything else."""
    import fnmatch

    def act(ex: Exchange) -> None:
        key = f"{ex.request.method} {ex.request.path}"
        for pattern, action in table.items():
            if fnmatch.fnmatchcase(key, pattern):
                action(ex)
                return
        status(404)(ex)

    return act


class ChaosServer:
    """See the module docstring. Binds 127.0.0.1 on a free port; `stop()` (or `with`) ends it."""

    def __init__(self, *actions: Action) -> None:
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(256)
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.stopping = threading.Event()
        self._lock = threading.Condition()
        self._actions: list[Action] = list(actions) or [json_body({"id": "ok", "object": "model"})]
        self.attempts = 0
        self.received: list[Received] = []
        self.open_connections = 0
        self.total_connections = 0
        self.errors: list[BaseException] = []
        self.body_read_pause = 0.0  # > 0: a slow reader of request bodies (256 KB per pause)
        self._sockets: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept_loop, name="chaos-accept", daemon=True)
        self._acceptor.start()

    # -- scripting ----------------------------------------------------------------------------

    def script(self, *actions: Action) -> None:
        """Answer the next requests with these actions, in order; the last one repeats."""
        with self._lock:
            self._actions = list(actions)
            self.attempts = 0
            self.received.clear()

    def _next_action(self) -> tuple[Action, int]:
        with self._lock:
            attempt = self.attempts
            self.attempts += 1
            self._lock.notify_all()
            return self._actions[min(attempt, len(self._actions) - 1)], attempt

    def wait_for_attempts(self, count: int, timeout: float = 5.0) -> bool:
        """Block until the server has received at least `count` requests."""
        with self._lock:
            return self._lock.wait_for(lambda: self.attempts >= count, timeout)

    def wait_for_connections(self, count: int = 0, timeout: float = 5.0) -> bool:
        """Block until at most `count` connections are open (the client let go of its sockets)."""
        with self._lock:
            return self._lock.wait_for(lambda: self.open_connections <= count, timeout)

    # -- lifecycle ----------------------------------------------------------------------------

    def __enter__(self) -> ChaosServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self, timeout: float = 5.0) -> None:
        self.stopping.set()
        try:
            self._listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._listener.close()
        with self._lock:
            sockets = list(self._sockets)
        for s in sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._acceptor.join(timeout)
        for t in list(self._threads):
            t.join(timeout)
        alive = [t.name for t in self._threads if t.is_alive()]
        if self._acceptor.is_alive() or alive:
            raise RuntimeError(f"chaos server threads did not stop: {alive}")

    # -- serving ------------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self.open_connections += 1
                self.total_connections += 1
                self._sockets.add(conn)
            thread = threading.Thread(target=self._serve, args=(conn,), name=f"chaos-conn-{self.total_connections}",
                                      daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        reader = _Reader(conn, self)
        try:
            while not self.stopping.is_set():
                try:
                    request = reader.request()
                except _Closed:
                    return
                action, attempt = self._next_action()
                with self._lock:
                    self.received.append(request)
                exchange = Exchange(self, conn, request, attempt)
                try:
                    action(exchange)
                except OSError:
                    return  # the client went away mid-answer: that is its right
                if not exchange.keep_alive or request.headers.get("connection", "").lower() == "close":
                    return
        except Exception as err:  # a bug in the server itself: keep it for the test to see
            self.errors.append(err)
        finally:
            try:
                conn.close()
            except OSError:
                pass
            with self._lock:
                self._sockets.discard(conn)
                self.open_connections -= 1
                self._lock.notify_all()


class _Reader:
    """Reads HTTP/1.1 requests off a socket: head, then a Content-Length or chunked body."""

    def __init__(self, sock: socket.socket, server: ChaosServer) -> None:
        self.sock = sock
        self.server = server
        self.buffer = b""

    def _fill(self) -> None:
        if self.server.body_read_pause and self.server.stopping.wait(self.server.body_read_pause):
            raise _Closed
        data = self.sock.recv(256 * 1024)
        if not data:
            raise _Closed
        self.buffer += data

    def _take(self, n: int) -> bytes:
        while len(self.buffer) < n:
            self._fill()
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def _line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            self._fill()
        line, _, self.buffer = self.buffer.partition(b"\r\n")
        return line

    def request(self) -> Received:
        try:
            while b"\r\n\r\n" not in self.buffer:
                if len(self.buffer) > MAX_HEAD:
                    raise _Closed
                self._fill()
        except OSError as err:
            raise _Closed from err
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        first, *lines = head.decode("latin-1").split("\r\n")
        method, target, _ = first.split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        received = Received(method, target.split("?")[0], headers)
        try:
            self._body(received)
        except OSError as err:
            raise _Closed from err
        return received

    def _body(self, received: Received) -> None:
        keep: list[bytes] = []
        kept = 0

        def add(data: bytes) -> None:
            nonlocal kept
            received.body_size += len(data)
            if kept + len(data) <= KEEP_BODY_LIMIT:
                keep.append(data)
                kept += len(data)

        if received.headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int(self._line().split(b";")[0], 16)
                if size == 0:
                    while self._line():
                        pass
                    break
                remaining = size
                while remaining:
                    if not self.buffer:
                        self._fill()
                    piece = self.buffer[:remaining]
                    self.buffer = self.buffer[len(piece):]
                    remaining -= len(piece)
                    add(piece)
                self._take(2)
        else:
            remaining = int(received.headers.get("content-length", "0") or 0)
            while remaining:
                if not self.buffer:
                    self._fill()
                piece = self.buffer[:remaining]
                self.buffer = self.buffer[len(piece):]
                remaining -= len(piece)
                add(piece)
        received.body = b"".join(keep)
