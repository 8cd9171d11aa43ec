"""`on`/`once`/`off` for the two transcript groupers (`R`: what a callback returns)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar, overload

from typing_extensions import Self

from ._segments import SegmentUpdate, TranscriptSegment, TranscriptSegmentClosedEvent

__all__ = ["SegmentListeners"]

R = TypeVar("R")
EventName = Literal["segment.updated", "segment.closed"]
_EVENT_NAMES: tuple[EventName, ...] = ("segment.updated", "segment.closed")

OnUpdated = Callable[[TranscriptSegment], R]
OnClosed = Callable[[TranscriptSegmentClosedEvent], R]


@dataclass(eq=False)
class _Listener(Generic[R]):
    callback: Callable[[Any], R]
    once: bool


class SegmentListeners(Generic[R]):
    def __init__(self) -> None:
        self._listeners: dict[EventName, list[_Listener[R]]] = {name: [] for name in _EVENT_NAMES}
        # Registration may happen on another thread than delivery (the sync grouper's timer).
        self._listeners_lock = threading.Lock()

    @overload
    def on(self, event_type: Literal["segment.updated"], handler: OnUpdated[R]) -> Self: ...
    @overload
    def on(self, event_type: Literal["segment.closed"], handler: OnClosed[R]) -> Self: ...
    @overload
    def on(self, event_type: Literal["segment.updated"]) -> Callable[[OnUpdated[R]], OnUpdated[R]]: ...
    @overload
    def on(self, event_type: Literal["segment.closed"]) -> Callable[[OnClosed[R]], OnClosed[R]]: ...
    def on(self, event_type: EventName, handler: OnUpdated[R] | OnClosed[R] | None = None) -> object:
        """Call `handler` for every `segment.updated` (a `TranscriptSegment`) or `segment.closed`
        (a `TranscriptSegmentClosedEvent`). Returns the grouper, or a decorator without `handler`."""
        return self._add(event_type, handler, once=False)

    @overload
    def once(self, event_type: Literal["segment.updated"], handler: OnUpdated[R]) -> Self: ...
    @overload
    def once(self, event_type: Literal["segment.closed"], handler: OnClosed[R]) -> Self: ...
    @overload
    def once(self, event_type: Literal["segment.updated"]) -> Callable[[OnUpdated[R]], OnUpdated[R]]: ...
    @overload
    def once(self, event_type: Literal["segment.closed"]) -> Callable[[OnClosed[R]], OnClosed[R]]: ...
    def once(self, event_type: EventName, handler: OnUpdated[R] | OnClosed[R] | None = None) -> object:
        """Like `on()`, for the next such event only."""
        return self._add(event_type, handler, once=True)

    def off(self, event_type: EventName, handler: OnUpdated[R] | OnClosed[R]) -> Self:
        """Remove the earliest registration of `handler` for `event_type` (nothing if there is none)."""
        with self._listeners_lock:
            listeners = self._listeners[self._checked(event_type)]
            for index, listener in enumerate(listeners):
                if listener.callback == handler:
                    del listeners[index]
                    break
        return self

    def _add(self, event_type: EventName, handler: OnUpdated[R] | OnClosed[R] | None, *, once: bool) -> Any:
        name = self._checked(event_type)

        def register(callback: Callable[[Any], R]) -> Callable[[Any], R]:
            with self._listeners_lock:
                self._listeners[name].append(_Listener(callback, once))
            return callback

        if handler is None:
            return register
        register(handler)
        return self

    @staticmethod
    def _checked(event_type: str) -> EventName:
        for name in _EVENT_NAMES:
            if event_type == name:
                return name
        raise ValueError(f"Unknown transcript event {event_type!r}; expected 'segment.updated' or 'segment.closed'")

    def _callbacks_for(self, update: SegmentUpdate) -> list[Callable[[Any], R]]:
        """The callbacks to run for `update`, in registration order; `once` ones are used up here."""
        name: EventName = "segment.updated" if isinstance(update, TranscriptSegment) else "segment.closed"
        with self._listeners_lock:
            listeners = self._listeners[name]
            self._listeners[name] = [listener for listener in listeners if not listener.once]
        return [listener.callback for listener in listeners]
