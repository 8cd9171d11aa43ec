"""Typed function tools: a pydantic model (or TypedDict/dataclass) as a strict function definition.

`pydantic_function_tool(Model)` returns the tool dict the Chat Completions API takes, marked with
the model so `.parse()` and `.stream()` decode the call's arguments into it (`parsed_arguments`).
The Responses helpers accept the same value and convert it to the flat Responses tool shape.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, cast

from .._types import Omit, is_given, omit
from ._schema import split_docstring, to_strict_json_schema

if TYPE_CHECKING:
    from ..types.chat.chat_completion_function_tool_param import ChatCompletionFunctionToolParam
    from ..types.responses.function_tool_param import FunctionToolParam

__all__ = ["PydanticFunctionTool", "ResponsesPydanticFunctionTool", "pydantic_function_tool"]


class PydanticFunctionTool(dict[str, Any]):
    """A Chat Completions function tool definition (a plain dict to the API) that knows its model."""

    model: Any

    def __init__(self, defn: dict[str, Any], model: Any) -> None:
        super().__init__(defn)
        self.model = model

    def cast(self) -> dict[str, Any]:
        return self


class ResponsesPydanticFunctionTool(dict[str, Any]):
    """The Responses-API twin of `PydanticFunctionTool` (flat `{type, name, parameters, strict}`)."""

    model: Any

    def __init__(self, defn: dict[str, Any], model: Any) -> None:
        super().__init__(defn)
        self.model = model

    def cast(self) -> dict[str, Any]:
        return self


def _description(model: Any) -> str | None:
    doc = inspect.getdoc(model)
    if not doc or doc.startswith(getattr(model, "__name__", "") + "("):  # a dataclass's generated doc
        return None
    if callable(getattr(model, "model_json_schema", None)):
        # pydantic's own BaseModel docstring is inherited by models without one
        base_doc = next((inspect.getdoc(b) for b in type.mro(model)[1:] if b.__name__ == "BaseModel"), None)
        if doc == base_doc:
            return None
    summary, _ = split_docstring(doc)
    return summary


def pydantic_function_tool(
    model: type, *, name: str | None = None, description: str | None = None
) -> ChatCompletionFunctionToolParam:
    """A strict function tool whose parameters are `model`'s fields.

    `model`: a pydantic model class (or a TypedDict / dataclass). The name defaults to the class
    name and the description to its docstring. Strict mode applies, so the schema follows its rules
    (see `pyopenai.lib._schema`); a type it cannot express raises `StrictSchemaError`.
    """
    fn: dict[str, Any] = {
        "name": name or model.__name__,
        "strict": True,
        "parameters": to_strict_json_schema(model),
    }
    desc = description if description is not None else _description(model)
    if desc:
        fn["description"] = desc
    # typed as the tool dict it is to the API (as the official SDK types it); it also knows its model
    return cast("ChatCompletionFunctionToolParam", PydanticFunctionTool({"type": "function", "function": fn}, model))


def pydantic_responses_function_tool(
    model: type, *, name: str | None = None, description: str | None = None, defer_loading: bool | Omit = omit
) -> FunctionToolParam:
    """`pydantic_function_tool` in the Responses API's flat shape (`{type, name, parameters, strict}`),
    for `client.responses.create(tools=[...])` / `responses.parse(...)`. `defer_loading=True` lets a
    tool-search tool discover it on demand."""
    chat_tool = cast("dict[str, Any]", pydantic_function_tool(model, name=name, description=description))
    tool: dict[str, Any] = ResponsesPydanticFunctionTool({"type": "function", **chat_tool["function"]}, model)
    if is_given(defer_loading):
        tool["defer_loading"] = defer_loading
    return cast("FunctionToolParam", tool)


def to_responses_tool(tool: Any) -> Any:
    """A Chat-style tool definition in the flat Responses shape; other tools pass unchanged."""
    if not isinstance(tool, dict):
        return tool
    t = cast("dict[str, Any]", tool)
    fn: Any = t.get("function")
    if t.get("type") != "function" or not isinstance(fn, dict):
        return t
    fn_def = cast("dict[str, Any]", fn)
    # the layout the official SDK's responses.parse/stream send: description always (null when none), strict a bool
    flat: dict[str, Any] = {"type": "function", "name": fn_def.get("name"), "description": fn_def.get("description"),
                            "parameters": fn_def.get("parameters"), "strict": fn_def.get("strict") or False}
    flat.update({key: value for key, value in fn_def.items() if key not in flat})
    model: Any = getattr(t, "model", None)
    return ResponsesPydanticFunctionTool(flat, model) if model is not None else flat
