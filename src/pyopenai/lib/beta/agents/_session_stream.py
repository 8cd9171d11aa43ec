"""`client.beta.agents.sessions.stream()`: send input to an idle session and follow the turn it starts.

The stream subscribes to the session's events before sending the input, so no event of the turn is
missed, and ends at the first `agent.session.idle` after the turn ended (or `agent.session.failed`).
Registered tool handlers run while iterating, just after their call's event was yielded, and their
results are sent back; other tool calls stay for the caller. Closing the stream does not cancel the
turn on the server. `AgentSessionStream` and `AsyncAgentSessionStream` share every decision
(`_Turn`, and the tool dispatchers of `_dispatch`); they differ only in how they wait.
"""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Generic

import httpx2
from typing_extensions import Self

from ...._types import NOT_GIVEN, Headers, NotGiven, Omit, omit
from ._dispatch import AsyncToolDispatcher, ToolDispatcher
from ._result import (
    AgentOutputParseError,
    AgentTurnResult,
    AgentTurnResultError,
    OutputT,
    ResultCollection,
    snapshot_id,
)
from ._tools import AsyncToolErrorHandler, AsyncToolHandler, ToolErrorHandler, ToolHandler

if TYPE_CHECKING:
    from ...._streaming import AsyncStream, Stream
    from ....resources.beta.agents.sessions.sessions import AsyncSessions, Sessions
    from ....types.beta.agent_session_event import AgentSessionEvent
    from ....types.beta.agent_session_input_message_param import AgentSessionInputMessageParam
    from ....types.beta.agent_session_input_param import SessionInputParamAgentSessionInputMessage

__all__ = ["AgentSessionStream", "AsyncAgentSessionStream"]

_RECENT_EVENTS = 1024  # redelivered events are recognised among this many recent ones
_NOT_IDLE = (
    "sessions.stream() needs an idle session (this one is {status!r}); follow a busy one with sessions.events.stream()"
)
_ENDED_EARLY = "the session's event stream ended before the turn's session went idle or failed"


def _input_event(input: str | Iterable[AgentSessionInputMessageParam]) -> SessionInputParamAgentSessionInputMessage:
    if isinstance(input, str):
        if not input:
            raise ValueError("input must not be empty")
        messages: list[AgentSessionInputMessageParam] = [
            {"role": "user", "content": [{"type": "input_text", "text": input}]}
        ]
    else:
        messages = list(input)
        if not messages:
            raise ValueError("input must not be empty")
    return {"type": "agent.session.input.message", "input": messages}


def _split_headers(headers: Headers | None, idempotency_key: str | Omit) -> tuple[Headers | None, str]:
    """The headers every request of the stream sends, and the input's idempotency key: an
    `Idempotency-Key` in `extra_headers` wins over the argument (as on other methods), and is kept
    for the input alone; tool results each get their own key."""
    key = None if isinstance(idempotency_key, Omit) else idempotency_key
    if headers is None:
        return None, key or str(uuid.uuid4())
    kept: dict[str, str | Omit] = {}
    for name, value in headers.items():
        if name.lower() == "idempotency-key":
            if isinstance(value, str):
                key = value
        else:
            kept[name] = value
    return kept, key or str(uuid.uuid4())


class _Turn(Generic[OutputT]):
    """What the stream of one turn has seen, and what it decides on each event."""

    def __init__(self, session_id: str, output_type: type[OutputT] | None) -> None:
        self.session_id = session_id
        self.turn_id: str | None = None
        self.turn_ended = False
        self.collection: ResultCollection[OutputT] = ResultCollection(session_id, output_type)
        self._recent: deque[str] = deque()
        self._recent_ids: set[str] = set()

    def is_new(self, event: AgentSessionEvent) -> bool:
        """False for an event already delivered (the API may resend some after a reconnect)."""
        if event.event_id in self._recent_ids:
            return False
        if len(self._recent) == _RECENT_EVENTS:
            self._recent_ids.discard(self._recent.popleft())
        self._recent.append(event.event_id)
        self._recent_ids.add(event.event_id)
        return True

    def observe(self, event: AgentSessionEvent) -> bool:
        """Record the event; True when it is the last one of this stream."""
        self.collection.accept(event)
        if event.type == "agent.session.turn.created":
            if self.turn_id is None and event.turn.subagent_id is None:
                self.turn_id = event.turn_id
        elif (
            event.type == "agent.session.turn.completed"
            or event.type == "agent.session.turn.failed"
            or event.type == "agent.session.turn.cancelled"
        ):
            if self.turn_id is not None and event.turn_id == self.turn_id:
                self.turn_ended = True
        elif event.type == "agent.session.failed":
            return True
        elif event.type == "agent.session.idle":
            return self.turn_ended  # an idle before our turn started is the session's state, not the end
        elif event.type == "agent.session.budget_reached":
            # a snapshot that names no session (or another) is not this stream's end
            return snapshot_id(event) == self.session_id and (self.turn_id is None or self.turn_ended)
        return False


