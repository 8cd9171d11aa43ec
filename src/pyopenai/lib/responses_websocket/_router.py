"""What a session decides, written once for the sync and the async session.

The router holds the lanes (one per `stream_id`, plus the default lane for events that name none),
routes each received event to its lane's queue within the `ResponsesWebSocketLimits`, prepares what
a lane sends, and turns the events a lane consumes into its final response. It does no I/O and takes
no lock: the session that drives it calls it under its own lock (a `threading.Condition` or an
`asyncio.Condition`) and does the waiting, reading and sending.

A lane's response is collected as its events are consumed (by `recv()` or `get_final_response()`),
not as they arrive: what a lane has handed out and what its final response reflects never disagree.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from ..._models import BaseModel, parse_obj
from ..._serialize import json_default, to_jsonable
from ..._types import is_given
from ._limits import ResponsesWebSocketBufferError, ResponsesWebSocketError, ResponsesWebSocketLimits

if TYPE_CHECKING:
    from ...types.responses.response import Response
    from ...types.responses.responses_server_event import ResponsesServerEvent

__all__ = ["LaneState", "Router", "plain"]

_STREAM_ID = re.compile(r"[A-Za-z0-9_.\-]{1,256}")
_TERMINAL = frozenset({"response.completed", "response.failed", "response.incomplete"})
_STARTS = frozenset({"response.created", "response.queued"})
_LIFECYCLE = frozenset({"response.created", "response.queued", "response.in_progress"})

NOT_ACTIVE = "The WebSocket session or lane is not active"


def plain(value: object) -> object:
    """A model (or a dict of models) as the JSON the API sent: unset fields stay out."""
    if isinstance(value, BaseModel):
        return value.to_dict(warnings=False)
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in cast("Mapping[str, object]", value).items()}
    if isinstance(value, list):
        return [plain(v) for v in cast("list[object]", value)]
    return value


def _field(event: object, name: str) -> object:
    if isinstance(event, Mapping):
        return cast("Mapping[str, object]", event).get(name)
    return getattr(event, name, None)


@dataclass
class _Queued:
    event: ResponsesServerEvent
    size: int
    own: bool
    """False for an event shown on the default lane for inspection only (its stream id names no
    open lane): it does not feed the default lane's response."""


class _Collector:
    """One response, from the events a lane consumes: the terminal event's response, whose omitted
    (or null) `output` is filled from the `response.output_item.done` items received."""

    def __init__(self, limit: int | None) -> None:
        self._limit = limit
        self._bytes = 0
        self._done_items: dict[int, object] = {}
        self.overflow: ResponsesWebSocketBufferError | None = None

    def feed(self, kind: str, event: ResponsesServerEvent, size: int) -> Response | None:
        """Take one event; the final response when `kind` is a terminal event."""
        if self._limit is not None and self.overflow is None:
            self._bytes += size
            if self._bytes > self._limit:
                self.overflow = ResponsesWebSocketBufferError(
                    f"The response exceeded max_response_bytes ({self._limit} bytes): it is not collected"
                )
                self._done_items.clear()
        if self.overflow is not None:
            return None
        if kind == "response.output_item.done":
            index = _field(event, "output_index")
            if isinstance(index, int) and not isinstance(index, bool) and index >= 0:
                self._done_items[index] = plain(_field(event, "item"))
            return None
        if kind not in _TERMINAL:
            return None
        response = plain(_field(event, "response"))
        if not isinstance(response, dict):
            raise ValueError(f"Terminal WebSocket event is missing response ({kind})")
        data = dict(cast("dict[str, object]", response))
        if data.get("output") is None:
            data["output"] = [self._done_items[i] for i in sorted(self._done_items)]
        from ...types.responses.response import Response

        return parse_obj(Response, data)


@dataclass(eq=False)
class LaneState:
    stream_id: str | None
    order: int
    response_limit: int | None
    queue: deque[_Queued] = field(default_factory=deque[_Queued])
    bytes: int = 0
    open: bool = True
    failure: ResponsesWebSocketBufferError | None = None
    in_flight: bool = False
    """A `response.create` was sent and its terminal (or error) event not yet consumed."""
    queued_starts: int = 0
    """Queued own events that begin a response (`response.created`/`response.queued`)."""
    collector: _Collector = field(init=False)
    final: Response | None = None
    error: BaseException | None = None

    def __post_init__(self) -> None:
        self.collector = _Collector(self.response_limit)

    def drop_queue(self) -> None:
        self.queue.clear()
        self.bytes = 0
        self.queued_starts = 0


