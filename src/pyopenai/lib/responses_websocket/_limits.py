"""The budgets a session enforces, and the two errors its lanes raise."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...types.responses.responses_server_event import ResponsesServerEvent

__all__ = ["ResponsesWebSocketBufferError", "ResponsesWebSocketError", "ResponsesWebSocketLimits"]


@dataclass(frozen=True)
class ResponsesWebSocketLimits:
    """How much a `ResponsesWebSocketSession` may hold in memory: the application's budgets, not the API's.

    Sizes are counted in received message bytes (the JSON text, before parsing). `max_lanes` counts
    every stream id registered since the connection opened, the default lane and closed lanes
    included. `max_response_bytes` (None: no limit) bounds the events collected into one lane's
    final response; past it `get_final_response()` raises, while `recv()` still hands out events.
    """

    max_lanes: int
    max_events_per_lane: int
    max_events: int
    max_bytes_per_lane: int
    max_bytes: int
    max_response_bytes: int | None = None

    def __post_init__(self) -> None:
        for field in fields(self):
            value: object = getattr(self, field.name)
            if field.name == "max_response_bytes" and value is None:
                continue
            # bool is an int subclass: `max_lanes=True` is a mistake, not 1
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(
                    f"WebSocket session limits must be positive integers: {field.name}={value!r}"
                    + (" (or None)" if field.name == "max_response_bytes" else "")
                )


class ResponsesWebSocketBufferError(RuntimeError):
    """A lane, the session or one response went past a `ResponsesWebSocketLimits` budget."""


class ResponsesWebSocketError(RuntimeError):
    """The API answered a lane's request with an `error` event; `event` is that event, as received.

    The message names the error's code and type only: the event may carry request data, which
    is not copied into logs by printing the exception.
    """

    event: ResponsesServerEvent

    def __init__(self, event: ResponsesServerEvent) -> None:
        error = getattr(event, "error", None)
        code = getattr(error, "code", None)
        kind = getattr(error, "type", None)
        detail = ", ".join(f"{name} {value}" for name, value in (("code", code), ("type", kind)) if value)
        super().__init__(
            "The Responses WebSocket request returned an error event" + (f" ({detail})" if detail else "")
        )
        self.event = event
