"""Scripted replies, strict mode and the request assertions, driven through pyopenai's clients."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, cast

import pytest

import pyopenai
from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.testing import LocalServer, Reply, ToolCall, Usage

USER: Any = [{"role": "user", "content": "What is the weather in Paris?"}]
WEATHER_TOOL: Any = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
            "required": ["city", "unit"],
        },
    },
}


def chat(client: OpenAI, **extra: Any) -> Any:
    return client.chat.completions.create(model="gpt-4o", messages=USER, **extra)


# -- any model id ---------------------------------------------------------------------------------


def test_any_model_id_is_served_by_the_endpoint_kind(openai_client: OpenAI) -> None:
    completion = openai_client.chat.completions.create(model="gpt-4o-2024-08-06", messages=USER)
    assert completion.model == "gpt-4o-2024-08-06" and completion.choices[0].message.content
    assert openai_client.responses.create(model="gpt-5.5", input="hi").output_text == 'You said: "hi".'
    vectors = openai_client.embeddings.create(model="my-embedder", input="x").data[0].embedding
    assert len(vectors) == 1536  # an unlisted embedding model answers like text-embedding-3-small


@pytest.mark.openai_server(strict_models=True)
def test_strict_models_restores_404(openai_client: OpenAI) -> None:
    with pytest.raises(pyopenai.NotFoundError) as info:
        openai_client.chat.completions.create(model="gpt-5.5", messages=USER)
    assert info.value.code == "model_not_found"
    assert chat(openai_client).choices[0].message.content  # listed models still work


# -- chat -----------------------------------------------------------------------------------------


def test_chat_replies_in_order_then_the_default(openai_client: OpenAI, openai_server: LocalServer) -> None:
    openai_server.script.chat.text("Sunny, 21 °C.", usage=Usage(input_tokens=12, output_tokens=5))
    openai_server.script.chat.refusal("I can't help with that.")
    first = chat(openai_client)
    assert first.choices[0].message.content == "Sunny, 21 °C."
    assert first.usage is not None and (first.usage.prompt_tokens, first.usage.completion_tokens) == (12, 5)
    second = chat(openai_client).choices[0].message
    assert second.content is None and second.refusal == "I can't help with that."
    assert chat(openai_client).choices[0].message.content == 'You said: "What is the weather in Paris?".'


def test_chat_tool_call_with_given_and_generated_arguments(openai_client: OpenAI, openai_server: LocalServer) -> None:
    openai_server.script.chat.tool_call("get_weather", {"city": "Lyon", "unit": "celsius"}, call_id="call_1")
    openai_server.script.chat.tool_call("get_weather")  # arguments from the tool's schema
    given = chat(openai_client, tools=[WEATHER_TOOL]).choices[0]
    assert given.finish_reason == "tool_calls"
    call = given.message.tool_calls[0]  # pyright: ignore[reportOptionalSubscript]
    assert call.id == "call_1" and json.loads(call.function.arguments) == {"city": "Lyon", "unit": "celsius"}  # pyright: ignore[reportAttributeAccessIssue,reportUnknownMemberType,reportUnknownArgumentType]
    generated = chat(openai_client, tools=[WEATHER_TOOL]).choices[0].message.tool_calls[0]  # pyright: ignore[reportOptionalSubscript]
    arguments = json.loads(generated.function.arguments)  # pyright: ignore[reportAttributeAccessIssue,reportUnknownMemberType,reportUnknownArgumentType]
    assert set(arguments) == {"city", "unit"} and arguments["unit"] in ("celsius", "fahrenheit")


def test_chat_parallel_tool_calls_stream_with_their_indexes(openai_client: OpenAI, openai_server: LocalServer) -> None:
    openai_server.script.chat.tool_calls(ToolCall("get_weather", {"city": "Oslo"}), ToolCall("get_time", '{"tz": "CET"}'))
    chunks = list(chat(openai_client, tools=[WEATHER_TOOL], stream=True))
    calls: dict[int, str] = {}
    for chunk in chunks:
        for delta in chunk.choices[0].delta.tool_calls or []:
            calls[delta.index] = calls.get(delta.index, "") + (delta.function.arguments or "")  # pyright: ignore[reportOptionalMemberAccess]
    assert calls == {0: '{"city": "Oslo"}', 1: '{"tz": "CET"}'}
    assert chunks[-1].choices[0].finish_reason == "tool_calls"


def test_chat_stream_of_given_deltas_and_structured_output(openai_client: OpenAI, openai_server: LocalServer) -> None:
    openai_server.script.chat.stream(["Bon", "jour", "!"])
    openai_server.script.chat.structured({"city": "Paris", "temperature": 21})
    stream = chat(openai_client, stream=True)
    assert [c.choices[0].delta.content for c in stream if c.choices and c.choices[0].delta.content] == ["Bon", "jour", "!"]
    parsed = json.loads(chat(openai_client).choices[0].message.content or "")
    assert parsed == {"city": "Paris", "temperature": 21}


def test_scripted_error_reaches_the_client_typed(openai_client: OpenAI, openai_server: LocalServer) -> None:
    openai_server.script.chat.error(400, "Bad messages.", code="invalid_value", param="messages")
    with pytest.raises(pyopenai.BadRequestError) as info:
        chat(openai_client)
    assert info.value.code == "invalid_value" and "Bad messages." in str(info.value)
    assert len(openai_server.requests) == 1


def test_callback_computes_replies_after_the_queue(openai_client: OpenAI, openai_server: LocalServer) -> None:
    def shout(request: pyopenai.testing.Request) -> Reply | None:
        text = request.json()["messages"][-1]["content"]
        return Reply(text=text.upper()) if text.startswith("say") else None

    openai_server.script.chat.text("queued first")
    openai_server.script.chat.respond(shout)
    assert chat(openai_client).choices[0].message.content == "queued first"
    said = openai_client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "say hi"}])
    assert said.choices[0].message.content == "SAY HI"
    assert chat(openai_client).choices[0].message.content.startswith("You said")  # pyright: ignore[reportOptionalMemberAccess]


def test_a_failing_callback_is_a_clear_server_error(openai_client: OpenAI, openai_server: LocalServer) -> None:
    openai_server.script.chat.respond(lambda request: 1 / 0)  # pyright: ignore[reportArgumentType]
    with pytest.raises(pyopenai.InternalServerError) as info:
        chat(openai_client)
    assert "ZeroDivisionError" in str(info.value)
    assert len(openai_server.requests) == 1  # not retried
    with pytest.raises(AssertionError, match="responder raised ZeroDivisionError"):
        openai_server.verify()
    openai_server.reset()
    openai_server.verify()


def test_reply_validation() -> None:
    with pytest.raises(ValueError, match="deltas must join"):
        Reply(text="abc", deltas=["x"])
    with pytest.raises(TypeError, match="Reply values"):
        LocalServer().script.chat.push("text")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


# -- responses, embeddings, realtime, async -------------------------------------------------------


async def test_responses_async_text_tool_call_refusal_stream(
    async_openai_client: AsyncOpenAI, openai_server: LocalServer
) -> None:
    script = openai_server.script.responses
    script.text("Hello!", usage=Usage(input_tokens=3, output_tokens=1))
    script.tool_call("get_weather", {"city": "Rome"})
    script.refusal("No.")
    script.stream(["One", ", two"])
    first = await async_openai_client.responses.create(model="gpt-4o", input="hi")
    assert first.output_text == "Hello!" and first.usage is not None and first.usage.total_tokens == 4
    tools: Any = [{"type": "function", "name": "get_weather", "parameters": {"type": "object", "properties": {}}}]
    call = (await async_openai_client.responses.create(model="gpt-4o", input="hi", tools=tools)).output[0]
    assert call.type == "function_call" and json.loads(call.arguments) == {"city": "Rome"}
    refusal = (await async_openai_client.responses.create(model="gpt-4o", input="hi")).output[0]
    assert refusal.type == "message" and refusal.content[0].type == "refusal"
    stream = await async_openai_client.responses.create(model="gpt-4o", input="hi", stream=True)
    deltas = [e.delta async for e in stream if e.type == "response.output_text.delta"]
    assert deltas == ["One", ", two"]


def test_embeddings_vectors_and_mismatch(openai_client: OpenAI, openai_server: LocalServer) -> None:
    openai_server.script.embeddings.vectors([[1.0, 0.0], [0.0, 1.0]])
    openai_server.script.embeddings.vectors([[1.0, 0.0]])
    result = openai_client.embeddings.create(model="text-embedding-3-small", input=["a", "b"])
    assert [d.embedding for d in result.data] == [[1.0, 0.0], [0.0, 1.0]]
    with pytest.raises(pyopenai.InternalServerError, match="1 vector\\(s\\) for 2 input"):
        openai_client.embeddings.create(model="text-embedding-3-small", input=["a", "b"])


def test_realtime_scripted_text_and_tool_call(openai_client: OpenAI, openai_server: LocalServer) -> None:
    pytest.importorskip("wsproto", reason="WebSocket support needs wsproto (pyopenai[realtime])")
    openai_server.script.realtime.stream(["Hi ", "there"])
    openai_server.script.realtime.tool_call("lookup", {"q": "x"})
    with openai_client.realtime.connect(model="gpt-realtime") as connection:
        connection.recv()  # session.created
        connection.response.create()
        text = ""
        for event in connection:
            if event.type == "response.output_text.delta":
                text += event.delta
            if event.type == "response.done":
                break
        connection.response.create()
        for event in connection:
            if event.type == "response.function_call_arguments.done":
                assert (event.name, json.loads(event.arguments)) == ("lookup", {"q": "x"})
            if event.type == "response.done":
                break
    assert text == "Hi there"


# -- strict mode and assertions -------------------------------------------------------------------


def test_strict_mode_names_the_unscripted_call_and_unused_replies() -> None:
    with LocalServer(strict=True) as server:
        client = OpenAI(base_url=server.url, api_key="sk-test")
        with pytest.raises(pyopenai.BadRequestError) as info:
            chat(client)
        assert info.value.code == "unscripted_call" and "server.script.chat" in str(info.value)
        assert len(server.requests) == 1  # the client did not retry
        server.script.responses.text("never asked for")
        with pytest.raises(AssertionError) as failure:
            server.verify()
    message = str(failure.value)
    assert "no scripted reply for chat" in message and "responses reply never used: text 'never asked for'" in message


def test_assert_requested_matches_body_headers_files(openai_client: OpenAI, openai_server: LocalServer) -> None:
    chat(openai_client, temperature=0.5)
    openai_client.files.create(file=("notes.txt", b"hello"), purpose="user_data")
    found = openai_server.assert_requested("POST", "/chat/completions", json={"temperature": 0.5, "model": "gpt-4o"})
    assert found.json()["messages"] == USER
    openai_server.assert_requested(headers={"Content-Type": "application/json"}, path="/chat/completions", times=1)
    openai_server.assert_requested("POST", "/v1/files", files={"file": "notes.txt"})
    openai_server.assert_requested("POST", "/v1/files", files={"file": b"hello"})
    assert openai_server.last_request(path="/files").form == {"purpose": "user_data"}
    with pytest.raises(AssertionError) as info:
        openai_server.assert_requested("POST", "/chat/completions", json={"messages": [{"role": "user", "content": "hi"}]})
    assert "closest: POST /v1/chat/completions: json messages" in str(info.value)
    assert "received:\n  1. POST /v1/chat/completions\n  2. POST /v1/files" in str(info.value)
    with pytest.raises(AssertionError, match="1 time\\(s\\), it was sent 2"):
        chat(openai_client)
        openai_server.assert_requested("POST", "/chat/completions", times=1)
    with pytest.raises(AssertionError, match="header authorization: expected 'Bearer x', got 'REDACTED'"):
        openai_server.assert_requested(headers={"authorization": "Bearer x"})


def test_strict_fixture_fails_the_test_at_teardown(tmp_path: Path) -> None:
    (tmp_path / "test_user.py").write_text(
        textwrap.dedent(
            """
            import pytest

            @pytest.mark.openai_server(strict=True)
            def test_forgets_a_reply(openai_server, openai_client):
                openai_server.script.chat.text("unused")

            @pytest.mark.openai_server(strict=True)
            def test_uses_it(openai_server, openai_client):
                openai_server.script.chat.text("used")
                reply = openai_client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "x"}])
                assert reply.choices[0].message.content == "used"
            """
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_user.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "1 failed, 1 passed" in result.stdout, result.stdout + result.stderr
    assert "scripted chat reply never used: text 'unused'" in result.stdout


# -- realistic tool-call arguments ----------------------------------------------------------------

TRIP_TOOL: Any = {
    "type": "function",
    "function": {
        "name": "book_trip",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string"},
                "departureCity": {"type": "string"},
                "country": {"type": "string"},
                "email": {"type": "string"},
                "guests": {"type": "integer"},
                "latitude": {"type": "number"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                "cities": {"type": "array", "items": {"type": "string"}},
            },
            "required": ["city", "departureCity", "country", "email", "guests", "latitude", "unit", "cities"],
        },
    },
}
CITIES = {"Paris", "Tokyo", "New York", "London", "Berlin", "San Francisco", "Madrid", "Toronto", "Sydney", "Rome"}


def trip_arguments(seed: int) -> dict[str, Any]:
    with LocalServer(seed=seed) as server:
        client = OpenAI(base_url=server.url, api_key="sk-test")
        calls = chat(client, tools=[TRIP_TOOL]).choices[0].message.tool_calls
        return json.loads(calls[0].function.arguments)  # pyright: ignore[reportOptionalSubscript,reportAttributeAccessIssue,reportUnknownMemberType,reportUnknownArgumentType]


def test_generated_arguments_are_plausible_and_deterministic_per_seed() -> None:
    first = trip_arguments(seed=0)
    assert first["city"] in CITIES and first["departureCity"] in CITIES and set(first["cities"]) <= CITIES
    assert "@" in first["email"] and first["country"][0].isupper()
    assert 1 <= first["guests"] <= 6 and -90 <= first["latitude"] <= 90 and first["unit"] in ("celsius", "fahrenheit")
    assert trip_arguments(seed=0) == first
    others = [trip_arguments(seed=s) for s in (1, 2, 3)]
    assert any(other != first for other in others)  # another seed, other (still plausible) values
    assert all(other["city"] in CITIES for other in others)


def test_responses_over_websocket_take_the_responses_script(openai_client: OpenAI, openai_server: LocalServer) -> None:
    pytest.importorskip("wsproto", reason="WebSocket support needs wsproto (pyopenai[realtime])")
    from pyopenai.lib.realtime.mixins import ResponsesConnectMixin

    openai_server.script.responses.stream(["over ", "the socket"])
    with cast(Any, ResponsesConnectMixin).connect(openai_client.responses) as connection:
        connection.response.create(model="gpt-4o", input="hi")
        deltas: list[str] = []
        for event in connection:
            if event.type == "response.output_text.delta":
                deltas.append(event.delta)
            if event.type == "response.completed":
                break
    assert deltas == ["over ", "the socket"]
