"""A bounded Responses loop that runs your registered functions for the model.

    def get_weather(args: dict[str, object]) -> str:
        return f"Sunny in {args['city']}"

    weather = RegisteredFunction(
        tool={"type": "function", "name": "get_weather", "strict": True, "parameters": {
            "type": "object", "properties": {"city": {"type": "string"}},
            "required": ["city"], "additionalProperties": False}},
        execute=get_weather,
    )
    runner = ResponsesToolRunner(functions=[weather])
    response = runner.run(client, {"model": "gpt-5", "input": "Weather in Paris?"})
    print(response.output_text)

Each step sends the whole conversation (explicit input history: no `previous_response_id`, no
stored conversation; `reasoning.encrypted_content` is included so reasoning items can be replayed),
checks every item of the reply before anything runs, then runs the function calls in the order the
model listed them and sends their outputs back. The run ends at the first reply without tool calls
(it must hold a completed message or a server tool's result). `max_steps` (20) bounds the requests:
a reply that still asks for a tool on the last step stops the run without running it.

`iterate()` yields a `ResponsesRunnerTurn` per reply before its tools run: look at the response,
`supply_outputs()` for functions registered with `allow_output_override=True`, or
`append_user_text()`; advancing the iterator runs the tools. Close it (`contextlib.closing`) to
stop early.

A failure stops the run with a `ToolRunnerError` naming what went wrong, with the ids of the calls
that had started (`attempted_call_ids`) and returned (`completed_call_ids`); an error raised by your
code or by the API stays reachable as `__context__` but out of the message. Cancelling an async run
raises `ToolRunnerCancelledError` (an `asyncio.CancelledError`) with the same ids; `cancelled=`
(a callable) stops a run at its next check.

`browser=` (a `BrowserToolset`) adds its `browser_*` function tools and carries out their calls;
`computer=` (a `ComputerToolset`) declares the computer tool and performs computer calls, with
`approve_safety_checks=` and `before_action=` passed to it.

What pyopenai does not implement yet (a clear error when asked for): `ledger=` checkpoints and
`context_budget=`. With `stream=True, eager=True` the functions
run once the streamed response has completed rather than while it streams (`before_early_call` is
not consulted), which gives the same outputs, later.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Mapping, Sequence
from copy import deepcopy
from dataclasses import dataclass, field
from functools import partial
from time import monotonic
from typing import TYPE_CHECKING, Any, TypeVar, Union, cast

from typing_extensions import Literal, Required, TypeAlias, TypedDict

from ._effect_loop import Call, Engine, Pause, drive, drive_async
from ._tool_lifecycle import CloseStatus, ToolLifecycle, invoke, rotated_idempotency_headers
from ._tools import ResponsesPydanticFunctionTool
from .tool_diagnostics import ToolDiagnosticObserver, emit_tool_diagnostic

if TYPE_CHECKING:
    import pydantic

    from .._client import AsyncOpenAI, OpenAI
    from ..types.responses.function_tool_param import FunctionToolParam
    from ..types.responses.response import Response
    from ..types.responses.response_computer_tool_call import ResponseComputerToolCall
    from ..types.responses.response_create_params import ResponseCreateParamsNonStreaming
    from ..types.responses.response_function_call_output_item_list_param import (
        ResponseFunctionCallOutputItemListParam,
    )
    from ..types.responses.response_function_tool_call import ResponseFunctionToolCall
    from ..types.responses.response_input_item_param import McpApprovalResponse
    from ..types.responses.response_input_param import ComputerCallOutput, FunctionCallOutput, ResponseInputParam
    from ..types.responses.response_output_item import McpApprovalRequest
    from ..types.responses.tool_param import ToolParam
    from .browser import AsyncBrowserToolset, BrowserToolset
    from .computer import AsyncComputerToolset, ComputerActionInput, ComputerToolset
    from .streaming.responses import ResponseStreamEvent

__all__ = [
    "AsyncContextBudget",
    "AsyncRegisteredFunction",
    "AsyncResponsesToolLedger",
    "AsyncResponsesToolRunner",
    "ContextBudget",
    "ContextBudgetDecision",
    "ContextBudgetSnapshot",
    "EarlyExecution",
    "RegisteredFunction",
    "ResponsesRunnerTurn",
    "ResponsesToolCheckpoint",
    "ResponsesToolLedger",
    "ResponsesToolRunner",
    "ToolRunnerCancelledError",
    "ToolRunnerError",
]

FunctionResult: TypeAlias = Union[str, "ResponseFunctionCallOutputItemListParam"]
ToolOutput: TypeAlias = Union["FunctionCallOutput", "ComputerCallOutput", "McpApprovalResponse"]
_ModelT = TypeVar("_ModelT", bound="pydantic.BaseModel")

# Server tools a run may declare in `params["tools"]`, by the output item each one produces.
_SERVER_TOOL_ITEMS: dict[str, frozenset[str]] = {
    "web_search_call": frozenset(
        {"web_search", "web_search_2025_08_26", "web_search_preview", "web_search_preview_2025_03_11"}
    ),
    "file_search_call": frozenset({"file_search"}),
    "code_interpreter_call": frozenset({"code_interpreter"}),
    "image_generation_call": frozenset({"image_generation"}),
    "mcp_call": frozenset({"mcp"}),
    "mcp_list_tools": frozenset({"mcp"}),
    "mcp_approval_request": frozenset({"mcp"}),
}
_SERVER_TOOLS = frozenset(kind for kinds in _SERVER_TOOL_ITEMS.values() for kind in kinds)
_LOCAL_TOOL_TYPES = frozenset({"function", "computer", "computer_use", "computer_use_preview"})
# Request fields the runner decides; `extra_body` may not override them.
_RUNNER_FIELDS = frozenset(
    {"stream", "store", "background", "conversation", "previous_response_id", "tools", "input", "include", "tool_choice"}
)
_REPLAYED_REASONING = "reasoning.encrypted_content"


class EarlyExecution(TypedDict, total=False):
    """Which registered tools may run while a streamed response is still arriving."""

    functions: list[str]
    computer: bool


class ContextBudgetSnapshot(TypedDict):
    history: ResponseInputParam
    eligible_call_ids: list[str]
    input_bytes: int
    input_images: int


class ContextBudgetDecision(TypedDict, total=False):
    drop_call_ids: Required[list[str]]
    summary: str


class _ContextBudgetLimits(TypedDict, total=False):
    max_input_bytes: Required[int]
    max_input_images: Required[int]
    keep_recent_screenshots: int


class ContextBudget(_ContextBudgetLimits, total=False):
    compact: Callable[[ContextBudgetSnapshot], ContextBudgetDecision]


class AsyncContextBudget(_ContextBudgetLimits, total=False):
    compact: Callable[[ContextBudgetSnapshot], ContextBudgetDecision | Awaitable[ContextBudgetDecision]]


class ResponsesToolCheckpoint(TypedDict):
    version: Literal[1]
    run_id: str
    revision: int
    phase: Literal["boundary", "pending", "final"]
    max_steps: int
    consumed_requests: int
    tools: list[ToolParam]
    output_override_names: list[str]
    history: ResponseInputParam
    attempted_call_ids: list[str]
    returned_call_ids: list[str]
    pending_items: list[dict[str, object]]
    returned_outputs: list[ToolOutput]
    final_response: dict[str, object] | None


@dataclass(frozen=True)
class ResponsesToolLedger:
    run_id: str
    save: Callable[[ResponsesToolCheckpoint], None]
    resume_from: ResponsesToolCheckpoint | None = None


@dataclass(frozen=True)
class AsyncResponsesToolLedger:
    run_id: str
    save: Callable[[ResponsesToolCheckpoint], Awaitable[None]]
    resume_from: ResponsesToolCheckpoint | None = None


def _model_of(tool: object) -> type[pydantic.BaseModel]:
    if not isinstance(tool, ResponsesPydanticFunctionTool):
        raise ValueError("from_tool() takes a tool made by pydantic_function_tool() for Responses, and an executor.")
    return cast("type[pydantic.BaseModel]", tool.model)


@dataclass(frozen=True)
class RegisteredFunction:
    """A function tool the runner may execute: `execute` receives the parsed JSON arguments."""

    tool: FunctionToolParam
    execute: Callable[[dict[str, object]], FunctionResult]
    allow_output_override: bool = False
    independent: bool = False
    _arguments_model: type[pydantic.BaseModel] | None = field(default=None, repr=False)

    @classmethod
    def from_tool(
        cls,
        tool: FunctionToolParam,
        *,
        execute: Callable[[_ModelT], FunctionResult],
        allow_output_override: bool = False,
        independent: bool = False,
    ) -> RegisteredFunction:
        """Register a pydantic-defined tool; `execute` receives an instance of its model."""
        model = _model_of(tool)
        if not callable(execute):
            raise ValueError("from_tool() needs a callable executor.")
        handler = cast("Callable[[dict[str, object]], FunctionResult]", execute)
        return cls(deepcopy(tool), handler, allow_output_override, independent, model)


@dataclass(frozen=True)
class AsyncRegisteredFunction:
    """`RegisteredFunction` for `AsyncResponsesToolRunner`: `execute` is awaited."""

    tool: FunctionToolParam
    execute: Callable[[dict[str, object]], Awaitable[FunctionResult]]
    allow_output_override: bool = False
    independent: bool = False
    _arguments_model: type[pydantic.BaseModel] | None = field(default=None, repr=False)

    @classmethod
    def from_tool(
        cls,
        tool: FunctionToolParam,
        *,
        execute: Callable[[_ModelT], Awaitable[FunctionResult]],
        allow_output_override: bool = False,
        independent: bool = False,
    ) -> AsyncRegisteredFunction:
        """Register a pydantic-defined tool; `execute` receives an instance of its model."""
        model = _model_of(tool)
        if not callable(execute):
            raise ValueError("from_tool() needs a callable executor.")
        handler = cast("Callable[[dict[str, object]], Awaitable[FunctionResult]]", execute)
        return cls(deepcopy(tool), handler, allow_output_override, independent, model)


_Registered: TypeAlias = Union[RegisteredFunction, AsyncRegisteredFunction]


@dataclass(frozen=True)
class ResponsesRunnerTurn:
    """One reply of the model, shown before its tools run.

    `attempted_call_ids`/`completed_call_ids` cover the whole run so far. `final` is True on the
    reply that ends the run.
    """

    response: Response
    step: int
    final: bool
    tools_executed: bool
    attempted_call_ids: tuple[str, ...]
    completed_call_ids: tuple[str, ...]
    _supply: Callable[[list[FunctionCallOutput]], None] = field(repr=False, compare=False)
    _append: Callable[[str], None] = field(repr=False, compare=False)

    def supply_outputs(self, outputs: list[FunctionCallOutput]) -> None:
        """Send these outputs instead of running the functions (only those registered with
        `allow_output_override=True`); a later call replaces the whole set."""
        self._supply(outputs)

    def append_user_text(self, text: str) -> None:
        """Add a user message after this turn's tool outputs."""
        self._append(text)


