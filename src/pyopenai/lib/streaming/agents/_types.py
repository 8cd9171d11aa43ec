"""The tool handler types under the module path the official SDK gives them."""

from ...beta.agents._tools import AsyncToolHandler, ToolHandler, ToolOutput

__all__ = ["AsyncToolHandler", "ToolHandler", "ToolOutput"]
