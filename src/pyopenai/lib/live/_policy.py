"""The grouping policy: which transcript fragments share a display segment, in session time only.

No clock, threads or callbacks here (`_timeline.py` supplies time, the groupers deliver). The
policy is the one the official SDKs document for their Live transcript helper:

- Fragments of the speaker already shown extend the open segment.
- The other speaker's fragments are *held* (not shown) until the speaker change is settled: an
  assistant speaking after the user (or the user after the assistant) takes over once the open
  segment has been quiet for `min_turn_separation_ms`.
- A short assistant acknowledgment ("mhm", "okay", ...) heard while the user is still talking is a
  backchannel: it is dropped instead of splitting the user's segment, unless it stands apart
  (`backchannel_isolation_ms`) or follows the assistant's own recent speech.
- An assistant segment closes after `assistant_silence_ms` without more assistant text; a user
  segment only closes when someone else speaks or the grouper closes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ._segments import (
    Fragment,
    GroupingSettings,
    SegmentUpdate,
    Speaker,
    TranscriptSegment,
    TranscriptSegmentClosedEvent,
    TranscriptSegmentCloseReason,
)

__all__ = ["GroupingPolicy", "normalize_phrase"]

# The whitespace JavaScript's `\s` matches (the policy comes from the TypeScript SDK, whose
# acknowledgment matching must agree with ours on the same text).
_SPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_SPACE_RUN = re.compile(f"[{_SPACE}]+")
_EDGE = _SPACE + ".,!?;:\"'()[]{}"

ACKNOWLEDGMENTS = (
    "aha", "alright", "gotcha", "hm", "hmm", "mhm", "mm", "mm hmm",
    "okay", "ok", "right", "sure", "uh huh", "yeah", "yep", "yes",
)  # fmt: skip


def normalize_phrase(text: str) -> str:
    """Lower case, hyphens as spaces, no surrounding punctuation, single spaces."""
    trimmed = text.lower().replace("-", " ").strip(_EDGE)
    return _SPACE_RUN.sub(" ", trimmed)


def _word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LN"


@dataclass
class _Bubble:
    """A segment being built; `shown` once listeners have seen it (it then has a `previous_id`)."""

    id: str
    speaker: Speaker
    text: str
    start_ms: int
    end_ms: int
    previous_id: str | None = None
    shown: bool = False
    # False when the held text was never a plausible acknowledgment, so it cannot be dropped.
    droppable: bool = True

    def extend(self, fragment: Fragment, *, spaced: bool = False) -> None:
        # Fragments of one stream carry their own spacing; only text resumed after the other
        # speaker was held gets a space, and only between two word characters.
        gap = spaced and self.text and fragment.text and _word_char(self.text[-1]) and _word_char(fragment.text[0])
        self.text = f"{self.text} {fragment.text}" if gap else self.text + fragment.text
        self.end_ms = max(self.end_ms, fragment.end_ms)

    def snapshot(self) -> TranscriptSegment:
        return TranscriptSegment(self.id, self.previous_id, self.speaker, self.text, self.start_ms, self.end_ms)


class GroupingPolicy:
    def __init__(self, settings: GroupingSettings, id_prefix: str) -> None:
        self._settings = settings
        self._id_prefix = id_prefix
        extra = (normalize_phrase(phrase) for phrase in settings.additional_acknowledgments)
        self._acknowledgments = ACKNOWLEDGMENTS + tuple(phrase for phrase in extra if phrase)
        self._open: _Bubble | None = None  # the segment listeners see growing
        self._held: _Bubble | None = None  # the other speaker, not shown until the change is settled
        self._ids_used = 0
        self._last_shown_id: str | None = None
        self._assistant_ended_at: int | None = None

    # -- what the timeline asks ---------------------------------------------------------------------

    @property
    def speaker(self) -> Speaker | None:
        return self._open.speaker if self._open is not None else None

    def next_deadline(self) -> float | None:
        """The session time at which `advance()` would change something, if nothing else arrives."""
        open_, held = self._open, self._held
        if open_ is None:
            return None
        if held is not None:
            settle_at = open_.end_ms + self._settings.min_turn_separation_ms
            if self._undecided_backchannel():
                return max(settle_at, held.end_ms + self._settings.backchannel_isolation_ms)
            return settle_at
        if open_.speaker == "assistant":
            return open_.end_ms + self._settings.assistant_silence_ms
        return None

    def process(self, batch: list[Fragment]) -> list[SegmentUpdate]:
        """Fragments that share one interval: the open segment's speaker (else the user's) first."""
        first_speaker = self.speaker or "user"
        ordered = [f for f in batch if f.speaker == first_speaker] + [f for f in batch if f.speaker != first_speaker]
        if not ordered:
            return []
        start = ordered[0].start_ms
        updates: list[SegmentUpdate] = []
        deadline = self.next_deadline()
        while deadline is not None and deadline < start:
            updates += self.advance(deadline)
            deadline = self.next_deadline()
        if self._open is not None and all(f.speaker != self._open.speaker for f in ordered):
            updates += self.advance(start, user_arriving=any(f.speaker == "user" for f in ordered))
        for fragment in ordered:
            updates += self._take(fragment)
        return updates

    def advance(self, now_ms: float, *, user_arriving: bool = False) -> list[SegmentUpdate]:
        """Let session time reach `now_ms`: settle a held speaker change, or close a quiet assistant."""
        open_ = self._open
        if open_ is None:
            return []
        if (
            self._held is not None
            and now_ms >= open_.end_ms + self._settings.min_turn_separation_ms
            and not self._still_isolating(now_ms)
        ):
            self._held = self._judge_backchannel(now_ms=now_ms)
            if self._held is not None:
                return self._hand_over()
        quiet_since = open_.end_ms + self._settings.assistant_silence_ms
        if open_.speaker == "assistant" and not user_arriving and now_ms >= quiet_since:
            return self._close_open("inactivity")
        return []

    def close(self, now_ms: float, reason: TranscriptSegmentCloseReason) -> list[SegmentUpdate]:
        """Close everything: the open segment, then held text that is not a dropped backchannel."""
        survivor = self._judge_backchannel(now_ms=now_ms)
        self._held = None
        updates = self._close_open(reason)
        if survivor is not None and survivor.text:
            updates += self._show(survivor)
            updates += self._closed(survivor, reason)
        if reason == "timestamp_reset":
            self._assistant_ended_at = None
        return updates

    # -- taking one fragment -------------------------------------------------------------------------

    def _take(self, fragment: Fragment) -> list[SegmentUpdate]:
        open_ = self._open
        if open_ is None:
            self._open = self._bubble(fragment)
            return self._show(self._open)
        if fragment.speaker == open_.speaker:
            open_.extend(fragment, spaced=self._held is not None)
            return self._show(open_)
        if open_.speaker == "user" and self._user_talked_over():
            self._held = None  # the user kept talking through it: a dropped backchannel
        if open_.speaker == "assistant":
            self._hold(fragment)
            return self._hand_over()
        if fragment.start_ms - open_.end_ms < self._settings.min_turn_separation_ms:
            self._hold(fragment, droppable=self._could_become_acknowledgment(fragment))
            return []
        if self._held is not None and self._is_acknowledgment(fragment, after=self._held):
            self._hold(fragment, droppable=True)
            return []
        if self._held is None and self._is_acknowledgment(fragment):
            self._hold(fragment, droppable=False)
            return []
        resumed = self._judge_backchannel(arriving=fragment)
        self._held = None
        updates = self._close_open("speaker_change")
        if resumed is not None:
            resumed.extend(fragment)
            self._open = resumed
        else:
            self._open = self._bubble(fragment)
        updates += self._show(self._open)
        return updates

    def _bubble(self, fragment: Fragment) -> _Bubble:
        # Every bubble takes an id, shown or not, so ids stay in creation order.
        bubble_id = f"{self._id_prefix}_{self._ids_used}"
        self._ids_used += 1
        return _Bubble(bubble_id, fragment.speaker, fragment.text, fragment.start_ms, fragment.end_ms)

    def _hold(self, fragment: Fragment, *, droppable: bool | None = None) -> None:
        if self._held is None:
            self._held = self._bubble(fragment)
        else:
            self._held.extend(fragment)
        if droppable is not None:
            self._held.droppable = droppable

    def _hand_over(self) -> list[SegmentUpdate]:
        held = self._held
        if held is None:
            return []
        updates = self._close_open("speaker_change")
        self._open, self._held = held, None
        return updates + self._show(held)

    def _close_open(self, reason: TranscriptSegmentCloseReason) -> list[SegmentUpdate]:
        open_, self._open = self._open, None
        return self._closed(open_, reason) if open_ is not None else []

    def _closed(self, bubble: _Bubble, reason: TranscriptSegmentCloseReason) -> list[SegmentUpdate]:
        if bubble.speaker == "assistant":
            self._assistant_ended_at = bubble.end_ms
        return [TranscriptSegmentClosedEvent(bubble.snapshot(), reason)] if bubble.shown else []

    def _show(self, bubble: _Bubble) -> list[SegmentUpdate]:
        if not bubble.text:
            return []
        if not bubble.shown:
            bubble.shown = True
            bubble.previous_id, self._last_shown_id = self._last_shown_id, bubble.id
        return [bubble.snapshot()]

    # -- the backchannel questions -------------------------------------------------------------------

    def _short_assistant_over_user(self) -> bool:
        """Held assistant text short enough to be an acknowledgment of the user's open segment."""
        open_, held = self._open, self._held
        return (
            open_ is not None
            and held is not None
            and open_.speaker == "user"
            and held.speaker == "assistant"
            and held.end_ms - held.start_ms < self._settings.backchannel_max_duration_ms
        )

    def _user_talked_over(self) -> bool:
        """The user's segment already runs past the held acknowledgment."""
        open_, held = self._open, self._held
        return (
            self._short_assistant_over_user()
            and open_ is not None
            and held is not None
            and held.droppable
            and open_.end_ms > held.end_ms
        )

    def _follows_assistant(self) -> bool:
        """The held text came soon after the assistant's previous segment (it continues that speech)."""
        open_, held, ended = self._open, self._held, self._assistant_ended_at
        return (
            open_ is not None
            and held is not None
            and ended is not None
            and held.start_ms - ended < self._settings.backchannel_isolation_ms
            and held.start_ms <= open_.start_ms
        )

    def _undecided_backchannel(self) -> bool:
        held = self._held
        return (
            self._short_assistant_over_user()
            and held is not None
            and held.droppable
            and not self._user_talked_over()
            and not self._follows_assistant()
        )

    def _still_isolating(self, now_ms: float) -> bool:
        held = self._held
        return (
            self._undecided_backchannel()
            and held is not None
            and now_ms < held.end_ms + self._settings.backchannel_isolation_ms
        )

    def _judge_backchannel(self, *, now_ms: float | None = None, arriving: Fragment | None = None) -> _Bubble | None:
        """The held bubble if it must be kept, None if it is a backchannel to drop."""
        held = self._held
        if held is None or not self._short_assistant_over_user():
            return held
        if self._user_talked_over():
            return None
        if self._follows_assistant():
            return held
        isolation_ends = held.end_ms + self._settings.backchannel_isolation_ms
        if arriving is not None:
            if arriving.start_ms < isolation_ends:
                return held
        elif now_ms is None or now_ms < isolation_ends:
            return held
        return None if held.droppable else held

    def _is_acknowledgment(self, fragment: Fragment, *, after: _Bubble | None = None) -> bool:
        began = after.start_ms if after is not None else fragment.start_ms
        text = (after.text if after is not None else "") + fragment.text
        return (
            fragment.end_ms - began < self._settings.backchannel_max_duration_ms
            and normalize_phrase(text) in self._acknowledgments
        )

    def _could_become_acknowledgment(self, fragment: Fragment) -> bool:
        held = self._held
        began = held.start_ms if held is not None else fragment.start_ms
        text = normalize_phrase((held.text if held is not None else "") + fragment.text)
        return (
            fragment.end_ms - began < self._settings.backchannel_max_duration_ms
            and bool(text)
            and any(phrase.startswith(text) for phrase in self._acknowledgments)
        )