class ToolRunnerError(RuntimeError):
    """A stopped run. `attempted_call_ids`: calls that started (one may have failed partway);
    `completed_call_ids`: calls whose output was built."""

    def __init__(self, message: str, attempted_call_ids: list[str], completed_call_ids: list[str]) -> None:
        super().__init__(message)
        self.attempted_call_ids = tuple(attempted_call_ids)
        self.completed_call_ids = tuple(completed_call_ids)


class ToolRunnerCancelledError(asyncio.CancelledError):
    """The run's task was cancelled; carries the ids of the calls that may already have had effects."""

    def __init__(self, attempted_call_ids: list[str], completed_call_ids: list[str]) -> None:
        super().__init__("The tool run was cancelled.")
        self.attempted_call_ids = tuple(attempted_call_ids)
        self.completed_call_ids = tuple(completed_call_ids)


_STOPPED = "The tool run stopped before completion; the error that stopped it is its __context__."
_STEP_LIMIT = "The tool run reached max_steps before completion."


class _Stop(Exception):
    """A stop the runner decided itself; its message is safe to show."""


# ---- checks made before a run starts -------------------------------------------------------------


def _registered_tools(functions: Sequence[_Registered]) -> dict[str, _Registered]:
    registered: dict[str, _Registered] = {}
    for function in cast("list[object]", functions):
        if not isinstance(function, (RegisteredFunction, AsyncRegisteredFunction)) or not callable(function.execute):
            raise ValueError("Every registered function needs to be a RegisteredFunction with a callable executor.")
        if type(function.allow_output_override) is not bool or type(function.independent) is not bool:
            raise ValueError("allow_output_override and independent must be booleans.")
        tool = cast("Mapping[str, object]", function.tool)
        name = tool.get("name")
        if tool.get("type") != "function" or not isinstance(name, str) or not name or name in registered:
            raise ValueError("Registered functions need type 'function' and unique, non-empty names.")
        registered[name] = function
    return registered


