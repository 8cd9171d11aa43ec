"""Sessions over one `client.responses.connect()` connection: lanes by `stream_id`, final responses.

A session owns the connection's read side: one reader (a thread, or a task on the async session)
receives every message and queues it on its lane through the shared `Router`; lanes hand events
out (`recv`) and collect their response (`get_final_response`). Sends go straight to the socket in
use, never through the connection's reconnection queue (`_send_once`), so a request whose delivery
is uncertain is never replayed on a connection that has no state for it. Closing the session
closes the connection; closing a lane does not.
"""

# A lane and its session are one unit, and the connection's `_transport`/`_send_once`/`_ends_quietly`
# are hooks kept for this module: their private names are used across those classes on purpose.
# pyright: reportPrivateUsage=false

from __future__ import annotations

import asyncio
import threading
import time
import weakref
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

from typing_extensions import Self

from ..realtime._errors import WebSocketConnectionClosedError
from ._limits import ResponsesWebSocketLimits
from ._router import LaneState, Router

if TYPE_CHECKING:
    from ...types.responses.response import Response
    from ...types.responses.responses_client_event import ResponsesClientEvent
    from ...types.responses.responses_client_event_param import ResponsesClientEventParam
    from ...types.responses.responses_server_event import ResponsesServerEvent
    from ..realtime.responses import AsyncResponsesConnection, ResponsesConnection

__all__ = [
    "AsyncResponsesWebSocketLane",
    "AsyncResponsesWebSocketSession",
    "ResponsesWebSocketLane",
    "ResponsesWebSocketSession",
]

T = TypeVar("T")

_READER_JOIN_SECONDS = 10.0

# One session per connection: two readers would split its events between them.
_claimed: weakref.WeakSet[object] = weakref.WeakSet()
_claim_lock = threading.Lock()


def _claim(connection: object) -> None:
    with _claim_lock:
        if connection in _claimed:
            raise RuntimeError("This connection already has a WebSocket session")
        _claimed.add(connection)


def _release(connection: object) -> None:
    with _claim_lock:
        _claimed.discard(connection)


def _end_reason(connection: ResponsesConnection | AsyncResponsesConnection, error: BaseException) -> BaseException | None:
    """What lanes raise once the connection is gone: None (EOFError) after a normal close."""
    if isinstance(error, WebSocketConnectionClosedError) and connection._ends_quietly(error):
        return None
    return error


# -- sync -------------------------------------------------------------------------------------------


class ResponsesWebSocketLane:
    """The events of one `stream_id` (or of none: `session.default`). Use one consumer per lane.

    `recv(timeout=...)` never loses an event to a timeout; `close()` detaches the lane (its queued
    events are dropped, the socket stays open, later events for its id show on the default lane).
    """

    def __init__(self, session: ResponsesWebSocketSession, state: LaneState) -> None:
        self._session = session
        self._state = state

    @property
    def stream_id(self) -> str | None:
        return self._state.stream_id

    def send(self, event: ResponsesClientEvent | ResponsesClientEventParam) -> None:
        """Send a command on this lane. A `response.create` gets the lane's `stream_id`; other
        commands (steering) are sent as given. One create at a time: consume its terminal event first."""
        session = self._session
        with session._cond:
            data = session._router.prepare_send(self._state, event)
        session.connection._send_once(data)

    def recv(self, *, timeout: float | None = None) -> ResponsesServerEvent:
        """The lane's next event, typed. Raises `TimeoutError` after `timeout` seconds (nothing is
        consumed), `EOFError` once the lane is detached or the connection closed normally."""
        return self._until(lambda: self._session._router.take(self._state), timeout)

    def get_final_response(self, *, timeout: float | None = None) -> Response:
        """Consume the current response's remaining events and return it (also when `failed` or
        `incomplete`). An `error` event raises `ResponsesWebSocketError`. Called again, it returns the
        same response until another one begins on the lane."""
        return self._until(lambda: self._session._router.next_final(self._state), timeout)

    def close(self) -> None:
        """Detach the lane without closing the connection."""
        with self._session._cond:
            self._session._router.detach(self._state)
            self._session._cond.notify_all()

    def _until(self, step: Callable[[], T | None], timeout: float | None) -> T:
        """Run `step` under the session's lock until it gives a result, waiting for the reader between tries."""
        deadline = None if timeout is None else time.monotonic() + timeout
        cond = self._session._cond
        with cond:
            while (result := step()) is None:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    raise TimeoutError("Timed out waiting for a Responses WebSocket event")
                cond.wait(remaining)
            return result


