"""`client.beta.agents.sessions.create(stream=True)` against the local server: the new session's
events as a typed stream, local tool handlers, the first turn's result and `output_type` (sync and async)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.lib.beta.agents import AgentSessionEventStream, AgentTurnResultError, AsyncAgentSessionEventStream
from pyopenai.testing import LocalServer
from pyopenai.types.beta.agent_session import AgentSession


class Forecast(BaseModel):
    city: str
    sky: str


AGENT: Any = {"model": "gpt-5"}
ENVIRONMENT: Any = {"type": "none"}


def creation_body(server: LocalServer) -> dict[str, Any]:
    return json.loads(server.last_request("POST", "/v1/agents/sessions").body)


def tool_results(server: LocalServer, session_id: str) -> list[dict[str, Any]]:
    """The session inputs the client posted to this session."""
    return [
        event
        for req in server.find_requests("POST", f"/v1/agents/sessions/{session_id}/events")
        for event in json.loads(req.body)["events"]
    ]


def test_stream_yields_the_new_sessions_typed_events(client: OpenAI, local_server: LocalServer) -> None:
    local_server.script.agents.text("Sunny in Paris.")
    stream = client.beta.agents.sessions.create(agent=AGENT, environment=ENVIRONMENT, input="Paris?", stream=True)
    assert isinstance(stream, AgentSessionEventStream)
    text = ""
    types: list[str] = []
    with stream:
        for event in stream:
            types.append(event.type)
            if event.type == "agent.session.turn.output_text.delta":
                text += event.delta  # narrowed: only this member has `delta`
    assert text == "Sunny in Paris."
    assert types[0] == "agent.session.created" and types[-1] == "agent.session.idle"
    assert creation_body(local_server)["stream"] is True


def test_without_stream_the_answer_is_the_session(client: OpenAI, local_server: LocalServer) -> None:
    session = client.beta.agents.sessions.create(environment=ENVIRONMENT, output_type=Forecast)
    assert isinstance(session, AgentSession)
    # output_type alone still asks the agent for answers in its schema
    assert creation_body(local_server)["agent"]["text"]["format"]["type"] == "json_schema"


def test_tool_handlers_run_and_the_result_parses_as_output_type(client: OpenAI, local_server: LocalServer) -> None:
    local_server.script.agents.tool_call("get_weather", {"city": "Oslo"}, call_id="call_1")
    local_server.script.agents.structured({"city": "Oslo", "sky": "snow"})
    seen: list[dict[str, Any]] = []

    def get_weather(arguments: dict[str, Any]) -> dict[str, Any]:
        seen.append(arguments)
        return {"sky": "snow"}

    with client.beta.agents.sessions.create(
        agent=AGENT,
        environment=ENVIRONMENT,
        input="Oslo?",
        stream=True,
        output_type=Forecast,
        tool_handlers={"get_weather": get_weather},
    ) as stream:
        result = stream.get_final_result()

    assert seen == [{"city": "Oslo"}]
    assert result.output_parsed == Forecast(city="Oslo", sky="snow")
    assert result.turn.status == "completed" and result.session_id.startswith("sess_")
    body = creation_body(local_server)
    assert "tool_handlers" not in body and "output_type" not in body
    schema = body["agent"]["text"]["format"]
    assert schema["type"] == "json_schema" and schema["schema"]["required"] == ["city", "sky"]
    assert body["agent"]["model"] == "gpt-5"
    [sent] = tool_results(local_server, result.session_id)
    assert sent["call_id"] == "call_1" and sent["success"] is True and sent["output"] == '{"sky":"snow"}'


def test_an_unhandled_tool_call_is_a_requires_action_error(client: OpenAI, local_server: LocalServer) -> None:
    local_server.script.agents.tool_call("deploy", {"env": "prod"})
    with client.beta.agents.sessions.create(environment=ENVIRONMENT, input="deploy", stream=True) as stream:
        with pytest.raises(AgentTurnResultError) as caught:
            stream.get_final_result()
    assert caught.value.reason == "requires_action"
    assert [a.name for a in caught.value.required_actions if a.type == "function_call"] == ["deploy"]
    assert caught.value.session_id is not None
    assert tool_results(local_server, caught.value.session_id) == []


def test_collection_must_start_before_reading(client: OpenAI, local_server: LocalServer) -> None:
    with client.beta.agents.sessions.create(environment=ENVIRONMENT, input="hi", stream=True) as stream:
        next(iter(stream))
        with pytest.raises(RuntimeError, match="with_result_collection"):
            stream.get_final_result()


def test_collecting_while_iterating_gives_the_same_result(client: OpenAI, local_server: LocalServer) -> None:
    local_server.script.agents.text("done")
    with client.beta.agents.sessions.create(
        environment=ENVIRONMENT, input="hi", stream=True
    ).with_result_collection() as stream:
        count = sum(1 for _ in stream)
        result = stream.get_final_result()
    assert count > 3 and result.output_text == "done"
    assert stream.get_final_result() is result


def test_bad_local_arguments_are_refused_before_sending(client: OpenAI, local_server: LocalServer) -> None:
    before = len(local_server.requests)
    with pytest.raises(ValueError, match="stream=True"):
        client.beta.agents.sessions.create(environment=ENVIRONMENT, tool_handlers={"f": lambda _: None})
    with pytest.raises(TypeError, match="Pydantic"):
        client.beta.agents.sessions.create(environment=ENVIRONMENT, stream=True, output_type=dict)
    with pytest.raises(ValueError, match="not both"):
        client.beta.agents.sessions.create(
            environment=ENVIRONMENT,
            stream=True,
            output_type=Forecast,
            agent={"text": {"format": {"type": "text"}}},
        )
    assert len(local_server.requests) == before


def test_raw_response_parses_to_the_same_stream(client: OpenAI, local_server: LocalServer) -> None:
    local_server.script.agents.tool_call("f", {})
    local_server.script.agents.text("done")
    raw = client.beta.agents.sessions.with_raw_response.create(
        environment=ENVIRONMENT, input="go", stream=True, tool_handlers={"f": lambda _: "ok"}
    )
    assert raw.headers["content-type"].startswith("text/event-stream")
    with raw.parse() as stream:
        result = stream.get_final_result()
    assert result.output_text == "done"
    assert [r["success"] for r in tool_results(local_server, result.session_id)] == [True]


async def test_async_stream_awaits_coroutine_handlers(async_client: AsyncOpenAI, local_server: LocalServer) -> None:
    local_server.script.agents.tool_call("lookup", {"q": "tides"})
    local_server.script.agents.structured({"city": "Brest", "sky": "rain"})
    seen: list[dict[str, Any]] = []

    async def lookup(arguments: dict[str, Any]) -> str:
        seen.append(arguments)
        return "high tide at noon"

    stream = await async_client.beta.agents.sessions.create(
        environment=ENVIRONMENT, input="Brest?", stream=True, output_type=Forecast, tool_handlers={"lookup": lookup}
    )
    assert isinstance(stream, AsyncAgentSessionEventStream)
    types: list[str] = []
    async with stream.with_result_collection():
        async for event in stream:
            types.append(event.type)
        result = await stream.get_final_result()
    assert seen == [{"q": "tides"}]
    assert result.output_parsed == Forecast(city="Brest", sky="rain")
    assert types[0] == "agent.session.created" and "agent.session.requires_action" in types
    assert [r["output"] for r in tool_results(local_server, result.session_id)] == ["high tide at noon"]


async def test_async_refuses_tool_handlers_without_stream(async_client: AsyncOpenAI, local_server: LocalServer) -> None:
    before = len(local_server.requests)
    with pytest.raises(ValueError, match="stream=True"):
        await async_client.beta.agents.sessions.create(environment=ENVIRONMENT, tool_handlers={"f": lambda _: None})
    assert len(local_server.requests) == before


async def test_async_failed_turn_is_a_result_error(async_client: AsyncOpenAI, local_server: LocalServer) -> None:
    local_server.script.agents.error(500, "model crashed")
    stream = await async_client.beta.agents.sessions.create(environment=ENVIRONMENT, input="hi", stream=True)
    async with stream:
        with pytest.raises(AgentTurnResultError) as caught:
            await stream.get_final_result()
    assert caught.value.reason == "failed"


def test_a_session_message_reads_its_output_text() -> None:
    from pyopenai.types.beta import AgentSessionMessage

    message = AgentSessionMessage.model_validate(
        {
            "type": "message",
            "role": "assistant",
            "status": "completed",
            "turn_id": "turn_1",
            "content": [
                {"type": "output_text", "text": "Hello "},
                {"type": "input_text", "text": "not output"},
                {"type": "output_text", "text": "world"},
            ],
        }
    )
    assert message.output_text == "Hello world"
    assert "output_text" not in message.to_dict()
    message.content.clear()
    assert message.output_text == ""


def test_a_loop_may_stop_and_the_result_read_on(client: OpenAI, local_server: LocalServer) -> None:
    local_server.script.agents.text("the answer")
    with client.beta.agents.sessions.create(
        environment=ENVIRONMENT, input="hi", stream=True
    ).with_result_collection() as stream:
        for event in stream:
            if event.type == "agent.session.turn.created":
                break  # stopping the loop leaves the stream open
        assert not stream.response.is_closed
        result = stream.get_final_result()
    assert result.output_text == "the answer"
    assert stream.response.is_closed


def test_a_reply_utf8_cannot_carry_is_a_failed_tool_result(client: OpenAI, local_server: LocalServer) -> None:
    local_server.script.agents.tool_call("echo", {})
    local_server.script.agents.text("done")
    with client.beta.agents.sessions.create(
        environment=ENVIRONMENT, input="hi", stream=True, tool_handlers={"echo": lambda _: "\ud800"}
    ) as stream:
        result = stream.get_final_result()
    [sent] = tool_results(local_server, result.session_id)
    assert sent["success"] is False and "output" not in sent
