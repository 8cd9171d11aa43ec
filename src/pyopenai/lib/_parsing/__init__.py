"""Structured outputs: request formats from python types, and results parsed back into them.

Chat Completions: `response_format=Model` becomes a strict `json_schema` response format, and each
message's content is decoded into `message.parsed`. A type is a pydantic model, a pydantic or
standard dataclass, a TypedDict or a `pydantic.TypeAdapter`. A plain dict format is sent as given
and `parsed` stays None, as in the official SDK: parsing is for types. Refusals leave `parsed` None. A choice
that stopped at the token limit or on the content filter raises `LengthFinishReasonError` /
`ContentFilterFinishReasonError`, as the official SDK does.

Responses: `text_format=Model` becomes `text={"format": {...}}`; `output_text` parts of the
final answer (messages without a `phase`, or `phase="final_answer"`) carry `parsed`,
`response.output_parsed` is the first. A response that is `incomplete` because of the
token limit or the content filter raises the same two errors when a format was asked for (its
JSON would be cut short); without a format the incomplete response is returned as is.

Tool calls of strict function tools get `parsed_arguments` (the pydantic model of a
`pydantic_function_tool`, else the decoded dict).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable
from typing import Any, cast

from typing_extensions import is_typeddict

from ..._exceptions import ContentFilterFinishReasonError, LengthFinishReasonError
from ..._models import BaseModel, parse_obj
from ..._types import NotGiven, Omit, is_given, omit
from .._schema import is_pydantic_model, to_strict_json_schema
from .._tools import PydanticFunctionTool, ResponsesPydanticFunctionTool, to_responses_tool
from .._utils import json_of
from ..parsed_types import (
    ParsedChatCompletion,
    ParsedChatCompletionMessage,
    ParsedFunctionToolCall,
    ParsedResponse,
    ParsedResponseFunctionToolCall,
    ParsedResponseOutputMessage,
    ParsedResponseOutputText,
)

__all__ = [
    "decodes_json_format",
    "function_definition",
    "has_parseable_input",
    "is_given",
    "parse_chat_completion",
    "parse_content",
    "parse_response",
    "tool_list",
    "type_to_response_format_param",
    "type_to_text_format_param",
    "validate_input_tools",
]

_NAME_CHARS = re.compile(r"[^a-zA-Z0-9_-]")


def is_parseable_type(tp: object) -> bool:
    """A type `.parse()` can decode into: a pydantic model, TypeAdapter, TypedDict or dataclass."""
    if type(tp).__name__ == "TypeAdapter":
        return True
    return isinstance(tp, type) and (is_pydantic_model(tp) or is_typeddict(tp) or dataclasses.is_dataclass(tp))


def _schema_name(tp: Any) -> str:
    name = getattr(tp, "__name__", None)
    if name is None and type(tp).__name__ == "TypeAdapter":
        inner = getattr(tp, "_type", None)
        name = getattr(inner, "__name__", None)
    return _NAME_CHARS.sub("_", name or "response")[:64]


def type_to_response_format_param(response_format: Any) -> Any:
    """The Chat Completions `response_format` for a type; dicts (and omit) pass unchanged."""
    if not is_given(response_format) or response_format is None or isinstance(response_format, dict):
        return cast(Any, response_format)
    if not is_parseable_type(response_format):
        raise TypeError(
            f"response_format must be a pydantic model, TypedDict, dataclass or a dict, got {response_format!r}"
        )
    return {
        "type": "json_schema",
        "json_schema": {"name": _schema_name(response_format), "schema": to_strict_json_schema(response_format),
                        "strict": True},
    }


def type_to_text_format_param(text_format: Any) -> dict[str, Any]:
    """The Responses `text.format` for a type."""
    if not is_parseable_type(text_format):
        raise TypeError(f"text_format must be a pydantic model, TypedDict or dataclass, got {text_format!r}")
    return {"type": "json_schema", "name": _schema_name(text_format),
            "schema": to_strict_json_schema(text_format), "strict": True}


def decodes_json_format(response_format: Any) -> bool:
    return isinstance(response_format, dict) and cast("dict[str, Any]", response_format).get("type") in (
        "json_schema", "json_object",
    )


def has_parseable_input(response_format: Any, input_tools: Iterable[Any] | Omit | NotGiven | None) -> bool:
    if is_parseable_type(response_format):
        return True
    return any(isinstance(t, (PydanticFunctionTool, ResponsesPydanticFunctionTool)) or _strict_fn(t) is not None
               for t in tool_list(input_tools))


def tool_list(tools: Iterable[Any] | Omit | NotGiven | None) -> list[Any]:
    if tools is None or not is_given(tools):
        return []
    return list(tools)


def function_definition(tool: Any) -> dict[str, Any] | None:
    """The function definition of a function tool, in the Chat or the flat Responses shape."""
    if not isinstance(tool, dict):
        return None
    t = cast("dict[str, Any]", tool)
    if t.get("type") != "function":
        return None
    inner = t.get("function")
    return cast("dict[str, Any]", inner) if isinstance(inner, dict) else t


def _strict_fn(tool: Any) -> dict[str, Any] | None:
    fn = function_definition(tool)
    return fn if fn is not None and fn.get("strict") is True else None


def validate_input_tools(tools: Iterable[Any] | Omit | NotGiven | None) -> None:
    """`.parse()` decodes tool arguments, which only strict function tools guarantee to be valid."""
    for tool in tool_list(tools):
        fn = function_definition(tool)
        if isinstance(tool, dict) and cast("dict[str, Any]", tool).get("type") not in ("function", None):
            continue
        if fn is None:
            raise ValueError(f"Only function tools can be parsed, got {tool!r}")
        if fn.get("strict") is not True:
            raise ValueError(
                f"`{fn.get('name')}` is not strict. Only `strict` function tools can be auto-parsed: "
                "pass strict=True in its definition, or use pydantic_function_tool()"
            )


def parse_content(tp: Any, text: str) -> Any:
    """Decode JSON text into `tp` (validated by pydantic when `tp` is a pydantic type)."""
    if is_pydantic_model(tp):
        return tp.model_validate_json(text)
    if type(tp).__name__ == "TypeAdapter":
        return tp.validate_json(text)
    from pydantic import TypeAdapter

    return TypeAdapter(tp).validate_json(text)


def _parse_format(response_format: Any, text: str) -> Any:
    # parsing is for types: a raw format dict is sent as given and its JSON text left undecoded
    if is_parseable_type(response_format):
        return parse_content(response_format, text)
    return None


def parse_function_arguments(input_tools: list[Any], name: str | None, arguments: str | None) -> Any:
    for tool in input_tools:
        fn = function_definition(tool)
        if fn is None or fn.get("name") != name:
            continue
        model = getattr(tool, "model", None)
        if model is not None:
            return parse_content(model, arguments or "{}")
        if fn.get("strict") is True:
            return json.loads(arguments or "{}")
        return None
    return None


def _keep_request_id(src: Any, dst: BaseModel) -> None:
    request_id = getattr(src, "_request_id", None)
    if request_id is not None:
        object.__setattr__(dst, "_request_id", request_id)


def parse_chat_completion(
    completion: Any,
    *,
    response_format: Any = omit,
    input_tools: Iterable[Any] | Omit | NotGiven | None = omit,
    check_finish_reason: bool = True,
) -> ParsedChatCompletion[Any]:
    """`completion` (a model or its JSON) as a `ParsedChatCompletion`, parsed values filled in."""
    parsed = cast("ParsedChatCompletion[Any]", parse_obj(ParsedChatCompletion, json_of(completion)))
    _keep_request_id(completion, parsed)
    tools = tool_list(input_tools)
    for choice in parsed.choices or []:
        if check_finish_reason:
            if choice.finish_reason == "length":
                raise LengthFinishReasonError(completion=parsed)
            if choice.finish_reason == "content_filter":
                raise ContentFilterFinishReasonError(completion=parsed)
        message = cast("ParsedChatCompletionMessage[Any] | None", choice.message)
        if message is None:
            continue
        # typed as function calls only (as the official SDK types them); custom tool calls come too
        for call in cast("list[object]", message.tool_calls or []):
            if isinstance(call, ParsedFunctionToolCall) and cast(Any, call.function) is not None:
                call.function.parsed_arguments = parse_function_arguments(
                    tools, call.function.name, call.function.arguments
                )
        content = message.content
        if content and not message.refusal and is_given(response_format) and response_format is not None:
            message.parsed = _parse_format(response_format, content)
        else:
            message.parsed = None
    return parsed


def _text_format_of(text: Any) -> Any:
    if isinstance(text, dict):
        fmt = cast("dict[str, Any]", text).get("format")
        if isinstance(fmt, dict):
            return cast("dict[str, Any]", fmt)
    return None


def output_format(*, input: object, text: object, text_format: Any, parse_as: Any) -> Any:
    """What `responses.parse()` decodes the output into: `parse_as` when given (None: nothing),
    else `text_format`. An input ending in a `configuration_update` that changes the output format
    needs `parse_as` to say so, as in the official SDK."""
    if parse_as is None:
        return omit
    for item in reversed(cast("list[Any]", input) if isinstance(input, list) else []):
        if not isinstance(item, dict) or cast("dict[str, Any]", item).get("type") != "configuration_update":
            continue
        update = cast("dict[str, Any]", item).get("text")
        fmt = cast("dict[str, Any]", update).get("format") if isinstance(update, dict) else None
        if not isinstance(fmt, dict):
            continue
        if cast("dict[str, Any]", fmt).get("type") == "text":
            if is_given(parse_as):
                raise TypeError("parse_as= cannot be used when a configuration_update switches the output to plain text")
            return omit
        sent = cast("dict[str, Any]", text).get("format") if isinstance(text, dict) else None
        if is_given(text_format) and not is_given(parse_as) and fmt != sent:
            raise TypeError("the input's configuration_update changes the output schema: pass parse_as= for the "
                            "new schema, or parse_as=None to read plain output_text")
        break
    return parse_as if is_given(parse_as) else text_format


def is_final_answer(message: object) -> bool:
    """A message holds the structured result unless its `phase` says it is something else (commentary)."""
    phase = cast("dict[str, Any]", message).get("phase") if isinstance(message, dict) else getattr(message, "phase", None)
    return phase is None or phase == "final_answer"


def parse_response(
    response: Any,
    *,
    text_format: Any = omit,
    text: Any = omit,
    input_tools: Iterable[Any] | Omit | NotGiven | None = omit,
) -> ParsedResponse[Any]:
    """`response` (a model or its JSON) as a `ParsedResponse`, parsed values filled in."""
    parsed = cast("ParsedResponse[Any]", parse_obj(ParsedResponse, json_of(response)))
    _keep_request_id(response, parsed)
    fmt: Any = text_format if is_given(text_format) and text_format is not None else _text_format_of(text)
    if fmt is not None and not (is_parseable_type(fmt) or decodes_json_format(fmt)):
        fmt = None  # plain text
    if fmt is not None and parsed.status == "incomplete":
        details = parsed.incomplete_details
        reason = getattr(details, "reason", None)
        if reason == "max_output_tokens":
            raise LengthFinishReasonError(completion=parsed)
        if reason == "content_filter":
            raise ContentFilterFinishReasonError(completion=parsed)
    tools = [to_responses_tool(t) for t in tool_list(input_tools)]
    if cast(Any, parsed).output is None:  # a null output reads as no items, as the official SDK's parse gives
        parsed.output = []
    for item in parsed.output:
        if isinstance(item, ParsedResponseOutputMessage):
            final = is_final_answer(cast(object, item))
            if cast(Any, item).content is None:  # likewise a message's null content
                item.content = []
            for part in cast("list[Any]", item.content):
                if isinstance(part, ParsedResponseOutputText):
                    part.parsed = _parse_format(fmt, part.text) if final and fmt is not None and part.text else None
        elif isinstance(item, ParsedResponseFunctionToolCall):
            item.parsed_arguments = parse_function_arguments(tools, item.name, item.arguments)
    return parsed
