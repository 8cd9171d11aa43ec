"""The computer-use toolsets (sync and async) against a scripted Responses endpoint.

Each test runs both toolsets over the same real client stack; the "server" is an httpx2 mock
transport that answers scripted Responses bodies in order and records what the loop sent.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any, cast

import httpx2
import pytest

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.lib.computer import (
    AsyncComputerToolset,
    ComputerActionInput,
    ComputerToolset,
    ComputerUseError,
    Screenshot,
)
from pyopenai.types.responses import ResponseComputerToolCall

SHOT: Screenshot = {"type": "computer_screenshot", "image_url": "data:image/png;base64,c2hvdA=="}
CHECK = {"id": "sc_1", "code": "malicious_instructions", "message": "Check the page"}
MODES = pytest.mark.parametrize("mode", ["sync", "async"])


def computer_call(call_id: str = "call_1", **changes: Any) -> dict[str, Any]:
    return {
        "type": "computer_call",
        "id": f"cu_{call_id}",
        "call_id": call_id,
        "status": "completed",
        "pending_safety_checks": [],
        "actions": [{"type": "click", "button": "left", "x": 10, "y": 20}, {"type": "type", "text": "hello"}],
        **changes,
    }


def response(*output: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {
        "id": "resp_1",
        "object": "response",
        "created_at": 1,
        "status": "completed",
        "model": "computer-model",
        "output": list(output),
        **changes,
    }


def final(text: str = "All done") -> dict[str, Any]:
    message = {
        "type": "message",
        "id": "msg_1",
        "role": "assistant",
        "status": "completed",
        "content": [{"type": "output_text", "text": text, "annotations": []}],
    }
    return response(message)


class Driver:
    """Records what it was asked to do; `fail_on` names a member that raises."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.done: list[str] = []
        self.received: list[ComputerActionInput] = []
        self.fail_on = fail_on

    def _act(self, action: ComputerActionInput) -> None:
        self.done.append(action.type)
        self.received.append(action)
        if action.type == self.fail_on:
            raise OSError(f"the {action.type} failed on screen")

    click = double_click = drag = keypress = move = scroll = type = wait = _act

    def screenshot(self) -> Screenshot:
        self.done.append("screenshot")
        return dict(SHOT)  # type: ignore[return-value]


class AsyncDriver:
    def __init__(self, inner: Driver) -> None:
        self.inner = inner

    async def _act(self, action: ComputerActionInput) -> None:
        self.inner._act(action)

    click = double_click = drag = keypress = move = scroll = type = wait = _act

    async def screenshot(self) -> Screenshot:
        return self.inner.screenshot()


class Scripted:
    """The scripted server: answers in order, records each request body."""

    def __init__(self, *replies: dict[str, Any]) -> None:
        self.replies = list(replies)
        self.requests: list[dict[str, Any]] = []
        self.keys: list[str | None] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        assert request.url.path == "/v1/responses"
        self.keys.append(request.headers.get("Idempotency-Key"))
        self.requests.append(json.loads(request.content))
        return httpx2.Response(200, json=self.replies[len(self.requests) - 1])


def as_async(callback: Callable[..., Any] | None) -> Callable[..., Any] | None:
    if callback is None or asyncio.iscoroutinefunction(callback):
        return callback

    async def wrapped(*args: Any, **kwargs: Any) -> Any:
        return callback(*args, **kwargs)

    return wrapped


async def run(mode: str, driver: Driver, server: Scripted, params: dict[str, Any] | None = None, **options: Any) -> Any:
    body = {"model": "computer-model", "input": "Open the report", **(params or {})}
    for name in ("approve_safety_checks", "before_action"):
        if mode == "async" and name in options:
            options[name] = as_async(options[name])
    if mode == "sync":
        with OpenAI(api_key="sk-test", base_url="http://scripted/v1", max_retries=0,
                    http_client=httpx2.Client(transport=httpx2.MockTransport(server))) as client:
            return ComputerToolset(driver).run(client, cast(Any, body), **options)
    async with AsyncOpenAI(api_key="sk-test", base_url="http://scripted/v1", max_retries=0,
                           http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(server))) as aclient:
        return await AsyncComputerToolset(AsyncDriver(driver)).run(aclient, cast(Any, body), **options)


async def execute(mode: str, driver: Driver, call: dict[str, Any], **options: Any) -> Any:
    parsed = ResponseComputerToolCall.model_validate(call)
    if mode == "sync":
        return ComputerToolset(driver).execute(parsed, **options)
    for name in ("approve_safety_checks", "before_action"):
        if name in options:
            options[name] = as_async(options[name])
    return await AsyncComputerToolset(AsyncDriver(driver)).execute(parsed, **options)


