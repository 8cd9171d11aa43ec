"""The tool runners (chat and responses, sync and async): local server and scripted model replies."""

from __future__ import annotations

import enum
import json
from collections.abc import Callable
from typing import Any, Literal

import anyio
import httpx2
import pydantic
import pytest
from helpers import json_response, make_async_client, make_client
from libsupport import achat, aresponses, call_item, chat, completion, message_item, response_obj, responses

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.lib._function_tools import FunctionTool, function_tool
from pyopenai.lib.streaming.responses import ResponseFailedError
from pyopenai.lib.tool_runner import ToolCall, ToolResult, ToolRunnerMaxIterationsError, ToolRunnerStep


class Unit(enum.Enum):
    C = "c"
    F = "f"


def get_weather(city: str, unit: Unit = Unit.C, days: int | None = None) -> dict[str, Any]:
    """The current weather in a city.

    Args:
        city: the city name
        unit: degrees unit
    """
    assert isinstance(unit, Unit)
    return {"city": city, "degrees": 21, "unit": unit.value, "days": days}


# -- tool definitions ------------------------------------------------------------------------------------


def test_function_tool_definition() -> None:
    tool = FunctionTool(get_weather)
    param = tool.chat_param()["function"]
    assert param["name"] == "get_weather" and param["description"] == "The current weather in a city."
    assert param["strict"] is True
    props = param["parameters"]["properties"]
    assert param["parameters"]["required"] == ["city", "unit", "days"]
    assert props["city"] == {"type": "string", "description": "the city name"}
    assert {"type": "null"} in props["unit"]["anyOf"]  # a default: null means "use it"
    assert tool.responses_param()["name"] == "get_weather"


def test_defaults_and_coercion_when_called() -> None:
    tool = FunctionTool(get_weather)
    result: Any = tool.invoke(tool.parse_arguments('{"city": "Oslo", "unit": null, "days": null}'))
    assert result["unit"] == "c"
    assert tool.invoke(tool.parse_arguments('{"city": "Oslo", "unit": "f", "days": 3}')) == {
        "city": "Oslo", "degrees": 21, "unit": "f", "days": 3}


def test_open_maps_turn_strict_off_and_decorator_options() -> None:
    def tag(labels: dict[str, str]) -> str:
        return ",".join(labels)

    assert FunctionTool(tag).strict is False

    @function_tool(name="lookup", description="Find things", strict=False)
    def find(query: str, limit: int = 3) -> list[str]:
        return [query] * limit

    assert isinstance(find, FunctionTool)
    assert find.chat_param()["function"]["name"] == "lookup"
    assert find.parameters["required"] == ["query"]


class Multiply(pydantic.BaseModel):
    """Multiply two numbers."""

    a: float
    b: float

    def __call__(self) -> float:
        return self.a * self.b


def test_pydantic_model_tool() -> None:
    tool = FunctionTool(Multiply)
    assert tool.name == "Multiply" and tool.description == "Multiply two numbers." and tool.strict
    assert tool.invoke(tool.parse_arguments('{"a": 3, "b": 4}')) == 12

    class NoBody(pydantic.BaseModel):
        a: int

    with pytest.raises(TypeError, match="__call__"):
        FunctionTool(NoBody)


# -- local server -----------------------------------------------------------------------------------------


def test_chat_runner_against_the_server(client: OpenAI) -> None:
    log: list[str] = []
    runner = chat(client).run_tools(
        model="gpt-4o", messages=[{"role": "user", "content": "weather?"}], tools=[get_weather],
        on_tool_call=lambda c: log.append(f"call {c.name}"), on_tool_result=lambda r: log.append(f"result {r.output}"),
        on_message=lambda m: log.append("message"), on_step=lambda s: log.append(f"step {s.iteration}"),
    )
    assert log == []  # lazy until driven
    steps = list(runner)
    assert [s.is_final for s in steps] == [False, True]
    result = steps[0].tool_results[0]
    assert result.call.name == "get_weather" and not result.is_error
    assert json.loads(result.output)["degrees"] == 21
    assert log[0] == "message" and log[1] == "call get_weather" and log[2].startswith("result ")
    assert log[3:] == ["step 1", "message", "step 2"]
    assert result.output in runner.final_content()
    roles = [m["role"] for m in runner.messages]
    assert roles == ["user", "assistant", "tool", "assistant"]


def test_responses_runner_against_the_server(client: OpenAI) -> None:
    runner = responses(client).run_tools(model="gpt-4o", input="weather?", tools=[get_weather])
    text = runner.final_output_text()
    assert len(runner.steps) == 2
    assert runner.steps[0].tool_results[0].output in text
    assert runner.steps[1].response.previous_response_id == runner.steps[0].response.id


