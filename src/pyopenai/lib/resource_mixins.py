"""Hand-written methods of generated resources: `.parse()`, `.stream()` and `.run_tools()`.

The generator makes these classes the first bases of the generated resources:

    class Completions(CompletionsHelpers, SyncAPIResource): ...        # client.chat.completions
    class AsyncCompletions(AsyncCompletionsHelpers, AsyncAPIResource): ...
    class Responses(ResponsesHelpers, SyncAPIResource): ...            # client.responses
    class AsyncResponses(AsyncResponsesHelpers, AsyncAPIResource): ...

They call the generated `create` / `retrieve` of the same resource, so everything those accept
(`temperature=`, `extra_headers=`, `timeout=`, ...) passes through: typed for checkers as
`**options: Unpack[...]` (see `_helper_params`), the official SDK's parameter names. The format
type decides the parsed type (`parse(response_format=Weather)` -> `ParsedChatCompletion[Weather]`);
without one it is `None`, as the official SDK types it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Union, cast, overload

from typing_extensions import TypeVar, Unpack

from .._types import NotGiven, Omit, is_given, omit
from .realtime.mixins import AsyncResponsesConnectMixin, ResponsesConnectMixin

if TYPE_CHECKING:
    # the helper modules load on first call, so importing a resource stays cheap
    from pydantic import TypeAdapter

    from ..types.chat import completion_create_params
    from ..types.chat.chat_completion_function_tool_param import ChatCompletionFunctionToolParam
    from ..types.chat.chat_completion_message import ChatCompletionMessage
    from ..types.chat.chat_completion_message_param import ChatCompletionMessageParam
    from ..types.chat.chat_completion_tool_union_param import ChatCompletionToolUnionParam
    from ..types.responses.response import Response
    from ..types.responses.response_input_item_param import ResponseInputItemParam
    from ..types.responses.response_text_config_param import ResponseTextConfigParam
    from ..types.responses.tool_param import ToolParam
    from ..types.shared_params.chat_model import ChatModel
    from ..types.shared_params.responses_model import ResponsesModel
    from ._function_tools import FunctionTool
    from ._helper_params import ChatCreateOptions, RequestOptions, ResponsesCreateOptions
    from .parsed_types import ParsedChatCompletion, ParsedResponse
    from .streaming.chat import AsyncChatCompletionStreamManager, ChatCompletionStreamManager
    from .streaming.responses import AsyncResponseStreamManager, ResponseStreamManager
    from .tool_runner import (
        AsyncChatToolRunner,
        AsyncResponsesToolRunner,
        ChatToolRunner,
        ResponsesToolRunner,
        ToolCall,
        ToolResult,
        ToolRunnerStep,
    )

__all__ = ["AsyncCompletionsHelpers", "AsyncResponsesHelpers", "CompletionsHelpers", "ResponsesHelpers"]

# parse() without a format gives ParsedChatCompletion[None], as the official SDK types it
T = TypeVar("T", default=None)

if TYPE_CHECKING:
    # a format is a type (model, dataclass, TypedDict) or a pydantic TypeAdapter
    FormatType = Union[type[T], TypeAdapter[T]]
    # tools the runners can run (python functions, `function_tool(...)`); tool dicts are only offered
    RunnableTool = Union[Callable[..., object], FunctionTool, ChatCompletionToolUnionParam]
    ResponsesTool = Union[ToolParam, ChatCompletionFunctionToolParam]
    ResponsesInput = Union[str, Iterable[ResponseInputItemParam]]


def _no_stream(kwargs: dict[str, Any], method: str) -> None:
    if "stream" in kwargs:
        raise TypeError(f"{method}() does not take `stream`; use .stream() for a streamed result")


def _finish(result: Any, finish: Callable[[Any], Any]) -> Any:
    """`finish(result)`; in raw or streamed mode (`with_raw_response.parse(...)`) `create` gave the
    HTTP response, which is returned with `.parse()` set to finish the same way."""
    from .._response import APIResponse, AsyncAPIResponse, LegacyAPIResponse, finish_parse_with

    if isinstance(result, (APIResponse, LegacyAPIResponse, AsyncAPIResponse)):
        return finish_parse_with(cast("APIResponse[Any]", result), finish)
    return finish(result)


def _chat_tools(tools: Iterable[Any] | Omit | NotGiven) -> Any:
    if not is_given(tools):
        return tools
    return list(tools)


def _text_param(text_format: Any, text: Any) -> Any:
    from ._parsing import type_to_text_format_param

    if not is_given(text_format) or text_format is None:
        return text
    if isinstance(text, dict) and "format" in text:
        raise TypeError("pass either text_format= or text={'format': ...}, not both")
    base = cast("dict[str, Any]", text) if isinstance(text, dict) else {}
    return {**base, "format": type_to_text_format_param(text_format)}


def _responses_tools(tools: Iterable[Any] | Omit | NotGiven) -> Any:
    from ._tools import to_responses_tool

    if not is_given(tools):
        return tools
    return [to_responses_tool(t) for t in tools]


def _chat_request(
    resource: object, method: str, messages: object, model: object, response_format: object, tools: object,
    options: dict[str, Any],
) -> tuple[dict[str, Any], Any]:
    """The `create` arguments of a chat helper call, and the tool list the parsing is done against."""
    from ._parsing import type_to_response_format_param, validate_input_tools

    _no_stream(options, method)
    if method == "parse":
        validate_input_tools(cast(Any, tools))
    tool_list = _chat_tools(cast(Any, tools))
    request = {"messages": messages, "model": model, "tools": tool_list,
               "response_format": type_to_response_format_param(response_format), **options}
    # on the wire as the official SDK's helpers: which helper made the call, and `parse` says it does not stream
    request["extra_headers"] = {"x-stainless-helper-method": f"chat.completions.{method}",
                                **(options.get("extra_headers") or {})}
    if method == "parse":
        request["stream"] = False
    return request, tool_list


# -- chat completions -------------------------------------------------------------------------------


class CompletionsHelpers:
    """`client.chat.completions.parse / stream / run_tools`."""

    def parse(
        self,
        *,
        messages: Iterable[ChatCompletionMessageParam],
        model: str | ChatModel,
        response_format: FormatType[T] | completion_create_params.ResponseFormat | Omit = omit,
        tools: Iterable[ChatCompletionToolUnionParam] | Omit = omit,
        **options: Unpack[ChatCreateOptions],
    ) -> ParsedChatCompletion[T]:
        """Create a completion and decode its content into `response_format` (`message.parsed`)."""
        from ._parsing import parse_chat_completion

        request, tool_list = _chat_request(self, "parse", messages, model, response_format, tools, dict(options))
        completion = cast(Any, self).create(**request)
        return _finish(completion, lambda c: parse_chat_completion(c, response_format=response_format,
                                                                   input_tools=tool_list))

    def stream(
        self,
        *,
        messages: Iterable[ChatCompletionMessageParam],
        model: str | ChatModel,
        response_format: FormatType[T] | completion_create_params.ResponseFormat | Omit = omit,
        tools: Iterable[ChatCompletionToolUnionParam] | Omit = omit,
        **options: Unpack[ChatCreateOptions],
    ) -> ChatCompletionStreamManager[T]:
        """A context manager streaming the completion as accumulated events (see `lib.streaming.chat`)."""
        from .streaming.chat import ChatCompletionStreamManager

        request, tool_list = _chat_request(self, "stream", messages, model, response_format, tools, dict(options))
        create = cast(Any, self).create
        return ChatCompletionStreamManager(lambda: create(**request, stream=True), response_format=response_format,
                                           input_tools=tool_list)

    def run_tools(
        self,
        *,
        messages: Iterable[ChatCompletionMessageParam],
        model: str | ChatModel,
        tools: Iterable[RunnableTool],
        max_iterations: int = 10,
        raise_on_tool_error: bool = False,
        on_tool_call: Callable[[ToolCall], object] | None = None,
        on_tool_result: Callable[[ToolResult], object] | None = None,
        on_message: Callable[[ChatCompletionMessage], object] | None = None,
        on_step: Callable[[ToolRunnerStep], object] | None = None,
        **options: Unpack[ChatCreateOptions],
    ) -> ChatToolRunner:
        """Call the model, run the python functions it asks for, repeat until it answers (see `lib.tool_runner`)."""
        from .tool_runner import ChatToolRunner

        _no_stream(dict(options), "run_tools")
        return ChatToolRunner(
            self, messages=messages, tools=tools, max_iterations=max_iterations,
            raise_on_tool_error=raise_on_tool_error, on_tool_call=on_tool_call, on_tool_result=on_tool_result,
            on_message=on_message, on_step=on_step, params={"model": model, **options},
        )


class AsyncCompletionsHelpers:
    """`await client.chat.completions.parse(...)`, `async with ....stream(...)`, `....run_tools(...)`."""

    async def parse(
        self,
        *,
        messages: Iterable[ChatCompletionMessageParam],
        model: str | ChatModel,
        response_format: FormatType[T] | completion_create_params.ResponseFormat | Omit = omit,
        tools: Iterable[ChatCompletionToolUnionParam] | Omit = omit,
        **options: Unpack[ChatCreateOptions],
    ) -> ParsedChatCompletion[T]:
        from ._parsing import parse_chat_completion

        request, tool_list = _chat_request(self, "parse", messages, model, response_format, tools, dict(options))
        completion = await cast(Any, self).create(**request)
        return _finish(completion, lambda c: parse_chat_completion(c, response_format=response_format,
                                                                   input_tools=tool_list))

    def stream(
        self,
        *,
        messages: Iterable[ChatCompletionMessageParam],
        model: str | ChatModel,
        response_format: FormatType[T] | completion_create_params.ResponseFormat | Omit = omit,
        tools: Iterable[ChatCompletionToolUnionParam] | Omit = omit,
        **options: Unpack[ChatCreateOptions],
    ) -> AsyncChatCompletionStreamManager[T]:
        from .streaming.chat import AsyncChatCompletionStreamManager

        request, tool_list = _chat_request(self, "stream", messages, model, response_format, tools, dict(options))
        create = cast(Any, self).create
        return AsyncChatCompletionStreamManager(lambda: create(**request, stream=True),
                                                response_format=response_format, input_tools=tool_list)

    def run_tools(
        self,
        *,
        messages: Iterable[ChatCompletionMessageParam],
        model: str | ChatModel,
        tools: Iterable[RunnableTool],
        max_iterations: int = 10,
        raise_on_tool_error: bool = False,
        on_tool_call: Callable[[ToolCall], object] | None = None,
        on_tool_result: Callable[[ToolResult], object] | None = None,
        on_message: Callable[[ChatCompletionMessage], object] | None = None,
        on_step: Callable[[ToolRunnerStep], object] | None = None,
        **options: Unpack[ChatCreateOptions],
    ) -> AsyncChatToolRunner:
        from .tool_runner import AsyncChatToolRunner

        _no_stream(dict(options), "run_tools")
        return AsyncChatToolRunner(
            self, messages=messages, tools=tools, max_iterations=max_iterations,
            raise_on_tool_error=raise_on_tool_error, on_tool_call=on_tool_call, on_tool_result=on_tool_result,
            on_message=on_message, on_step=on_step, params={"model": model, **options},
        )


# -- responses --------------------------------------------------------------------------------------


def _responses_request(method: str, text_format: object, text: object, tools: object, options: dict[str, Any],
                       **named: object) -> tuple[dict[str, Any], Any, Any]:
    """The `create` arguments of a Responses helper call, the `text` sent and the tool list."""
    _no_stream(options, method)
    tool_list = _responses_tools(cast(Any, tools))
    text_param = _text_param(text_format, text)
    given = {name: value for name, value in named.items() if is_given(value)}
    return {**given, **options, "text": text_param, "tools": tool_list}, text_param, tool_list


def _responses_parse(text_format: object, parse_as: object, input: object, model: object, text: object,
                     tools: object, options: dict[str, Any]) -> tuple[dict[str, Any], Callable[[Any], Any]]:
    """The `create` arguments of `responses.parse(...)` and how its result is finished."""
    from ._parsing import output_format, parse_response

    request, text_param, tool_list = _responses_request("parse", text_format, text, tools, options,
                                                        input=input, model=model)
    extra_body = options.get("extra_body")
    sent_input = cast("dict[str, Any]", extra_body).get("input", input) if isinstance(extra_body, dict) else input
    fmt = output_format(input=sent_input, text=text_param, text_format=text_format, parse_as=parse_as)
    return request, lambda r: parse_response(r, text_format=fmt, text=text_param, input_tools=tool_list)


def _stream_request(
    resource: Any, *, response_id: str | None, starting_after: int | Omit, kwargs: dict[str, Any]
) -> Callable[[], Any]:
    if response_id is not None:
        extra = set(kwargs) - {"include", "include_obfuscation", "extra_headers", "extra_query", "extra_body",
                               "timeout", "text", "tools"}
        if extra:
            raise TypeError(f"stream(response_id=...) resumes an existing response; {sorted(extra)} cannot be given")
        request = {k: v for k, v in kwargs.items() if k not in ("text", "tools")}
        # the whole stream, as the official SDK fetches it: the events up to `starting_after` rebuild the
        # snapshots and are not yielded again (see lib/streaming/responses.py)
        return lambda: resource.retrieve(response_id, stream=True, **request)
    if is_given(starting_after):
        raise TypeError("starting_after= is for resuming: pass response_id= too")
    return lambda: resource.create(stream=True, **kwargs)


def _resumed_after(starting_after: int | Omit) -> int | None:
    return starting_after if is_given(starting_after) else None


class ResponsesHelpers(ResponsesConnectMixin):
    """`client.responses.parse / stream / run_tools`."""

    @overload
    def parse(
        self,
        *,
        text_format: type | Omit = omit,
        parse_as: FormatType[T] | None,
        input: ResponsesInput | Omit = omit,
        model: ResponsesModel | Omit = omit,
        text: ResponseTextConfigParam | Omit = omit,
        tools: Iterable[ResponsesTool] | Omit = omit,
        **options: Unpack[ResponsesCreateOptions],
    ) -> ParsedResponse[T]: ...
    @overload
    def parse(
        self,
        *,
        text_format: FormatType[T] | Omit = omit,
        parse_as: Omit = omit,
        input: ResponsesInput | Omit = omit,
        model: ResponsesModel | Omit = omit,
        text: ResponseTextConfigParam | Omit = omit,
        tools: Iterable[ResponsesTool] | Omit = omit,
        **options: Unpack[ResponsesCreateOptions],
    ) -> ParsedResponse[T]: ...
    def parse(
        self,
        *,
        text_format: object = omit,
        parse_as: object = omit,
        input: ResponsesInput | Omit = omit,
        model: ResponsesModel | Omit = omit,
        text: ResponseTextConfigParam | Omit = omit,
        tools: Iterable[ResponsesTool] | Omit = omit,
        **options: Unpack[ResponsesCreateOptions],
    ) -> ParsedResponse[T]:
        """Create a response and decode its text into `text_format` (`response.output_parsed`), or into
        `parse_as` when the input changes the output format (`parse_as=None`: no decoding)."""
        request, finish = _responses_parse(text_format, parse_as, input, model, text, tools, dict(options))
        return _finish(cast(Any, self).create(**request), finish)

    @overload
    def stream(
        self,
        *,
        response_id: str,
        text_format: FormatType[T] | Omit = omit,
        starting_after: int | Omit = omit,
        tools: Iterable[ResponsesTool] | Omit = omit,
        **options: Unpack[RequestOptions],
    ) -> ResponseStreamManager[T]: ...
    @overload
    def stream(
        self,
        *,
        input: ResponsesInput,
        model: ResponsesModel,
        text_format: FormatType[T] | Omit = omit,
        text: ResponseTextConfigParam | Omit = omit,
        tools: Iterable[ResponsesTool] | Omit = omit,
        **options: Unpack[ResponsesCreateOptions],
    ) -> ResponseStreamManager[T]: ...
    def stream(
        self,
        *,
        response_id: str | None = None,
        starting_after: int | Omit = omit,
        input: ResponsesInput | Omit = omit,
        model: ResponsesModel | Omit = omit,
        text_format: FormatType[T] | Omit = omit,
        text: ResponseTextConfigParam | Omit = omit,
        tools: Iterable[ResponsesTool] | Omit = omit,
        **options: Unpack[ResponsesCreateOptions],
    ) -> ResponseStreamManager[T]:
        """A context manager streaming a new response, or resuming one (`response_id=`, `starting_after=`)."""
        from .streaming.responses import ResponseStreamManager

        request, text_param, tool_list = _responses_request("stream", text_format, text, tools, dict(options),
                                                            input=input, model=model)
        send = _stream_request(self, response_id=response_id, starting_after=starting_after, kwargs=request)
        return ResponseStreamManager(send, text_format=text_format, text=text_param, input_tools=tool_list,
                                     response_id=response_id, starting_after=_resumed_after(starting_after))

    def run_tools(
        self,
        *,
        input: ResponsesInput,
        tools: Iterable[RunnableTool | ResponsesTool],
        model: ResponsesModel | Omit = omit,
        max_iterations: int = 10,
        raise_on_tool_error: bool = False,
        on_tool_call: Callable[[ToolCall], object] | None = None,
        on_tool_result: Callable[[ToolResult], object] | None = None,
        on_response: Callable[[Response], object] | None = None,
        on_step: Callable[[ToolRunnerStep], object] | None = None,
        **options: Unpack[ResponsesCreateOptions],
    ) -> ResponsesToolRunner:
        """Call the model, run the python functions it asks for, repeat until it answers (see `lib.tool_runner`)."""
        from .tool_runner import ResponsesToolRunner

        _no_stream(dict(options), "run_tools")
        return ResponsesToolRunner(
            self, input=input, tools=tools, max_iterations=max_iterations, raise_on_tool_error=raise_on_tool_error,
            on_tool_call=on_tool_call, on_tool_result=on_tool_result, on_response=on_response, on_step=on_step,
            params={"model": model, **options},
        )


class AsyncResponsesHelpers(AsyncResponsesConnectMixin):
    """The async twin of `ResponsesHelpers`."""

    @overload
    async def parse(
        self,
        *,
        text_format: type | Omit = omit,
        parse_as: FormatType[T] | None,
        input: ResponsesInput | Omit = omit,
        model: ResponsesModel | Omit = omit,
        text: ResponseTextConfigParam | Omit = omit,
        tools: Iterable[ResponsesTool] | Omit = omit,
        **options: Unpack[ResponsesCreateOptions],
    ) -> ParsedResponse[T]: ...
    @overload
    async def parse(
        self,
        *,
        text_format: FormatType[T] | Omit = omit,
        parse_as: Omit = omit,
        input: ResponsesInput | Omit = omit,
        model: ResponsesModel | Omit = omit,
        text: ResponseTextConfigParam | Omit = omit,
        tools: Iterable[ResponsesTool] | Omit = omit,
        **options: Unpack[ResponsesCreateOptions],
    ) -> ParsedResponse[T]: ...
    async def parse(
        self,
        *,
        text_format: object = omit,
        parse_as: object = omit,
        input: ResponsesInput | Omit = omit,
        model: ResponsesModel | Omit = omit,
        text: ResponseTextConfigParam | Omit = omit,
        tools: Iterable[ResponsesTool] | Omit = omit,
        **options: Unpack[ResponsesCreateOptions],
    ) -> ParsedResponse[T]:
        request, finish = _responses_parse(text_format, parse_as, input, model, text, tools, dict(options))
        return _finish(await cast(Any, self).create(**request), finish)

    @overload
    def stream(
        self,
        *,
        response_id: str,
        text_format: FormatType[T] | Omit = omit,
        starting_after: int | Omit = omit,
        tools: Iterable[ResponsesTool] | Omit = omit,
        **options: Unpack[RequestOptions],
    ) -> AsyncResponseStreamManager[T]: ...
    @overload
    def stream(
        self,
        *,
        input: ResponsesInput,
        model: ResponsesModel,
        text_format: FormatType[T] | Omit = omit,
        text: ResponseTextConfigParam | Omit = omit,
        tools: Iterable[ResponsesTool] | Omit = omit,
        **options: Unpack[ResponsesCreateOptions],
    ) -> AsyncResponseStreamManager[T]: ...
    def stream(
        self,
        *,
        response_id: str | None = None,
        starting_after: int | Omit = omit,
        input: ResponsesInput | Omit = omit,
        model: ResponsesModel | Omit = omit,
        text_format: FormatType[T] | Omit = omit,
        text: ResponseTextConfigParam | Omit = omit,
        tools: Iterable[ResponsesTool] | Omit = omit,
        **options: Unpack[ResponsesCreateOptions],
    ) -> AsyncResponseStreamManager[T]:
        from .streaming.responses import AsyncResponseStreamManager

        request, text_param, tool_list = _responses_request("stream", text_format, text, tools, dict(options),
                                                            input=input, model=model)
        send = _stream_request(self, response_id=response_id, starting_after=starting_after, kwargs=request)
        return AsyncResponseStreamManager(send, text_format=text_format, text=text_param, input_tools=tool_list,
                                          response_id=response_id, starting_after=_resumed_after(starting_after))

    def run_tools(
        self,
        *,
        input: ResponsesInput,
        tools: Iterable[RunnableTool | ResponsesTool],
        model: ResponsesModel | Omit = omit,
        max_iterations: int = 10,
        raise_on_tool_error: bool = False,
        on_tool_call: Callable[[ToolCall], object] | None = None,
        on_tool_result: Callable[[ToolResult], object] | None = None,
        on_response: Callable[[Response], object] | None = None,
        on_step: Callable[[ToolRunnerStep], object] | None = None,
        **options: Unpack[ResponsesCreateOptions],
    ) -> AsyncResponsesToolRunner:
        from .tool_runner import AsyncResponsesToolRunner

        _no_stream(dict(options), "run_tools")
        return AsyncResponsesToolRunner(
            self, input=input, tools=tools, max_iterations=max_iterations, raise_on_tool_error=raise_on_tool_error,
            on_tool_call=on_tool_call, on_tool_result=on_tool_result, on_response=on_response, on_step=on_step,
            params={"model": model, **options},
        )
