"""The computer-use loop's decisions, written once for `ComputerToolset` and `AsyncComputerToolset`.

`run_plan` and `execute_plan` are generators (see `_toolset_support`): they decide, the public
classes only make the calls. The loop is stateless on the server side: every request carries the
whole history (the caller's input, each response's output items, the screenshots sent back), so it
works with `store=False` and zero data retention, and refuses `previous_response_id`/`conversation`.

Order of one computer call, each step before the next and nothing done after a refusal:
validate every call of the response -> safety checks approved (exactly `True`) -> for each
action: cancellation probe, `before_action` (exactly `True`), the driver method -> the implicit
final screenshot (also offered to `before_action`) -> a `computer_call_output` item.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from time import monotonic
from typing import TYPE_CHECKING, Any, cast

from typing_extensions import TypeAlias

from ..types.responses import computer_action as modern
from ..types.responses import response_computer_tool_call as legacy
from ..types.responses.response_computer_tool_call import ResponseComputerToolCall
from ._tool_lifecycle import invoke, rotated_idempotency_headers
from ._toolset_support import Call, Plan, unawaited
from .tool_diagnostics import ToolDiagnosticObserver, emit_tool_diagnostic

if TYPE_CHECKING:
    from .._client import AsyncOpenAI, OpenAI
    from ..types.responses.response import Response
    from ..types.responses.response_input_item_param import ComputerCallOutput

__all__ = ["ComputerUseError", "DRIVER_MEMBERS", "execute_plan", "prepare_request", "run_plan"]

ComputerActionInput: TypeAlias = "legacy.Action | modern.ComputerAction"
Approval: TypeAlias = Callable[..., object]

DRIVER_MEMBERS = ("click", "double_click", "drag", "keypress", "move", "scroll", "type", "wait", "screenshot")

# fields of the request the loop decides; the caller's `extra_body` may not replace them
_OWNED_FIELDS = ("stream", "background", "conversation", "previous_response_id", "tools", "input", "include", "tool_choice")
_REQUEST_OPTIONS = ("extra_headers", "extra_query", "extra_body", "timeout")
_COMPUTER_TOOLS = frozenset({"computer", "computer_use_preview"})
_ENCRYPTED_REASONING = "reasoning.encrypted_content"
# output items that are history, not work for the loop
_REPLAYED_SIBLINGS = frozenset({"message", "reasoning", "compaction"})
# attribution the API adds to output items and does not take back as input
_OUTPUT_ONLY_FIELDS = ("created_by",)

_BUTTONS = frozenset({"left", "right", "wheel", "back", "forward"})
_INTEGER_FIELDS: dict[str, tuple[str, ...]] = {
    "click": ("x", "y"),
    "double_click": ("x", "y"),
    "move": ("x", "y"),
    "scroll": ("x", "y", "scroll_x", "scroll_y"),
}
_ACTION_TYPES = frozenset({*DRIVER_MEMBERS})


class ComputerUseError(RuntimeError):
    """A computer run stopped before completion; `response` is the last response, when there is one."""

    def __init__(self, message: str, response: Response | None = None) -> None:
        super().__init__(message)
        self.response = response


# --- the request ------------------------------------------------------------------------------


class PreparedRequest:
    """The first request's body, the caller's request options, and the history the loop extends."""

    def __init__(self, body: dict[str, object], options: dict[str, object], history: list[object]) -> None:
        self.body = body
        self.options = options
        self.history = history
        self.first_choice = body.pop("tool_choice", None)
        self.has_choice = self.first_choice is not None

    def continuation_choice(self) -> object:
        """After the first turn a forced computer choice becomes `auto`, so the model can finish."""
        choice = self.first_choice
        if isinstance(choice, Mapping) and cast("Mapping[str, object]", choice).get("type") == "allowed_tools":
            return {**copy.deepcopy(dict(cast("Mapping[str, object]", choice))), "mode": "auto"}
        return "auto"

    def request(self, step: int, client: OpenAI | AsyncOpenAI) -> dict[str, object]:
        body = copy.deepcopy(self.body)
        body["input"] = copy.deepcopy(self.history)
        if self.has_choice:
            body["tool_choice"] = copy.deepcopy(self.first_choice) if step == 1 else self.continuation_choice()
        options = dict(self.options)
        if step > 1:
            # a pinned Idempotency-Key would make the server replay the first answer: fresh key per step
            extra = cast("Mapping[str, str] | None", options.get("extra_headers"))
            headers = rotated_idempotency_headers(client, extra)
            if headers is not None:
                options["extra_headers"] = headers
        return {**body, **options}


def prepare_request(params: object, max_steps: object) -> PreparedRequest:
    """Check the caller's parameters (`ValueError`/`TypeError` before any request) and own a copy."""
    if not isinstance(max_steps, int) or isinstance(max_steps, bool) or max_steps < 1:
        raise ValueError("max_steps must be a positive integer")
    if not isinstance(params, Mapping):
        raise TypeError("params must be a mapping of responses.create arguments")
    given = copy.deepcopy(dict(cast("Mapping[str, object]", params)))
    if given.get("stream") or given.get("background"):
        raise ValueError("ComputerToolset requires non-streaming, foreground responses")
    if given.get("conversation") is not None or given.get("previous_response_id") is not None:
        raise ValueError("Pass complete input history; conversation and previous_response_id are not supported")
    extra_body = given.get("extra_body")
    if extra_body is not None:
        if not isinstance(extra_body, Mapping):
            raise TypeError("extra_body must be a mapping")
        if any(name in cast("Mapping[str, object]", extra_body) for name in _OWNED_FIELDS):
            raise ValueError("ComputerToolset extra_body cannot override runner-owned fields")
    tools = given.get("tools", [{"type": "computer"}])
    if not _single_computer_tool(tools):
        raise ValueError("ComputerToolset requires exactly one computer tool")
    options = {name: given.pop(name) for name in _REQUEST_OPTIONS if name in given}
    history = _initial_history(given.pop("input", []))
    include: object = given.get("include") or []
    if isinstance(include, (str, bytes)) or not isinstance(include, Iterable):
        raise TypeError("include must be a list of strings")
    includes = list(cast("Iterable[object]", include))
    if _ENCRYPTED_REASONING not in includes:
        includes.append(_ENCRYPTED_REASONING)  # reasoning must survive the stateless replay
    body: dict[str, object] = {**given, "stream": False, "include": includes, "tools": tools}
    return PreparedRequest(body, options, history)