class ResponsesWebSocketSession:
    """Lanes and final responses over one `client.responses.connect()` connection (sync).

    `with ResponsesWebSocketSession(connection, limits=...) as session:` starts its reader thread;
    from then on receive through lanes only (`session.lane("id")`, `session.default`), not the
    connection's `recv()`/iteration. Leaving the block closes the connection.
    `isolate_lane_overflow=True`: a lane past its budget loses its events, instead of the session
    ending for all lanes.
    """

    def __init__(
        self,
        connection: ResponsesConnection,
        *,
        limits: ResponsesWebSocketLimits,
        isolate_lane_overflow: bool = False,
    ) -> None:
        self.connection = connection
        self._router = Router(limits, isolate_lane_overflow=isolate_lane_overflow)
        self._cond = threading.Condition()
        self._reader: threading.Thread | None = None
        self._claimed = False
        self.default = ResponsesWebSocketLane(self, self._router.default)

    def __enter__(self) -> Self:
        with self._cond:
            if self._router.entered or self._router.closed:
                raise RuntimeError("A WebSocket session can only be entered once")
            _claim(self.connection)
            self._claimed = True
            self._router.entered = True
            self._router.note_transport(self.connection._transport())
        self._reader = threading.Thread(target=self._read, name="pyopenai-responses-websocket", daemon=True)
        self._reader.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        try:
            self.close()
        except Exception:
            if exc is None:
                raise

    def lane(self, stream_id: str | None = None) -> ResponsesWebSocketLane:
        """Register the lane of `stream_id` (1-256 of `A-Za-z0-9_.-`); None: a fresh default lane
        once the old one's id was released by a reconnection."""
        with self._cond:
            lane = ResponsesWebSocketLane(self, self._router.register(stream_id))
        if stream_id is None:
            self.default = lane
        return lane

    def close(self) -> None:
        """Close the connection and stop the reader. Idempotent."""
        with self._cond:
            if self._router.closed:
                return
            self._router.closed = True
            self._cond.notify_all()
        try:
            self.connection.close()
        finally:
            reader = self._reader
            if reader is not None and reader is not threading.current_thread():
                reader.join(_READER_JOIN_SECONDS)
                if reader.is_alive():
                    raise RuntimeError("The Responses WebSocket reader did not stop")
            if self._claimed:
                self._claimed = False
                _release(self.connection)

    def _read(self) -> None:
        connection = self.connection
        while True:
            try:
                data = connection.recv_bytes()
                event = connection.parse_event(data)
            except BaseException as error:
                with self._cond:
                    self._router.finish(_end_reason(connection, error))
                    self._cond.notify_all()
                return
            with self._cond:
                self._router.note_transport(connection._transport())
                ends = self._router.dispatch(event, len(data))
                self._cond.notify_all()
            if ends:
                connection.close()


# -- async ------------------------------------------------------------------------------------------