# --- the loop ---------------------------------------------------------------------------------------


@MODES
async def test_actions_reach_the_driver_and_the_screenshot_goes_back(mode: str) -> None:
    driver = Driver()
    server = Scripted(response(computer_call()), final())
    result = await run(mode, driver, server)

    assert result.output_text == "All done"
    assert driver.done == ["click", "type", "screenshot"]
    click = driver.received[0]
    assert click.type == "click" and (click.x, click.y, click.button) == (10, 20, "left")  # type: ignore[union-attr]
    first, second = server.requests
    assert first["input"] == [{"role": "user", "content": "Open the report"}]
    assert first["tools"] == [{"type": "computer"}] and first["stream"] is False
    assert first["include"] == ["reasoning.encrypted_content"]
    # the whole history is replayed: no previous_response_id, so store=False works
    assert "previous_response_id" not in second
    assert second["input"][1] == computer_call()
    assert second["input"][2] == {
        "type": "computer_call_output",
        "call_id": "call_1",
        "output": SHOT,
        "acknowledged_safety_checks": [],
    }


@MODES
async def test_history_keeps_reasoning_and_legacy_single_action(mode: str) -> None:
    reasoning = {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "opaque", "created_by": "x"}
    legacy = computer_call(actions=None, action={"type": "scroll", "x": 1, "y": 2, "scroll_x": 0, "scroll_y": 300})
    legacy.pop("actions")
    driver = Driver()
    server = Scripted(response(reasoning, legacy), final())
    await run(mode, driver, server, {"include": ["file_search_call.results"], "store": False})

    assert driver.done == ["scroll", "screenshot"]
    replay = server.requests[1]
    assert replay["store"] is False
    assert replay["include"] == ["file_search_call.results", "reasoning.encrypted_content"]
    assert replay["input"][1] == {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "opaque"}
    assert replay["input"][2]["action"] == {"type": "scroll", "x": 1, "y": 2, "scroll_x": 0, "scroll_y": 300}


@MODES
async def test_screenshot_actions_are_served_by_one_capture(mode: str) -> None:
    actions = [{"type": "screenshot"}, {"type": "wait"}, {"type": "screenshot"}]
    driver = Driver()
    await run(mode, driver, Scripted(response(computer_call(actions=actions)), final()))
    assert driver.done == ["wait", "screenshot"]


@MODES
async def test_forced_tool_choice_is_released_after_the_first_turn(mode: str) -> None:
    allowed = {"type": "allowed_tools", "mode": "required", "tools": [{"type": "computer"}]}
    for choice, continuation in (("required", "auto"), (allowed, {**allowed, "mode": "auto"})):
        server = Scripted(response(computer_call()), final())
        await run(mode, Driver(), server, {"tool_choice": choice})
        assert [r["tool_choice"] for r in server.requests] == [choice, continuation]


@MODES
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"stream": True}, "non-streaming"),
        ({"background": True}, "foreground"),
        ({"previous_response_id": "resp_0"}, "complete input history"),
        ({"conversation": "conv_1"}, "complete input history"),
        ({"tools": []}, "exactly one computer tool"),
        ({"tools": [{"type": "computer"}, {"type": "function", "name": "f", "parameters": {}}]}, "exactly one"),
        ({"extra_body": {"input": []}}, "extra_body"),
    ],
)
async def test_unsupported_requests_fail_before_any_call(mode: str, params: dict[str, Any], message: str) -> None:
    driver, server = Driver(), Scripted()
    with pytest.raises(ValueError, match=message):
        await run(mode, driver, server, params)
    assert server.requests == [] and driver.done == []


@MODES
async def test_bad_input_and_max_steps_are_named(mode: str) -> None:
    with pytest.raises(TypeError, match="input must be a string or a list"):
        await run(mode, Driver(), Scripted(), {"input": None})
    with pytest.raises(ValueError, match="max_steps must be a positive integer"):
        await run(mode, Driver(), Scripted(), max_steps=0)


@MODES
async def test_request_options_and_unowned_extra_body_reach_every_request(mode: str) -> None:
    server = Scripted(response(computer_call()), final())
    await run(mode, Driver(), server, {"extra_body": {"metadata": {"run": "7"}}})
    assert [r["metadata"] for r in server.requests] == [{"run": "7"}, {"run": "7"}]


@MODES
async def test_a_pinned_idempotency_key_is_not_reused_for_later_steps(mode: str) -> None:
    server = Scripted(response(computer_call()), response(computer_call("call_2")), final())
    await run(mode, Driver(), server, {"extra_headers": {"Idempotency-Key": "order-17"}})
    first, *later = server.keys
    assert first == "order-17"
    assert len(later) == 2 and "order-17" not in later and later[0] != later[1]