class _TurnStream(Generic[OutputT]):
    """What both streams hold and decide without I/O; the subclasses add how they wait."""

    def __init__(
        self,
        session_id: str,
        input: str | Iterable[AgentSessionInputMessageParam],
        output_type: type[OutputT] | None,
        idempotency_key: str | Omit,
        extra_headers: Headers | None,
        timeout: float | httpx2.Timeout | NotGiven | None,
    ) -> None:
        if not session_id:
            raise ValueError("session_id must not be empty")
        self._session_id = session_id
        self._input = _input_event(input)
        self._headers, self._idempotency_key = _split_headers(extra_headers, idempotency_key)
        self._timeout = timeout
        self._turn: _Turn[OutputT] = _Turn(session_id, output_type)
        self._collection = self._turn.collection
        self._entered = False
        self._closed = False

    def _require_idle(self, status: str) -> None:
        """The session must be idle: a busy one's events belong to a turn this stream did not start."""
        if status != "idle":
            raise ValueError(_NOT_IDLE.format(status=status))

    def with_result_collection(self) -> Self:
        """Keep the turn's final messages for `get_final_result()`; call before reading events (beta)."""
        self._collection.enable()
        return self


class AgentSessionStream(_TurnStream[OutputT]):
    """One turn of an agent session, as events (beta); use it in a `with` block.

    Only one writer may send input to the session while it runs: the input request does not say
    which turn it starts. `error` events are yielded as values; HTTP and connection errors raise.
    """

    def __init__(
        self,
        sessions: Sessions,
        session_id: str,
        *,
        input: str | Iterable[AgentSessionInputMessageParam],
        output_type: type[OutputT] | None = None,
        tool_handlers: Mapping[str, ToolHandler] | None = None,
        on_tool_error: ToolErrorHandler | None = None,
        idempotency_key: str | Omit = omit,
        extra_headers: Headers | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
    ) -> None:
        super().__init__(session_id, input, output_type, idempotency_key, extra_headers, timeout)
        self._sessions = sessions
        self._tools = ToolDispatcher(
            sessions, tool_handlers, on_tool_error=on_tool_error, extra_headers=self._headers, timeout=timeout
        )
        self._events: Stream[AgentSessionEvent] | None = None
        self._iterator: Iterator[AgentSessionEvent] | None = None

    def __enter__(self) -> Self:
        if self._entered:
            raise RuntimeError("an AgentSessionStream can be entered only once")
        self._entered = True
        session = self._sessions.retrieve(self._session_id, extra_headers=self._headers, timeout=self._timeout)
        self._require_idle(session.status)
        self._events = self._sessions.events.stream(
            self._session_id, extra_headers=self._headers, timeout=self._timeout
        )
        try:
            self._sessions.events.create(
                self._session_id,
                events=[self._input],
                idempotency_key=self._idempotency_key,
                extra_headers=self._headers,
                timeout=self._timeout,
            )
        except BaseException:
            self.close()
            raise
        self._iterator = self._iterate()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> AgentSessionEvent:
        if self._iterator is None:
            raise RuntimeError("use sessions.stream(...) in a `with` block before reading events")
        if self._closed:
            raise StopIteration
        return next(self._iterator)

    def until_done(self) -> None:
        """Read the remaining events (running registered tool handlers)."""
        for _ in self:
            pass

    def get_final_result(self) -> AgentTurnResult[OutputT]:
        """Read the turn to its end (running registered tool handlers) and return its final
        messages; raises `AgentTurnResultError` when the turn did not complete (beta)."""
        collector = self._collection.enable()
        handled = self._tools.handled_tools
        try:
            collector.check(handled)
            for _ in self:
                collector.check(handled)
                if collector.done:
                    break
            return self._collection.result()
        except (AgentTurnResultError, AgentOutputParseError):
            raise
        except Exception as error:
            self._collection.record_error(error)
            raise collector.error("observation_failed") from error
        finally:
            self.close()

    def close(self) -> None:
        """Close the event connection; the turn goes on on the server."""
        self._closed = True
        if self._events is not None:
            self._events.close()

    def _iterate(self) -> Iterator[AgentSessionEvent]:
        assert self._events is not None
        try:
            for event in self._events:
                if not self._turn.is_new(event):
                    continue
                last = self._turn.observe(event)
                pending = None if last else self._tools.pending(event)
                yield event
                if last or self._closed:
                    return
                if pending is not None:
                    self._tools.dispatch(pending)
            raise RuntimeError(_ENDED_EARLY)
        except Exception as error:
            self._collection.record_error(error)
            raise
        finally:
            self.close()