def _checked_early_execution(early: EarlyExecution | None, names: frozenset[str], has_computer: bool) -> None:
    if early is None:
        return
    fields = cast("Mapping[str, object]", early)
    if not isinstance(fields, dict) or set(fields) - {"functions", "computer"}:
        raise ValueError("early_execution takes only 'functions' and 'computer'.")
    listed = fields.get("functions", [])
    names_listed = cast("list[object]", listed) if isinstance(listed, list) else None
    if names_listed is None or len(set(names_listed)) != len(names_listed) or any(n not in names for n in names_listed):
        raise ValueError("early_execution['functions'] must list registered function names once each.")
    computer = fields.get("computer", False)
    if type(computer) is not bool or (computer and not has_computer):
        raise ValueError("early_execution['computer'] is a boolean, and True needs a registered computer toolset.")


def _unsupported(**options: object) -> None:
    for name, value in options.items():
        if value is not None:
            raise NotImplementedError(f"pyopenai's tool runner does not support {name}= yet.")


def _forces_local_tool(choice: object, tools: list[Mapping[str, object]]) -> bool:
    """Whether `tool_choice` requires a local tool on every reply, so no reply could end the run."""
    if choice == "required":
        return bool(tools) and all(tool.get("type") in _LOCAL_TOOL_TYPES for tool in tools)
    if not isinstance(choice, dict):
        return False
    fields = cast("Mapping[str, object]", choice)
    if fields.get("type") in _LOCAL_TOOL_TYPES:
        return True
    allowed = fields.get("tools")
    listed = cast("list[object]", allowed) if isinstance(allowed, list) else []
    return (
        fields.get("type") == "allowed_tools"
        and fields.get("mode") == "required"
        and bool(listed)
        and all(
            isinstance(tool, dict) and cast("Mapping[str, object]", tool).get("type") in _LOCAL_TOOL_TYPES
            for tool in listed
        )
    )


def _toolset(value: object, kind: Literal["browser", "computer"], async_lane: bool) -> Any:
    """The toolset given as `browser=`/`computer=` (checked against its lane), or None."""
    if value is None:
        return None
    if kind == "browser":
        from .browser import AsyncBrowserToolset, BrowserToolset

        expected: type = AsyncBrowserToolset if async_lane else BrowserToolset
    else:
        from .computer import AsyncComputerToolset, ComputerToolset

        expected = AsyncComputerToolset if async_lane else ComputerToolset
    if not isinstance(value, expected):
        raise ValueError(f"{kind}= takes a {expected.__name__} for this runner.")
    return value