@MODES
async def test_max_steps_counts_requests_and_stops_before_acting(mode: str) -> None:
    driver = Driver()
    server = Scripted(response(computer_call()), response(computer_call("call_2"), id="resp_2"))
    with pytest.raises(ComputerUseError, match="max_steps") as stopped:
        await run(mode, driver, server, max_steps=2)
    assert len(server.requests) == 2
    assert driver.done == ["click", "type", "screenshot"]  # the second response's actions never ran
    assert stopped.value.response is not None and stopped.value.response.id == "resp_2"


# --- approvals, cancellation, failures ----------------------------------------------------------------


@MODES
@pytest.mark.parametrize("approver", [None, lambda _call: False, lambda _call: 1])
async def test_safety_checks_stop_unless_approved_with_exactly_true(mode: str, approver: Any) -> None:
    driver = Driver()
    server = Scripted(response(computer_call(pending_safety_checks=[CHECK])))
    options = {} if approver is None else {"approve_safety_checks": approver}
    with pytest.raises(ComputerUseError, match="safety checks require explicit approval") as stopped:
        await run(mode, driver, server, **options)
    assert driver.done == [] and len(server.requests) == 1
    assert stopped.value.response is not None and stopped.value.response.id == "resp_1"


@MODES
async def test_approved_safety_checks_are_acknowledged(mode: str) -> None:
    seen: list[ResponseComputerToolCall] = []

    def approve(call: ResponseComputerToolCall) -> bool:
        seen.append(call)
        return True

    server = Scripted(response(computer_call(pending_safety_checks=[CHECK])), final())
    await run(mode, Driver(), server, approve_safety_checks=approve)
    assert [c.call_id for c in seen] == ["call_1"]
    assert server.requests[1]["input"][-1]["acknowledged_safety_checks"] == [CHECK]


@MODES
async def test_before_action_refusal_stops_the_batch(mode: str) -> None:
    driver = Driver()
    with pytest.raises(ComputerUseError, match="not approved"):
        await run(mode, driver, Scripted(response(computer_call())), before_action=lambda a: a.type != "type")
    assert driver.done == ["click"]

    blind = Driver()
    with pytest.raises(ComputerUseError, match="not approved"):
        await run(mode, blind, Scripted(response(computer_call())), before_action=lambda a: a.type != "screenshot")
    assert blind.done == ["click", "type"]  # the final screenshot is an action the policy sees too


@MODES
async def test_an_approver_editing_its_action_cannot_change_what_runs(mode: str) -> None:
    def meddle(action: ComputerActionInput) -> bool:
        if action.type == "click":
            action.x = 999  # type: ignore[union-attr]
        return True

    driver = Driver()
    await run(mode, driver, Scripted(response(computer_call()), final()), before_action=meddle)
    assert driver.received[0].x == 10  # type: ignore[union-attr]


@MODES
async def test_cancellation_is_probed_between_steps(mode: str) -> None:
    driver = Driver()
    server = Scripted(response(computer_call()))
    with pytest.raises(ComputerUseError, match="cancelled"):
        await run(mode, driver, server, cancelled=lambda: bool(driver.done))
    assert driver.done == ["click"] and len(server.requests) == 1

    untouched, idle = Driver(), Scripted()
    with pytest.raises(ComputerUseError, match="cancelled"):
        await run(mode, untouched, idle, cancelled=lambda: True)
    assert idle.requests == [] and untouched.done == []


@MODES
async def test_an_approver_taking_cancelled_gets_the_probe(mode: str) -> None:
    stop = False

    def probe() -> bool:
        return stop

    def approve(_action: object, *, cancelled: Callable[[], bool] | None = None) -> bool:
        nonlocal stop
        stop = cancelled is probe  # the user cancels while deciding
        return True

    async def approve_async(action: object, *, cancelled: Callable[[], bool] | None = None) -> bool:
        return approve(action, cancelled=cancelled)

    driver = Driver()
    approver = approve if mode == "sync" else approve_async
    with pytest.raises(ComputerUseError, match="cancelled"):
        await execute(mode, driver, computer_call(), before_action=approver, cancelled=probe)
    assert driver.done == []


@MODES
async def test_driver_errors_propagate_unchanged_and_stop_everything(mode: str) -> None:
    driver = Driver(fail_on="click")
    server = Scripted(response(computer_call()), final())
    with pytest.raises(OSError, match="the click failed on screen"):
        await run(mode, driver, server)
    assert driver.done == ["click"] and len(server.requests) == 1