def _single_computer_tool(tools: object) -> bool:
    if not isinstance(tools, (list, tuple)):
        return False
    items = list(cast("Iterable[object]", tools))
    if len(items) != 1:
        return False
    tool = items[0]
    return isinstance(tool, Mapping) and cast("Mapping[str, object]", tool).get("type") in _COMPUTER_TOOLS


def _initial_history(value: object) -> list[object]:
    if isinstance(value, str):
        return [{"role": "user", "content": value}]
    if value is None or isinstance(value, (bytes, Mapping)) or not isinstance(value, Iterable):
        raise TypeError("input must be a string or a list of input items")
    return [_plain(item) for item in cast("Iterable[object]", value)]


def _plain(value: object) -> object:
    """A JSON-ready copy: models as the API names their fields (unset fields left out)."""
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict(mode="json", warnings=False)
    return copy.deepcopy(value)


def _replayed(item: object) -> object:
    data = _plain(item)
    if isinstance(data, dict):
        fields = cast("dict[str, object]", data)
        for name in _OUTPUT_ONLY_FIELDS:
            fields.pop(name, None)
        return fields
    return data


# --- reading a response -----------------------------------------------------------------------


def pending_calls(response: Response, known_call_ids: set[str]) -> list[dict[str, object]]:
    """The computer calls to execute, all validated before any effect; [] when the run is done."""
    if getattr(response, "status", None) != "completed":
        raise ComputerUseError("Response did not complete", response)
    calls: list[dict[str, object]] = []
    final = False
    seen = set(known_call_ids)
    for item in list(getattr(response, "output", None) or []):
        kind = getattr(item, "type", None)
        if kind == "computer_call":
            data = _plain(item)
            problem = call_problem(data)
            if problem is not None:
                raise ComputerUseError(problem, response)
            call_id = cast("str", cast("dict[str, object]", data)["call_id"])
            if call_id and call_id in seen:
                raise ComputerUseError("Response has a duplicate computer call identity", response)
            seen.add(call_id)
            calls.append(cast("dict[str, object]", data))
        elif kind == "message":
            final = final or getattr(item, "phase", None) != "commentary"
        elif kind not in _REPLAYED_SIBLINGS:
            raise ComputerUseError("Response requires a tool this helper does not handle", response)
    if not calls and not final:
        raise ComputerUseError("Response has no final message or computer call", response)
    return calls


