"""The values the transcript grouper hands to listeners, and its resolved settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Union

__all__ = [
    "Fragment",
    "GroupingSettings",
    "SegmentUpdate",
    "Speaker",
    "TranscriptSegment",
    "TranscriptSegmentCloseReason",
    "TranscriptSegmentClosedEvent",
]

Speaker = Literal["user", "assistant"]

TranscriptSegmentCloseReason = Literal["speaker_change", "inactivity", "timestamp_reset", "session_closed", "manual"]


@dataclass(frozen=True)
class TranscriptSegment:
    """What a transcript bubble shows now: its full text so far (replace, do not append).

    `id` and `previous_id` are the grouper's own (not server item or turn ids); `start_ms`/`end_ms`
    are the session times of the transcript events it covers, not audio playback.
    """

    id: str
    previous_id: str | None
    speaker: Speaker
    text: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class TranscriptSegmentClosedEvent:
    """A segment is final: its last snapshot and why the grouper closed it. It never reopens."""

    segment: TranscriptSegment
    reason: TranscriptSegmentCloseReason


SegmentUpdate = Union[TranscriptSegment, TranscriptSegmentClosedEvent]


@dataclass(frozen=True)
class GroupingSettings:
    """The grouping thresholds, in milliseconds, after defaults are applied."""

    min_turn_separation_ms: float = 500
    assistant_silence_ms: float = 2000
    backchannel_max_duration_ms: float = 1000
    backchannel_isolation_ms: float = 2000
    additional_acknowledgments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fragment:
    """One non-empty transcript delta, reduced to what the policy reads."""

    speaker: Speaker
    text: str
    start_ms: int
    end_ms: int
