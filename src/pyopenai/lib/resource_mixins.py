"""Hand-written methods of generated resources: `.parse()`, `.stream()` and `.run_tools()`.

The generator makes these classes the first bases of the generated resources:

    class Completions(CompletionsHelpers, SyncAPIResource): ...        # client.chat.completions
    class AsyncCompletions(AsyncCompletionsHelpers, AsyncAPIResource): ...
    class Responses(ResponsesHelpers, SyncAPIResource): ...            # client.responses
    class AsyncResponses(AsyncResponsesHelpers, AsyncAPIResource): ...

They call the generated `create` / `retrieve` of the same resource, so everything those accept
(`temperature=`, `extra_headers=`, `timeout=`, ...) passes through `**kwargs`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, cast

from typing_extensions import TypeVar

from .._types import NotGiven, Omit, is_given, omit
from .realtime.mixins import AsyncResponsesConnectMixin, ResponsesConnectMixin

if TYPE_CHECKING:
    # the helper modules load on first call, so importing a resource stays cheap
    from .parsed_types import ParsedChatCompletion, ParsedResponse
    from .streaming.chat import AsyncChatCompletionStreamManager, ChatCompletionStreamManager
    from .streaming.responses import AsyncResponseStreamManager, ResponseStreamManager
    from .tool_runner import AsyncChatToolRunner, AsyncResponsesToolRunner, ChatToolRunner, ResponsesToolRunner

__all__ = ["AsyncCompletionsHelpers", "AsyncResponsesHelpers", "CompletionsHelpers", "ResponsesHelpers"]

# parse() without a format gives ParsedChatCompletion[None], as the official SDK types it
T = TypeVar("T", default=None)
Callback = Callable[[Any], Any]


def _no_stream(kwargs: dict[str, Any], method: str) -> None:
    if "stream" in kwargs:
        raise TypeError(f"{method}() does not take `stream`; use .stream() for a streamed result")


def _finish(result: Any, finish: Callable[[Any], Any]) -> Any:
    """`finish(result)`; in raw or streamed mode (`with_raw_response.parse(...)`) `create` gave the
    HTTP response, which is returned with `.parse()` set to finish the same way."""
    from .._response import APIResponse, AsyncAPIResponse, finish_parse_with

    if isinstance(result, (APIResponse, AsyncAPIResponse)):
        return finish_parse_with(cast("APIResponse[Any]", result), finish)
    return finish(result)


def _chat_tools(tools: Iterable[Any] | Omit | NotGiven) -> Any:
    if isinstance(tools, (Omit, NotGiven)):
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

    if isinstance(tools, (Omit, NotGiven)):
        return tools
    return [to_responses_tool(t) for t in tools]


# -- chat completions -------------------------------------------------------------------------------


class CompletionsHelpers:
    """`client.chat.completions.parse / stream / run_tools`."""

    def parse(
        self,
        *,
        messages: Iterable[Any],
        model: str,
        response_format: type[T] | dict[str, Any] | Omit = omit,
        tools: Iterable[Any] | Omit = omit,
        **kwargs: Any,
    ) -> ParsedChatCompletion[T]:
        """Create a completion and decode its content into `response_format` (`message.parsed`)."""
        from ._parsing import parse_chat_completion, type_to_response_format_param, validate_input_tools

        _no_stream(kwargs, "parse")
        validate_input_tools(tools)
        tool_list = _chat_tools(tools)
        completion = cast(Any, self).create(
            messages=messages, model=model, response_format=type_to_response_format_param(response_format),
            tools=tool_list, **kwargs,
        )
        return _finish(completion, lambda c: parse_chat_completion(c, response_format=response_format,
                                                                   input_tools=tool_list))

    def stream(
        self,
        *,
        messages: Iterable[Any],
        model: str,
        response_format: type[T] | dict[str, Any] | Omit = omit,
        tools: Iterable[Any] | Omit = omit,
        **kwargs: Any,
    ) -> ChatCompletionStreamManager[T]:
        """A context manager streaming the completion as accumulated events (see `lib.streaming.chat`)."""
        from ._parsing import type_to_response_format_param
        from .streaming.chat import ChatCompletionStreamManager

        _no_stream(kwargs, "stream")
        tool_list = _chat_tools(tools)
        create = cast(Any, self).create
        fmt = type_to_response_format_param(response_format)
        return ChatCompletionStreamManager(
            lambda: create(messages=messages, model=model, response_format=fmt, tools=tool_list, stream=True,
                           **kwargs),
            response_format=response_format, input_tools=tool_list,
        )

    def run_tools(
        self,
        *,
        messages: Iterable[Any],
        model: str,
        tools: Iterable[Any],
        max_iterations: int = 10,
        raise_on_tool_error: bool = False,
        on_tool_call: Callback | None = None,
        on_tool_result: Callback | None = None,
        on_message: Callback | None = None,
        on_step: Callback | None = None,
        **kwargs: Any,
    ) -> ChatToolRunner:
        """Call the model, run the python functions it asks for, repeat until it answers (see `lib.tool_runner`)."""
        from .tool_runner import ChatToolRunner

        _no_stream(kwargs, "run_tools")
        return ChatToolRunner(
            self, messages=messages, tools=tools, max_iterations=max_iterations,
            raise_on_tool_error=raise_on_tool_error, on_tool_call=on_tool_call, on_tool_result=on_tool_result,
            on_message=on_message, on_step=on_step, params={"model": model, **kwargs},
        )


class AsyncCompletionsHelpers:
    """`await client.chat.completions.parse(...)`, `async with ....stream(...)`, `....run_tools(...)`."""

    async def parse(
        self,
        *,
        messages: Iterable[Any],
        model: str,
        response_format: type[T] | dict[str, Any] | Omit = omit,
        tools: Iterable[Any] | Omit = omit,
        **kwargs: Any,
    ) -> ParsedChatCompletion[T]:
        from ._parsing import parse_chat_completion, type_to_response_format_param, validate_input_tools

        _no_stream(kwargs, "parse")
        validate_input_tools(tools)
        tool_list = _chat_tools(tools)
        completion = await cast(Any, self).create(
            messages=messages, model=model, response_format=type_to_response_format_param(response_format),
            tools=tool_list, **kwargs,
        )
        return _finish(completion, lambda c: parse_chat_completion(c, response_format=response_format,
                                                                   input_tools=tool_list))

    def stream(
        self,
        *,
        messages: Iterable[Any],
        model: str,
        response_format: type[T] | dict[str, Any] | Omit = omit,
        tools: Iterable[Any] | Omit = omit,
        **kwargs: Any,
    ) -> AsyncChatCompletionStreamManager[T]:
        from ._parsing import type_to_response_format_param
        from .streaming.chat import AsyncChatCompletionStreamManager

        _no_stream(kwargs, "stream")
        tool_list = _chat_tools(tools)
        create = cast(Any, self).create
        fmt = type_to_response_format_param(response_format)
        return AsyncChatCompletionStreamManager(
            lambda: create(messages=messages, model=model, response_format=fmt, tools=tool_list, stream=True,
                           **kwargs),
            response_format=response_format, input_tools=tool_list,
        )

    def run_tools(
        self,
        *,
        messages: Iterable[Any],
        model: str,
        tools: Iterable[Any],
        max_iterations: int = 10,
        raise_on_tool_error: bool = False,
        on_tool_call: Callback | None = None,
        on_tool_result: Callback | None = None,
        on_message: Callback | None = None,
        on_step: Callback | None = None,
        **kwargs: Any,
    ) -> AsyncChatToolRunner:
        from .tool_runner import AsyncChatToolRunner

        _no_stream(kwargs, "run_tools")
        return AsyncChatToolRunner(
            self, messages=messages, tools=tools, max_iterations=max_iterations,
            raise_on_tool_error=raise_on_tool_error, on_tool_call=on_tool_call, on_tool_result=on_tool_result,
            on_message=on_message, on_step=on_step, params={"model": model, **kwargs},
        )


# -- responses --------------------------------------------------------------------------------------


def _stream_request(
    resource: Any, *, response_id: str | None, starting_after: int | Omit, kwargs: dict[str, Any]
) -> Callable[[], Any]:
    if response_id is not None:
        extra = set(kwargs) - {"include", "include_obfuscation", "extra_headers", "extra_query", "extra_body",
                               "timeout"}
        if extra:
            raise TypeError(f"stream(response_id=...) resumes an existing response; {sorted(extra)} cannot be given")
        return lambda: resource.retrieve(response_id, stream=True, starting_after=starting_after, **kwargs)
    if is_given(starting_after):
        raise TypeError("starting_after= is for resuming: pass response_id= too")
    return lambda: resource.create(stream=True, **kwargs)


class ResponsesHelpers(ResponsesConnectMixin):
    """`client.responses.parse / stream / run_tools`."""

    def parse(
        self,
        *,
        text_format: type[T] | Omit = omit,
        tools: Iterable[Any] | Omit = omit,
        text: Any = omit,
        **kwargs: Any,
    ) -> ParsedResponse[T]:
        """Create a response and decode its text into `text_format` (`response.output_parsed`)."""
        from ._parsing import parse_response

        _no_stream(kwargs, "parse")
        tool_list = _responses_tools(tools)
        text_param = _text_param(text_format, text)
        response = cast(Any, self).create(text=text_param, tools=tool_list, **kwargs)
        return _finish(response, lambda r: parse_response(r, text_format=text_format, text=text_param,
                                                          input_tools=tool_list))

    def stream(
        self,
        *,
        response_id: str | None = None,
        starting_after: int | Omit = omit,
        text_format: type[T] | Omit = omit,
        tools: Iterable[Any] | Omit = omit,
        text: Any = omit,
        **kwargs: Any,
    ) -> ResponseStreamManager[T]:
        """A context manager streaming a new response, or resuming one (`response_id=`, `starting_after=`)."""
        _no_stream(kwargs, "stream")
        tool_list = _responses_tools(tools)
        text_param = _text_param(text_format, text)
        if response_id is None:
            kwargs = {**kwargs, "text": text_param, "tools": tool_list}
        request = _stream_request(self, response_id=response_id, starting_after=starting_after, kwargs=kwargs)
        from .streaming.responses import ResponseStreamManager

        return ResponseStreamManager(request, text_format=text_format, text=text_param, input_tools=tool_list,
                                     response_id=response_id)

    def run_tools(
        self,
        *,
        input: Any,
        tools: Iterable[Any],
        max_iterations: int = 10,
        raise_on_tool_error: bool = False,
        on_tool_call: Callback | None = None,
        on_tool_result: Callback | None = None,
        on_response: Callback | None = None,
        on_step: Callback | None = None,
        **kwargs: Any,
    ) -> ResponsesToolRunner:
        """Call the model, run the python functions it asks for, repeat until it answers (see `lib.tool_runner`)."""
        from .tool_runner import ResponsesToolRunner

        _no_stream(kwargs, "run_tools")
        return ResponsesToolRunner(
            self, input=input, tools=tools, max_iterations=max_iterations, raise_on_tool_error=raise_on_tool_error,
            on_tool_call=on_tool_call, on_tool_result=on_tool_result, on_response=on_response, on_step=on_step,
            params=kwargs,
        )


class AsyncResponsesHelpers(AsyncResponsesConnectMixin):
    """The async twin of `ResponsesHelpers`."""

    async def parse(
        self,
        *,
        text_format: type[T] | Omit = omit,
        tools: Iterable[Any] | Omit = omit,
        text: Any = omit,
        **kwargs: Any,
    ) -> ParsedResponse[T]:
        from ._parsing import parse_response

        _no_stream(kwargs, "parse")
        tool_list = _responses_tools(tools)
        text_param = _text_param(text_format, text)
        response = await cast(Any, self).create(text=text_param, tools=tool_list, **kwargs)
        return _finish(response, lambda r: parse_response(r, text_format=text_format, text=text_param,
                                                          input_tools=tool_list))

    def stream(
        self,
        *,
        response_id: str | None = None,
        starting_after: int | Omit = omit,
        text_format: type[T] | Omit = omit,
        tools: Iterable[Any] | Omit = omit,
        text: Any = omit,
        **kwargs: Any,
    ) -> AsyncResponseStreamManager[T]:
        _no_stream(kwargs, "stream")
        tool_list = _responses_tools(tools)
        text_param = _text_param(text_format, text)
        if response_id is None:
            kwargs = {**kwargs, "text": text_param, "tools": tool_list}
        request = _stream_request(self, response_id=response_id, starting_after=starting_after, kwargs=kwargs)
        from .streaming.responses import AsyncResponseStreamManager

        return AsyncResponseStreamManager(request, text_format=text_format, text=text_param, input_tools=tool_list,
                                          response_id=response_id)

    def run_tools(
        self,
        *,
        input: Any,
        tools: Iterable[Any],
        max_iterations: int = 10,
        raise_on_tool_error: bool = False,
        on_tool_call: Callback | None = None,
        on_tool_result: Callback | None = None,
        on_response: Callback | None = None,
        on_step: Callback | None = None,
        **kwargs: Any,
    ) -> AsyncResponsesToolRunner:
        from .tool_runner import AsyncResponsesToolRunner

        _no_stream(kwargs, "run_tools")
        return AsyncResponsesToolRunner(
            self, input=input, tools=tools, max_iterations=max_iterations, raise_on_tool_error=raise_on_tool_error,
            on_tool_call=on_tool_call, on_tool_result=on_tool_result, on_response=on_response, on_step=on_step,
            params=kwargs,
        )
