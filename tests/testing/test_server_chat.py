"""Models and chat completions over plain HTTP."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest

from pyopenai.testing import LocalServer

USER = [{"role": "user", "content": "What is the capital of France?"}]


def sse_data(text: str) -> list[str]:
    return [line[len("data: ") :] for line in text.split("\n") if line.startswith("data: ")]


def test_models(http: httpx2.Client) -> None:
    data = http.get("/models").json()
    assert data["object"] == "list"
    ids = {m["id"] for m in data["data"]}
    assert {
        "gpt-4o",
        "gpt-4o-mini",
        "gpt-4.1",
        "gpt-5",
        "text-embedding-3-small",
        "text-embedding-3-large",
        "omni-moderation-latest",
    } <= ids
    model = http.get("/models/gpt-4o-mini").json()
    assert model == {"id": "gpt-4o-mini", "object": "model", "created": model["created"], "owned_by": "system"}
    missing = http.get("/models/gpt-0")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "model_not_found"


def test_completion_shape_and_determinism(http: httpx2.Client) -> None:
    body = {"model": "gpt-4o", "messages": USER}
    first = http.post("/chat/completions", json=body).json()
    second = http.post("/chat/completions", json=body).json()
    assert first["id"].startswith("chatcmpl-") and first["id"] != second["id"]
    assert first["object"] == "chat.completion"
    assert isinstance(first["created"], int)
    assert first["model"] == "gpt-4o"
    (choice,) = first["choices"]
    assert choice["finish_reason"] == "stop"
    assert choice["message"]["role"] == "assistant"
    assert choice["message"]["content"] == 'You said: "What is the capital of France?".'
    assert choice["message"]["content"] == second["choices"][0]["message"]["content"]
    usage = first["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"] > 0


def test_conversation_context_and_system(http: httpx2.Client) -> None:
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "My name is Ada."},
        {"role": "assistant", "content": "Hi Ada."},
        {"role": "user", "content": [{"type": "text", "text": "What is my name?"}]},
    ]
    text = http.post("/chat/completions", json={"model": "gpt-4.1", "messages": messages}).json()["choices"][0][
        "message"
    ]["content"]
    assert "What is my name?" in text and "My name is Ada." in text and "Be brief." in text


def test_n_choices(http: httpx2.Client) -> None:
    data = http.post("/chat/completions", json={"model": "gpt-4o", "messages": USER, "n": 3}).json()
    texts = [c["message"]["content"] for c in data["choices"]]
    assert [c["index"] for c in data["choices"]] == [0, 1, 2]
    assert len(set(texts)) == 3


def test_max_tokens_truncates(http: httpx2.Client) -> None:
    data = http.post("/chat/completions", json={"model": "gpt-4o", "messages": USER, "max_completion_tokens": 2}).json()
    assert data["choices"][0]["finish_reason"] == "length"
    assert data["usage"]["completion_tokens"] == 2


def test_stream(http: httpx2.Client) -> None:
    body = {"model": "gpt-4o", "messages": USER, "stream": True, "stream_options": {"include_usage": True}}
    with http.stream("POST", "/chat/completions", json=body) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        assert r.headers["transfer-encoding"] == "chunked"
        events = sse_data(r.read().decode())
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert len({c["id"] for c in chunks}) == 1
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    assert text == 'You said: "What is the capital of France?".'
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"
    usage_chunk = chunks[-1]
    assert usage_chunk["choices"] == [] and usage_chunk["usage"]["completion_tokens"] > 0
    assert all(c["usage"] is None for c in chunks[:-1])


def test_stream_without_usage(http: httpx2.Client) -> None:
    r = http.post("/chat/completions", json={"model": "gpt-4o", "messages": USER, "stream": True})
    chunks = [json.loads(e) for e in sse_data(r.text)[:-1]]
    assert all("usage" not in c for c in chunks)
    assert all(c["choices"] for c in chunks)


WEATHER_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                "days": {"type": "integer", "minimum": 1, "maximum": 7},
            },
            "required": ["city", "unit", "days"],
            "additionalProperties": False,
        },
    },
}


def test_tool_call(http: httpx2.Client) -> None:
    data = http.post("/chat/completions", json={"model": "gpt-4o", "messages": USER, "tools": [WEATHER_TOOL]}).json()
    choice = data["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    assert choice["message"]["content"] is None
    (call,) = choice["message"]["tool_calls"]
    assert call["id"].startswith("call_") and call["type"] == "function"
    assert call["function"]["name"] == "get_weather"
    args = json.loads(call["function"]["arguments"])
    assert isinstance(args["city"], str) and args["unit"] in ("celsius", "fahrenheit") and 1 <= args["days"] <= 7


def test_tool_choice_names_function_and_none(http: httpx2.Client) -> None:
    other = {"type": "function", "function": {"name": "noop"}}
    body = {"model": "gpt-4o", "messages": USER, "tools": [other, WEATHER_TOOL]}
    named = {**body, "tool_choice": {"type": "function", "function": {"name": "get_weather"}}}
    call = http.post("/chat/completions", json=named).json()["choices"][0]["message"]["tool_calls"][0]
    assert call["function"]["name"] == "get_weather"
    first = http.post("/chat/completions", json=body).json()["choices"][0]["message"]["tool_calls"][0]
    assert first["function"] == {"name": "noop", "arguments": "{}"}
    none = http.post("/chat/completions", json={**body, "tool_choice": "none"}).json()["choices"][0]
    assert none["finish_reason"] == "stop" and none["message"]["content"]


def test_tool_result_answer(http: httpx2.Client) -> None:
    messages = [
        *USER,
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "22 degrees and sunny"},
    ]
    data = http.post(
        "/chat/completions", json={"model": "gpt-4o", "messages": messages, "tools": [WEATHER_TOOL]}
    ).json()
    assert data["choices"][0]["finish_reason"] == "stop"
    assert "22 degrees and sunny" in data["choices"][0]["message"]["content"]


def test_stream_tool_call(http: httpx2.Client) -> None:
    r = http.post(
        "/chat/completions", json={"model": "gpt-4o", "messages": USER, "tools": [WEATHER_TOOL], "stream": True}
    )
    chunks = [json.loads(e) for e in sse_data(r.text)[:-1]]
    deltas = [c["choices"][0]["delta"] for c in chunks]
    head = deltas[0]["tool_calls"][0]
    assert head["id"].startswith("call_") and head["function"]["name"] == "get_weather"
    args = "".join(d["tool_calls"][0]["function"]["arguments"] for d in deltas if d.get("tool_calls"))
    assert set(json.loads(args)) == {"city", "unit", "days"}
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"


SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "rating": {"type": "number", "minimum": 0, "maximum": 5},
        "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "status": {"type": "string", "enum": ["draft", "published"]},
        "published": {"type": "boolean"},
        "author": {"$ref": "#/$defs/Person"},
        "editor": {"anyOf": [{"$ref": "#/$defs/Person"}, {"type": "null"}]},
    },
    "required": ["title", "rating", "tags", "status", "published", "author", "editor"],
    "additionalProperties": False,
    "$defs": {
        "Person": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 18}},
            "required": ["name", "age"],
            "additionalProperties": False,
        }
    },
}


def test_structured_output(http: httpx2.Client) -> None:
    fmt = {"type": "json_schema", "json_schema": {"name": "review", "schema": SCHEMA, "strict": True}}
    data = http.post("/chat/completions", json={"model": "gpt-4o", "messages": USER, "response_format": fmt}).json()
    doc = json.loads(data["choices"][0]["message"]["content"])
    assert set(doc) == set(SCHEMA["required"])
    assert isinstance(doc["title"], str) and 0 <= doc["rating"] <= 5
    assert doc["tags"] and all(isinstance(t, str) for t in doc["tags"])
    assert doc["status"] in ("draft", "published") and isinstance(doc["published"], bool)
    assert isinstance(doc["author"]["name"], str) and doc["author"]["age"] >= 18
    again = http.post("/chat/completions", json={"model": "gpt-4o", "messages": USER, "response_format": fmt}).json()
    assert again["choices"][0]["message"]["content"] == data["choices"][0]["message"]["content"]
    json_object = http.post(
        "/chat/completions", json={"model": "gpt-4o", "messages": USER, "response_format": {"type": "json_object"}}
    ).json()
    assert isinstance(json.loads(json_object["choices"][0]["message"]["content"]), dict)


def test_stored_completions(http: httpx2.Client) -> None:
    ids: list[str] = []
    for i in range(3):
        body = {"model": "gpt-4o-mini" if i else "gpt-4o", "messages": USER, "store": True, "metadata": {"n": str(i)}}
        ids.append(http.post("/chat/completions", json=body).json()["id"])
    http.post("/chat/completions", json={"model": "gpt-4o", "messages": USER})  # not stored
    got = http.get(f"/chat/completions/{ids[0]}").json()
    assert got["id"] == ids[0] and got["metadata"] == {"n": "0"}
    page = http.get("/chat/completions", params={"limit": 2}).json()
    assert [c["id"] for c in page["data"]] == ids[:2] and page["has_more"] is True
    assert page["first_id"] == ids[0] and page["last_id"] == ids[1]
    rest = http.get("/chat/completions", params={"limit": 2, "after": page["last_id"]}).json()
    assert [c["id"] for c in rest["data"]] == ids[2:] and rest["has_more"] is False
    assert [c["id"] for c in http.get("/chat/completions", params={"model": "gpt-4o"}).json()["data"]] == ids[:1]
    assert [c["id"] for c in http.get("/chat/completions", params={"metadata[n]": "2"}).json()["data"]] == ids[2:]
    desc = http.get("/chat/completions", params={"order": "desc"}).json()
    assert [c["id"] for c in desc["data"]] == ids[::-1]
    updated = http.post(f"/chat/completions/{ids[1]}", json={"metadata": {"k": "v"}}).json()
    assert updated["metadata"] == {"k": "v"}
    messages = http.get(f"/chat/completions/{ids[1]}/messages").json()
    assert messages["object"] == "list"
    assert [m["content"] for m in messages["data"]] == [USER[0]["content"]]
    assert messages["data"][0]["id"] == f"{ids[1]}-0"
    deleted = http.delete(f"/chat/completions/{ids[1]}").json()
    assert deleted == {"object": "chat.completion.deleted", "id": ids[1], "deleted": True}
    assert http.get(f"/chat/completions/{ids[1]}").status_code == 404


@pytest.mark.parametrize(
    ("body", "param", "status"),
    [
        ({"messages": USER}, "model", 400),
        ({"model": "gpt-4o"}, "messages", 400),
        ({"model": "gpt-4o", "messages": []}, "messages", 400),
        ({"model": "gpt-4o", "messages": "hi"}, "messages", 400),
        ({"model": "gpt-4o", "messages": [{"content": "x"}]}, "messages[0].role", 400),
        ({"model": "gpt-4o", "messages": [{"role": "wizard", "content": "x"}]}, "messages[0].role", 400),
        ({"model": "gpt-4o", "messages": [{"role": "tool", "content": "x"}]}, "messages[0].tool_call_id", 400),
        ({"model": "gpt-4o", "messages": USER, "n": 0}, "n", 400),
        ({"model": "gpt-4o", "messages": USER, "n": "2"}, "n", 400),
        ({"model": "gpt-4o", "messages": USER, "temperature": 3}, "temperature", 400),
        ({"model": "gpt-4o", "messages": USER, "stream_options": {"include_usage": True}}, "stream_options", 400),
        ({"model": "gpt-4o", "messages": USER, "tools": [{"type": "function"}]}, "tools[0].function", 400),
        (
            {"model": "gpt-4o", "messages": USER, "response_format": {"type": "json_schema"}},
            "response_format.json_schema",
            400,
        ),
        ({"model": "text-embedding-3-small", "messages": USER}, "model", 400),
    ],
)
def test_validation(http: httpx2.Client, body: dict[str, Any], param: str, status: int) -> None:
    r = http.post("/chat/completions", json=body)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["param"] == param
    assert error["type"] == "invalid_request_error"
    assert isinstance(error["message"], str) and error["message"]


def test_fixed_clock() -> None:
    with LocalServer(clock=1_700_000_000) as server:
        client = httpx2.Client(base_url=server.url, headers={"Authorization": "Bearer k"}, timeout=10)
        with client:
            reply = client.post("/chat/completions", json={"model": "gpt-4o", "messages": USER})
        assert reply.json()["created"] == 1_700_000_000


def test_legacy_completions(http: httpx2.Client) -> None:
    data = http.post(
        "/completions", json={"model": "gpt-3.5-turbo-instruct", "prompt": "Once upon", "max_tokens": 50}
    ).json()
    assert data["object"] == "text_completion" and data["id"].startswith("cmpl-")
    assert data["choices"][0]["text"] == ' You said: "Once upon".' and data["choices"][0]["finish_reason"] == "stop"
    r = http.post(
        "/completions", json={"model": "gpt-3.5-turbo-instruct", "prompt": ["a", "b"], "stream": True, "max_tokens": 50}
    )
    events = sse_data(r.text)
    assert events[-1] == "[DONE]"
    texts = {0: "", 1: ""}
    for e in events[:-1]:
        choice = json.loads(e)["choices"][0]
        texts[choice["index"]] += choice["text"]
    assert texts == {0: ' You said: "a".', 1: ' You said: "b".'}
    assert http.post("/completions", json={"model": "gpt-4o", "prompt": "x"}).status_code == 400