def _base_request(
    params: ResponseCreateParamsNonStreaming, local_tools: list[Mapping[str, object]], has_computer: bool
) -> dict[str, Any]:
    """The request every step sends (its `input` replaced by the history), or a clear ValueError."""
    if not isinstance(cast(object, params), dict):
        raise ValueError("params must be a dict of responses.create() arguments.")
    request: dict[str, Any] = deepcopy(dict(cast("Mapping[str, Any]", params)))
    if (
        request.get("stream")
        or request.get("background")
        or request.get("conversation") is not None
        or request.get("previous_response_id") is not None
    ):
        raise ValueError(
            "The runner sends the conversation itself: leave out previous_response_id, conversation and "
            "background, and choose streaming with run(stream=True)."
        )
    extra_body = request.get("extra_body")
    if isinstance(extra_body, Mapping) and _RUNNER_FIELDS.intersection(cast("Mapping[str, object]", extra_body)):
        raise ValueError(f"extra_body cannot set fields the runner owns: {sorted(_RUNNER_FIELDS)}.")
    tools = deepcopy(local_tools)
    declared_computer = False
    for tool in cast("list[Mapping[str, object]]", request.get("tools") or []):
        if tool.get("type") in ("computer", "computer_use_preview"):
            if not has_computer or declared_computer:
                raise ValueError("params['tools'] may declare one computer tool, and only with a computer= toolset.")
            declared_computer = True
            tools = [t for t in tools if t.get("type") != "computer"]  # the caller's declaration wins
        elif tool.get("type") not in _SERVER_TOOLS:
            raise ValueError(
                "params['tools'] may only declare server tools (web search, file search, code interpreter, "
                "image generation, MCP); register functions with functions=[RegisteredFunction(...)]."
            )
        tools.append(tool)
    labels = [tool.get("server_label") for tool in tools if tool.get("type") == "mcp"]
    if any(not isinstance(label, str) or not label for label in labels) or len(set(labels)) != len(labels):
        raise ValueError("MCP server labels must be non-empty and unique.")
    if request.get("store") is False and any(tool.get("type") == "image_generation" for tool in tools):
        raise ValueError("Image generation needs stored responses to continue: set store=True.")
    if _forces_local_tool(request.get("tool_choice"), tools):
        raise ValueError("tool_choice requires a local tool on every reply, so the run could never finish; use 'auto'.")
    if tools:
        request["tools"] = tools
    include = list(cast("list[str]", request.get("include") or []))
    if _REPLAYED_REASONING not in include:
        include.append(_REPLAYED_REASONING)
    request["include"] = include
    supplied = request.get("input")
    history: list[object] = [{"role": "user", "content": supplied}] if isinstance(supplied, str) else []
    if not isinstance(supplied, str):
        history.extend(cast("list[object]", supplied or []))
    request["input"] = history
    return request


# ---- one run ---------------------------------------------------------------------------------------


def _wire_item(item: object) -> dict[str, object]:
    """An output item as it goes back into the next request's input."""
    data = cast("dict[str, object]", cast(Any, item).to_dict())
    data.pop("created_by", None)
    if data.get("type") == "function_call":
        data.pop("parsed_arguments", None)
        if data.get("id") is None:
            data.pop("id", None)
    if data.get("type") == "message":
        for part in cast("list[dict[str, object]]", data.get("content") or []):
            part.pop("parsed", None)
    return data


def _reject_constant(constant: str) -> object:
    raise ValueError(f"function arguments must be JSON; {constant} is not")


def _json_object(arguments: str) -> dict[str, object]:
    parsed: object = json.loads(arguments, parse_constant=_reject_constant)
    if not isinstance(parsed, dict):
        raise ValueError("function arguments must be a JSON object")
    return cast("dict[str, object]", parsed)


_BLOCK_FIELDS: dict[str, frozenset[str]] = {
    "input_text": frozenset({"type", "text", "prompt_cache_breakpoint"}),
    "input_image": frozenset({"type", "image_url", "file_id", "detail", "prompt_cache_breakpoint"}),
    "input_file": frozenset({"type", "file_data", "file_id", "file_url", "filename", "detail", "prompt_cache_breakpoint"}),
}


def _function_result(value: object) -> FunctionResult:
    """A function's return value checked as an output: text, or a list of input blocks."""
    if isinstance(value, str):
        return value
    if not isinstance(value, list):
        raise ValueError("A function must return text or a list of input_text/input_image/input_file blocks.")
    blocks: list[dict[str, object]] = []
    for block in cast("list[object]", value):
        if not isinstance(block, dict):
            raise ValueError("Function output blocks must be dicts.")
        fields = cast("dict[str, object]", block)
        allowed = _BLOCK_FIELDS.get(str(fields.get("type")))
        if allowed is None or set(fields) - allowed:
            raise ValueError("Function output blocks must be input_text, input_image or input_file with their fields.")
        if fields["type"] == "input_text" and not isinstance(fields.get("text"), str):
            raise ValueError("An input_text block needs its text.")
        sources = {"input_image": ("image_url", "file_id"), "input_file": ("file_data", "file_id", "file_url")}
        needed = sources.get(cast(str, fields["type"]), ())
        if needed and not any(isinstance(fields.get(key), str) and cast(str, fields[key]).strip() for key in needed):
            raise ValueError(f"An {fields['type']} block needs one of {', '.join(needed)}.")
        blocks.append(deepcopy(fields))
    return cast("ResponseFunctionCallOutputItemListParam", blocks)


@dataclass(frozen=True)
class _Lane:
    """What a run calls, as one lane gives it (the async lane's calls return awaitables)."""

    client: OpenAI | AsyncOpenAI
    send: Callable[[dict[str, Any]], object]  # one Responses request, streamed or not
    browser: Any
    computer: Any
    approve_mcp: Callable[[McpApprovalRequest], object] | None
    computer_policies: Mapping[str, object]  # approve_safety_checks, before_action
    async_lane: bool


def _send(sender: OpenAI, stream: bool, on_event: Callable[[Any], None] | None, request: dict[str, Any]) -> Response:
    if not stream:
        return cast("Response", sender.responses.create(**request))
    with sender.responses.stream(**request) as events:
        for event in events:
            if on_event is not None:
                on_event(event.model_copy(deep=True))  # the observer cannot change what the run sees
        return events.get_final_response()


async def _send_async(
    sender: AsyncOpenAI, stream: bool, on_event: Callable[[Any], Awaitable[None]] | None, request: dict[str, Any]
) -> Response:
    if not stream:
        return cast("Response", await sender.responses.create(**request))
    async with sender.responses.stream(**request) as events:
        async for event in events:
            if on_event is not None:
                await on_event(event.model_copy(deep=True))
        return await events.get_final_response()


