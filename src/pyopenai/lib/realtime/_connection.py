"""What every WebSocket connection does, whatever its events: send, receive, listen, reconnect, close.

Sending: `send(event)` takes a dict or a model and sends it as one JSON text message. While the
connection is being re-established, messages wait in a queue bounded in bytes
(`max_queue_size`); a message that does not fit raises `WebSocketQueueFullError`.

Receiving: `recv()` returns the next server event as a typed model (`recv_bytes()` the raw
message); `for event in connection` / `async for` yields them until the connection closes. A
normal close (1000/1001, or one you asked for) ends the iteration; any other close raises
`WebSocketConnectionClosedError` with the close code and reason (1006: the peer vanished without a
close frame). The API's `error` events are events like any other: they never raise by themselves.

Listening: `on(type, handler)` (also a decorator), `once`, `off`; the type `"event"` receives every
event. Handlers run in `dispatch_events()`, which receives until the connection closes and calls
them in order (awaiting async handlers on the async connection); an `error` event nobody listens to
raises `OpenAIError` there. Iterating and `recv()` do not call handlers.

Reconnecting (only when `on_reconnecting=` is given): after an abnormal close (1001, 1005, 1006,
1011-1014) the connection opens again, at most `max_retries` times per outage, waiting
`initial_delay * 2**(attempt-1)` seconds (capped at `max_delay`, minus up to 25% jitter). Before
each attempt `on_reconnecting(ReconnectingEvent)` is called; it may return
`{"extra_query": ..., "extra_headers": ..., "abort": True}`. The key is resolved again. Queued
messages are sent first, in order, on the new connection. A server event other than `error`
received afterwards ends the outage (the attempt count starts again).
"""

from __future__ import annotations

import inspect
import json
import logging
import random
import threading
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypedDict, TypeVar, cast, overload

from ..._exceptions import APIConnectionError, APIStatusError, OpenAIError
from ..._models import BaseModel, parse_json
from ..._serialize import json_default, to_jsonable
from ..._types import Omit, is_given
from ._errors import WebSocketConnectionClosedError, WebSocketQueueFullError
from ._transport import ABNORMAL_CLOSURE, GOING_AWAY, NORMAL_CLOSURE, SocketClosed

if TYPE_CHECKING:
    from ._endpoint import AsyncOpener, SyncOpener
    from ._transport import AsyncSocket, SyncSocket

__all__ = [
    "AsyncConnection",
    "AsyncConnectionManager",
    "ReconnectingEvent",
    "ReconnectingOverrides",
    "SyncConnection",
    "SyncConnectionManager",
]

log = logging.getLogger("pyopenai.realtime")

ParamT = TypeVar("ParamT")  # what `send()` takes: the endpoint's client events (TypedDicts or models)
EventT = TypeVar("EventT")  # what `recv()` returns: the endpoint's server event union
ConnT = TypeVar("ConnT")
Handler = Callable[[Any], Any]
F = TypeVar("F", bound=Handler)
Query = Mapping[str, object]
Headers = Mapping[str, "str | Omit"]

# closes worth reconnecting after (RFC 6455 section 7.4.1 and the IANA registry)
_RECOVERABLE = frozenset({GOING_AWAY, 1005, ABNORMAL_CLOSURE, 1011, 1012, 1013, 1014})
_QUIET = frozenset({NORMAL_CLOSURE, GOING_AWAY})  # closes that end an iteration without an error


@dataclass(frozen=True)
class ReconnectingEvent:
    """What `on_reconnecting` is told before each attempt."""

    attempt: int
    """1 for the first attempt after a drop."""
    max_attempts: int
    delay: float
    """Seconds waited before this attempt connects."""
    close_code: int
    """The close code that ended the previous connection (1006 when it was lost)."""
    extra_query: Query
    extra_headers: Headers


class ReconnectingOverrides(TypedDict, total=False):
    """What `on_reconnecting` may return (or `None`): new query or headers for the next attempt, or stop."""

    extra_query: Query
    extra_headers: Headers
    abort: bool


