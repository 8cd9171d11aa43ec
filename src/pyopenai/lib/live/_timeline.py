"""Between Live events and the policy: validation, duplicates, simultaneous fragments, session time.

Shared by `TranscriptGrouper` and `AsyncTranscriptGrouper` (each serializes its calls). Session time
comes from the transcript events; when none arrive, a monotonic local clock carries it on from the
last one, so an assistant segment still closes after its silence.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Literal

from typing_extensions import TypeGuard

from ..._exceptions import OpenAIError
from ._policy import GroupingPolicy
from ._segments import Fragment, GroupingSettings, SegmentUpdate, Speaker

if TYPE_CHECKING:
    from ...types.live.server_event import ServerEvent

__all__ = ["LONGEST_WAIT_MS", "Timeline", "checked_settings"]

LONGEST_WAIT_MS = 2_147_483_647  # the largest timer delay (and threshold) the TypeScript helper accepts
_LARGEST_EXACT_INT = 2**53 - 1
# How long a fragment waits for the other speaker's fragment with the same interval, so the two
# are ordered by the policy rather than by arrival.
_SETTLE_MS = 50
_TRANSCRIPT_EVENTS: dict[str, Speaker] = {
    "session.input_transcript.delta": "user",
    "session.output_transcript.delta": "assistant",
}
_grouper_numbers = itertools.count()


def checked_settings(settings: GroupingSettings) -> GroupingSettings:
    for setting in fields(settings):
        if setting.name == "additional_acknowledgments":
            continue
        value: object = getattr(settings, setting.name)
        in_range = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= LONGEST_WAIT_MS
        if not in_range:  # NaN and infinities fail the comparison too
            raise OpenAIError(f"{setting.name} must be a finite number between 0 and {LONGEST_WAIT_MS}, got {value!r}")
    return settings


def _is_session_ms(value: object) -> TypeGuard[float]:
    # A whole number of milliseconds; 12.0 passes (models built without validation may carry floats).
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and 0 <= value <= _LARGEST_EXACT_INT
        and value == int(value)
    )


@dataclass(frozen=True)
class _Arrival:
    fragment: Fragment
    local_ms: float


class Timeline:
    def __init__(self, settings: GroupingSettings, local_ms: Callable[[], float]) -> None:
        self._local_ms = local_ms
        self._policy = GroupingPolicy(checked_settings(settings), f"segment_{next(_grouper_numbers)}")
        self._seen_event_ids: set[str] = set()
        self._waiting: list[_Arrival] = []  # fragments sharing one interval, not yet given to the policy
        # (session ms, local ms) of the latest transcript end, to extrapolate session time from
        self._reference: tuple[int, float] | None = None
        self._last_start_ms: int | None = None
        self.closed = False

    def push(self, event: ServerEvent) -> list[SegmentUpdate] | None:
        """The updates `event` causes, or None when it changes nothing (so no timer needs resetting)."""
        if self.closed:
            raise OpenAIError("This transcript grouper is closed; create a new one for another session")
        if event.type == "session.closed":
            return self.finish("session_closed")
        speaker = _TRANSCRIPT_EVENTS.get(event.type)
        if speaker is None:
            return None
        event_id, fragment = self._fragment(event, speaker)
        if event_id in self._seen_event_ids:
            return None
        self._seen_event_ids.add(event_id)
        if fragment is None:
            return None
        arrival = _Arrival(fragment, self._local_ms())
        waiting = self._waiting[0].fragment if self._waiting else None
        if waiting is not None and (waiting.start_ms, waiting.end_ms) == (fragment.start_ms, fragment.end_ms):
            self._waiting.append(arrival)
            if any(other.fragment.speaker != speaker for other in self._waiting):
                return self._release_waiting()  # both speakers are in: order them now
            return []
        updates = self._release_waiting()
        if self._policy.speaker == speaker:
            return updates + self._give([arrival])
        self._waiting.append(arrival)
        return updates

    @staticmethod
    def _fragment(event: object, speaker: Speaker) -> tuple[str, Fragment | None]:
        """The event id and the fragment (None for empty text) of a transcript delta."""
        # Read the fields as plain values and check them before touching any state: events may
        # have been built with `construct()` or from unvalidated JSON.
        event_id: object = getattr(event, "event_id", None)
        text: object = getattr(event, "delta", None)
        start: object = getattr(event, "start_ms", None)
        end: object = getattr(event, "end_ms", None)
        if not isinstance(event_id, str) or not event_id:
            raise OpenAIError(f"Live transcript delta without an event_id (got {event_id!r})")
        if not isinstance(text, str):
            raise OpenAIError(f"Live transcript delta {event_id!r}: delta must be a string, got {type(text).__name__}")
        if not _is_session_ms(start) or not _is_session_ms(end) or end < start:
            raise OpenAIError(
                f"Live transcript delta {event_id!r}: start_ms and end_ms must be whole milliseconds, "
                f"0 <= start_ms <= end_ms (got {start!r}, {end!r})"
            )
        if not text:
            return event_id, None
        return event_id, Fragment(speaker, text, int(start), int(end))

    def finish(self, reason: Literal["manual", "session_closed"]) -> list[SegmentUpdate]:
        """Close every segment (once); later pushes fail."""
        if self.closed:
            return []
        self.closed = True
        updates = self._release_waiting()
        updates += self._policy.close(self._session_ms(), reason)
        self._seen_event_ids.clear()
        return updates

    def tick(self) -> list[SegmentUpdate]:
        """The timer fired: release waiting fragments and let session time move on."""
        return self._release_waiting() + self._policy.advance(self._session_ms())

    def wait_ms(self) -> int | None:
        """How long until `tick()` has something to do, or None when only new events can change things."""
        if self.closed:
            return None
        if self._waiting:
            wait = self._waiting[0].local_ms + _SETTLE_MS - self._local_ms()
        else:
            deadline = self._policy.next_deadline()
            if deadline is None:
                return None
            wait = deadline - self._session_ms()
        return min(LONGEST_WAIT_MS, max(0, math.ceil(wait)))

    def _session_ms(self) -> float:
        if self._reference is None:
            return 0
        session_ms, local_ms = self._reference
        return session_ms + max(0, self._local_ms() - local_ms)

    def _release_waiting(self) -> list[SegmentUpdate]:
        waiting, self._waiting = self._waiting, []
        return self._give(waiting) if waiting else []

    def _give(self, arrivals: list[_Arrival]) -> list[SegmentUpdate]:
        updates: list[SegmentUpdate] = []
        start_ms = arrivals[0].fragment.start_ms
        if self._last_start_ms is not None and start_ms < self._last_start_ms:
            # Session time went backwards (a new recording, a reconnect): start over.
            updates += self._policy.close(self._session_ms(), "timestamp_reset")
            self._reference = None
        self._last_start_ms = start_ms
        latest_end = max(arrival.fragment.end_ms for arrival in arrivals)
        previous_end = self._reference[0] if self._reference is not None else 0
        self._reference = (max(previous_end, latest_end), max(arrival.local_ms for arrival in arrivals))
        updates += self._policy.process([arrival.fragment for arrival in arrivals])
        return updates