class _Run:
    """The state of one run: history, ids seen, calls attempted and completed, the active turn."""

    def __init__(
        self,
        request: dict[str, Any],
        registered: dict[str, _Registered],
        overrides: frozenset[str],
        cancelled: Callable[[], bool] | None,
        on_diagnostic: ToolDiagnosticObserver | None,
        browser_names: frozenset[str],
        has_computer: bool,
    ) -> None:
        self.request = request
        self.browser_names = browser_names
        self.has_computer = has_computer
        self.history = cast("list[object]", request.pop("input"))
        self.registered = registered
        self.overrides = overrides
        self.cancelled = cancelled
        self.on_diagnostic = on_diagnostic
        self.attempted: list[str] = []
        self.completed: list[str] = []
        self.call_ids: set[str] = set()
        self.active_step: int | None = None
        self.supplied: dict[str, FunctionCallOutput] = {}
        self.user_text: list[str] = []

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise _Stop("The tool run was cancelled.")

    def next_request(self, client: OpenAI | AsyncOpenAI, step: int) -> dict[str, Any]:
        request = {**self.request, "input": deepcopy(self.history)}
        if step > 0:
            headers = rotated_idempotency_headers(client, cast("Mapping[str, str] | None", request.get("extra_headers")))
            if headers is not None:
                request["extra_headers"] = headers
        return request

    def examine(self, response: Response, last_step: bool) -> tuple[list[tuple[Any, object]], bool]:
        """Check every output item before anything runs: the tool calls to make (with parsed
        arguments) and whether this reply ends the run."""
        if response.status != "completed":
            raise _Stop(f"The response did not complete (status {response.status!r}).")
        calls: list[tuple[Any, object]] = []
        seen = set(self.call_ids)
        answered = False
        for item in response.output:
            kind = item.type
            if kind in _SERVER_TOOL_ITEMS:
                if kind != "mcp_approval_request":
                    answered = True
                    continue
                request = cast("McpApprovalRequest", item)
                if not request.id or request.id in seen:
                    raise _Stop("An MCP approval request has a missing or repeated id.")
                seen.add(request.id)
                calls.append((request, None))
            elif kind == "message":
                if getattr(item, "status", None) != "completed":
                    raise _Stop("A message of the response did not complete.")
                answered = answered or getattr(item, "phase", None) != "commentary"
            elif kind in ("reasoning", "compaction"):
                continue
            elif kind == "function_call":
                call = cast("ResponseFunctionToolCall", item)
                function = self.registered.get(call.name)
                if function is None and call.name not in self.browser_names:
                    raise _Stop(f"The model called {call.name!r}, which is not a registered function.")
                if getattr(call, "namespace", None) not in (None, call.name):
                    raise _Stop("A function call's namespace does not match its registration.")
                if call.status not in (None, "completed"):
                    raise _Stop("A function call did not complete.")
                if not call.call_id or call.call_id in seen:
                    raise _Stop("A function call has a missing or repeated call_id.")
                seen.add(call.call_id)
                calls.append((call, None if function is None else self.arguments(call, function)))
            elif kind == "computer_call":
                computer_call = cast("ResponseComputerToolCall", item)
                if not self.has_computer:
                    raise _Stop("The model called the computer tool, but no computer toolset is registered.")
                if computer_call.status != "completed":
                    raise _Stop("A computer call did not complete.")
                if not computer_call.call_id or computer_call.call_id in seen:
                    raise _Stop("A computer call has a missing or repeated call_id.")
                seen.add(computer_call.call_id)
                calls.append((computer_call, None))
            else:
                raise _Stop(f"The response contains a {kind!r} item, which this runner cannot handle.")
        if calls and last_step:
            raise _Stop(_STEP_LIMIT)
        if not calls and not answered:
            raise _Stop("The response has neither a completed message nor a tool call.")
        return calls, not calls

    def arguments(self, call: ResponseFunctionToolCall, function: _Registered) -> object:
        started = monotonic()
        try:
            model = function._arguments_model  # pyright: ignore[reportPrivateUsage]
            return _json_object(call.arguments) if model is None else model.model_validate_json(call.arguments)
        except Exception:
            emit_tool_diagnostic(
                self.on_diagnostic, "responses", "arguments", "invalid_input", started,
                call_id=call.call_id, member=call.name,
            )
            raise

    def turn(self, response: Response, step: int, final: bool, calls: list[tuple[Any, object]]) -> ResponsesRunnerTurn:
        self.active_step = step
        self.supplied = {}
        overridable = frozenset(
            call.call_id for call, _ in calls if call.type == "function_call" and call.name in self.overrides
        )

        def supply(outputs: list[FunctionCallOutput]) -> None:
            self.supply(step, overridable, outputs)

        def append(text: str) -> None:
            if self.active_step != step or final or not isinstance(cast(object, text), str) or not text.strip():
                raise ValueError("Only the current, non-final turn takes user text, and it must not be blank.")
            self.user_text.append(text)

        return ResponsesRunnerTurn(
            response=response,
            step=step,
            final=final,
            tools_executed=False,
            attempted_call_ids=tuple(self.attempted),
            completed_call_ids=tuple(self.completed),
            _supply=supply,
            _append=append,
        )

    def supply(self, step: int, overridable: frozenset[str], outputs: list[FunctionCallOutput]) -> None:
        if self.active_step != step:
            raise ValueError("This turn is no longer current; it cannot take outputs.")
        if not isinstance(cast(object, outputs), list):
            raise ValueError("supply_outputs() takes a list of function_call_output dicts.")
        chosen: dict[str, FunctionCallOutput] = {}
        for output in cast("list[object]", outputs):
            if not isinstance(output, dict) or set(cast("dict[str, object]", output)) != {"type", "call_id", "output"}:
                raise ValueError("Each supplied output is {'type': 'function_call_output', 'call_id', 'output'}.")
            fields = cast("dict[str, object]", output)
            call_id = fields["call_id"]
            if fields["type"] != "function_call_output" or not isinstance(call_id, str):
                raise ValueError("Each supplied output is {'type': 'function_call_output', 'call_id', 'output'}.")
            if call_id not in overridable or call_id in chosen:
                raise ValueError(
                    f"Call {call_id!r} is not a call of this turn to a function registered with "
                    "allow_output_override=True, or it was supplied twice."
                )
            chosen[call_id] = {"type": "function_call_output", "call_id": call_id, "output": _function_result(fields["output"])}
        self.supplied = chosen

    def record(self, response: Response, outputs: list[ToolOutput]) -> None:
        """Append this reply and its outputs (and any user text) to the history."""
        self.history.extend(_wire_item(item) for item in response.output)
        self.history.extend(outputs)
        self.history.extend({"role": "user", "content": text} for text in self.user_text)
        self.user_text = []