@dataclass
class Policy:
    on_reconnecting: Callable[[ReconnectingEvent], ReconnectingOverrides | None] | None = None
    max_retries: int = 5
    initial_delay: float = 0.5
    max_delay: float = 8.0

    def delay(self, attempt: int) -> float:
        base = min(self.initial_delay * 2.0 ** (attempt - 1), self.max_delay)
        return base * (1 - 0.25 * random.random())


def encode_event(event: object) -> str:
    """A client event (a dict or a model) as the JSON text the API reads."""
    if isinstance(event, BaseModel):
        return event.to_json(indent=None)
    if isinstance(event, Mapping):
        mapping = cast("Mapping[str, object]", event)
        body: object = {k: v for k, v in mapping.items() if is_given(v)}
    elif hasattr(event, "model_dump"):  # a pydantic model
        body = to_jsonable(event)
    else:
        raise TypeError(f"an event is a dict or a model, got {type(event).__name__}")
    return json.dumps(body, default=json_default, separators=(",", ":"))


def _event_type(event: object) -> object:
    if isinstance(event, dict):
        return cast("dict[str, object]", event).get("type")
    return getattr(event, "type", None)


def _error_text(event: object) -> str:
    error = getattr(event, "error", None)
    message = getattr(error, "message", None) if error is not None else None
    return str(message) if message else str(event)


class SendQueue:
    """Messages waiting for a connection, bounded by their total size in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: deque[str | bytes] = deque()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._items)

    def push(self, data: str | bytes, *, front: bool = False) -> None:
        size = len(data.encode() if isinstance(data, str) else data)
        if not front and self._bytes + size > self.max_bytes:
            raise WebSocketQueueFullError(
                f"the WebSocket send queue is full ({self._bytes} of {self.max_bytes} bytes used): "
                f"the {size}-byte message was not queued"
            )
        if front:
            self._items.appendleft(data)
        else:
            self._items.append(data)
        self._bytes += size

    def pop(self) -> str | bytes | None:
        if not self._items:
            return None
        data = self._items.popleft()
        self._bytes -= len(data.encode() if isinstance(data, str) else data)
        return data

    def drain(self) -> list[str | bytes]:
        items = list(self._items)
        self._items.clear()
        self._bytes = 0
        return items


class Handlers:
    """Listeners by event type (`"event"`: every event), in registration order."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_type: dict[str, list[tuple[Handler, bool]]] = {}

    def add(self, event_type: str, handler: Handler, *, once: bool = False) -> None:
        with self._lock:
            self._by_type.setdefault(event_type, []).append((handler, once))

    def remove(self, event_type: str, handler: Handler) -> None:
        with self._lock:
            entries = self._by_type.get(event_type, [])
            for i, (fn, _) in enumerate(entries):
                if fn is handler:
                    del entries[i]
                    return

    def take(self, event_type: str) -> list[Handler]:
        """The handlers to call for one event of this type (`once` handlers are removed)."""
        with self._lock:
            entries = self._by_type.get(event_type)
            if not entries:
                return []
            self._by_type[event_type] = [e for e in entries if not e[1]]
            return [fn for fn, _ in entries]

    def has(self, event_type: str) -> bool:
        with self._lock:
            return bool(self._by_type.get(event_type))

    def copy_into(self, other: Handlers) -> None:
        with self._lock:
            for event_type, entries in self._by_type.items():
                for fn, once in entries:
                    other.add(event_type, fn, once=once)


class _Listening:
    """`on` / `once` / `off`, shared by connections and their managers."""

    _handlers: Handlers

    @overload
    def on(self, event_type: str) -> Callable[[F], F]: ...
    @overload
    def on(self, event_type: str, handler: Handler) -> Any: ...
    def on(self, event_type: str, handler: Handler | None = None) -> Any:
        """Call `handler(event)` for each event of `event_type` (`"event"`: all) during `dispatch_events()`.

        `connection.on("response.output_text.delta", fn)` returns the connection (chainable);
        `@connection.on("response.done")` is the decorator form.
        """
        return self._register(event_type, handler, once=False)

    @overload
    def once(self, event_type: str) -> Callable[[F], F]: ...
    @overload
    def once(self, event_type: str, handler: Handler) -> Any: ...
    def once(self, event_type: str, handler: Handler | None = None) -> Any:
        """Like `on`, for the next such event only."""
        return self._register(event_type, handler, once=True)

    def off(self, event_type: str, handler: Handler) -> Any:
        """Remove a handler added with `on` or `once`."""
        self._handlers.remove(event_type, handler)
        return self

    def _register(self, event_type: str, handler: Handler | None, *, once: bool) -> Any:
        if handler is not None:
            self._handlers.add(event_type, handler, once=once)
            return self

        def decorator(fn: F) -> F:
            self._handlers.add(event_type, fn, once=once)
            return fn

        return decorator


