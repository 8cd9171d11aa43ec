"""The result of one agent turn, collected from its session events.

A turn's result is its final assistant messages (phase not `commentary`, status `completed`), known
once the session is idle again after the turn ended. Anything else (a failed or cancelled turn, a
session waiting for an action nobody will take, a stream that broke) is an `AgentTurnResultError`
that keeps what was seen, so a caller can still log the partial answer.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic

from typing_extensions import Literal, TypeAlias, TypeVar

from ...._exceptions import OpenAIError
from ._typevars import OutputT

if TYPE_CHECKING:
    from ....types.beta.agent_session import RequiredAction
    from ....types.beta.agent_session_event import AgentSessionEvent
    from ....types.beta.agent_session_message import AgentSessionMessage
    from ....types.beta.agents.sessions.turn import Turn

__all__ = ["AgentOutputParseError", "AgentTurnResult", "AgentTurnResultError", "OutputT", "ResultErrorReason"]

ParseT = TypeVar("ParseT")

ResultErrorReason: TypeAlias = Literal["failed", "cancelled", "requires_action", "incomplete", "observation_failed"]

_ENDED = ("completed", "failed", "cancelled")


def check_output_type(output_type: object) -> None:
    """`output_type` must be something pydantic validates JSON into: a model or a pydantic dataclass."""
    import dataclasses

    from ..._schema import is_pydantic_model

    if is_pydantic_model(output_type):
        return
    if isinstance(output_type, type) and dataclasses.is_dataclass(output_type):
        if hasattr(output_type, "__pydantic_fields__"):
            return
    raise TypeError(f"output_type must be a Pydantic model or a Pydantic v2 dataclass, not {output_type!r}")


@dataclass(frozen=True)
class AgentTurnResult(Generic[OutputT]):
    """The final assistant messages of one completed turn (beta)."""

    turn: Turn
    messages: list[AgentSessionMessage]
    output_parsed: OutputT | None = None

    @property
    def session_id(self) -> str:
        return self.turn.session_id

    @property
    def turn_id(self) -> str:
        return self.turn.id

    @property
    def output_text(self) -> str:
        """The final messages' output text, joined as is."""
        return "".join(message.output_text for message in self.messages)

    def parse(self, output_type: type[ParseT]) -> AgentTurnResult[ParseT]:
        """This result with `output_parsed` validated from the first final output text."""
        from pydantic import TypeAdapter

        check_output_type(output_type)
        texts = [part.text for message in self.messages for part in message.content if part.type == "output_text"]
        try:
            if not texts:
                raise ValueError("the turn has no final output text")
            parsed = TypeAdapter(output_type).validate_json(texts[0])
        except Exception:
            # the validation message quotes the model's output: keep it off the exception text
            raise AgentOutputParseError(self) from None
        return AgentTurnResult(turn=self.turn, messages=self.messages, output_parsed=parsed)


class AgentOutputParseError(OpenAIError):
    """The turn succeeded but its final text did not parse as the requested output type (beta)."""

    def __init__(self, result: AgentTurnResult[Any]) -> None:
        super().__init__("The agent's final output did not parse as the requested output_type")
        self.result = result


class AgentTurnResultError(OpenAIError):
    """No successful, complete turn result could be collected (beta).

    `reason` says why; `turn`, `messages` and `required_actions` keep what was seen. With
    `observation_failed` the turn itself may have succeeded: the stream failed (see `__cause__`).
    """

    def __init__(
        self,
        reason: ResultErrorReason,
        *,
        turn: Turn | None,
        session_id: str | None,
        messages: list[AgentSessionMessage],
        required_actions: list[RequiredAction],
    ) -> None:
        super().__init__(f"Could not collect the agent turn's result: {reason}")
        self.reason: ResultErrorReason = reason
        self.turn = turn
        self.session_id = session_id
        self.turn_id = turn.id if turn is not None else None
        self.messages = messages
        self.required_actions = required_actions


def snapshot_id(event: object) -> str | None:
    """The session id of an event's session snapshot, if it has a usable one (a snapshot that does
    not validate may be a dict, or missing)."""
    snapshot = getattr(event, "session", None)
    found = snapshot.get("id") if isinstance(snapshot, dict) else getattr(snapshot, "id", None)  # pyright: ignore[reportUnknownMemberType,reportUnknownVariableType]
    return found if isinstance(found, str) and found else None


