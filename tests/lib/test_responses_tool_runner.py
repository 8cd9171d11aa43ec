"""ResponsesToolRunner / AsyncResponsesToolRunner against the local server's scripted Responses."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable, Iterator
from typing import Any

import pydantic
import pytest
from helpers import json_response, make_async_client, make_client

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.lib import pydantic_responses_function_tool
from pyopenai.lib.responses_tool_runner import (
    AsyncRegisteredFunction,
    AsyncResponsesToolRunner,
    RegisteredFunction,
    ResponsesToolLedger,
    ResponsesToolRunner,
    ToolRunnerCancelledError,
    ToolRunnerError,
)
from pyopenai.lib.tool_diagnostics import ToolDiagnostic
from pyopenai.testing import LocalServer, ToolCall

PARAMS: Any = {"model": "gpt-5", "input": "Weather in Paris?"}
CITY = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"], "additionalProperties": False}
LANES = pytest.mark.parametrize("lane", ["sync", "async"])


def tool(name: str = "get_weather") -> Any:
    return {"type": "function", "name": name, "parameters": CITY, "strict": True}


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


@pytest.fixture
def script(server: LocalServer) -> Any:
    server.reset()
    server.script.responses.clear()
    return server.script.responses


def sent_inputs(server: LocalServer) -> list[list[dict[str, Any]]]:
    return [r.json()["input"] for r in server.find_requests("POST", "/responses")]


class Lane:
    """Build and run the same scenario on the sync or the async runner."""

    def __init__(self, name: str, server: LocalServer) -> None:
        self.name, self.server = name, server

    def function(self, execute: Callable[..., Any], name: str = "get_weather", **options: Any) -> Any:
        if self.name == "sync":
            return RegisteredFunction(tool=tool(name), execute=execute, **options)

        async def run_it(args: Any) -> Any:
            return execute(args)

        return AsyncRegisteredFunction(tool=tool(name), execute=run_it, **options)

    def run(self, functions: list[Any], params: Any = PARAMS, **options: Any) -> Any:
        if self.name == "sync":
            client = OpenAI(base_url=self.server.url, api_key="k", max_retries=0)
            return ResponsesToolRunner(functions=functions).run(client, params, **options)

        async def main() -> Any:
            client = AsyncOpenAI(base_url=self.server.url, api_key="k", max_retries=0)
            return await AsyncResponsesToolRunner(functions=functions).run(client, params, **options)

        return asyncio.run(main())


@pytest.fixture(params=["sync", "async"])
def lane(request: pytest.FixtureRequest, server: LocalServer) -> Lane:
    return Lane(request.param, server)


def test_runs_functions_with_parsed_arguments_and_sends_outputs_back(lane: Lane, script: Any, server: LocalServer) -> None:
    script.tool_calls(ToolCall("get_weather", {"city": "Paris"}, call_id="c1"), ToolCall("get_weather", {"city": "Rome"}, call_id="c2"))
    script.text("Sunny in both.")
    seen: list[Any] = []

    def weather(args: dict[str, object]) -> str:
        seen.append(args)
        return f"sunny in {args['city']}"

    response = lane.run([lane.function(weather)])
    assert response.output_text == "Sunny in both."
    assert seen == [{"city": "Paris"}, {"city": "Rome"}]
    first, second = sent_inputs(server)
    assert first == [{"role": "user", "content": "Weather in Paris?"}]
    assert second[0] == {"role": "user", "content": "Weather in Paris?"}
    assert [(i["type"], i["call_id"]) for i in second[1:]] == [
        ("function_call", "c1"), ("function_call", "c2"), ("function_call_output", "c1"), ("function_call_output", "c2"),
    ]
    assert second[3]["output"] == "sunny in Paris" and second[4]["output"] == "sunny in Rome"
    body = server.last_request(path="/responses").json()
    assert body["include"] == ["reasoning.encrypted_content"]
    assert [t["name"] for t in body["tools"]] == ["get_weather"]
    assert "previous_response_id" not in body and "stream" not in body


def test_request_options_are_kept_and_server_tools_declared(lane: Lane, script: Any, server: LocalServer) -> None:
    script.text("ok")
    params = {**PARAMS, "instructions": "Be brief.", "include": ["message.output_text.logprobs"],
              "tools": [{"type": "web_search"}], "store": False}
    lane.run([lane.function(lambda a: "x")], params)
    body = server.last_request(path="/responses").json()
    assert body["instructions"] == "Be brief." and body["store"] is False
    assert body["include"] == ["message.output_text.logprobs", "reasoning.encrypted_content"]
    assert [t["type"] for t in body["tools"]] == ["function", "web_search"]


def test_function_outputs_may_be_input_blocks(lane: Lane, script: Any, server: LocalServer) -> None:
    script.tool_call("get_weather", {"city": "Paris"}, call_id="c1")
    script.text("ok")
    lane.run([lane.function(lambda a: [{"type": "input_text", "text": "22C"}])])
    assert sent_inputs(server)[1][-1] == {"type": "function_call_output", "call_id": "c1", "output": [{"type": "input_text", "text": "22C"}]}


def test_a_tool_call_on_the_last_step_stops_without_running(lane: Lane, script: Any) -> None:
    script.tool_call("get_weather", {"city": "Paris"}, call_id="c1")
    script.tool_call("get_weather", {"city": "Rome"}, call_id="c2")
    ran: list[Any] = []
    with pytest.raises(ToolRunnerError, match="max_steps") as caught:
        lane.run([lane.function(lambda a: ran.append(a) or "ok")], max_steps=2)
    assert ran == [{"city": "Paris"}]
    assert caught.value.attempted_call_ids == ("c1",) and caught.value.completed_call_ids == ("c1",)


def test_an_unregistered_function_stops_the_run_before_any_effect(lane: Lane, script: Any) -> None:
    script.tool_calls(ToolCall("get_weather", {"city": "Paris"}, call_id="c1"), ToolCall("delete_all", {"city": "x"}, call_id="c2"))
    ran: list[Any] = []
    with pytest.raises(ToolRunnerError, match="'delete_all'") as caught:
        lane.run([lane.function(lambda a: ran.append(a) or "ok")])
    assert ran == []  # the whole reply is checked before its first call runs
    assert caught.value.attempted_call_ids == ()


def test_a_failing_function_stops_the_run_and_keeps_its_error_out_of_the_message(lane: Lane, script: Any) -> None:
    script.tool_call("get_weather", {"city": "Paris"}, call_id="c1")

    def broken(args: Any) -> str:
        raise ValueError("api_key=sk-secret")

    with pytest.raises(ToolRunnerError) as caught:
        lane.run([lane.function(broken)])
    assert "sk-secret" not in str(caught.value)
    assert isinstance(caught.value.__context__, ValueError)
    assert caught.value.attempted_call_ids == ("c1",) and caught.value.completed_call_ids == ()


@pytest.mark.parametrize("bad", [5, None, [{"type": "output_text", "text": "x"}], [{"type": "input_image"}]])
def test_an_output_that_is_not_text_or_input_blocks_stops_the_run(lane: Lane, script: Any, bad: object) -> None:
    script.tool_call("get_weather", {"city": "Paris"}, call_id="c1")
    with pytest.raises(ToolRunnerError) as caught:
        lane.run([lane.function(lambda a: bad)])
    assert isinstance(caught.value.__context__, ValueError)
    assert caught.value.completed_call_ids == ()


def test_arguments_that_are_not_json_stop_the_run(lane: Lane, script: Any) -> None:
    script.tool_call("get_weather", "{not json", call_id="c1")
    ran: list[Any] = []
    with pytest.raises(ToolRunnerError) as caught:
        lane.run([lane.function(lambda a: ran.append(a) or "ok")])
    assert isinstance(caught.value.__context__, json.JSONDecodeError)
    assert ran == []


def test_an_api_error_stops_the_run_with_the_error_as_context(lane: Lane, script: Any) -> None:
    script.error(400, "bad input", code="invalid_value")
    with pytest.raises(ToolRunnerError) as caught:
        lane.run([lane.function(lambda a: "x")])
    assert type(caught.value.__context__).__name__ == "BadRequestError"


def test_cancelled_callable_stops_between_calls(lane: Lane, script: Any) -> None:
    script.tool_calls(ToolCall("get_weather", {"city": "A"}, call_id="a"), ToolCall("get_weather", {"city": "B"}, call_id="b"))
    ran: list[Any] = []
    with pytest.raises(ToolRunnerError, match="cancelled") as caught:
        lane.run([lane.function(lambda a: ran.append(a) or "ok")], cancelled=lambda: len(ran) >= 1)
    assert ran == [{"city": "A"}]
    assert caught.value.attempted_call_ids == ("a",)


@pytest.mark.parametrize(
    "params",
    [
        {**PARAMS, "previous_response_id": "resp_1"},
        {**PARAMS, "stream": True},
        {**PARAMS, "background": True},
        {**PARAMS, "tools": [tool("other")]},
        {**PARAMS, "tool_choice": "required"},
        {**PARAMS, "extra_body": {"input": []}},
    ],
    ids=["previous_response_id", "stream", "background", "function-in-params", "tool_choice-required", "extra_body"],
)
def test_params_the_runner_cannot_honour_are_refused_before_any_request(lane: Lane, script: Any, server: LocalServer, params: Any) -> None:
    with pytest.raises(ValueError):
        lane.run([lane.function(lambda a: "x")], params)
    assert server.find_requests("POST", "/responses") == []


@pytest.mark.parametrize("max_steps", [0, -1, "3"])
def test_max_steps_must_be_a_positive_integer(lane: Lane, script: Any, max_steps: Any) -> None:
    with pytest.raises(ValueError, match="max_steps"):
        lane.run([], max_steps=max_steps)


def test_registration_refuses_duplicate_names_and_bad_flags() -> None:
    first = RegisteredFunction(tool=tool(), execute=lambda a: "x")
    with pytest.raises(ValueError, match="unique"):
        ResponsesToolRunner(functions=[first, RegisteredFunction(tool=tool(), execute=lambda a: "y")])
    with pytest.raises(ValueError, match="boolean"):
        ResponsesToolRunner(functions=[RegisteredFunction(tool=tool(), execute=lambda a: "x", independent=1)])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="early_execution"):
        ResponsesToolRunner(functions=[first], early_execution={"functions": ["nope"]})


def test_features_not_implemented_say_so(script: Any, server: LocalServer) -> None:
    client = OpenAI(base_url=server.url, api_key="k")
    ledger = ResponsesToolLedger(run_id="r", save=lambda checkpoint: None)
    with pytest.raises(NotImplementedError, match="ledger"):
        ResponsesToolRunner().run(client, PARAMS, ledger=ledger)
    with pytest.raises(NotImplementedError, match="context_budget"):
        ResponsesToolRunner().run(client, PARAMS, context_budget={"max_input_bytes": 1, "max_input_images": 1})


def test_iterate_shows_each_turn_before_its_tools_run(script: Any, server: LocalServer) -> None:
    script.tool_calls(ToolCall("get_weather", {"city": "A"}, call_id="a"), ToolCall("lookup", {"city": "B"}, call_id="b"))
    script.text("done")
    ran: list[str] = []
    runner = ResponsesToolRunner(functions=[
        RegisteredFunction(tool=tool(), execute=lambda a: ran.append("weather") or "w"),
        RegisteredFunction(tool=tool("lookup"), execute=lambda a: ran.append("lookup") or "l", allow_output_override=True),
    ])
    client = OpenAI(base_url=server.url, api_key="k")
    turns = runner.iterate(client, PARAMS)
    first = next(turns)
    assert (first.step, first.final, first.attempted_call_ids) == (1, False, ())
    assert ran == []  # nothing runs until the iterator advances
    with pytest.raises(ValueError, match="'a'"):
        first.supply_outputs([{"type": "function_call_output", "call_id": "a", "output": "nope"}])
    first.supply_outputs([{"type": "function_call_output", "call_id": "b", "output": "from the app"}])
    first.append_user_text("Use Celsius.")
    last = next(turns)
    assert last.final and last.response.output_text == "done"
    assert last.attempted_call_ids == ("a", "b") and last.completed_call_ids == ("a", "b")
    assert ran == ["weather"]  # b's output was supplied, so lookup never ran
    with pytest.raises(ValueError):
        first.append_user_text("too late")
    with pytest.raises(StopIteration):
        next(turns)
    history = sent_inputs(server)[1]
    assert history[-3:] == [
        {"type": "function_call_output", "call_id": "a", "output": "w"},
        {"type": "function_call_output", "call_id": "b", "output": "from the app"},
        {"role": "user", "content": "Use Celsius."},
    ]


def test_closing_the_iteration_early_runs_nothing_more_and_frees_the_runner(script: Any, server: LocalServer) -> None:
    script.tool_call("get_weather", {"city": "A"}, call_id="a")
    script.text("done")
    ran: list[Any] = []
    runner = ResponsesToolRunner(functions=[RegisteredFunction(tool=tool(), execute=lambda a: ran.append(a) or "ok")])
    client = OpenAI(base_url=server.url, api_key="k")
    with contextlib.closing(runner.iterate(client, PARAMS)) as turns:
        next(turns)
    assert ran == []
    assert runner.run(client, PARAMS).output_text == "done"  # the runner is free again


def test_one_run_at_a_time_and_none_after_close(script: Any, server: LocalServer) -> None:
    script.tool_call("get_weather", {"city": "A"}, call_id="a")
    script.text("done")
    client = OpenAI(base_url=server.url, api_key="k")
    statuses: list[Any] = []

    def reenter(args: Any) -> str:
        with pytest.raises(RuntimeError, match="busy"):
            runner.run(client, PARAMS)
        statuses.append(runner.close())
        return "ok"

    runner = ResponsesToolRunner(functions=[RegisteredFunction(tool=tool(), execute=reenter)])
    assert runner.run(client, PARAMS).output_text == "done"
    assert statuses == [{"status": "draining"}]
    with pytest.raises(RuntimeError, match="closed"):
        runner.run(client, PARAMS)


class City(pydantic.BaseModel):
    city: str


def test_from_tool_gives_the_executor_a_model_instance(lane: Lane, script: Any) -> None:
    script.tool_call("City", {"city": "Oslo"}, call_id="c1")
    script.text("ok")
    seen: list[Any] = []
    typed = pydantic_responses_function_tool(City)

    def execute(value: City) -> str:
        seen.append(value)
        return value.city

    if lane.name == "sync":
        function: Any = RegisteredFunction.from_tool(typed, execute=execute)
    else:
        async def execute_async(value: City) -> str:
            return execute(value)
        function = AsyncRegisteredFunction.from_tool(typed, execute=execute_async)
    lane.run([function])
    assert seen == [City(city="Oslo")]
    with pytest.raises(ValueError, match="from_tool"):
        RegisteredFunction.from_tool(tool(), execute=execute)


def test_streaming_passes_every_event_to_on_event(script: Any, server: LocalServer) -> None:
    script.tool_call("get_weather", {"city": "A"}, call_id="a")
    script.stream(["Sun", "ny"])
    events: list[str] = []
    client = OpenAI(base_url=server.url, api_key="k")
    runner = ResponsesToolRunner(functions=[RegisteredFunction(tool=tool(), execute=lambda a: "w")])
    response = runner.run(client, PARAMS, stream=True, eager=True, on_event=lambda e: events.append(e.type))
    assert response.output_text == "Sunny"
    assert events.count("response.completed") == 2 and "response.output_text.delta" in events
    assert all(r.json()["stream"] is True for r in server.find_requests("POST", "/responses"))


def test_async_streaming_awaits_on_event(script: Any, server: LocalServer) -> None:
    script.tool_call("get_weather", {"city": "A"}, call_id="a")
    script.stream(["Sun", "ny"])
    events: list[str] = []

    async def on_event(event: Any) -> None:
        events.append(event.type)

    async def main() -> Any:
        client = AsyncOpenAI(base_url=server.url, api_key="k")
        runner = AsyncResponsesToolRunner(functions=[Lane("async", server).function(lambda a: "w")])
        return await runner.run(client, PARAMS, stream=True, on_event=on_event)

    assert asyncio.run(main()).output_text == "Sunny"
    assert events.count("response.completed") == 2


def test_diagnostics_report_stages_without_content(script: Any, server: LocalServer) -> None:
    script.tool_call("get_weather", {"city": "Paris"}, call_id="c1")
    script.text("ok")
    seen: list[ToolDiagnostic] = []
    Lane("sync", server).run([RegisteredFunction(tool=tool(), execute=lambda a: "secret-out")], on_diagnostic=seen.append)
    assert [(d["stage"], d["reason"], d["call_id"], d["member"]) for d in seen] == [
        ("request", "completed", None, None),
        ("action", "completed", "c1", "get_weather"),
        ("request", "completed", None, None),
    ]
    assert "secret-out" not in json.dumps(seen) and "Paris" not in json.dumps(seen)


def test_task_cancellation_raises_tool_runner_cancelled_error(server: LocalServer, script: Any) -> None:
    script.tool_call("get_weather", {"city": "A"}, call_id="a")

    async def main() -> None:
        started = asyncio.Event()

        async def hang(args: Any) -> str:
            started.set()
            await asyncio.Event().wait()
            return "never"

        client = AsyncOpenAI(base_url=server.url, api_key="k")
        runner = AsyncResponsesToolRunner(functions=[AsyncRegisteredFunction(tool=tool(), execute=hang)])
        task = asyncio.ensure_future(runner.run(client, PARAMS))
        await started.wait()
        task.cancel()
        with pytest.raises(ToolRunnerCancelledError) as caught:
            await task
        assert isinstance(caught.value, asyncio.CancelledError)
        assert caught.value.attempted_call_ids == ("a",) and caught.value.completed_call_ids == ()

    asyncio.run(main())


def test_a_sync_function_returning_an_awaitable_is_refused(script: Any, server: LocalServer) -> None:
    script.tool_call("get_weather", {"city": "A"}, call_id="a")

    async def later(args: Any) -> str:
        return "x"

    with pytest.raises(ToolRunnerError, match="AsyncRegisteredFunction"):
        Lane("sync", server).run([RegisteredFunction(tool=tool(), execute=later)])  # type: ignore[arg-type]


# ---- MCP approvals, scripted at the HTTP level ----------------------------------------------------

MCP_TOOL: Any = {"type": "mcp", "server_label": "docs", "server_url": "https://mcp.example/sse", "require_approval": "always"}


def _response(output: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": "resp_1", "object": "response", "created_at": 1, "status": "completed", "model": "gpt-5",
            "output": output, "parallel_tool_calls": True, "tool_choice": "auto", "tools": [], "error": None,
            "incomplete_details": None, "instructions": None, "metadata": {}, "temperature": 1.0, "top_p": 1.0}


APPROVAL = {"type": "mcp_approval_request", "id": "mcpr_1", "server_label": "docs", "name": "search", "arguments": "{}"}
ANSWER = {"type": "message", "id": "msg_1", "role": "assistant", "status": "completed",
          "content": [{"type": "output_text", "text": "found it", "annotations": []}]}


@LANES
@pytest.mark.parametrize("approve", [True, False])
def test_mcp_approval_requests_go_to_approve_mcp(lane: str, approve: bool) -> None:
    replies = [_response([APPROVAL]), _response([ANSWER])]

    def answer(request: Any) -> Any:
        return json_response(replies.pop(0))

    asked: list[Any] = []

    def decide(request: Any) -> bool:
        asked.append(request.name)
        return approve

    params: Any = {**PARAMS, "tools": [MCP_TOOL]}
    if lane == "sync":
        client, recorder = make_client(answer)
        response = ResponsesToolRunner().run(client, params, approve_mcp=decide)
    else:
        async def decide_async(request: Any) -> bool:
            return decide(request)

        async def main() -> Any:
            client, rec = make_async_client(answer)
            return await AsyncResponsesToolRunner().run(client, params, approve_mcp=decide_async), rec

        response, recorder = asyncio.run(main())
    assert response.output_text == "found it" and asked == ["search"]
    follow_up = recorder.json(1)["input"]
    assert follow_up[-1] == {"type": "mcp_approval_response", "approval_request_id": "mcpr_1", "approve": approve}
    assert all(r.headers.get("x-stainless-retry-count", "0") == "0" for r in recorder.requests)


def test_an_mcp_approval_without_approve_mcp_stops_the_run() -> None:
    client, _ = make_client(lambda request: json_response(_response([APPROVAL])))
    with pytest.raises(ToolRunnerError, match="approve_mcp"):
        ResponsesToolRunner().run(client, {**PARAMS, "tools": [MCP_TOOL]})  # type: ignore[arg-type]


def test_a_response_that_did_not_complete_stops_the_run() -> None:
    incomplete = {**_response([ANSWER]), "status": "incomplete"}
    client, _ = make_client(lambda request: json_response(incomplete))
    with pytest.raises(ToolRunnerError, match="incomplete"):
        ResponsesToolRunner().run(client, PARAMS)


# ---- the browser and computer toolsets -------------------------------------------------------------

SHOT: Any = {"type": "computer_screenshot", "image_url": "data:image/png;base64,c2hvdA=="}
COMPUTER_CALL = {"type": "computer_call", "id": "cu_1", "call_id": "cc1", "status": "completed",
                 "pending_safety_checks": [], "actions": [{"type": "click", "button": "left", "x": 1, "y": 2}]}
READ_CALL = {"type": "function_call", "id": "fc_1", "call_id": "rc1", "name": "browser_read_page",
             "arguments": json.dumps({"tab_id": "tab_1", "filter": "all"}), "status": "completed"}


class Screen:
    def __init__(self) -> None:
        self.done: list[str] = []

    def _act(self, action: Any) -> None:
        self.done.append(action.type)

    click = double_click = drag = keypress = move = scroll = type = wait = _act

    def screenshot(self) -> Any:
        self.done.append("screenshot")
        return dict(SHOT)


class Pages:
    def __init__(self) -> None:
        self.reads: list[Any] = []

    def state(self) -> Any:
        return {"tabs": [{"id": "tab_1", "title": "Guide", "url": "https://guide.example/", "active": True}]}

    def read_page(self, action: Any) -> str:
        self.reads.append(action)
        return "Open 9 to 5."

    def navigate(self, action: Any) -> None: ...
    def click(self, action: Any) -> None: ...
    def screenshot(self, action: Any) -> Any: ...


def _asynced(inner: Any, names: list[str]) -> Any:
    class Wrapped:
        pass

    wrapped = Wrapped()
    for name in names:
        method = getattr(inner, name)

        async def call(*args: Any, _method: Any = method) -> Any:
            return _method(*args)

        setattr(wrapped, name, call)
    return wrapped


@LANES
def test_computer_and_browser_calls_go_to_their_toolsets(lane: str) -> None:
    from pyopenai.lib.browser import AsyncBrowserToolset, BrowserToolset
    from pyopenai.lib.computer import AsyncComputerToolset, ComputerToolset

    replies = [_response([COMPUTER_CALL, READ_CALL]), _response([ANSWER])]

    def answer(request: Any) -> Any:
        return json_response(replies.pop(0))

    screen, pages = Screen(), Pages()
    if lane == "sync":
        client, recorder = make_client(answer)
        runner = ResponsesToolRunner(computer=ComputerToolset(screen), browser=BrowserToolset(pages, members=["read_page"]))
        response = runner.run(client, PARAMS)
    else:
        screen_async = _asynced(screen, ["click", "double_click", "drag", "keypress", "move", "scroll", "type", "wait", "screenshot"])
        pages_async = _asynced(pages, ["state", "read_page", "navigate", "click", "screenshot"])

        async def main() -> Any:
            client, rec = make_async_client(answer)
            runner = AsyncResponsesToolRunner(
                computer=AsyncComputerToolset(screen_async), browser=AsyncBrowserToolset(pages_async, members=["read_page"])
            )
            return await runner.run(client, PARAMS), rec

        response, recorder = asyncio.run(main())
    assert response.output_text == "found it"
    assert screen.done == ["click", "screenshot"] and len(pages.reads) == 1
    first = recorder.json(0)
    assert [t.get("name", t["type"]) for t in first["tools"]] == ["browser_read_page", "computer"]
    outputs = recorder.json(1)["input"][-2:]
    assert outputs[0]["type"] == "computer_call_output" and outputs[0]["call_id"] == "cc1"
    assert outputs[1]["type"] == "function_call_output" and outputs[1]["call_id"] == "rc1"
    assert "Open 9 to 5." in json.dumps(outputs[1]["output"])


def test_toolsets_of_the_other_lane_and_name_clashes_are_refused() -> None:
    from pyopenai.lib.browser import BrowserToolset
    from pyopenai.lib.computer import ComputerToolset

    with pytest.raises(ValueError, match="AsyncComputerToolset"):
        AsyncResponsesToolRunner(computer=ComputerToolset(Screen()))  # type: ignore[arg-type]
    clash = RegisteredFunction(tool=tool("browser_read_page"), execute=lambda a: "x")
    with pytest.raises(ValueError, match="browser tool"):
        ResponsesToolRunner(browser=BrowserToolset(Pages(), members=["read_page"]), functions=[clash])


def test_a_computer_call_without_a_computer_stops_the_run() -> None:
    client, _ = make_client(lambda request: json_response(_response([COMPUTER_CALL])))
    with pytest.raises(ToolRunnerError, match="computer"):
        ResponsesToolRunner().run(client, PARAMS)
