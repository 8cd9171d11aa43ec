"""The results of `.parse()` and of the stream helpers: generated models plus the parsed values.

`ParsedChatCompletion[T]` is a `ChatCompletion` whose messages carry `parsed: T | None` and whose
function tool calls carry `function.parsed_arguments`; `ParsedResponse[T]` is a `Response` whose
`output_text` parts carry `parsed` and whose function calls carry `parsed_arguments`, with
`output_parsed` for the first parsed value. They are ordinary lazy models: the parsed values are
set on them by the helpers, everything else is read from the JSON on first access.

`pyopenai.types.chat.ParsedChatCompletion` and `pyopenai.types.responses.ParsedResponse` re-export
these classes (see the generator's config).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, List, Optional, TypeVar, Union, cast, get_args, get_origin

from typing_extensions import Annotated, TypeAlias

from .._models import BaseModel, Discriminator, _type_hints  # pyright: ignore[reportPrivateUsage]
from ..types.chat.chat_completion import ChatCompletion, Choice
from ..types.chat.chat_completion_message import ChatCompletionMessage
from ..types.chat.chat_completion_message_custom_tool_call import ChatCompletionMessageCustomToolCall
from ..types.chat.chat_completion_message_function_tool_call import ChatCompletionMessageFunctionToolCall, Function
from ..types.responses.response import Response
from ..types.responses.response_function_tool_call import ResponseFunctionToolCall
from ..types.responses.response_output_message import ResponseOutputMessage
from ..types.responses.response_output_refusal import ResponseOutputRefusal
from ..types.responses.response_output_text import ResponseOutputText
from ._utils import json_of
from .response_mixins import response_output_text

__all__ = [
    "ContentType",
    "ParsedChatCompletion",
    "ParsedChatCompletionMessage",
    "ParsedChoice",
    "ParsedContent",
    "ParsedFunction",
    "ParsedFunctionToolCall",
    "ParsedResponse",
    "ParsedResponseFunctionToolCall",
    "ParsedResponseOutputItem",
    "ParsedResponseOutputMessage",
    "ParsedResponseOutputText",
]

ContentType = TypeVar("ContentType")


# -- chat completions -------------------------------------------------------------------------------


class ParsedFunction(Function):
    parsed_arguments: object | None
    """The arguments decoded (a pydantic model for a `pydantic_function_tool`, else a dict); None
    when the tool is not strict."""


class ParsedFunctionToolCall(ChatCompletionMessageFunctionToolCall):
    function: ParsedFunction  # pyright: ignore[reportIncompatibleVariableOverride]


_ParsedToolCall: TypeAlias = Annotated[
    Union[ParsedFunctionToolCall, ChatCompletionMessageCustomToolCall], Discriminator("type")
]


class ParsedChatCompletionMessage(ChatCompletionMessage, Generic[ContentType]):
    parsed: ContentType | None
    """The content decoded into the `response_format` type; None for refusals and tool calls."""
    tool_calls: Optional[List[_ParsedToolCall]]  # noqa: UP045  # pyright: ignore[reportIncompatibleVariableOverride]


class ParsedChoice(Choice, Generic[ContentType]):
    message: ParsedChatCompletionMessage[ContentType]  # pyright: ignore[reportIncompatibleVariableOverride]


class ParsedChatCompletion(ChatCompletion, Generic[ContentType]):
    choices: List[ParsedChoice[ContentType]]  # pyright: ignore[reportIncompatibleVariableOverride]


# -- responses --------------------------------------------------------------------------------------


class ParsedResponseOutputText(ResponseOutputText, Generic[ContentType]):
    parsed: ContentType | None


class ParsedResponseFunctionToolCall(ResponseFunctionToolCall):
    parsed_arguments: object


if TYPE_CHECKING:
    ParsedContent: TypeAlias = Union[ParsedResponseOutputText[ContentType], ResponseOutputRefusal]
    # the other output items keep their generated classes
    ParsedResponseOutputItem: TypeAlias = Union[
        "ParsedResponseOutputMessage[ContentType]", ParsedResponseFunctionToolCall, BaseModel
    ]
else:
    ParsedContent = Annotated[Union[ParsedResponseOutputText, ResponseOutputRefusal], Discriminator("type")]
    ParsedResponseOutputItem = BaseModel  # replaced below, once the message class exists


class ParsedResponseOutputMessage(ResponseOutputMessage, Generic[ContentType]):
    content: List[ParsedContent[ContentType]]  # pyright: ignore[reportIncompatibleVariableOverride]


class ParsedResponse(Response, Generic[ContentType]):
    output: List[ParsedResponseOutputItem[ContentType]]  # pyright: ignore[reportIncompatibleVariableOverride]

    @property
    def output_text(self) -> str:  # pyright: ignore[reportIncompatibleVariableOverride, reportIncompatibleMethodOverride]
        """The concatenated `output_text` parts of the message outputs (also on `Response` via its mixin)."""
        return response_output_text(json_of(self))

    @property
    def output_parsed(self) -> ContentType | None:
        """The parsed value of the first `output_text` part that has one."""
        for item in self.output:
            if isinstance(item, ParsedResponseOutputMessage):
                for part in cast("ParsedResponseOutputMessage[ContentType]", item).content:
                    if isinstance(part, ParsedResponseOutputText):
                        parsed = part.parsed
                        if parsed is not None:
                            return parsed
        return None


# -- run-time annotations -----------------------------------------------------------------------------
# The lazy field converters pick union members that are classes; parametrized generics
# (`ParsedResponseOutputText[T]`) are not, so the run-time view of these annotations names the plain
# classes, and the output item union is the generated one with two members swapped.


def _members(tp: Any) -> list[Any]:
    if get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    if get_origin(tp) is Union:
        out: list[Any] = []
        for arg in get_args(tp):
            out.extend(_members(arg))
        return out
    return [tp]


def _tag(tp: Any) -> Any:
    hint = _type_hints(tp).get("type") if isinstance(tp, type) and issubclass(tp, BaseModel) else None
    args = get_args(hint) if hint is not None else ()
    return args[0] if len(args) == 1 else None


def _output_item_union() -> Any:
    base = _type_hints(Response).get("output")
    items = get_args(base)[0] if base is not None and get_args(base) else Any
    replaced = {"message": ParsedResponseOutputMessage, "function_call": ParsedResponseFunctionToolCall}
    members: list[Any] = [replaced["message"], replaced["function_call"]]
    members += [m for m in _members(items) if _tag(m) not in replaced and m is not Any]
    return Annotated[Union[tuple(members)], Discriminator("type")]  # pyright: ignore[reportInvalidTypeArguments]


def _set_hints(cls: type[BaseModel], **overrides: Any) -> None:
    hints: dict[str, Any] = {}
    for base in reversed(cls.__mro__[1:]):
        if issubclass(base, BaseModel) and base is not BaseModel:
            hints.update(_type_hints(base))
    hints.update(overrides)
    type.__setattr__(cls, "__model_hints__", hints)


_set_hints(ParsedFunction, parsed_arguments=Any)
_set_hints(ParsedFunctionToolCall, function=ParsedFunction)
_set_hints(
    ParsedChatCompletionMessage,
    parsed=Any,
    tool_calls=Optional[List[_ParsedToolCall]],  # noqa: UP045
)
_set_hints(ParsedChoice, message=ParsedChatCompletionMessage)
_set_hints(ParsedChatCompletion, choices=List[ParsedChoice])  # pyright: ignore[reportMissingTypeArgument]
_set_hints(ParsedResponseOutputText, parsed=Any)
_set_hints(ParsedResponseFunctionToolCall, parsed_arguments=Any)
_set_hints(
    ParsedResponseOutputMessage,
    content=List[ParsedContent],  # pyright: ignore[reportMissingTypeArgument]
)
if not TYPE_CHECKING:
    ParsedResponseOutputItem = _output_item_union()
_set_hints(ParsedResponse, output=List[ParsedResponseOutputItem])  # pyright: ignore[reportMissingTypeArgument]