class TurnResultCollector:
    """Follows the events of one root turn (not its subagents') and builds its result. The session
    may be unknown at first (a stream that creates it): its first events name it."""

    def __init__(self, session_id: str | None) -> None:
        self.session_id = session_id
        self.turn: Turn | None = None
        self.done = False
        self.session_failed = False
        self.cause: BaseException | None = None
        self.required_actions: list[RequiredAction] = []
        self._messages: dict[str, tuple[int, AgentSessionMessage]] = {}
        self._error: AgentTurnResultError | None = None
        self._result: AgentTurnResult[Any] | None = None

    def accept(self, event: AgentSessionEvent) -> None:
        if self.done:
            return
        if event.type == "agent.session.created":
            self.session_id = event.session.id
        elif event.type == "agent.session.turn.created":
            if self.turn is None and event.turn.subagent_id is None:
                self.turn = copy.deepcopy(event.turn)
                self.session_id = event.session_id
        elif (
            event.type == "agent.session.turn.completed"
            or event.type == "agent.session.turn.failed"
            or event.type == "agent.session.turn.cancelled"
        ):
            if self.turn is not None and event.turn_id == self.turn.id:
                self.turn = copy.deepcopy(event.turn)
                self.required_actions = []
        elif event.type == "agent.session.turn.item.done":
            item = event.item
            if (
                self.turn is not None
                and item.type == "message"
                and item.turn_id == self.turn.id
                and item.phase != "commentary"
                and item.status == "completed"
            ):
                from ....types.beta.agent_session_message import AgentSessionMessage

                message = AgentSessionMessage.model_validate(item.model_dump(mode="json", by_alias=True))
                self._messages[item.id or str(len(self._messages))] = (event.output_index, message)
        elif event.type == "agent.session.in_progress":
            self.required_actions = []
        elif event.type == "agent.session.requires_action":
            self.session_id = event.session.id
            self.required_actions = list(event.session.required_actions)
        elif event.type == "agent.session.failed":
            self.session_id = event.session.id
            self.session_failed = True
            self.done = True
        elif event.type == "agent.session.budget_reached":
            self._budget_reached(snapshot_id(event))
        elif event.type == "agent.session.idle":
            if self.turn is not None and self.turn.status in _ENDED:
                self.required_actions = []
                self.done = True

    def _budget_reached(self, session_id: str | None) -> None:
        """Spending stopped this session: before its turn started, no turn will come; after the turn
        ended, the turn's result stands. A snapshot naming no session (or another) says nothing."""
        if session_id is None:
            return
        if self.turn is None and self.session_id in (None, session_id):
            self.session_id = session_id
            self.done = True
        elif self.turn is not None and session_id == self.session_id and self.turn.status in _ENDED:
            self.required_actions = []
            self.done = True

    def messages(self) -> list[AgentSessionMessage]:
        return [message for _, message in sorted(self._messages.values(), key=lambda pair: pair[0])]

    def error(self, reason: ResultErrorReason) -> AgentTurnResultError:
        if self._error is None:
            self._error = AgentTurnResultError(
                reason,
                turn=self.turn,
                session_id=self.session_id,
                messages=self.messages(),
                required_actions=self.required_actions,
            )
            self.done = True
        return self._error

    def check(self, handled_tools: Iterable[str] = ()) -> None:
        """Raise as soon as the turn cannot end in a result."""
        if self._error is not None:
            raise self._error
        if self.session_failed or (self.turn is not None and self.turn.status == "failed"):
            raise self.error("failed")
        if self.turn is not None and self.turn.status == "cancelled":
            raise self.error("cancelled")
        handled = set(handled_tools)
        for action in self.required_actions:
            if action.type != "function_call" or action.name not in handled:
                raise self.error("requires_action")
        if self.cause is not None:
            raise self.error("observation_failed") from self.cause

    def result(self) -> AgentTurnResult[Any]:
        if self._result is None:
            self.check()
            if not self.done or self.turn is None or self.turn.status != "completed":
                raise self.error("incomplete")
            self._result = AgentTurnResult(turn=self.turn, messages=self.messages())
        return self._result


class ResultCollection(Generic[OutputT]):
    """Collection is opt-in (`with_result_collection()` / `get_final_result()`), and must start
    before the first event, or the turn's beginning would be missing."""

    def __init__(self, session_id: str | None, output_type: type[OutputT] | None) -> None:
        if output_type is not None:
            check_output_type(output_type)
        self.output_type = output_type
        self.session_id = session_id
        self.collector: TurnResultCollector | None = None
        self.started = False
        self._parsed: AgentTurnResult[OutputT] | None = None

    def enable(self) -> TurnResultCollector:
        if self.collector is None:
            if self.started:
                raise RuntimeError(
                    "call with_result_collection() before consuming events, or get_final_result() on a fresh stream"
                )
            self.collector = TurnResultCollector(self.session_id)
        return self.collector

    def accept(self, event: AgentSessionEvent) -> None:
        self.started = True
        if self.collector is not None:
            self.collector.accept(event)

    def record_error(self, error: BaseException) -> None:
        if self.collector is not None and not self.collector.done:
            self.collector.cause = error

    def result(self) -> AgentTurnResult[OutputT]:
        result = self.enable().result()
        if self.output_type is None:
            return result
        if self._parsed is None:
            self._parsed = result.parse(self.output_type)
        return self._parsed
