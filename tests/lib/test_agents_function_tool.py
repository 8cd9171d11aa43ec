"""Typed agent tools (`pyopenai.lib.beta.agents.function_tool` / `pydantic_function_tool` /
`FunctionTool`): the definition they give the agent, argument validation before the function runs,
what their results send, and their use as `tool_handlers` of a session stream (sync and async)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel, Field, RootModel, ValidationError

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.lib.beta.agents import AgentToolError, FunctionTool, function_tool, pydantic_function_tool
from pyopenai.testing import LocalServer


class Item(BaseModel):
    sku: str


class Reservation(BaseModel):
    """Reserve some items."""

    item: Item
    quantity: int = Field(gt=0)


def sent_results(server: LocalServer, session_id: str) -> list[dict[str, Any]]:
    path = f"/v1/agents/sessions/{session_id}/events"
    return [
        event
        for req in server.find_requests("POST", path)
        for event in json.loads(req.body)["events"]
        if event["type"] == "agent.session.input.tool_result"
    ]


def test_a_function_becomes_a_definition_and_a_validating_handler() -> None:
    reserved: list[tuple[Item, int, str]] = []

    @function_tool
    def reserve(item: Item, quantity: int, *, shop: str = "main") -> dict[str, object]:
        """Reserve an item."""
        reserved.append((item, quantity, shop))
        return {"receipt": "r-1", "shop": shop}

    assert isinstance(reserve, FunctionTool) and reserve.name == "reserve"
    definition = reserve.definition
    assert definition["type"] == "function" and definition["description"] == "Reserve an item."
    parameters: Any = definition["parameters"]
    assert set(parameters["properties"]) == {"item", "quantity", "shop"}
    assert parameters["required"] == ["item", "quantity"]
    assert "defer_loading" not in definition
    definition["name"] = "changed"  # a copy
    assert reserve.name == "reserve"

    assert json.loads(str(reserve({"item": {"sku": "a1"}, "quantity": 2}))) == {"receipt": "r-1", "shop": "main"}
    assert reserved == [(Item(sku="a1"), 2, "main")]  # the nested model arrives as a model
    for bad in ({}, {"item": {}, "quantity": 1}, {"item": {"sku": "a"}, "quantity": 1, "extra": True}):
        with pytest.raises(ValidationError):
            reserve(bad)
    assert len(reserved) == 1


def test_decorator_options_and_outputs() -> None:
    @function_tool(name="lookup", description="Find it.", defer_loading=True)
    def find(query: str) -> list[dict[str, str]]:
        return [{"type": "input_text", "text": f"found {query}"}]

    assert find.name == "lookup" and find.definition["description"] == "Find it."
    assert find.definition["defer_loading"] is True
    assert find({"query": "x"}) == [{"type": "input_text", "text": "found x"}]  # content parts pass as they are

    tool = pydantic_function_tool(Reservation, handler=lambda r: r)
    assert tool.name == "Reservation" and tool.definition["description"] == "Reserve some items."
    assert tool({"item": {"sku": "b"}, "quantity": 1}) == '{"item":{"sku":"b"},"quantity":1}'  # a model, as JSON


def test_signatures_it_cannot_describe_are_refused() -> None:
    def variadic(*names: str) -> str:
        return ""

    def positional(name: str, /) -> str:
        return name

    def untyped(name):  # type: ignore[no-untyped-def]
        return name

    for function in (variadic, positional, untyped):
        with pytest.raises(TypeError):
            function_tool(function)  # pyright: ignore[reportUnknownArgumentType]
    with pytest.raises(ValueError, match="name"):
        pydantic_function_tool(Item, handler=lambda _: None, name="")
    with pytest.raises(TypeError, match="object JSON schema"):  # arguments are always an object
        pydantic_function_tool(RootModel[list[str]], handler=lambda _: None)


def test_a_tool_runs_in_a_created_session_and_invalid_arguments_never_reach_it(
    client: OpenAI, local_server: LocalServer
) -> None:
    calls: list[int] = []

    @function_tool
    def add(a: int, b: int) -> int:
        calls.append(a + b)
        return a + b

    local_server.script.agents.tool_call("add", {"a": 2, "b": 3}, call_id="good")
    local_server.script.agents.tool_call("add", {"a": "two"}, call_id="bad")
    local_server.script.agents.text("5")
    with client.beta.agents.sessions.create(
        agent={"model": "gpt-5", "tools": [add.definition]},
        environment={"type": "none"},
        input="2+3?",
        stream=True,
        tool_handlers={add.name: add},
    ) as stream:
        result = stream.get_final_result()
    assert calls == [5] and result.output_text == "5"
    good, bad = sent_results(local_server, result.session_id)
    assert (good["call_id"], good["success"], good["output"]) == ("good", True, "5")
    assert (bad["call_id"], bad["success"]) == ("bad", False)


def test_the_error_observer_hears_the_arguments_stage(client: OpenAI, local_server: LocalServer) -> None:
    session_id = client.beta.agents.sessions.create(environment={"type": "none"}).id
    tool = pydantic_function_tool(Reservation, name="reserve", handler=lambda r: "ok")
    local_server.script.agents.tool_call("reserve", {"item": {"sku": "a"}, "quantity": 0})
    local_server.script.agents.text("sorry")
    failures: list[AgentToolError] = []
    with client.beta.agents.sessions.stream(
        session_id, input="reserve", tool_handlers={tool.name: tool}, on_tool_error=failures.append
    ) as stream:
        stream.until_done()
    assert [(f.tool_name, f.stage, type(f.error).__name__) for f in failures] == [
        ("reserve", "arguments", "ValidationError")
    ]


async def test_async_tools_are_awaited(async_client: AsyncOpenAI, local_server: LocalServer) -> None:
    seen: list[Reservation] = []

    async def handle(reservation: Reservation) -> dict[str, int]:
        seen.append(reservation)
        return {"left": 10 - reservation.quantity}

    tool = pydantic_function_tool(Reservation, name="reserve", handler=handle)

    @function_tool
    async def ping(host: str) -> str:
        return f"pong from {host}"

    local_server.script.agents.tool_call("reserve", {"item": {"sku": "a"}, "quantity": 3}, call_id="c1")
    local_server.script.agents.tool_call("ping", {"host": "db"}, call_id="c2")
    local_server.script.agents.text("done")
    stream = await async_client.beta.agents.sessions.create(
        environment={"type": "none"}, input="go", stream=True, tool_handlers={tool.name: tool, ping.name: ping}
    )
    async with stream:
        result = await stream.get_final_result()
    assert seen == [Reservation(item=Item(sku="a"), quantity=3)]
    outputs = {r["call_id"]: r["output"] for r in sent_results(local_server, result.session_id)}
    assert outputs == {"c1": '{"left":7}', "c2": "pong from db"}


def test_an_async_tool_fails_on_the_sync_client_without_running(client: OpenAI, local_server: LocalServer) -> None:
    ran: list[str] = []

    @function_tool
    async def ping(host: str) -> str:
        ran.append(host)
        return "pong"

    local_server.script.agents.tool_call("ping", {"host": "db"})
    local_server.script.agents.text("no tool")
    handlers: Any = {ping.name: ping}  # a type error too: the sync client's handlers return their output
    with client.beta.agents.sessions.create(
        environment={"type": "none"}, input="go", stream=True, tool_handlers=handlers
    ) as stream:
        result = stream.get_final_result()
    assert ran == []
    assert [r["success"] for r in sent_results(local_server, result.session_id)] == [False]