class _Base(_Listening, Generic[ParamT, EventT]):
    """The parts that do not wait on I/O."""

    def __init__(self, *, policy: Policy, queue: SendQueue, extra_query: Query, extra_headers: Headers) -> None:
        self._policy = policy
        self._queue = queue
        self._extra_query = extra_query
        self._extra_headers = extra_headers
        self._handlers = Handlers()
        self._attempt = 0
        self._reconnecting = False
        self._user_closed = False
        self.unsent_messages: list[str | bytes] = []
        """Messages that were queued when `close()` was called (never sent)."""

    def parse_event(self, data: str | bytes) -> EventT:
        """A raw message (from `recv_bytes()`) as the typed server event `recv()` would return."""
        return cast(EventT, parse_json(self._union(), data))

    def _union(self) -> Any:
        """The server-event union messages are parsed into (each connection class names its own)."""
        raise NotImplementedError

    def _note_progress(self, data: str | bytes) -> None:
        if not self._attempt:
            return
        try:
            event_type = _event_type(json.loads(data))
        except ValueError:
            return
        if isinstance(event_type, str) and event_type != "error":
            self._attempt = 0

    def _can_reconnect(self, code: int) -> bool:
        return self._policy.on_reconnecting is not None and code in _RECOVERABLE and not self._user_closed

    def _next_attempt(self, code: int) -> float | None:
        """Ask `on_reconnecting` about the next attempt: the delay before it, or None to give up."""
        policy = self._policy
        if self._attempt >= policy.max_retries or policy.on_reconnecting is None:
            return None
        self._attempt += 1
        delay = policy.delay(self._attempt)
        event = ReconnectingEvent(
            attempt=self._attempt,
            max_attempts=policy.max_retries,
            delay=delay,
            close_code=code,
            extra_query=self._extra_query,
            extra_headers=self._extra_headers,
        )
        overrides = policy.on_reconnecting(event)
        if overrides:
            if overrides.get("abort"):
                return None
            if "extra_query" in overrides:
                self._extra_query = overrides["extra_query"]
            if "extra_headers" in overrides:
                self._extra_headers = overrides["extra_headers"]
        log.info("Reconnecting (attempt %d of %d) in %.2fs after close code %d", self._attempt, policy.max_retries, delay, code)
        return delay

    def _closed_error(self, closed: SocketClosed, unsent: list[str | bytes]) -> WebSocketConnectionClosedError:
        detail = f"code {closed.code}" + (f": {closed.reason}" if closed.reason else "")
        if closed.code == ABNORMAL_CLOSURE and not closed.reason:
            detail = "code 1006: the connection was lost without a close frame"
        message = f"The WebSocket connection closed ({detail})"
        if unsent:
            message += f" with {len(unsent)} message(s) unsent"
        return WebSocketConnectionClosedError(message, code=closed.code, reason=closed.reason, unsent_messages=unsent)

    def _ends_quietly(self, error: WebSocketConnectionClosedError) -> bool:
        return not error.unsent_messages and (self._user_closed or error.code in _QUIET)


def _retryable_handshake(error: Exception) -> bool:
    if isinstance(error, APIStatusError):
        return error.status_code in (408, 409, 429) or error.status_code >= 500
    return isinstance(error, APIConnectionError)


# -- sync -------------------------------------------------------------------------------------------