def call_problem(data: object) -> str | None:
    """Why a computer call (as plain data) cannot be executed, or None."""
    if not isinstance(data, dict) or cast("dict[str, object]", data).get("type") != "computer_call":
        return "Invalid computer call"
    call = cast("dict[str, object]", data)
    if not isinstance(call.get("id", ""), str):
        return "Computer call needs a string id"
    if not isinstance(call.get("call_id"), str):
        return "Computer call needs a string call_id"
    if call.get("status") != "completed":
        return "Computer call did not complete"
    checks = call.get("pending_safety_checks")
    if not isinstance(checks, list) or not all(_valid_check(check) for check in cast("list[object]", checks)):
        return "Invalid computer call: malformed pending_safety_checks"
    has_action, has_actions = call.get("action") is not None, call.get("actions") is not None
    if has_action == has_actions:
        return "Computer call requires exactly one of action or actions"
    actions = [call["action"]] if has_action else call["actions"]
    if not isinstance(actions, list):
        return "Invalid computer call: actions must be a list"
    if not actions:
        return "Computer call has no actions"
    for action in cast("list[object]", actions):
        problem = action_problem(action)
        if problem is not None:
            return f"Invalid computer action: {problem}"
    return None


def _valid_check(check: object) -> bool:
    if not isinstance(check, dict):
        return False
    fields = cast("dict[str, object]", check)
    return isinstance(fields.get("id"), str) and all(
        fields.get(name) is None or isinstance(fields.get(name), str) for name in ("code", "message")
    )


def _is_integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _string_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in cast("list[object]", value))


def action_problem(action: object) -> str | None:
    """Why one action (plain data) is not something a driver can be asked to do, or None."""
    if not isinstance(action, dict):
        return "an action must be an object"
    fields = cast("dict[str, object]", action)
    kind = fields.get("type")
    if not isinstance(kind, str) or kind not in _ACTION_TYPES:
        return f"unknown action type {kind!r}"
    for name in _INTEGER_FIELDS.get(kind, ()):
        if not _is_integer(fields.get(name)):
            return f"{kind}.{name} must be an integer"
    if kind == "click" and fields.get("button") not in _BUTTONS:
        return f"click.button must be one of {sorted(_BUTTONS)}"
    if kind == "keypress" and not (_string_list(fields.get("keys")) and fields.get("keys")):
        return "keypress.keys must be a non-empty list of strings"
    if kind != "keypress" and fields.get("keys") is not None and not _string_list(fields.get("keys")):
        return f"{kind}.keys must be a list of strings"
    if kind == "type" and not isinstance(fields.get("text"), str):
        return "type.text must be a string"
    if kind == "drag":
        path = fields.get("path")
        if not isinstance(path, list) or not path:
            return "drag.path must be a non-empty list of points"
        for point in cast("list[object]", path):
            if not (
                isinstance(point, dict)
                and _is_integer(cast("dict[str, object]", point).get("x"))
                and _is_integer(cast("dict[str, object]", point).get("y"))
            ):
                return "drag.path points need integer x and y"
    return None


