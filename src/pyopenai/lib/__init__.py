"""Hand-written helpers: streaming accumulators, structured outputs, tool runner, polling, Azure, webhooks, realtime.

The names below load on first use, so importing `pyopenai.lib` (which every resource with helper
methods does) costs nothing.

Module names follow one rule: a module imported from outside `lib/` (by users, the package root,
or the generated resources and types) has a plain name; a module only `lib/` itself uses starts
with an underscore. `_tools` and `_pydantic` keep the paths the official SDK gives them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:
    from ._function_tools import FunctionTool as FunctionTool
    from ._function_tools import function_tool as function_tool
    from ._schema import StrictSchemaError as StrictSchemaError
    from ._schema import to_strict_json_schema as to_strict_json_schema
    from ._tools import pydantic_function_tool as pydantic_function_tool
    from ._tools import pydantic_responses_function_tool as pydantic_responses_function_tool
    from .polling import PollingTimeoutError as PollingTimeoutError
    from .streaming.assistants import AssistantEventHandler as AssistantEventHandler
    from .streaming.assistants import AsyncAssistantEventHandler as AsyncAssistantEventHandler
    from .streaming.responses import ResponseFailedError as ResponseFailedError
    from .streaming.responses import ResponseStreamIncompleteError as ResponseStreamIncompleteError
    from .tool_runner import ToolRunnerMaxIterationsError as ToolRunnerMaxIterationsError

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "FunctionTool": "._function_tools",
        "function_tool": "._function_tools",
        "StrictSchemaError": "._schema",
        "to_strict_json_schema": "._schema",
        "pydantic_function_tool": "._tools",
        "pydantic_responses_function_tool": "._tools",
        "PollingTimeoutError": ".polling",
        "AssistantEventHandler": ".streaming.assistants",
        "AsyncAssistantEventHandler": ".streaming.assistants",
        "ResponseFailedError": ".streaming.responses",
        "ResponseStreamIncompleteError": ".streaming.responses",
        "ToolRunnerMaxIterationsError": ".tool_runner",
    },
)