class SyncConnection(_Base[ParamT, EventT]):
    """A live sync WebSocket connection (see the module docstring). Safe to `send` from other threads."""

    def __init__(
        self,
        socket: SyncSocket,
        opener: SyncOpener,
        *,
        policy: Policy,
        queue: SendQueue,
        extra_query: Query,
        extra_headers: Headers,
    ) -> None:
        super().__init__(policy=policy, queue=queue, extra_query=extra_query, extra_headers=extra_headers)
        self._socket = socket
        self._opener = opener
        self._lock = threading.RLock()
        self._closing = threading.Event()

    @property
    def response_headers(self) -> Any:
        """The handshake response's headers (e.g. `x-request-id`)."""
        return self._socket.response_headers

    def send(self, event: ParamT) -> None:
        """Send a client event: a dict (`{"type": "session.update", ...}`) or a model."""
        self.send_raw(encode_event(event))

    def _send_event(self, body: Mapping[str, object]) -> None:
        """What the namespace helpers (`connection.session.update(...)`) send through."""
        self.send_raw(encode_event(body))

    def send_raw(self, data: str | bytes) -> None:
        """Send a message as is (`str`: a text frame, `bytes`: a binary frame)."""
        with self._lock:
            if self._user_closed:
                raise WebSocketConnectionClosedError("The WebSocket connection is closed", code=NORMAL_CLOSURE)
            if self._reconnecting or len(self._queue):
                self._queue.push(data)  # keeps the order: what waits goes first
                return
            socket = self._socket
        try:
            socket.send(data)
        except SocketClosed as closed:
            if self._can_reconnect(closed.code):
                with self._lock:
                    self._queue.push(data)  # sent once the connection is back (`recv()` reconnects)
                return
            raise self._closed_error(closed, [data]) from None

    def recv(self) -> EventT:
        """The next server event, typed. Raises `WebSocketConnectionClosedError` once the connection is closed."""
        return self.parse_event(self.recv_bytes())

    def recv_bytes(self) -> bytes:
        """The next message as raw bytes (UTF-8 for text messages)."""
        while True:
            socket = self._socket
            try:
                data = socket.recv()
            except SocketClosed as closed:
                if self._reconnect(closed.code):
                    continue
                with self._lock:
                    unsent = [] if self._user_closed else self._queue.drain()
                raise self._closed_error(closed, unsent) from None
            self._note_progress(data)
            return data.encode() if isinstance(data, str) else data

    def __iter__(self) -> Iterator[EventT]:
        """Server events until the connection closes (a normal close ends the loop quietly)."""
        while True:
            try:
                yield self.recv()
            except WebSocketConnectionClosedError as error:
                if self._ends_quietly(error):
                    return
                raise

    def dispatch_events(self) -> None:
        """Receive until the connection closes, calling the `on()` handlers for each event."""
        for event in self:
            event_type = str(_event_type(event))
            specific = self._handlers.take(event_type)
            general = self._handlers.take("event")
            if event_type == "error" and not specific and not general:
                raise OpenAIError(f"The API sent an error event: {_error_text(event)}")
            for handler in (*specific, *general):
                handler(event)

    def close(self, *, code: int = NORMAL_CLOSURE, reason: str = "") -> None:
        """Close the connection (sends a close frame with `code` and `reason`). Idempotent."""
        with self._lock:
            self._user_closed = True
            self._closing.set()
            self.unsent_messages.extend(self._queue.drain())
            socket = self._socket
        socket.close(code, reason)

    def _reconnect(self, code: int) -> bool:
        if not self._can_reconnect(code):
            return False
        with self._lock:
            self._reconnecting = True
        try:
            while True:
                delay = self._next_attempt(code)
                if delay is None or self._closing.wait(delay):
                    return False
                try:
                    socket = self._opener(self._extra_query, self._extra_headers)
                except (APIConnectionError, APIStatusError) as error:
                    if not _retryable_handshake(error):
                        raise
                    log.info("Reconnect attempt %d failed: %s", self._attempt, error)
                    continue
                with self._lock:
                    if self._user_closed:
                        socket.close()
                        return False
                    self._socket = socket
                if self._flush():
                    return True
                code = socket.closed.code if socket.closed is not None else ABNORMAL_CLOSURE
        finally:
            with self._lock:
                self._reconnecting = False

    def _flush(self) -> bool:
        """Send what waits in the queue; False if the new socket closed meanwhile."""
        while True:
            with self._lock:
                data = self._queue.pop()
                socket = self._socket
            if data is None:
                return True
            try:
                socket.send(data)
            except SocketClosed:
                with self._lock:
                    self._queue.push(data, front=True)
                return False

    def _start(self) -> None:
        """Send what was queued before the connection opened (`manager.send(...)`)."""
        if not self._flush():
            closed = self._socket.closed or SocketClosed(ABNORMAL_CLOSURE)
            raise self._closed_error(closed, self._queue.drain())


