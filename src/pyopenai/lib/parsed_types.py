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

from typing import TYPE_CHECKING, Any, Generic, List, Optional, TypeVar, Union, get_args, get_origin

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
    if TYPE_CHECKING:
        # typed as the official SDK types it (its README reads `tool_call.function.parsed_arguments`
        # with no narrowing); a custom tool call is still parsed as one at run time
        tool_calls: Optional[List[ParsedFunctionToolCall]] = None  # noqa: UP045  # pyright: ignore[reportIncompatibleVariableOverride]
    else:
        tool_calls: Optional[List[_ParsedToolCall]] = None  # noqa: UP045


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
    # what `_output_item_union()` builds, spelled out for checkers (a test compares the two): the
    # generated union's members with the message and the function call replaced by their parsed types
    from ..types.responses import response_output_item as _item
    from ..types.responses.response_apply_patch_tool_call import ResponseApplyPatchToolCall
    from ..types.responses.response_apply_patch_tool_call_output import ResponseApplyPatchToolCallOutput
    from ..types.responses.response_code_interpreter_tool_call import ResponseCodeInterpreterToolCall
    from ..types.responses.response_compaction_item import ResponseCompactionItem
    from ..types.responses.response_computer_tool_call import ResponseComputerToolCall
    from ..types.responses.response_computer_tool_call_output_item import ResponseComputerToolCallOutputItem
    from ..types.responses.response_custom_tool_call import ResponseCustomToolCall
    from ..types.responses.response_custom_tool_call_output_item import ResponseCustomToolCallOutputItem
    from ..types.responses.response_file_search_tool_call import ResponseFileSearchToolCall
    from ..types.responses.response_function_shell_tool_call import ResponseFunctionShellToolCall
    from ..types.responses.response_function_shell_tool_call_output import ResponseFunctionShellToolCallOutput
    from ..types.responses.response_function_tool_call_output_item import ResponseFunctionToolCallOutputItem
    from ..types.responses.response_function_web_search import ResponseFunctionWebSearch
    from ..types.responses.response_reasoning_item import ResponseReasoningItem
    from ..types.responses.response_tool_search_call import ResponseToolSearchCall
    from ..types.responses.response_tool_search_output_item import ResponseToolSearchOutputItem

    ParsedResponseOutputItem: TypeAlias = Union[
        ParsedResponseOutputMessage[ContentType],
        ParsedResponseFunctionToolCall,
        ResponseFileSearchToolCall,
        ResponseFunctionToolCallOutputItem,
        ResponseFunctionWebSearch,
        ResponseComputerToolCall,
        ResponseComputerToolCallOutputItem,
        ResponseReasoningItem,
        _item.Program,
        _item.ProgramOutput,
        ResponseToolSearchCall,
        ResponseToolSearchOutputItem,
        _item.AdditionalTools,
        ResponseCompactionItem,
        _item.ImageGenerationCall,
        ResponseCodeInterpreterToolCall,
        _item.LocalShellCall,
        _item.LocalShellCallOutput,
        ResponseFunctionShellToolCall,
        ResponseFunctionShellToolCallOutput,
        ResponseApplyPatchToolCall,
        ResponseApplyPatchToolCallOutput,
        _item.McpCall,
        _item.McpListTools,
        _item.McpApprovalRequest,
        _item.McpApprovalResponse,
        ResponseCustomToolCall,
        ResponseCustomToolCallOutputItem,
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
                for part in item.content:
                    if isinstance(part, ParsedResponseOutputText):
                        parsed = part.parsed
                        if parsed is not None:
                            return parsed
        return None