def test_responses_runner_without_store_sends_the_transcript(client: OpenAI) -> None:
    runner = responses(client).run_tools(model="gpt-4o", input="weather?", tools=[get_weather], store=False)
    text = runner.final_output_text()
    assert runner.steps[0].tool_results[0].output in text
    kinds = [i.get("type", "message") for i in runner.input]
    assert kinds == ["message", "function_call", "function_call_output", "message"]


async def test_async_runners_against_the_server(async_client: AsyncOpenAI) -> None:
    async def aget_weather(city: str) -> str:
        """Weather."""
        return f"sunny in {city}"

    runner = achat(async_client).run_tools(model="gpt-4o", messages=[{"role": "user", "content": "hi"}],
                                           tools=[aget_weather])
    steps = [s async for s in runner]
    assert len(steps) == 2 and "sunny in" in (await runner.final_content() or "")
    rr = aresponses(async_client).run_tools(model="gpt-4o", input="hi", tools=[aget_weather])
    assert "sunny in" in await rr.final_output_text()


# -- scripted model replies ---------------------------------------------------------------------------


def tool_calls(*calls: tuple[str, str, str]) -> dict[str, Any]:
    return completion({"tool_calls": [{"id": i, "type": "function", "function": {"name": n, "arguments": a}}
                                      for i, n, a in calls]}, finish="tool_calls")


def scripted(replies: list[dict[str, Any]]) -> Callable[[httpx2.Request], httpx2.Response]:
    queue = list(replies)

    def handler(_request: httpx2.Request) -> httpx2.Response:
        return json_response(queue.pop(0) if len(queue) > 1 else queue[0])

    return handler


def test_parallel_tool_calls_run_in_order_and_answer_in_order() -> None:
    order: list[str] = []

    def first(x: int) -> int:
        order.append("first")
        return x + 1

    def second(y: str) -> str:
        order.append("second")
        return y.upper()

    client, rec = make_client(scripted([tool_calls(("c1", "first", '{"x": 1}'), ("c2", "second", '{"y": "a"}')),
                                        completion({"content": "done"})]))
    runner = chat(client).run_tools(model="m", messages=[{"role": "user", "content": "go"}], tools=[first, second])
    assert runner.final_content() == "done"
    assert order == ["first", "second"]
    sent = rec.json(1)["messages"]
    assert sent[-2:] == [{"role": "tool", "tool_call_id": "c1", "content": "2"},
                         {"role": "tool", "tool_call_id": "c2", "content": "A"}]
    assert sent[1]["tool_calls"][1]["function"] == {"name": "second", "arguments": '{"y": "a"}'}
    assert [t["function"]["name"] for t in rec.json(0)["tools"]] == ["first", "second"]


def test_tool_errors_are_fed_back() -> None:
    def boom(x: int) -> int:
        raise ValueError(f"bad x {x}")

    replies = [tool_calls(("c1", "boom", '{"x": 2}'), ("c2", "missing", "{}"), ("c3", "boom", "not json")),
               completion({"content": "recovered"})]
    client, rec = make_client(scripted(replies))
    results: list[ToolResult] = []
    runner = chat(client).run_tools(model="m", messages=[{"role": "user", "content": "go"}], tools=[boom],
                                    on_tool_result=results.append)
    assert runner.final_content() == "recovered"
    assert [r.is_error for r in results] == [True, True, True]
    tool_msgs = [m["content"] for m in rec.json(1)["messages"] if m["role"] == "tool"]
    assert tool_msgs[0] == "Error: ValueError: bad x 2"
    assert "no tool named 'missing'" in tool_msgs[1]
    assert tool_msgs[2].startswith("Error: JSONDecodeError")


def test_raise_on_tool_error() -> None:
    def boom() -> None:
        raise KeyError("nope")

    client, rec = make_client(scripted([tool_calls(("c1", "boom", "{}")), completion({"content": "x"})]))
    runner = chat(client).run_tools(model="m", messages=[], tools=[boom], raise_on_tool_error=True)
    with pytest.raises(KeyError):
        runner.until_done()
    assert len(rec.requests) == 1


def test_max_iterations_is_a_clear_error() -> None:
    def again() -> str:
        return "more"

    client, rec = make_client(scripted([tool_calls(("c", "again", "{}"))]))
    runner = chat(client).run_tools(model="m", messages=[], tools=[again], max_iterations=3)
    with pytest.raises(ToolRunnerMaxIterationsError, match="3 iterations") as info:
        runner.final_content()
    assert len(rec.requests) == 3 and len(info.value.steps) == 3
    assert info.value.last_response is info.value.steps[-1].response


def test_async_tool_in_the_sync_runner_is_a_tool_error() -> None:
    async def later() -> str:
        return "x"

    client, rec = make_client(scripted([tool_calls(("c", "later", "{}")), completion({"content": "ok"})]))
    chat(client).run_tools(model="m", messages=[], tools=[later]).until_done()
    assert "use the async client" in rec.json(1)["messages"][-1]["content"]