class Router:
    def __init__(self, limits: ResponsesWebSocketLimits, *, isolate_lane_overflow: bool) -> None:
        if not isinstance(limits, ResponsesWebSocketLimits):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"limits must be a ResponsesWebSocketLimits, got {type(limits).__name__}")
        self.limits = limits
        self.isolate = isolate_lane_overflow
        self._lanes: dict[str | None, LaneState] = {}
        self._order = 0
        self.events = 0
        self.bytes = 0
        self.entered = False
        self.closed = False
        self.ended = False
        self.end_error: BaseException | None = None
        """Why the connection ended: None for a normal close (lanes then raise `EOFError`)."""
        self.failure: ResponsesWebSocketBufferError | None = None
        """Set when an overflow ended the whole session (without `isolate_lane_overflow`)."""
        self.transport: object = None
        self.default = self.register(None)

    # -- lanes

    def register(self, stream_id: object) -> LaneState:
        if self.closed or self.ended:
            raise RuntimeError("The WebSocket session has ended")
        if stream_id is not None and not (isinstance(stream_id, str) and _STREAM_ID.fullmatch(stream_id)):
            raise ValueError(
                "stream_id must be None or 1-256 ASCII letters, digits, underscores, hyphens or periods, "
                f"got {stream_id!r}"[:200]
            )
        key = stream_id
        if key in self._lanes:
            raise ValueError(f"A lane with this stream_id is already registered: {key!r}")
        if len(self._lanes) >= self.limits.max_lanes:
            raise ResponsesWebSocketBufferError(
                f"The session exceeded max_lanes ({self.limits.max_lanes}); ids stay reserved until the connection reconnects"
            )
        self._order += 1
        lane = LaneState(key, self._order, self.limits.max_response_bytes)
        self._lanes[key] = lane
        if key is None:
            self.default = lane
        return lane

    def detach(self, lane: LaneState) -> None:
        """`lane.close()`: its queue and response state are dropped; its id stays reserved."""
        if not lane.open:
            return
        lane.open = False
        self.events -= len(lane.queue)
        self.bytes -= lane.bytes
        lane.drop_queue()
        lane.in_flight = False
        lane.final = None
        lane.error = None

    def note_transport(self, transport: object) -> None:
        """Called with the connection's socket after each read: a new socket means it reconnected,
        which releases the ids of closed lanes (open lanes stay registered)."""
        if self.transport is None:
            self.transport = transport
            return
        if transport is self.transport:
            return
        self.transport = transport
        for key, lane in list(self._lanes.items()):
            if not lane.open:
                del self._lanes[key]

    # -- sending

    def prepare_send(self, lane: LaneState, event: object) -> str:
        """The JSON text a lane sends for `event`, its state updated for it; raises on bad input."""
        if not self.entered or self.closed or self.ended or not lane.open or lane.failure or self.failure:
            raise RuntimeError(NOT_ACTIVE)
        body = _command_body(event)
        kind = body.get("type")
        if not isinstance(kind, str) or not kind:
            raise ValueError("A Responses WebSocket command needs a string `type` (e.g. 'response.create')")
        if kind == "response.create":
            if "stream" in body or "background" in body:
                raise ValueError("response.create over a WebSocket takes neither `stream` nor `background`")
            given = body.get("stream_id")
            if "stream_id" in body and given != lane.stream_id:
                raise ValueError(
                    f"The command stream_id does not match its lane: {given!r} on lane {lane.stream_id!r}"[:200]
                )
            if lane.in_flight or lane.queued_starts:
                raise RuntimeError("Consume the current response before sending another create on this lane")
            if lane.stream_id is not None:
                body["stream_id"] = lane.stream_id
            lane.in_flight = True
            lane.final = None
            lane.error = None
            lane.collector = _Collector(lane.response_limit)
        return json.dumps(body, default=json_default, separators=(",", ":"))

    # -- receiving

    def dispatch(self, event: ResponsesServerEvent, size: int) -> bool:
        """Queue a received event on its lane. True when an overflow ends the session (the caller
        then closes the connection)."""
        stream_id = _field(event, "stream_id")
        own = True
        target: LaneState | None
        if isinstance(stream_id, str):
            target = self._lanes.get(stream_id)
            if target is not None and target.failure is not None:
                return False  # a failed lane's later events are dropped
            if target is None or not target.open:
                target, own = self._lanes.get(None), False  # shown on the default lane, not collected
        else:
            target = self._lanes.get(None)
        if target is None or not target.open or target.failure is not None:
            return False
        if not self._make_room(target, size):
            return self.failure is not None
        target.queue.append(_Queued(event, size, own))
        target.bytes += size
        self.events += 1
        self.bytes += size
        if own and _field(event, "type") in _STARTS:
            target.queued_starts += 1
        return False

    def _make_room(self, target: LaneState, size: int) -> bool:
        limits = self.limits
        if len(target.queue) + 1 > limits.max_events_per_lane:
            return self._overflow(target, "max_events_per_lane")
        if target.bytes + size > limits.max_bytes_per_lane:
            return self._overflow(target, "max_bytes_per_lane")
        while self.events + 1 > limits.max_events or self.bytes + size > limits.max_bytes:
            by_bytes = self.bytes + size > limits.max_bytes
            budget = "max_bytes" if by_bytes else "max_events"
            if not self.isolate:
                return self._overflow(target, budget)
            victim = self._largest_backlog(by_bytes)
            if victim is None or victim is target:
                return self._overflow(target, budget)
            self._overflow(victim, budget)
        return True

    def _largest_backlog(self, by_bytes: bool) -> LaneState | None:
        best: LaneState | None = None
        for lane in self._lanes.values():  # registration order: the earlier lane wins a tie
            if not lane.queue:
                continue
            if best is None or (lane.bytes if by_bytes else len(lane.queue)) > (
                best.bytes if by_bytes else len(best.queue)
            ):
                best = lane
        return best

    def _overflow(self, lane: LaneState, budget: str) -> bool:
        error = ResponsesWebSocketBufferError(
            f"The WebSocket session exceeded {budget} ({getattr(self.limits, budget)}); "
            + ("the lane's events were dropped" if self.isolate else "the connection was closed")
        )
        if not self.isolate:
            self.failure = error
            return False
        self.events -= len(lane.queue)
        self.bytes -= lane.bytes
        lane.drop_queue()
        lane.failure = error
        return False

    def finish(self, error: BaseException | None) -> None:
        """The connection is gone: lanes hand out what they hold, then raise `error` (or EOFError)."""
        if not self.ended:
            self.ended = True
            self.end_error = error

    # -- consuming

    def take(self, lane: LaneState) -> ResponsesServerEvent | None:
        """The lane's next event (collected into its response), None if it must wait; raises when no
        event can come any more."""
        if not self.entered:
            raise RuntimeError("Enter the WebSocket session before receiving events")
        self._raise_failure(lane)
        if lane.queue:
            queued = lane.queue.popleft()
            lane.bytes -= queued.size
            self.events -= 1
            self.bytes -= queued.size
            if queued.own:
                self._collect(lane, queued)
            return queued.event
        if not lane.open:
            raise EOFError("The WebSocket lane is detached")
        if self.ended or self.closed:
            if self.end_error is not None:
                raise self.end_error
            raise EOFError("The WebSocket connection closed")
        return None

    def settled(self, lane: LaneState) -> Response | None:
        """The lane's final response if it needs no more events (raises its error instead), else None.

        A response already returned stays the answer until another one begins on the lane: a sent
        `response.create`, or a queued `response.created`/`response.queued`.
        """
        self._raise_failure(lane)
        if lane.in_flight or lane.queued_starts:
            return None
        if lane.error is not None:
            raise lane.error
        return lane.final

    def next_final(self, lane: LaneState) -> Response | None:
        """`get_final_response()`'s step: consume what the lane holds until its response is final;
        None when it must wait for more events."""
        while True:
            final = self.settled(lane)
            if final is not None:
                return final
            if self.take(lane) is None:
                return None

    def _raise_failure(self, lane: LaneState) -> None:
        failure = lane.failure or self.failure
        if failure is not None:
            raise failure

    def _collect(self, lane: LaneState, queued: _Queued) -> None:
        kind = _field(queued.event, "type")
        if not isinstance(kind, str):
            return
        if kind in _STARTS:
            lane.queued_starts -= 1
            if not lane.in_flight:  # a response begun without a create from this lane (steering, the default lane)
                lane.in_flight = True
                lane.final = None
                lane.error = None
                lane.collector = _Collector(lane.response_limit)
        if kind == "error":
            lane.in_flight = False
            lane.final = None
            lane.error = ResponsesWebSocketError(queued.event)
            return
        if kind not in _LIFECYCLE and kind not in _TERMINAL and not lane.in_flight:
            return  # stray progress events with no response begun: nothing to collect
        try:
            final = lane.collector.feed(kind, queued.event, queued.size)
        except ValueError as error:
            lane.in_flight, lane.final, lane.error = False, None, error
            return
        if kind in _TERMINAL:
            lane.in_flight = False
            overflow = lane.collector.overflow
            lane.final, lane.error = (None, overflow) if overflow is not None else (final, None)


def _command_body(event: object) -> dict[str, Any]:
    if isinstance(event, BaseModel):
        return dict(event.to_dict(mode="json", warnings=False))
    if isinstance(event, Mapping):
        mapping = cast("Mapping[object, object]", event)
        body: dict[str, Any] = {}
        for key, value in mapping.items():
            if not isinstance(key, str):
                raise TypeError(f"A Responses WebSocket command's keys are strings, got {key!r}")
            if is_given(value):
                body[key] = to_jsonable(value)
        return body
    raise TypeError(f"A Responses WebSocket command is a dict or a model, got {type(event).__name__}")
