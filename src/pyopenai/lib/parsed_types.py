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

from .._models import BaseModel, Field
from ..types.chat.chat_completion import ChatCompletion, Choice
from ..types.chat.chat_completion_message import ChatCompletionMessage
from ..types.chat.chat_completion_message_custom_tool_call import ChatCompletionMessageCustomToolCall
from ..types.chat.chat_completion_message_function_tool_call import ChatCompletionMessageFunctionToolCall, Function
from ..types.responses.response import Response
from ..types.responses.response_function_tool_call import ResponseFunctionToolCall
from ..types.responses.response_output_item import ResponseOutputItem
from ..types.responses.response_output_message import ResponseOutputMessage
from ..types.responses.response_output_refusal import ResponseOutputRefusal
from ..types.responses.response_output_text import ResponseOutputText

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
    parsed_arguments: Optional[object] = None  # noqa: UP045
    """The arguments decoded (a pydantic model for a `pydantic_function_tool`, else a dict); None
    when the tool is not strict."""


class ParsedFunctionToolCall(ChatCompletionMessageFunctionToolCall):
    function: ParsedFunction  # pyright: ignore[reportIncompatibleVariableOverride]


_ParsedToolCall: TypeAlias = Annotated[
    Union[ParsedFunctionToolCall, ChatCompletionMessageCustomToolCall], Field(discriminator="type")
]


class ParsedChatCompletionMessage(ChatCompletionMessage, Generic[ContentType]):
    parsed: Optional[ContentType] = None  # noqa: UP045
    """The content decoded into the `response_format` type; None for refusals and tool calls."""
    tool_calls: Optional[List[_ParsedToolCall]] = None  # noqa: UP045  # pyright: ignore[reportIncompatibleVariableOverride]


class ParsedChoice(Choice, Generic[ContentType]):
    message: ParsedChatCompletionMessage[ContentType]  # pyright: ignore[reportIncompatibleVariableOverride]


class ParsedChatCompletion(ChatCompletion, Generic[ContentType]):
    choices: List[ParsedChoice[ContentType]]  # pyright: ignore[reportIncompatibleVariableOverride]


# -- responses --------------------------------------------------------------------------------------


class ParsedResponseOutputText(ResponseOutputText, Generic[ContentType]):
    parsed: Optional[ContentType] = None  # noqa: UP045


ParsedContent: TypeAlias = Annotated[
    Union[ParsedResponseOutputText[ContentType], ResponseOutputRefusal], Field(discriminator="type")
]


class ParsedResponseOutputMessage(ResponseOutputMessage, Generic[ContentType]):
    # spelled out: a pydantic generic model with its own type variable is not generic to `typing`,
    # so `ParsedContent[ContentType]` cannot be subscripted at run time
    content: List[  # pyright: ignore[reportIncompatibleVariableOverride]
        Annotated[Union[ParsedResponseOutputText[ContentType], ResponseOutputRefusal], Field(discriminator="type")]
    ]


class ParsedResponseFunctionToolCall(ResponseFunctionToolCall):
    parsed_arguments: object = None


def _output_item_union() -> Any:
    """The generated output item union with its message and function call members parsed ones."""
    union = get_args(ResponseOutputItem)[0] if get_origin(ResponseOutputItem) is Annotated else ResponseOutputItem
    # the message member keeps the type variable, so `ParsedResponse[T]` parametrizes it
    replaced: dict[str, Any] = {"message": ParsedResponseOutputMessage, "function_call": ParsedResponseFunctionToolCall}
    members: list[Any] = list(replaced.values())
    for member in get_args(union):
        field = member.model_fields.get("type") if isinstance(member, type) and issubclass(member, BaseModel) else None
        tags = get_args(field.annotation) if field is not None else ()
        if not (len(tags) == 1 and tags[0] in replaced):
            members.append(member)
    return Annotated[Union[tuple(members)], Field(discriminator="type")]  # pyright: ignore[reportInvalidTypeArguments]


if TYPE_CHECKING:
    ParsedResponseOutputItem: TypeAlias = Union[
        ParsedResponseOutputMessage[ContentType], ParsedResponseFunctionToolCall, ResponseOutputItem
    ]
else:
    ParsedResponseOutputItem = _output_item_union()


class ParsedResponse(Response, Generic[ContentType]):
    if TYPE_CHECKING:
        output: List[ParsedResponseOutputItem[ContentType]]  # pyright: ignore[reportIncompatibleVariableOverride]
    else:
        output: List[ParsedResponseOutputItem]

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