class SyncConnectionManager(_Listening, Generic[ParamT, ConnT]):
    """What `connect()` returns: `with ... as connection`, or `.enter()` (then `connection.close()`).

    `send()` and `on()` may be called before connecting: the messages are sent, and the handlers
    registered, as soon as the connection opens.
    """

    def __init__(
        self,
        factory: Callable[[SyncSocket, SyncOpener, Policy, SendQueue], ConnT],
        opener: SyncOpener,
        *,
        policy: Policy,
        max_queue_size: int,
        extra_query: Query,
        extra_headers: Headers,
    ) -> None:
        self._factory = factory
        self._opener = opener
        self._policy = policy
        self._queue = SendQueue(max_queue_size)
        self._handlers = Handlers()
        self._extra_query = extra_query
        self._extra_headers = extra_headers
        self._connection: ConnT | None = None

    def send(self, event: ParamT) -> None:
        """Queue a client event to be sent first once the connection opens."""
        self._queue.push(encode_event(event))

    def __enter__(self) -> ConnT:
        socket = self._opener(self._extra_query, self._extra_headers)
        try:
            connection = self._factory(socket, self._opener, self._policy, self._queue)
            base = cast("SyncConnection[Any, Any]", connection)
            self._handlers.copy_into(base._handlers)
            base._start()  # pyright: ignore[reportPrivateUsage]
        except BaseException:
            socket.close()
            raise
        self._connection = connection
        return connection

    enter = __enter__

    def __exit__(self, *exc: object) -> None:
        connection = self._connection
        if connection is not None:
            self._connection = None
            cast("SyncConnection[Any, Any]", connection).close()


# -- async ------------------------------------------------------------------------------------------