@MODES
@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (response(computer_call(), status="incomplete"), "did not complete"),
        (response(computer_call(status="in_progress")), "Computer call did not complete"),
        (response(computer_call(), {"type": "function_call", "id": "fc", "call_id": "f", "name": "n", "arguments": "{}"}),
         "tool this helper does not handle"),
        (response(), "no final message or computer call"),
        (response(computer_call(action={"type": "wait"})), "exactly one of action or actions"),
        (response(computer_call(actions=[])), "no actions"),
        (response(computer_call(), computer_call()), "duplicate computer call"),
        (response(computer_call(actions=[{"type": "wait"}, {"type": "click", "x": "1", "y": 2, "button": "left"}])),
         r"Invalid computer action: click\.x must be an integer"),
        (response(computer_call(actions=[{"type": "teleport"}])), "unknown action type 'teleport'"),
    ],
)
async def test_invalid_responses_act_on_nothing(mode: str, reply: dict[str, Any], message: str) -> None:
    driver = Driver()
    with pytest.raises(ComputerUseError, match=message):
        await run(mode, driver, Scripted(reply))
    assert driver.done == []


@MODES
async def test_a_bad_screenshot_is_refused(mode: str) -> None:
    class NoImage(Driver):
        def screenshot(self) -> Screenshot:
            return {"type": "computer_screenshot"}

    with pytest.raises(ComputerUseError, match="computer_screenshot with image_url or file_id"):
        await execute(mode, NoImage(), computer_call())


@MODES
async def test_diagnostics_report_stages_without_content(mode: str) -> None:
    events: list[Any] = []
    await run(mode, Driver(), Scripted(response(computer_call()), final()),
              before_action=lambda _a: True, on_diagnostic=events.append)
    assert [(e["stage"], e["reason"], e["member"]) for e in events] == [
        ("approval", "completed", "click"),
        ("action", "completed", "click"),
        ("approval", "completed", "type"),
        ("action", "completed", "type"),
        ("approval", "completed", "screenshot"),
        ("action", "completed", "screenshot"),
    ]
    assert all(e["api"] == "computer" and e["call_id"] == "call_1" for e in events)


# --- execute(), admission, drivers ----------------------------------------------------------------------


@MODES
async def test_execute_returns_the_output_item(mode: str) -> None:
    driver = Driver()
    output = await execute(mode, driver, computer_call("call_9", pending_safety_checks=[CHECK]),
                           approve_safety_checks=lambda _c: True)
    assert output == {"type": "computer_call_output", "call_id": "call_9", "output": SHOT,
                      "acknowledged_safety_checks": [CHECK]}
    assert driver.done == ["click", "type", "screenshot"]


def test_a_sync_driver_returning_an_awaitable_is_refused() -> None:
    class Confused(Driver):
        def click(self, action: ComputerActionInput) -> Any:  # type: ignore[override]
            async def later() -> None: ...

            return later()

    with pytest.raises(ComputerUseError, match="use AsyncComputerToolset"):
        ComputerToolset(Confused()).execute(ResponseComputerToolCall.model_validate(computer_call()))


def test_an_incomplete_driver_is_refused_at_construction() -> None:
    class Partial:
        def screenshot(self) -> Screenshot:
            return SHOT

    with pytest.raises(ValueError, match="missing: click, double_click, drag"):
        ComputerToolset(cast(Any, Partial()))


def test_one_run_at_a_time_and_close_drains() -> None:
    driver = Driver()
    toolset = ComputerToolset(driver)
    pending = ResponseComputerToolCall.model_validate(computer_call())
    statuses: list[object] = []

    def meanwhile(action: ComputerActionInput) -> bool:
        if action.type != "click":
            return True
        with pytest.raises(RuntimeError, match="busy"):
            toolset.execute(pending)
        statuses.append(toolset.close())
        return True

    toolset.execute(pending, before_action=meanwhile)  # the execution in progress still finishes
    assert statuses[0] == {"status": "draining"}
    assert driver.done == ["click", "type", "screenshot"]
    with pytest.raises(RuntimeError, match="closed"):
        toolset.execute(pending)
    assert toolset.close() == {"status": "closed"}


async def test_async_task_cancellation_propagates_without_a_screenshot() -> None:
    inner = Driver()

    class Cancelling(AsyncDriver):
        async def click(self, action: ComputerActionInput) -> None:
            inner.done.append("click")
            raise asyncio.CancelledError

    toolset = AsyncComputerToolset(Cancelling(inner))
    with pytest.raises(asyncio.CancelledError):
        await toolset.execute(ResponseComputerToolCall.model_validate(computer_call()))
    assert inner.done == ["click"]
    assert toolset.close() == {"status": "closed"}  # admission released after the cancellation
