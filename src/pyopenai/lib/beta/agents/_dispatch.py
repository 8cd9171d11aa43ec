"""Running the registered tool handlers of an agent session stream and sending their results.

Both kinds of stream use it: `sessions.stream()` (a turn of an existing session) and
`sessions.create(stream=True)` (a new session's events). A stream asks `pending()` about each event
before yielding it, and calls `dispatch()` once the caller has seen it. The sync and async
dispatchers share every decision (`PendingCall`, `ToolCalls`); they differ only in how they wait.
"""

from __future__ import annotations

import asyncio
import inspect
import time
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx2

from ...._types import NOT_GIVEN, Headers, NotGiven
from ._tools import (
    RACE_RETRY_DELAYS,
    AsyncToolErrorHandler,
    AsyncToolHandler,
    PendingCall,
    ToolCalls,
    ToolErrorHandler,
    ToolHandler,
    failed_input,
    is_registration_race,
)

if TYPE_CHECKING:
    from ....resources.beta.agents.sessions.sessions import AsyncSessions, Sessions
    from ....types.beta.agent_session_event import AgentSessionEvent
    from ....types.beta.agent_session_input_param import SessionInputParamAgentSessionInputToolResult

__all__ = ["AsyncToolDispatcher", "ToolDispatcher", "without_idempotency_key"]


def without_idempotency_key(headers: Headers | None) -> Headers | None:
    """The headers a tool result is sent with: the caller's, except an `Idempotency-Key` (it was
    meant for the request that started the stream; each result gets its own)."""
    if headers is None:
        return None
    return {name: value for name, value in headers.items() if name.lower() != "idempotency-key"}


class _Dispatch:
    def __init__(
        self,
        handlers: Mapping[str, Any] | None,
        headers: Headers | None,
        timeout: float | httpx2.Timeout | NotGiven | None,
    ) -> None:
        self.calls = ToolCalls(handlers)
        self._headers = without_idempotency_key(headers)
        self._timeout = timeout

    @property
    def handled_tools(self) -> Mapping[str, Any]:
        return self.calls.handlers

    def pending(self, event: AgentSessionEvent) -> PendingCall | None:
        """The call this event asks a registered handler to run, if any (each call once)."""
        return self.calls.pending(event)


def _race_wait(error: Exception, delay: float | None, call_id: str) -> float:
    """The wait before sending a tool result again, when the failure was the call's registration race
    and a retry is left; any other failure (or the last attempt's) is raised as it came."""
    if delay is None or not is_registration_race(error, call_id):
        raise error
    return delay

class ToolDispatcher(_Dispatch):
    """Runs handlers for a sync stream; an async handler is a failed call (it needs `AsyncOpenAI`)."""

    def __init__(
        self,
        sessions: Sessions,
        handlers: Mapping[str, ToolHandler] | None,
        *,
        on_tool_error: ToolErrorHandler | None = None,
        extra_headers: Headers | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
    ) -> None:
        super().__init__(handlers, extra_headers, timeout)
        # results are sent as plain calls, whatever mode (raw, streamed) the stream was opened in
        self._events = sessions._with_mode("parse").events  # pyright: ignore[reportPrivateUsage]
        self._on_tool_error = on_tool_error

    def dispatch(self, pending: PendingCall) -> None:
        self._send(pending.session_id, self._run(pending))

    def _run(self, pending: PendingCall) -> SessionInputParamAgentSessionInputToolResult:
        try:
            output = pending.run()
            if inspect.isawaitable(output):
                close = getattr(output, "close", None)
                if callable(close):
                    close()  # a coroutine never awaited would warn
                raise TypeError("an async tool handler needs AsyncOpenAI")
            return pending.finish(output)
        except Exception as error:
            if self._on_tool_error is not None:
                try:
                    notified: object = self._on_tool_error(pending.failure(error))
                    if inspect.iscoroutine(notified):
                        notified.close()  # an async observer cannot be awaited here
                except Exception:
                    pass  # a failing observer must not change what the turn gets
            return failed_input(pending.call)

    def _send(self, session_id: str, result: SessionInputParamAgentSessionInputToolResult) -> None:
        key = str(uuid.uuid4())  # one key for every attempt: the API applies the result once
        for delay in (*RACE_RETRY_DELAYS, None):
            try:
                self._events.create(
                    session_id, events=[result], idempotency_key=key, extra_headers=self._headers, timeout=self._timeout
                )
                return
            except Exception as error:
                time.sleep(_race_wait(error, delay, result["call_id"]))


class AsyncToolDispatcher(_Dispatch):
    """Runs handlers for an async stream: plain functions inline on the event loop, coroutines awaited."""

    def __init__(
        self,
        sessions: AsyncSessions,
        handlers: Mapping[str, AsyncToolHandler] | None,
        *,
        on_tool_error: AsyncToolErrorHandler | None = None,
        extra_headers: Headers | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = NOT_GIVEN,
    ) -> None:
        super().__init__(handlers, extra_headers, timeout)
        self._events = sessions._with_mode("parse").events  # pyright: ignore[reportPrivateUsage]
        self._on_tool_error = on_tool_error

    async def dispatch(self, pending: PendingCall) -> None:
        await self._send(pending.session_id, await self._run(pending))

    async def _run(self, pending: PendingCall) -> SessionInputParamAgentSessionInputToolResult:
        try:
            output = pending.run()
            if inspect.isawaitable(output):
                output = await output
            return pending.finish(output)
        except Exception as error:
            if self._on_tool_error is not None:
                try:
                    notified = self._on_tool_error(pending.failure(error))
                    if inspect.isawaitable(notified):
                        await notified
                except Exception:
                    pass  # a failing observer must not change what the turn gets
            return failed_input(pending.call)

    async def _send(self, session_id: str, result: SessionInputParamAgentSessionInputToolResult) -> None:
        key = str(uuid.uuid4())  # one key for every attempt: the API applies the result once
        for delay in (*RACE_RETRY_DELAYS, None):
            try:
                await self._events.create(
                    session_id, events=[result], idempotency_key=key, extra_headers=self._headers, timeout=self._timeout
                )
                return
            except Exception as error:
                await asyncio.sleep(_race_wait(error, delay, result["call_id"]))
