"""Local tool handlers for an agent session: run a function call the agent made, send its result.

A handler takes the call's arguments as a dict and returns its output: a string, a mapping (sent as
compact JSON), input content parts, or `None`. A handler that raises sends a failed result with a
fixed message: exception text may hold secrets and must not reach the model. The exception itself
goes to `on_tool_error` (an `AgentToolError`), if given.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union, cast

from typing_extensions import Literal, TypeAlias

if TYPE_CHECKING:
    from ....types.beta.agent_function_call_item import AgentFunctionCallItem
    from ....types.beta.agent_session_event import AgentSessionEvent
    from ....types.beta.agent_session_input_param import SessionInputParamAgentSessionInputToolResult
    from ....types.beta.input_content_param import InputContentParam

__all__ = [
    "AgentToolError",
    "AsyncToolErrorHandler",
    "AsyncToolHandler",
    "ToolErrorHandler",
    "ToolErrorStage",
    "ToolHandler",
    "ToolOutput",
]

ToolOutput: TypeAlias = Union[str, Mapping[str, Any], "Iterable[InputContentParam]", None]
ToolHandler: TypeAlias = Callable[[dict[str, Any]], ToolOutput]
AsyncToolHandler: TypeAlias = Callable[[dict[str, Any]], Union[ToolOutput, Awaitable[ToolOutput]]]
ToolErrorStage: TypeAlias = Literal["arguments", "execution", "output"]

FAILED_TOOL_MESSAGE = "Tool handler failed."


@dataclass(frozen=True)
class AgentToolError:
    """What `on_tool_error` receives when a local tool handler fails (beta).

    `stage` says where: decoding the arguments, running the handler, or encoding its output.
    `error` is the local exception; it is never sent to the model.
    """

    error: Exception
    tool_name: str
    session_id: str
    turn_id: str
    call_id: str
    stage: ToolErrorStage


ToolErrorHandler: TypeAlias = Callable[[AgentToolError], None]
AsyncToolErrorHandler: TypeAlias = Callable[[AgentToolError], Union[Awaitable[None], None]]


def _reject_non_finite(value: object) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("function arguments hold a number that is not finite")
    if isinstance(value, dict):
        for item in cast("dict[str, object]", value).values():
            _reject_non_finite(item)
    elif isinstance(value, list):
        for item in cast("list[object]", value):
            _reject_non_finite(item)


def call_arguments(call: AgentFunctionCallItem) -> dict[str, Any]:
    """The call's arguments as a fresh dict (the API sends a JSON object, or its text)."""
    raw = call.arguments
    value: object = json.loads(raw) if isinstance(raw, str) else copy.deepcopy(raw)
    if not isinstance(value, dict):
        raise ValueError("function arguments must be a JSON object")
    arguments = cast("dict[str, Any]", value)
    _reject_non_finite(arguments)
    return arguments


def result_input(call: AgentFunctionCallItem, output: object) -> SessionInputParamAgentSessionInputToolResult:
    """The `agent.session.input.tool_result` event for a handler's output; raises if it cannot be sent."""
    sent: Any
    if output is None or isinstance(output, str):
        sent = output
    elif isinstance(output, Mapping):
        sent = json.dumps(dict(cast("Mapping[str, Any]", output)), separators=(",", ":"), allow_nan=False)
    elif isinstance(output, Iterable):
        sent = list(cast("Iterable[Any]", output))
        json.dumps(sent, allow_nan=False)  # fails here, as a failed result, not later in the request
    else:
        raise TypeError(f"a tool handler returns str, a mapping, content parts or None, not {type(output).__name__}")
    if sent is not None:
        # text that UTF-8 cannot carry (a lone surrogate) fails here, as a failed result
        json.dumps(sent, ensure_ascii=False).encode("utf-8")
    event: SessionInputParamAgentSessionInputToolResult = {
        "type": "agent.session.input.tool_result",
        "turn_id": call.turn_id,
        "call_id": call.call_id,
        "success": True,
    }
    if sent is not None:
        event["output"] = sent
    return event


def failed_input(call: AgentFunctionCallItem) -> SessionInputParamAgentSessionInputToolResult:
    return {
        "type": "agent.session.input.tool_result",
        "turn_id": call.turn_id,
        "call_id": call.call_id,
        "success": False,
        "error": FAILED_TOOL_MESSAGE,
    }


def is_registration_race(error: Exception, call_id: str) -> bool:
    """The call's event can reach us before the API registered the call: the result is refused
    with this one message, and sending it again shortly after works."""
    body = getattr(error, "body", None)
    if getattr(error, "status_code", None) != 400 or not isinstance(body, dict):
        return False
    fields = cast("dict[str, object]", body)
    return fields.get("message") == f"Unknown pending tool call: {call_id}"


RACE_RETRY_DELAYS = (0.1, 0.3, 0.6)


@dataclass
class PendingCall:
    session_id: str
    call: AgentFunctionCallItem
    handler: Callable[[dict[str, Any]], Any]
    stage: ToolErrorStage = "arguments"

    def run(self) -> Any:
        """Decode the arguments and call the handler (its result may be awaitable)."""
        arguments = call_arguments(self.call)
        self.stage = "execution"
        from ._function_tool import typed_tool

        tool = typed_tool(self.handler)
        if tool is not None:  # a typed tool says which stage failed: validating, running, converting
            return tool.run(arguments, self.set_stage)
        return self.handler(arguments)

    def set_stage(self, stage: ToolErrorStage) -> None:
        self.stage = stage

    def finish(self, output: object) -> SessionInputParamAgentSessionInputToolResult:
        self.stage = "output"
        return result_input(self.call, output)

    def failure(self, error: Exception) -> AgentToolError:
        return AgentToolError(
            error=error,
            tool_name=self.call.name,
            session_id=self.session_id,
            turn_id=self.call.turn_id,
            call_id=self.call.call_id,
            stage=self.stage,
        )


class ToolCalls:
    """Which function calls of a stream a registered handler runs (each call once)."""

    def __init__(self, handlers: Mapping[str, Callable[[dict[str, Any]], Any]] | None) -> None:
        self.handlers: dict[str, Callable[[dict[str, Any]], Any]] = dict(handlers or {})
        self._seen: set[tuple[str, str]] = set()

    def pending(self, event: AgentSessionEvent) -> PendingCall | None:
        if event.type != "agent.session.turn.item.added" or event.item.type != "function_call":
            return None
        call = event.item
        handler = self.handlers.get(call.name)
        key = (call.turn_id, call.call_id)
        if handler is None or key in self._seen:
            return None
        self._seen.add(key)
        # a copy: the caller gets the event object and may change it before the handler runs
        return PendingCall(event.session_id, call.model_copy(deep=True), handler)
