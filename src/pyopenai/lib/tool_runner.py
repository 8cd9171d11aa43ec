"""Tool runners: let the model call python functions until it has an answer.

    def get_weather(city: str, unit: Literal["c", "f"] = "c") -> dict:
        '''The current weather in a city.'''
        ...

    runner = client.chat.completions.run_tools(model="gpt-4o", messages=[...], tools=[get_weather])
    print(runner.final_content())          # or: for step in runner: ...

    runner = client.responses.run_tools(model="gpt-4o", input="...", tools=[get_weather])
    print(runner.final_output_text())

One *iteration* is one model call. When the reply asks for function calls, the runner executes
them, sends the results back and calls the model again; it stops at the first reply without
function calls. `max_iterations` (10) bounds the model calls: a reply that still asks for tools on
the last allowed call raises `ToolRunnerMaxIterationsError` (with the steps so far) rather than
returning something that is not an answer.

Runners are lazy: nothing is sent until they are iterated (each item is a `ToolRunnerStep`) or a
`final_*()` / `until_done()` method drives them. Callbacks see each step as it happens:
`on_tool_call(call)` before a tool runs, `on_tool_result(result)` after, `on_message(message)`
(chat) / `on_response(response)` (responses) for each model reply, `on_step(step)`.

Execution (documented choice): the sync runners run the tool calls of one reply sequentially in
the order the model listed them (no thread-safety demands on your functions). The async runners
run them concurrently (an anyio task group, so asyncio and trio both work): `async def` tools
overlap; plain functions are called directly on the event loop, so keep them quick or make them
async. Results go back to the model in the model's order either way.

A tool that raises is reported to the model as an error result (`"Error: ValueError: ..."`) so it
can recover; `raise_on_tool_error=True` re-raises instead (in the async runner, after the other
calls of that reply finish). Unknown tool names and invalid arguments are tool errors too.
Tools that are plain dicts (hosted tools such as web search) are passed through and never run here.

The Responses runner chains calls with `previous_response_id`, or, with `store=False`, sends the
whole transcript (`runner.input`) each time; with `conversation=` the conversation carries it.
A response with status "failed" raises `ResponseFailedError`.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Generator, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from typing_extensions import Self

from .._exceptions import OpenAIError
from .._models import BaseModel
from ._function_tools import FunctionTool, serialize_tool_output
from ._utils import json_of, unwrap_group
from .streaming.responses import ResponseFailedError

if TYPE_CHECKING:
    from ..types.chat.chat_completion import ChatCompletion
    from ..types.chat.chat_completion_message import ChatCompletionMessage
    from ..types.chat.chat_completion_message_param import ChatCompletionMessageParam
    from ..types.responses.response import Response
    from .resource_mixins import (
        AsyncCompletionsHelpers,
        AsyncResponsesHelpers,
        CompletionsHelpers,
        ResponsesHelpers,
        ResponsesInput,
        ResponsesTool,
        RunnableTool,
    )

__all__ = [
    "AsyncChatToolRunner",
    "AsyncResponsesToolRunner",
    "ChatToolRunner",
    "ResponsesToolRunner",
    "ToolCall",
    "ToolResult",
    "ToolRunnerMaxIterationsError",
    "ToolRunnerStep",
]

JSON = dict[str, Any]
Callback = Callable[[Any], Any]


@dataclass
class ToolCall:
    """A function call the model asked for."""

    id: str
    name: str
    arguments: str
    parsed_arguments: Any = None


@dataclass
class ToolResult:
    """What running one `ToolCall` produced: `output` is the text sent back to the model."""

    call: ToolCall
    output: str
    result: Any = None
    error: BaseException | None = None

    @property
    def is_error(self) -> bool:
        return self.error is not None


@dataclass
class ToolRunnerStep:
    """One model call and the tools run for it. The last step of a run has no tool results."""

    iteration: int
    response: Any  # ChatCompletion (chat runners) or Response (responses runners)
    tool_results: list[ToolResult] = field(default_factory=list[ToolResult])

    @property
    def is_final(self) -> bool:
        return not self.tool_results


class ToolRunnerMaxIterationsError(OpenAIError):
    """The model was still asking for tools when `max_iterations` model calls had been made."""

    def __init__(self, max_iterations: int, steps: list[ToolRunnerStep]) -> None:
        super().__init__(
            f"The model still requested tool calls after {max_iterations} iterations (max_iterations); "
            "raise the limit or check the tools' results"
        )
        self.max_iterations = max_iterations
        self.steps = steps
        self.last_response = steps[-1].response if steps else None


def _prepare_tools(tools: Iterable[Any]) -> tuple[dict[str, FunctionTool], list[Any]]:
    """({name: runnable tool}, [tool definitions as given or built]); dict tools pass through."""
    runnable: dict[str, FunctionTool] = {}
    passthrough: list[Any] = []
    for tool in tools:
        if isinstance(tool, dict):
            passthrough.append(tool)
            continue
        ft = tool if isinstance(tool, FunctionTool) else FunctionTool(cast("Callable[..., Any]", tool))
        if ft.name in runnable:
            raise ValueError(f"two tools are named {ft.name!r}")
        runnable[ft.name] = ft
    return runnable, passthrough


def _error_output(exc: BaseException) -> str:
    return f"Error: {type(exc).__name__}: {exc}"


class _RunnerBase:
    def __init__(
        self,
        *,
        tools: Iterable[Any],
        max_iterations: int,
        raise_on_tool_error: bool,
        on_tool_call: Callback | None,
        on_tool_result: Callback | None,
        on_step: Callback | None,
    ) -> None:
        if max_iterations < 1:
            raise ValueError("max_iterations must be at least 1")
        self._tools, self._passthrough = _prepare_tools(tools)
        self.max_iterations = max_iterations
        self.raise_on_tool_error = raise_on_tool_error
        self._on_tool_call = on_tool_call
        self._on_tool_result = on_tool_result
        self._on_step = on_step
        self.steps: list[ToolRunnerStep] = []
        self._done = False

    def _lookup(self, call: ToolCall) -> tuple[FunctionTool | None, Any, ToolResult | None]:
        """(tool, decoded arguments, error result) for a call."""
        tool = self._tools.get(call.name)
        if tool is None:
            exc = LookupError(f"no tool named {call.name!r} is available")
            return None, None, ToolResult(call, _error_output(exc), error=exc)
        try:
            parsed = tool.parse_arguments(call.arguments)
        except Exception as exc:
            return tool, None, ToolResult(call, _error_output(exc), error=exc)
        call.parsed_arguments = parsed
        return tool, parsed, None

    def _check(self, result: ToolResult) -> None:
        if result.error is not None and self.raise_on_tool_error:
            raise result.error

    def _run_sync(self, calls: list[ToolCall]) -> list[ToolResult]:
        results: list[ToolResult] = []
        for call in calls:
            if self._on_tool_call is not None:
                self._on_tool_call(call)
            tool, parsed, failed = self._lookup(call)
            if failed is None:
                assert tool is not None
                try:
                    value = tool.invoke(parsed)
                    if inspect.isawaitable(value):
                        _close(value)
                        raise TypeError(f"{tool.name} is async: use the async client to run it")
                    failed = ToolResult(call, serialize_tool_output(value), result=value)
                except Exception as exc:
                    failed = ToolResult(call, _error_output(exc), error=exc)
            self._check(failed)
            if self._on_tool_result is not None:
                self._on_tool_result(failed)
            results.append(failed)
        return results

    async def _run_async(self, calls: list[ToolCall]) -> list[ToolResult]:
        import anyio

        results: list[ToolResult | None] = [None] * len(calls)

        async def run(index: int, call: ToolCall) -> None:
            await _maybe_await(self._on_tool_call, call)
            tool, parsed, outcome = self._lookup(call)
            if outcome is None:
                assert tool is not None
                try:
                    value = tool.invoke(parsed)
                    if inspect.isawaitable(value):
                        value = await value
                    outcome = ToolResult(call, serialize_tool_output(value), result=value)
                except Exception as exc:
                    outcome = ToolResult(call, _error_output(exc), error=exc)
            results[index] = outcome
            await _maybe_await(self._on_tool_result, outcome)

        try:
            async with anyio.create_task_group() as group:
                for i, call in enumerate(calls):
                    group.start_soon(run, i, call)
        except Exception as exc:  # a callback raised: report it, not the task group's wrapper
            raise unwrap_group(exc) from None
        done = [r for r in results if r is not None]
        for r in done:
            self._check(r)
        return done


def _close(awaitable: Any) -> None:
    close = getattr(awaitable, "close", None)
    if callable(close):
        close()


async def _maybe_await(callback: Callback | None, value: Any) -> None:
    if callback is None:
        return
    result = callback(value)
    if inspect.isawaitable(result):
        await result


# -- chat completions -------------------------------------------------------------------------------


def _chat_calls(message: Any) -> list[ToolCall]:
    calls: list[ToolCall] = []
    for raw in cast("list[JSON]", json_of(message).get("tool_calls") or []):
        fn = cast("JSON | None", raw.get("function"))
        if raw.get("type", "function") == "function" and fn is not None:
            calls.append(ToolCall(cast(str, raw.get("id") or ""), cast(str, fn.get("name") or ""),
                                  cast(str, fn.get("arguments") or "")))
    return calls


def _assistant_message(message: Any) -> JSON:
    data = json_of(message)
    out: JSON = {"role": "assistant", "content": data.get("content")}
    if data.get("refusal"):
        out["refusal"] = data["refusal"]
    calls: list[JSON] = []
    for raw in cast("list[JSON]", data.get("tool_calls") or []):
        call: JSON = {"id": raw.get("id"), "type": raw.get("type") or "function"}
        kind = cast(str, call["type"])
        inner = cast("JSON | None", raw.get(kind))
        if inner is not None:
            call[kind] = {k: v for k, v in inner.items() if k != "parsed_arguments"}
        calls.append(call)
    if calls:
        out["tool_calls"] = calls
    return out


class _ChatRunnerState(_RunnerBase):
    def __init__(self, messages: Iterable[Any], params: JSON, on_message: Callback | None, **kw: Any) -> None:
        super().__init__(**kw)
        self.messages: list[Any] = list(messages)
        self._params = params
        self._on_message = on_message
        self._tool_params = [t.chat_param() for t in self._tools.values()] + self._passthrough

    def _request(self) -> JSON:
        return {**self._params, "messages": self.messages, "tools": self._tool_params}

    def _record(self, completion: Any) -> tuple[Any, list[ToolCall]]:
        choices = cast("list[Any]", getattr(completion, "choices", None) or [])
        if not choices:
            raise OpenAIError("the model replied without any choice")
        message = choices[0].message
        self.messages.append(_assistant_message(message))
        return message, _chat_calls(message)

    def _tool_messages(self, results: list[ToolResult]) -> None:
        for r in results:
            self.messages.append({"role": "tool", "tool_call_id": r.call.id, "content": r.output})

    def _final(self) -> ToolRunnerStep:
        if not self.steps or not self.steps[-1].is_final:
            raise RuntimeError("the runner has not finished")
        return self.steps[-1]


class ChatToolRunner(_ChatRunnerState):
    """The sync chat runner (`client.chat.completions.run_tools(...)`)."""

    def __init__(self, completions: CompletionsHelpers, *, messages: Iterable[ChatCompletionMessageParam],
                 tools: Iterable[RunnableTool], max_iterations: int = 10,
                 raise_on_tool_error: bool = False, on_tool_call: Callback | None = None,
                 on_tool_result: Callback | None = None, on_message: Callback | None = None,
                 on_step: Callback | None = None, params: JSON | None = None) -> None:
        super().__init__(messages, dict(params or {}), on_message, tools=tools, max_iterations=max_iterations,
                         raise_on_tool_error=raise_on_tool_error, on_tool_call=on_tool_call,
                         on_tool_result=on_tool_result, on_step=on_step)
        self._completions: Any = completions  # the generated resource: its create() takes the request
        self._iterator = self._run()

    def _run(self) -> Generator[ToolRunnerStep, None, None]:
        for iteration in range(1, self.max_iterations + 1):
            completion = self._completions.create(**self._request())
            message, calls = self._record(completion)
            if self._on_message is not None:
                self._on_message(message)
            results = self._run_sync(calls) if calls else []
            self._tool_messages(results)
            step = ToolRunnerStep(iteration, completion, results)
            self.steps.append(step)
            if self._on_step is not None:
                self._on_step(step)
            yield step
            if not calls:
                return
        raise ToolRunnerMaxIterationsError(self.max_iterations, self.steps)

    def __iter__(self) -> Generator[ToolRunnerStep, None, None]:
        return self._iterator

    def __next__(self) -> ToolRunnerStep:
        return next(self._iterator)

    def until_done(self) -> Self:
        for _ in self._iterator:
            pass
        return self

    def final_completion(self) -> ChatCompletion:
        return cast("ChatCompletion", self.until_done()._final().response)

    def final_message(self) -> ChatCompletionMessage:
        return self.final_completion().choices[0].message

    def final_content(self) -> str | None:
        return self.final_message().content


class AsyncChatToolRunner(_ChatRunnerState):
    """The async chat runner: `async for step in runner`, `await runner.final_content()`."""

    def __init__(self, completions: AsyncCompletionsHelpers, *, messages: Iterable[ChatCompletionMessageParam],
                 tools: Iterable[RunnableTool], max_iterations: int = 10,
                 raise_on_tool_error: bool = False, on_tool_call: Callback | None = None,
                 on_tool_result: Callback | None = None, on_message: Callback | None = None,
                 on_step: Callback | None = None, params: JSON | None = None) -> None:
        super().__init__(messages, dict(params or {}), on_message, tools=tools, max_iterations=max_iterations,
                         raise_on_tool_error=raise_on_tool_error, on_tool_call=on_tool_call,
                         on_tool_result=on_tool_result, on_step=on_step)
        self._completions: Any = completions  # the generated resource: its create() takes the request
        self._iterator = self._run()

    async def _run(self) -> AsyncIterator[ToolRunnerStep]:
        for iteration in range(1, self.max_iterations + 1):
            completion = await self._completions.create(**self._request())
            message, calls = self._record(completion)
            await _maybe_await(self._on_message, message)
            results = await self._run_async(calls) if calls else []
            self._tool_messages(results)
            step = ToolRunnerStep(iteration, completion, results)
            self.steps.append(step)
            await _maybe_await(self._on_step, step)
            yield step
            if not calls:
                return
        raise ToolRunnerMaxIterationsError(self.max_iterations, self.steps)

    def __aiter__(self) -> AsyncIterator[ToolRunnerStep]:
        return self._iterator

    async def __anext__(self) -> ToolRunnerStep:
        return await self._iterator.__anext__()

    async def until_done(self) -> Self:
        async for _ in self._iterator:
            pass
        return self

    async def final_completion(self) -> ChatCompletion:
        return cast("ChatCompletion", (await self.until_done())._final().response)

    async def final_message(self) -> ChatCompletionMessage:
        return (await self.final_completion()).choices[0].message

    async def final_content(self) -> str | None:
        return (await self.final_message()).content


# -- responses --------------------------------------------------------------------------------------


def _response_calls(response: Any) -> list[ToolCall]:
    calls: list[ToolCall] = []
    for item in cast("list[JSON]", json_of(response).get("output") or []):
        if item.get("type") == "function_call":
            calls.append(ToolCall(cast(str, item.get("call_id") or ""), cast(str, item.get("name") or ""),
                                  cast(str, item.get("arguments") or "")))
    return calls


def _output_item_input(item: JSON) -> JSON:
    return {k: v for k, v in item.items() if k not in ("parsed_arguments", "parsed")}


class _ResponsesRunnerState(_RunnerBase):
    def __init__(self, input: Any, params: JSON, on_response: Callback | None, **kw: Any) -> None:
        super().__init__(**kw)
        self.input: list[Any] = (
            [{"role": "user", "content": input}] if isinstance(input, str) else list(cast("Iterable[Any]", input or []))
        )
        self._params = params
        self._on_response = on_response
        self._tool_params = [t.responses_param() for t in self._tools.values()] + self._passthrough
        self._stateless = params.get("store") is False
        self._pending: list[JSON] = []  # function_call_output items for the next call
        self._previous: str | None = None

    def _request(self) -> JSON:
        body: JSON = {**self._params, "tools": self._tool_params}
        if self._previous is None:
            body["input"] = self.input
        elif self._stateless:
            body["input"] = self.input
        else:
            body["input"] = self._pending
            if "conversation" not in self._params:
                body["previous_response_id"] = self._previous
        return body

    def _record(self, response: Any) -> list[ToolCall]:
        data = json_of(response)
        if data.get("status") == "failed":
            error = cast("JSON | None", data.get("error")) or {}
            raise ResponseFailedError(
                f"The response failed: {error.get('message') or 'no error message'}",
                response=response, code=cast("str | None", error.get("code")),
            )
        self._previous = cast("str | None", data.get("id"))
        self.input.extend(_output_item_input(item) for item in cast("list[JSON]", data.get("output") or []))
        return _response_calls(response)

    def _outputs(self, results: list[ToolResult]) -> None:
        self._pending = [{"type": "function_call_output", "call_id": r.call.id, "output": r.output} for r in results]
        self.input.extend(self._pending)

    def _final(self) -> ToolRunnerStep:
        if not self.steps or not self.steps[-1].is_final:
            raise RuntimeError("the runner has not finished")
        return self.steps[-1]


class ResponsesToolRunner(_ResponsesRunnerState):
    """The sync Responses runner (`client.responses.run_tools(...)`)."""

    def __init__(self, responses: ResponsesHelpers, *, input: ResponsesInput,
                 tools: Iterable[RunnableTool | ResponsesTool], max_iterations: int = 10,
                 raise_on_tool_error: bool = False, on_tool_call: Callback | None = None,
                 on_tool_result: Callback | None = None, on_response: Callback | None = None,
                 on_step: Callback | None = None, params: JSON | None = None) -> None:
        super().__init__(input, dict(params or {}), on_response, tools=tools, max_iterations=max_iterations,
                         raise_on_tool_error=raise_on_tool_error, on_tool_call=on_tool_call,
                         on_tool_result=on_tool_result, on_step=on_step)
        self._responses: Any = responses  # the generated resource: its create() takes the request
        self._iterator = self._run()

    def _run(self) -> Generator[ToolRunnerStep, None, None]:
        for iteration in range(1, self.max_iterations + 1):
            response = self._responses.create(**self._request())
            calls = self._record(response)
            if self._on_response is not None:
                self._on_response(response)
            results = self._run_sync(calls) if calls else []
            self._outputs(results)
            step = ToolRunnerStep(iteration, response, results)
            self.steps.append(step)
            if self._on_step is not None:
                self._on_step(step)
            yield step
            if not calls:
                return
        raise ToolRunnerMaxIterationsError(self.max_iterations, self.steps)

    def __iter__(self) -> Generator[ToolRunnerStep, None, None]:
        return self._iterator

    def __next__(self) -> ToolRunnerStep:
        return next(self._iterator)

    def until_done(self) -> Self:
        for _ in self._iterator:
            pass
        return self

    def final_response(self) -> Response:
        return cast("Response", self.until_done()._final().response)

    def final_output_text(self) -> str:
        return _output_text(self.final_response())


class AsyncResponsesToolRunner(_ResponsesRunnerState):
    """The async Responses runner."""

    def __init__(self, responses: AsyncResponsesHelpers, *, input: ResponsesInput,
                 tools: Iterable[RunnableTool | ResponsesTool], max_iterations: int = 10,
                 raise_on_tool_error: bool = False, on_tool_call: Callback | None = None,
                 on_tool_result: Callback | None = None, on_response: Callback | None = None,
                 on_step: Callback | None = None, params: JSON | None = None) -> None:
        super().__init__(input, dict(params or {}), on_response, tools=tools, max_iterations=max_iterations,
                         raise_on_tool_error=raise_on_tool_error, on_tool_call=on_tool_call,
                         on_tool_result=on_tool_result, on_step=on_step)
        self._responses: Any = responses  # the generated resource: its create() takes the request
        self._iterator = self._run()

    async def _run(self) -> AsyncIterator[ToolRunnerStep]:
        for iteration in range(1, self.max_iterations + 1):
            response = await self._responses.create(**self._request())
            calls = self._record(response)
            await _maybe_await(self._on_response, response)
            results = await self._run_async(calls) if calls else []
            self._outputs(results)
            step = ToolRunnerStep(iteration, response, results)
            self.steps.append(step)
            await _maybe_await(self._on_step, step)
            yield step
            if not calls:
                return
        raise ToolRunnerMaxIterationsError(self.max_iterations, self.steps)

    def __aiter__(self) -> AsyncIterator[ToolRunnerStep]:
        return self._iterator

    async def __anext__(self) -> ToolRunnerStep:
        return await self._iterator.__anext__()

    async def until_done(self) -> Self:
        async for _ in self._iterator:
            pass
        return self

    async def final_response(self) -> Response:
        return cast("Response", (await self.until_done())._final().response)

    async def final_output_text(self) -> str:
        return _output_text(await self.final_response())


def _output_text(response: BaseModel) -> str:
    from .response_mixins import response_output_text

    return response_output_text(json_of(response).get("output"))
