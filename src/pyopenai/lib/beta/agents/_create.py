"""The request-preparation hook of `client.beta.agents.sessions.create()` (config `method_overrides`).

`create()` takes two arguments that stay on the client: `output_type` (a pydantic model the first
turn's answer must follow: sent as the agent's JSON-schema text format, used again to parse the
result) and `tool_handlers` (local functions run for the session's function calls, which needs
`stream=True`). The hook checks them, writes the schema into the body, and returns the step that
hands both to the event stream the call answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Callable, cast

import httpx2

from ...._resource import SyncAPIResource
from ...._types import Headers, NotGiven, Omit

if TYPE_CHECKING:
    from ....resources.beta.agents.sessions.sessions import AsyncSessions, Sessions
    from ....types.beta.text_format_param import TextFormatParamJSONSchema
    from ._dispatch import AsyncToolDispatcher, ToolDispatcher

__all__ = ["agent_text_format", "prepare_create"]


def agent_text_format(output_type: type[Any]) -> TextFormatParamJSONSchema:
    """The agent's `text.format` that makes its answers follow `output_type` (a pydantic model or
    pydantic dataclass), as strict JSON schema (beta)."""
    from ..._schema import to_strict_json_schema
    from ._result import check_output_type

    check_output_type(output_type)
    return {"type": "json_schema", "schema": to_strict_json_schema(output_type)}


def _with_output_schema(agent: object, output_type: type[Any]) -> dict[str, object]:
    config: dict[str, object] = (
        {} if isinstance(agent, (Omit, NotGiven)) or agent is None else dict(cast("Mapping[str, object]", agent))
    )
    text = dict(cast("Mapping[str, object]", config.get("text") or {}))
    if text.get("format") is not None:
        raise ValueError("pass either output_type or agent.text.format, not both")
    text["format"] = agent_text_format(output_type)
    config["text"] = text
    return config


class _BindStream:
    """The post-parse step: gives the event stream its output type and its tool dispatcher. A
    non-streamed answer (the session object) passes through unchanged."""

    def __init__(self, output_type: type[Any] | None, dispatcher: ToolDispatcher | AsyncToolDispatcher | None) -> None:
        self._output_type = output_type
        self._dispatcher = dispatcher

    def __call__(self, result: object) -> object:
        from ._stream import AgentSessionEventStream, AsyncAgentSessionEventStream

        if isinstance(result, (AgentSessionEventStream, AsyncAgentSessionEventStream)):
            stream = cast("AgentSessionEventStream[Any] | AsyncAgentSessionEventStream[Any]", result)
            stream._collection.output_type = self._output_type  # pyright: ignore[reportPrivateUsage]
            stream._dispatcher = self._dispatcher  # pyright: ignore[reportPrivateUsage,reportAttributeAccessIssue]
            return stream
        return result


def prepare_create(
    body: Mapping[str, object],
    sessions: Sessions | AsyncSessions,
    *,
    output_type: type[Any] | None,
    tool_handlers: Mapping[str, Callable[[dict[str, Any]], Any]] | None,
    extra_headers: Headers | None,
    timeout: float | httpx2.Timeout | NotGiven | None,
) -> tuple[dict[str, object], Callable[[Any], Any] | None]:
    """(body to send, post-parse step) for `sessions.create()`; bad `output_type` / `tool_handlers`
    raise here, before anything is sent."""
    prepared = dict(body)
    if tool_handlers is not None and prepared.get("stream") is not True:
        raise ValueError("tool_handlers needs stream=True: handlers run while the session's events are read")
    if output_type is not None:
        prepared["agent"] = _with_output_schema(prepared.get("agent"), output_type)
    dispatcher: ToolDispatcher | AsyncToolDispatcher | None = None
    if tool_handlers:
        from ._dispatch import AsyncToolDispatcher, ToolDispatcher

        if isinstance(sessions, SyncAPIResource):
            dispatcher = ToolDispatcher(sessions, tool_handlers, extra_headers=extra_headers, timeout=timeout)
        else:
            dispatcher = AsyncToolDispatcher(sessions, tool_handlers, extra_headers=extra_headers, timeout=timeout)
    if prepared.get("stream") is not True:
        return prepared, None
    return prepared, _BindStream(output_type, dispatcher)