class AsyncAgentSessionStream(_TurnStream[OutputT]):
    """`AgentSessionStream` for `AsyncOpenAI` (beta); use it in an `async with` block.

    Handlers may be plain functions or coroutines; plain ones run inline on the event loop.
    """

    def __init__(
        self,
        sessions: AsyncSessions,
        session_id: str,
        *,
        input: str | Iterable[AgentSessionInputMessageParam],
        output_type: type[OutputT] | None = None,
        tool_handlers: Mapping[str, AsyncToolHandler] | None = None,
        on_tool_error: AsyncToolErrorHandler | None = None,
        idempotency_key: str | Omit = omit,
        extra_headers: Headers | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
    ) -> None:
        super().__init__(session_id, input, output_type, idempotency_key, extra_headers, timeout)
        self._sessions = sessions
        self._tools = AsyncToolDispatcher(
            sessions, tool_handlers, on_tool_error=on_tool_error, extra_headers=self._headers, timeout=timeout
        )
        self._events: AsyncStream[AgentSessionEvent] | None = None
        self._iterator: AsyncIterator[AgentSessionEvent] | None = None

    async def __aenter__(self) -> Self:
        if self._entered:
            raise RuntimeError("an AsyncAgentSessionStream can be entered only once")
        self._entered = True
        session = await self._sessions.retrieve(self._session_id, extra_headers=self._headers, timeout=self._timeout)
        self._require_idle(session.status)
        self._events = await self._sessions.events.stream(
            self._session_id, extra_headers=self._headers, timeout=self._timeout
        )
        try:
            await self._sessions.events.create(
                self._session_id,
                events=[self._input],
                idempotency_key=self._idempotency_key,
                extra_headers=self._headers,
                timeout=self._timeout,
            )
        except BaseException:
            await self.close()
            raise
        self._iterator = self._iterate()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> AgentSessionEvent:
        if self._iterator is None:
            raise RuntimeError("use sessions.stream(...) in an `async with` block before reading events")
        if self._closed:
            raise StopAsyncIteration
        return await self._iterator.__anext__()

    async def until_done(self) -> None:
        """Read the remaining events (running registered tool handlers)."""
        async for _ in self:
            pass

    async def get_final_result(self) -> AgentTurnResult[OutputT]:
        """Read the turn to its end (running registered tool handlers) and return its final
        messages; raises `AgentTurnResultError` when the turn did not complete (beta)."""
        collector = self._collection.enable()
        handled = self._tools.handled_tools
        try:
            collector.check(handled)
            async for _ in self:
                collector.check(handled)
                if collector.done:
                    break
            return self._collection.result()
        except (AgentTurnResultError, AgentOutputParseError):
            raise
        except Exception as error:
            self._collection.record_error(error)
            raise collector.error("observation_failed") from error
        finally:
            await self.close()

    async def close(self) -> None:
        """Close the event connection; the turn goes on on the server."""
        self._closed = True
        if self._events is not None:
            await self._events.close()

    async def _iterate(self) -> AsyncIterator[AgentSessionEvent]:
        assert self._events is not None
        try:
            async for event in self._events:
                if not self._turn.is_new(event):
                    continue
                last = self._turn.observe(event)
                pending = None if last else self._tools.pending(event)
                yield event
                if last or self._closed:
                    return
                if pending is not None:
                    await self._tools.dispatch(pending)
            raise RuntimeError(_ENDED_EARLY)
        except Exception as error:
            self._collection.record_error(error)
            raise
        finally:
            await self.close()
