"""Fidelity: the official ``openai`` package parses every answer of the server (streams included)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam
from openai.types.responses import FunctionToolParam
from pydantic import BaseModel

from pyopenai.testing import LocalServer

MESSAGES: list[ChatCompletionMessageParam] = [{"role": "user", "content": "hello"}]


@pytest.fixture
def sdk(openai_server: LocalServer) -> Iterator[openai.OpenAI]:
    client = openai.OpenAI(base_url=openai_server.url, api_key="sk-test", max_retries=0, timeout=10)
    yield client
    client.close()


class Event(BaseModel):
    name: str
    day: int
    attendees: list[str]


def test_models(sdk: openai.OpenAI) -> None:
    assert "gpt-4o" in {m.id for m in sdk.models.list()}
    assert sdk.models.retrieve("gpt-5").owned_by == "system"
    with pytest.raises(openai.NotFoundError) as info:
        sdk.models.retrieve("gpt-0")
    assert info.value.code == "model_not_found"


def test_chat(sdk: openai.OpenAI) -> None:
    raw = sdk.chat.completions.with_raw_response.create(model="gpt-4o", messages=MESSAGES)
    assert raw.headers["x-request-id"].startswith("req_")
    completion = raw.parse()
    assert completion.choices[0].message.content == 'You said: "hello".'
    assert completion.usage is not None and completion.usage.total_tokens > 0
    chunks = list(
        sdk.chat.completions.create(
            model="gpt-4o", messages=MESSAGES, stream=True, stream_options={"include_usage": True}
        )
    )
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == 'You said: "hello".'
    assert chunks[-1].usage is not None and chunks[-1].choices == []


def test_chat_parse_and_stream_helpers(sdk: openai.OpenAI) -> None:
    parsed = sdk.chat.completions.parse(model="gpt-4o", messages=MESSAGES, response_format=Event)
    event = parsed.choices[0].message.parsed
    assert isinstance(event, Event) and len(event.attendees) >= 1
    with sdk.chat.completions.stream(
        model="gpt-4o", messages=MESSAGES, tools=[openai.pydantic_function_tool(Event)]
    ) as stream:
        for _ in stream:
            pass
        final = stream.get_final_completion()
    tool_calls = final.choices[0].message.tool_calls
    assert tool_calls is not None
    call = tool_calls[0]
    assert isinstance(call.function.parsed_arguments, Event)


def test_responses(sdk: openai.OpenAI) -> None:
    first = sdk.responses.create(model="gpt-4o", input="My name is Ada.")
    second = sdk.responses.create(model="gpt-4o", input="Who am I?", previous_response_id=first.id)
    assert "Ada" in second.output_text
    with sdk.responses.stream(model="gpt-4o", input="stream") as stream:
        types = [event.type for event in stream]
        final = stream.get_final_response()
    assert types[0] == "response.created" and types[-1] == "response.completed"
    assert final.output_text == 'You said: "stream".'
    parsed = sdk.responses.parse(model="gpt-4o", input="x", text_format=Event)
    assert isinstance(parsed.output_parsed, Event)
    tool: FunctionToolParam = {
        "type": "function",
        "name": "f",
        "parameters": {"type": "object", "properties": {"x": {"type": "integer"}}, "required": ["x"]},
        "strict": False,
    }
    call = sdk.responses.create(model="gpt-4o", input="x", tools=[tool])
    assert call.output[0].type == "function_call" and json.loads(call.output[0].arguments)["x"] >= 0
    assert [i.type for i in sdk.responses.input_items.list(second.id)] == ["message"]
    sdk.responses.delete(first.id)
    with pytest.raises(openai.NotFoundError):
        sdk.responses.retrieve(first.id)


def test_embeddings_default_base64(sdk: openai.OpenAI) -> None:
    default = sdk.embeddings.create(model="text-embedding-3-small", input=["a", "b"])  # the SDK asks for base64
    as_float = sdk.embeddings.create(model="text-embedding-3-small", input=["a", "b"], encoding_format="float")
    assert len(default.data[0].embedding) == 1536
    assert all(abs(x - y) < 1e-6 for x, y in zip(default.data[1].embedding, as_float.data[1].embedding))


def test_moderations(sdk: openai.OpenAI) -> None:
    result = sdk.moderations.create(input="I hate you").results[0]
    assert result.flagged and result.categories.hate


def test_files_uploads_batches(sdk: openai.OpenAI) -> None:
    for i in range(3):
        sdk.files.create(file=(f"f{i}.txt", b"data"), purpose="user_data")
    assert len(list(sdk.files.list(limit=1))) == 3  # auto-pagination over has_more/after
    line = {
        "custom_id": "a",
        "method": "POST",
        "url": "/v1/chat/completions",
        "body": {"model": "gpt-4o", "messages": MESSAGES},
    }
    upload = sdk.uploads.create(
        bytes=len(json.dumps(line)), filename="in.jsonl", mime_type="text/jsonl", purpose="batch"
    )
    part = sdk.uploads.parts.create(upload.id, data=json.dumps(line).encode())
    done = sdk.uploads.complete(upload.id, part_ids=[part.id])
    assert done.file is not None
    batch = sdk.batches.create(input_file_id=done.file.id, endpoint="/v1/chat/completions", completion_window="24h")
    for _ in range(3):  # validating -> in_progress -> finalizing -> completed, one step per retrieve
        batch = sdk.batches.retrieve(batch.id)
    assert batch.status == "completed" and batch.output_file_id is not None
    assert batch.request_counts is not None and batch.request_counts.completed == 1
    out = json.loads(sdk.files.content(batch.output_file_id).text)
    assert out["custom_id"] == "a" and out["response"]["status_code"] == 200
    assert [b.id for b in sdk.batches.list()] == [batch.id]


def test_stored_chat_completions(sdk: openai.OpenAI) -> None:
    created = sdk.chat.completions.create(model="gpt-4o", messages=MESSAGES, store=True, metadata={"t": "1"})
    assert sdk.chat.completions.retrieve(created.id).id == created.id
    assert [c.id for c in sdk.chat.completions.list(metadata={"t": "1"})] == [created.id]
    assert [m.content for m in sdk.chat.completions.messages.list(created.id)] == ["hello"]
    assert sdk.chat.completions.update(created.id, metadata={"t": "2"}).metadata == {"t": "2"}
    assert sdk.chat.completions.delete(created.id).deleted


async def test_async_sdk_stream(openai_server: LocalServer) -> None:
    client = openai.AsyncOpenAI(base_url=openai_server.url, api_key="x", max_retries=0, timeout=10)
    try:
        stream = await client.chat.completions.create(model="gpt-4o", messages=MESSAGES, stream=True)
        text = "".join([chunk.choices[0].delta.content or "" async for chunk in stream])
        assert text == 'You said: "hello".'
    finally:
        await client.close()