def _engine(run: _Run, lane: _Lane, *, max_steps: int) -> Engine[ResponsesRunnerTurn]:
    """A whole run, for both lanes: request, check, show the turn, run the tools, repeat."""
    try:
        for step in range(max_steps):
            run.check()
            started = monotonic()
            try:
                response = cast("Response", (yield Call(lane.send, (run.next_request(lane.client, step),))))
            except (Exception, asyncio.CancelledError) as exc:
                reason = "cancelled" if isinstance(exc, asyncio.CancelledError) else "api_failed"
                emit_tool_diagnostic(run.on_diagnostic, "responses", "request", reason, started)
                raise
            emit_tool_diagnostic(run.on_diagnostic, "responses", "request", "completed", started, usage=response.usage)
            run.check()
            calls, final = run.examine(response, last_step=step == max_steps - 1)
            try:
                yield Pause(run.turn(response, step + 1, final, calls))
            finally:
                run.active_step = None
            if final:
                return
            outputs: list[ToolOutput] = []
            for call, arguments in calls:
                run.check()
                if call.type == "mcp_approval_request":
                    outputs.append((yield from _approval(run, call, lane.approve_mcp)))
                    continue
                run.call_ids.add(call.call_id)
                run.attempted.append(call.call_id)
                observers = {"cancelled": run.cancelled, "on_diagnostic": run.on_diagnostic}
                if call.type == "computer_call":
                    performed = yield Call(lane.computer.execute, (call,), {**lane.computer_policies, **observers})
                    outputs.append(cast("ComputerCallOutput", performed))
                elif call.name in run.browser_names:
                    outputs.append(cast("FunctionCallOutput", (yield Call(lane.browser.execute, (call,), observers))))
                else:
                    supplied = run.supplied.get(call.call_id)
                    outputs.append(supplied or (yield from _function_output(run, call, arguments, lane.async_lane)))
                run.completed.append(call.call_id)
            run.record(response, outputs)
        raise _Stop(_STEP_LIMIT)
    except _Stop as stop:
        if str(stop) == _STEP_LIMIT:
            emit_tool_diagnostic(run.on_diagnostic, "responses", "run", "step_limit", monotonic())
        raise ToolRunnerError(str(stop), run.attempted, run.completed) from None
    except asyncio.CancelledError:
        raise ToolRunnerCancelledError(run.attempted, run.completed) from None
    except Exception:
        raise ToolRunnerError(_STOPPED, run.attempted, run.completed) from None


def _approval(
    run: _Run, request: McpApprovalRequest, approve_mcp: Callable[[McpApprovalRequest], object] | None
) -> Generator[Call, object, McpApprovalResponse]:
    if approve_mcp is None:
        raise _Stop("The model asked for an MCP approval; pass approve_mcp= to decide it.")
    run.call_ids.add(request.id)
    run.attempted.append(request.id)
    started = monotonic()
    approved = yield Call(approve_mcp, (deepcopy(request),))
    if type(approved) is not bool:
        raise _Stop("approve_mcp must return True or False.")
    emit_tool_diagnostic(
        run.on_diagnostic, "responses", "approval", "completed" if approved else "refused", started,
        call_id=request.id, member=request.name,
    )
    run.completed.append(request.id)
    return {"type": "mcp_approval_response", "approval_request_id": request.id, "approve": approved}


def _function_output(
    run: _Run, call: ResponseFunctionToolCall, arguments: object, async_lane: bool
) -> Generator[Call, object, FunctionCallOutput]:
    function = run.registered[call.name]
    started = monotonic()
    try:
        result = yield Call(invoke, (function.execute, arguments), {"cancelled": run.cancelled})
        if not async_lane and inspect.isawaitable(result):
            if inspect.iscoroutine(result):
                result.close()
            raise _Stop("A function returned an awaitable; use AsyncRegisteredFunction with AsyncResponsesToolRunner.")
    except (Exception, asyncio.CancelledError):
        emit_tool_diagnostic(
            run.on_diagnostic, "responses", "action", "driver_failed", started, call_id=call.call_id, member=call.name
        )
        raise
    emit_tool_diagnostic(
        run.on_diagnostic, "responses", "action", "completed", started, call_id=call.call_id, member=call.name
    )
    checked_at = monotonic()
    try:
        output = _function_result(result)
    except ValueError:
        emit_tool_diagnostic(
            run.on_diagnostic, "responses", "output", "invalid_output", checked_at,
            call_id=call.call_id, member=call.name,
        )
        raise
    return {"type": "function_call_output", "call_id": call.call_id, "output": output}


