"""Helpers for the Agents API (beta): session streams with local tool handlers, turn results,
environment file uploads and turn artifacts. Reached through `client.beta.agents...`; the classes are
importable from here for annotations, and load on first access."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...._lazy import lazy_exports

if TYPE_CHECKING:
    from ._artifacts import AgentResultArtifacts as AgentResultArtifacts
    from ._artifacts import AsyncAgentResultArtifacts as AsyncAgentResultArtifacts
    from ._create import agent_text_format as agent_text_format
    from ._files import AgentFilePreparationError as AgentFilePreparationError
    from ._files import AgentFileStagingError as AgentFileStagingError
    from ._files import PreparedAgentFiles as PreparedAgentFiles
    from ._files import StagedAgentFile as StagedAgentFile
    from ._function_tool import FunctionTool as FunctionTool
    from ._function_tool import function_tool as function_tool
    from ._function_tool import pydantic_function_tool as pydantic_function_tool
    from ._result import AgentOutputParseError as AgentOutputParseError
    from ._result import AgentTurnResult as AgentTurnResult
    from ._result import AgentTurnResultError as AgentTurnResultError
    from ._session_stream import AgentSessionStream as AgentSessionStream
    from ._session_stream import AsyncAgentSessionStream as AsyncAgentSessionStream
    from ._stream import AgentSessionEventStream as AgentSessionEventStream
    from ._stream import AsyncAgentSessionEventStream as AsyncAgentSessionEventStream
    from ._tools import AgentToolError as AgentToolError
    from ._tools import AsyncToolErrorHandler as AsyncToolErrorHandler
    from ._tools import AsyncToolHandler as AsyncToolHandler
    from ._tools import ToolErrorHandler as ToolErrorHandler
    from ._tools import ToolHandler as ToolHandler
    from ._tools import ToolOutput as ToolOutput

__all__ = [
    "AgentFilePreparationError",
    "AgentFileStagingError",
    "AgentOutputParseError",
    "AgentResultArtifacts",
    "AgentSessionEventStream",
    "AgentSessionStream",
    "AgentToolError",
    "AgentTurnResult",
    "AgentTurnResultError",
    "AsyncAgentResultArtifacts",
    "AsyncAgentSessionEventStream",
    "AsyncAgentSessionStream",
    "AsyncToolErrorHandler",
    "AsyncToolHandler",
    "FunctionTool",
    "PreparedAgentFiles",
    "StagedAgentFile",
    "ToolErrorHandler",
    "ToolHandler",
    "ToolOutput",
    "agent_text_format",
    "function_tool",
    "pydantic_function_tool",
]

_MODULES = {
    "._artifacts": ("AgentResultArtifacts", "AsyncAgentResultArtifacts"),
    "._create": ("agent_text_format",),
    "._files": ("AgentFilePreparationError", "AgentFileStagingError", "PreparedAgentFiles", "StagedAgentFile"),
    "._function_tool": ("FunctionTool", "function_tool", "pydantic_function_tool"),
    "._result": ("AgentOutputParseError", "AgentTurnResult", "AgentTurnResultError"),
    "._session_stream": ("AgentSessionStream", "AsyncAgentSessionStream"),
    "._stream": ("AgentSessionEventStream", "AsyncAgentSessionEventStream"),
    "._tools": (
        "AgentToolError",
        "AsyncToolErrorHandler",
        "AsyncToolHandler",
        "ToolErrorHandler",
        "ToolHandler",
        "ToolOutput",
    ),
}
__getattr__, __dir__ = lazy_exports(__name__, {name: module for module, names in _MODULES.items() for name in names})