def _action_model(action: dict[str, object], legacy_shape: bool) -> ComputerActionInput:
    """A fresh model of a validated action (each consumer gets its own, so none can edit another's)."""
    family: Any = legacy if legacy_shape else modern
    names = {
        "click": ("ActionClick", "Click"),
        "double_click": ("ActionDoubleClick", "DoubleClick"),
        "drag": ("ActionDrag", "Drag"),
        "keypress": ("ActionKeypress", "Keypress"),
        "move": ("ActionMove", "Move"),
        "screenshot": ("ActionScreenshot", "Screenshot"),
        "scroll": ("ActionScroll", "Scroll"),
        "type": ("ActionType", "Type"),
        "wait": ("ActionWait", "Wait"),
    }[cast(str, action["type"])]
    model = getattr(family, names[0] if legacy_shape else names[1])
    return cast(ComputerActionInput, model.model_validate(copy.deepcopy(action)))


def _screenshot_output(value: object) -> dict[str, object]:
    if isinstance(value, Mapping):
        shot = cast("Mapping[str, object]", value)
        sources = {name: shot[name] for name in ("image_url", "file_id") if isinstance(shot.get(name), str) and shot[name]}
        if shot.get("type") == "computer_screenshot" and sources:
            return {"type": "computer_screenshot", **sources}
    raise ComputerUseError("Driver must return a computer_screenshot with image_url or file_id")


# --- the plans --------------------------------------------------------------------------------


class Policies:
    """The caller's callbacks for one run or execution."""

    def __init__(
        self,
        approve_safety_checks: Approval | None,
        before_action: Approval | None,
        cancelled: Callable[[], bool] | None,
        on_diagnostic: ToolDiagnosticObserver | None,
    ) -> None:
        self.approve_safety_checks = approve_safety_checks
        self.before_action = before_action
        self.cancelled = cancelled
        self.on_diagnostic = on_diagnostic

    def is_cancelled(self) -> bool:
        return self.cancelled is not None and self.cancelled() is True

    def ask(self, callback: Approval, subject: object) -> Call:
        # a callback declaring a `cancelled` parameter gets the probe, to stop a long confirmation
        return Call(invoke, (callback, subject), {"cancelled": self.cancelled})