class _RunnerBase:
    """Registration and the checks both lanes make before a run."""

    def __init__(
        self,
        functions: list[RegisteredFunction] | list[AsyncRegisteredFunction] | None,
        browser: object | None,
        computer: object | None,
        early_execution: EarlyExecution | None,
        async_lane: bool,
    ) -> None:
        self._browser: Any = _toolset(browser, "browser", async_lane)
        self._computer: Any = _toolset(computer, "computer", async_lane)
        self._functions = _registered_tools(list(functions or []))
        browser_tools = cast("list[Mapping[str, object]]", self._browser.tools if self._browser is not None else [])
        self._browser_names = frozenset(cast(str, tool["name"]) for tool in browser_tools)
        if self._browser_names & set(self._functions):
            raise ValueError("A registered function cannot take the name of a browser tool.")
        self._local_tools = [*browser_tools, *(cast("Mapping[str, object]", f.tool) for f in self._functions.values())]
        if self._computer is not None:
            self._local_tools.append({"type": "computer"})
        _checked_early_execution(early_execution, frozenset(self._functions), self._computer is not None)
        self._overrides = frozenset(name for name, f in self._functions.items() if f.allow_output_override)
        self._lifecycle = ToolLifecycle("Responses runner")

    def close(self) -> CloseStatus:
        """Refuse new runs; "draining" while a run is still going."""
        return self._lifecycle.close()

    def _start(
        self,
        params: ResponseCreateParamsNonStreaming,
        *,
        max_steps: int | None,
        stream: bool,
        eager: bool,
        max_concurrent_calls: int,
        cancelled: Callable[[], bool] | None,
        ledger: object,
        context_budget: object,
        on_diagnostic: ToolDiagnosticObserver | None,
    ) -> tuple[_Run, int]:
        _unsupported(ledger=ledger, context_budget=context_budget)
        if max_steps is None:
            max_steps = 20
        if type(max_steps) is not int or max_steps < 1:
            raise ValueError("max_steps must be a positive integer.")
        if type(max_concurrent_calls) is not int or max_concurrent_calls < 1:
            raise ValueError("max_concurrent_calls must be a positive integer.")
        if eager and not stream:
            raise ValueError("eager=True needs stream=True.")
        request = _base_request(params, self._local_tools, self._computer is not None)
        run = _Run(
            request, self._functions, self._overrides, cancelled, on_diagnostic,
            self._browser_names, self._computer is not None,
        )
        return run, max_steps


def _client_for(client: OpenAI | AsyncOpenAI, request: Mapping[str, object]) -> Any:
    # An MCP server's side effects must not be repeated by an automatic retry of the request.
    tools = cast("list[Mapping[str, object]]", request.get("tools") or [])
    return client.with_options(max_retries=0) if any(tool.get("type") == "mcp" for tool in tools) else client


