"""`pyopenai.lib.live`: the transcript groupers, offline (events built here, a clock the test moves)
and on a Live session of the local server (sync and async)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any, Union

import pytest

from pyopenai import OpenAIError
from pyopenai.lib.live import (
    AsyncTranscriptGrouper,
    TranscriptGrouper,
    TranscriptSegment,
    TranscriptSegmentClosedEvent,
)
from pyopenai.types.live import InputTranscriptDeltaEvent, OutputTranscriptDeltaEvent, ServerEvent
from pyopenai.types.live.session_closed_event import SessionClosedEvent

Update = Union[TranscriptSegment, TranscriptSegmentClosedEvent]

_ids = iter(range(1_000_000))


def said(speaker: str, text: str, start_ms: int, end_ms: int, *, event_id: str | None = None) -> ServerEvent:
    event_id = event_id or f"evt_{next(_ids)}"
    if speaker == "user":
        return InputTranscriptDeltaEvent(
            type="session.input_transcript.delta", delta=text, start_ms=start_ms, end_ms=end_ms, event_id=event_id
        )
    return OutputTranscriptDeltaEvent(
        type="session.output_transcript.delta", delta=text, start_ms=start_ms, end_ms=end_ms, event_id=event_id
    )


def session_closed() -> ServerEvent:
    return SessionClosedEvent.model_construct(type="session.closed", event_id="evt_closed", reason="close_requested")


def shown(updates: list[Update]) -> list[tuple[str, ...]]:
    """Updates as (kind, speaker, text[, reason]) for compact assertions."""
    rows: list[tuple[str, ...]] = []
    for update in updates:
        if isinstance(update, TranscriptSegment):
            rows.append(("updated", update.speaker, update.text))
        else:
            rows.append(("closed", update.segment.speaker, update.segment.text, update.reason))
    return rows


class _Timer:
    def __init__(self, due_ms: float, fire: Callable[[], None]) -> None:
        self.due_ms, self.fire, self.cancelled = due_ms, fire, False

    def cancel(self) -> None:
        self.cancelled = True


class SteppedGrouper(TranscriptGrouper):
    """A grouper on a clock the test moves; its timer fires when the test says so."""

    def __init__(self, **options: Any) -> None:
        self.now_ms = 0.0
        self.timers: list[_Timer] = []
        super().__init__(**options)
        self.updates: list[Update] = []
        self.on("segment.updated", self.updates.append)
        self.on("segment.closed", self.updates.append)

    def _local_ms(self) -> float:
        return self.now_ms

    def _start_timer(self, delay_ms: int, fire: Callable[[], None]) -> _Timer:
        timer = _Timer(self.now_ms + delay_ms, fire)
        self.timers.append(timer)
        return timer

    def wait(self, ms: float) -> None:
        """Let `ms` of local time pass, firing each timer that falls due (at its due time)."""
        until = self.now_ms + ms
        while due := [timer for timer in self.timers if not timer.cancelled and timer.due_ms <= until]:
            timer = min(due, key=lambda timer: timer.due_ms)
            self.now_ms = max(self.now_ms, timer.due_ms)
            timer.cancelled = True
            timer.fire()
        self.now_ms = until


# -- the policy ----------------------------------------------------------------------------------------


def test_an_acknowledgment_over_the_user_is_dropped_and_the_user_segment_goes_on() -> None:
    grouper = SteppedGrouper()
    with grouper:
        for event in [
            said("user", "Tell me", 0, 200),
            said("assistant", "mhm", 200, 400),
            said("user", "more", 800, 1000),
            said("assistant", "Here is the answer.", 2000, 2400),
        ]:
            grouper.push(event)
    assert shown(grouper.updates) == [
        ("updated", "user", "Tell me"),
        ("updated", "user", "Tell me more"),
        ("closed", "user", "Tell me more", "speaker_change"),
        ("updated", "assistant", "Here is the answer."),
        ("closed", "assistant", "Here is the answer.", "manual"),
    ]
    first, *_, answer = [u for u in grouper.updates if isinstance(u, TranscriptSegment)]
    assert first.previous_id is None and answer.previous_id == first.id != answer.id
    assert (first.start_ms, answer.start_ms, answer.end_ms) == (0, 2000, 2400)


def test_with_backchannel_duration_zero_every_acknowledgment_is_kept() -> None:
    grouper = SteppedGrouper(backchannel_max_duration_ms=0)
    grouper.push(said("user", "Tell me", 0, 200))
    grouper.push(said("assistant", "mhm", 200, 400))
    grouper.push(said("user", "more", 800, 1000))
    grouper.close()
    assert shown(grouper.updates) == [
        ("updated", "user", "Tell me"),
        ("closed", "user", "Tell me", "speaker_change"),
        ("updated", "assistant", "mhm"),
        ("closed", "assistant", "mhm", "speaker_change"),
        ("updated", "user", "more"),
        ("closed", "user", "more", "manual"),
    ]


def test_a_quiet_assistant_segment_closes_on_the_timer_a_user_segment_does_not() -> None:
    grouper = SteppedGrouper(assistant_silence_ms=1500)
    grouper.push(said("user", "Hi", 0, 300))
    grouper.wait(60_000)
    assert shown(grouper.updates) == [("updated", "user", "Hi")]
    grouper.push(said("assistant", "Hello there.", 900, 1400))
    grouper.wait(60)  # the assistant's text waits 50 ms for a simultaneous user fragment
    assert shown(grouper.updates)[-1] == ("updated", "assistant", "Hello there.")
    grouper.wait(1000)
    assert shown(grouper.updates)[-1] == ("updated", "assistant", "Hello there.")
    grouper.wait(600)
    assert shown(grouper.updates)[-1] == ("closed", "assistant", "Hello there.", "inactivity")


def test_simultaneous_fragments_are_ordered_user_first() -> None:
    grouper = SteppedGrouper(backchannel_max_duration_ms=0)
    grouper.push(said("assistant", "Sure.", 0, 500))
    grouper.push(said("user", "Wait", 0, 500))
    grouper.close()
    assert shown(grouper.updates) == [
        ("updated", "user", "Wait"),
        ("closed", "user", "Wait", "manual"),
        ("updated", "assistant", "Sure."),  # held back while the change was unsettled, shown on close
        ("closed", "assistant", "Sure.", "manual"),
    ]


def test_extra_acknowledgments_are_normalized_and_dropped_like_the_built_in_ones() -> None:
    plain = SteppedGrouper()
    extended = SteppedGrouper(additional_acknowledgments=["  Got-It! "])
    for grouper in (plain, extended):
        grouper.push(said("user", "So the plan is", 0, 300))
        grouper.push(said("assistant", "got it", 300, 500))
        grouper.push(said("user", "to leave early", 900, 1400))
        grouper.close()
    assert ("updated", "user", "So the plan is to leave early") in shown(extended.updates)
    assert ("updated", "assistant", "got it") not in shown(extended.updates)
    assert ("updated", "assistant", "got it") in shown(plain.updates)


def test_time_going_backwards_closes_the_segments_as_a_timestamp_reset() -> None:
    grouper = SteppedGrouper()
    grouper.push(said("user", "First take", 5000, 5500))
    grouper.push(said("user", "Second take", 0, 400))
    assert shown(grouper.updates) == [
        ("updated", "user", "First take"),
        ("closed", "user", "First take", "timestamp_reset"),
        ("updated", "user", "Second take"),
    ]


def test_session_closed_closes_the_grouper() -> None:
    grouper = SteppedGrouper()
    grouper.push(said("user", "Bye", 0, 300))
    grouper.push(session_closed())
    assert shown(grouper.updates)[-1] == ("closed", "user", "Bye", "session_closed")
    with pytest.raises(OpenAIError, match="closed"):
        grouper.push(said("user", "again", 400, 500))
    grouper.close()  # once closed, close() does nothing more
    assert len(grouper.updates) == 2


# -- what is ignored, what is refused ------------------------------------------------------------------


def test_repeated_ids_empty_text_and_other_events_change_nothing() -> None:
    grouper = SteppedGrouper()
    grouper.push(said("user", "One", 0, 100, event_id="evt_same"))
    grouper.wait(50)
    grouper.push(said("user", " two", 100, 200, event_id="evt_same"))
    grouper.push(said("user", "", 200, 300))
    grouper.push(SessionClosedEvent.model_construct(type="session.started"))  # pyright: ignore[reportArgumentType]
    assert shown(grouper.updates) == [("updated", "user", "One")]
    assert not [timer for timer in grouper.timers if not timer.cancelled]  # a user segment has no deadline


@pytest.mark.parametrize(
    "fields",
    [
        {"start_ms": 500, "end_ms": 100},
        {"start_ms": -1},
        {"end_ms": 1.5},
        {"start_ms": True},
        {"delta": None},
        {"event_id": ""},
    ],
)
def test_a_malformed_delta_is_refused_and_changes_nothing(fields: dict[str, Any]) -> None:
    grouper = SteppedGrouper()
    grouper.push(said("user", "Kept", 0, 100))
    values: dict[str, Any] = {"type": "session.input_transcript.delta", "event_id": "evt_bad", "delta": "x",
                              "start_ms": 100, "end_ms": 200, **fields}
    with pytest.raises(OpenAIError, match="Live transcript delta"):
        grouper.push(InputTranscriptDeltaEvent.model_construct(**values))
    grouper.push(said("user", " still here", 100, 200, event_id="evt_bad"))  # the refused id was not recorded
    assert shown(grouper.updates)[-1] == ("updated", "user", "Kept still here")


@pytest.mark.parametrize("option", ["min_turn_separation_ms", "assistant_silence_ms", "backchannel_max_duration_ms",
                                    "backchannel_isolation_ms"])
@pytest.mark.parametrize("value", [-1, float("nan"), float("inf"), 2**31, True])
def test_out_of_range_options_are_refused(option: str, value: Any) -> None:
    with pytest.raises(OpenAIError, match=option):
        TranscriptGrouper(**{option: value})
    with pytest.raises(OpenAIError, match=option):
        AsyncTranscriptGrouper(**{option: value})


def test_one_string_as_acknowledgments_is_refused() -> None:
    with pytest.raises(TypeError, match="sequence of phrases"):
        TranscriptGrouper(additional_acknowledgments="okay then")


# -- listeners -----------------------------------------------------------------------------------------


def test_once_off_decorators_and_unknown_event_names() -> None:
    grouper = SteppedGrouper()
    seen: list[str] = []

    @grouper.on("segment.updated")
    def every(segment: TranscriptSegment) -> None:
        seen.append(f"every:{segment.text}")

    grouper.once("segment.updated", lambda segment: seen.append(f"once:{segment.text}"))
    grouper.push(said("user", "a", 0, 100))
    grouper.wait(50)  # a first fragment waits 50 ms for the other speaker's at the same time
    grouper.off("segment.updated", every)
    grouper.push(said("user", "b", 100, 200))
    assert seen == ["every:a", "once:a"]
    with pytest.raises(ValueError, match="segment.updated"):
        grouper.on("segment.update", every)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]


def test_a_failing_callback_reaches_push_and_delivery_goes_on() -> None:
    grouper = SteppedGrouper()
    calls: list[str] = []

    def fail_once(segment: TranscriptSegment) -> None:
        calls.append(segment.text)
        if len(calls) == 1:
            raise RuntimeError("display failed")

    grouper.on("segment.updated", fail_once)
    grouper.push(said("user", "a", 0, 100))
    with pytest.raises(RuntimeError, match="display failed"):
        grouper.push(said("user", "b", 100, 200))  # releases "a", then adds "b"
    grouper.push(said("user", "c", 200, 300))
    assert calls == ["a", "ab", "abc"]


def test_a_callback_may_close_the_grouper() -> None:
    grouper = SteppedGrouper()
    grouper.once("segment.updated", lambda _segment: grouper.close())
    grouper.push(said("user", "Stop", 0, 100))
    grouper.wait(50)
    assert shown(grouper.updates) == [("updated", "user", "Stop"), ("closed", "user", "Stop", "manual")]


def test_the_timer_thread_delivers_time_driven_updates() -> None:
    closed = threading.Event()
    with TranscriptGrouper(assistant_silence_ms=0) as grouper:
        grouper.on("segment.closed", lambda event: closed.set() if event.reason == "inactivity" else None)
        grouper.push(said("assistant", "Done.", 0, 100))
        assert closed.wait(timeout=10), "the timer thread never closed the quiet assistant segment"


# -- asyncio -------------------------------------------------------------------------------------------


async def test_async_callbacks_are_awaited_in_order() -> None:
    order: list[str] = []

    async def slow(segment: TranscriptSegment) -> None:
        await asyncio.sleep(0)
        order.append(f"async:{segment.text}")

    async with AsyncTranscriptGrouper() as grouper:
        grouper.on("segment.updated", slow)
        grouper.on("segment.updated", lambda segment: order.append(f"sync:{segment.text}"))
        grouper.on("segment.closed", lambda event: order.append(f"closed:{event.reason}"))
        await grouper.push(said("user", "Hi", 0, 100))  # waits for a simultaneous assistant fragment
        await grouper.push(said("user", "!", 100, 200))  # releases "Hi", then adds "!"
        assert order == ["async:Hi", "sync:Hi", "async:Hi!", "sync:Hi!"]
    assert order[-1] == "closed:manual"


async def test_async_timer_closes_a_quiet_assistant_on_the_loop() -> None:
    closed = asyncio.Event()
    grouper = AsyncTranscriptGrouper(assistant_silence_ms=0)
    grouper.on("segment.closed", lambda event: closed.set() if event.reason == "inactivity" else None)
    await grouper.push(said("assistant", "Done.", 0, 100))
    await asyncio.wait_for(closed.wait(), timeout=10)
    await grouper.close()


async def test_async_callback_errors_reach_push() -> None:
    grouper = AsyncTranscriptGrouper()

    async def fail(_segment: TranscriptSegment) -> None:
        raise RuntimeError("render failed")

    grouper.once("segment.updated", fail)
    await grouper.push(said("user", "a", 0, 100))
    with pytest.raises(RuntimeError, match="render failed"):
        await grouper.push(said("user", "b", 100, 200))
    seen: list[str] = []
    grouper.on("segment.updated", lambda segment: seen.append(segment.text))
    await grouper.push(said("user", "c", 200, 300))
    assert seen == ["ab", "abc"]  # the update queued behind the failure is delivered, not lost
    await grouper.close()
    with pytest.raises(OpenAIError):
        await grouper.push(said("user", "c", 200, 300))


def test_an_async_grouper_stays_on_its_loop() -> None:
    grouper = AsyncTranscriptGrouper()
    asyncio.run(grouper.push(said("user", "a", 0, 100)))
    with pytest.raises(OpenAIError, match="another event loop"):
        asyncio.run(grouper.push(said("user", "b", 100, 200)))


# -- on a Live session of the local server -------------------------------------------------------------

QUIET_MS = 600_000  # assistant silence: never close by inactivity while the test runs, however slow


def test_grouping_a_local_live_session() -> None:
    pytest.importorskip("wsproto", reason="WebSocket support needs wsproto (pyopenai[realtime])")
    from pyopenai import OpenAI
    from pyopenai.testing import LocalServer

    updates: list[Update] = []
    with LocalServer() as server, OpenAI(api_key="sk-local", base_url=server.url) as client:
        with TranscriptGrouper(assistant_silence_ms=QUIET_MS) as transcript, client.live.connect() as connection:
            transcript.on("segment.updated", updates.append).on("segment.closed", updates.append)
            connection.session.start(session={"model": "gpt-live-1"})
            connection.response.item.create(item={"type": "message", "role": "user", "content": "Good morning"})
            connection.response.create()
            connection.session.close()
            for event in connection:
                transcript.push(event)
    assert shown(updates)[-1] == ("closed", "assistant", 'You said: "Good morning"', "session_closed")
    assert [row[2] for row in shown(updates)][-2] == 'You said: "Good morning"'


async def test_grouping_a_local_live_session_async() -> None:
    pytest.importorskip("wsproto", reason="WebSocket support needs wsproto (pyopenai[realtime])")
    from pyopenai import AsyncOpenAI
    from pyopenai.testing import LocalServer

    texts: list[str] = []
    reasons: list[str] = []
    with LocalServer() as server:
        async with AsyncOpenAI(api_key="sk-local", base_url=server.url) as client:
            async with AsyncTranscriptGrouper(assistant_silence_ms=QUIET_MS) as transcript, client.live.connect() as connection:

                async def show(segment: TranscriptSegment) -> None:
                    texts.append(segment.text)

                transcript.on("segment.updated", show)
                transcript.on("segment.closed", lambda event: reasons.append(event.reason))
                await connection.session.start(session={"model": "gpt-live-1"})
                await connection.response.create()
                await connection.session.close()
                async for event in connection:
                    await transcript.push(event)
    assert texts[-1] == "Hello from the local Live server."
    assert reasons == ["session_closed"]