class AsyncResponsesWebSocketLane:
    """The async form of `ResponsesWebSocketLane`; bound a wait with `asyncio.timeout` /
    `asyncio.wait_for` (a cancelled wait consumes nothing)."""

    def __init__(self, session: AsyncResponsesWebSocketSession, state: LaneState) -> None:
        self._session = session
        self._state = state

    @property
    def stream_id(self) -> str | None:
        return self._state.stream_id

    async def send(self, event: ResponsesClientEvent | ResponsesClientEventParam) -> None:
        """See `ResponsesWebSocketLane.send`."""
        data = self._session._router.prepare_send(self._state, event)
        await self._session.connection._send_once(data)

    async def recv(self) -> ResponsesServerEvent:
        """See `ResponsesWebSocketLane.recv`."""
        return await self._until(lambda: self._session._router.take(self._state))

    async def get_final_response(self) -> Response:
        """See `ResponsesWebSocketLane.get_final_response`."""
        return await self._until(lambda: self._session._router.next_final(self._state))

    async def _until(self, step: Callable[[], T | None]) -> T:
        cond = self._session._condition()
        async with cond:
            while (result := step()) is None:
                await cond.wait()
            return result

    def close(self) -> None:
        """Detach the lane without closing the connection."""
        self._session._router.detach(self._state)
        self._session._wake()


class AsyncResponsesWebSocketSession:
    """Lanes and final responses over one `client.responses.connect()` connection (async; see
    `ResponsesWebSocketSession`). The reader is an asyncio task started by `async with`."""

    def __init__(
        self,
        connection: AsyncResponsesConnection,
        *,
        limits: ResponsesWebSocketLimits,
        isolate_lane_overflow: bool = False,
    ) -> None:
        self.connection = connection
        self._router = Router(limits, isolate_lane_overflow=isolate_lane_overflow)
        self._cond: asyncio.Condition | None = None
        self._reader: asyncio.Task[None] | None = None
        self._wakers: set[asyncio.Task[None]] = set()
        self._claimed = False
        self.default = AsyncResponsesWebSocketLane(self, self._router.default)

    async def __aenter__(self) -> Self:
        if self._router.entered or self._router.closed:
            raise RuntimeError("A WebSocket session can only be entered once")
        _claim(self.connection)
        self._claimed = True
        self._router.entered = True
        self._router.note_transport(self.connection._transport())
        self._cond = asyncio.Condition()
        self._reader = asyncio.get_running_loop().create_task(self._read(), name="pyopenai-responses-websocket")
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        try:
            await self.close()
        except Exception:
            if exc is None:
                raise

    def lane(self, stream_id: str | None = None) -> AsyncResponsesWebSocketLane:
        """See `ResponsesWebSocketSession.lane`."""
        lane = AsyncResponsesWebSocketLane(self, self._router.register(stream_id))
        if stream_id is None:
            self.default = lane
        return lane

    async def close(self) -> None:
        """Close the connection and stop the reader. Idempotent."""
        if self._router.closed:
            return
        self._router.closed = True
        self._wake()
        try:
            await self.connection.close()
        finally:
            reader = self._reader
            if reader is not None and reader is not asyncio.current_task():
                try:
                    await asyncio.wait_for(asyncio.shield(reader), _READER_JOIN_SECONDS)
                except asyncio.TimeoutError:
                    reader.cancel()
                    raise RuntimeError("The Responses WebSocket reader did not stop") from None
            if self._claimed:
                self._claimed = False
                _release(self.connection)

    def _condition(self) -> asyncio.Condition:
        if self._cond is None:
            raise RuntimeError("Enter the WebSocket session before receiving events")
        return self._cond

    def _wake(self) -> None:
        cond = self._cond
        if cond is None:
            return

        async def notify() -> None:
            async with cond:
                cond.notify_all()

        # called from sync code (lane.close()): the waiters are woken on the next loop turn
        task = asyncio.get_running_loop().create_task(notify())
        self._wakers.add(task)
        task.add_done_callback(self._wakers.discard)

    async def _read(self) -> None:
        connection = self.connection
        cond = self._condition()
        while True:
            try:
                data = await connection.recv_bytes()
                event = connection.parse_event(data)
            except asyncio.CancelledError:
                async with cond:
                    self._router.finish(None)
                    cond.notify_all()
                raise
            except Exception as error:
                async with cond:
                    self._router.finish(_end_reason(connection, error))
                    cond.notify_all()
                return
            async with cond:
                self._router.note_transport(connection._transport())
                ends = self._router.dispatch(event, len(data))
                cond.notify_all()
            if ends:
                await connection.close()