class ResponsesToolRunner(_RunnerBase):
    """Runs registered functions for the model until it answers (see the module's documentation)."""

    def __init__(
        self,
        *,
        browser: BrowserToolset | None = None,
        computer: ComputerToolset | None = None,
        functions: list[RegisteredFunction] | None = None,
        early_execution: EarlyExecution | None = None,
    ) -> None:
        super().__init__(functions, browser, computer, early_execution, async_lane=False)
        self.browser = browser
        self.computer = computer

    def run(
        self,
        client: OpenAI,
        params: ResponseCreateParamsNonStreaming,
        *,
        max_steps: int | None = None,
        stream: bool = False,
        eager: bool = False,
        max_concurrent_calls: int = 2,
        on_event: Callable[[ResponseStreamEvent[None]], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        approve_safety_checks: Callable[[ResponseComputerToolCall], bool] | None = None,
        before_action: Callable[[ComputerActionInput], bool] | None = None,
        ledger: ResponsesToolLedger | None = None,
        context_budget: ContextBudget | None = None,
        on_diagnostic: ToolDiagnosticObserver | None = None,
        approve_mcp: Callable[[McpApprovalRequest], bool] | None = None,
        before_early_call: Callable[
            [ResponseFunctionToolCall | ResponseComputerToolCall], Literal["execute", "defer"]
        ]
        | None = None,
    ) -> Response:
        """Run to the end and return the final response."""
        turns = self.iterate(
            client, params, max_steps=max_steps, stream=stream, eager=eager,
            max_concurrent_calls=max_concurrent_calls, on_event=on_event, cancelled=cancelled,
            approve_safety_checks=approve_safety_checks, before_action=before_action, ledger=ledger,
            context_budget=context_budget, on_diagnostic=on_diagnostic, approve_mcp=approve_mcp,
            before_early_call=before_early_call,
        )
        try:
            for turn in turns:
                if turn.final:
                    return turn.response
        finally:
            turns.close()
        raise AssertionError("a run ends with a final turn or an error")

    def iterate(
        self,
        client: OpenAI,
        params: ResponseCreateParamsNonStreaming,
        *,
        max_steps: int | None = None,
        stream: bool = False,
        eager: bool = False,
        max_concurrent_calls: int = 2,
        on_event: Callable[[ResponseStreamEvent[None]], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        approve_safety_checks: Callable[[ResponseComputerToolCall], bool] | None = None,
        before_action: Callable[[ComputerActionInput], bool] | None = None,
        ledger: ResponsesToolLedger | None = None,
        context_budget: ContextBudget | None = None,
        on_diagnostic: ToolDiagnosticObserver | None = None,
        approve_mcp: Callable[[McpApprovalRequest], bool] | None = None,
        before_early_call: Callable[
            [ResponseFunctionToolCall | ResponseComputerToolCall], Literal["execute", "defer"]
        ]
        | None = None,
    ) -> Generator[ResponsesRunnerTurn, None, None]:
        """Yield each reply as a turn before its tools run; advancing runs them."""
        self._lifecycle.enter()
        try:
            run, steps = self._start(
                params, max_steps=max_steps, stream=stream, eager=eager, max_concurrent_calls=max_concurrent_calls,
                cancelled=cancelled, ledger=ledger, context_budget=context_budget, on_diagnostic=on_diagnostic,
            )
            lane = _Lane(
                client, partial(_send, _client_for(client, run.request), stream, on_event), self._browser,
                self._computer, approve_mcp, {"approve_safety_checks": approve_safety_checks, "before_action": before_action},
                async_lane=False,
            )
            yield from drive(_engine(run, lane, max_steps=steps))
        finally:
            self._lifecycle.exit()


class AsyncResponsesToolRunner(_RunnerBase):
    """`ResponsesToolRunner` for `AsyncOpenAI`: functions, callbacks and approvals are awaited."""

    def __init__(
        self,
        *,
        browser: AsyncBrowserToolset | None = None,
        computer: AsyncComputerToolset | None = None,
        functions: list[AsyncRegisteredFunction] | None = None,
        early_execution: EarlyExecution | None = None,
    ) -> None:
        super().__init__(functions, browser, computer, early_execution, async_lane=True)
        self.browser = browser
        self.computer = computer

    async def run(
        self,
        client: AsyncOpenAI,
        params: ResponseCreateParamsNonStreaming,
        *,
        max_steps: int | None = None,
        stream: bool = False,
        eager: bool = False,
        max_concurrent_calls: int = 2,
        on_event: Callable[[ResponseStreamEvent[None]], Awaitable[None]] | None = None,
        cancelled: Callable[[], bool] | None = None,
        approve_safety_checks: Callable[[ResponseComputerToolCall], Awaitable[bool]] | None = None,
        before_action: Callable[[ComputerActionInput], Awaitable[bool]] | None = None,
        ledger: AsyncResponsesToolLedger | None = None,
        context_budget: AsyncContextBudget | None = None,
        on_diagnostic: ToolDiagnosticObserver | None = None,
        approve_mcp: Callable[[McpApprovalRequest], Awaitable[bool]] | None = None,
        before_early_call: Callable[
            [ResponseFunctionToolCall | ResponseComputerToolCall], Awaitable[Literal["execute", "defer"]]
        ]
        | None = None,
    ) -> Response:
        """Run to the end and return the final response."""
        turns = self.iterate(
            client, params, max_steps=max_steps, stream=stream, eager=eager,
            max_concurrent_calls=max_concurrent_calls, on_event=on_event, cancelled=cancelled,
            approve_safety_checks=approve_safety_checks, before_action=before_action, ledger=ledger,
            context_budget=context_budget, on_diagnostic=on_diagnostic, approve_mcp=approve_mcp,
            before_early_call=before_early_call,
        )
        try:
            async for turn in turns:
                if turn.final:
                    return turn.response
        finally:
            await turns.aclose()
        raise AssertionError("a run ends with a final turn or an error")

    async def iterate(
        self,
        client: AsyncOpenAI,
        params: ResponseCreateParamsNonStreaming,
        *,
        max_steps: int | None = None,
        stream: bool = False,
        eager: bool = False,
        max_concurrent_calls: int = 2,
        on_event: Callable[[ResponseStreamEvent[None]], Awaitable[None]] | None = None,
        cancelled: Callable[[], bool] | None = None,
        approve_safety_checks: Callable[[ResponseComputerToolCall], Awaitable[bool]] | None = None,
        before_action: Callable[[ComputerActionInput], Awaitable[bool]] | None = None,
        ledger: AsyncResponsesToolLedger | None = None,
        context_budget: AsyncContextBudget | None = None,
        on_diagnostic: ToolDiagnosticObserver | None = None,
        approve_mcp: Callable[[McpApprovalRequest], Awaitable[bool]] | None = None,
        before_early_call: Callable[
            [ResponseFunctionToolCall | ResponseComputerToolCall], Awaitable[Literal["execute", "defer"]]
        ]
        | None = None,
    ) -> AsyncGenerator[ResponsesRunnerTurn, None]:
        """Yield each reply as a turn before its tools run; advancing runs them."""
        self._lifecycle.enter()
        try:
            run, steps = self._start(
                params, max_steps=max_steps, stream=stream, eager=eager, max_concurrent_calls=max_concurrent_calls,
                cancelled=cancelled, ledger=ledger, context_budget=context_budget, on_diagnostic=on_diagnostic,
            )
            lane = _Lane(
                client, partial(_send_async, _client_for(client, run.request), stream, on_event), self._browser,
                self._computer, approve_mcp, {"approve_safety_checks": approve_safety_checks, "before_action": before_action},
                async_lane=True,
            )
            turns = drive_async(_engine(run, lane, max_steps=steps))
            try:
                async for turn in turns:
                    yield turn
            finally:
                await turns.aclose()
        finally:
            self._lifecycle.exit()