def test_dict_tools_pass_through_unrun() -> None:
    hosted = {"type": "function", "function": {"name": "remote", "parameters": {}}}
    client, rec = make_client(scripted([tool_calls(("c", "remote", "{}")), completion({"content": "ok"})]))
    chat(client).run_tools(model="m", messages=[], tools=[hosted]).until_done()
    assert rec.json(0)["tools"] == [hosted]
    assert "no tool named 'remote'" in rec.json(1)["messages"][-1]["content"]


async def test_async_runner_runs_async_tools_concurrently() -> None:
    a_started, b_started = anyio.Event(), anyio.Event()

    async def tool_a() -> str:
        a_started.set()
        await b_started.wait()  # would deadlock if the calls ran one after the other
        return "a"

    async def tool_b() -> str:
        b_started.set()
        await a_started.wait()
        return "b"

    client, rec = make_async_client(scripted([tool_calls(("1", "tool_a", "{}"), ("2", "tool_b", "{}")),
                                              completion({"content": "both"})]))
    calls: list[ToolCall] = []

    async def on_call(call: ToolCall) -> None:
        calls.append(call)

    with anyio.fail_after(5):
        runner = achat(client).run_tools(model="m", messages=[], tools=[tool_a, tool_b], on_tool_call=on_call)
        assert await runner.final_content() == "both"
    assert sorted(c.name for c in calls) == ["tool_a", "tool_b"]
    assert [m["content"] for m in rec.json(1)["messages"] if m["role"] == "tool"] == ["a", "b"]


async def test_async_raise_on_tool_error_after_the_others_finish() -> None:
    finished: list[str] = []

    async def ok() -> str:
        finished.append("ok")
        return "fine"

    async def bad() -> str:
        raise RuntimeError("bad tool")

    client, _ = make_async_client(scripted([tool_calls(("1", "bad", "{}"), ("2", "ok", "{}"))]))
    runner = achat(client).run_tools(model="m", messages=[], tools=[bad, ok], raise_on_tool_error=True)
    with pytest.raises(RuntimeError, match="bad tool"):
        await runner.until_done()
    assert finished == ["ok"]


async def test_async_max_iterations() -> None:
    async def again() -> str:
        return "more"

    client, _ = make_async_client(scripted([tool_calls(("c", "again", "{}"))]))
    with pytest.raises(ToolRunnerMaxIterationsError):
        await achat(client).run_tools(model="m", messages=[], tools=[again], max_iterations=2).final_message()


# -- responses, scripted ------------------------------------------------------------------------------


def test_responses_runner_chains_and_reports_failure() -> None:
    replies = [
        response_obj([call_item("get_weather", '{"city": "Rome", "unit": "f", "days": null}', call_id="k1"),
                      call_item("get_weather", '{"city": "Oslo", "unit": null, "days": 2}', call_id="k2", id="fc_2")],
                     id="resp_1"),
        response_obj([message_item("It is warm")], id="resp_2"),
    ]
    client, rec = make_client(scripted(replies))
    steps: list[ToolRunnerStep] = []
    runner = responses(client).run_tools(model="m", input="weather", tools=[get_weather], on_step=steps.append,
                                         instructions="be brief")
    assert runner.final_output_text() == "It is warm"
    second = rec.json(1)
    assert second["previous_response_id"] == "resp_1" and second["instructions"] == "be brief"
    assert [(i["call_id"], json.loads(i["output"])["unit"]) for i in second["input"]] == [("k1", "f"), ("k2", "c")]
    assert second["tools"][0]["type"] == "function" and second["tools"][0]["name"] == "get_weather"
    assert len(steps) == 2

    failed = response_obj([], status="failed", error={"code": "server_error", "message": "down"})
    client, _ = make_client(scripted([failed]))
    with pytest.raises(ResponseFailedError, match="down"):
        responses(client).run_tools(model="m", input="x", tools=[get_weather]).until_done()


def test_responses_runner_with_a_conversation_does_not_chain_ids() -> None:
    replies = [response_obj([call_item("get_weather", '{"city": "Rome", "unit": null, "days": null}')]),
               response_obj([message_item("ok")])]
    client, rec = make_client(scripted(replies))
    responses(client).run_tools(model="m", input="x", tools=[get_weather], conversation="conv_1").until_done()
    assert "previous_response_id" not in rec.json(1) and rec.json(1)["conversation"] == "conv_1"


class Filter(pydantic.BaseModel):
    field: str
    value: int


def test_literal_and_model_parameters_are_converted() -> None:
    seen: list[Any] = []

    def search(mode: Literal["fast", "slow"], filters: list[Filter]) -> str:
        seen.append((mode, filters))
        return "found"

    tool = FunctionTool(search)
    assert tool.strict
    tool.invoke(tool.parse_arguments('{"mode": "fast", "filters": [{"field": "a", "value": 1}]}'))
    assert seen == [("fast", [Filter(field="a", value=1)])]