class AsyncConnection(_Base[ParamT, EventT]):
    """A live async WebSocket connection (see the module docstring). One task receives; any may send."""

    def __init__(
        self,
        socket: AsyncSocket,
        opener: AsyncOpener,
        *,
        policy: Policy,
        queue: SendQueue,
        extra_query: Query,
        extra_headers: Headers,
    ) -> None:
        super().__init__(policy=policy, queue=queue, extra_query=extra_query, extra_headers=extra_headers)
        self._socket = socket
        self._opener = opener
        self._closing: Any = None  # an anyio.Event, made on first use (it needs a running event loop)

    @property
    def response_headers(self) -> Any:
        """The handshake response's headers (e.g. `x-request-id`)."""
        return self._socket.response_headers

    async def send(self, event: ParamT) -> None:
        """Send a client event: a dict (`{"type": "session.update", ...}`) or a model."""
        await self.send_raw(encode_event(event))

    async def _send_event(self, body: Mapping[str, object]) -> None:
        await self.send_raw(encode_event(body))

    async def send_raw(self, data: str | bytes) -> None:
        """Send a message as is (`str`: a text frame, `bytes`: a binary frame)."""
        if self._user_closed:
            raise WebSocketConnectionClosedError("The WebSocket connection is closed", code=NORMAL_CLOSURE)
        if self._reconnecting or len(self._queue):
            self._queue.push(data)
            return
        try:
            await self._socket.send(data)
        except SocketClosed as closed:
            if self._can_reconnect(closed.code):
                self._queue.push(data)
                return
            raise self._closed_error(closed, [data]) from None

    async def recv(self) -> EventT:
        """The next server event, typed. Raises `WebSocketConnectionClosedError` once the connection is closed."""
        return self.parse_event(await self.recv_bytes())

    async def recv_bytes(self) -> bytes:
        """The next message as raw bytes (UTF-8 for text messages)."""
        while True:
            try:
                data = await self._socket.recv()
            except SocketClosed as closed:
                if await self._reconnect(closed.code):
                    continue
                unsent = [] if self._user_closed else self._queue.drain()
                raise self._closed_error(closed, unsent) from None
            self._note_progress(data)
            return data.encode() if isinstance(data, str) else data

    async def __aiter__(self) -> AsyncIterator[EventT]:
        """Server events until the connection closes (a normal close ends the loop quietly)."""
        while True:
            try:
                yield await self.recv()
            except WebSocketConnectionClosedError as error:
                if self._ends_quietly(error):
                    return
                raise

    async def dispatch_events(self) -> None:
        """Receive until the connection closes, calling (and awaiting) the `on()` handlers for each event."""
        async for event in self:
            event_type = str(_event_type(event))
            specific = self._handlers.take(event_type)
            general = self._handlers.take("event")
            if event_type == "error" and not specific and not general:
                raise OpenAIError(f"The API sent an error event: {_error_text(event)}")
            for handler in (*specific, *general):
                result = handler(event)
                if inspect.isawaitable(result):
                    await cast("Awaitable[object]", result)

    async def close(self, *, code: int = NORMAL_CLOSURE, reason: str = "") -> None:
        """Close the connection (sends a close frame with `code` and `reason`). Idempotent."""
        self._user_closed = True
        if self._closing is not None:
            self._closing.set()
        self.unsent_messages.extend(self._queue.drain())
        await self._socket.close(code, reason)

    async def _reconnect(self, code: int) -> bool:
        import anyio

        if not self._can_reconnect(code):
            return False
        self._reconnecting = True
        if self._closing is None:
            self._closing = anyio.Event()
        try:
            while True:
                delay = self._next_attempt(code)
                if delay is None:
                    return False
                with anyio.move_on_after(delay):
                    await self._closing.wait()
                if self._user_closed:
                    return False
                try:
                    socket = await self._opener(self._extra_query, self._extra_headers)
                except (APIConnectionError, APIStatusError) as error:
                    if not _retryable_handshake(error):
                        raise
                    log.info("Reconnect attempt %d failed: %s", self._attempt, error)
                    continue
                if self._user_closed:
                    await socket.close()
                    return False
                self._socket = socket
                if await self._flush():
                    return True
                code = socket.closed.code if socket.closed is not None else ABNORMAL_CLOSURE
        finally:
            self._reconnecting = False

    async def _flush(self) -> bool:
        while True:
            data = self._queue.pop()
            if data is None:
                return True
            try:
                await self._socket.send(data)
            except SocketClosed:
                self._queue.push(data, front=True)
                return False

    async def _start(self) -> None:
        if not await self._flush():
            closed = self._socket.closed or SocketClosed(ABNORMAL_CLOSURE)
            raise self._closed_error(closed, self._queue.drain())


class AsyncConnectionManager(_Listening, Generic[ParamT, ConnT]):
    """What `connect()` returns: `async with ... as connection`, or `await .enter()` (then `await connection.close()`)."""

    def __init__(
        self,
        factory: Callable[[AsyncSocket, AsyncOpener, Policy, SendQueue], ConnT],
        opener: AsyncOpener,
        *,
        policy: Policy,
        max_queue_size: int,
        extra_query: Query,
        extra_headers: Headers,
    ) -> None:
        self._factory = factory
        self._opener = opener
        self._policy = policy
        self._queue = SendQueue(max_queue_size)
        self._handlers = Handlers()
        self._extra_query = extra_query
        self._extra_headers = extra_headers
        self._connection: ConnT | None = None

    def send(self, event: ParamT) -> None:
        """Queue a client event to be sent first once the connection opens."""
        self._queue.push(encode_event(event))

    async def __aenter__(self) -> ConnT:
        socket = await self._opener(self._extra_query, self._extra_headers)
        try:
            connection = self._factory(socket, self._opener, self._policy, self._queue)
            base = cast("AsyncConnection[Any, Any]", connection)
            self._handlers.copy_into(base._handlers)
            await base._start()  # pyright: ignore[reportPrivateUsage]
        except BaseException:
            await socket.close()
            raise
        self._connection = connection
        return connection

    enter = __aenter__

    async def __aexit__(self, *exc: object) -> None:
        connection = self._connection
        if connection is not None:
            self._connection = None
            await cast("AsyncConnection[Any, Any]", connection).close()

