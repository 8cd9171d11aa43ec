"""`client.beta.agents.sessions.create(stream=True)`: the new session's events, as they come.

Iterating yields each `AgentSessionEvent` (the API's `error` events included, as items). Two things
happen on the way, set up by `create()` (`_create.bind`): a function call whose name has a handler
in `tool_handlers` is run just after its event was yielded and its result sent back, and, once asked
(`with_result_collection()` / `get_final_result()`), the first turn's final messages are kept for
its `AgentTurnResult` (parsed as `output_type` when given). `AgentSessionEventStream` and
`AsyncAgentSessionEventStream` share every decision; they differ only in how they wait.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator, Iterator
from typing import TYPE_CHECKING, Any, Generic

import httpx2
from typing_extensions import Self

from ...._streaming import AsyncEventStream, EventStream
from ._result import AgentOutputParseError, AgentTurnResult, AgentTurnResultError, OutputT, ResultCollection

if TYPE_CHECKING:
    from ....types.beta.agent_session_event import AgentSessionEvent
    from ._dispatch import AsyncToolDispatcher, ToolDispatcher
    from ._result import TurnResultCollector

__all__ = ["AgentSessionEventStream", "AsyncAgentSessionEventStream"]


def _event_type() -> Any:
    """What each event is parsed as. The stream's own type parameter is the result's output type,
    so the event type is not the `cast_to` the transport derives from it."""
    from ....types.beta.agent_session_event import AgentSessionEvent

    return AgentSessionEvent


def _handled(dispatcher: ToolDispatcher | AsyncToolDispatcher | None) -> list[str]:
    return list(dispatcher.handled_tools) if dispatcher is not None else []


def _start_result(
    collection: ResultCollection[Any], dispatcher: ToolDispatcher | AsyncToolDispatcher | None
) -> TurnResultCollector:
    """Collection on (a fresh stream only), and an error at once if the turn already cannot succeed."""
    collector = collection.enable()
    collector.check(_handled(dispatcher))
    return collector


def _reading_failed(
    collection: ResultCollection[Any], collector: TurnResultCollector, error: Exception
) -> AgentTurnResultError:
    """The error `get_final_result()` raises when reading the stream itself failed."""
    collection.record_error(error)
    return collector.error("observation_failed")


class AgentSessionEventStream(EventStream["AgentSessionEvent"], Generic[OutputT]):
    """The events of a session created with `stream=True` (beta); iterate it, in a `with` block.

    Registered tool handlers run while iterating, after their call's event was yielded. With
    initial `input`, `get_final_result()` reads on to the end of the first turn and returns its result.
    """

    def __init__(self, *, cast_to: Any, response: httpx2.Response, client: object | None = None) -> None:
        self._collection: ResultCollection[OutputT] = ResultCollection(None, None)
        self._dispatcher: ToolDispatcher | None = None
        super().__init__(cast_to=_event_type(), response=response, client=client)

    def __iter__(self) -> Iterator[AgentSessionEvent]:
        # one iterator for every loop: a loop may stop early and `get_final_result()` read on
        return self._iterator

    def _events(self) -> Generator[AgentSessionEvent, None, None]:
        collection = self._collection
        try:
            for event in super()._events():
                collection.accept(event)
                dispatcher = self._dispatcher
                pending = dispatcher.pending(event) if dispatcher is not None else None
                yield event
                if pending is not None and dispatcher is not None and not self.response.is_closed:
                    dispatcher.dispatch(pending)
        except Exception as error:
            collection.record_error(error)
            raise
        finally:
            self.response.close()

    def with_result_collection(self) -> Self:
        """Keep the first turn's final messages for `get_final_result()`; call before reading events (beta)."""
        self._collection.enable()
        return self

    def get_final_result(self) -> AgentTurnResult[OutputT]:
        """Read on to the end of the first turn (running registered tool handlers) and return its
        final messages; raises `AgentTurnResultError` when the turn did not complete (beta).
        A second call returns the same result."""
        collector = _start_result(self._collection, self._dispatcher)
        try:
            if not collector.done:
                for _ in self:
                    collector.check(_handled(self._dispatcher))
                    if collector.done:
                        break
            return self._collection.result()
        except (AgentTurnResultError, AgentOutputParseError):
            raise
        except Exception as error:
            raise _reading_failed(self._collection, collector, error) from error
        finally:
            self.close()


class AsyncAgentSessionEventStream(AsyncEventStream["AgentSessionEvent"], Generic[OutputT]):
    """`AgentSessionEventStream` for `AsyncOpenAI` (beta); handlers may be coroutines."""

    def __init__(self, *, cast_to: Any, response: httpx2.Response, client: object | None = None) -> None:
        self._collection: ResultCollection[OutputT] = ResultCollection(None, None)
        self._dispatcher: AsyncToolDispatcher | None = None
        super().__init__(cast_to=_event_type(), response=response, client=client)

    async def _events(self) -> AsyncGenerator[AgentSessionEvent, None]:
        collection = self._collection
        try:
            async for event in super()._events():
                collection.accept(event)
                dispatcher = self._dispatcher
                pending = dispatcher.pending(event) if dispatcher is not None else None
                yield event
                if pending is not None and dispatcher is not None and not self.response.is_closed:
                    await dispatcher.dispatch(pending)
        except Exception as error:
            collection.record_error(error)
            raise
        finally:
            await self.response.aclose()

    def with_result_collection(self) -> Self:
        """Keep the first turn's final messages for `get_final_result()`; call before reading events (beta)."""
        self._collection.enable()
        return self

    async def get_final_result(self) -> AgentTurnResult[OutputT]:
        """Read on to the end of the first turn (running registered tool handlers) and return its
        final messages; raises `AgentTurnResultError` when the turn did not complete (beta).
        A second call returns the same result."""
        collector = _start_result(self._collection, self._dispatcher)
        try:
            if not collector.done:
                async for _ in self:
                    collector.check(_handled(self._dispatcher))
                    if collector.done:
                        break
            return self._collection.result()
        except (AgentTurnResultError, AgentOutputParseError):
            raise
        except Exception as error:
            raise _reading_failed(self._collection, collector, error) from error
        finally:
            await self.close()