def execute_plan(
    members: Mapping[str, Callable[..., object]],
    call: object,
    policies: Policies,
    response: Response | None = None,
) -> Plan[ComputerCallOutput]:
    """Carry out one computer call and build its `computer_call_output` item."""
    data = _plain(call)
    problem = call_problem(data)
    if problem is not None:
        raise ComputerUseError(problem, response)
    fields = cast("dict[str, object]", data)
    call_id = cast(str, fields["call_id"])
    legacy_shape = fields.get("action") is not None
    actions = cast("list[dict[str, object]]", [fields["action"]] if legacy_shape else fields["actions"])
    checks = cast("list[dict[str, object]]", fields["pending_safety_checks"])
    say = policies.on_diagnostic

    def stop_if_cancelled(stage: Any, member: str | None, started: float) -> None:
        if policies.is_cancelled():
            emit_tool_diagnostic(say, "computer", stage, "cancelled", started, call_id=call_id, member=member)
            raise ComputerUseError("Computer run was cancelled", response)

    def approval(callback: Approval, subject: object, member: str | None, refusal: str) -> Plan[None]:
        started = monotonic()
        try:
            verdict = yield policies.ask(callback, subject)
        except Exception:
            emit_tool_diagnostic(say, "computer", "approval", "policy_failed", started, call_id=call_id, member=member)
            raise
        if unawaited(verdict):  # an async approval given to a sync toolset is not a yes
            verdict = None
        if verdict is not True:
            emit_tool_diagnostic(say, "computer", "approval", "refused", started, call_id=call_id, member=member)
            raise ComputerUseError(refusal, response)
        stop_if_cancelled("approval", member, started)
        emit_tool_diagnostic(say, "computer", "approval", "completed", started, call_id=call_id, member=member)

    def perform(member: str, args: tuple[object, ...]) -> Plan[object]:
        started = monotonic()
        try:
            result = yield Call(members[member], args)
        except BaseException:
            emit_tool_diagnostic(say, "computer", "action", "driver_failed", started, call_id=call_id, member=member)
            raise
        if unawaited(result):
            emit_tool_diagnostic(say, "computer", "action", "driver_failed", started, call_id=call_id, member=member)
            raise ComputerUseError("Synchronous computer driver returned an awaitable; use AsyncComputerToolset.", response)
        emit_tool_diagnostic(say, "computer", "action", "completed", started, call_id=call_id, member=member)
        return result

    if checks:
        refusal = "Computer safety checks require explicit approval"
        if policies.approve_safety_checks is None:
            emit_tool_diagnostic(say, "computer", "approval", "refused", monotonic(), call_id=call_id)
            raise ComputerUseError(refusal, response)
        subject = ResponseComputerToolCall.model_validate(copy.deepcopy(fields))
        yield from approval(policies.approve_safety_checks, subject, None, refusal)

    # screenshot actions are served by the one capture that ends every call
    for action in [action for action in actions if action["type"] != "screenshot"]:
        member = cast(str, action["type"])
        stop_if_cancelled("action", member, monotonic())
        if policies.before_action is not None:
            subject = _action_model(action, legacy_shape)
            yield from approval(policies.before_action, subject, member, "Computer action was not approved")
        yield from perform(member, (_action_model(action, legacy_shape),))

    stop_if_cancelled("action", "screenshot", monotonic())
    if policies.before_action is not None:
        subject = _action_model({"type": "screenshot"}, legacy_shape)
        yield from approval(policies.before_action, subject, "screenshot", "Computer action was not approved")
    shot = _screenshot_output((yield from perform("screenshot", ())))
    output = {
        "type": "computer_call_output",
        "call_id": call_id,
        "output": shot,
        "acknowledged_safety_checks": copy.deepcopy(checks),
    }
    return cast("ComputerCallOutput", output)


def run_plan(
    members: Mapping[str, Callable[..., object]],
    client: OpenAI | AsyncOpenAI,
    request: PreparedRequest,
    max_steps: int,
    policies: Policies,
) -> Plan[Response]:
    """Ask the model, execute its computer calls, send the screenshots back, until a final message."""
    response: Response | None = None
    known_call_ids = {
        cast(str, item["call_id"])
        for item in request.history
        if isinstance(item, dict) and cast("dict[str, object]", item).get("type") == "computer_call"
        and isinstance(cast("dict[str, object]", item).get("call_id"), str)
    }
    for step in range(1, max_steps + 1):
        if policies.is_cancelled():
            raise ComputerUseError("Computer run was cancelled", response)
        response = cast("Response", (yield Call(client.responses.create, (), request.request(step, client))))
        if policies.is_cancelled():
            raise ComputerUseError("Computer run was cancelled", response)
        calls = pending_calls(response, known_call_ids)
        if not calls:
            return response
        if step == max_steps:
            raise ComputerUseError("Computer run reached max_steps before completion", response)
        outputs: list[object] = []
        for call in calls:
            outputs.append((yield from execute_plan(members, call, policies, response)))
            known_call_ids.add(cast(str, call["call_id"]))
        request.history.extend(_replayed(item) for item in response.output)
        request.history.extend(outputs)
    raise AssertionError("unreachable: the last step returns or raises")
