"""`TranscriptGrouper` (threads) and `AsyncTranscriptGrouper` (asyncio) around one shared core.

The core (`_GrouperCore`) owns the timeline, the queue of updates not yet delivered and the timer
that lets session time move on when no event comes. Each class only decides how a timer is
started and how queued updates reach the callbacks, one at a time and in order.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, TypeVar, Union

from typing_extensions import Self

from ..._exceptions import OpenAIError
from ._listeners import SegmentListeners
from ._segments import GroupingSettings, SegmentUpdate
from ._timeline import Timeline

if TYPE_CHECKING:
    from ...types.live.server_event import ServerEvent

__all__ = ["AsyncTranscriptGrouper", "TranscriptGrouper"]

R = TypeVar("R")


class _Timer(Protocol):
    def cancel(self) -> None: ...


def _settings(
    min_turn_separation_ms: float | None,
    assistant_silence_ms: float | None,
    backchannel_max_duration_ms: float | None,
    backchannel_isolation_ms: float | None,
    additional_acknowledgments: Sequence[str] | None,
) -> GroupingSettings:
    # None means "the default"; an explicit 0 is kept (0 backchannel duration turns dropping off).
    given = {
        "min_turn_separation_ms": min_turn_separation_ms,
        "assistant_silence_ms": assistant_silence_ms,
        "backchannel_max_duration_ms": backchannel_max_duration_ms,
        "backchannel_isolation_ms": backchannel_isolation_ms,
    }
    if isinstance(additional_acknowledgments, str):
        raise TypeError("additional_acknowledgments must be a sequence of phrases, not one string")
    return GroupingSettings(
        **{name: value for name, value in given.items() if value is not None},
        additional_acknowledgments=tuple(additional_acknowledgments or ()),
    )


class _GrouperCore(SegmentListeners[R]):
    def __init__(
        self,
        *,
        min_turn_separation_ms: float | None = None,
        assistant_silence_ms: float | None = None,
        backchannel_max_duration_ms: float | None = None,
        backchannel_isolation_ms: float | None = None,
        additional_acknowledgments: Sequence[str] | None = None,
    ) -> None:
        """Thresholds in milliseconds (`None`: the default; 0 is kept as 0); see the class docstring."""
        super().__init__()
        settings = _settings(
            min_turn_separation_ms,
            assistant_silence_ms,
            backchannel_max_duration_ms,
            backchannel_isolation_ms,
            additional_acknowledgments,
        )
        self._timeline = Timeline(settings, self._local_ms)
        self._undelivered: deque[SegmentUpdate] = deque()
        self._timer: _Timer | None = None
        self._timer_round = 0  # a timer from an earlier round fires for nothing
        self._set_up()

    def _set_up(self) -> None:
        """The driver's own state (a lock, the owning loop)."""
        raise NotImplementedError

    def _local_ms(self) -> float:
        return time.monotonic() * 1000

    def _start_timer(self, delay_ms: int, fire: Callable[[], None]) -> _Timer:
        raise NotImplementedError

    def _on_timer(self, timer_round: int) -> None:
        raise NotImplementedError

    def _take(self, event: ServerEvent) -> bool:
        """Feed `event`; True when it queued updates or moved the timer (delivery is then due)."""
        updates = self._timeline.push(event)
        if updates is None:
            return False
        self._undelivered.extend(updates)
        self._rearm()
        return True

    def _finish(self) -> None:
        self._undelivered.extend(self._timeline.finish("manual"))
        self._disarm()

    def _tick(self, timer_round: int) -> bool:
        if timer_round != self._timer_round or self._timeline.closed:
            return False
        self._timer = None
        self._undelivered.extend(self._timeline.tick())
        self._rearm()
        return True

    def _disarm(self) -> None:
        self._timer_round += 1
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _rearm(self) -> None:
        self._disarm()
        wait_ms = self._timeline.wait_ms()
        if wait_ms is not None:
            timer_round = self._timer_round
            self._timer = self._start_timer(wait_ms, lambda: self._on_timer(timer_round))


