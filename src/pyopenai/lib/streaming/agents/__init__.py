"""The Agents session streams under the module path the official SDK gives them
(`openai.lib.streaming.agents`); they live in `pyopenai.lib.beta.agents`."""

from ...beta.agents._session_stream import AgentSessionStream, AsyncAgentSessionStream
from ._types import AsyncToolHandler, ToolHandler, ToolOutput

__all__ = ["AgentSessionStream", "AsyncAgentSessionStream", "AsyncToolHandler", "ToolHandler", "ToolOutput"]