class TranscriptGrouper(_GrouperCore[None]):
    """Groups a Live session's transcript deltas into user and assistant display segments.

    ```python
    with TranscriptGrouper() as transcript:
        transcript.on("segment.updated", show)      # a TranscriptSegment: replace the bubble's text
        transcript.on("segment.closed", finalize)   # a TranscriptSegmentClosedEvent
        for event in connection:
            transcript.push(event)
    ```

    Only `session.input_transcript.delta`, `session.output_transcript.delta` and `session.closed`
    matter; other events are ignored, repeated event ids too. The policy (thresholds in ms; `None`
    keeps the default) may drop a short assistant acknowledgment heard while the user talks
    ("mhm"): keep the raw events when you need every word, or pass `backchannel_max_duration_ms=0`.
    `additional_acknowledgments` adds phrases to the built-in ones.

    One grouper per session. It never closes or reconnects the connection. Callbacks run one at a
    time outside the grouper's lock (they may call `close()`); when no event arrives, a daemon
    timer thread delivers time-driven updates, so hand UI work to your UI thread. A callback's
    exception reaches the `push()`/`close()` that delivered it, or `threading.excepthook` when the
    timer delivered it.
    """

    def _set_up(self) -> None:
        self._lock = threading.Lock()
        self._delivering = False

    def push(self, event: ServerEvent) -> None:
        """Feed one Live server event and run the callbacks it triggers.

        Raises `OpenAIError` after `close()`, or for a transcript delta with invalid fields
        (before changing anything).
        """
        with self._lock:
            due = self._take(event)
        if due:
            self._deliver()

    def close(self) -> None:
        """Close the open segments (flushing held text by the policy) and stop the timer; once.

        The connection is left alone.
        """
        with self._lock:
            self._finish()
        self._deliver()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def _start_timer(self, delay_ms: int, fire: Callable[[], None]) -> _Timer:
        timer = threading.Timer(delay_ms / 1000, fire)
        timer.daemon = True
        timer.start()
        return timer

    def _on_timer(self, timer_round: int) -> None:
        with self._lock:
            due = self._tick(timer_round)
        if due:
            self._deliver()

    def _deliver(self) -> None:
        # Whoever finds delivery idle delivers everything queued, including what other threads
        # (or callbacks calling close()) add meanwhile; the others return at once.
        with self._lock:
            if self._delivering:
                return
            self._delivering = True
        try:
            while True:
                with self._lock:
                    if not self._undelivered:
                        # Under the lock: a push queuing now will find delivery idle and deliver.
                        self._delivering = False
                        return
                    update = self._undelivered.popleft()
                for callback in self._callbacks_for(update):
                    callback(update)
        except BaseException:
            with self._lock:
                self._delivering = False
            raise


@dataclass(eq=False)
class _Delivery:
    """One asyncio task running callbacks; `watched` once some caller received its outcome."""

    task: asyncio.Task[None] | None = None
    waiting: int = 0
    watched: bool = False


class AsyncTranscriptGrouper(_GrouperCore[Union[None, Awaitable[None]]]):
    """`TranscriptGrouper` for asyncio: `await transcript.push(event)`, `async with`.

    Callbacks may be plain functions or coroutine functions (awaited in order). They run on the
    event loop the grouper was first used on; using it from another loop raises `OpenAIError`.
    An exception from a callback reaches the awaiting `push()`/`close()`, or the loop's exception
    handler when the timer delivered it. Cancelling a `push()` does not stop callbacks already
    running for earlier updates; `await close()` (again) waits for them.
    """

    def _set_up(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._delivery: _Delivery | None = None

    def _owning_loop(self) -> asyncio.AbstractEventLoop:
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
        elif self._loop is not loop:
            raise OpenAIError("This AsyncTranscriptGrouper belongs to another event loop")
        return loop

    async def push(self, event: ServerEvent) -> None:
        """Feed one Live server event and await the callbacks it triggers."""
        self._owning_loop()
        if self._take(event):
            await self._deliver()

    async def close(self) -> None:
        """Close the open segments and stop the timer (once); awaits the callbacks. The connection is left alone."""
        self._owning_loop()
        self._finish()
        await self._deliver()

    async def __aenter__(self) -> Self:
        self._owning_loop()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await self.close()

    def _start_timer(self, delay_ms: int, fire: Callable[[], None]) -> _Timer:
        return self._owning_loop().call_later(delay_ms / 1000, fire)

    def _on_timer(self, timer_round: int) -> None:
        if self._tick(timer_round):
            self._start_delivery()

    def _start_delivery(self) -> _Delivery | None:
        current = self._delivery
        if current is not None and current.task is not None and not current.task.done():
            return current
        if not self._undelivered:
            return None
        delivery = _Delivery()
        self._delivery = delivery
        delivery.task = self._owning_loop().create_task(self._run_callbacks(delivery))
        delivery.task.add_done_callback(lambda task: self._delivery_done(delivery, task))
        return delivery

    async def _deliver(self) -> None:
        current = self._delivery
        if current is not None and current.task is asyncio.current_task():
            return  # a callback pushed or closed: the running delivery picks the new updates up
        delivery = self._start_delivery()
        if delivery is None or delivery.task is None:
            return
        delivery.waiting += 1
        try:
            # Shielded: cancelling this caller must not stop an update halfway through its callbacks.
            await asyncio.shield(delivery.task)
        except asyncio.CancelledError:
            raise
        except BaseException:
            delivery.watched = True
            raise
        else:
            delivery.watched = True
        finally:
            delivery.waiting -= 1

    async def _run_callbacks(self, delivery: _Delivery) -> None:
        delivery.task = asyncio.current_task()  # set before any callback runs, even with eager tasks
        while self._undelivered:
            update = self._undelivered.popleft()
            for callback in self._callbacks_for(update):
                result = callback(update)
                if inspect.isawaitable(result):
                    await result

    def _delivery_done(self, delivery: _Delivery, task: asyncio.Task[None]) -> None:
        if self._delivery is delivery:
            self._delivery = None
        if task.cancelled():
            return
        error = task.exception()
        if error is not None and not delivery.waiting and not delivery.watched:
            self._owning_loop().call_exception_handler(
                {"message": "A Live transcript callback raised", "exception": error, "task": task}
            )
